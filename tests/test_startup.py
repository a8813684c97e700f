"""What starting the bot imports: nothing it needs only to migrate, draw, or run on PostgreSQL.

A guard against regressions of start-up time (bench/startup.py measures it): each check runs in
a fresh interpreter, since this test process has imported most of these modules already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Imported only when used: migrations (alembic, and through it mako and pygments), the ORM
# (Daybook uses SQLAlchemy Core only), PostgreSQL's dialect on SQLite, charts (matplotlib, in the
# chart workers), the log reader (its vocabulary, dateparser's locale data, markdown-it: /import
# and the parse workers).
NOT_AT_START = (
    "alembic",
    "mako",
    "pygments",
    "sqlalchemy.orm",
    "sqlalchemy.ext.asyncio",
    "sqlalchemy.dialects.postgresql",
    "matplotlib",
    "dateparser",
    "markdown_it",
    "bot.domain.logparse.vocabulary",
)


def _loaded_after(statement: str, names: tuple[str, ...]) -> list[str]:
    """Return which of `names` are in sys.modules after `statement` in a fresh interpreter."""
    program = (
        "import json, sys\n"
        f"{statement}\n"
        f"print(json.dumps([name for name in {list(names)!r} if name in sys.modules]))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    loaded: list[str] = json.loads(completed.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_bot_loads_no_migrations_orm_postgresql_or_charts():
    assert _loaded_after("import bot.app", NOT_AT_START) == []


def test_the_guard_sees_a_module_that_is_imported():
    # The check above could pass by looking in the wrong place: here it must see them.
    statement = "import bot.app, storage.migrate, alembic.command, sqlalchemy.orm"
    assert _loaded_after(statement, ("alembic", "sqlalchemy.orm")) == ["alembic", "sqlalchemy.orm"]


@pytest.mark.parametrize("statement", ["import bot.cli", "import storage"])
def test_the_command_line_and_storage_load_no_migrations_or_orm(statement):
    assert _loaded_after(statement, NOT_AT_START) == []


def test_a_log_read_in_a_worker_comes_back_without_loading_the_reader():
    # A worker reads an upload and sends the log back pickled; unpickling it in the bot (on a
    # thread, but a C-level import holds the GIL) once loaded the whole reader, and the first
    # /import after a start held the event loop for a quarter of a second.
    import pickle

    from bot.domain.logparse import parse_log

    parsed = parse_log("## Day 1: July 1, 2020\nTrained a model for 2 hours #ml\n", year=None)
    assert len(parsed.entries) == 1
    statement = f"import pickle, bot.app; pickle.loads({pickle.dumps(parsed)!r})"
    assert _loaded_after(statement, NOT_AT_START) == []

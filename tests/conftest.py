"""Test-wide settings: hypothesis profiles (CI prints reproduction blobs, no deadlines), and
backends: `sqlite_only` / `postgres_only` tests are deselected on the other backend, and on
PostgreSQL so are the folders whose tests open no database; the run ends by counting them."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import settings

from tests._postgres import BACKEND, ONLY_MARKERS

# Deadlines fail on a busy 2-core machine for reasons unrelated to the code under test.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

# Folders whose tests never open a database (the pure engine, chart drawing, wording): the
# PostgreSQL run leaves them to the SQLite run, which they would only repeat.
NO_DATABASE = ("tests/domain/", "tests/charts/", "tests/wording/")

BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# Why each deselected test is not in this run, by reason: the tests' node ids.
_deselected = pytest.StashKey[dict[str, list[str]]]()


def _why_not_here(item: pytest.Item) -> str | None:
    """Return why `item` does not run on this run's backend, or None if it does."""
    for backend, marker in ONLY_MARKERS.items():
        if backend != BACKEND and item.get_closest_marker(marker):
            return f"{marker} (kept to {BACKEND_NAMES[backend]})"
    if BACKEND == "postgresql" and item.nodeid.startswith(NO_DATABASE):
        return "no database (run on SQLite only)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the tests kept to another backend (and, on PostgreSQL, those of NO_DATABASE)."""
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    reasons: dict[str, list[str]] = {}
    for item in items:
        reason = _why_not_here(item)
        if reason is None:
            kept.append(item)
        else:
            dropped.append(item)
            reasons.setdefault(reason, []).append(item.nodeid)
    config.stash[_deselected] = reasons
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Say which backend ran and count what it deselected, by reason and file (names with -v)."""
    reasons = config.stash.get(_deselected, {})
    write = terminalreporter.write_line
    terminalreporter.section(f"backend: {BACKEND_NAMES[BACKEND]}", sep="-")
    if not reasons:
        write("no test deselected for the backend")
    for reason, nodeids in sorted(reasons.items()):
        write(f"deselected, {reason}: {len(nodeids)}")
        if reason.startswith("no database"):  # whole folders: counted by folder
            folders = Counter(nodeid.split("::")[0].rsplit("/", 1)[0] + "/" for nodeid in nodeids)
            for folder, count in sorted(folders.items()):
                write(f"  {folder}: {count}")
            continue
        files = Counter(nodeid.split("::")[0] for nodeid in nodeids)
        for file, count in sorted(files.items()):
            write(f"  {file}: {count}")
            if config.get_verbosity() > 0:
                for nodeid in nodeids:
                    if nodeid.split("::")[0] == file:
                        write(f"    {nodeid.split('::', 1)[1]}")


@pytest.fixture
def bare_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No DAYBOOK_* variable but those the test sets, and no stray .env: an empty folder."""
    for name in list(os.environ):
        if name.upper().startswith("DAYBOOK_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path

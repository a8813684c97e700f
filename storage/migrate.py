"""Schema migrations, run programmatically: the bot at start and `daybook migrate` call them."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import URL, Connection

from storage.database import create_engine, is_sqlite_memory, normalise_url, prepare_sqlite_file

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    """Return an Alembic configuration for Daybook's migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        # ConfigParser reads "%" as interpolation; URLs escape passwords with it.
        rendered = normalise_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def _revision(connection: Connection) -> str | None:
    """Return the revision the connected database is at."""
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection) -> str | None:
    """Upgrade the connected database to the newest revision and return it."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    return _revision(connection)


async def migrate(url: str | URL) -> str:
    """Bring the database at `url` to the newest schema (creating it) and return the revision."""
    parsed = normalise_url(url)
    prepare_sqlite_file(parsed)
    engine = create_engine(parsed, writer=True)
    try:
        # One transaction for every pending revision: a failed upgrade changes nothing.
        async with engine.begin() as connection:
            revision = await connection.run_sync(_upgrade)
    finally:
        await engine.dispose()
    if revision is None:  # pragma: no cover - only if the migrations folder were empty
        raise RuntimeError("the migrations produced no revision")
    log.info("database schema at revision %s", revision)
    return revision


async def current_revision(url: str | URL) -> str | None:
    """Return the revision the database at `url` is at; None when it was never migrated."""
    parsed = normalise_url(url)
    if _missing_sqlite_file(parsed):
        return None  # do not create an empty file just to look at it
    engine = create_engine(parsed, writer=False)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_revision)
    finally:
        await engine.dispose()


def _missing_sqlite_file(url: URL) -> bool:
    """Whether a URL names a SQLite database file that does not exist."""
    if url.get_backend_name() != "sqlite" or is_sqlite_memory(url):
        return False
    return not url.database or not Path(url.database).expanduser().exists()


def head_revision() -> str:
    """Return the newest revision the migrations define."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - only if the migrations folder were empty
        raise RuntimeError("no migrations found")
    return head

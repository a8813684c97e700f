"""Reading a process's heartbeat for `daybook health`: read-only, never creating anything.

The health check runs every 30 seconds inside the container, so it opens the database the
lightest way it can and never as the bot does: no migration, no folder made, and a SQLite
file that is not there is reported, not created (SQLite would otherwise make an empty one).
"""

from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL

from storage.aio import create_async_engine
from storage.changes import Changes
from storage.database import is_sqlite_memory, normalise_url
from storage.migrate import describe, sqlite_file
from storage.repositories.heartbeats import Heartbeat, HeartbeatRepository


class HealthDatabaseMissingError(Exception):
    """There is no database to read a heartbeat from (a SQLite file missing or empty)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


async def read_heartbeat(url: str | URL, process: str) -> Heartbeat | None:
    """Return `process`'s heartbeat from the database at `url`; None when it has no row."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        parsed = _read_only_sqlite(parsed)
    # One connection, made for this one read and closed after it.
    engine = create_async_engine(parsed, poolclass=sa.pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await HeartbeatRepository(connection, Changes()).get(process)
    finally:
        await engine.dispose()


def _read_only_sqlite(url: URL) -> URL:
    """Return a URL opening the SQLite file read-only; raise when there is no file to open."""
    file = sqlite_file(url)
    if file is None or is_sqlite_memory(url):
        # A private in-memory database is never the bot's: nothing there to check.
        raise HealthDatabaseMissingError(describe(url))
    if not file.is_file() or file.stat().st_size == 0:
        raise HealthDatabaseMissingError(str(file))
    # SQLite's URI form: mode=ro opens the file without ever creating or writing it.
    return url.set(database=f"file:{quote(str(file))}?mode=ro", query={"uri": "true"})

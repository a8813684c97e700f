"""What every repository shares: the connection it works on, and portable upserts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql, sqlite

    from storage.aio import AsyncConnection
    from storage.changes import Changes

    DialectInsert = sqlite.Insert | postgresql.Insert


class RecordNotFoundError(LookupError):
    """A row a write needed (an entry to edit, say) does not exist."""


class Repository:
    """A set of queries on one table, run on the transaction's connection."""

    def __init__(self, connection: AsyncConnection, changes: Changes) -> None:
        self._connection = connection
        self._changes = changes

    def _insert(self, table: sa.Table) -> DialectInsert:
        """Return an INSERT with ON CONFLICT support for the connection's dialect."""
        # Each dialect's module is imported on first use: a SQLite bot never loads PostgreSQL's.
        name = self._connection.dialect.name
        if name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert

            return insert(table)
        if name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table)
        raise RuntimeError(f"Daybook runs on SQLite or PostgreSQL, not on {name}")

"""What every repository shares: the connection it works on, and portable upserts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.sql.base import Executable

    from storage.aio import AsyncConnection
    from storage.changes import Changes

    DialectInsert = sqlite.Insert | postgresql.Insert


_T = TypeVar("_T")

BUILD_SLICE = 2_000
"""Rows turned into objects between two chances for the event loop to run other work."""


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

    async def _built(self, statement: Executable, build: Callable[[sa.Row[Any]], _T]) -> list[_T]:
        """Run a statement and build one object per row, letting the loop in between slices.

        A server's members are 100,000 rows, and turning them into objects in one pass held the
        event loop for over half a second (the reminder decision's and the digest's stalls grew
        linearly with the members: 577 and 808 ms at 100,000). The rows are fetched off the loop
        by the driver; only their decoding and building runs here, a slice at a time.
        """
        result = await self._connection.execute(statement)
        found: list[_T] = []
        for rows in result.partitions(BUILD_SLICE):
            found.extend(map(build, rows))
            await asyncio.sleep(0)
        return found

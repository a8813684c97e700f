"""Which process runs which shards: PostgreSQL advisory locks held while a process runs.

Every shard of a deployment must run in exactly one process, and every process must count the
same shards. A process sharing PostgreSQL with others claims its shards as it starts: a
session-level advisory lock per shard (taken only if free), and a shared lock on its shard count
beside which no other count may be held. A second process naming a shard already running, or
counting differently (a count being changed with some processes not yet stopped), is refused
before it connects to Discord, instead of doing another process's scheduled work or leaving
servers to no one. The locks go with the connection: a process that stops, or dies, frees its
shards (a host that vanished, within about a minute: see storage.sessions).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL

from storage.migrate import DatabaseRefusedError
from storage.sessions import TRY_LOCK, LockSession, advisory
from storage.shards import Shards

SHARD_NAMESPACE = 0x4479426C
"""The shard locks' first key: Daybook's, apart from the identify buckets' (`storage.identify`)."""
COUNT_NAMESPACE = 0x4479426D
"""The shard counts' first key: a shared lock per count a running process uses."""

# Shared locks on a count never wait: nothing takes them exclusively.
_HOLD_COUNT = advisory("pg_advisory_lock_shared")
# A two-key advisory lock shows in pg_locks as classid = key 1, objid = key 2, objsubid = 2.
_OTHER_COUNTS = sa.text(
    "SELECT DISTINCT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2"
    " AND classid = CAST(:namespace AS oid) AND pid <> pg_backend_pid() AND granted"
)


class ShardsTakenError(DatabaseRefusedError):
    """Another process on this database runs some of these shards, or counts others."""

    def __init__(self, location: str, shards: Shards, taken: list[int], counts: list[int]) -> None:
        super().__init__(location)
        self.shards = shards
        self.taken = taken
        """This process's shards another process runs already."""
        self.counts = counts
        """The shard counts other running processes use, when not this one's."""


class ShardClaims:
    """This process's claim on its shards, on a PostgreSQL connection of its own."""

    def __init__(self, url: URL, location: str) -> None:
        self._session = LockSession(url)
        self._location = location

    async def claim(self, shards: Shards) -> None:
        """Hold `shards` for as long as this process runs; raise ShardsTakenError if not free."""
        # A session of its own: the locks end with it (see storage.sessions).
        connection = await self._session.connection()
        try:
            taken: list[int] = []
            for shard in sorted(shards.ids):
                got = await connection.execute(
                    TRY_LOCK, {"namespace": SHARD_NAMESPACE, "key": shard}
                )
                if not got.scalar_one():
                    taken.append(shard)
            await connection.execute(
                _HOLD_COUNT, {"namespace": COUNT_NAMESPACE, "key": shards.count}
            )
            held = await connection.execute(_OTHER_COUNTS, {"namespace": COUNT_NAMESPACE})
            counts = sorted(int(count) for count in held.scalars() if count != shards.count)
        except BaseException:
            await self.close()
            raise
        if taken or counts:
            await self.close()
            raise ShardsTakenError(self._location, shards, taken, counts)

    async def close(self) -> None:
        """Give the shards back (closing the connection)."""
        await self._session.close()

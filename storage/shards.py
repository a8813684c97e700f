"""Which servers are this process's own: the shards it runs, of a deployment's shard count.

Discord assigns each server to shard `(guild_id >> 22) % shard_count`; a deployment that runs
its shards in several processes splits the servers the same way. A process does the scheduled
work (reminders, nudges, digests, checkpoint refreshes, housekeeping) only for its own servers:
the SQL that finds due work carries `Shards.owns_column`, so each process reads only its share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

SHARD_SHIFT = 22
"""A server id's creation time starts at bit 22 (a snowflake): Discord shards on the bits above."""


def shard_of(guild_id: int, count: int) -> int:
    """Return the shard serving `guild_id` in a deployment of `count` shards (Discord's rule)."""
    return (guild_id >> SHARD_SHIFT) % count


@dataclass(frozen=True, slots=True)
class Shards:
    """The shards one process runs (`ids`), out of the deployment's `count`."""

    count: int
    ids: frozenset[int]

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"a deployment has at least one shard, not {self.count}")
        if not self.ids:
            raise ValueError("a process runs at least one shard")
        outside = sorted(shard for shard in self.ids if not 0 <= shard < self.count)
        if outside:
            raise ValueError(f"shards {outside} are outside 0..{self.count - 1}")

    @classmethod
    def every(cls, count: int = 1) -> Shards:
        """Every shard of a deployment in one process: every server is this process's own."""
        return cls(count, frozenset(range(count)))

    @classmethod
    def of(cls, count: int, ids: Iterable[int]) -> Shards:
        """Some shards of a deployment of `count`."""
        return cls(count, frozenset(ids))

    @property
    def whole(self) -> bool:
        """Whether this process runs every shard (so owns every server)."""
        return len(self.ids) == self.count

    @property
    def runs_first(self) -> bool:
        """Whether this process runs shard 0 (the one that syncs global commands, gets DMs)."""
        return 0 in self.ids

    def owns(self, guild_id: int) -> bool:
        """Whether the server `guild_id` is served by one of this process's shards."""
        return self.whole or shard_of(guild_id, self.count) in self.ids

    def owns_column(self, guild_id: ColumnElement[int]) -> ColumnElement[bool]:
        """Return a SQL condition true for this process's servers, given their guild id column.

        Always true (and so free) when the process runs every shard. Both backends compute it
        on 64-bit integers: SQLite's `>>` and `%` on INTEGER, PostgreSQL's on BIGINT.
        """
        if self.whole:
            return sa.true()
        # PostgreSQL has `bigint >> integer` only: the shift is sent as an integer.
        shift = sa.literal(SHARD_SHIFT, sa.Integer())
        shard = guild_id.op(">>", return_type=sa.BigInteger())(shift) % self.count
        return shard.in_(sorted(self.ids))

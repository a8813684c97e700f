"""Heartbeats: each bot process's start, last minute tick and gateway state, for `daybook health`.

One row per process, keyed by the shards it runs (`process_key`), so the health check started
inside the same container, with the same settings, finds its own process's row and no other's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from storage.repositories.base import Repository
from storage.shards import Shards
from storage.tables import heartbeats

KEY_LIMIT = 64
"""The `heartbeats.process` column's length."""


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """What one bot process last said about itself."""

    process: str
    started_at: datetime
    ticked_at: datetime | None
    """The start of the scheduler's last minute tick; None before the first."""
    gateway_up: bool
    """Whether every shard of the process was connected to Discord's gateway."""
    gateway_changed_at: datetime | None
    """When `gateway_up` last changed; None while it has not since the start."""
    version: str


def process_key(shards: Shards) -> str:
    """Return the stable key of the process running `shards` (at most 64 characters).

    "all" for a process running every shard; else its shards as ranges ("shards 0,2-5 of 16");
    a list too long for the column is named by its count and a digest of the ids instead.
    """
    if shards.whole:
        return "all"
    key = f"shards {_ranges(sorted(shards.ids))} of {shards.count}"
    if len(key) <= KEY_LIMIT:
        return key
    digest = hashlib.sha256(",".join(map(str, sorted(shards.ids))).encode()).hexdigest()[:16]
    return f"{len(shards.ids)} shards of {shards.count} #{digest}"


def _ranges(ids: list[int]) -> str:
    """Return sorted ids as comma-separated ranges: [0, 2, 3, 4, 5] -> "0,2-5"."""
    parts: list[str] = []
    start = previous = ids[0]
    for shard in [*ids[1:], None]:
        if shard is not None and shard == previous + 1:
            previous = shard
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if shard is not None:
            start = previous = shard
    return ",".join(parts)


class HeartbeatRepository(Repository):
    """The `heartbeats` table: written by the bot, read by `daybook health`."""

    async def started(self, process: str, at: datetime, version: str) -> None:
        """Record a process's start: no tick yet, gateway not connected (replaces an old row)."""
        fresh = {
            "started_at": at,
            "ticked_at": None,
            "gateway_up": False,
            "gateway_changed_at": None,
            "version": version,
        }
        statement = (
            self._insert(heartbeats)
            .values(process=process, **fresh)
            .on_conflict_do_update(index_elements=[heartbeats.c.process], set_=fresh)
        )
        await self._connection.execute(statement)

    async def ticked(self, process: str, at: datetime) -> bool:
        """Record a minute tick; False when the process has no row (it never said it started)."""
        statement = (
            sa.update(heartbeats).where(heartbeats.c.process == process).values(ticked_at=at)
        )
        return (await self._connection.execute(statement)).rowcount == 1

    async def gateway(self, process: str, *, up: bool, at: datetime) -> bool:
        """Record that the gateway went up or down at `at`; False when there is no row."""
        statement = (
            sa.update(heartbeats)
            .where(heartbeats.c.process == process)
            .values(gateway_up=up, gateway_changed_at=at)
        )
        return (await self._connection.execute(statement)).rowcount == 1

    async def get(self, process: str) -> Heartbeat | None:
        """Return a process's heartbeat, or None when it never started on this database."""
        statement = sa.select(heartbeats).where(heartbeats.c.process == process)
        row = (await self._connection.execute(statement)).first()
        if row is None:
            return None
        return Heartbeat(
            process=row.process,
            started_at=row.started_at,
            ticked_at=row.ticked_at,
            gateway_up=bool(row.gateway_up),
            gateway_changed_at=row.gateway_changed_at,
            version=row.version,
        )

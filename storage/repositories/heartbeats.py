"""Heartbeats: each bot process's start, last minute tick and gateway state, for `daybook health`.

One row per process, keyed by the shards it runs (`process_key`), so the health check started
inside the same container, with the same settings, finds its own process's row and no other's.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.domain.heartbeats import KEY_LIMIT, Heartbeat
from bot.domain.heartbeats import process_key as heartbeat_key
from storage.repositories.base import Repository
from storage.shards import Shards
from storage.tables import heartbeats

__all__ = ["KEY_LIMIT", "Heartbeat", "HeartbeatRepository", "process_key"]


def process_key(shards: Shards) -> str:
    """Return the stable key of the process running `shards` (see `bot.domain.heartbeats`)."""
    return heartbeat_key(shards.count, shards.ids)


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

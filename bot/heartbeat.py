"""The bot's heartbeat: its start, each minute tick and its gateway's state, in the database.

`daybook health` (the Docker HEALTHCHECK) reads them back. Writing one is never worth stopping
anything for: a failed write is logged and the tick, or the event, goes on; the check then
sees the heartbeat age, as it should when the database cannot be written.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from bot.clock import Clock
from storage import Database
from storage.repositories.heartbeats import process_key
from storage.shards import Shards

log = logging.getLogger(__name__)


class HeartbeatWriter:
    """Writes one process's heartbeat row; the gateway is up only when all its shards are."""

    def __init__(self, database: Database, shards: Shards, clock: Clock, version: str) -> None:
        self.database = database
        self.process = process_key(shards)
        self.clock = clock
        self.version = version
        self._shards = frozenset(shards.ids)
        self._connected: set[int] = set()
        self._written_up: bool | None = None
        self._started_at: datetime | None = None
        # Gateway events arrive as separate tasks: one at a time, so the row ends at the last.
        self._gateway_lock = asyncio.Lock()

    @property
    def gateway_up(self) -> bool:
        """Whether every shard of this process is connected."""
        return self._connected >= self._shards

    async def started(self) -> None:
        """Record the start: no tick yet, the gateway not connected."""
        self._written_up = False
        self._started_at = self.clock()
        try:
            async with self.database.write() as repos:
                await repos.heartbeats.started(self.process, self._started_at, self.version)
        except Exception:
            log.warning("could not record the start in the heartbeats table", exc_info=True)

    async def ticked(self) -> None:
        """Record a minute tick of the scheduler (and the start, if writing it had failed)."""
        now = self.clock()
        try:
            async with self.database.write() as repos:
                if not await repos.heartbeats.ticked(self.process, now):
                    # No row: recording the start failed (the database was away). Write it now,
                    # with what this process knows, so the check reads this process's state.
                    await repos.heartbeats.started(
                        self.process, self._started_at or now, self.version
                    )
                    await repos.heartbeats.ticked(self.process, now)
                    up = self.gateway_up
                    await repos.heartbeats.gateway(self.process, up=up, at=now)
                    self._written_up = up
        except Exception:
            log.warning("could not record the scheduler's tick", exc_info=True)

    async def shard_up(self, shard_id: int | None) -> None:
        """A shard (None: the only one) connected or resumed."""
        self._connected.add(shard_id or 0)
        await self._write_gateway()

    async def shard_down(self, shard_id: int | None) -> None:
        """A shard (None: the only one) lost its connection."""
        self._connected.discard(shard_id or 0)
        await self._write_gateway()

    async def _write_gateway(self) -> None:
        """Write the gateway's state when it differs from the one last written."""
        async with self._gateway_lock:
            up = self.gateway_up
            if up == self._written_up:
                return
            try:
                async with self.database.write() as repos:
                    await repos.heartbeats.gateway(self.process, up=up, at=self.clock())
            except Exception:
                state = "up" if up else "down"
                log.warning("could not record the gateway going %s", state, exc_info=True)
                return
            self._written_up = up

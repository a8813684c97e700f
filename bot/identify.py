"""Taking turns to start Discord sessions across the processes of one deployment.

Discord starts at most `max_concurrency` sessions per 5 seconds, one per identify bucket
(`shard_id % max_concurrency`); a second IDENTIFY in a bucket inside the window is refused and
costs one of the day's 1,000 session starts. In one process discord.py spaces its own shards
5 seconds apart; processes sharing a PostgreSQL database take the bucket's advisory lock
(`storage.identify`) before identifying and give it back 5 seconds later, so no two processes
ever identify in the same bucket at once. The wait never blocks the event loop: the lock is
tried, and tried again after a short sleep.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from storage.identify import IdentifyLocks

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[object]]

IDENTIFY_WINDOW_S = 5.0
"""How long a bucket stays taken after an IDENTIFY: Discord's rate-limit window."""
RETRY_S = 0.25
"""How long a process waits before trying a taken bucket's lock again."""


class IdentifyGate:
    """Lets one shard at a time identify per bucket, across every process of a deployment."""

    def __init__(
        self,
        locks: IdentifyLocks,
        *,
        sleep: Sleep = asyncio.sleep,
        window: float = IDENTIFY_WINDOW_S,
        retry: float = RETRY_S,
    ) -> None:
        self._locks = locks
        self._sleep = sleep
        self._window = window
        self._retry = retry
        # The advisory lock is re-entrant within its session: this process's own shards of a
        # bucket (one reconnecting while another starts) take turns on these.
        self._mine: dict[int, asyncio.Lock] = {}
        self._releases: set[asyncio.Task[None]] = set()
        self._closed = False

    async def wait_turn(self, shard_id: int, max_concurrency: int) -> int:
        """Return once `shard_id` may identify, holding its bucket for the window; the bucket."""
        bucket = shard_id % max(1, max_concurrency)
        mine = self._mine.setdefault(bucket, asyncio.Lock())
        await mine.acquire()
        try:
            waited = False
            while not await self._try_lock(bucket):
                if not waited:
                    log.info("shard %s waits for identify bucket %s", shard_id, bucket)
                    waited = True
                await self._sleep(self._retry)
            if self._closed:
                # Closed while the lock was being taken (maybe on a connection opened after
                # the close): give it back with its connection.
                await self._locks.close()
                self._refuse_if_closed(bucket)
        except BaseException:
            mine.release()
            raise
        release = asyncio.create_task(self._release_after_window(bucket, mine))
        self._releases.add(release)
        release.add_done_callback(self._releases.discard)
        return bucket

    async def _try_lock(self, bucket: int) -> bool:
        """Try the bucket's lock, on a new connection if the last one was lost.

        A lost database is raised as a `ConnectionError`: discord.py tries an OSError's
        connection again later, but closes the whole bot on any other error from the hook.
        """
        self._refuse_if_closed(bucket)
        try:
            return await self._locks.try_lock(bucket)
        except Exception as error:
            self._refuse_if_closed(bucket)
            # The connection idle since the last identify may be gone (PostgreSQL restarted,
            # a proxy dropped it): `try_lock` closed it, so this try opens a new one.
            log.warning("identify bucket %s: the lock connection failed (%s)", bucket, error)
        try:
            return await self._locks.try_lock(bucket)
        except Exception as error:
            self._refuse_if_closed(bucket)
            raise ConnectionError(
                f"identify bucket {bucket}: the database holding the locks is unreachable"
            ) from error

    def _refuse_if_closed(self, bucket: int) -> None:
        """Raise once the gate is closed: no new lock connection, no more turns taken."""
        if self._closed:
            # discord.py's launch keeps calling the hook of a closed bot (every 5 s): a turn
            # taken now would only hold back the processes that stay.
            raise ConnectionError(f"identify bucket {bucket}: the bot is closing")

    async def close(self) -> None:
        """Stop waiting out windows and give every lock back (closing the lock connection)."""
        self._closed = True
        for release in list(self._releases):
            release.cancel()
        await asyncio.gather(*self._releases, return_exceptions=True)
        await self._locks.close()

    async def _release_after_window(self, bucket: int, mine: asyncio.Lock) -> None:
        try:
            await self._sleep(self._window)
            await self._locks.unlock(bucket)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The lock connection failed: it was closed, and the lock went with its session.
            log.warning("giving back identify bucket %s failed", bucket, exc_info=True)
        finally:
            mine.release()

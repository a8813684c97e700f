"""PostgreSQL advisory locks for starting Discord sessions: one lock per identify bucket.

Discord lets a bot start (IDENTIFY) `max_concurrency` sessions per 5 seconds: shard `s` is in
bucket `s % max_concurrency`, and two sessions of one bucket must be 5 seconds apart. Processes
sharing a deployment take the bucket's lock before they identify, on a connection of its own,
and give it back after the window (`bot.identify`).

The locks are PostgreSQL's session-level advisory locks, keyed (Daybook's namespace, bucket):
they belong to the connection, not to a transaction, so a process killed while holding one
loses its session and, with it, the lock (PostgreSQL notices the closed socket at once; a host
that vanished, within about a minute: see storage.sessions). Taking one only tries
(`pg_try_advisory_lock`): a lock waited for inside PostgreSQL would tie up the connection, and
the release of another bucket behind it.
"""

from __future__ import annotations

from sqlalchemy.engine import URL

from storage.sessions import TRY_LOCK, UNLOCK, LockSession

IDENTIFY_NAMESPACE = 0x4479426B
"""The advisory locks' first key ("DyBk"): Daybook's, apart from any other application's."""


class IdentifyLocks:
    """The identify buckets' locks, on one PostgreSQL connection of their own.

    Opened on first use; closing it (or losing it) gives back every lock it held.
    """

    def __init__(self, url: URL) -> None:
        self._session = LockSession(url)

    async def try_lock(self, bucket: int) -> bool:
        """Take a bucket's lock if no other session holds it; True when taken."""
        connection = await self._session.connection()
        try:
            result = await connection.execute(
                TRY_LOCK, {"namespace": IDENTIFY_NAMESPACE, "key": bucket}
            )
            return bool(result.scalar_one())
        except BaseException:
            # A connection that failed may have lost its locks: start again from a new one.
            await self.close()
            raise

    async def unlock(self, bucket: int) -> None:
        """Give a bucket's lock back (nothing happens if this session does not hold it)."""
        connection = self._session.current
        if connection is None:
            return  # the connection is gone, and its locks with it
        try:
            await connection.execute(UNLOCK, {"namespace": IDENTIFY_NAMESPACE, "key": bucket})
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Close the connection: every lock it held is given back."""
        await self._session.close()

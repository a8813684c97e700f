"""A PostgreSQL session of its own, for advisory locks that must end with the process holding them.

The identify buckets (`storage.identify`) and the shard claims (`storage.shard_claims`) are
session-level advisory locks: no pool (closing the connection ends the session and its locks)
and autocommit (nothing left idle in a transaction). A process that dies frees them when
PostgreSQL sees its connection close; a host that vanished (power cut, network partition) sends
no close, and PostgreSQL would hold its locks until the operating system's TCP keepalive gave up,
two hours by default, refusing the replacement process all that time. These sessions ask the
server to probe an idle client after 30 s, every 10 s, 3 times: a vanished host's locks are freed
in about a minute.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL

from storage.aio import AsyncConnection, AsyncEngine, create_async_engine


def advisory(function: str) -> sa.Select[tuple[object]]:
    """Return `SELECT function(:namespace, :key)`, a two-key (int4, int4) advisory lock call."""
    keys = (
        sa.cast(sa.bindparam(name, type_=sa.Integer), sa.Integer) for name in ("namespace", "key")
    )
    return sa.select(getattr(sa.func, function)(*keys))


TRY_LOCK = advisory("pg_try_advisory_lock")
"""Take the session lock (namespace, key) if it is free; true when taken."""
UNLOCK = advisory("pg_advisory_unlock")
"""Give the session lock (namespace, key) back; true when it was held."""

KEEPALIVE = {
    "tcp_keepalives_idle": "30",
    "tcp_keepalives_interval": "10",
    "tcp_keepalives_count": "3",
}
"""The server's TCP keepalive for lock sessions: a silent client is dropped after about 60 s."""


async def lock_session(url: URL) -> tuple[AsyncEngine, AsyncConnection]:
    """Open a pool-less, autocommit PostgreSQL session whose vanished client is noticed soon."""
    engine = create_async_engine(
        url,
        poolclass=sa.pool.NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"server_settings": KEEPALIVE},
    )
    try:
        connection = await AsyncConnection(engine).start()
    except BaseException:
        await engine.dispose()
        raise
    return engine, connection


class LockSession:
    """One process's lock session, opened on first use; closing (or losing) it frees its locks."""

    def __init__(self, url: URL) -> None:
        self._url = url
        self._engine: AsyncEngine | None = None
        self._connection: AsyncConnection | None = None

    @property
    def current(self) -> AsyncConnection | None:
        """The open session's connection, None when none is open (its locks are gone)."""
        return self._connection

    async def connection(self) -> AsyncConnection:
        """Return the session's connection, opening a new session if there is none."""
        if self._connection is None:
            self._engine, self._connection = await lock_session(self._url)
        return self._connection

    async def close(self) -> None:
        """Close the session: every lock it held is given back."""
        connection, self._connection = self._connection, None
        engine, self._engine = self._engine, None
        try:
            if connection is not None:
                await connection.close()
        finally:
            if engine is not None:
                await engine.dispose()

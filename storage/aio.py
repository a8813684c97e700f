"""Async SQLAlchemy Core without the ORM: engines and connections over aiosqlite and asyncpg.

`sqlalchemy.ext.asyncio` always imports the ORM (its package imports its session module), which
Daybook never uses and which cost a quarter of a second at every start. What it does for Core
is small, and this module does the same: SQLAlchemy's async dialects run on a plain synchronous
`Engine`, provided each call that may reach the driver runs inside
`sqlalchemy.util.greenlet_spawn`, which lets the driver's awaits suspend the calling task. Pools
(`AsyncAdaptedQueuePool` by default), engine events, dialects and results are SQLAlchemy's own.

Clean-up is never abandoned half way: ending a transaction and returning a connection to its
pool run to completion even when the task is cancelled meanwhile (the cancellation is raised
once they are done), so a cancelled task's transaction is rolled back and its connection is back
in the pool before the task finishes. A statement runs to its end the same way: interrupted, it
would make SQLAlchemy invalidate the connection, and aiosqlite then closes it only when its cursor
is collected, the file's write lock held meanwhile (every other write waits out its busy timeout).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, overload

import sqlalchemy as sa
from sqlalchemy.util import greenlet_spawn

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, CursorResult, Dialect
    from sqlalchemy.engine.interfaces import (
        CoreExecuteOptionsParameter,
        _CoreAnyExecuteParams,
        _DBAPIAnyExecuteParams,
    )
    from sqlalchemy.pool import PoolProxiedConnection
    from sqlalchemy.sql.base import Executable
    from sqlalchemy.sql.selectable import TypedReturnsRows
    from sqlalchemy.util.typing import TupleAny, TypeVarTuple, Unpack

    _Ts = TypeVarTuple("_Ts")

_P = ParamSpec("_P")
_T = TypeVar("_T")


async def _run_to_completion(work: Coroutine[Any, Any, _T]) -> _T:
    """Run `work` to its end even if the calling task is cancelled; then re-raise the cancel.

    Used for clean-up (a rollback, a connection's return to its pool): abandoned half way, it
    would leave a connection mid-statement, or return it after the caller moved on.
    """
    task = asyncio.ensure_future(work)
    cancelled: asyncio.CancelledError | None = None
    while True:
        try:
            result = await asyncio.shield(task)
        except asyncio.CancelledError as error:
            if task.done():
                raise
            cancelled = error
        else:
            break
    if cancelled is not None:
        raise cancelled
    return result


async def _buffered(result: CursorResult[Any]) -> None:
    """Close a result's driver cursor, keeping its rows (async drivers buffer them all)."""
    # What sqlalchemy.ext.asyncio does after every execute: the driver's cursor close is a
    # coroutine, which a result consumed later (outside any greenlet) could not await.
    soft_close = getattr(result.cursor, "_async_soft_close", None)
    if soft_close is not None:
        await soft_close()


async def _fetched(call: Callable[[], CursorResult[Any]]) -> CursorResult[Any]:
    """Run one statement to its end inside a greenlet and buffer its result."""
    result = await greenlet_spawn(call, _require_await=True)
    await _buffered(result)
    return result


class AsyncEngine:
    """An engine whose connections are used with `await`: a synchronous Core engine underneath."""

    def __init__(self, sync_engine: sa.Engine) -> None:
        self.sync_engine = sync_engine

    @property
    def dialect(self) -> Dialect:
        """The engine's dialect."""
        return self.sync_engine.dialect

    @property
    def url(self) -> URL:
        """The engine's URL."""
        return self.sync_engine.url

    def connect(self) -> AsyncConnection:
        """Return a connection that checks one out of the pool when entered (`async with`)."""
        return AsyncConnection(self)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """Check out a connection inside a transaction: committed at the end, or rolled back."""
        async with self.connect() as connection, connection.begin():
            yield connection

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await greenlet_spawn(self.sync_engine.dispose)


def create_async_engine(url: str | URL, **options: Any) -> AsyncEngine:
    """Create an engine for an async driver (aiosqlite, asyncpg); `options` as `create_engine`."""
    sync_engine = sa.create_engine(url, **options)
    if not sync_engine.dialect.is_async:
        sync_engine.dispose()
        # sqlalchemy.ext.asyncio's own words for the same mistake.
        raise sa.exc.InvalidRequestError(
            "The asyncio extension requires an async driver to be used. "
            f"The loaded {sync_engine.dialect.driver!r} is not async."
        )
    return AsyncEngine(sync_engine)


class AsyncConnection:
    """One pooled connection used with `await`; `async with` checks it out and returns it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sync: sa.Connection | None = None
        self._pool: object = None

    async def start(self) -> AsyncConnection:
        """Check the connection out of the engine's pool."""
        if self._sync is not None:
            raise sa.exc.InvalidRequestError("the connection is already started")
        self._pool = self.engine.sync_engine.pool
        self._sync = await greenlet_spawn(self.engine.sync_engine.connect)
        return self

    async def __aenter__(self) -> AsyncConnection:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await _run_to_completion(self.close())

    @property
    def sync_connection(self) -> sa.Connection:
        """The synchronous Core connection underneath (only inside `greenlet_spawn`)."""
        if self._sync is None:
            raise sa.exc.InvalidRequestError("the connection is not started; use `async with`")
        return self._sync

    @property
    def dialect(self) -> Dialect:
        """The connection's dialect."""
        return self.engine.dialect

    @property
    def closed(self) -> bool:
        """Whether the connection was closed (or never started)."""
        return self._sync is None or self._sync.closed

    def begin(self) -> AsyncTransaction:
        """Return a transaction to open with `async with`: committed at its end, or rolled back."""
        return AsyncTransaction(self)

    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection."""
        return self._sync is not None and self._sync.in_transaction()

    async def execution_options(self, **options: Any) -> AsyncConnection:
        """Set execution options (an isolation level, say) on this connection; return it."""
        await greenlet_spawn(self.sync_connection.execution_options, **options)
        return self

    @overload
    async def execute(
        self,
        statement: TypedReturnsRows[Unpack[_Ts]],
        parameters: _CoreAnyExecuteParams | None = None,
        *,
        execution_options: CoreExecuteOptionsParameter | None = None,
    ) -> CursorResult[Unpack[_Ts]]: ...

    @overload
    async def execute(
        self,
        statement: Executable,
        parameters: _CoreAnyExecuteParams | None = None,
        *,
        execution_options: CoreExecuteOptionsParameter | None = None,
    ) -> CursorResult[Unpack[TupleAny]]: ...

    async def execute(
        self,
        statement: Executable,
        parameters: _CoreAnyExecuteParams | None = None,
        *,
        execution_options: CoreExecuteOptionsParameter | None = None,
    ) -> CursorResult[Unpack[TupleAny]]:
        """Run a statement and return its result, every row already fetched."""
        return await _run_to_completion(
            _fetched(
                partial(
                    self.sync_connection.execute,
                    statement,
                    parameters,
                    execution_options=execution_options,
                )
            )
        )

    async def exec_driver_sql(
        self,
        statement: str,
        parameters: _DBAPIAnyExecuteParams | None = None,
        execution_options: CoreExecuteOptionsParameter | None = None,
    ) -> CursorResult[Unpack[TupleAny]]:
        """Run a SQL string as the driver takes it and return its result, rows fetched."""
        return await _run_to_completion(
            _fetched(
                partial(
                    self.sync_connection.exec_driver_sql,
                    statement,
                    parameters,
                    execution_options,
                )
            )
        )

    async def run_sync(
        self,
        function: Callable[Concatenate[sa.Connection, _P], _T],
        *args: _P.args,
        **kwargs: _P.kwargs,
    ) -> _T:
        """Call `function(sync_connection, ...)`: synchronous Core code (Alembic, inspection)."""
        return await greenlet_spawn(partial(function, self.sync_connection, *args, **kwargs))

    async def get_raw_connection(self) -> PoolProxiedConnection:
        """Return the pooled DBAPI connection (its `driver_connection` is the driver's own)."""
        connection = self.sync_connection
        return await greenlet_spawn(lambda: connection.connection)

    async def close(self) -> None:
        """Return the connection to its pool (rolling back a transaction left open)."""
        if self._sync is not None:
            await greenlet_spawn(self._close_sync, self._sync)

    def _close_sync(self, connection: sa.Connection) -> None:
        if self.engine.sync_engine.pool is not self._pool and not connection.invalidated:
            # The engine was disposed while this connection was out: the pool it would go back
            # to is gone and would keep it (and aiosqlite's thread) open until collected.
            connection.invalidate()
        connection.close()


class AsyncTransaction:
    """A transaction opened with `async with`: committed when the block ends, else rolled back."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._sync: sa.Transaction | None = None

    async def __aenter__(self) -> AsyncTransaction:
        self._sync = await greenlet_spawn(self.connection.sync_connection.begin)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._sync is None:  # pragma: no cover - only if __aenter__ failed, which skips exit
            return
        # Transaction.__exit__ commits after a clean block and rolls back after an error (a
        # cancellation included); either runs to its end.
        await _run_to_completion(greenlet_spawn(self._sync.__exit__, kind, error, traceback))

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

On aiosqlite every driver call is a hand-off to the connection's own thread and back, several per
statement (a cursor, the execute, the fetch, the close). `AsyncEngine.run_on_driver` runs a whole
synchronous job there in one hand-off instead: `DriverConnection` executes Core statements
compiled once for the dialect (`DriverStatement`) on the driver's own connection, with the same
parameter and result processing as SQLAlchemy's, and tells the engine's cursor-execute listeners.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast, overload

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
    from sqlalchemy.sql.elements import ClauseElement
    from sqlalchemy.sql.selectable import TypedReturnsRows
    from sqlalchemy.util.typing import TupleAny, TypeVarTuple, Unpack

    _Ts = TypeVarTuple("_Ts")

_P = ParamSpec("_P")
_T = TypeVar("_T")


async def _run_to_completion(work: Coroutine[Any, Any, _T]) -> _T:
    """Run `work` to its end even if the calling task is cancelled; then re-raise the cancel.

    Used for clean-up (a rollback, a connection's return to its pool): abandoned half way, it
    would leave a connection mid-statement, or return it after the caller moved on. If `work`
    fails after the cancel, the cancel is raised with the failure as its `__cause__`.
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
        except BaseException as error:
            if cancelled is None:
                raise
            # The work failed after the caller was cancelled: the cancel still wins (swallowed,
            # the caller would carry on as if never cancelled: a fallback write, say), and the
            # failure is its cause, so a caller can tell that the work did not succeed.
            raise cancelled from error
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


class DriverStatement:
    """A Core statement compiled once for a positional dialect, run on the driver's connection.

    Parameters are put in the compiled order and converted by the types' bind processors; the
    statement's own constants are converted once here. Rows come back converted by the result
    processors of its columns (`exported_columns`: a select's, or an INSERT's RETURNING).
    """

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled: Any = cast("ClauseElement", statement).compile(dialect=dialect)
        if not compiled.positional:
            raise sa.exc.ArgumentError(f"{dialect.name} is not a positional dialect")
        self.sql: str = compiled.string
        self._slots: list[tuple[str | None, Any, Callable[[Any], Any] | None]] = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                self._slots.append((name, None, convert))
            else:  # a constant of the statement itself
                value = bind.effective_value
                self._slots.append((None, value if convert is None else convert(value), None))
        columns = getattr(statement, "exported_columns", ())
        self._results = [
            (index, process)
            for index, column in enumerate(columns)
            if (process := column.type.dialect_impl(dialect).result_processor(dialect, None))
            is not None
        ]

    def arguments(self, parameters: Mapping[str, Any]) -> tuple[Any, ...]:
        """Return the driver's positional arguments for these named parameters."""
        return tuple(
            constant
            if name is None
            else (parameters[name] if convert is None else convert(parameters[name]))
            for name, constant, convert in self._slots
        )

    def rows(self, fetched: list[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """Return the driver's rows with each column converted as SQLAlchemy would."""
        if not self._results:
            return [tuple(row) for row in fetched]
        found = []
        for row in fetched:
            values = list(row)
            for index, process in self._results:
                values[index] = process(values[index])
            found.append(tuple(values))
        return found


class DriverConnection:
    """The driver's own DBAPI connection inside a `run_on_driver` job, used synchronously."""

    def __init__(self, connection: Any, engine: AsyncEngine) -> None:
        self.connection = connection
        self._engine = engine

    def execute(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run a Core statement and return its rows, converted as SQLAlchemy would."""
        prepared = self._engine.driver_statement(statement)
        rows = self._run(prepared.sql, prepared.arguments(parameters or {}))
        return prepared.rows(rows)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the driver's connection."""
        return bool(self.connection.in_transaction)

    def exec_driver_sql(self, sql: str) -> None:
        """Run a SQL string as the driver takes it (a BEGIN, say)."""
        self._run(sql, ())

    def commit(self) -> None:
        """Commit the driver's transaction (unseen by statement listeners, as in Core)."""
        self.connection.commit()

    def rollback(self) -> None:
        """Roll the driver's transaction back (unseen by statement listeners, as in Core)."""
        self.connection.rollback()

    def _run(self, sql: str, arguments: tuple[Any, ...]) -> list[Any]:
        dispatch = self._engine.sync_engine.dispatch
        # The engine's statement listeners (traces, statement counts) see these statements too;
        # there is no Core connection or execution context to give them.
        if dispatch.before_cursor_execute:
            for listener in dispatch.before_cursor_execute:
                listener(None, None, sql, arguments, None, False)
        dbapi = self._engine.dialect.loaded_dbapi
        try:
            cursor = self.connection.execute(sql, arguments)
            try:
                rows: list[Any] = cursor.fetchall() if cursor.description else []
            finally:
                cursor.close()
        except dbapi.Error as error:
            # The error Core raises for the same failure (an IntegrityError, say).
            raise sa.exc.DBAPIError.instance(sql, arguments, error, dbapi.Error) from error
        if dispatch.after_cursor_execute:
            for listener in dispatch.after_cursor_execute:
                listener(None, None, sql, arguments, None, False)
        return rows


class AsyncEngine:
    """An engine whose connections are used with `await`: a synchronous Core engine underneath."""

    def __init__(self, sync_engine: sa.Engine) -> None:
        self.sync_engine = sync_engine
        self._driver_statements: dict[Executable, DriverStatement] = {}

    @property
    def runs_on_driver_thread(self) -> bool:
        """Whether `run_on_driver` can run jobs (a driver with a thread of its own)."""
        return self.sync_engine.dialect.driver == "aiosqlite"

    async def run_on_driver(self, job: Callable[[DriverConnection], _T]) -> _T:
        """Run `job` on a pooled connection's own thread in one hand-off, to its end if cancelled.

        The cancel is raised once the job and the connection's return are done. Only where
        `runs_on_driver_thread`. The job runs synchronously there and must leave no transaction
        open: Core does not see what it sends, and the pool does not roll back.
        """
        if not self.runs_on_driver_thread:
            raise sa.exc.InvalidRequestError(f"{self.dialect.driver} has no thread to run jobs on")
        pool = self.sync_engine.pool
        # The pooled DBAPI connection alone: the job needs no Core connection around it.
        pooled = await greenlet_spawn(self.sync_engine.raw_connection)
        try:
            driver: Any = pooled.driver_connection
            # aiosqlite's own way to run a call on its thread (what its every method does).
            return await _run_to_completion(
                driver._execute(job, DriverConnection(driver._conn, self))
            )
        finally:
            await _run_to_completion(greenlet_spawn(self._give_back, pooled, pool))

    def _give_back(self, pooled: PoolProxiedConnection, pool: object) -> None:
        if self.sync_engine.pool is not pool and pooled.is_valid:
            # Disposed while the job ran: the pool it would go back to is gone (and would keep
            # it, and aiosqlite's thread, open until collected).
            pooled.invalidate()
        _end_left_open(pooled)
        pooled.close()

    def driver_statement(self, statement: Executable) -> DriverStatement:
        """Return `statement` compiled for this engine's driver (once per statement object)."""
        prepared = self._driver_statements.get(statement)
        if prepared is None:
            prepared = DriverStatement(statement, self.dialect)
            self._driver_statements[statement] = prepared
        return prepared

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
        if not connection.invalidated and not connection.closed:
            _end_left_open(connection.connection)
        connection.close()


def _end_left_open(pooled: PoolProxiedConnection) -> None:
    """Roll back a transaction the driver still has open before its connection goes back.

    A pool may skip its rollback on return (the SQLite writer's does: every transaction ends
    itself), but a COMMIT that fails (a full disk) leaves SQLite's transaction open while Core
    counts it ended: returned so, the connection would hold the file's write lock and refuse
    every later BEGIN. Reading aiosqlite's flag costs no hand-off to its thread; asyncpg's
    connection has no such flag, and PostgreSQL's pool rolls back on return anyway.
    """
    if not pooled.is_valid or getattr(pooled.driver_connection, "in_transaction", None) is not True:
        return  # aiosqlite's property; asyncpg has none (its is_in_transaction is a method)
    try:
        pooled.rollback()
    except Exception:
        # The connection is not fit to use again: the pool drops it (and its transaction).
        pooled.invalidate()


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

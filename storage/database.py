"""Engines and transactions: one serialised writer, concurrent readers.

SQLite allows one writer at a time, and tasks that share an aiosqlite connection share its
transaction. So every write goes through one writer connection guarded by an `asyncio.Lock`,
inside `BEGIN IMMEDIATE` (the write lock is taken up front, so a transaction never fails half way
on a lock upgrade), while reads use a separate pool of read-only connections that WAL lets run
alongside the writer. On PostgreSQL one engine serves both, and the lock still keeps this
process's writes one at a time, so both databases behave the same.

On SQLite a write may also run whole on the writer connection's own thread (`write_direct`): its
statements, BEGIN IMMEDIATE and COMMIT in one hand-off instead of several per statement.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from storage.aio import AsyncEngine, DriverConnection, create_async_engine
from storage.changes import ChangeListener, Changes
from storage.repositories import Repositories
from storage.repositories.entries import DirectEntries
from storage.repositories.versions import publish_direct
from storage.tables import add_postgresql_options

log = logging.getLogger(__name__)

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
)
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
_T = TypeVar("_T")


class UnsupportedDatabaseError(ValueError):
    """The URL names a database this operation cannot work with."""


def normalise_url(url: str | URL) -> URL:
    """Parse a URL and pick the async driver when none is named (`sqlite:///x` → aiosqlite)."""
    parsed = make_url(url)
    if "+" not in parsed.drivername and parsed.drivername in _ASYNC_DRIVERS:
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[parsed.drivername])
    return parsed


def is_sqlite_memory(url: URL) -> bool:
    """Whether a SQLite URL names a private in-memory database."""
    database = url.database or ""
    return database in {"", ":memory:"} or url.query.get("mode") == "memory"


def prepare_sqlite_file(url: URL) -> None:
    """Create the folder of a SQLite database file if it is missing."""
    if url.get_backend_name() == "sqlite" and not is_sqlite_memory(url) and url.database:
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str | URL, *, writer: bool) -> AsyncEngine:
    """Create an async engine; for SQLite, with Daybook's PRAGMAs and explicit BEGINs."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        add_postgresql_options()  # the schema's PostgreSQL side, for DDL made on this engine
        engine = create_async_engine(parsed)
        _install_idle_ping(engine)
        return engine
    options: dict[str, Any] = {}
    if writer:
        # Every Core transaction ends itself (commit or rollback) before its connection goes
        # back, and so does every `write_direct` job: the pool's own rollback on return would
        # only add a hand-off to aiosqlite's thread to every write.
        options = {"pool_reset_on_return": None}
    if writer and not is_sqlite_memory(parsed):
        # The single writer connection: a pool of exactly one.
        options |= {"pool_size": 1, "max_overflow": 0}
    engine = create_async_engine(parsed, **options)
    _install_sqlite_hooks(engine, read_only=not writer)
    return engine


PING_AFTER_IDLE_S = 20.0
"""A pooled PostgreSQL connection idle this long is pinged before use (a restart may cut it)."""


def _install_idle_ping(engine: AsyncEngine) -> None:
    """Ping a pooled connection at checkout only when it sat idle for PING_AFTER_IDLE_S.

    SQLAlchemy's `pool_pre_ping` pings at every checkout, and asyncpg's ping is three round
    trips (BEGIN, an empty query, ROLLBACK): more than a record's own statements. A connection
    in steady use is not pinged; one that fails anyway (the server restarted within the idle
    time) is invalidated, with the rest of the pool, by the error of the statement that met it.
    """

    @sa.event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return  # just made, or in steady use
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # Any error, as pool_pre_ping does: the driver says whether the connection is gone.
            if engine.dialect.is_disconnect(cast("Any", error), dbapi_connection, None):
                # The pool drops this connection and checks out a fresh one.
                raise sa.exc.DisconnectionError(str(error)) from error
            raise


def _install_sqlite_hooks(engine: AsyncEngine, *, read_only: bool) -> None:
    """Set the PRAGMAs on each new connection and let SQLAlchemy emit BEGIN itself."""
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @sa.event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop pysqlite from issuing its own BEGIN (only before DML, never before SELECT or
        # DDL); the "begin" hook below emits one at the start of every transaction instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
            if read_only:
                cursor.execute("PRAGMA query_only=ON")
        finally:
            cursor.close()

    @sa.event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql(begin)


class Database:
    """Daybook's database: serialised write transactions and concurrent reads."""

    def __init__(self, url: URL, writer: AsyncEngine, reader: AsyncEngine) -> None:
        self.url = url
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._listeners: list[ChangeListener] = []
        sqlite = url.get_backend_name() == "sqlite"
        # A private in-memory SQLite database is one connection, so reads queue up too.
        self._reads_take_lock = sqlite and is_sqlite_memory(url)
        # SQLite readers are query_only connections already; PostgreSQL reads get a read-only
        # snapshot transaction (asyncpg honours READ ONLY only with a set isolation level).
        self._read_options: dict[str, Any] = (
            {} if sqlite else {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )

    @classmethod
    def create(cls, url: str | URL) -> Database:
        """Return the database at `url` without connecting: engines connect on first use."""
        parsed = normalise_url(url)
        if parsed.get_backend_name() == "sqlite":
            writer = create_engine(parsed, writer=True)
            reader = writer if is_sqlite_memory(parsed) else create_engine(parsed, writer=False)
        else:
            writer = reader = create_engine(parsed, writer=True)
        return cls(parsed, writer, reader)

    @classmethod
    async def open(cls, url: str | URL) -> Database:
        """Open the database at `url` (creating a SQLite file's folder) and check it answers."""
        database = cls.create(url)
        await database.connect()
        return database

    async def connect(self) -> None:
        """Create a SQLite file's folder if it is missing and check the database answers."""
        prepare_sqlite_file(self.url)
        try:
            async with self.read() as _:
                pass
        except BaseException:
            await self.close()
            raise
        log.info("opened database %s", self.url.render_as_string(hide_password=True))

    @property
    def dialect(self) -> str:
        """The database's dialect name: "sqlite" or "postgresql"."""
        return self._writer.dialect.name

    def add_listener(self, listener: ChangeListener) -> None:
        """Call `listener` with what each write transaction changed, after it commits."""
        self._listeners.append(listener)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Repositories]:
        """Run one write transaction: committed when the block ends, rolled back on error."""
        changes = Changes()
        async with self._write_lock:
            body_done = False
            try:
                async with self._writer.begin() as connection:
                    repos = Repositories.bound_to(connection, changes)
                    yield repos
                    if changes:
                        # Last, so the version rows are locked only for the commit; every
                        # process's caches read them (storage.repositories.versions).
                        await repos.versions.publish(changes)
                    body_done = True
            except asyncio.CancelledError as cancel:
                # A cancel that lands once the block is done waits for the commit to finish
                # (storage.aio) and is raised after it: the change is in, so listeners hear it,
                # unless the commit failed (storage.aio gives the cancel its failure as cause).
                if body_done and cancel.__cause__ is None:
                    self._tell_listeners(changes)
                raise
            self._tell_listeners(changes)

    @property
    def writes_direct(self) -> bool:
        """Whether `write_direct` can run (SQLite: the writer connection has its own thread)."""
        return self._writer.runs_on_driver_thread

    async def write_direct(self, job: Callable[[DirectEntries], _T]) -> _T:
        """Run one write transaction whole on the writer connection's thread, in one hand-off.

        The job runs synchronously there inside BEGIN IMMEDIATE: committed when it returns,
        rolled back when it raises. It runs to its end even if the caller is cancelled meanwhile
        (the cancel is raised after), and listeners hear what it changed once it has committed,
        as with `write`. Only where `writes_direct`.
        """
        changes = Changes()
        committed: list[bool] = []
        async with self._write_lock:
            try:
                return await self._writer.run_on_driver(
                    partial(_direct_transaction, job, changes, committed, self.dialect)
                )
            finally:
                if committed:
                    self._tell_listeners(changes)

    def _tell_listeners(self, changes: Changes) -> None:
        """Hand a committed transaction's changes to every listener."""
        if changes:
            for listener in self._listeners:
                listener(changes)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Repositories]:
        """Run one read transaction (a consistent snapshot) alongside the writer."""
        if self._reads_take_lock:
            async with self._write_lock, self._reader.begin() as connection:
                yield Repositories.bound_to(connection)
            return
        async with self._reader.connect() as pooled:
            connection = pooled
            if self._read_options:
                connection = await pooled.execution_options(**self._read_options)
            async with connection.begin():
                yield Repositories.bound_to(connection)

    async def close(self) -> None:
        """Close every connection."""
        await self._writer.dispose()
        if self._reader is not self._writer:
            await self._reader.dispose()


def _direct_transaction(
    job: Callable[[DirectEntries], _T],
    changes: Changes,
    committed: list[bool],
    dialect: str,
    connection: DriverConnection,
) -> _T:
    """Run `job` in a write transaction on the driver's thread; note in `committed` its commit."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        result = job(DirectEntries(connection, changes))
        if changes:
            publish_direct(connection, changes, dialect)  # as `write` does, last
        connection.commit()
    except BaseException:
        if connection.in_transaction:  # a COMMIT that failed leaves it open too
            connection.rollback()
        raise
    committed.append(True)
    return result

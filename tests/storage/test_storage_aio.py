"""storage.aio, Daybook's own async layer over SQLAlchemy Core: transactions, cancellation, results.

Run on SQLite and, through `.ci/postgres`, on PostgreSQL: a cancelled task's transaction must be
rolled back and its connection back in the pool, whichever driver is underneath.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import threading
from typing import Any

import pytest
import sqlalchemy as sa

from storage import Database, tables
from storage.aio import AsyncConnection, create_async_engine
from tests.storage.conftest import challenge_columns


async def _challenges(database) -> int:
    async with database.read() as repos:
        connection = repos.challenges._connection
        result = await connection.execute(sa.select(sa.func.count()).select_from(tables.challenges))
        return int(result.scalar_one())


def _checked_out(database) -> int:
    writer = database._writer.sync_engine.pool.checkedout()
    if database._reader is database._writer:
        return writer
    return writer + database._reader.sync_engine.pool.checkedout()


async def test_a_write_cancelled_mid_transaction_rolls_back_and_returns_its_connection(
    database, seed
):
    inside = asyncio.Event()
    never = asyncio.Event()

    async def writer() -> None:
        async with database.write() as repos:
            await repos.challenges.add(**challenge_columns("Cancelled"))
            inside.set()
            await never.wait()

    task = asyncio.create_task(writer())
    await inside.wait()
    assert _checked_out(database) == 1  # the writer's connection, mid-transaction
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert _checked_out(database) == 0
    assert not database._write_lock.locked()
    assert await _challenges(database) == 0
    # The writer (a pool of one on SQLite) is free again: the next write goes through.
    await seed.challenge("After")
    assert await _challenges(database) == 1


async def test_a_read_cancelled_mid_transaction_returns_its_connection(database, seed):
    await seed.challenge()
    inside = asyncio.Event()
    never = asyncio.Event()

    async def reader() -> None:
        async with database.read() as repos:
            await repos.challenges._connection.execute(sa.select(tables.challenges.c.id))
            inside.set()
            await never.wait()

    task = asyncio.create_task(reader())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _checked_out(database) == 0
    assert await _challenges(database) == 1


async def test_an_error_in_a_write_rolls_back_and_a_clean_one_commits(database, seed):
    async def failing_write() -> None:
        async with database.write() as repos:
            await repos.challenges.add(**challenge_columns("Failed"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await failing_write()
    assert await _challenges(database) == 0
    await seed.challenge("Kept")
    assert await _challenges(database) == 1
    assert _checked_out(database) == 0


async def test_results_are_buffered_and_outlive_their_connection(database, seed):
    first = await seed.challenge("First")
    second = await seed.challenge("Second")
    async with database.read() as repos:
        result = await repos.challenges._connection.execute(
            sa.select(tables.challenges.c.id, tables.challenges.c.name).order_by("id")
        )
    # Read after the connection went back to the pool: every row was fetched by execute.
    assert [tuple(row) for row in result.all()] == [
        (first.id, "First"),
        (second.id, "Second"),
    ]


async def test_run_sync_hands_over_the_transactions_synchronous_connection(database, seed):
    async with database.write() as repos:
        await repos.challenges.add(**challenge_columns("Seen"))
        connection = repos.challenges._connection

        def count(sync: sa.Connection) -> int:
            # The same transaction: the row written above, not yet committed, is visible.
            statement = sa.select(sa.func.count()).select_from(tables.challenges)
            return int(sync.execute(statement).scalar_one())

        assert await connection.run_sync(count) == 1


async def test_a_connection_used_before_it_is_started_says_so(database):
    connection = AsyncConnection(database._writer)
    assert connection.closed
    with pytest.raises(sa.exc.InvalidRequestError, match="not started"):
        await connection.execute(sa.select(1))


async def test_an_engine_for_a_synchronous_driver_is_refused():
    with pytest.raises(sa.exc.InvalidRequestError, match="requires an async driver"):
        create_async_engine("sqlite+pysqlite://")


@pytest.mark.sqlite_only
async def test_a_write_cancelled_mid_statement_releases_the_write_lock(database, seed):
    # Cancelled while its statement runs in aiosqlite's thread, the write must still roll back:
    # a statement abandoned half way made SQLAlchemy invalidate the connection, whose close
    # aiosqlite deferred (the cursor's statement unfinalised), so the file's write lock stayed
    # held by a zombie connection until a garbage collection; every later write timed out.
    started = asyncio.Event()
    release = threading.Event()
    loop = asyncio.get_running_loop()

    def block() -> int:
        loop.call_soon_threadsafe(started.set)
        release.wait(10)
        return 1

    async def writer() -> None:
        async with database.write() as repos:
            connection = repos.challenges._connection
            raw = await connection.get_raw_connection()
            await raw.driver_connection.create_function("r1_block", 0, block)
            await repos.challenges.add(**challenge_columns("Cancelled"))
            await connection.execute(sa.text("SELECT r1_block()"))

    task = asyncio.create_task(writer())
    await started.wait()
    task.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task

    # Another process can take the write lock at once (no waiting on a busy timeout).
    other = sqlite3.connect(database.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert _checked_out(database) == 0
    assert await _challenges(database) == 0
    await seed.challenge("After")
    assert await _challenges(database) == 1


async def test_a_write_cancelled_while_it_commits_still_tells_its_listeners(database, seed):
    # The commit runs to its end when the task is cancelled meanwhile, so the change is in the
    # database: the listeners (the walk cache's invalidation) must hear of it, or boards stay
    # stale for members whose posts were committed.
    challenge = await seed.challenge()
    heard: list[set[int]] = []
    database.add_listener(lambda changes: heard.append(set(changes.challenges)))
    committing = asyncio.Event()
    release = asyncio.Event()

    def hold_commit(_connection: Any) -> None:
        committing.set()
        sa.util.await_(release.wait())

    sa.event.listen(database._writer.sync_engine, "commit", hold_commit)

    async def writer() -> None:
        async with database.write() as repos:
            await repos.challenges.update(dataclasses.replace(challenge, name="Renamed"))

    task = asyncio.create_task(writer())
    await asyncio.wait_for(committing.wait(), 10)
    task.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    sa.event.remove(database._writer.sync_engine, "commit", hold_commit)

    async with database.read() as repos:
        assert (await repos.challenges.get(challenge.id)).name == "Renamed"
    assert heard == [{challenge.id}]


async def test_connections_in_use_when_the_database_closes_are_closed_when_done(database_url):
    # A transaction still running at close() finishes, and its connection is then closed, not
    # returned to the pool close() replaced (which kept it, and a thread, open until collected).
    db = await Database.open(database_url)
    inside = asyncio.Event()
    go = asyncio.Event()
    drivers: list[Any] = []

    async def reader() -> None:
        async with db.read() as repos:
            raw = await repos.challenges._connection.get_raw_connection()
            drivers.append(raw.driver_connection)
            inside.set()
            await go.wait()
            await repos.challenges._connection.execute(sa.select(1))

    task = asyncio.create_task(reader())
    await inside.wait()
    await db.close()
    go.set()
    await task
    (driver,) = drivers
    if db.dialect == "sqlite":
        assert driver._connection is None  # aiosqlite closed it
    else:
        assert driver.is_closed()

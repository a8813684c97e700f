"""PostgreSQL connections are pinged at checkout only after sitting idle.

asyncpg's ping is three round trips (BEGIN, an empty query, ROLLBACK); pinging at every checkout
(`pool_pre_ping`) cost a record more round trips than its own statements. A connection in steady
use goes out unpinged; one idle for `PING_AFTER_IDLE_S` is pinged, and replaced if it is gone.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
import sqlalchemy as sa

import storage.database
from storage import Database
from tests._postgres import POSTGRES_URL

pytestmark = pytest.mark.postgres_only


async def logged_queries(db: Database) -> list[str]:
    """Start logging every query the pooled connection's driver sends."""
    sent: list[str] = []
    async with db._writer.connect() as connection:
        pooled = await connection.get_raw_connection()
        pooled.driver_connection.add_query_logger(lambda record: sent.append(record.query))
    return sent


async def one_read(db: Database) -> int:
    async with db.read() as repos:
        return int((await repos.challenges._connection.execute(sa.select(7))).scalar_one())


async def test_a_connection_in_steady_use_is_not_pinged(database: Database) -> None:
    sent = await logged_queries(database)
    for _ in range(3):
        assert await one_read(database) == 7
    assert ";" not in sent  # asyncpg's ping is an empty query
    assert sent  # the reads themselves were logged: the logger watches the right connection


async def test_an_idle_connection_is_pinged_and_replaced_if_it_is_gone(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = await logged_queries(database)
    monkeypatch.setattr(storage.database, "PING_AFTER_IDLE_S", 0.0)  # every checkout is "idle"
    assert await one_read(database) == 7
    assert ";" in sent

    # The server ends the pooled connection while it sits idle: the ping finds it gone and the
    # pool hands out a fresh one, so the next transaction does not fail.
    async with database._writer.connect() as connection:
        pooled = await connection.get_raw_connection()
        driver: Any = pooled.driver_connection
        pid = driver.get_server_pid()
    assert POSTGRES_URL is not None
    other = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg", "postgresql"))
    try:
        assert await other.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await other.close()
    assert await one_read(database) == 7
    async with database._writer.connect() as connection:
        pooled = await connection.get_raw_connection()
        fresh: Any = pooled.driver_connection
        assert fresh.get_server_pid() != pid

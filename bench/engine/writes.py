"""Writes: entries recorded through the service, and the same rows inserted as a baseline."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.engine.report import WriteRates
from bench.server import Member, Post, entry_row, raw_writer
from bench.world import GUILD_ID, NOW
from bot.services import Services
from storage import Database, tables


async def max_entry_id(db: Database) -> int:
    """Return the highest entry id."""
    async with db.read() as repos:
        statement = sa.select(sa.func.max(tables.entries.c.id))
        return int((await repos.entries._connection.execute(statement)).scalar_one())


async def drop_entries_after(db: Database, mark: int) -> None:
    """Delete the rows a baseline inserted, so the server is as built again."""
    async with raw_writer(db) as connection:
        await connection.execute(tables.entries.delete().where(tables.entries.c.id > mark))


async def stack_inserts(db: Database, rows: list[dict[str, Any]]) -> tuple[float, float]:
    """Insert each row in its own committed transaction through Database.write().

    Returns (wall seconds, main-thread CPU seconds). The rows are deleted again afterwards
    (untimed), so the server stays as built.
    """
    mark = await max_entry_id(db)
    insert = tables.entries.insert()
    started, cpu = time.perf_counter(), time.thread_time()
    for row in rows:
        async with raw_writer(db) as connection:
            await connection.execute(insert, row)
    elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
    await drop_entries_after(db, mark)
    return elapsed, cpu


def sqlite3_baseline(path: Path, rows: list[dict[str, Any]]) -> float:
    """Insert each row in its own committed transaction with the stdlib driver; rows/s."""
    columns = list(rows[0])
    placeholders = ", ".join("?" * len(columns))
    sql = f"INSERT INTO entries ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA busy_timeout=5000",
            "PRAGMA foreign_keys=ON",
        ):
            connection.execute(pragma)
        (mark,) = connection.execute("SELECT max(id) FROM entries").fetchone()
        values = [tuple(sqlite_value(row[column]) for column in columns) for row in rows]
        started = time.perf_counter()
        for params in values:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(sql, params)
            connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        connection.execute("DELETE FROM entries WHERE id > ?", (mark,))
    finally:
        connection.close()
    return len(rows) / elapsed


def sqlite_value(value: Any) -> Any:
    """Convert a Python value to what SQLAlchemy's SQLite dialect stores."""
    if hasattr(value, "hour"):  # a datetime: naive UTC text, as UTCDateTime stores it
        naive = value.astimezone(UTC).replace(tzinfo=None)
        return naive.isoformat(sep=" ", timespec="microseconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


async def service_records(
    services: Services, members: list[Member], texts: list[Post]
) -> tuple[float, float]:
    """Record one post per member through EntryService.record, one after another.

    Returns (wall seconds, main-thread CPU seconds).
    """
    started, cpu = time.perf_counter(), time.thread_time()
    for member, post in zip(members, texts, strict=True):
        await services.entries.record(
            guild_id=GUILD_ID, user_id=member.user_id, text=post.text, minutes=post.minutes, at=NOW
        )
    return time.perf_counter() - started, time.thread_time() - cpu


async def interleaved_writes(
    db: Database,
    services: Services,
    challenge_id: int,
    members: list[Member],
    texts: list[Post],
    blocks: int,
) -> WriteRates:
    """Alternate blocks of service records and baseline inserts of the same rows (ABBA order).

    Both sides see the same machine: on a shared, noisy host a baseline taken minutes apart
    from the records can be off by a factor of two.
    """
    size = -(-len(members) // blocks)
    record = baseline = (0.0, 0.0)
    for block in range(blocks):
        chunk = slice(block * size, (block + 1) * size)
        who, what = members[chunk], texts[chunk]
        rows = [entry_row(challenge_id, m, p) for m, p in zip(who, what, strict=True)]
        if block % 2:
            baseline = add(baseline, await stack_inserts(db, rows))
            record = add(record, await service_records(services, who, what))
        else:
            record = add(record, await service_records(services, who, what))
            baseline = add(baseline, await stack_inserts(db, rows))
    count = len(members)
    return WriteRates(
        records=count / record[0],
        baseline=count / baseline[0],
        record_cpu_ms=record[1] * 1000 / count,
        baseline_cpu_ms=baseline[1] * 1000 / count,
    )


def add(total: tuple[float, float], more: tuple[float, float]) -> tuple[float, float]:
    """Add two (wall, CPU) pairs."""
    return total[0] + more[0], total[1] + more[1]

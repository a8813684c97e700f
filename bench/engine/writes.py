"""Writes: entries recorded through the service, and the same rows inserted as a baseline."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from bench.backend import ZERO, RawDriver, Timing
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


async def stack_inserts(db: Database, rows: list[dict[str, Any]]) -> Timing:
    """Insert each row in its own committed transaction through Database.write().

    The rows are deleted again afterwards (untimed), so the server stays as built.
    """
    mark = await max_entry_id(db)
    insert = tables.entries.insert()
    started, cpu = time.perf_counter(), time.thread_time()
    for row in rows:
        async with raw_writer(db) as connection:
            await connection.execute(insert, row)
    timing = Timing(time.perf_counter() - started, time.thread_time() - cpu)
    await drop_entries_after(db, mark)
    return timing


async def service_records(services: Services, members: list[Member], texts: list[Post]) -> Timing:
    """Record one post per member through EntryService.record, one after another."""
    started, cpu = time.perf_counter(), time.thread_time()
    for member, post in zip(members, texts, strict=True):
        await services.entries.record(
            guild_id=GUILD_ID, user_id=member.user_id, text=post.text, minutes=post.minutes, at=NOW
        )
    return Timing(time.perf_counter() - started, time.thread_time() - cpu)


async def interleaved_writes(
    db: Database,
    services: Services,
    raw: RawDriver,
    challenge_id: int,
    members: list[Member],
    texts: list[Post],
    blocks: int,
) -> WriteRates:
    """Alternate blocks of records, stack inserts and raw-driver inserts of the same rows.

    The order turns round every block (record, stack, raw; then raw, stack, record: ABBA), so
    all three sides see the same machine: on a shared, noisy host a baseline taken minutes
    apart from the records can be off by a factor of two.
    """
    size = -(-len(members) // blocks)
    record = baseline = driver = ZERO
    for block in range(blocks):
        chunk = slice(block * size, (block + 1) * size)
        who, what = members[chunk], texts[chunk]
        if not who:
            break
        rows = [entry_row(challenge_id, m, p) for m, p in zip(who, what, strict=True)]
        for side in ("record", "stack", "raw")[:: -1 if block % 2 else 1]:
            if side == "record":
                record += await service_records(services, who, what)
            elif side == "stack":
                baseline += await stack_inserts(db, rows)
            else:
                driver += await raw.insert_each(rows)
    count = len(members)
    return WriteRates(
        records=count / record.wall,
        baseline=count / baseline.wall,
        raw=count / driver.wall,
        record_cpu_ms=record.cpu * 1000 / count,
        baseline_cpu_ms=baseline.cpu * 1000 / count,
    )

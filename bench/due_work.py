"""`./run python -m bench.due_work`: the minute's reads that find due work, with many servers.

Measures a steady-state minute (today's checkpoint refreshes done, last week's digests posted):
what the tick reads to learn that nothing is due, for every server in one process and for a
process running 1 of 4 shards. Baseline, in the same run: the per-challenge loop the checkpoint
refresh and the digests used before ownership (every active challenge, one ledger read each).
Ratios to that baseline; SQLite in a scratch file, or `--url` for PostgreSQL (a scratch database:
its public schema is emptied).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.report import say
from bot.domain import calendar, schedule
from bot.domain.schedule import DigestAction
from bot.services import Services
from bot.services.digests import DIGEST, digest_target
from bot.services.progress import CHECKPOINT_KIND
from bot.services.settings_input import ChallengeSettingsInput
from storage import Database, SendStatus, migrate, tables
from storage.shards import Shards

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday: last week's digests are past
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
SHARDS = 4
TITLES = ("the minute's read", "best time", "ratio", "found")


async def build(db: Database, servers: int) -> None:
    """`servers` servers of one challenge each, with today's refresh and last week's digest done."""
    services = Services.build(db)
    rng = random.Random(15)  # noqa: S311 - a fixed spread of server ids, not a secret
    first = await services.challenges.create(
        guild_id=rng.getrandbits(60),
        settings=ChallengeSettingsInput(name="Club", timezone="UTC", digest_day="Sunday"),
        now=NOW - timedelta(days=30),
    )
    async with db.write() as repos:
        connection = repos.challenges._connection  # a bench borrows the transaction's connection
        row = (
            (
                await connection.execute(
                    sa.select(tables.challenges).where(tables.challenges.c.id == first.id)
                )
            )
            .one()
            ._asdict()
        )
        row.pop("id")
        rows = []
        for n in range(servers - 1):
            rows.append(
                row
                | {
                    "guild_id": rng.getrandbits(60),
                    "timezone": ZONES[n % len(ZONES)],
                    "digest_weekday": n % 7,
                }
            )
        await connection.execute(tables.challenges.insert(), rows)
    async with db.read() as repos:
        everyone = await repos.challenges.all_active()
    period = NOW.date().isoformat()
    async with db.write() as repos:
        for challenge in everyone:
            target = f"challenge:{challenge.id}"
            await repos.sends.claim(CHECKPOINT_KIND, target, period, NOW)
            await repos.sends.mark_sent(CHECKPOINT_KIND, target, period, NOW)
            tz = calendar.known_zone(challenge.timezone)
            assert tz is not None
            for slot in schedule.digest_slots(
                NOW, challenge.digest_weekday, challenge.digest_time, tz
            ):
                if slot.action(NOW) is not DigestAction.WAIT:
                    await repos.sends.claim(DIGEST, digest_target(challenge.id), slot.week, NOW)
                    await repos.sends.mark_sent(DIGEST, digest_target(challenge.id), slot.week, NOW)


async def old_refresh_read(db: Database) -> int:
    """The checkpoint refresh's read before: every active challenge, one ledger read each."""
    period = NOW.date().isoformat()
    due = 0
    async with db.read() as repos:
        for challenge in await repos.challenges.all_active():
            status = await repos.sends.status(CHECKPOINT_KIND, f"challenge:{challenge.id}", period)
            due += status is not SendStatus.SENT
    return due


async def old_digest_read(db: Database) -> int:
    """The digests' read before: every active challenge's slots, one ledger read per past slot."""
    due = 0
    async with db.read() as repos:
        for challenge in await repos.challenges.all_active():
            tz = calendar.known_zone(challenge.timezone)
            assert tz is not None
            for slot in schedule.digest_slots(
                NOW, challenge.digest_weekday, challenge.digest_time, tz
            ):
                if slot.action(NOW) is DigestAction.WAIT:
                    continue
                status = await repos.sends.status(DIGEST, digest_target(challenge.id), slot.week)
                due += status in (None, SendStatus.FAILED)
    return due


async def best(job: Callable[[], Awaitable[int]], runs: int) -> tuple[float, int]:
    """Return the fastest of `runs` runs (seconds) and what the job found."""
    times = []
    found = 0
    for _ in range(runs):
        start = time.perf_counter()
        found = await job()
        times.append(time.perf_counter() - start)
    return min(times), found


async def main(url: str | None, servers: int, runs: int) -> None:
    """Build, measure, print the table."""
    with tempfile.TemporaryDirectory() as scratch:
        if url is None:
            url = f"sqlite+aiosqlite:///{Path(scratch) / 'due.db'}"
        else:
            from tests._postgres import empty_postgres

            await empty_postgres(url)
        await migrate(url)
        db = await Database.open(url)
        try:
            say(f"building {servers} servers ...")
            await build(db, servers)
            every = Services.build(db)
            quarter = Services.build(db, shards=Shards.of(SHARDS, [0]))
            refresh_base, refresh_due = await best(lambda: old_refresh_read(db), runs)
            digest_base, digest_due = await best(lambda: old_digest_read(db), runs)
            measured = {
                "refresh: before (per-challenge reads)": (refresh_base, refresh_base, refresh_due),
                "refresh: every shard, one read": (
                    *(await best(lambda: every.progress.refresh_due_checkpoints(now=NOW), runs)),
                ),
                "refresh: 1 of 4 shards, one read": (
                    *(await best(lambda: quarter.progress.refresh_due_checkpoints(now=NOW), runs)),
                ),
                "digests: before (per-challenge reads)": (digest_base, digest_base, digest_due),
                "digests: every shard, per schedule": (
                    *(await best(lambda: _count(every.digests.due(NOW)), runs)),
                ),
                "digests: 1 of 4 shards, per schedule": (
                    *(await best(lambda: _count(quarter.digests.due(NOW)), runs)),
                ),
            }
        finally:
            await db.close()
    rows = []
    for name, values in measured.items():
        if len(values) == 3:
            seconds, base, found = values
        else:
            seconds, found = values
            base = refresh_base if name.startswith("refresh") else digest_base
        rows.append((name, f"{seconds * 1000:.1f} ms", f"{seconds / base:.3f}x", f"{found} due"))
    backend = url.split(":", 1)[0]
    print(f"{servers} servers, {backend}, best of {runs} (ratios to the 'before' row of each job)")
    widths = [max(len(row[i]) for row in [TITLES, *rows]) for i in range(4)]
    for row in [TITLES, *rows]:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


async def _count(found: Awaitable[list[object]]) -> int:
    return len(await found)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", default=None, help="a scratch PostgreSQL database")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.url, arguments.servers, arguments.runs))

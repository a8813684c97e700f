"""A synthetic Daybook server: N members, one year of entries with realistic gaps.

Used by `bench.engine`, `bench.scheduled` and `bench.interactions`; also runnable on its own to
build (or check) a database file:

    ./run python -m bench.synthetic --db data/bench/server-10000.db --members 10000
    ./run python -m bench.synthetic --database-url postgresql+asyncpg://.../daybook_bench_x

Everything is deterministic for a given seed and member count. The schema comes from
`storage.migrate` and the challenge from `ChallengeService.create`; participants and entries are
bulk-inserted with SQLAlchemy Core `executemany` on `storage.tables` in large transactions, in
the order a real server would have written them (by time), so row ids, the message-id index and
the physical layout of the entries table look like a year of real use. SQLite is built through
a sync pysqlite engine; PostgreSQL (no sync driver is installed) through `Database.write()`.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import random
import resource
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.population import (
    EntryMaker,
    Member,
    make_members,
    member_settings_rows,
    participant_rows,
)
from bench.world import CHALLENGE_NAME, GUILD_ID, PRESET, TODAY, YEAR_START, sqlite_url
from bot.services import Services
from bot.services.settings_input import ChallengeSettingsInput
from storage import Database, migrate, tables

BUILD_VERSION = 1
"""Bump whenever the generator changes, so cached databases are rebuilt."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build made and how long it took."""

    members: int
    entries: int
    seconds: float
    peak_rss_mb: float
    file_mb: float


async def create_schema(url: str) -> int:
    """Migrate a new database and create the challenge through the service layer; return its id."""
    await migrate(url)
    db = await Database.open(url)
    try:
        services = Services.build(db)
        challenge = await services.challenges.create(
            guild_id=GUILD_ID,
            settings=ChallengeSettingsInput(name=CHALLENGE_NAME, preset=PRESET, timezone="UTC"),
            now=datetime.combine(YEAR_START, datetime.min.time(), tzinfo=UTC) - timedelta(days=1),
        )
    finally:
        await db.close()
    return challenge.id


def build(path: Path, members: int, seed: int, *, log: bool = True) -> BuildResult:
    """Build the synthetic server into a new SQLite file at `path`."""
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    challenge_id = asyncio.run(create_schema(sqlite_url(path)))
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    people = make_members(rng, members, (TODAY - YEAR_START).days)
    maker = EntryMaker(rng, challenge_id, people)
    engine = sa.create_engine(sqlite_url(path, "pysqlite"))

    @sa.event.listens_for(engine, "connect")
    def _bulk_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")  # 400 MB: the indexes stay in memory
        cursor.close()

    total = 0
    try:
        with engine.begin() as connection:
            connection.execute(tables.participants.insert(), participant_rows(challenge_id, people))
            if hidden := member_settings_rows(people):
                connection.execute(tables.member_settings.insert(), hidden)
            connection.execute(tables.participant_zones.insert(), zone_rows(challenge_id, people))
        month: list[dict[str, Any]] = []
        for day in range(maker.days):
            month.extend(maker.day_rows(day))
            if len(month) >= 60_000 or day == maker.days - 1:
                with engine.begin() as connection:
                    connection.execute(tables.entries.insert(), month)
                total += len(month)
                month = []
                if log:
                    print(f"  built {total:,} entries (through day {day + 1})", file=sys.stderr)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return BuildResult(
        members=members,
        entries=total,
        seconds=time.perf_counter() - started,
        peak_rss_mb=peak,
        file_mb=path.stat().st_size / 2**20,
    )


async def build_postgres(url: str, members: int, seed: int) -> BuildResult:
    """Build the synthetic server into an empty PostgreSQL database."""
    started = time.perf_counter()
    challenge_id = await create_schema(url)
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    people = make_members(rng, members, (TODAY - YEAR_START).days)
    maker = EntryMaker(rng, challenge_id, people)
    db = await Database.open(url)
    total = 0
    try:
        async with db.write() as repos:
            # Bulk set-up outside the layer rules: the transaction's own connection.
            connection = repos.entries._connection
            await connection.execute(
                tables.participants.insert(), participant_rows(challenge_id, people)
            )
            if hidden := member_settings_rows(people):
                await connection.execute(tables.member_settings.insert(), hidden)
            await connection.execute(
                tables.participant_zones.insert(), zone_rows(challenge_id, people)
            )
            # The ids above were given, so the sequence must move past them for later joins.
            await connection.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('participants', 'id'), "
                    "(SELECT max(id) FROM participants))"
                )
            )
        month: list[dict[str, Any]] = []
        for day in range(maker.days):
            month.extend(maker.day_rows(day))
            if len(month) >= 60_000 or day == maker.days - 1:
                async with db.write() as repos:
                    await repos.entries._connection.execute(tables.entries.insert(), month)
                total += len(month)
                month = []
                print(f"  built {total:,} entries (through day {day + 1})", file=sys.stderr)
        async with db.write() as repos:
            await repos.entries._connection.execute(sa.text("ANALYZE"))
    finally:
        await db.close()
    return BuildResult(
        members=members,
        entries=total,
        seconds=time.perf_counter() - started,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        file_mb=0.0,
    )


def zone_rows(challenge_id: int, people: list[Member]) -> list[dict[str, Any]]:
    """Return each participant's zone history: one zone since joining."""
    return [
        {
            "participant_id": row["id"],
            "timezone": row["timezone"],
            "effective_from": row["joined_at"],
        }
        for row in participant_rows(challenge_id, people)
    ]


def main() -> None:
    """Build a synthetic server database (a SQLite file or a PostgreSQL database)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="SQLite file to (re)build")
    where.add_argument(
        "--database-url", help="SQLite file URL, or an empty PostgreSQL database's URL"
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=100)
    args = parser.parse_args()
    url = sa.make_url(args.database_url) if args.database_url else None
    if url is None or url.get_backend_name() == "sqlite":
        path = args.db if url is None else Path(url.database or "")
        result = build(path, args.members, args.seed)
    else:
        result = asyncio.run(build_postgres(str(args.database_url), args.members, args.seed))
    print(json.dumps(dataclasses.asdict(result)))


if __name__ == "__main__":
    main()

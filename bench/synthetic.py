"""A synthetic Daybook server: N members, one year of entries with realistic gaps.

Used by `bench.engine`, `bench.scheduled` and `bench.interactions`; also runnable on its own to
build (or check) a database file:

    ./run python -m bench.synthetic --db data/bench/server-10000.db --members 10000
    ./run python -m bench.synthetic --database-url postgresql+asyncpg://.../daybook_bench_x

Everything is deterministic for a given seed and member count, and both backends get the same
rows. The schema comes from `storage.migrate` and the challenge from `ChallengeService.create`;
participants and entries are written in the order a real server would have written them (by
time), so row ids, the message-id index and the physical layout of the entries table look like
a year of real use. SQLite is built through a sync pysqlite engine with SQLAlchemy Core
`executemany` in large transactions; PostgreSQL by asyncpg's binary COPY into a bare entries
table, its indexes and constraints restored after the load (`build_postgres`).

For PostgreSQL at 100,000 members use a persistent cluster (`bench/pgcluster.sh start`), so the
22.5M-entry server is built once and reused by later runs.
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
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
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


ENTRY_COLUMNS = ("id", *tables.NEW_ENTRY_COLUMNS)
"""The entries columns PostgreSQL's build copies: ids given, 1..N in posting order (as SQLite's)."""

COPY_ROWS = 500_000
"""Entries per COPY (and transaction): a progress line each, and a bounded transaction."""


def pg_value(value: Any) -> Any:
    """Return a row value as asyncpg's COPY takes it: datetimes as naive UTC (as UTCDateTime)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def pg_dsn(url: str) -> str:
    """Return asyncpg's DSN for a SQLAlchemy PostgreSQL URL."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def copy_rows(connection: asyncpg.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """COPY a list of row dicts (all with the same keys) into a table."""
    if rows:
        columns = list(rows[0])
        records = [tuple(pg_value(row[column]) for column in columns) for row in rows]
        await connection.copy_records_to_table(table, records=records, columns=columns)


async def set_sequence(connection: asyncpg.Connection, table: str) -> None:
    """Move a table's id sequence past the ids the build gave, as inserts would have."""
    await connection.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our own names
        f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
    )


async def drop_entry_indexes(connection: asyncpg.Connection) -> list[str]:
    """Drop the entries table's secondary indexes, unique and foreign keys; return their DDL.

    A bulk load is faster into a bare table with the indexes built once afterwards (and the
    foreign keys checked by one join rather than a lookup per row). The DDL is read back from
    the catalog, so what is restored is exactly what the migrations made.
    """
    constraints = await connection.fetch(
        "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint "
        "WHERE conrelid = 'entries'::regclass AND contype IN ('u', 'f') ORDER BY conname"
    )
    indexes = await connection.fetch(
        "SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition "
        "FROM pg_index WHERE indrelid = 'entries'::regclass AND NOT indisprimary "
        "AND indexrelid NOT IN (SELECT conindid FROM pg_constraint "
        "WHERE conrelid = 'entries'::regclass) ORDER BY 1"
    )
    restore = []
    for row in constraints:
        await connection.execute(f'ALTER TABLE entries DROP CONSTRAINT "{row["conname"]}"')
        restore.append(f'ALTER TABLE entries ADD CONSTRAINT "{row["conname"]}" {row["definition"]}')
    for row in indexes:
        await connection.execute(f"DROP INDEX {row['name']}")
        restore.append(row["definition"])
    return restore


async def build_postgres(url: str, members: int, seed: int, *, log: bool = True) -> BuildResult:
    """Build the synthetic server into an empty PostgreSQL database, by COPY.

    The same rows as `build` (same generator, same order, entries' ids 1..N as SQLite gives
    them), copied with asyncpg's binary COPY into a bare entries table whose indexes and
    constraints are restored after the load; then VACUUM ANALYZE, so plans and index-only
    scans see a settled table as a long-running server's autovacuum would leave it.
    """
    started = time.perf_counter()
    challenge_id = await create_schema(url)
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    people = make_members(rng, members, (TODAY - YEAR_START).days)
    maker = EntryMaker(rng, challenge_id, people)
    connection = await asyncpg.connect(pg_dsn(url))
    total = 0
    try:
        async with connection.transaction():
            await copy_rows(connection, "participants", participant_rows(challenge_id, people))
            await copy_rows(connection, "member_settings", member_settings_rows(people))
            await copy_rows(connection, "participant_zones", zone_rows(challenge_id, people))
            # The ids above were given, so the sequence must move past them for later inserts.
            await set_sequence(connection, "participants")
            restore = await drop_entry_indexes(connection)
        next_day = 0

        async def records(first_day: int) -> AsyncIterator[tuple[Any, ...]]:
            # Made while the server stores the rows already sent: the two run side by side.
            nonlocal total, next_day
            count = 0
            for day in range(first_day, maker.days):
                for row in maker.day_rows(day):
                    total += 1
                    count += 1
                    row["id"] = total
                    yield tuple(pg_value(row[column]) for column in ENTRY_COLUMNS)
                next_day = day + 1
                if count >= COPY_ROWS:
                    return

        while next_day < maker.days:
            async with connection.transaction():
                await connection.copy_records_to_table(
                    "entries", records=records(next_day), columns=ENTRY_COLUMNS
                )
            if log:
                print(f"  copied {total:,} entries (through day {next_day})", file=sys.stderr)
        async with connection.transaction():
            for statement in restore:
                await connection.execute(statement)
            await set_sequence(connection, "entries")
        if log:
            print(f"  indexes and constraints restored ({len(restore)})", file=sys.stderr)
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
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

"""A synthetic fleet: many small servers on PostgreSQL, for the multi-process bench.

    ./run python -m bench.fleet --database-url "$(bench/pgcluster.sh url)"   # 1,000 x 100, kept

Where `bench.synthetic` builds one large server, this builds `servers` small ones (1,000 servers
of 100 members by default): each its own challenge (made with `ChallengeService.create`, a
progress channel, its own zone, a third of them with "day ends soon" nudges), its server id a
snowflake spread evenly over `SHARD_COUNT` shards. Members are `bench.population`'s (joins,
habits, zones; 70% in their server's zone), 60% with reminders on at the local times people
pick (evenings mostly, on the hour or half hour), two thirds by DM. Their posts are
`bench.population.EntryMaker`'s over the last `days` days before "now" (`bench.world.NOW`),
today's up to "now", every server's rows interleaved in posting order. The send ledger holds
what a running bot would have sent before "now": every reminder and nudge whose moment has
passed today, so at "now" the tick finds only that minute's wave. Rows go in by asyncpg's COPY
(`bench.synthetic.build_postgres`'s helpers), then every challenge's checkpoints are refreshed
through the service, as the scheduler's daily refresh leaves them.

The fleet is built into its own database on the cluster, `daybook_bench_servers_<servers>x
<members>_v<FLEET_VERSION>`, once; every later run copies it by template (`ensure_fleet`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg  # type: ignore[import-untyped]
import sqlalchemy as sa

from bench.population import EntryMaker, Member, make_members, utc_offsets
from bench.posts import post_pool
from bench.synthetic import (
    ENTRY_COLUMNS,
    copy_rows,
    drop_entry_indexes,
    pg_dsn,
    pg_value,
    set_sequence,
)
from bench.world import DISCORD_EPOCH_MS, NOW, TODAY, YEAR_START, ZONES
from bot.domain import schedule
from bot.services import Services
from bot.services.reminders import NUDGE, REMINDER
from bot.services.settings_input import ChallengeSettingsInput
from storage import Database, migrate
from storage.shards import SHARD_SHIFT

FLEET_VERSION = 1
"""Bump whenever the generator changes, so a kept fleet is rebuilt."""
SHARD_COUNT = 4
"""The servers' ids are spread evenly over this many shards (and so over 2 and 1)."""
SERVERS, MEMBERS, DAYS = 1_000, 100, 28
SEED = 100
PRESETS = ("100-days-of-ml-code", "100-days-of-code", "66-days-of-data")
REMINDER_SHARE = 0.6
DM_SHARE = 2 / 3
HOME_ZONE_SHARE = 0.7
NUDGE_SHARE = 1 / 3
REMINDER_TIMES: tuple[tuple[str, float], ...] = (
    ("07:00", 4),
    ("07:30", 3),
    ("08:00", 5),
    ("09:00", 3),
    ("12:00", 4),
    ("12:30", 2),
    ("13:00", 2),
    ("17:00", 3),
    ("18:00", 6),
    ("18:30", 3),
    ("19:00", 8),
    ("19:30", 4),
    ("20:00", 12),
    ("20:30", 6),
    ("21:00", 10),
    ("21:30", 4),
    ("22:00", 6),
    ("19:45", 1),
    ("20:15", 1),
    ("21:10", 1),
)
"""Local reminder times and their weights: evenings mostly, on the hour or the half hour."""
CHANNEL_BASE = 990_000_000_000_000_000


def fleet_database(servers: int, members: int) -> str:
    """Return the name of the kept fleet database on the bench cluster."""
    return f"daybook_bench_servers_{servers}x{members}_v{FLEET_VERSION}"


@dataclass(frozen=True, slots=True)
class Server:
    """One synthetic server: its id, challenge, channel, zone and members."""

    guild_id: int
    challenge_id: int
    channel_id: int
    zone: str
    nudges: bool
    members: list[Member]


def guild_ids(rng: random.Random, count: int) -> list[int]:
    """Return server ids: snowflakes whose shard of SHARD_COUNT is i % SHARD_COUNT."""
    ids = []
    for index in range(count):
        millis = rng.randrange(10**10, 10**11) * SHARD_COUNT + index % SHARD_COUNT
        ids.append((millis << SHARD_SHIFT) | rng.randrange(1 << SHARD_SHIFT))
    return ids


class ServerMaker(EntryMaker):
    """`EntryMaker` for one server of the fleet: a shared post pool and zone offsets."""

    def __init__(
        self,
        rng: random.Random,
        server: Server,
        pool: list[Any],
        offsets: dict[str, list[timedelta]],
    ) -> None:
        self.rng = rng
        self.challenge_id = server.challenge_id
        self.members = server.members
        self.days = (TODAY - YEAR_START).days + 1
        self.pool = pool
        self.offsets = offsets
        # Indexed by the member's (fleet-wide) index, as EntryMaker reads it.
        self.active = {member.index: True for member in server.members}  # type: ignore[assignment]
        self.message_seq = 0
        self.channel_id = server.channel_id

    def rows(self, day: int) -> list[dict[str, Any]]:
        """Return the server's entries of day index `day` posted before "now"."""
        rows = [row for row in self.day_rows(day) if row["created_at"] < NOW]
        for row in rows:
            if row["source"] == "channel":
                row["channel_id"] = self.channel_id
        return rows


def reminder_time(rng: random.Random) -> str:
    """Return a local reminder time as people pick them."""
    names = [name for name, _ in REMINDER_TIMES]
    weights = [weight for _, weight in REMINDER_TIMES]
    return rng.choices(names, weights)[0]


def participant_rows(servers: list[Server], rng: random.Random) -> list[dict[str, Any]]:
    """Return every server's participants (ids are the members' fleet-wide index + 1)."""
    rows = []
    for server in servers:
        for member in server.members:
            start = YEAR_START + timedelta(days=member.join)
            reminded = rng.random() < REMINDER_SHARE
            mode = ("dm" if rng.random() < DM_SHARE else "channel") if reminded else "off"
            rows.append(
                {
                    "id": member.index + 1,
                    "challenge_id": server.challenge_id,
                    "guild_id": server.guild_id,
                    "user_id": member.user_id,
                    "timezone": member.zone,
                    "start_day": start,
                    "initial_day": member.initial_day,
                    "reminder_time": reminder_time(rng) if reminded else None,
                    "reminder_mode": mode,
                    "joined_at": datetime.combine(start, datetime.min.time(), tzinfo=UTC)
                    + timedelta(hours=15),
                    "left_at": NOW - timedelta(days=30) if member.left else None,
                }
            )
    return rows


def ledger_rows(
    servers: list[Server], participants: list[dict[str, Any]], nudge_hours: int
) -> list[dict[str, Any]]:
    """Return the sends a bot would have made before "now": reminders and nudges due by then."""
    before = NOW - timedelta(minutes=1)
    nudging = {server.challenge_id for server in servers if server.nudges}
    rows = []
    for row in participants:
        if row["reminder_mode"] == "off" or row["left_at"] is not None:
            continue
        tz = ZoneInfo(row["timezone"])
        sends: list[tuple[str, date, datetime]] = []
        hour, minute = map(int, row["reminder_time"].split(":"))
        at = datetime.min.time().replace(hour=hour, minute=minute)
        due = schedule.reminder_due(before, at, tz, 4)
        if due.due:
            sends.append((REMINDER, due.day, before))
        if row["challenge_id"] in nudging:
            nudge = schedule.nudge_due(before, nudge_hours, tz, 4)
            if nudge.due:
                sends.append((NUDGE, nudge.day, before))
        for kind, day, when in sends:
            rows.append(
                {
                    "kind": kind,
                    "target": f"participant:{row['id']}",
                    "period": day.isoformat(),
                    "status": "sent",
                    "attempts": 1,
                    "created_at": when,
                    "updated_at": when,
                }
            )
    return rows


async def create_challenges(url: str, servers: list[Server], rng: random.Random) -> list[Server]:
    """Create each server's challenge through the service; return the servers with their ids."""
    db = await Database.open(url)
    made = []
    try:
        services = Services.build(db)
        created_at = datetime.combine(YEAR_START, datetime.min.time(), tzinfo=UTC)
        for number, server in enumerate(servers):
            settings = ChallengeSettingsInput(
                name=f"Club {number}",
                preset=rng.choice(PRESETS),
                timezone=server.zone,
                progress_channel_id=server.channel_id,
                nudge_hours=3 if server.nudges else 0,
            )
            challenge = await services.challenges.create(
                guild_id=server.guild_id, settings=settings, now=created_at - timedelta(days=1)
            )
            made.append(
                Server(
                    server.guild_id,
                    challenge.id,
                    server.channel_id,
                    server.zone,
                    server.nudges,
                    server.members,
                )
            )
    finally:
        await db.close()
    return made


def plan_servers(rng: random.Random, servers: int, members: int) -> list[Server]:
    """Draw the servers and their members (challenge ids are given when created)."""
    zone_names = [name for name, _ in ZONES]
    zone_weights = [weight for _, weight in ZONES]
    year = (TODAY - YEAR_START).days
    planned = []
    for number, guild_id in enumerate(guild_ids(rng, servers)):
        zone = rng.choices(zone_names, zone_weights)[0]
        people = make_members(rng, members, year)
        for offset, member in enumerate(people):
            member.index = number * members + offset
            if rng.random() < HOME_ZONE_SHARE:
                member.zone = zone
        channel = CHANNEL_BASE + number
        planned.append(Server(guild_id, 0, channel, zone, rng.random() < NUDGE_SHARE, people))
    return planned


async def build_fleet(
    url: str, servers: int = SERVERS, members: int = MEMBERS, days: int = DAYS, seed: int = SEED
) -> dict[str, Any]:
    """Build the fleet into an empty PostgreSQL database; return its build record."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    await migrate(url)
    fleet = await create_challenges(url, plan_servers(rng, servers, members), rng)
    participants = participant_rows(fleet, rng)
    pool = post_pool(rng)
    offsets = utc_offsets((TODAY - YEAR_START).days + 1)
    makers = [ServerMaker(rng, server, pool, offsets) for server in fleet]
    connection = await asyncpg.connect(pg_dsn(url))
    total = 0
    try:
        async with connection.transaction():
            await copy_rows(connection, "participants", participants)
            hidden = [
                {"guild_id": server.guild_id, "user_id": member.user_id, "hidden": True}
                for server in fleet
                for member in server.members
                if member.hidden
            ]
            await copy_rows(connection, "member_settings", hidden)
            zones = [
                {
                    "participant_id": row["id"],
                    "timezone": row["timezone"],
                    "effective_from": row["joined_at"],
                }
                for row in participants
            ]
            await copy_rows(connection, "participant_zones", zones)
            await copy_rows(connection, "send_ledger", ledger_rows(fleet, participants, 3))
            await set_sequence(connection, "participants")
            await set_sequence(connection, "send_ledger")
            restore = await drop_entry_indexes(connection)
        message_seq = 0
        last = (TODAY - YEAR_START).days
        for day in range(last - days, last + 1):
            rows = [row for maker in makers for row in maker.rows(day)]
            rows.sort(key=lambda row: row["created_at"])
            records = []
            for row in rows:
                total += 1
                row["id"] = total
                if row["source"] == "channel":
                    message_seq += 1
                    millis = int(row["created_at"].timestamp() * 1000) - DISCORD_EPOCH_MS
                    row["message_id"] = (millis << SHARD_SHIFT) | (message_seq & 0x3FFFFF)
                records.append(tuple(pg_value(row[column]) for column in ENTRY_COLUMNS))
            async with connection.transaction():
                await connection.copy_records_to_table(
                    "entries", records=records, columns=ENTRY_COLUMNS
                )
        print(f"  copied {total:,} entries over {days + 1} days", file=sys.stderr)
        async with connection.transaction():
            for statement in restore:
                await connection.execute(statement)
            await set_sequence(connection, "entries")
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    db = await Database.open(url)
    try:
        refreshed = await Services.build(db).progress.refresh_due_checkpoints(now=NOW)
    finally:
        await db.close()
    connection = await asyncpg.connect(pg_dsn(url))
    try:
        await connection.execute("VACUUM ANALYZE")
        size = await connection.fetchval("SELECT pg_database_size(current_database())")
    finally:
        await connection.close()
    return {
        "version": FLEET_VERSION,
        "servers": servers,
        "members": servers * members,
        "days": days,
        "seed": seed,
        "entries": total,
        "checkpoints_moved": refreshed,
        "bytes": size,
        "seconds": round(time.perf_counter() - started, 1),
    }


async def _admin(cluster: str, *statements: str) -> list[Any]:
    """Run statements on the cluster URL's own database, outside a transaction."""
    connection = await asyncpg.connect(pg_dsn(cluster))
    try:
        return [await connection.fetch(statement) for statement in statements]
    finally:
        await connection.close()


async def fleet_record(cluster: str, database: str) -> dict[str, Any] | None:
    """Return the kept fleet's build record, or None if it is not (fully) built."""
    (exists,) = await _admin(
        cluster,
        f"SELECT 1 FROM pg_database WHERE datname = '{database}'",  # noqa: S608 - our name
    )
    if not exists:
        return None
    url = sa.make_url(cluster).set(database=database).render_as_string(hide_password=False)
    connection = await asyncpg.connect(pg_dsn(url))
    try:
        text = await connection.fetchval(
            "SELECT record FROM bench_build WHERE version = $1", FLEET_VERSION
        )
    except asyncpg.UndefinedTableError:
        return None
    finally:
        await connection.close()
    return None if text is None else dict(json.loads(text))


async def ensure_fleet(
    cluster: str, servers: int = SERVERS, members: int = MEMBERS, days: int = DAYS
) -> tuple[str, dict[str, Any]]:
    """Build the fleet into its kept database unless it is there; return its name and record."""
    database = fleet_database(servers, members)
    record = await fleet_record(cluster, database)
    if record is not None and record.get("days") == days:
        print(f"reusing PostgreSQL database {database}", file=sys.stderr)
        return database, {**record, "reused": True}
    print(f"building {servers:,} servers x {members} members into {database} ...", file=sys.stderr)
    await _admin(
        cluster,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    )
    url = sa.make_url(cluster).set(database=database).render_as_string(hide_password=False)
    record = await build_fleet(url, servers, members, days)
    connection = await asyncpg.connect(pg_dsn(url))
    try:
        await connection.execute(
            "CREATE TABLE bench_build (version integer PRIMARY KEY, record text NOT NULL)"
        )
        await connection.execute(
            "INSERT INTO bench_build VALUES ($1, $2)", FLEET_VERSION, json.dumps(record)
        )
    finally:
        await connection.close()
    return database, {**record, "reused": False}


def main() -> None:
    """Build (or find) the kept fleet on a PostgreSQL cluster and print its build record."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True, help="the PostgreSQL cluster's URL")
    parser.add_argument("--servers", type=int, default=SERVERS)
    parser.add_argument("--members", type=int, default=MEMBERS, help="members per server")
    parser.add_argument("--days", type=int, default=DAYS, help="days of posts before today")
    args = parser.parse_args()
    if sa.make_url(args.database_url).get_backend_name() != "postgresql":
        raise SystemExit("--database-url: the fleet is built on PostgreSQL")
    _, record = asyncio.run(ensure_fleet(args.database_url, args.servers, args.members, args.days))
    print(json.dumps(record))


if __name__ == "__main__":
    main()

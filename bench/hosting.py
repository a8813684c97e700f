"""Hosting requirements: disk, memory and CPU per 1,000 members for a year of a daily challenge.

    nice -n 10 ./run python -m bench.hosting                     # SQLite: 1,000 members, 365 days
    nice -n 10 ./run python -m bench.hosting --postgres-url URL  # and PostgreSQL (a cluster)
    nice -n 10 ./run python -m bench.hosting --quick             # smoke run, about a minute
    ... --markdown [PATH]   # also docs/perf/hosting.md, for `./run python -m bench.docs`

1. **Disk.** A new database (a SQLite file; a database of its own on the PostgreSQL cluster,
   dropped afterwards) holds one challenge of N members, each posting every day for D days.
   The first `--sample-days` days go through the real write path, in time order: members join
   and set reminders through the services, every post is `EntryService.record` followed by what
   the bot does after it (`Community.after_entry`: the check-in or milestone line and its
   send-ledger row), the minute ticks run the reminder delivery (`ReminderDelivery.run`, the
   bot's `DiscordTransport`) and the digest tick (checkpoint refresh, `DigestService.run_due`)
   with Discord's send replaced by nothing. Post texts and minutes are real entries of the
   logs in tests/fixtures/logs*/ (those a Discord message can hold). The other days are bulk
   copies of the sample days' entry and send-ledger rows, shifted by whole days (new message
   ids), so they are the same tables, columns and indexes; the check compares, column by
   column, which columns the real and the copied rows fill. The weekly digests run through the
   service all year, and the checkpoints are refreshed through it at the end. Size: SQLite's
   file after a WAL checkpoint; PostgreSQL's `pg_database_size` after VACUUM ANALYZE; each
   minus an empty migrated database's. Attachments are kept apart (`AttachmentService.keep`
   of incompressible files): bound by DAYBOOK_ATTACHMENT_QUOTA_MB per member, not by time.
2. **Memory.** The bot built by `create_bot` on simcord (a simulated Discord, same process),
   its chart workers a pre-started `chart_pool()`: once idle with no members, once serving a
   copy of the year's database: every member /logs, a /leaderboard and a /progress heatmap are
   drawn, the minute ticks run (reminders and the digest posted). Peak RSS (VmHWM) of the bot
   process, each chart worker and the fork server, and their proportional share (Pss) summed;
   the baseline is `python -c` printing its own status.
3. **CPU.** Services on a copy of the year's database (no simcord: its own CPU would count):
   the next day, minute by minute: each member's /log at its minute (`EntryService.record` and
   `Community.after_entry`), the reminder tick and the digest tick every minute, a weekly
   digest (its cost shown alone and counted as 1/7 a day), a few leaderboards and heatmaps.
   CPU seconds of the process (`time.process_time`), of the chart workers and, on PostgreSQL,
   of the server's processes (/proc); the ratio to a fixed pure-Python loop timed in the
   same process lets a reader scale it to their machine.

Each measurement runs in a child process of its own (`--child`), so none inherits another's
memory. Benchmarks report; the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing.forkserver
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import asyncpg  # type: ignore[import-untyped]
import sqlalchemy as sa
from discord.ext import commands

from bench.backend import PERF_DOCS, ROOT, machine
from bench.fakes import VirtualClock
from bench.processes import cpu_since, postmaster_pid, server_cpu
from bench.report import revision, say, write_markdown
from bench.server import raw_writer
from bench.synthetic import pg_dsn
from bench.world import DISCORD_EPOCH_MS, GUILD_ID, ORGANIZER_ID, ZONES, sqlite_url
from bot.domain.logparse import NotALogError, parse_log
from bot.domain.models import EntrySource, ReminderMode
from bot.pacing import Pacer
from bot.services import Services
from bot.services.attachments import Upload
from bot.services.settings_input import ChallengeSettingsInput
from bot.transport import DigestPoster, DiscordTransport
from storage import Database, migrate, tables

FIXTURES = (ROOT / "tests" / "fixtures" / "logs", ROOT / "tests" / "fixtures" / "logs-world")
DISCORD_MESSAGE_LIMIT = 2000
"""Characters in a Discord message (PLATFORM.md): a log entry longer than this is not a post."""
CHANNEL_ID = 880_000_000_000_000_003
DIGEST_CHANNEL_ID = 880_000_000_000_000_004
USER_BASE = 881_000_000_000_000_000
FIRST_DAY = date(2026, 1, 5)
"""A Monday: the challenge starts then, and its digest is due each Monday at 09:00 UTC."""
DIGEST_HOUR = 9
REMINDER_SHARE = 0.6
"""Members with a reminder on (the fleet's share, bench/fleet.py), in the progress channel."""
REMINDER_TIMES = ("07:30", "12:00", "18:00", "19:00", "20:00", "20:30", "21:00", "22:00")
CHANNEL_POST_SHARE = 0.6
"""Posts made in the progress channel (the rest are /log), as the synthetic server's."""
ATTACHMENT_FILES = 8
ATTACHMENT_BYTES = 256 * 1024
CALIBRATION_LOOPS = 2_000_000
BOARDS_A_DAY = 5
SEED = 16
DATE_PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$")


# ---------------------------------------------------------------------------------------------
# The members and what they post
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """A member of the hosted challenge: their id, zone and reminder time (local, or None)."""

    user_id: int
    zone: str
    reminder: str | None


@dataclass(frozen=True, slots=True)
class RealPost:
    """An entry of a real log, as a member would post it: its text and minutes."""

    text: str
    minutes: int | None


def real_posts() -> tuple[list[RealPost], int]:
    """Return every entry of the fixture logs a Discord message can hold, and how many cannot."""
    found: list[RealPost] = []
    too_long = 0
    for folder in FIXTURES:
        for path in sorted(folder.glob("*.md")):
            if path.name == "INDEX.md":
                continue
            try:
                parsed = parse_log(path.read_text(encoding="utf-8"), start=date(2024, 1, 1))
            except (NotALogError, ValueError):
                continue
            for entry in parsed.entries:
                text = entry.text.strip()
                if not text:
                    continue
                if len(text) > DISCORD_MESSAGE_LIMIT:
                    too_long += 1
                    continue
                minutes = entry.minutes if entry.minutes is not None else None
                if minutes is not None and not 0 <= minutes <= 1440:
                    minutes = None
                found.append(RealPost(text, minutes))
    return found, too_long


def people(count: int, rng: random.Random) -> list[Person]:
    """Return the members: zones as the synthetic server's, reminders for REMINDER_SHARE."""
    zones, weights = zip(*ZONES, strict=True)
    return [
        Person(
            USER_BASE + n,
            rng.choices(zones, weights)[0],
            rng.choice(REMINDER_TIMES) if rng.random() < REMINDER_SHARE else None,
        )
        for n in range(count)
    ]


def local_instant(day: date, hhmm: str, zone: str) -> datetime:
    """Return the UTC instant of a local wall time on a local day."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    moment = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def snowflake(at: datetime, serial: int) -> int:
    """Return a Discord message id for an instant (unique per serial within a millisecond)."""
    return ((int(at.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22) | (serial & 0x3FFFFF)


class NullChannel:
    """A channel whose send() goes nowhere: Discord's side of a send, for the write path."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, *args: Any, **kwargs: Any) -> None:
        """Count the message; send nothing."""
        del args, kwargs
        self.sent += 1


class NullBot:
    """The little of a bot that the transport, the digest poster and Community use."""

    def __init__(self) -> None:
        self.channel = NullChannel()

    def get_partial_messageable(self, channel_id: int) -> NullChannel:
        """Return the channel that sends nowhere."""
        del channel_id
        return self.channel

    def get_guild(self, guild_id: int) -> None:
        """Return no cached server: the sends then go ahead (`refused_before_sending`)."""
        del guild_id


class Daybook:
    """The services with the bot's own senders, over Discord that goes nowhere."""

    def __init__(self, db: Database, services: Services) -> None:
        from bot.community import Community  # the bot layer, as the bot builds it

        self.db = db
        self.services = services
        self.discord = NullBot()
        bot = cast(commands.Bot, self.discord)
        clock = VirtualClock()
        self.transport = DiscordTransport(bot, Pacer(monotonic=clock.monotonic, sleep=clock.sleep))
        self.community = Community(bot, services)
        self.poster = DigestPoster(bot, services.charts)
        self.serial = 0

    async def post(self, person: Person, text: RealPost, at: datetime, channel: bool) -> None:
        """Record a post as the bot does: the entry, then its public line and milestone."""
        self.serial += 1
        result = await self.services.entries.record(
            guild_id=GUILD_ID,
            user_id=person.user_id,
            text=text.text,
            at=at,
            minutes=text.minutes,
            source=EntrySource.CHANNEL if channel else EntrySource.COMMAND,
            message_id=snowflake(at, self.serial) if channel else None,
            channel_id=CHANNEL_ID if channel else None,
        )
        await self.community.after_entry(
            result, name=f"member {person.user_id}", at=at, checkin=not channel
        )

    async def tick(self, now: datetime, post_digest: bool = True) -> int:
        """Run a minute of the scheduler (bot.client's tick_reminders and tick_digests)."""
        await self.services.delivery.run(now, self.transport)
        await self.services.progress.refresh_due_checkpoints(now=now)
        await self.services.logs.drop_expired(now=now)
        poster: Callable[[Any], Awaitable[None]] = self.poster.post if post_digest else _no_post
        return len(await self.services.digests.run_due(now, poster))


async def _no_post(digest: Any) -> None:
    """A digest post that sends nothing and draws nothing (the disk needs only its ledger row)."""
    del digest


# ---------------------------------------------------------------------------------------------
# 1. Disk: a year of the challenge
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Year:
    """What the year's build wrote, and how."""

    members: int
    days: int
    sample_days: int
    entries: int = 0
    real_entries: int = 0
    ledger_rows: int = 0
    real_ledger_rows: int = 0
    ledger_kinds: str = ""
    digests: int = 0
    mean_text_chars: float = 0.0
    log_posts: int = 0
    log_posts_too_long: int = 0
    same_shape: bool = False
    shape_note: str = ""
    seconds_real: float = 0.0
    seconds_bulk: float = 0.0


async def create_challenge(services: Services, rng: random.Random, crowd: list[Person]) -> int:
    """Create the challenge and let every member join and set their reminder, as the bot does."""
    start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    challenge = await services.challenges.create(
        guild_id=GUILD_ID,
        settings=ChallengeSettingsInput(
            name="ML Club",
            preset="100-days-of-ml-code",
            timezone="UTC",
            progress_channel_id=CHANNEL_ID,
            digest_channel_id=DIGEST_CHANNEL_ID,
        ),
        now=start,
        organizer_id=ORGANIZER_ID,
    )
    for person in crowd:
        await services.participants.join(
            guild_id=GUILD_ID,
            user_id=person.user_id,
            now=start + timedelta(minutes=rng.randrange(600)),
            timezone=person.zone,
        )
        if person.reminder is not None:
            hours, minutes = (int(part) for part in person.reminder.split(":"))
            await services.reminders.set_reminder(
                guild_id=GUILD_ID,
                user_id=person.user_id,
                challenge=None,
                reminder_time=dt_time(hours, minutes),
                mode=ReminderMode.CHANNEL,
            )
    return challenge.id


def day_events(
    day: date, crowd: list[Person], pool: list[RealPost], rng: random.Random
) -> list[tuple[datetime, int, Person | None, RealPost | None, bool]]:
    """Return a day's posts (each member once, 07:00-23:59 local) and its tick instants.

    A tick runs at each instant a reminder falls due and at every full hour (the digest's).
    """
    events: list[tuple[datetime, int, Person | None, RealPost | None, bool]] = []
    ticks: set[datetime] = set()
    for person in crowd:
        minute = 7 * 60 + rng.randrange(17 * 60)
        at = local_instant(day, f"{minute // 60:02d}:{minute % 60:02d}", person.zone)
        at += timedelta(seconds=rng.randrange(60))
        events.append((at, 1, person, rng.choice(pool), rng.random() < CHANNEL_POST_SHARE))
        if person.reminder is not None:
            ticks.add(local_instant(day, person.reminder, person.zone))
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    ticks.update(midnight + timedelta(hours=hour) for hour in range(24))
    events.extend((at, 0, None, None, False) for at in ticks)
    return events


def shifted_period(period: str, shift: timedelta) -> str | None:
    """Return a send-ledger period moved by whole days, or None if it names no day."""
    match = DATE_PERIOD.match(period)
    if match is None:
        return None
    return (date.fromisoformat(match.group(1)) + shift).isoformat() + match.group(2)


async def copy_day(
    db: Database,
    entries: list[dict[str, Any]],
    ledger: list[dict[str, Any]],
    shift: timedelta,
    serial: int,
    taken: set[tuple[str, str, str]],
) -> tuple[int, int]:
    """Insert a sample day's entry and send-ledger rows moved by `shift`; return the counts.

    A send the sample's last ticks made already for a later day (a reminder of tomorrow in
    Tokyo, sent while it is tonight in New York) is in `taken`, and not copied again.
    """
    new_entries = []
    for row in entries:
        moved = {
            **row,
            "local_day": row["local_day"] + shift,
            "created_at": row["created_at"] + shift,
        }
        if row["message_id"] is not None:
            serial += 1
            moved["message_id"] = snowflake(moved["created_at"], serial)
        new_entries.append(moved)
    new_ledger = []
    for row in ledger:
        period = shifted_period(row["period"], shift)
        if period is None or (row["kind"], row["target"], period) in taken:
            continue
        moved = {**row, "period": period}
        for column in ("created_at", "updated_at", "next_attempt_at"):
            if moved[column] is not None:
                moved[column] = moved[column] + shift
        new_ledger.append(moved)
    async with raw_writer(db) as connection:
        if new_entries:
            await connection.execute(tables.entries.insert(), new_entries)
        if new_ledger:
            await connection.execute(tables.send_ledger.insert(), new_ledger)
    return len(new_entries), len(new_ledger)


async def sample_rows(
    db: Database, first: date, last: date
) -> tuple[dict[date, Any], dict[date, Any]]:
    """Return the sample days' entry rows and dated send-ledger rows, by day (no ids)."""
    entries: dict[date, list[dict[str, Any]]] = {}
    ledger: dict[date, list[dict[str, Any]]] = {}
    async with db.read() as repos:
        connection = repos.entries._connection  # benchmark reading outside the layer rules
        columns = [column for column in tables.entries.c if column.name != "id"]
        result = await connection.execute(
            sa.select(*columns)
            .where(tables.entries.c.local_day.between(first, last))
            .order_by(tables.entries.c.id)
        )
        for row in result.mappings():
            entries.setdefault(row["local_day"], []).append(dict(row))
        columns = [column for column in tables.send_ledger.c if column.name != "id"]
        result = await connection.execute(sa.select(*columns).order_by(tables.send_ledger.c.id))
        for row in result.mappings():
            match = DATE_PERIOD.match(row["period"])
            if match is not None and first <= date.fromisoformat(match.group(1)) <= last:
                ledger.setdefault(date.fromisoformat(match.group(1)), []).append(dict(row))
    return entries, ledger


async def column_shares(
    db: Database, table: sa.Table, boundary: int, where: Any = None
) -> tuple[dict[str, float], dict[str, float], int, int]:
    """Return each column's non-null share among rows up to `boundary` (real) and after (copies)."""
    shares: list[dict[str, float]] = []
    counts: list[int] = []
    async with db.read() as repos:
        connection = repos.entries._connection  # benchmark reading outside the layer rules
        for side in (table.c.id <= boundary, table.c.id > boundary):
            condition = side if where is None else sa.and_(side, where)
            statement = sa.select(
                sa.func.count(), *(sa.func.count(column) for column in table.c)
            ).where(condition)
            total, *filled = (await connection.execute(statement)).one()
            counts.append(int(total))
            shares.append(
                {
                    column.name: (int(value) / total if total else 0.0)
                    for column, value in zip(table.c, filled, strict=True)
                }
            )
    return shares[0], shares[1], counts[0], counts[1]


async def shape_check(db: Database, entry_boundary: int, ledger_boundary: int) -> tuple[bool, str]:
    """Check that the copied rows fill the same columns as the real ones; say which differ."""
    notes = []
    same = True
    daily = tables.send_ledger.c.period.like("____-__-__%")
    for table, boundary, where in (
        (tables.entries, entry_boundary, None),
        (tables.send_ledger, ledger_boundary, daily),
    ):
        real, copied, real_count, copied_count = await column_shares(db, table, boundary, where)
        filled_real = {name for name, share in real.items() if share > 0}
        filled_copied = {name for name, share in copied.items() if share > 0}
        differs = sorted(filled_real ^ filled_copied)
        if differs:
            same = False
        notes.append(
            f"{table.name}: {real_count:,} real rows, {copied_count:,} copies; columns filled "
            + ("the same" if not differs else f"differently: {', '.join(differs)}")
        )
    return same, "; ".join(notes)


async def build_year(url: str, members: int, days: int, sample_days: int) -> Year:
    """Write the year of the challenge into a new migrated database (see the module's 1.)."""
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not security
    pool, too_long = real_posts()
    crowd = people(members, rng)
    year = Year(members, days, sample_days, log_posts=len(pool), log_posts_too_long=too_long)
    await migrate(url)
    db = await Database.open(url)
    try:
        services = Services.build(db)
        daybook = Daybook(db, services)
        began = time.perf_counter()
        await create_challenge(services, rng, crowd)
        say(f"  {members:,} members joined; {sample_days} days through the write path ...")
        sample = min(sample_days, days)
        # Every sample day's events in one time order: a Sydney member's day begins before a
        # New York member's previous day ends.
        events = [
            event
            for offset in range(sample)
            for event in day_events(FIRST_DAY + timedelta(days=offset), crowd, pool, rng)
        ]
        events.sort(key=lambda event: (event[0], event[1]))
        for at, _, person, text, channel in events:
            if person is None:
                year.digests += await daybook.tick(at, post_digest=False)
            elif text is not None:
                await daybook.post(person, text, at, channel)
        year.seconds_real = time.perf_counter() - began
        last_sample = FIRST_DAY + timedelta(days=sample - 1)
        entries, ledger = await sample_rows(db, FIRST_DAY, last_sample)
        async with db.read() as repos:
            connection = repos.entries._connection  # benchmark reading outside the layer rules
            entry_boundary = int(
                (await connection.execute(sa.select(sa.func.max(tables.entries.c.id)))).scalar_one()
            )
            ledger_boundary = int(
                (
                    await connection.execute(sa.select(sa.func.max(tables.send_ledger.c.id)))
                ).scalar_one()
            )
            keys = await connection.execute(
                sa.select(
                    tables.send_ledger.c.kind,
                    tables.send_ledger.c.target,
                    tables.send_ledger.c.period,
                )
            )
            taken = {(str(kind), str(target), str(period)) for kind, target, period in keys}
        year.real_entries = sum(len(rows) for rows in entries.values())
        year.real_ledger_rows = sum(len(rows) for rows in ledger.values())
        say(f"  {days - sample} more days copied from the sample, the digests through the service")
        began = time.perf_counter()
        serial = 1 << 20
        for offset in range(sample, days):
            template = FIRST_DAY + timedelta(days=offset % sample)
            shift = timedelta(days=offset - offset % sample)
            added, _ = await copy_day(
                db, entries.get(template, []), ledger.get(template, []), shift, serial, taken
            )
            serial += added
            day = FIRST_DAY + timedelta(days=offset)
            if day.weekday() == FIRST_DAY.weekday():
                digest_at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                year.digests += await daybook.tick(
                    digest_at + timedelta(hours=DIGEST_HOUR), post_digest=False
                )
        end = datetime.combine(FIRST_DAY + timedelta(days=days), datetime.min.time(), tzinfo=UTC)
        fresh = Services.build(db)  # a cold cache: the refresh reads the whole year
        async with db.read() as repos:
            challenge = (await repos.challenges.active_in_guild(GUILD_ID))[0]
        await fresh.progress.refresh_checkpoints(challenge_id=challenge.id, now=end)
        year.seconds_bulk = time.perf_counter() - began
        year.same_shape, year.shape_note = await shape_check(db, entry_boundary, ledger_boundary)
        async with db.read() as repos:
            connection = repos.entries._connection  # benchmark reading outside the layer rules
            year.entries = int(
                (
                    await connection.execute(sa.select(sa.func.count()).select_from(tables.entries))
                ).scalar_one()
            )
            year.mean_text_chars = float(
                (
                    await connection.execute(
                        sa.select(sa.func.avg(sa.func.length(tables.entries.c.text)))
                    )
                ).scalar_one()
            )
            kinds = await connection.execute(
                sa.select(tables.send_ledger.c.kind, sa.func.count())
                .group_by(tables.send_ledger.c.kind)
                .order_by(sa.func.count().desc())
            )
            counted = [(str(kind), int(count)) for kind, count in kinds]
        year.ledger_rows = sum(count for _, count in counted)
        year.ledger_kinds = ", ".join(f"{kind} {count:,}" for kind, count in counted)
    finally:
        await db.close()
    return year


async def keep_attachments(url: str) -> int:
    """Keep ATTACHMENT_FILES incompressible files with posts of different members; return bytes."""
    db = await Database.open(url)
    try:
        services = Services.build(db)
        async with db.read() as repos:
            connection = repos.entries._connection  # benchmark reading outside the layer rules
            ids = (
                await connection.execute(
                    sa.select(sa.func.min(tables.entries.c.id))
                    .group_by(tables.entries.c.participant_id)
                    .limit(ATTACHMENT_FILES)
                )
            ).scalars()
            entry_ids = [int(entry_id) for entry_id in ids]
        kept = 0
        for entry_id in entry_ids:
            data = os.urandom(ATTACHMENT_BYTES)  # a photo's bytes do not compress either
            report = await services.attachments.keep(
                entry_id=entry_id,
                uploads=[Upload("screenshot.png", "image/png", len(data), data)],
            )
            kept += ATTACHMENT_BYTES * sum(1 for outcome in report.outcomes if outcome.kept)
        return kept
    finally:
        await db.close()


class Place(ABC):
    """Where the year's databases live: SQLite files in a folder, or a PostgreSQL cluster."""

    name = ""

    @abstractmethod
    def url(self, label: str) -> str:
        """Return a new (empty) database's URL."""

    @abstractmethod
    def size(self, url: str) -> int:
        """Return a database's size in bytes, settled (checkpointed, vacuumed)."""

    @abstractmethod
    def tables(self, url: str) -> dict[str, int]:
        """Return each table's bytes with its indexes."""

    @abstractmethod
    def copy(self, url: str, label: str) -> str:
        """Copy a database; return the copy's URL."""

    @abstractmethod
    def drop(self, url: str) -> None:
        """Delete a database this run made."""


class SqlitePlace(Place):
    """SQLite files in a scratch folder."""

    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, url: str) -> Path:
        """Return a SQLite URL's file."""
        return Path(sa.make_url(url).database or "")

    def url(self, label: str) -> str:
        """Return the URL of a new file in the folder."""
        return sqlite_url(self.folder / f"{label}.db")

    def size(self, url: str) -> int:
        """Checkpoint the WAL into the file (truncating it); return the file's size."""
        path = self.path(url)
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        wal = Path(f"{path}-wal")
        return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)

    def tables(self, url: str) -> dict[str, int]:
        """Sum the pages of each table and its indexes (SQLite's dbstat table)."""
        connection = sqlite3.connect(self.path(url))
        try:
            rows = connection.execute(
                "SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat d "
                "LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1"
            ).fetchall()
        except sqlite3.OperationalError:
            return {}
        finally:
            connection.close()
        return {str(name): int(size) for name, size in rows}

    def copy(self, url: str, label: str) -> str:
        """Copy the (checkpointed) file."""
        self.size(url)
        target = self.url(label)
        shutil.copyfile(self.path(url), self.path(target))
        return target

    def drop(self, url: str) -> None:
        """Delete the file and its WAL."""
        path = self.path(url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresPlace(Place):
    """Databases of this run's own on a PostgreSQL cluster, dropped afterwards."""

    name = "PostgreSQL"

    def __init__(self, url: str) -> None:
        self.base = sa.make_url(url)
        self.made: list[str] = []

    def _admin(self, *statements: str) -> list[Any]:
        async def run() -> list[Any]:
            connection = await asyncpg.connect(pg_dsn(self.base.render_as_string(False)))
            try:
                return [await connection.fetch(statement) for statement in statements]
            finally:
                await connection.close()

        return asyncio.run(run())

    def url(self, label: str) -> str:
        """Create `daybook_hosting_<pid>_<label>` and return its URL."""
        name = f"daybook_hosting_{os.getpid()}_{label}"
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _on(self, url: str, *statements: str) -> list[Any]:
        async def run() -> list[Any]:
            connection = await asyncpg.connect(pg_dsn(url))
            try:
                return [await connection.fetch(statement) for statement in statements]
            finally:
                await connection.close()

        return asyncio.run(run())

    def size(self, url: str) -> int:
        """VACUUM ANALYZE (as autovacuum would); return pg_database_size."""
        (_, rows) = self._on(url, "VACUUM ANALYZE", "SELECT pg_database_size(current_database())")
        return int(rows[0][0])

    def tables(self, url: str) -> dict[str, int]:
        """Return pg_total_relation_size of each table (its indexes and TOAST included)."""
        (rows,) = self._on(
            url, "SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables"
        )
        return {str(name): int(size) for name, size in rows}

    def copy(self, url: str, label: str) -> str:
        """CREATE DATABASE ... TEMPLATE the year's database."""
        name = f"daybook_hosting_{os.getpid()}_{label}"
        source = sa.make_url(url).database
        self._admin(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{source}"',
        )
        self.made.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop a database this run made (never another)."""
        name = sa.make_url(url).database
        if name in self.made:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.made.remove(name)


@dataclass(slots=True)
class Disk:
    """The disk a year takes, on one backend."""

    year: Year
    empty_bytes: int
    year_bytes: int
    tables: dict[str, int]
    attachments_kept: int
    attachments_bytes: int

    @property
    def per_thousand_year(self) -> float:
        """Bytes per 1,000 members per 365 days (the empty schema left out)."""
        grown = self.year_bytes - self.empty_bytes
        return grown * (1000 / self.year.members) * (365 / self.year.days)

    @property
    def attachment_overhead(self) -> float:
        """Bytes on disk per byte of attachment kept."""
        return self.attachments_bytes / self.attachments_kept if self.attachments_kept else 0.0


def measure_disk(place: Place, members: int, days: int, sample_days: int) -> tuple[Disk, str]:
    """Build the year on a backend, measure it; return the figures and the year's URL."""
    empty = place.url("empty")
    asyncio.run(migrate(empty))
    empty_bytes = place.size(empty)
    place.drop(empty)
    url = place.url("year")
    say(f"{place.name}: a year of {members:,} members ({days} days) ...")
    year = asyncio.run(build_year(url, members, days, sample_days))
    year_bytes = place.size(url)
    sizes = place.tables(url)
    work = place.copy(url, "files")
    kept = asyncio.run(keep_attachments(work))
    with_files = place.size(work)
    place.drop(work)
    disk = Disk(year, empty_bytes, year_bytes, sizes, kept, with_files - year_bytes)
    return disk, url


# ---------------------------------------------------------------------------------------------
# 2. Memory: the bot on simcord
# ---------------------------------------------------------------------------------------------


def status_kb(pid: int | str, field: str) -> int:
    """Return a /proc/<pid>/status field in kB (VmHWM, VmRSS), 0 if it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def pss_kb(pid: int | str) -> int:
    """Return a process's proportional set size in kB (shared pages divided among sharers)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def started_pool() -> ProcessPoolExecutor:
    """Return the production chart pool with its workers up and warmed.

    Started before simcord runs: simcord freezes time.monotonic in the bot's threads, which
    stalls a process pool's start (tests/cogs/conftest.py), not the work of running workers.
    """
    from bot.charts.pool import CHART_WORKERS, chart_pool

    pool = chart_pool(CHART_WORKERS)
    for future in [pool.submit(int) for _ in range(CHART_WORKERS * 2)]:
        future.result()
    return pool


def pool_pids(pool: ProcessPoolExecutor) -> list[int]:
    """Return the pool's worker processes' ids."""
    processes = cast(dict[int, Any], getattr(pool, "_processes", None) or {})
    return sorted(processes)


def fork_server_pid() -> int:
    """Return the multiprocessing fork server's process id (0 if none runs)."""
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    return int(getattr(server, "_forkserver_pid", 0) or 0)


async def adopt(url: str, users: dict[int, int], now: datetime, channels: tuple[int, int]) -> None:
    """Give the year's members simcord's user ids, and the challenge simcord's channels.

    Benchmark set-up outside the layer rules (as bench/interactions.py): simcord picks users'
    ids. The digest is set due a minute after `now`, so the ticks post it.
    """
    db = await Database.open(url)
    try:
        async with raw_writer(db) as connection:
            for old, new in users.items():
                await connection.execute(
                    sa.update(tables.participants)
                    .where(tables.participants.c.user_id == old)
                    .values(user_id=new)
                )
                await connection.execute(
                    sa.update(tables.entries)
                    .where(tables.entries.c.user_id == old)
                    .values(user_id=new)
                )
            due = now + timedelta(minutes=1)
            await connection.execute(
                sa.update(tables.challenges).values(
                    progress_channel_id=channels[0],
                    digest_channel_id=channels[1],
                    digest_weekday=due.weekday(),
                    digest_time=f"{due:%H:%M}",
                )
            )
    finally:
        await db.close()


async def serve(url: str, members: int, ticks: int, days: int, actors: int) -> dict[str, Any]:
    """Run the bot on simcord (see the module's 2.); return the memory figures."""
    import simcord

    from bot.app import create_bot
    from bot.clock import FixedClock
    from bot.config import Settings

    pool = started_pool()
    now = datetime.combine(FIRST_DAY + timedelta(days=days), datetime.min.time(), tzinfo=UTC)
    now += timedelta(hours=12)
    clock = FixedClock(now)
    settings = Settings(database_url=url, dev_guild_id=GUILD_ID)
    bot = create_bot(settings, clock=clock, chart_executor=pool, run_scheduler=False)
    texts, _ = real_posts()
    rng = random.Random(SEED + 1)  # noqa: S311 - picks posts, not secrets
    answered = 0
    cached_users = cached_members = 0
    async with simcord.run(bot, check_errors=False) as env:
        env.settle_timeout = 600.0
        guild = env.create_guild("Hosting", id=GUILD_ID)
        progress = guild.create_text_channel("progress")
        digest = guild.create_text_channel("digest")
        users = [guild.add_member(env.create_user(f"member{n}")) for n in range(actors)]
        await env.settle()
        await env.advance_time((now - env.now()).total_seconds())
        if members:
            ids = {USER_BASE + n: user.id for n, user in enumerate(users)}
            await adopt(url, ids, now, (progress.id, digest.id))
        for actor in users:
            post = rng.choice(texts)
            options: dict[str, Any] = {"text": post.text}
            if post.minutes is not None:
                options["minutes"] = post.minutes
            result = await actor.slash(progress, "log", **options)
            answered += bool(result.acknowledged)
            if answered % 100 == 0 or answered == 1:
                say(f"  {answered:,} /log answered")
        if users:
            answered += bool(
                (await users[0].slash(progress, "leaderboard", metric="streak")).acknowledged
            )
            answered += bool((await users[-1].slash(progress, "progress")).acknowledged)
        for _ in range(ticks):
            await env.advance_time(60)
            clock.set(clock() + timedelta(minutes=1))
            await env.bot.tick()  # type: ignore[attr-defined]
        await env.settle()
        cached_users = len(env.bot.users)
        cached_members = sum(len(server.members) for server in env.bot.guilds)
        workers = pool_pids(pool)
        server = fork_server_pid()
        figures = {
            "members": members,
            "actors": len(users),
            "answered": answered,
            "ticks": ticks,
            "bot_hwm_kb": status_kb("self", "VmHWM"),
            "bot_pss_kb": pss_kb("self"),
            "workers_hwm_kb": [status_kb(pid, "VmHWM") for pid in workers],
            "workers_pss_kb": sum(pss_kb(pid) for pid in workers),
            "fork_server_hwm_kb": status_kb(server, "VmHWM") if server else 0,
            "fork_server_pss_kb": pss_kb(server) if server else 0,
            "cached_users": cached_users,
            "cached_members": cached_members,
        }
    pool.shutdown(wait=True)
    return figures


def python_baseline_kb() -> int:
    """Return the peak RSS of a bare `python -c` (it prints its own VmHWM)."""
    code = "print(open('/proc/self/status').read())"
    out = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    for line in out.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# ---------------------------------------------------------------------------------------------
# 3. CPU: a day of the challenge
# ---------------------------------------------------------------------------------------------


def calibration_s() -> float:
    """Return the CPU seconds of a fixed pure-Python loop (the machine's yardstick)."""
    began = time.process_time()
    total = 0
    for value in range(CALIBRATION_LOOPS):
        total = (total + value * value) % 1_000_003
    return time.process_time() - began


def cpu_of(pids: Sequence[int]) -> float:
    """Return the CPU seconds so far of some processes (utime + stime from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextlib.contextmanager
def cpu_meter(pool: ProcessPoolExecutor, postmaster: int) -> Iterator[dict[str, float]]:
    """Measure the CPU seconds of the block: this process, the chart workers, PostgreSQL."""
    spent: dict[str, float] = {}
    workers = pool_pids(pool)
    own, charts, server = time.process_time(), cpu_of(workers), server_cpu(postmaster)
    try:
        yield spent
    finally:
        spent["process"] = time.process_time() - own
        spent["charts"] = cpu_of(workers) - charts
        spent["postgres"] = cpu_since(server, server_cpu(postmaster)) if postmaster else 0.0


async def run_day(url: str, members: int, days: int, minutes: int) -> dict[str, Any]:
    """Run the day after the year (see the module's 3.); return the CPU figures."""
    rng = random.Random(SEED + 2)  # noqa: S311 - synthetic data, not security
    texts, _ = real_posts()
    crowd = people(members, random.Random(SEED))  # noqa: S311 - the year's own members
    day = FIRST_DAY + timedelta(days=days)
    if day.weekday() == FIRST_DAY.weekday():
        day += timedelta(days=1)  # the digest's day: its cost is measured alone, below
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    postmaster = 0
    if sa.make_url(url).get_backend_name() == "postgresql":
        postmaster = await postmaster_pid(pg_dsn(url))
    calibration = [calibration_s()]
    pool = started_pool()
    db = await Database.open(url)
    figures: dict[str, Any] = {"members": members, "minutes": minutes}
    try:
        services = Services.build(db, chart_executor=pool)
        daybook = Daybook(db, services)
        # A restarted bot's first board walks every member: outside the day, as a start is.
        await services.progress.refresh_due_checkpoints(now=midnight)
        at_minute: dict[int, list[Person]] = {}
        for person in crowd:
            at_minute.setdefault(rng.randrange(minutes), []).append(person)
        boards = set(rng.sample(range(minutes), min(BOARDS_A_DAY, minutes)))
        posts = ticks = 0
        own = {"posts": 0.0, "boards": 0.0, "ticks": 0.0}
        with cpu_meter(pool, postmaster) as spent:
            for minute in range(minutes):
                now = midnight + timedelta(minutes=minute)
                began = time.process_time()
                for person in at_minute.get(minute, []):
                    await daybook.post(
                        person, rng.choice(texts), now, rng.random() < CHANNEL_POST_SHARE
                    )
                    posts += 1
                posted = time.process_time()
                own["posts"] += posted - began
                if minute in boards:
                    viewer = rng.choice(crowd).user_id
                    await services.charts.draw_leaderboard(
                        guild_id=GUILD_ID, viewer_id=viewer, now=now, names=_names
                    )
                    await services.charts.draw_progress(
                        guild_id=GUILD_ID, viewer_id=viewer, member_name="member", now=now
                    )
                drawn = time.process_time()
                own["boards"] += drawn - posted
                await daybook.tick(now)
                ticks += 1
                own["ticks"] += time.process_time() - drawn
        figures["own"] = own
        figures["day"] = spent
        figures["posts"] = posts
        figures["ticks"] = ticks
        figures["boards"] = len(boards)
        figures["reminders_sent"] = daybook.discord.channel.sent
        # The weekly digest at its own time, the next Monday 09:00 UTC (the ticks between
        # would find nothing else due): the walk of the whole year and both charts.
        monday = day + timedelta(days=(FIRST_DAY.weekday() - day.weekday()) % 7)
        digest_at = datetime.combine(monday, datetime.min.time(), tzinfo=UTC)
        digest_at += timedelta(hours=DIGEST_HOUR)
        with cpu_meter(pool, postmaster) as digest_spent:
            figures["digests_posted"] = await daybook.tick(digest_at)
        figures["digest"] = digest_spent
    finally:
        await db.close()
        pool.shutdown(wait=True)
    calibration.append(calibration_s())
    figures["calibration_s"] = sum(calibration) / len(calibration)
    return figures


async def _names(user_ids: Sequence[int]) -> dict[int, str]:
    """Name members as a server without a cache would (no Discord here)."""
    return {user_id: f"member {n}" for n, user_id in enumerate(user_ids, 1)}


# ---------------------------------------------------------------------------------------------
# The run: children, the report
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """How big a run is."""

    members: int
    days: int
    sample_days: int
    ticks: int
    """Minute ticks the memory run's bot performs."""
    actors: int
    """Members of the year's database who /log through simcord in the memory run (simcord's
    own cost per interaction grows with its transcript: 1,000 would take over 15 minutes)."""
    minutes: int
    """Minutes of the CPU run's day (1,440 is a whole day; fewer are scaled up to one)."""


FULL = Plan(members=1000, days=365, sample_days=7, ticks=120, actors=300, minutes=1440)
QUICK = Plan(members=30, days=21, sample_days=7, ticks=5, actors=30, minutes=60)


def child(kind: str, url: str, plan: Plan) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; return what it printed (JSON)."""
    command = [
        sys.executable,
        "-m",
        "bench.hosting",
        "--child",
        kind,
        "--url",
        url,
        "--plan",
        json.dumps(plan_dict(plan)),
    ]
    began = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - this interpreter, our own module
        command, check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    say(f"  ({time.perf_counter() - began:,.0f} s)")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def plan_dict(plan: Plan) -> dict[str, int]:
    """Return a plan as a dict (it has slots, not __dict__)."""
    return {name: getattr(plan, name) for name in Plan.__slots__}


@dataclass(slots=True)
class Backend:
    """Every figure of one backend."""

    name: str
    disk: Disk
    idle: dict[str, Any] | None
    """The memory runs: None on PostgreSQL (see measure_backend)."""
    serving: dict[str, Any] | None
    day: dict[str, Any]


def measure_backend(place: Place, plan: Plan) -> Backend:
    """Disk, memory and CPU on one backend; the databases made are dropped afterwards."""
    began = time.perf_counter()
    disk, year = measure_disk(place, plan.members, plan.days, plan.sample_days)
    say(
        f"  ({time.perf_counter() - began:,.0f} s: the write path {disk.year.seconds_real:,.0f} s, "
        f"the copies and digests {disk.year.seconds_bulk:,.0f} s)"
    )
    try:
        idle: dict[str, Any] | None = None
        serving: dict[str, Any] | None = None
        if isinstance(place, SqlitePlace):
            # On PostgreSQL the bot on simcord stops answering after its first /log (the
            # entry is recorded, the reply never comes): memory is measured on SQLite only.
            say(f"{place.name}: memory of an idle bot ...")
            empty = place.url("idle")
            asyncio.run(migrate(empty))
            idle = child("memory", empty, dataclasses_replace(plan, members=0))
            place.drop(empty)
            say(f"{place.name}: memory serving {plan.members:,} members ...")
            work = place.copy(year, "serve")
            serving = child("memory", work, plan)
            place.drop(work)
        say(f"{place.name}: CPU of a day ({plan.minutes} minutes) ...")
        work = place.copy(year, "day")
        day = child("cpu", work, plan)
        place.drop(work)
    finally:
        place.drop(year)
    return Backend(place.name, disk, idle, serving, day)


def dataclasses_replace(plan: Plan, **changes: int) -> Plan:
    """Return a plan with some fields changed."""
    return Plan(**{**plan_dict(plan), **changes})


def mb(kb: float) -> float:
    """Return kB as MB (MiB)."""
    return kb / 1024


def total_pss_mb(figures: dict[str, Any]) -> float:
    """Return the bot, its chart workers and the fork server together (Pss), in MB."""
    return mb(figures["bot_pss_kb"] + figures["workers_pss_kb"] + figures["fork_server_pss_kb"])


def day_cpu(figures: dict[str, Any]) -> dict[str, float]:
    """Return a day's CPU seconds by where they were spent, the digest counted as 1/7.

    A run of fewer than 1,440 minutes (--quick) has every member post and draws every board
    in them: only the ticks are scaled up to a day, and PostgreSQL's CPU by the same factor as
    the process's.
    """
    own, day, digest = figures["own"], figures["day"], figures["digest"]
    scale = 1440 / figures["minutes"]
    process = own["posts"] + own["boards"] + own["ticks"] * scale
    measured = own["posts"] + own["boards"] + own["ticks"]
    postgres = day["postgres"] * (process / measured if measured else 1.0)
    return {
        "posts": own["posts"],
        "boards": own["boards"],
        "ticks": own["ticks"] * scale,
        "charts": day["charts"],
        "postgres": postgres,
        "digest": sum(digest.values()) / 7,
    }


def per_thousand(value: float, members: int) -> float:
    """Return a per-N-members figure as per 1,000 members."""
    return value * 1000 / members if members else 0.0


def rows_of(backend: Backend, baseline_kb: int) -> list[tuple[str, str, str]]:
    """Return the report's rows for one backend: (what, figure, how)."""
    disk, idle, serving, day = backend.disk, backend.idle, backend.serving, backend.day
    members = disk.year.members
    cpu = day_cpu(day)
    total_cpu = sum(cpu.values())
    tables_mb = sorted(disk.tables.items(), key=lambda item: -item[1])[:4]
    rows = [
        (
            "disk per 1,000 members per year",
            f"{disk.per_thousand_year / 2**20:,.1f} MB",
            (
                f"{disk.year_bytes / 2**20:,.1f} MB for {members:,} members x {disk.year.days} "
                f"days ({disk.year.entries:,} entries), minus {disk.empty_bytes / 2**20:,.2f} MB "
                "empty; largest: "
                + ", ".join(f"{name} {size / 2**20:,.1f} MB" for name, size in tables_mb)
            ),
        ),
        (
            "attachments",
            f"≤ quota x members; {disk.attachment_overhead:,.2f} bytes on disk per byte kept",
            (
                f"{disk.attachments_kept / 2**20:,.1f} MB of files kept took "
                f"{disk.attachments_bytes / 2**20:,.2f} MB; the default quota (50 MB a member) "
                "bounds 1,000 members at 50 GB"
            ),
        ),
        (
            "CPU per day, 1,000 members",
            (
                f"{per_thousand(total_cpu, members):,.1f} s = "
                f"{per_thousand(total_cpu, members) / 86400:.3%} of a core"
            ),
            (
                f"/log {cpu['posts']:,.1f} s ({day['posts']:,} posts), minute ticks "
                f"{cpu['ticks']:,.1f} s ({day['ticks']:,}"
                + (f" scaled x {1440 / day['minutes']:,.0f}" if day["minutes"] != 1440 else "")
                + f"), {day['boards']} boards and heatmaps {cpu['boards']:,.1f} s + chart "
                f"workers {cpu['charts']:,.1f} s"
                + (f", PostgreSQL server {cpu['postgres']:,.1f} s" if cpu["postgres"] else "")
                + f", the weekly digest {cpu['digest'] * 7:,.2f} s ÷ 7; for {members:,} members"
            ),
        ),
        (
            "CPU per day ÷ calibration loop",
            f"{per_thousand(total_cpu, members) / day['calibration_s']:,.0f} x",
            (
                f"the loop ({CALIBRATION_LOOPS:,} pure-Python steps) took "
                f"{day['calibration_s']:.3f} s here: multiply by your machine's time for it"
            ),
        ),
    ]
    if idle is not None and serving is not None:
        rows[2:2] = memory_rows(idle, serving, members, baseline_kb)
    return rows


def memory_rows(
    idle: dict[str, Any], serving: dict[str, Any], members: int, baseline_kb: int
) -> list[tuple[str, str, str]]:
    """Return the memory rows of the report: idle, serving, and the growth per 1,000 members."""
    bot_growth = mb(serving["bot_hwm_kb"] - idle["bot_hwm_kb"])
    together_growth = total_pss_mb(serving) - total_pss_mb(idle)
    return [
        (
            "memory, idle bot (no members)",
            (
                f"{mb(idle['bot_hwm_kb']):,.0f} MB bot + {len(idle['workers_hwm_kb'])} chart "
                f"workers ≈ {total_pss_mb(idle):,.0f} MB together"
            ),
            (
                f"peak RSS (VmHWM) of the bot {mb(idle['bot_hwm_kb']):,.0f} MB, workers "
                + ", ".join(f"{mb(kb):,.0f}" for kb in idle["workers_hwm_kb"])
                + f" MB, fork server {mb(idle['fork_server_hwm_kb']):,.0f} MB; together (Pss) "
                f"{total_pss_mb(idle):,.0f} MB; `python -c` {mb(baseline_kb):,.0f} MB "
                f"(the bot {idle['bot_hwm_kb'] / baseline_kb:,.1f} x)"
            ),
        ),
        (
            f"memory, serving {members:,} members",
            f"{mb(serving['bot_hwm_kb']):,.0f} MB bot ≈ {total_pss_mb(serving):,.0f} MB together",
            (
                "workers "
                + ", ".join(f"{mb(kb):,.0f}" for kb in serving["workers_hwm_kb"])
                + f" MB; {serving['actors']:,} of the members /log through simcord, then a board "
                f"and a heatmap: {serving['answered']:,} answered; {serving['ticks']} minute "
                f"ticks; discord.py's cache held {serving['cached_users']:,} users and "
                f"{serving['cached_members']:,} members"
            ),
        ),
        (
            "memory per 1,000 members",
            (
                f"+{per_thousand(bot_growth, members):,.0f} MB bot, "
                f"+{per_thousand(together_growth, members):,.0f} MB together"
            ),
            (
                "serving minus idle, scaled to 1,000 members (simcord's own state, in the same "
                "process, is counted too)"
            ),
        ),
    ]


def markdown_report(
    backends: list[Backend], baseline_kb: int, plan: Plan, load: list[float]
) -> str:
    """Return the report as Markdown: the context lines and one table per backend."""
    lines = [
        "**Hosting requirements: one challenge, measured on this machine**",
        "",
        f"machine: {machine()}  ",
        (
            f"code: {revision()}; load average start {load[0]:.2f}, end {load[-1]:.2f} "
            "(other processes share these CPUs)  "
        ),
        (
            f"plan: {plan.members:,} members, {plan.days} days ({plan.sample_days} through the "
            f"write path), {plan.ticks} minute ticks for memory, a CPU day of {plan.minutes} "
            "minutes"
        ),
    ]
    for backend in backends:
        year = backend.disk.year
        lines += [
            "",
            (
                f"**{backend.name}**: {year.entries:,} entries ({year.real_entries:,} through "
                f"the write path), mean post {year.mean_text_chars:,.0f} characters (from "
                f"{year.log_posts:,} entries of real logs; {year.log_posts_too_long} longer than "
                f"a Discord message left out); send ledger {year.ledger_rows:,} rows "
                f"({year.ledger_kinds}); {year.digests} digests; copies "
                f"{'identical in shape' if year.same_shape else 'DIFFER'} ({year.shape_note})"
            ),
            "",
            "| what | measured | how |",
            "|---|---|---|",
        ]
        lines += [
            f"| {what} | {figure} | {how} |" for what, figure, how in rows_of(backend, baseline_kb)
        ]
    return "\n".join(lines) + "\n"


def record(backends: list[Backend], baseline_kb: int) -> dict[str, Any]:
    """Return the figures as JSON-able data (what --json writes and the test reads)."""
    out: dict[str, Any] = {"bench": "hosting", "python_baseline_kb": baseline_kb, "backends": {}}
    for backend in backends:
        disk = backend.disk
        members = disk.year.members
        cpu = day_cpu(backend.day)
        out["backends"][backend.name] = {
            "members": members,
            "days": disk.year.days,
            "entries": disk.year.entries,
            "real_entries": disk.year.real_entries,
            "same_shape": disk.year.same_shape,
            "empty_bytes": disk.empty_bytes,
            "year_bytes": disk.year_bytes,
            "disk_bytes_per_1000_year": disk.per_thousand_year,
            "attachments_kept": disk.attachments_kept,
            "attachments_bytes": disk.attachments_bytes,
            "idle": backend.idle,
            "serving": backend.serving,
            "day": backend.day,
            "cpu_s_per_day": cpu,
            "cpu_s_per_day_per_1000": per_thousand(sum(cpu.values()), members),
        }
    return out


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.hosting", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run (seconds)")
    parser.add_argument("--members", type=int, help="members (default 1,000; quick 30)")
    parser.add_argument("--days", type=int, help="days of posts (default 365; quick 21)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("DAYBOOK_TEST_POSTGRES_URL"),
        help="a PostgreSQL cluster to measure on too (default: $DAYBOOK_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--markdown", nargs="?", const=PERF_DOCS / "hosting.md", type=Path, default=None
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--child", choices=("memory", "cpu"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    """Measure on each backend and print the report."""
    args = parse_args()
    if args.child:
        plan = Plan(**json.loads(args.plan))
        if args.child == "memory":
            actors = min(plan.actors, plan.members)
            result = asyncio.run(serve(args.url, plan.members, plan.ticks, plan.days, actors))
        else:
            result = asyncio.run(run_day(args.url, plan.members, plan.days, plan.minutes))
        print(json.dumps(result))
        return
    plan = QUICK if args.quick else FULL
    changes = {
        name: value
        for name, value in (("members", args.members), ("days", args.days))
        if value is not None
    }
    if changes:
        plan = dataclasses_replace(plan, **changes)
    load = [os.getloadavg()[0]]
    baseline = python_baseline_kb()
    backends = []
    with tempfile.TemporaryDirectory(prefix="daybook-hosting-") as scratch:
        places: list[Place] = [] if args.no_sqlite else [SqlitePlace(Path(scratch))]
        if args.postgres_url:
            places.append(PostgresPlace(args.postgres_url))
        for place in places:
            backends.append(measure_backend(place, plan))
    load.append(os.getloadavg()[0])
    text = markdown_report(backends, baseline, plan, load)
    print(text)
    if args.markdown is not None:
        write_markdown(args.markdown, text)
    if args.json is not None:
        args.json.write_text(json.dumps(record(backends, baseline), indent=2, default=str))


if __name__ == "__main__":
    main()

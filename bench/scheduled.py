"""Daybook's scheduled work on a large server: one minute's reminders, their delivery, the digest.

Measured on a copy of the engine benchmark's synthetic server (`bench/synthetic.py`: 10,000
members, a year of entries) at its fixed "now", 2026-12-31 12:00 UTC, through the services:

1. **The reminder tick's decision**, `ReminderService.due(now)`, with every member due in the
   same minute (each member's reminder time is their local wall time one minute before "now";
   mode channel; the challenge has a progress channel). A quarter of the members posted today,
   most of them a post that counts. Timed in runs alternating (ABBA) with the same-run
   baseline: a plain SELECT of the same members' rows through the same stack.
2. **The delivery of that wave** to the one progress channel, `ReminderDelivery.run(now, t)`,
   where `t` is the bot's own `DiscordTransport` (the real packing and pacing) with Discord's
   HTTP call replaced by a recorder, on a virtual clock: `sleep(x)` adds x to the clock and
   yields, so the Pacer's waits cost no real time while every database claim and settle does.
   Compared with the fastest schedule Discord's channel limit (5 messages per 5 s) allows.
3. **The weekly digest** (due at "now": the challenge's digest is set to Thursday 12:00 UTC, so
   it covers 24-30 December): `DigestService.preview`, the charts in the production process
   pool (`bot.charts.pool.chart_pool()`, warmed first) and the embeds, end to end, with the
   longest event-loop stall while it runs, taken by a task that sleeps 1 ms in a loop.

    ./run python bench/scheduled.py --db data/bench/server-10000.db   # or -m bench.scheduled
    ./run python bench/scheduled.py --quick                           # 1,000 members
    ./run python bench/scheduled.py --profile       # also where the digest stalls the loop
    ./run python bench/scheduled.py --no-gc         # the garbage collector off (diagnosis only)

The cached server file is never modified: everything runs on a copy in a temporary directory.
Benchmarks report; the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import io
import math
import os
import pstats
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any, cast
from zoneinfo import ZoneInfo

import discord
import sqlalchemy as sa
from discord.ext import commands

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # the bench files import each other as plain modules

from engine import (  # noqa: E402
    Member,
    Post,
    copy_database,
    ensure_server,
    entry_row,
    raw_writer,
    say,
)
from report import percentile, revision, table, verdict  # noqa: E402
from synthetic import CHANNEL_ID, GUILD_ID, NOW, TODAY, sqlite_url  # noqa: E402

from bot.charts.pool import CHART_WORKERS, chart_pool  # noqa: E402
from bot.domain.models import Challenge, ReminderMode  # noqa: E402
from bot.pacing import CHANNEL_LIMIT, MARGIN, Pacer  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.services.digests import Digest  # noqa: E402
from bot.services.reminders import REMINDER, DueMember  # noqa: E402
from bot.transport import DiscordTransport  # noqa: E402
from cogs._ui import digest as digest_text  # noqa: E402
from storage import Database, tables  # noqa: E402

SEED = 100
DIGEST_CHANNEL_ID = CHANNEL_ID + 1
LOGGED_SHARE = 0.25
"""Members who posted today before the reminder minute."""
COUNTING_SHARE = 0.85
"""Of those, the share whose post counts (60+ minutes); the others' day is still open."""
TARGET_DECISION_MS = 1000.0
TARGET_DELIVERY_RATIO = 0.9
TARGET_DIGEST_MS = 3000.0
TARGET_STALL_MS = 50.0
PROBE_PERIOD = 0.001
SAMPLE_EVERY = 0.005
STALL_SAMPLE_AFTER = 0.02
"""The stall sampler (--profile) samples once the loop has not run for this long."""
ROOT = HERE.parent
PROJECT = frozenset({"bot", "storage", "cogs"})
LATENCY_S = 0.0
"""Simulated time Discord takes to answer a channel message (virtual; 0 = instant)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """How big a run is."""

    members: int
    decision_runs: int
    digest_runs: int
    """Warm digests after the first (cold) one."""


FULL = Plan(members=10_000, decision_runs=7, digest_runs=5)
QUICK = Plan(members=1_000, decision_runs=5, digest_runs=3)


# ---------------------------------------------------------------------------------------------
# The set-up: one minute's reminders for everyone, today's posts, the digest due now
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wave:
    """What the set-up made, and so who the tick should find due."""

    members: int
    """Participant rows of the challenge."""
    reminded: int
    """Members with reminders on who have not left (all of them: channel, one minute ago)."""
    logged: int
    """Members who posted today."""
    counting: int
    """Of those, members whose post counts: the tick leaves them out."""
    refresh_s: float
    """The daily checkpoint refresh run before measuring (untimed set-up, for context)."""

    @property
    def expected_due(self) -> int:
        """Members the tick should find due."""
        return self.reminded - self.counting


async def prepare(work: Path) -> Wave:
    """Give every member a reminder due now, post today for some, and refresh the checkpoints."""
    rng = random.Random(SEED + 2)  # noqa: S311 - picks members, not secrets
    db = await Database.open(sqlite_url(work))
    try:
        async with raw_writer(db) as connection:
            # Benchmark set-up outside the layer rules, as bench/interactions.py does.
            challenge_id = int(
                (
                    await connection.execute(
                        sa.select(tables.challenges.c.id).where(
                            tables.challenges.c.guild_id == GUILD_ID
                        )
                    )
                ).scalar_one()
            )
            await connection.execute(
                tables.challenges.update()
                .where(tables.challenges.c.id == challenge_id)
                .values(
                    progress_channel_id=CHANNEL_ID,
                    digest_channel_id=DIGEST_CHANNEL_ID,
                    digest_weekday=NOW.weekday(),
                    digest_time=f"{NOW:%H:%M}",
                )
            )
            participants = tables.participants
            zones = (
                await connection.execute(sa.select(participants.c.timezone).distinct())
            ).scalars()
            for zone in list(zones):
                # Each member's reminder time is their local wall time a minute ago.
                local = (NOW - timedelta(minutes=1)).astimezone(ZoneInfo(zone))
                await connection.execute(
                    participants.update()
                    .where(participants.c.timezone == zone)
                    .values(
                        reminder_mode=ReminderMode.CHANNEL.value, reminder_time=f"{local:%H:%M}"
                    )
                )
            total = int(
                (
                    await connection.execute(sa.select(sa.func.count()).select_from(participants))
                ).scalar_one()
            )
            rows = await connection.execute(
                sa.select(participants.c.id, participants.c.user_id, participants.c.timezone)
                .where(participants.c.left_at.is_(None), participants.c.start_day <= TODAY)
                .order_by(participants.c.id)
            )
            reminded = [Member(row.id, row.user_id, row.timezone) for row in rows]
            posted = rng.sample(reminded, round(len(reminded) * LOGGED_SHARE))
            counting = 0
            entries = []
            for member in posted:
                counts = rng.random() < COUNTING_SHARE
                counting += counts
                minutes = rng.choice((60, 75, 90, 120)) if counts else rng.choice((15, 20, 30))
                row = entry_row(challenge_id, member, Post("Day 1: read a paper.", minutes))
                # Posted in the last hour: after 04:00 local in every zone, so today.
                row["created_at"] = NOW - timedelta(minutes=rng.randrange(2, 55))
                entries.append(row)
            await connection.execute(tables.entries.insert(), entries)
        say("the daily checkpoint refresh (set-up, as the scheduler runs it) ...")
        services = Services.build(db)
        started = time.perf_counter()
        await services.progress.refresh_due_checkpoints(now=NOW)
        refresh_s = time.perf_counter() - started
    finally:
        await db.close()
    return Wave(total, len(reminded), len(posted), counting, refresh_s)


# ---------------------------------------------------------------------------------------------
# 1. The decision
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Decision:
    """The tick's decision and its baseline, in alternating runs."""

    due_ms: list[float] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)
    first_ms: float = 0.0
    found: int = 0
    baseline_rows: int = 0
    stall_ms: float = 0.0

    @property
    def ratio(self) -> float:
        """The decision's median time as a multiple of the baseline's."""
        return statistics.median(self.due_ms) / statistics.median(self.baseline_ms)


BASELINE = sa.select(
    tables.participants.c.id,
    tables.participants.c.challenge_id,
    tables.participants.c.user_id,
    tables.participants.c.reminder_mode,
    tables.participants.c.timezone,
    tables.participants.c.reminder_time,
).where(
    tables.participants.c.reminder_mode != ReminderMode.OFF.value,
    tables.participants.c.left_at.is_(None),
)
"""The same members' rows, fetched with nothing decided: the floor under any decision."""


async def plain_select(db: Database) -> int:
    """Run the baseline SELECT through Database.read(); return how many rows it fetched."""
    async with db.read() as repos:
        return len((await repos.participants._connection.execute(BASELINE)).all())


async def due_members(services: Services) -> int:
    """Run the tick's decision; return how many members it found due a reminder."""
    batches = await services.reminders.due(NOW)
    return sum(len(batch.members) for batch in batches if batch.kind == REMINDER)


async def decide(db: Database, services: Services, runs: int) -> Decision:
    """Time `due(now)` and the baseline in ABBA order (the first of each untimed as warm-up)."""
    figures = Decision()
    started = time.perf_counter()
    figures.found = await due_members(services)
    figures.first_ms = (time.perf_counter() - started) * 1000
    figures.baseline_rows = await plain_select(db)
    for run in range(runs):
        order = ("due", "baseline") if run % 2 == 0 else ("baseline", "due")
        for side in order:
            started = time.perf_counter()
            if side == "due":
                assert await due_members(services) == figures.found
                figures.due_ms.append((time.perf_counter() - started) * 1000)
            else:
                await plain_select(db)
                figures.baseline_ms.append((time.perf_counter() - started) * 1000)
    async with probing() as probe:
        await due_members(services)
    figures.stall_ms = probe.worst_ms
    return figures


# ---------------------------------------------------------------------------------------------
# 2. The delivery, on a virtual clock
# ---------------------------------------------------------------------------------------------


class VirtualClock:
    """Real elapsed time plus every second slept, where sleeping costs no real time."""

    def __init__(self) -> None:
        self.slept = 0.0

    def monotonic(self) -> float:
        """Return the virtual now."""
        return time.perf_counter() + self.slept

    async def sleep(self, seconds: float) -> None:
        """Move the clock on by `seconds`, and let other tasks run."""
        self.slept += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass(frozen=True, slots=True)
class Sent:
    """One channel message as Discord would have received it."""

    at: float
    """Virtual instant of the request."""
    length: int
    users: tuple[int, ...]
    """The users its allowed mentions ping."""


class RecordingChannel:
    """Stands in for `bot.get_partial_messageable(...)`: send() records instead of a request."""

    def __init__(self, clock: VirtualClock, latency: float) -> None:
        self.clock = clock
        self.latency = latency
        self.sent: list[Sent] = []

    async def send(
        self,
        content: str,
        *,
        view: discord.ui.View,
        allowed_mentions: discord.AllowedMentions,
    ) -> None:
        """Record the message; take the simulated request latency (virtual time)."""
        users = tuple(user.id for user in cast(list[discord.Object], allowed_mentions.users))
        self.sent.append(Sent(self.clock.monotonic(), len(content), users))
        if self.latency:
            await self.clock.sleep(self.latency)


class TimedTransport(DiscordTransport):
    """The bot's transport, noting the instant each channel turn is granted."""

    def __init__(self, bot: commands.Bot, pacer: Pacer, clock: VirtualClock) -> None:
        super().__init__(bot, pacer)
        self.clock = clock
        self.turns: list[float] = []

    async def turn(self, challenge: Challenge, member: DueMember | None) -> None:
        """Wait for the turn as the bot does, then note when it came."""
        await super().turn(challenge, member)
        if member is None:
            self.turns.append(self.clock.monotonic())


class RecordingBot:
    """The little of a bot `DiscordTransport.to_channel` uses."""

    def __init__(self, channel: RecordingChannel) -> None:
        self.channel = channel

    def get_partial_messageable(self, channel_id: int) -> RecordingChannel:
        """Return the recording channel (there is one progress channel)."""
        assert channel_id == CHANNEL_ID
        return self.channel


@dataclass(slots=True)
class Delivery:
    """What one tick delivered, and when."""

    due: int = 0
    sent: int = 0
    messages: int = 0
    seconds: float = 0.0
    """Virtual seconds from the start of the tick to the last message."""
    real_s: float = 0.0
    """Real (wall) seconds the tick took: its database and Python work."""
    longest: int = 0
    busiest_window: int = 0
    closest_sixth_s: float = math.inf
    """The shortest time between a message and the fifth after it."""
    closest_pair: tuple[int, int] = (0, 0)
    """The messages (numbered from 1) of that shortest time."""
    lags_ms: list[float] = field(default_factory=list)
    """Per message: from its granted turn to its request (the claim in the send ledger)."""
    ledger_sent: int = 0
    mentioned_once: bool = False
    again_sent: int = 0
    """Sent by a second tick at the same instant (should be 0)."""
    stall_ms: float = 0.0

    @property
    def fastest_s(self) -> float:
        """The fastest schedule Discord's limit allows: 5 at t=0, then 5 every 5 seconds."""
        waves = math.ceil(self.messages / CHANNEL_LIMIT.count)
        return CHANNEL_LIMIT.seconds * max(0, waves - 1)

    @property
    def ratio(self) -> float:
        """The fastest schedule's time as a share of the delivery's."""
        return self.fastest_s / self.seconds if self.seconds else 1.0


async def deliver(db: Database, services: Services, expected: int) -> Delivery:
    """Run one reminder tick through the bot's transport on a virtual clock."""
    clock = VirtualClock()
    channel = RecordingChannel(clock, LATENCY_S)
    pacer = Pacer(monotonic=clock.monotonic, sleep=clock.sleep)
    transport = TimedTransport(cast(commands.Bot, RecordingBot(channel)), pacer, clock)
    figures = Delivery(due=expected)
    async with probing() as probe:
        wall = time.perf_counter()
        started = clock.monotonic()
        report = await services.delivery.run(NOW, transport)
        figures.real_s = time.perf_counter() - wall
    figures.stall_ms = probe.worst_ms
    sent = channel.sent
    figures.sent, figures.messages = report.sent, len(sent)
    if sent:
        figures.seconds = sent[-1].at - started
    figures.longest = max((message.length for message in sent), default=0)
    times = [message.at for message in sent]
    limit = CHANNEL_LIMIT
    figures.busiest_window = max(
        (sum(1 for other in times if at <= other < at + limit.seconds) for at in times), default=0
    )
    gaps = [(times[i + limit.count] - times[i], i) for i in range(len(times) - limit.count)]
    if gaps:
        figures.closest_sixth_s, first = min(gaps)
        figures.closest_pair = (first + 1, first + 1 + limit.count)
    if len(transport.turns) == len(times):
        figures.lags_ms = [
            (at - turn) * 1000 for at, turn in zip(times, transport.turns, strict=True)
        ]
    users = [user for message in sent for user in message.users]
    figures.mentioned_once = len(users) == len(set(users)) == report.sent
    async with db.read() as repos:
        statement = (
            sa.select(sa.func.count())
            .select_from(tables.send_ledger)
            .where(
                tables.send_ledger.c.kind == REMINDER,
                tables.send_ledger.c.period == TODAY.isoformat(),
                tables.send_ledger.c.status == "sent",
            )
        )
        figures.ledger_sent = int((await repos.sends._connection.execute(statement)).scalar_one())
    figures.again_sent = (await services.delivery.run(NOW, transport)).sent
    return figures


# ---------------------------------------------------------------------------------------------
# 3. The weekly digest
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Probe:
    """Wakes every PROBE_PERIOD and notes how late it woke: the loop's stalls."""

    wakes: list[tuple[float, float]] = field(default_factory=list)
    """(instant the stall began, its length in seconds) of each wake."""
    last_wake: float = field(default_factory=time.perf_counter)

    @property
    def worst_ms(self) -> float:
        """The longest stall, in milliseconds."""
        return max((late for _, late in self.wakes), default=0.0) * 1000

    def worst_in(self, start: float, end: float) -> float:
        """The longest stall that began between `start` and `end`, in milliseconds."""
        return max((late for at, late in self.wakes if start <= at < end), default=0.0) * 1000

    async def run(self, stop: asyncio.Event) -> None:
        """Sleep PROBE_PERIOD again and again until stopped."""
        while not stop.is_set():
            slept = time.perf_counter()
            await asyncio.sleep(PROBE_PERIOD)
            self.last_wake = time.perf_counter()
            gap = self.last_wake - slept
            self.wakes.append((slept + PROBE_PERIOD, max(0.0, gap - PROBE_PERIOD)))


@contextlib.asynccontextmanager
async def probing() -> AsyncIterator[Probe]:
    """Run a stall probe for the duration of the block."""
    probe, stop = Probe(), asyncio.Event()
    task = asyncio.create_task(probe.run(stop))
    await asyncio.sleep(0)
    try:
        yield probe
    finally:
        stop.set()
        await task


class StallSampler:
    """While the loop is stalled, note where the main thread is: a thread sampling every 5 ms.

    A stall is the probe not having woken for STALL_SAMPLE_AFTER. Each sample names the
    innermost frame of Daybook's own code (bot/, storage/, cogs/) and the innermost frame of
    all; pure Python lets this thread in at each GIL switch (5 ms), a garbage collection does
    not (its pause shows as fewer samples than its length).
    """

    def __init__(self, probe: Probe) -> None:
        self.probe = probe
        self.samples: Counter[tuple[str, str]] = Counter()
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)

    def __enter__(self) -> StallSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            if time.perf_counter() - self.probe.last_wake < STALL_SAMPLE_AFTER:
                continue
            frame = sys._current_frames().get(self._main or 0)
            if frame is not None:
                self.samples[where(frame)] += 1

    def top(self, count: int) -> list[str]:
        """Return the most sampled lines of the use case, and within each the functions."""
        total = sum(self.samples.values())
        lines: Counter[str] = Counter()
        for (line, _), n in self.samples.items():
            lines[line] += n
        out = [f"{total} samples"]
        for line, n in lines.most_common(count):
            out.append(f"{n / total:4.0%} {line}")
            inner = Counter({fn: k for (at, fn), k in self.samples.items() if at == line})
            out.extend(f"       {k / total:4.0%} in {fn}" for fn, k in inner.most_common(3))
        return out


def where(frame: FrameType) -> tuple[str, str]:
    """Return (the use case's line, the innermost Daybook function) a sample stands in.

    The use case is the outermost frame in bot/services/ (here DigestService.preview); its
    line is the deepest frame in the same file, so a sample inside a helper it calls (the walk,
    a repository) is counted against the statement of the use case that called it.
    """
    services: list[tuple[str, str]] = []
    inner = "(outside Daybook)"
    current: FrameType | None = frame
    while current is not None:
        path = Path(current.f_code.co_filename)
        if path.is_relative_to(ROOT):
            shown = str(path.relative_to(ROOT))
            if inner == "(outside Daybook)" and path.relative_to(ROOT).parts[0] in PROJECT:
                inner = f"{shown} {current.f_code.co_name}"
            if shown.startswith("bot/services/"):
                services.append((shown, f"{shown}:{current.f_lineno} {current.f_code.co_name}"))
        current = current.f_back
    if not services:
        return "(no service)", inner
    use_case = services[-1][0]
    return next(line for file, line in services if file == use_case), inner


@dataclass(frozen=True, slots=True)
class DigestRun:
    """One digest, built, charted and rendered, with the loop's stalls meanwhile."""

    build_ms: float
    charts_ms: float
    embeds_ms: float
    stall_ms: float
    stall_build_ms: float
    stall_charts_ms: float
    stall_embeds_ms: float

    @property
    def total_ms(self) -> float:
        """End to end."""
        return self.build_ms + self.charts_ms + self.embeds_ms


@dataclass(slots=True)
class DigestFigures:
    """The digest's runs and what it said."""

    cold: DigestRun | None = None
    warm: list[DigestRun] = field(default_factory=list)
    week: str = ""
    members: int = 0
    active: int = 0
    embed_length: int = 0
    longest_field: int = 0
    fields: int = 0
    png_kb: tuple[float, float] = (0.0, 0.0)
    tick_ms: float = 0.0
    """The scheduler's path, `run_due`, with the same rendering as its post."""
    tick_posted: int = 0
    tick_again: int = 0
    stall_sites: dict[str, list[str]] = field(default_factory=dict)
    """With --profile: where the main thread was while the loop stalled, by digest run."""


def name_lookup(digest: Digest) -> Callable[[Sequence[int]], Awaitable[dict[int, str]]]:
    """Return a lookup naming each member the digest lists 'member N' (no Discord here)."""
    names = {user: f"member {n}" for n, user in enumerate(digest_text.listed_ids(digest), 1)}

    async def lookup(user_ids: Sequence[int]) -> dict[int, str]:
        return {user: names[user] for user in user_ids if user in names}

    return lookup


async def render(services: Services, digest: Digest) -> tuple[list[discord.Embed], bytes, bytes]:
    """Do what the bot's DigestPoster.message does: the charts, then the embeds."""
    lookup = name_lookup(digest)
    names = await lookup(digest_text.listed_ids(digest))
    pictures = await services.charts.draw_digest(digest, lookup)
    return digest_text.digest_embeds(digest, names), pictures.board, pictures.activity


async def one_digest(services: Services, figures: DigestFigures) -> DigestRun:
    """Build, chart and render the digest due now, under a stall probe."""
    async with probing() as probe:
        began = time.perf_counter()
        digest = await services.digests.preview(guild_id=GUILD_ID, challenge=None, now=NOW)
        built = time.perf_counter()
        lookup = name_lookup(digest)
        names = await lookup(digest_text.listed_ids(digest))
        pictures = await services.charts.draw_digest(digest, lookup)
        charted = time.perf_counter()
        embeds = digest_text.digest_embeds(digest, names)
        done = time.perf_counter()
    figures.week = f"{digest.first_day} to {digest.last_day} ({digest.slot.week})"
    figures.members, figures.active = digest.members, digest.active
    figures.embed_length = sum(len(embed) for embed in embeds)
    figures.fields = sum(len(embed.fields) for embed in embeds)
    figures.longest_field = max(
        (len(f.value or "") for embed in embeds for f in embed.fields), default=0
    )
    figures.png_kb = (len(pictures.board) / 1024, len(pictures.activity) / 1024)
    return DigestRun(
        build_ms=(built - began) * 1000,
        charts_ms=(charted - built) * 1000,
        embeds_ms=(done - charted) * 1000,
        stall_ms=probe.worst_ms,
        stall_build_ms=probe.worst_in(began, built),
        stall_charts_ms=probe.worst_in(built, charted),
        stall_embeds_ms=probe.worst_in(charted, done + 1),
    )


@contextlib.contextmanager
def profiled(enabled: bool, name: str) -> Iterator[None]:
    """cProfile the block on the main thread's CPU clock and print its hot spots to stderr."""
    if not enabled:
        yield
        return
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats("tottime").print_stats(12)
        stats.sort_stats("cumulative").print_stats(r"/(bot|storage|cogs)/", 18)
        say(f"--- CPU profile of {name} (main thread) ---\n{text.getvalue()}")


async def digests(db: Database, runs: int, profile: bool) -> DigestFigures:
    """Time the digest in the production chart pool: first after a start, then warm."""
    figures = DigestFigures()
    with chart_pool() as pool:
        services = Services.build(db, chart_executor=pool)
        await services.charts.warm(CHART_WORKERS)  # the bot does this when it connects
        say("digest: the first after a start (empty walk cache), then warm ...")
        figures.cold = await one_digest(services, figures)
        for _ in range(runs):
            figures.warm.append(await one_digest(services, figures))
        if profile:
            # Several digests per sampler, for more samples: 3 warm, then 2 each after a start.
            for label, restart in (("warm walk cache", False), ("first after a start", True)):
                async with probing() as probe:
                    with StallSampler(probe) as sampler:
                        for _ in range(2 if restart else 3):
                            if restart:
                                services = Services.build(db, chart_executor=pool)
                            await one_digest(services, figures)
                figures.stall_sites[label] = sampler.top(8)
            with profiled(True, "digest build, warm walk cache"):
                await services.digests.preview(guild_id=GUILD_ID, challenge=None, now=NOW)
            fresh = Services.build(db, chart_executor=pool)
            with profiled(True, "digest build, first after a start"):
                await fresh.digests.preview(guild_id=GUILD_ID, challenge=None, now=NOW)

        async def post(digest: Digest) -> None:
            await render(services, digest)

        started = time.perf_counter()
        figures.tick_posted = len(await services.digests.run_due(NOW, post))
        figures.tick_ms = (time.perf_counter() - started) * 1000
        figures.tick_again = len(await services.digests.run_due(NOW, post))
    return figures


# ---------------------------------------------------------------------------------------------
# The run and the report
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Figures:
    """Everything a run measured."""

    wave: Wave
    decision: Decision
    delivery: Delivery
    digest: DigestFigures
    load: list[tuple[str, float]]


async def measure(work: Path, plan: Plan, profile: bool) -> Figures:
    """Set the wave up on the working copy and run the three measurements."""
    load = [("start", os.getloadavg()[0])]
    say("set-up: every member's reminder due now; today's posts; the digest due now ...")
    wave = await prepare(work)
    db = await Database.open(sqlite_url(work))
    try:
        services = Services.build(db)
        say(f"reminder decision: due(now), {plan.decision_runs} runs alternating with a SELECT")
        decision = await decide(db, services, plan.decision_runs)
        say("reminder delivery to the progress channel, on a virtual clock ...")
        delivery = await deliver(db, services, decision.found)
        digest = await digests(db, plan.digest_runs, profile)
    finally:
        await db.close()
    load.append(("end", os.getloadavg()[0]))
    return Figures(wave, decision, delivery, digest, load)


def rows(figures: Figures) -> list[tuple[str, str, str, str]]:
    """Return (measure, target, measured, verdict) rows."""
    d, t, g = figures.decision, figures.delivery, figures.digest
    assert g.cold is not None
    due_p50 = statistics.median(d.due_ms)
    warm_total = [run.total_ms for run in g.warm]
    warm_stall = [run.stall_ms for run in g.warm]
    return [
        (
            f"reminder decision due(now), {d.found:,} due ({len(d.due_ms)} runs)",
            f"< {TARGET_DECISION_MS:,.0f} ms",
            f"p50 {due_p50:,.0f} ms, max {max(d.due_ms):,.0f} ms = {d.ratio:.1f} x baseline",
            verdict(due_p50 < TARGET_DECISION_MS),
        ),
        (
            "channel delivery vs fastest schedule",
            f">= {TARGET_DELIVERY_RATIO} x",
            f"{t.messages} messages: {t.seconds:,.1f} s vs {t.fastest_s:,.0f} s = {t.ratio:.3f} x",
            verdict(t.ratio >= TARGET_DELIVERY_RATIO),
        ),
        (
            "channel rate limit (5 messages / 5 s)",
            "never more than 5",
            (
                f"busiest 5 s window {t.busiest_window}; messages {t.closest_pair[0]} and "
                f"{t.closest_pair[1]} {t.closest_sixth_s:.3f} s apart"
            ),
            verdict(t.busiest_window <= CHANNEL_LIMIT.count),
        ),
        (
            "weekly digest end to end, first after start",
            f"< {TARGET_DIGEST_MS:,.0f} ms",
            (
                f"{g.cold.total_ms:,.0f} ms (build {g.cold.build_ms:,.0f}, charts "
                f"{g.cold.charts_ms:,.0f}, embeds {g.cold.embeds_ms:,.1f})"
            ),
            verdict(g.cold.total_ms < TARGET_DIGEST_MS),
        ),
        (
            f"weekly digest end to end, warm ({len(g.warm)} runs)",
            f"< {TARGET_DIGEST_MS:,.0f} ms",
            f"p50 {percentile(warm_total, 50):,.0f} ms, max {max(warm_total):,.0f} ms",
            verdict(max(warm_total) < TARGET_DIGEST_MS),
        ),
        (
            "longest loop stall, digest first after start",
            f"< {TARGET_STALL_MS:.0f} ms",
            (
                f"{g.cold.stall_ms:,.0f} ms (build {g.cold.stall_build_ms:,.0f}, charts "
                f"{g.cold.stall_charts_ms:,.0f}, embeds {g.cold.stall_embeds_ms:,.0f})"
            ),
            verdict(g.cold.stall_ms < TARGET_STALL_MS),
        ),
        (
            "longest loop stall, digest warm",
            f"< {TARGET_STALL_MS:.0f} ms",
            (
                f"p50 {percentile(warm_stall, 50):,.0f} ms, max {max(warm_stall):,.0f} ms (build "
                f"{max(run.stall_build_ms for run in g.warm):,.0f}, charts "
                f"{max(run.stall_charts_ms for run in g.warm):,.0f})"
            ),
            verdict(max(warm_stall) < TARGET_STALL_MS),
        ),
        (
            "digest embeds, total length",
            "<= 6,000",
            f"{g.embed_length:,} in {g.fields} fields (longest {g.longest_field:,})",
            verdict(g.embed_length <= digest_text.TOTAL_LIMIT),
        ),
    ]


def report(figures: Figures, plan: Plan, build: dict[str, Any], copy_s: float, quick: bool) -> str:
    """Return the whole report."""
    w, d, t, g = figures.wave, figures.decision, figures.delivery, figures.digest
    checks = [
        (d.found == w.expected_due, "as expected" if d.found == w.expected_due else "MISMATCH"),
        (t.sent == d.found, "every due member"),
        (t.ledger_sent == t.sent, "each claimed and settled in the send ledger"),
    ]
    out = [
        "Daybook scheduled-work benchmark"
        + (" (--quick)" if quick else "")
        + ("" if gc.isenabled() else " (garbage collector off)"),
        f"machine: {os.cpu_count()} CPUs; code: {revision()}; load average "
        + ", ".join(f"{when} {load:.2f}" for when, load in figures.load),
        (
            f"server: {w.members:,} members ({plan.members:,} built; "
            f"{'reused' if build.get('reused') else 'built'} file, copied in {copy_s:.1f} s); "
            f"now = {NOW.isoformat()}; set-up checkpoint refresh {w.refresh_s:.1f} s"
        ),
        "",
        (
            f"the wave: {w.reminded:,} members with a channel reminder due this minute (every "
            f"member who has not left); {w.logged:,} posted today, {w.counting:,} of them a post "
            f"that counts, {w.logged - w.counting:,} a short one (their day is still open)"
        ),
        (
            f"  due(now) found {d.found:,} due: expected {w.expected_due:,} "
            f"({checks[0][1]}); first call {d.first_ms:,.0f} ms; longest loop stall during one "
            f"call {d.stall_ms:,.0f} ms"
        ),
        (
            f"  baseline: a plain SELECT of the same {d.baseline_rows:,} members' rows via "
            f"Database.read(), alternating: p50 {statistics.median(d.baseline_ms):,.1f} ms"
        ),
        (
            f"delivery: {t.sent:,} members in {t.messages} messages (longest "
            f"{t.longest:,} characters of 2,000); {checks[1][1] if checks[1][0] else 'MISMATCH'}"
            f", {checks[2][1] if checks[2][0] else 'LEDGER MISMATCH'} ({t.ledger_sent:,} rows); "
            f"each mentioned once: {'yes' if t.mentioned_once else 'NO'}; a second tick at the "
            f"same instant sent {t.again_sent}"
        ),
        (
            f"  virtual clock: the Pacer's waits cost no real time; Discord answers in "
            f"{LATENCY_S * 1000:.0f} ms; real work {t.real_s:,.2f} s (the decision, "
            f"{t.messages} claims and settles, packing); longest loop stall {t.stall_ms:,.0f} ms"
        ),
        (
            f"  from a granted turn to its request (the ledger claim): p50 "
            f"{percentile(t.lags_ms, 50):,.1f} ms, max {max(t.lags_ms, default=0):,.1f} ms "
            f"(message {1 + t.lags_ms.index(max(t.lags_ms, default=0)) if t.lags_ms else 0}); "
            f"the Pacer's margin is {MARGIN * 1000:.0f} ms"
        ),
        (
            f"digest: week {g.week}, {g.active:,} of {g.members:,} members active; charts "
            f"{g.png_kb[0]:,.0f} KB and {g.png_kb[1]:,.0f} KB from {CHART_WORKERS} worker "
            f"processes (warmed first); the scheduler's run_due with the same rendering "
            f"{g.tick_ms:,.0f} ms, posted {g.tick_posted}, then {g.tick_again} on a second tick"
        ),
        "",
        *table(rows(figures)),
        "",
        (
            "verdicts: the decision on its median run; delivery = virtual seconds from the "
            "tick's start to its last message, fastest = 5 x (ceil(M/5) - 1) s; stalls = the "
            "worst lateness of a task sleeping 1 ms, attributed to the phase the stall began in"
        ),
    ]
    for label, sites in g.stall_sites.items():
        out.append("")
        out.append(f"where the loop stalled, digest {label} (main thread sampled every 5 ms):")
        out.extend(f"  {site}" for site in sites)
    return "\n".join(out)


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 members: a smoke run")
    parser.add_argument(
        "--db",
        type=Path,
        help="the engine benchmark's server file: built there if absent, reused, never modified",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also sample where the loop stalls in the digest, and cProfile its build",
    )
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="turn the garbage collector off, to tell its pauses from the code's",
    )
    return parser.parse_args()


def main() -> None:
    """Build (or reuse) the server, measure on a copy, and print the report."""
    args = parse_args()
    if args.no_gc:
        gc.disable()
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="daybook-scheduled-") as scratch:
        pristine = (args.db or Path(scratch) / f"server-{plan.members}.db").resolve()
        build = ensure_server(pristine, plan.members, SEED)
        work = Path(scratch) / "work.db"
        copy_s = copy_database(pristine, work)
        figures = asyncio.run(measure(work, plan, args.profile))
    print(report(figures, plan, build, copy_s, args.quick))
    print(f"\nwhole run: {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()

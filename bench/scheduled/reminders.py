"""The reminder tick: its decision against a plain SELECT, and its delivery on a virtual clock."""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass, field
from typing import cast

import sqlalchemy as sa
from discord.ext import commands

from bench.fakes import RecordingBot, RecordingChannel, TimedTransport, VirtualClock
from bench.stall import probing
from bench.world import NOW, TODAY
from bot.domain.models import ReminderMode
from bot.pacing import CHANNEL_LIMIT, Pacer
from bot.services import Services
from bot.services.reminders import REMINDER
from storage import Database, tables

LATENCY_S = 0.0
"""Simulated time Discord takes to answer a channel message (virtual; 0 = instant)."""


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
        """The fastest schedule's time, plus the tick's own real work, as a share of the delivery's.

        The real work counts on both sides: with five messages or fewer the fastest schedule
        is 0 s, and a tick cannot take less than its own database work.
        """
        if not self.seconds:
            return 0.0 if not self.messages else 1.0
        return min(1.0, (self.fastest_s + self.real_s) / self.seconds)


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

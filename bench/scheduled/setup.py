"""The set-up: one minute's reminders for everyone, today's posts, and the digest due now."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.report import say
from bench.server import Member, Post, entry_row, raw_writer
from bench.world import CHANNEL_ID, GUILD_ID, NOW, TODAY
from bot.domain.models import ReminderMode
from bot.services import Services
from storage import Database, tables

SEED = 100
DIGEST_CHANNEL_ID = CHANNEL_ID + 1
LOGGED_SHARE = 0.25
"""Members who posted today before the reminder minute."""
COUNTING_SHARE = 0.85
"""Of those, the share whose post counts (60+ minutes); the others' day is still open."""


@dataclass(frozen=True, slots=True)
class Plan:
    """How big a run is."""

    members: int
    decision_runs: int
    digest_runs: int
    """Warm digests after the first (cold) one."""


FULL = Plan(members=10_000, decision_runs=7, digest_runs=5)
QUICK = Plan(members=1_000, decision_runs=5, digest_runs=3)


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


async def prepare(url: str) -> Wave:
    """Give every member a reminder due now, post today for some, and refresh the checkpoints."""
    rng = random.Random(SEED + 2)  # noqa: S311 - picks members, not secrets
    db = await Database.open(url)
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

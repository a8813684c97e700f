"""The synthetic members: who joins when, in which zone, and how each posts day by day."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench.posts import POOL_SIZE, post_pool
from bench.world import (
    CHANNEL_ID,
    DISCORD_EPOCH_MS,
    GUILD_ID,
    NOW,
    ROLLOVER_HOUR,
    TODAY,
    YEAR_START,
    ZONES,
)


@dataclass(slots=True)
class Member:
    """One synthetic member's habits: a two-state Markov chain of active and idle days."""

    index: int
    user_id: int
    zone: str
    join: int
    """Day index (0 = YEAR_START) the member joined."""
    quit: int | None
    """Day index after which the member never posts again."""
    stay_active: float
    """P(active tomorrow | active today)."""
    stay_idle: float
    """P(idle tomorrow | idle today)."""
    minutes_habit: float
    """Probability that a post states its minutes."""
    short_days: float
    """Probability that stated minutes fall short of the hour."""
    multi_post: float
    """Probability of a second post on an active day."""
    left: bool
    hidden: bool
    initial_day: int


def markov(activity: float, mean_gap: float) -> tuple[float, float]:
    """Return (stay_active, stay_idle) for a stationary activity and a mean gap length."""
    stay_idle = 1 - 1 / mean_gap
    leave_active = (1 - stay_idle) * (1 - activity) / activity
    return 1 - leave_active, stay_idle


def make_members(rng: random.Random, count: int, days: int) -> list[Member]:
    """Draw the members: join dates, zones and habits."""
    zone_names = [name for name, _ in ZONES]
    zone_weights = [weight for _, weight in ZONES]
    members = []
    user_ids = rng.sample(range(10**17, 10**17 + 10**15), count)
    for index in range(count):
        # A launch wave in the first two weeks, then a steady trickle that thins out.
        if rng.random() < 0.4:
            join = rng.randrange(14)
        else:
            join = min(int(rng.expovariate(1 / 80)), days - 30)
        kind = rng.random()
        quit_day = None
        if kind < 0.15:  # very regular
            activity, mean_gap = rng.uniform(0.92, 0.97), rng.uniform(1.0, 1.5)
        elif kind < 0.80:  # most members
            activity, mean_gap = rng.uniform(0.5, 0.8), rng.uniform(1.5, 4.0)
        else:  # gives up after a while
            activity, mean_gap = rng.uniform(0.45, 0.8), rng.uniform(1.5, 5.0)
            quit_day = join + int(rng.uniform(7, 150))
        stay_active, stay_idle = markov(activity, max(mean_gap, 1.01))
        members.append(
            Member(
                index=index,
                user_id=user_ids[index],
                zone=rng.choices(zone_names, zone_weights)[0],
                join=join,
                quit=quit_day,
                stay_active=stay_active,
                stay_idle=stay_idle,
                minutes_habit=rng.uniform(0.6, 1.0),
                short_days=rng.uniform(0.02, 0.2),
                multi_post=rng.uniform(0.03, 0.3),
                left=quit_day is not None and rng.random() < 0.3,
                hidden=rng.random() < 0.03,
                initial_day=1 if rng.random() < 0.97 else rng.randrange(2, 40),
            )
        )
    return members


def utc_offsets(days: int) -> dict[str, list[timedelta]]:
    """Return each zone's UTC offset at local noon of every day of the year."""
    offsets: dict[str, list[timedelta]] = {}
    for name, _ in ZONES:
        tz = ZoneInfo(name)
        offsets[name] = [
            datetime.combine(YEAR_START + timedelta(days=day), datetime.min.time())
            .replace(hour=12, tzinfo=tz)
            .utcoffset()
            or timedelta()
            for day in range(days)
        ]
    return offsets


def participant_rows(challenge_id: int, members: list[Member]) -> list[dict[str, Any]]:
    """Return the participants table's rows (ids are 1..N in member order)."""
    rows = []
    for member in members:
        start = YEAR_START + timedelta(days=member.join)
        joined_at = datetime.combine(start, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
        rows.append(
            {
                "id": member.index + 1,
                "challenge_id": challenge_id,
                "guild_id": GUILD_ID,
                "user_id": member.user_id,
                "timezone": member.zone,
                "start_day": start,
                "initial_day": member.initial_day,
                "reminder_time": "20:00" if member.index % 4 == 0 else None,
                "reminder_mode": "dm" if member.index % 4 == 0 else "off",
                "joined_at": joined_at,
                "left_at": NOW - timedelta(days=30) if member.left else None,
            }
        )
    return rows


def member_settings_rows(members: list[Member]) -> list[dict[str, Any]]:
    """Return the member_settings rows of the members who hide themselves."""
    return [
        {"guild_id": GUILD_ID, "user_id": member.user_id, "hidden": True}
        for member in members
        if member.hidden
    ]


class EntryMaker:
    """Walks the year day by day and emits each day's entries in posting order."""

    def __init__(self, rng: random.Random, challenge_id: int, members: list[Member]) -> None:
        self.rng = rng
        self.challenge_id = challenge_id
        self.members = members
        self.days = (TODAY - YEAR_START).days
        self.pool = post_pool(rng)
        self.offsets = utc_offsets(self.days)
        self.active = [True] * len(members)
        self.message_seq = 0

    def day_rows(self, day: int) -> list[dict[str, Any]]:
        """Return the entries every member posted on local day `day`, oldest first."""
        rng = self.rng
        local_day = YEAR_START + timedelta(days=day)
        midnight = datetime.combine(local_day, datetime.min.time(), tzinfo=UTC)
        rows: list[dict[str, Any]] = []
        for member in self.members:
            if day < member.join or (member.quit is not None and day > member.quit):
                continue
            if day == member.join:
                active = True
            elif self.active[member.index]:
                active = rng.random() < member.stay_active
            else:
                active = rng.random() >= member.stay_idle
            self.active[member.index] = active
            if not active:
                continue
            posts = 1 + (rng.random() < member.multi_post) + (rng.random() < 0.03)
            offset = self.offsets[member.zone][day]
            # Local posting times from 07:00 to 03:59 the next morning (before the rollover).
            hours = sorted(rng.uniform(7, 24 + ROLLOVER_HOUR) for _ in range(posts))
            for hour in hours:
                rows.append(self._row(member, local_day, midnight + timedelta(hours=hour) - offset))
        rows.sort(key=lambda row: row["created_at"])
        for row in rows:
            if row["source"] == "channel":
                self.message_seq += 1
                millis = int(row["created_at"].timestamp() * 1000) - DISCORD_EPOCH_MS
                row["message_id"] = (millis << 22) | (self.message_seq & 0x3FFFFF)
        return rows

    def _row(self, member: Member, local_day: date, created_at: datetime) -> dict[str, Any]:
        rng = self.rng
        post = self.pool[rng.randrange(POOL_SIZE)]
        minutes = None
        if rng.random() < member.minutes_habit:
            if rng.random() < member.short_days:
                minutes = rng.randrange(10, 60, 5)
            else:
                minutes = rng.choice((60, 60, 60, 75, 90, 90, 120, 150, 180))
        channel = rng.random() < 0.6
        return {
            "participant_id": member.index + 1,
            "challenge_id": self.challenge_id,
            "user_id": member.user_id,
            "local_day": local_day,
            "timezone": member.zone,
            "text": post.text,
            "minutes": minutes,
            "words": post.words,
            "has_link": post.has_link,
            "tags_json": post.tags_json,
            "links_json": post.links_json,
            "attachments_json": "[]",
            "source": "channel" if channel else "command",
            "message_id": None,
            "channel_id": CHANNEL_ID if channel else None,
            "import_key": None,
            "created_at": created_at,
        }

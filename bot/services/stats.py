"""How a challenge is doing, for its organizers: activity, retention, milestones, streaks.

Private to organizers and naming nobody, the numbers count every member in aggregate: those
hidden from boards, and (for the days they were active) those who have since left. Milestones
and streaks are of the members still in, as the engine has them now.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.charts.stats_data import CohortRow, MilestoneBar, StatsData
from bot.domain.engine import Phase
from bot.domain.milestones import Milestone, reachable
from bot.domain.models import Challenge, Participant
from bot.domain.tally import Tally
from bot.services._common import find_challenge, today_in
from bot.services.charts import ChartService
from bot.services.progress import ProgressService
from bot.wording.milestones import milestone_label
from storage import Database

MAX_WEEKS = 520
"""Weeks the retention table looks back at most (ten years): nothing older than this is worth
a column, and it bounds the weeks read and the rows the table has."""


@dataclass(frozen=True, slots=True)
class Cohort:
    """The members who joined in one week, and how many of them posted in each week since."""

    monday: date
    """The first day (a Monday) of the week they joined."""
    members: int
    active: tuple[int, ...]
    """active[k]: members of the cohort who posted in the k-th week after joining (0: that
    week), through the current week."""

    def share(self, week: int) -> float:
        """Return the share of the cohort who posted in its `week`-th week (0 when empty)."""
        return self.active[week] / self.members if self.members else 0.0


@dataclass(frozen=True, slots=True)
class ChallengeStats:
    """A challenge's numbers so far, every member counted in aggregate."""

    challenge: Challenge
    first_day: date
    """The challenge's first local day (in its own zone): the day it was created."""
    last_day: date
    """The latest local day any member is on."""
    days: tuple[tuple[date, int], ...]
    """Every day from the first to the last, with how many members posted for it."""
    joined: int
    """Members who ever joined, those who left included."""
    still_in: int
    left: int
    hidden: int
    """Members (ever joined) hidden from boards and digests."""
    cohorts: tuple[Cohort, ...]
    """By join week, oldest first; weeks nobody joined in are left out."""
    reached: tuple[tuple[Milestone, int], ...]
    """Each milestone the challenge's members can reach, with how many members still in are at
    it or past it now (a finished round: have finished one)."""
    median_streak: float | None
    """The median current streak of the members still in; None when nobody is."""
    median_best: float | None
    """The median best streak of the members still in; None when nobody is."""

    @property
    def empty(self) -> bool:
        """Whether nobody has joined yet."""
        return self.joined == 0

    @property
    def active_days(self) -> int:
        """How many member-days had a post (one member posting on three days: three)."""
        return sum(count for _, count in self.days)


@dataclass(frozen=True, slots=True)
class StatsPicture:
    """A challenge's numbers and their chart (None when nobody has joined: nothing to draw)."""

    stats: ChallengeStats
    png: bytes | None


def monday_of(day: date) -> date:
    """Return the Monday of a day's week (weeks run Monday to Sunday, as the boards' do)."""
    return day - timedelta(days=day.weekday())


class StatsService:
    """A challenge's numbers for its organizers, read in a few aggregate queries."""

    def __init__(self, db: Database, progress: ProgressService, charts: ChartService) -> None:
        self._db = db
        self._progress = progress
        self._charts = charts

    async def stats(
        self, *, guild_id: int, challenge: str | None = None, now: datetime
    ) -> ChallengeStats:
        """Return the challenge's numbers through each member's today."""
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            everyone = await repos.participants.everyone(current.id)
            # The boards' own tallies (the walk cache): Day N and streaks as the engine has them.
            tallies = await self._progress.tallies_in(repos, current, now)
            # A challenge read from the database always has its creation time.
            first = today_in(current.timezone, current, current.created_at or now)
            last = max(
                [today_in(current.timezone, current, now)]
                + [date.fromordinal(member.today) for member in tallies]
            )
            last = max(last, first)
            counts = await repos.entries.members_per_day(current.id, first, last)
            mondays = _mondays(first, last)
            weeks = await repos.entries.weeks_posted(current.id, mondays)
        days = tuple(
            (day, counts.get(day, 0))
            for day in (first + timedelta(days=n) for n in range((last - first).days + 1))
        )
        return ChallengeStats(
            challenge=current,
            first_day=first,
            last_day=last,
            days=days,
            joined=len(everyone),
            still_in=sum(participant.is_active for participant in everyone),
            left=sum(not participant.is_active for participant in everyone),
            hidden=sum(participant.hidden for participant in everyone),
            cohorts=_cohorts(current, everyone, mondays, weeks),
            reached=_reached(current, tallies),
            median_streak=_median([member.streak for member in tallies]),
            median_best=_median([member.best for member in tallies]),
        )

    async def picture(
        self, *, guild_id: int, challenge: str | None = None, now: datetime
    ) -> StatsPicture:
        """Return the challenge's numbers and their chart, drawn off the event loop."""
        found = await self.stats(guild_id=guild_id, challenge=challenge, now=now)
        if found.empty:
            return StatsPicture(found, None)
        return StatsPicture(found, await self._charts.draw_stats(chart_data(found)))


def chart_data(stats: ChallengeStats) -> StatsData:
    """Return what the stats chart draws, as plain values."""
    return StatsData(
        challenge=stats.challenge.name,
        days=stats.days,
        cohorts=tuple(
            CohortRow(cohort.monday, cohort.members, cohort.active) for cohort in stats.cohorts
        ),
        milestones=tuple(
            MilestoneBar(milestone_label(milestone), count) for milestone, count in stats.reached
        ),
        still_in=stats.still_in,
    )


def _mondays(first: date, last: date) -> list[date]:
    """Return the Mondays of the weeks from `first`'s to `last`'s (the latest `MAX_WEEKS`)."""
    start, end = monday_of(first), monday_of(last)
    weeks = (end - start).days // 7 + 1
    skip = max(weeks - MAX_WEEKS, 0)
    return [start + timedelta(weeks=n) for n in range(skip, weeks)]


def _cohorts(
    challenge: Challenge,
    everyone: list[Participant],
    mondays: list[date],
    weeks: dict[int, frozenset[int]],
) -> tuple[Cohort, ...]:
    """Group members by the week they joined (their own local day) and count each week since."""
    if not mondays:
        return ()
    index = {monday: n for n, monday in enumerate(mondays)}
    groups: dict[int, list[int]] = {}
    for participant in everyone:
        joined = (
            mondays[0]
            if participant.joined_at is None
            else monday_of(today_in(participant.timezone, challenge, participant.joined_at))
        )
        # A join before the first week shown (or, oddly, after the last) is put at its edge.
        week = index.get(joined, 0 if joined < mondays[0] else len(mondays) - 1)
        groups.setdefault(week, []).append(participant.id)
    cohorts = []
    for week, members in sorted(groups.items()):
        active = tuple(
            sum(1 for member in members if later in weeks.get(member, ()))
            for later in range(week, len(mondays))
        )
        cohorts.append(Cohort(mondays[week], len(members), active))
    return tuple(cohorts)


def _reached(challenge: Challenge, tallies: list[Tally]) -> tuple[tuple[Milestone, int], ...]:
    """Count the members still in at each milestone or past it, by the engine's Day N now."""
    counts = []
    for milestone in reachable(challenge.rules):
        day = milestone.day
        if day is None:
            count = sum(
                1 for member in tallies if member.phase is Phase.FINISHED or member.round > 1
            )
        else:
            count = sum(1 for member in tallies if member.day_number >= day)
        counts.append((milestone, count))
    return tuple(counts)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None

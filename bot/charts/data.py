"""What the charts show, as plain values: built in the bot, drawn in a rendering worker.

Nothing here imports matplotlib, so the bot process can build chart data (and pickle it to a
worker process) without loading the plotting library at all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.engine import DayStatus, Ledger
from bot.domain.leaderboard import CONSISTENCY_DAYS, Metric, Period

MAX_WEEKS = 26
"""At most half a year of heatmap columns: more would shrink the cells past reading on a phone."""


class DayMark(enum.StrEnum):
    """How a chart marks one day of a member's: what the day did, as a member reads it."""

    COUNTED = "counted"
    SHORT = "short"
    """Posted, but the day did not count (fewer minutes than the rules ask, say)."""
    MISSED = "missed"
    """No post on a day that needed one."""
    REST = "rest"
    EXCUSED = "excused"
    FROZEN = "frozen"
    OPEN = "open"
    """Still open (today), nothing posted yet."""
    NONE = "none"
    """No attempt running that day (not joined yet, finished, or after an ended attempt)."""


def day_mark(status: DayStatus, entries: int) -> DayMark:
    """Return how a day with the engine's `status` and `entries` posts is marked.

    A day that did not count but has posts is short, not missed: the member did post.
    """
    if status is DayStatus.COUNTED:
        return DayMark.COUNTED
    if status in (DayStatus.MISSED, DayStatus.ENDED, DayStatus.IN_PROGRESS) and entries > 0:
        return DayMark.SHORT
    return _MARKS[status]


_MARKS = {
    DayStatus.IN_PROGRESS: DayMark.OPEN,
    DayStatus.REST: DayMark.REST,
    DayStatus.EXCUSED: DayMark.EXCUSED,
    DayStatus.FROZEN: DayMark.FROZEN,
    DayStatus.MISSED: DayMark.MISSED,
    DayStatus.ENDED: DayMark.MISSED,
    DayStatus.IDLE: DayMark.NONE,
}


@dataclass(frozen=True, slots=True)
class HeatDay:
    """One day of the heatmap: what it did and how much was logged."""

    day: date
    status: DayStatus
    entries: int = 0
    minutes: int | None = None


@dataclass(frozen=True, slots=True)
class HeatmapData:
    """Everything a progress heatmap shows, as plain values (picklable for a worker process)."""

    member: str
    challenge: str
    today: date
    days: tuple[HeatDay, ...]
    day_number: int
    target_days: int | None
    current_streak: int
    best_streak: int

    @classmethod
    def from_ledger(cls, ledger: Ledger, *, member: str, challenge: str) -> HeatmapData:
        """Return the heatmap of a ledger's attempt (its last `MAX_WEEKS` weeks at most)."""
        summary = ledger.summary
        first = summary.today - timedelta(weeks=MAX_WEEKS)
        days = tuple(
            HeatDay(row.day, row.status, row.entries, row.minutes)
            for row in ledger.rows
            if row.day > first
        )
        return cls(
            member=member,
            challenge=challenge,
            today=summary.today,
            days=days,
            day_number=summary.day_number,
            target_days=summary.target_days,
            current_streak=summary.current_streak,
            best_streak=summary.best_streak,
        )


PERIOD_WORDS = {Period.WEEK: "this week", Period.MONTH: "this month", Period.ALL: "all time"}


def value_text(metric: Metric, value: float) -> str:
    """Return a board value in words: '12 days', '1 day' or '87%'."""
    if metric is Metric.CONSISTENCY:
        return f"{value:.0%}"
    days = int(value)
    return f"{days} day" if days == 1 else f"{days} days"


def heading(metric: Metric, period: Period) -> str:
    """Return what a board ranks by: 'Current streak', 'Days logged this week'..."""
    if metric is Metric.STREAK:
        return "Current streak"
    if metric is Metric.DAYS:
        return f"Days logged {PERIOD_WORDS[period]}"
    return f"Consistency, last {CONSISTENCY_DAYS} days"


@dataclass(frozen=True, slots=True)
class BoardBar:
    """One member's bar."""

    rank: int
    name: str
    value: float
    label: str
    """The value in words, as the text reply shows it."""
    mine: bool = False
    """Whether this is the member who asked."""


@dataclass(frozen=True, slots=True)
class LeaderboardData:
    """Everything a leaderboard chart shows, as plain values (picklable for a worker process)."""

    challenge: str
    heading: str
    bars: tuple[BoardBar, ...]
    ranked: int
    """How many members are on the board (the bars are its top)."""
    viewer: BoardBar | None = None
    """The member who asked, when they are on the board."""
    share: bool = False
    """Whether values are shares from 0 to 1 (the bars' scale is then 0 to 100%)."""


@dataclass(frozen=True, slots=True)
class WeekBar:
    """One member in the weekly board: each day of the digest's week, and current streak."""

    name: str
    week: tuple[DayMark, ...]
    """The digest week's days, its first day first (7 of them; a short tuple is drawn as
    days with no attempt running)."""
    streak: int
    """Current streak in days (can be large, e.g. 180)."""

    @property
    def days(self) -> int:
        """Days counted in the week, 0 to 7."""
        return sum(1 for mark in self.week if mark is DayMark.COUNTED)


@dataclass(frozen=True, slots=True)
class WeeklyBoardData:
    """Everything the digest's weekly board shows, as plain values (picklable for a worker)."""

    challenge: str
    week: str
    """The digest's week in words (its dates and year), already formatted by the caller."""
    first_day: date
    """The digest week's first day, in the challenge's zone: the cells' weekdays start here."""
    bars: tuple[WeekBar, ...]
    """The top members, best first, at most 10 (may be empty)."""
    members: int
    """How many members logged at least once this week."""


@dataclass(frozen=True, slots=True)
class ActivityDay:
    """One day of the activity chart."""

    day: date
    members: int
    """Members who logged that day."""


@dataclass(frozen=True, slots=True)
class ActivityData:
    """Everything the digest's activity chart shows, as plain values (picklable for a worker)."""

    challenge: str
    days: tuple[ActivityDay, ...]
    """Every day of the last weeks, oldest first, no gaps (typically 28 or 56 days)."""
    week_start: date
    """The first day of the digest's week, which is highlighted (inside `days`)."""
    week_end: date
    """The digest week's last day."""

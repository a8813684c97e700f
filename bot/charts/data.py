"""What the charts show, as plain values: built in the bot, drawn in a rendering worker.

Nothing here imports matplotlib, so the bot process can build chart data (and pickle it to a
worker process) without loading the plotting library at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.engine import DayStatus, Ledger
from bot.domain.leaderboard import CONSISTENCY_DAYS, Metric, Period

MAX_WEEKS = 26
"""At most half a year of heatmap columns: more would shrink the cells past reading on a phone."""


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
    """One member in the weekly board: days logged in the digest's week and current streak."""

    name: str
    days: int
    """Days logged (counted) in the week, 0 to 7."""
    streak: int
    """Current streak in days (can be large, e.g. 180)."""


@dataclass(frozen=True, slots=True)
class WeeklyBoardData:
    """Everything the digest's weekly board shows, as plain values (picklable for a worker)."""

    challenge: str
    week: str
    """The digest's week in words (its dates and year), already formatted by the caller."""
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

"""Ranking a challenge's members: by current streak, by days logged, or by consistency.

Ranks are competition ranks ("1, 2, 2, 4"): members share a rank only when every ranking key is
equal, and the order within a shared rank is by user id, so the board is the same every time.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


class Metric(enum.StrEnum):
    """What a leaderboard ranks by."""

    STREAK = "streak"
    DAYS = "days"
    CONSISTENCY = "consistency"


class Period(enum.StrEnum):
    """Which days a 'days logged' board counts."""

    WEEK = "week"
    MONTH = "month"
    ALL = "all"


CONSISTENCY_DAYS = 30


def period_start(period: Period, today: date) -> date | None:
    """Return the first day of the period that contains `today` (None for all time)."""
    if period is Period.WEEK:
        return today - timedelta(days=today.weekday())
    if period is Period.MONTH:
        return today.replace(day=1)
    return None


@dataclass(frozen=True, slots=True)
class Contender:
    """One member's numbers, as the leaderboard needs them."""

    participant_id: int
    user_id: int
    current_streak: int
    best_streak: int
    day_number: int
    days_in_period: int
    """Qualifying days in the board's period."""
    consistency: float
    """Share of working days logged in the last 30 days, 0.0 to 1.0."""
    recent_days: int = 0
    """Qualifying days in the last 30 days."""
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class Placing:
    """A member's place on a board."""

    rank: int
    contender: Contender
    value: float
    """The number the board ranks by (a streak, a day count, or a share from 0 to 1)."""


def _key(metric: Metric, member: Contender) -> tuple[float, ...]:
    if metric is Metric.STREAK:
        return (member.current_streak, member.best_streak, member.day_number)
    if metric is Metric.DAYS:
        return (member.days_in_period, member.current_streak, member.best_streak)
    return (member.consistency, member.recent_days, member.current_streak)


def rank(contenders: Iterable[Contender], metric: Metric) -> list[Placing]:
    """Rank the visible contenders, best first, with deterministic ties."""
    visible = [member for member in contenders if not member.hidden]
    visible.sort(key=lambda member: (tuple(-part for part in _key(metric, member)), member.user_id))
    placings: list[Placing] = []
    previous: tuple[float, ...] | None = None
    current_rank = 0
    for position, member in enumerate(visible, start=1):
        key = _key(metric, member)
        if key != previous:
            current_rank = position
            previous = key
        placings.append(Placing(rank=current_rank, contender=member, value=key[0]))
    return placings

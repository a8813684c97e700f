"""Ranking a challenge's members: by current streak, by days logged, or by consistency.

Ranks are standard competition ranks ("1, 1, 3"), the one tie rule of every surface (this
board, the digest's top streaks and its board): members share a rank when the number they are
shown with is equal, so nobody reads "1. ada — 5 days, 2. raj — 5 days". The further keys only
order the members within a shared rank (then the user id, so the board is the same every time).
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

M = TypeVar("M")


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


def competition_ranks(shown: Sequence[Hashable]) -> list[int]:
    """Return the standard competition ranks ("1, 1, 3") of rows already sorted best first.

    `shown` is what each row is shown with; rows showing the same share the rank of the first
    of them, and the next rank skips as many as shared it.
    """
    ranks: list[int] = []
    for position, value in enumerate(shown, start=1):
        tied = position > 1 and value == shown[position - 2]
        ranks.append(ranks[-1] if tied else position)
    return ranks


def shown_value(metric: Metric, value: float) -> Hashable:
    """Return a board value as members read it: whole days, or a whole percentage."""
    if metric is Metric.CONSISTENCY:
        return f"{value:.0%}"
    return int(value)


def rank(contenders: Iterable[Contender], metric: Metric) -> list[Placing]:
    """Rank the visible contenders, best first: equal shown values share a rank (1, 1, 3)."""
    visible = [member for member in contenders if not member.hidden]
    visible.sort(key=lambda member: (tuple(-part for part in _key(metric, member)), member.user_id))
    values = [_key(metric, member)[0] for member in visible]
    ranks = competition_ranks([shown_value(metric, value) for value in values])
    return [
        Placing(rank=place, contender=member, value=value)
        for place, member, value in zip(ranks, visible, values, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Top(Generic[M]):
    """The head of a ranking, the viewer's place in it, and how many were ranked."""

    leaders: tuple[tuple[int, float, M], ...]
    """(rank, value, member) of the first members, best first."""
    viewer: tuple[int, float, M] | None
    ranked: int


def top(
    members: Sequence[M],
    metric: Metric,
    count: int,
    key: Callable[[M], tuple[float, ...]],
    viewer: M | None = None,
) -> Top[M]:
    """Rank `members` as `rank` does, but build only the first `count` and the viewer's place.

    `key(member)` is the metric's key with the user id negated last, greatest first, so no
    two members' keys are equal and the order is `rank`'s. A rank depends only on the members
    before it, so the competition ranks of the head are the whole ranking's. The viewer's rank
    is one more than the members shown with a strictly better value (one pass, no objects).
    """
    head = heapq.nlargest(count, members, key=key)
    values = [key(member)[0] for member in head]
    ranks = competition_ranks([shown_value(metric, value) for value in values])
    leaders = tuple(zip(ranks, values, head, strict=True))
    place = None
    if viewer is not None:
        value = key(viewer)[0]
        place = (1 + _shown_better(members, metric, key, value), value, viewer)
    return Top(leaders, place, len(members))


def _shown_better(
    members: Sequence[M], metric: Metric, key: Callable[[M], tuple[float, ...]], value: float
) -> int:
    """Count the members whose shown value is better than `value`'s (shown rounds monotonically)."""
    if metric is not Metric.CONSISTENCY:
        # Days and streaks are whole numbers: shown as they are.
        return sum(1 for member in members if key(member)[0] > value)
    shown = shown_value(metric, value)
    # A whole percent is 0.01 wide: only values that close can round to the viewer's.
    return sum(
        1
        for member in members
        if (other := key(member)[0]) > value
        and (other - value > _PERCENT or shown_value(metric, other) != shown)
    )


_PERCENT = 0.0101

"""A member's walk through their today, kept as a few ints: what boards and digests read.

A whole server's walks are kept in memory between boards (`bot.services.walk_cache`). A
`WalkState` keeps its trailing counted days as a tuple of day ordinals (an int object each) and
a `Summary` twenty fields more, a few kilobytes per member; a `Tally` keeps the same facts as
small ints, the trailing days as one int bitmask, and the boards' ranking keys precomputed, so
a board of 100,000 members picks its ten without building anything per member.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from bot.domain.engine import (
    RECENT_WINDOW_DAYS,
    Phase,
    Summary,
    WalkState,
    working_days,
)
from bot.domain.leaderboard import CONSISTENCY_DAYS
from bot.domain.rules import Rules


class Tally(NamedTuple):
    """One member's standing after their today, as plain ints (0 stands for no day)."""

    participant_id: int
    user_id: int
    visible: bool
    """Whether others may see the member (`shown_to_others`)."""
    zone: str
    joined_at: datetime | None
    today: int
    """The member's local today, as a day ordinal."""
    phase: Phase
    round: int
    attempt: int
    """The state's attempt (a failed attempt's number, not the next one's)."""
    attempt_start: int
    finished_on: int
    misses_in_row: int
    day_number: int
    """Day N as the summary shows it (0 while waiting or failed)."""
    streak: int
    best: int
    qualifying: int
    last_counted: int
    recent: int
    """Counted days of the trailing window: bit i is set when `today - i` counted."""
    consistency: float
    """Share of working days counted in the last 30 days (see `engine.consistency`)."""
    recent_days: int
    """Days counted in the last 30 days."""
    week_days: int
    """Days counted this week (Monday to today: the 'days logged' board of the week)."""
    month_days: int
    """Days counted this month."""
    streak_key: tuple[int, int, int, int]
    """The streak board's key, greatest first: streak, best, Day N, then the lower user id."""
    consistency_key: tuple[float, int, int, int]
    """The consistency board's key, greatest first."""

    @property
    def today_counted(self) -> bool:
        """Whether today has counted."""
        return self.last_counted == self.today

    def counted(self, first: int, last: int) -> int:
        """Return how many counted days fall in [first, last] (ordinals; the trailing window)."""
        low = max(self.today - last, 0)
        high = min(self.today - first, RECENT_WINDOW_DAYS - 1)
        if high < low:
            return 0
        return ((self.recent >> low) & ((1 << (high - low + 1)) - 1)).bit_count()

    def counted_days(self) -> list[int]:
        """Return the ordinals of the counted days of the trailing window, oldest first."""
        window = range(RECENT_WINDOW_DAYS - 1, -1, -1)
        return [self.today - bit for bit in window if self.recent >> bit & 1]


def tally(
    rules: Rules,
    state: WalkState,
    summary: Summary,
    *,
    participant_id: int,
    user_id: int,
    visible: bool,
    zone: str,
    joined_at: datetime | None,
    start_day: date,
    shared: dict[int, int] | None = None,
) -> Tally:
    """Return the tally of a member's walk through `summary.today` (see `tally_at`)."""
    return tally_at(
        rules,
        state,
        summary.today,
        participant_id=participant_id,
        user_id=user_id,
        visible=visible,
        zone=zone,
        joined_at=joined_at,
        start_day=start_day,
        shared=shared,
    )


def tally_at(
    rules: Rules,
    state: WalkState,
    today: date,
    *,
    participant_id: int,
    user_id: int,
    visible: bool,
    zone: str,
    joined_at: datetime | None,
    start_day: date,
    shared: dict[int, int] | None = None,
) -> Tally:
    """Return the tally of a member's walk through `today`, straight from the state.

    The summary's numbers a tally keeps follow from the state as `summarize` derives them, so
    a board builds no `Summary` per member. `shared` makes equal day ordinals one int object
    across the tallies built with it (a server's members share a few dozen todays and attempt
    starts: 28 bytes each saved).
    """
    if state.through < today:
        raise ValueError("walk the state through today before tallying")
    same = {} if shared is None else shared
    ordinal = same.setdefault(today.toordinal(), today.toordinal())
    recent = state.recent
    if recent and min(recent) > ordinal - RECENT_WINDOW_DAYS and max(recent) <= ordinal:
        # Every day in the window (a state walked through today): the bits in C, one per day.
        mask = sum(map(_BIT.__lshift__, map(ordinal.__sub__, recent)))
    else:
        mask = 0
        for day in recent:
            offset = ordinal - day
            if 0 <= offset < RECENT_WINDOW_DAYS:
                mask |= 1 << offset
    # Every count below is a popcount of the mask: no pass over the state's days each.
    recent_days = (mask & _LOW[CONSISTENCY_DAYS]).bit_count()
    week_days = (mask & _LOW[today.weekday() + 1]).bit_count()
    month_days = (mask & _LOW[today.day]).bit_count()
    share = _consistency(rules, state, start_day, today, mask)
    after = -user_id  # a lower user id ranks first among equals (one int for both keys)
    phase = state.phase
    # As `summarize`: Day N is 0 while waiting for a first day or after a failed attempt.
    day_number = 0 if phase is Phase.WAITING or phase is Phase.FAILED else state.day_number
    streak = state.streak
    best = state.best_streak
    return Tally(
        participant_id,
        user_id,
        visible,
        zone,
        joined_at,
        ordinal,
        phase,
        state.round,
        state.attempt,
        _ordinal(state.attempt_start, same),
        _ordinal(state.finished_on, same),
        state.misses_in_row,
        day_number,
        streak,
        best,
        state.qualifying_total,
        _ordinal(state.last_counted, same),
        mask,
        share,
        recent_days,
        week_days,
        month_days,
        (streak, best, day_number, after),
        (share, recent_days, streak, after),
    )


_BIT = 1
_LOW = [(1 << bits) - 1 for bits in range(RECENT_WINDOW_DAYS + 1)]
"""_LOW[n]: the mask of the last n days (today and the n - 1 before it)."""


def _consistency(rules: Rules, state: WalkState, start_day: date, today: date, mask: int) -> float:
    """Return `engine.consistency` over the last 30 days, from the counted days' mask."""
    if state.attempt_start is None:
        return 0.0
    first = max(today - timedelta(days=CONSISTENCY_DAYS - 1), start_day, state.attempt_start)
    if first > today:
        return 0.0
    logged = mask & _LOW[(today - first).days + 1]
    rest = rules.rest_weekdays
    # A logged rest day before today counts as a working day (today only once it is logged).
    logged_rest_before_today = (logged & _rest_mask(today.weekday(), rest) & ~1).bit_count()
    eligible = (
        working_days(first, today - timedelta(days=1), rest)
        + logged_rest_before_today
        + (logged & 1)
    )
    return logged.bit_count() / eligible if eligible else 0.0


@cache
def _rest_mask(weekday: int, rest: frozenset[int]) -> int:
    """Return the mask of the trailing window's rest weekdays, bit i being `today - i`."""
    return sum(1 << i for i in range(RECENT_WINDOW_DAYS) if (weekday - i) % 7 in rest)


def _ordinal(day: date | None, same: dict[int, int]) -> int:
    if day is None:
        return 0
    ordinal = day.toordinal()
    return same.setdefault(ordinal, ordinal)

"""What a walk means on a day: the summary, the recent-days metrics, the ledger, the fingerprint."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot.domain.engine.state import (
    _ONE_DAY,
    ENGINE_VERSION,
    RECENT_WINDOW_DAYS,
    LedgerDay,
    Phase,
    WalkState,
)
from bot.domain.engine.walker import advance
from bot.domain.models import DayFacts
from bot.domain.rules import Rules


@dataclass(frozen=True, slots=True)
class Summary:
    """A member's standing on a given day, all derived from the walk."""

    today: date
    phase: Phase
    round: int
    attempt: int
    day_number: int
    calendar_day: int
    """Days since the attempt started, counting the day it started (0 before it starts)."""
    current_streak: int
    best_streak: int
    misses_used: int
    freezes_banked: int
    qualifying_days: int
    """Qualifying days over the member's whole history."""
    target_days: int | None
    completion: float | None
    """Percent of the target reached in the current round; None when open-ended."""
    projected_end: date | None
    finished: bool
    attempt_start: date | None
    last_counted: date | None
    today_counted: bool

    @property
    def streak_at_risk(self) -> bool:
        """Whether the current streak will be hurt if today is not logged."""
        return self.phase is Phase.ACTIVE and not self.today_counted and self.current_streak > 0


def summarize(rules: Rules, state: WalkState, today: date) -> Summary:
    """Summarize a state walked through `today` (see `advance`)."""
    if state.through < today:
        raise ValueError("walk the state through today before summarizing")
    today_counted = state.last_counted == today
    failed = state.phase is Phase.FAILED
    waiting = state.phase is Phase.WAITING or failed
    day_number = 0 if waiting else state.day_number
    attempt = state.attempt + 1 if failed else state.attempt
    calendar_day = 0
    if not waiting and state.attempt_start is not None:
        calendar_day = (today - state.attempt_start).days + 1 + state.attempt_offset
    target = rules.target_days
    completion = None if target is None else round(100 * min(day_number, target) / target, 1)
    return Summary(
        today=today,
        phase=state.phase,
        round=state.round,
        attempt=attempt,
        day_number=day_number,
        calendar_day=calendar_day,
        current_streak=state.streak,
        best_streak=state.best_streak,
        misses_used=0 if waiting else state.misses_used,
        freezes_banked=state.freezes,
        qualifying_days=state.qualifying_total,
        target_days=target,
        completion=completion,
        projected_end=_projected_end(rules, state, today, day_number, today_counted),
        finished=state.phase is Phase.FINISHED,
        attempt_start=None if waiting else state.attempt_start,
        last_counted=state.last_counted,
        today_counted=today_counted,
    )


def _projected_end(
    rules: Rules, state: WalkState, today: date, day_number: int, today_counted: bool
) -> date | None:
    """Return the day the round would finish if every working day from now on counts."""
    if rules.target_days is None:
        return None
    if state.phase is Phase.FINISHED:
        return state.finished_on
    # At least one more day: a member whose Day N already passed a lowered target finishes on
    # their next qualifying day.
    remaining = max(1, rules.target_days - day_number)
    day = today + _ONE_DAY if today_counted else today
    if not rules.rest_weekdays:
        return day + timedelta(days=remaining - 1)
    while True:
        if day.weekday() not in rules.rest_weekdays:
            remaining -= 1
            if remaining == 0:
                return day
        day += _ONE_DAY


def counted_between(state: WalkState, first: date, last: date) -> int:
    """Return how many counted days fall in [first, last] (within the state's recent window)."""
    low, high = first.toordinal(), last.toordinal()
    return sum(1 for day in state.recent if low <= day <= high)


def consistency(
    rules: Rules, state: WalkState, start_day: date, today: date, days: int = 30
) -> float:
    """Return the share of working days logged in the last `days` days (0.0 to 1.0).

    The share starts where the attempt does (the day it began, never before `start_day`), as
    the misses `/streak` counts do: the join day before a first post is no miss. Rest weekdays
    are left out (a rest day that was logged counts as a working day); today is left out until
    it is logged, since it is still open. Before any attempt began the share is 0.0.
    """
    if days > RECENT_WINDOW_DAYS:
        raise ValueError(f"the state keeps only {RECENT_WINDOW_DAYS} days")
    if state.attempt_start is None:
        return 0.0
    first = max(today - timedelta(days=days - 1), start_day, state.attempt_start)
    if first > today:
        return 0.0
    low, high = first.toordinal(), today.toordinal()
    logged = [day for day in state.recent if low <= day <= high]
    rest = rules.rest_weekdays
    logged_rest_before_today = sum(
        1 for day in logged if day != high and date.fromordinal(day).weekday() in rest
    )
    eligible = (
        working_days(first, today - _ONE_DAY, rest)
        + logged_rest_before_today
        + (1 if high in logged else 0)
    )
    return len(logged) / eligible if eligible else 0.0


@lru_cache(maxsize=4096)
def working_days(first: date, last: date, rest: frozenset[int]) -> int:
    """Return how many days from `first` to `last` inclusive are not rest weekdays."""
    total = (last - first).days + 1
    if total <= 0:
        return 0
    weeks, extra = divmod(total, 7)
    count = weeks * (7 - len(rest))
    for offset in range(extra):
        if (first.weekday() + offset) % 7 not in rest:
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class Ledger:
    """The day-by-day explanation of a member's current attempt, with its summary."""

    rows: tuple[LedgerDay, ...]
    summary: Summary


def build_ledger(
    rules: Rules,
    start_day: date,
    initial_day: int,
    facts: Mapping[date, DayFacts],
    today: date,
) -> Ledger:
    """Walk a member's whole history and keep the rows of the latest attempt."""
    state, rows = advance(
        rules, WalkState.start(start_day, initial_day), facts, today, today=today, explain=True
    )
    summary = summarize(rules, state, today)
    begin = max((index for index, row in enumerate(rows) if row.begins), default=0)
    return Ledger(rows=tuple(rows[begin:]), summary=summary)


@lru_cache(maxsize=65536)
def fingerprint(rules: Rules, start_day: date, initial_day: int) -> str:
    """Return a key of everything besides entries that shapes a walk (for the checkpoint cache)."""
    key = f"{_rules_key(rules)}|{start_day.isoformat()}|{initial_day}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@lru_cache(maxsize=256)
def _rules_key(rules: Rules) -> str:
    """Return the engine's version and the rules as text, once per rules.

    A server's members share their rules but start on hundreds of days (a fingerprint each).
    """
    return f"{ENGINE_VERSION}|{rules.to_json()}"

"""The fold over classified days (`advance_classes`): empty days and counted runs in closed form."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from itertools import chain

from bot.domain.engine.state import RECENT_WINDOW_DAYS, Phase, WalkState
from bot.domain.engine.verdict import FAILS, NEUTRAL, QUALIFIES
from bot.domain.engine.walker import _Walker
from bot.domain.rules import MissedDayPolicy, Rules

_NO_TARGET = 1 << 62
"""Room for counted days in a row when no target ends the round."""


def advance_classes(
    rules: Rules,
    state: WalkState,
    days: Sequence[int],
    until: date,
    *,
    today: date | None = None,
    checkpoint_at: date | None = None,
) -> tuple[WalkState, WalkState | None]:
    """Walk like `advance(..., explain=False)`, from days given as `ordinal * 4 + class`.

    `days` is sorted and lists only the days that have facts, each with `classify`'s verdict;
    every other day is empty. With `checkpoint_at` (state.through < checkpoint_at < until, and
    before `today`), also return the state after that day, as `_fold` in the standings does.
    Empty days and runs of counted days are walked in closed form, not one by one.
    """
    walker = _Walker(rules, state, explain=False)
    old_recent = state.recent
    first = state.through.toordinal() + 1
    last = until.toordinal()
    if last < first:
        return walker.state(), None
    lo = bisect_right(days, first * 4 - 1)
    hi = bisect_right(days, last * 4 + 3)
    today_ordinal = today.toordinal() if today is not None else 0
    checkpoint = None
    if (
        checkpoint_at is not None
        and state.through < checkpoint_at < until
        and (today is None or checkpoint_at < today)
    ):
        split = checkpoint_at.toordinal()
        middle = bisect_right(days, split * 4 + 3, lo, hi)
        # The walk to the checkpoint has no open day, as the standings' first `advance` has none.
        _fold_classes(walker, days, lo, middle, first, split, 0)
        _close(walker, old_recent, days, lo, middle, split)
        checkpoint = walker.state()
        _fold_classes(walker, days, middle, hi, split + 1, last, today_ordinal)
    else:
        _fold_classes(walker, days, lo, hi, first, last, today_ordinal)
    _close(walker, old_recent, days, lo, hi, last)
    return walker.state(), checkpoint


def _fold_classes(
    walker: _Walker,
    days: Sequence[int],
    lo: int,
    hi: int,
    first: int,
    last: int,
    today: int,
) -> None:
    """Walk the ordinals `first` to `last`, whose listed days are `days[lo:hi]`, into `walker`.

    Counted days in a row and the misses between them are applied in closed form, in local
    variables (what `_count` and `_miss` do that many times); a day that begins an attempt or
    reaches the target goes through `_count` itself. `through`, `last_counted` and `recent`
    are left to `_close`: they follow from the list.
    """
    rules = walker.rules
    rest = rules.rest_weekdays
    week, before = _week_table(rest)
    policy = rules.missed_day_policy
    pause = policy is MissedDayPolicy.PAUSE
    kallaway = policy is MissedDayPolicy.KALLAWAY
    every = rules.freeze_every
    bank = rules.freeze_max
    target = rules.target_days
    active = Phase.ACTIVE
    waiting = Phase.WAITING
    phase = walker.phase
    day_number = walker.day_number
    streak = walker.streak
    best = walker.best_streak
    misses_in_row = walker.misses_in_row
    misses_used = walker.misses_used
    freezes = walker.freezes
    progress = walker.freeze_progress
    total = walker.qualifying_total
    room = _room(phase, target, day_number)
    # The last `pending` days walked are counted days in a row not applied yet; `expect` is
    # the item that would make the run one day longer.
    pending = 0
    expect = first * 4 + QUALIFIES
    # A neutral day after `last` closes the walk: the empty days before it are walked below.
    for item in chain(days[lo:hi], ((last + 1) * 4 + NEUTRAL,)):
        if item == expect:
            pending += 1
            expect += 4
            continue
        # This loop runs once per run of counted days (a few days each on a real server), so
        # its common case comes first and reads only locals.
        previous = (expect >> 2) - 1
        ordinal = item >> 2
        outcome = item & 3
        # Only the number of working days among the empty days between matters, less an open
        # today: each breaks a running attempt; rest days and today change nothing.
        if rest:
            misses = (
                ((ordinal - 1) // 7 - previous // 7) * week
                + before[(ordinal - 1) % 7]
                - before[previous % 7]
            )
            if misses and previous < today < ordinal and (today - 1) % 7 not in rest:
                misses -= 1
        else:
            misses = ordinal - 1 - previous
            if misses and previous < today < ordinal:
                misses -= 1
        if outcome == FAILS and ordinal != today:
            misses += 1
        if pending and pending <= room:
            # What `_count` does `pending` times to a running attempt (no begin, no target).
            day_number += pending
            streak += pending
            if streak > best:
                best = streak
            total += pending
            misses_in_row = 0
            room -= pending
            if every is not None:
                freezes, progress = _earn_freezes(freezes, progress, pending, every, bank)
            pending = 0
        run_first = previous - pending + 1
        while pending:
            if room:
                # The run's first days, up to the day before the target (as above).
                count = pending if pending <= room else room
                day_number += count
                streak += count
                if streak > best:
                    best = streak
                total += count
                misses_in_row = 0
                room -= count
                if every is not None:
                    freezes, progress = _earn_freezes(freezes, progress, count, every, bank)
                pending -= count
                run_first += count
                continue
            # The day begins an attempt or reaches the target: `_count` walks it.
            walker.phase = phase
            walker.day_number = day_number
            walker.streak = streak
            walker.best_streak = best
            walker.misses_in_row = misses_in_row
            walker.misses_used = misses_used
            walker.freezes = freezes
            walker.freeze_progress = progress
            walker.qualifying_total = total
            walker._count(date.fromordinal(run_first), None)
            phase = walker.phase
            day_number = walker.day_number
            streak = walker.streak
            best = walker.best_streak
            misses_in_row = walker.misses_in_row
            misses_used = walker.misses_used
            freezes = walker.freezes
            progress = walker.freeze_progress
            total = walker.qualifying_total
            room = _room(phase, target, day_number)
            pending -= 1
            run_first += 1
        if misses:
            # What `step` does `misses` times in a row to days that break an attempt.
            if phase is active:
                # Freezes go first, one per miss (`_miss`); they keep `misses_in_row`.
                if freezes:
                    spent = min(freezes, misses)
                    freezes -= spent
                    misses -= spent
                if misses:
                    streak = 0
                    if pause:
                        misses_used += misses
                    else:
                        if kallaway and not misses_in_row:
                            # The one allowed miss: only a counted day resets `misses_in_row`,
                            # so a second miss after rest days is still in a row.
                            misses_used += 1
                            misses_in_row = 1
                            misses -= 1
                        if misses:
                            # The miss that ends the attempt; those after it leave it idle.
                            misses_used += 1
                            misses_in_row += 1
                            phase = Phase.FAILED
                            room = 0
            elif phase is not waiting:
                streak = 0
        if outcome == QUALIFIES:
            pending = 1
        expect = ordinal * 4 + 4 + QUALIFIES
    walker.phase = phase
    walker.day_number = day_number
    walker.streak = streak
    walker.best_streak = best
    walker.misses_in_row = misses_in_row
    walker.misses_used = misses_used
    walker.freezes = freezes
    walker.freeze_progress = progress
    walker.qualifying_total = total


def _room(phase: Phase, target: int | None, day_number: int) -> int:
    """Return how many counted days in a row may be applied in closed form (0: none).

    They must neither begin an attempt nor reach the target: those days go through `_count`.
    """
    if phase is not Phase.ACTIVE:
        return 0
    return _NO_TARGET if target is None else target - 1 - day_number


def _earn_freezes(
    freezes: int, progress: int, credits: int, every: int, bank: int
) -> tuple[int, int]:
    """Return the bank and progress after `credits` calls of `_Walker._earn_freeze`."""
    # A credit on a progress already at `every` (kept while the bank was full) earns a freeze
    # and leaves the one extra credit: walk those few alone (`every` 1 keeps it at 1).
    while credits and freezes < bank and progress >= every:
        progress += 1 - every
        freezes += 1
        credits -= 1
    if not credits:
        return freezes, progress
    if freezes >= bank:
        # A full bank keeps the credit for later, up to one freeze's worth.
        return freezes, min(progress + credits, every)
    reached = progress + credits
    wanted = bank - freezes
    if reached // every < wanted:
        return freezes + reached // every, reached % every
    # The bank fills on the way; the credits after that are kept, up to one freeze's worth.
    return bank, min(reached - wanted * every, every)


def _close(
    walker: _Walker, old_recent: tuple[int, ...], days: Sequence[int], lo: int, hi: int, last: int
) -> None:
    """Set the walker's `through`, `last_counted` and `recent` after the listed `days[lo:hi]`."""
    walker.through = date.fromordinal(last)
    # The counted days of the window, then the last counted day (usually among them).
    window = bisect_right(days, (last - RECENT_WINDOW_DAYS) * 4 + 3, lo, hi)
    recent = [item >> 2 for item in days[window:hi] if item & 3 == QUALIFIES]
    if recent:
        walker.last_counted = date.fromordinal(recent[-1])
    else:
        index = window - 1
        while index >= lo:
            if days[index] & 3 == QUALIFIES:
                walker.last_counted = date.fromordinal(days[index] >> 2)
                break
            index -= 1
    # `state()` drops the older counted days of the window.
    walker.recent = [*old_recent, *recent]


@lru_cache(maxsize=128)
def _week_table(rest: frozenset[int]) -> tuple[int, tuple[int, ...]]:
    """Return the working days in a week, and how many of weekdays 0..r-1 work, by r (0..6).

    Ordinal 1 is a Monday, so the ordinals 1..n hold `n // 7 * week + before[n % 7]` working
    days.
    """
    before = [0]
    for weekday in range(6):
        before.append(before[-1] + (weekday not in rest))
    return 7 - len(rest), tuple(before)

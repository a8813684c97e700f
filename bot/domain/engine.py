"""The streak engine: a fold over a member's local days, from their start to today.

Each day is judged from its facts (entries, minutes, words, links, rest weekday, organizer
adjustment) and then moves the walk's state under the challenge's missed-day policy. Day N,
streaks, misses, freezes, rounds and attempts all fall out of the fold; none is ever stored as a
counter. The fold's state after a closed day is a plain value (`WalkState`), so a walk can be
checkpointed and resumed: resuming from any checkpoint gives exactly what a walk from the start
gives (a property the tests check). Ledger rows say why as values (`bot.domain.reasons`), never
in words: `bot.wording.ledger` words them.

A streak means one thing under every policy: consecutive qualifying days. Rest days, excused
days and spent freezes bridge it; any other day without a qualifying post ends it. The
missed-day policy decides only what a miss does to Day N and the attempt (pause it, allow one,
or end the attempt). Because every miss now costs the streak, a banked freeze is spent on the
first miss it can cover in a running attempt, under every policy (docs/rules.md says so).
"""

from __future__ import annotations

import enum
import hashlib
import json
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache
from itertools import chain

from bot.domain.models import AdjustmentKind, DayFacts
from bot.domain.reasons import (
    NO_POST,
    AttemptBegan,
    AwaitingAttempt,
    Beginning,
    BetweenRounds,
    ByOrganizer,
    ByPosts,
    ChallengeBegan,
    Counted,
    CountedHow,
    Discounted,
    Ended,
    Excused,
    Frozen,
    Missed,
    MissEffect,
    NoLink,
    NoPost,
    NotStarted,
    Open,
    Reason,
    Rest,
    RoundBegan,
    Shortfall,
    ShortOfMinutes,
    ShortOfWords,
)
from bot.domain.rules import MissedDayPolicy, Rules

ENGINE_VERSION = 5
"""Bumped whenever the fold's meaning changes, so cached checkpoints are rebuilt."""

RECENT_WINDOW_DAYS = 40
"""How many trailing days of counted days the state keeps, for week/month/30-day metrics."""

_ONE_DAY = timedelta(days=1)
_NO_TARGET = 1 << 62
"""Room for counted days in a row when no target ends the round."""


class Phase(enum.StrEnum):
    """Where a member stands in their challenge."""

    WAITING = "waiting"
    """No qualifying day yet: the first one will be Day 1 (or the day they joined at)."""
    ACTIVE = "active"
    """An attempt is under way."""
    FINISHED = "finished"
    """The round reached its target; the next qualifying day starts the next round."""
    FAILED = "failed"
    """The attempt ended on misses; the next qualifying day starts a new attempt at Day 1."""


class DayStatus(enum.StrEnum):
    """What one day did to the member's challenge."""

    COUNTED = "counted"
    IN_PROGRESS = "in_progress"
    REST = "rest"
    EXCUSED = "excused"
    FROZEN = "frozen"
    MISSED = "missed"
    ENDED = "ended"
    """The miss that ended the attempt."""
    IDLE = "idle"
    """No attempt running (not started, finished, or after a failed attempt)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a day's facts qualify it, and if not, what was missing."""

    qualifies: bool
    neutral: bool = False
    """A rest weekday or an excused day: it neither counts nor breaks anything."""
    shortfalls: tuple[Shortfall, ...] = ()
    """What the day lacked (`bot.wording.ledger` words it: "30 of the 60 minutes")."""

    @property
    def still_needs(self) -> tuple[Shortfall, ...]:
        """What a day with posts still lacks to count (empty for a day with no post)."""
        return tuple(item for item in self.shortfalls if not isinstance(item, NoPost))


_DISCOUNTED: tuple[Shortfall, ...] = (Discounted(),)


def judge(rules: Rules, facts: DayFacts) -> Verdict:
    """Decide whether one day qualifies under the rules."""
    if facts.adjustment is AdjustmentKind.COUNT:
        return Verdict(qualifies=True)
    if facts.adjustment is AdjustmentKind.DISCOUNT:
        return Verdict(qualifies=False, shortfalls=_DISCOUNTED)
    shortfalls = _shortfalls(rules, facts) if facts.entries else NO_POST
    if not shortfalls:
        return Verdict(qualifies=True)
    neutral = (
        facts.adjustment is AdjustmentKind.EXCUSE or facts.day.weekday() in rules.rest_weekdays
    )
    return Verdict(qualifies=False, neutral=neutral, shortfalls=shortfalls)


FAILS, QUALIFIES, NEUTRAL = 0, 1, 2
"""What `classify` returns: a day that breaks a running attempt, counts, or neither."""
_FAILS, _QUALIFIES, _NEUTRAL = FAILS, QUALIFIES, NEUTRAL


def classify(rules: Rules, day: date, facts: DayFacts | None) -> int:
    """Return what `judge` decides, without building any words (the walk's hot path)."""
    if facts is not None:
        kind = facts.adjustment
        if kind is AdjustmentKind.COUNT:
            return _QUALIFIES
        if kind is AdjustmentKind.DISCOUNT:
            return _FAILS
        if facts.entries and (
            (
                not rules.min_minutes
                or facts.minutes_on_word
                or (facts.minutes is not None and facts.minutes >= rules.min_minutes)
            )
            and facts.words >= rules.min_words
            and (facts.has_link or not rules.require_link)
        ):
            return _QUALIFIES
        if kind is AdjustmentKind.EXCUSE:
            return _NEUTRAL
    return _NEUTRAL if day.weekday() in rules.rest_weekdays else _FAILS


def _shortfalls(rules: Rules, facts: DayFacts) -> tuple[Shortfall, ...]:
    missing: list[Shortfall] = []
    # Minutes are on the honour system: a day with no stated minutes is taken at its word.
    if (
        rules.min_minutes
        and not facts.minutes_on_word
        and facts.minutes is not None
        and facts.minutes < rules.min_minutes
    ):
        missing.append(ShortOfMinutes(stated=facts.minutes, needed=rules.min_minutes))
    if rules.min_words and facts.words < rules.min_words:
        missing.append(ShortOfWords(written=facts.words, needed=rules.min_words))
    if rules.require_link and not facts.has_link:
        missing.append(NoLink())
    return tuple(missing)


_UNEXPLAINED = Verdict(qualifies=False)
"""Stands in for a day's verdict when the walk builds no ledger rows."""


@dataclass(frozen=True, slots=True)
class WalkState:
    """The fold's state after the day `through`: everything the next day needs."""

    through: date
    phase: Phase = Phase.WAITING
    round: int = 1
    attempt: int = 1
    attempt_start: date | None = None
    attempt_offset: int = 0
    """Day N the attempt started from, less one (members who joined already underway)."""
    day_number: int = 0
    misses_in_row: int = 0
    misses_used: int = 0
    streak: int = 0
    best_streak: int = 0
    freezes: int = 0
    freeze_progress: int = 0
    qualifying_total: int = 0
    last_counted: date | None = None
    finished_on: date | None = None
    recent: tuple[int, ...] = ()
    """Ordinals of counted days in the trailing window."""

    @classmethod
    def start(cls, start_day: date, initial_day: int = 1) -> WalkState:
        """Return the state before a member's first day."""
        if initial_day < 1:
            raise ValueError("initial_day starts at 1")
        if initial_day == 1:
            # Day 1 is the first qualifying day: nothing can be missed before it.
            return cls(through=start_day - _ONE_DAY)
        # A member who joins already underway is in the middle of an attempt: it runs from
        # their start, and a day they miss after joining is a miss like any other.
        return cls(
            through=start_day - _ONE_DAY,
            phase=Phase.ACTIVE,
            attempt_start=start_day,
            attempt_offset=initial_day - 1,
            day_number=initial_day - 1,
        )

    def to_json(self) -> str:
        """Return the state as JSON text (for the checkpoint cache)."""
        # Written out rather than looped over `fields`: a refresh writes one per member.
        attempt_start, last_counted, finished_on = (
            self.attempt_start,
            self.last_counted,
            self.finished_on,
        )
        return _encode(
            {
                "through": self.through.isoformat(),
                "phase": self.phase.value,
                "round": self.round,
                "attempt": self.attempt,
                "attempt_start": attempt_start and attempt_start.isoformat(),
                "attempt_offset": self.attempt_offset,
                "day_number": self.day_number,
                "misses_in_row": self.misses_in_row,
                "misses_used": self.misses_used,
                "streak": self.streak,
                "best_streak": self.best_streak,
                "freezes": self.freezes,
                "freeze_progress": self.freeze_progress,
                "qualifying_total": self.qualifying_total,
                "last_counted": last_counted and last_counted.isoformat(),
                "finished_on": finished_on and finished_on.isoformat(),
                "recent": list(self.recent),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> WalkState:
        """Rebuild a state from `to_json` output."""
        data = json.loads(text)
        if len(data) != _STATE_FIELDS:
            # Not what `to_json` writes: the general way, which fills in missing fields and
            # refuses unknown ones.
            for name in ("through", "attempt_start", "last_counted", "finished_on"):
                if data.get(name) is not None:
                    data[name] = date.fromisoformat(data[name])
            data["phase"] = Phase(data["phase"])
            data["recent"] = tuple(data["recent"])
            return cls(**data)
        # A board after a restart reads one per member: no loop, no `Phase(...)` call, and
        # the slots set directly (`_state`).
        attempt_start, last_counted, finished_on = (
            data["attempt_start"],
            data["last_counted"],
            data["finished_on"],
        )
        return _state(
            _from_iso(data["through"]),
            _PHASES[data["phase"]],
            data["round"],
            data["attempt"],
            None if attempt_start is None else _from_iso(attempt_start),
            data["attempt_offset"],
            data["day_number"],
            data["misses_in_row"],
            data["misses_used"],
            data["streak"],
            data["best_streak"],
            data["freezes"],
            data["freeze_progress"],
            data["qualifying_total"],
            None if last_counted is None else _from_iso(last_counted),
            None if finished_on is None else _from_iso(finished_on),
            tuple(data["recent"]),
        )


_encode = json.JSONEncoder(separators=(",", ":")).encode
_from_iso = date.fromisoformat
_PHASES = {phase.value: phase for phase in Phase}
_STATE_FIELDS = len(fields(WalkState))
_new_state = object.__new__
(
    _set_through,
    _set_phase,
    _set_round,
    _set_attempt,
    _set_attempt_start,
    _set_attempt_offset,
    _set_day_number,
    _set_misses_in_row,
    _set_misses_used,
    _set_streak,
    _set_best_streak,
    _set_freezes,
    _set_freeze_progress,
    _set_qualifying_total,
    _set_last_counted,
    _set_finished_on,
    _set_recent,
) = (vars(WalkState)[item.name].__set__ for item in fields(WalkState))


def _state(
    through: date,
    phase: Phase,
    round: int,
    attempt: int,
    attempt_start: date | None,
    attempt_offset: int,
    day_number: int,
    misses_in_row: int,
    misses_used: int,
    streak: int,
    best_streak: int,
    freezes: int,
    freeze_progress: int,
    qualifying_total: int,
    last_counted: date | None,
    finished_on: date | None,
    recent: tuple[int, ...],
) -> WalkState:
    """Return `WalkState(...)` of these fields, in their order, about three times as fast.

    A frozen dataclass's `__init__` looks `object.__setattr__` up once per field; a walk
    builds a state or two per member, and a board after a restart decodes one per member.
    """
    state = _new_state(WalkState)
    _set_through(state, through)
    _set_phase(state, phase)
    _set_round(state, round)
    _set_attempt(state, attempt)
    _set_attempt_start(state, attempt_start)
    _set_attempt_offset(state, attempt_offset)
    _set_day_number(state, day_number)
    _set_misses_in_row(state, misses_in_row)
    _set_misses_used(state, misses_used)
    _set_streak(state, streak)
    _set_best_streak(state, best_streak)
    _set_freezes(state, freezes)
    _set_freeze_progress(state, freeze_progress)
    _set_qualifying_total(state, qualifying_total)
    _set_last_counted(state, last_counted)
    _set_finished_on(state, finished_on)
    _set_recent(state, recent)
    return state


@dataclass(frozen=True, slots=True)
class LedgerDay:
    """One row of the ledger: a local day, what was logged, and what it did."""

    day: date
    status: DayStatus
    round: int
    attempt: int
    day_number: int
    """Day N after this day."""
    streak: int
    """Current streak after this day."""
    entries: int
    minutes: int | None
    imported: int
    reason: Reason
    """Why, with the numbers that decided it (`bot.wording.ledger` words it)."""
    begins: bool = False
    """Whether this day began an attempt or a round."""

    @property
    def counted(self) -> bool:
        """Whether this day counted."""
        return self.status is DayStatus.COUNTED


class _Walker:
    """The mutable fold behind `advance`: fast enough to walk a whole server per request."""

    def __init__(self, rules: Rules, state: WalkState, *, explain: bool) -> None:
        self.rules = rules
        self.explain = explain
        self.rows: list[LedgerDay] = []
        self.through = state.through
        self.phase = state.phase
        self.round = state.round
        self.attempt = state.attempt
        self.attempt_start = state.attempt_start
        self.attempt_offset = state.attempt_offset
        self.day_number = state.day_number
        self.misses_in_row = state.misses_in_row
        self.misses_used = state.misses_used
        self.streak = state.streak
        self.best_streak = state.best_streak
        self.freezes = state.freezes
        self.freeze_progress = state.freeze_progress
        self.qualifying_total = state.qualifying_total
        self.last_counted = state.last_counted
        self.finished_on = state.finished_on
        self.recent = list(state.recent)

    def state(self) -> WalkState:
        cutoff = self.through.toordinal() - RECENT_WINDOW_DAYS
        return _state(
            self.through,
            self.phase,
            self.round,
            self.attempt,
            self.attempt_start,
            self.attempt_offset,
            self.day_number,
            self.misses_in_row,
            self.misses_used,
            self.streak,
            self.best_streak,
            self.freezes,
            self.freeze_progress,
            self.qualifying_total,
            self.last_counted,
            self.finished_on,
            tuple(day for day in self.recent if day > cutoff),
        )

    def step(self, facts: DayFacts | None, *, is_today: bool) -> None:
        day = self.through + _ONE_DAY
        self.through = day
        outcome = classify(self.rules, day, facts)
        # Without rows, a day's facts matter only through `outcome`: `_count`, `_miss`, `_fail`
        # and `_rest_between_rounds` read them only to build the row and its reasons. So
        # `advance_classes` can walk days given by their class alone.
        # Reasons are built only when rows are wanted: the unexplained walk is the hot path.
        verdict = judge(self.rules, facts or DayFacts(day)) if self.explain else _UNEXPLAINED
        if outcome == _QUALIFIES:
            self._count(day, facts)
        elif outcome == _NEUTRAL:
            if self.explain:
                if facts is not None and facts.adjustment is AdjustmentKind.EXCUSE:
                    self._row(day, DayStatus.EXCUSED, facts, Excused(facts.adjustment_reason))
                else:
                    self._row(day, DayStatus.REST, facts, Rest(day.weekday()))
        elif is_today:
            if self.explain:
                self._row(day, DayStatus.IN_PROGRESS, facts, Open(verdict.shortfalls))
        elif self.phase is Phase.WAITING:
            if self.explain:
                self._row(day, DayStatus.IDLE, facts, NotStarted(verdict.shortfalls))
        elif self.phase is Phase.FINISHED:
            self._rest_between_rounds(day, facts, verdict)
        elif self.phase is Phase.FAILED:
            self.streak = 0
            if self.explain:
                reason = AwaitingAttempt(verdict.shortfalls, attempt=self.attempt + 1)
                self._row(day, DayStatus.IDLE, facts, reason)
        else:
            self._miss(day, facts, verdict)

    def _count(self, day: date, facts: DayFacts | None) -> None:
        began: Beginning | None = None
        if self.phase is not Phase.ACTIVE:
            prior = self.phase
            self._begin_attempt(day)
            if self.explain:
                began = _beginning(prior, self.round, self.attempt)
        self.day_number += 1
        self.streak += 1
        self.best_streak = max(self.best_streak, self.streak)
        self.qualifying_total += 1
        self.misses_in_row = 0
        self.last_counted = day
        self.recent.append(day.toordinal())
        earned = self._earn_freeze()
        finished = False
        target = self.rules.target_days
        if target is not None and self.day_number >= target:
            self.phase = Phase.FINISHED
            self.finished_on = day
            finished = True
        if self.explain:
            reason = Counted(
                day_number=self.day_number,
                how=_counted_how(facts),
                began=began,
                finished_round=self.round if finished else None,
                freeze_earned=self.freezes if earned else None,
            )
            self._row(day, DayStatus.COUNTED, facts, reason, begins=began is not None)

    def _begin_attempt(self, day: date) -> None:
        """Start an attempt (the first, a new round's, or a retry)."""
        if self.phase is Phase.FINISHED:
            self.round += 1
            self.attempt = 1
        elif self.phase is Phase.FAILED:
            self.attempt += 1
        self.attempt_offset = 0
        self.day_number = 0
        self.attempt_start = day
        self.misses_in_row = 0
        self.misses_used = 0
        self.finished_on = None
        self.phase = Phase.ACTIVE

    def _earn_freeze(self) -> bool:
        """Credit a qualifying day towards a freeze; return whether it earned one.

        A full bank keeps the credit for later.
        """
        every = self.rules.freeze_every
        if every is None:
            return False
        if self.freezes >= self.rules.freeze_max:
            self.freeze_progress = min(self.freeze_progress + 1, every)
            return False
        self.freeze_progress += 1
        if self.freeze_progress < every:
            return False
        self.freeze_progress -= every
        self.freezes += 1
        return True

    def _rest_between_rounds(self, day: date, facts: DayFacts | None, verdict: Verdict) -> None:
        """Handle a day without a qualifying post after a finished round.

        No attempt is running, so nothing can fail and no freeze is spent; the day ends the
        streak, as a day without a qualifying post does under every policy.
        """
        ended = self.streak
        self.streak = 0
        if self.explain:
            reason = BetweenRounds(
                verdict.shortfalls, finished_round=self.round, streak_ended=ended
            )
            self._row(day, DayStatus.IDLE, facts, reason)

    def _miss(self, day: date, facts: DayFacts | None, verdict: Verdict) -> None:
        policy = self.rules.missed_day_policy
        # Every miss ends the streak, whatever the policy, so a banked freeze is worth spending
        # on the first miss it can cover: it keeps the streak, and under kallaway it also keeps
        # the one allowed miss for later.
        if self.freezes > 0:
            self.freezes -= 1
            if self.explain:
                reason = Frozen(verdict.shortfalls, freezes_left=self.freezes)
                self._row(day, DayStatus.FROZEN, facts, reason)
            return
        self.misses_used += 1
        if policy is MissedDayPolicy.RESTART or (
            policy is MissedDayPolicy.KALLAWAY and self.misses_in_row > 0
        ):
            self._fail(day, facts, verdict, policy)
            return
        ended = self.streak
        self.streak = 0
        if policy is MissedDayPolicy.KALLAWAY:
            self.misses_in_row = 1
            effect = MissEffect.ALLOWED_MISS
        else:
            # pause (and its old name reset_streak): Day N waits, the attempt never fails.
            effect = MissEffect.PAUSED
        if self.explain:
            missed = Missed(
                verdict.shortfalls, effect=effect, day_number=self.day_number, streak_ended=ended
            )
            self._row(day, DayStatus.MISSED, facts, missed)

    def _fail(
        self, day: date, facts: DayFacts | None, verdict: Verdict, policy: MissedDayPolicy
    ) -> None:
        ended = self.attempt
        self.misses_in_row += 1
        self.phase = Phase.FAILED
        self.streak = 0
        if self.explain:
            reason = Ended(
                verdict.shortfalls,
                attempt=ended,
                day_number=self.day_number,
                second_in_row=policy is MissedDayPolicy.KALLAWAY,
            )
            self._row(day, DayStatus.ENDED, facts, reason)

    def _row(
        self,
        day: date,
        status: DayStatus,
        facts: DayFacts | None,
        reason: Reason,
        *,
        begins: bool = False,
    ) -> None:
        if not self.explain:
            return
        # Days after a failed attempt belong to the attempt that has not started yet.
        pending = self.phase is Phase.FAILED and status is not DayStatus.ENDED
        self.rows.append(
            LedgerDay(
                day=day,
                status=status,
                round=self.round,
                attempt=self.attempt + 1 if pending else self.attempt,
                day_number=0 if pending else self.day_number,
                streak=self.streak,
                entries=facts.entries if facts else 0,
                minutes=facts.minutes if facts else None,
                imported=facts.imported if facts else 0,
                reason=reason,
                begins=begins,
            )
        )


def _beginning(prior: Phase, round_: int, attempt: int) -> Beginning:
    """Return what a counted day began, given the phase before it."""
    if prior is Phase.FINISHED:
        return RoundBegan(round=round_)
    if prior is Phase.FAILED:
        return AttemptBegan(attempt=attempt)
    return ChallengeBegan()


def _counted_how(facts: DayFacts | None) -> CountedHow | None:
    if facts is None:
        return None
    if facts.adjustment is AdjustmentKind.COUNT:
        return ByOrganizer(facts.adjustment_reason)
    return ByPosts(posts=facts.entries, minutes=facts.minutes, imported=facts.imported)


def advance(
    rules: Rules,
    state: WalkState,
    facts: Mapping[date, DayFacts],
    until: date,
    *,
    today: date | None = None,
    explain: bool = False,
) -> tuple[WalkState, list[LedgerDay]]:
    """Walk from the day after `state.through` to `until` inclusive.

    `today`, when walked, is still open: not having logged yet does not count as a miss. With
    `explain`, also return one ledger row per day walked.
    """
    walker = _Walker(rules, state, explain=explain)
    day = state.through + _ONE_DAY
    while day <= until:
        walker.step(facts.get(day), is_today=day == today)
        day += _ONE_DAY
    return walker.state(), walker.rows


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
        previous = (expect >> 2) - 1
        ordinal = item >> 2
        outcome = item & 3
        # Only the number of working days among the empty days between matters, less an open
        # today: each breaks a running attempt; rest days and today change nothing.
        misses = (
            ((ordinal - 1) // 7 - previous // 7) * week
            + before[(ordinal - 1) % 7]
            - before[previous % 7]
        )
        if misses and previous < today < ordinal and (today - 1) % 7 not in rest:
            misses -= 1
        if outcome == FAILS and ordinal != today:
            misses += 1
        run_first = previous - pending + 1
        while pending:
            if room:
                # What `_count` does `count` times to a running attempt (no begin, no target).
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
            if phase is Phase.ACTIVE:
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
            elif phase is not Phase.WAITING:
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
    cutoff = last - RECENT_WINDOW_DAYS
    recent: list[int] = []
    last_counted = None
    index = hi - 1
    while index >= lo:
        item = days[index]
        if item & 3 == QUALIFIES:
            if last_counted is None:
                last_counted = item >> 2
            if item >> 2 <= cutoff:
                break
            recent.append(item >> 2)
        elif item >> 2 <= cutoff and last_counted is not None:
            break
        index -= 1
    if last_counted is not None:
        walker.last_counted = date.fromordinal(last_counted)
    recent.reverse()
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
    key = f"{ENGINE_VERSION}|{rules.to_json()}|{start_day.isoformat()}|{initial_day}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]

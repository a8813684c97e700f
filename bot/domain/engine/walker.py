"""The fold day by day (`advance`): the rules' one source of truth, with ledger rows on request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.domain.engine.state import (
    _ONE_DAY,
    RECENT_WINDOW_DAYS,
    DayStatus,
    LedgerDay,
    Phase,
    WalkState,
    _state,
)
from bot.domain.engine.verdict import _UNEXPLAINED, NEUTRAL, QUALIFIES, Verdict, classify, judge
from bot.domain.models import AdjustmentKind, DayFacts
from bot.domain.reasons import (
    AttemptBegan,
    AwaitingAttempt,
    Beginning,
    BetweenRounds,
    ByOrganizer,
    ByPosts,
    ChallengeBegan,
    Counted,
    CountedHow,
    Ended,
    Excused,
    Frozen,
    Missed,
    MissEffect,
    NotStarted,
    Open,
    Reason,
    Rest,
    RoundBegan,
)
from bot.domain.rules import MissedDayPolicy, Rules


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
            # `filter` with a bound comparison runs in C: this is one call per member walked.
            tuple(filter(cutoff.__lt__, self.recent)),
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
        if outcome == QUALIFIES:
            self._count(day, facts)
        elif outcome == NEUTRAL:
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

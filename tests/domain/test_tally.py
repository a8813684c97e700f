"""A `Tally` keeps a walk as ints: every number boards and digests read equals the walk's own."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.digest import MILESTONES, MemberWeek, _last_seen, week_of
from bot.domain.engine import (
    Phase,
    Summary,
    WalkState,
    advance,
    consistency,
    counted_between,
    summarize,
)
from bot.domain.rules import MissedDayPolicy, Rules
from bot.domain.tally import tally, tally_at
from tests.domain.test_engine_properties import histories


def _reference_week(
    rules: Rules, state: WalkState, summary: Summary, first: date, last: date, as_of: date
) -> MemberWeek:
    """The digest's week as it was computed from the whole `WalkState` and `Summary`."""
    days = counted_between(state, first, last)
    since_week = counted_between(state, last + timedelta(days=1), summary.today)
    counting = state.phase in (Phase.ACTIVE, Phase.FINISHED)
    day_at_end = summary.day_number - since_week if counting else 0
    began = state.attempt_start
    began_in_week = began is not None and first <= began <= last
    in_attempt = counted_between(state, began, last) if began_in_week and began else days
    day_at_start = 0 if began_in_week else max(0, day_at_end - days)
    crossed = [m for m in MILESTONES if day_at_start < m <= day_at_end] if in_attempt else []
    finished = (
        summary.round
        if state.finished_on is not None and first <= state.finished_on <= last
        else None
    )
    new_round = state.round if began_in_week and state.round > 1 and state.attempt == 1 else None
    if new_round is not None and began is not None and rules.target_days is not None:
        before = [day for day in state.recent if day < began.toordinal()]
        if before and max(before) >= first.toordinal():
            finished = new_round - 1
            earlier = days - in_attempt
            target = rules.target_days
            crossed = [m for m in MILESTONES if target - earlier < m <= target] + crossed
    streak_days = counted_between(state, first, summary.today)
    comeback = (
        days > 0
        and 0 < summary.current_streak <= streak_days
        and summary.qualifying_days > summary.current_streak
        and new_round is None
    )
    at_risk = (
        state.phase is Phase.ACTIVE
        and rules.missed_day_policy is MissedDayPolicy.KALLAWAY
        and state.misses_in_row > 0
        and (summary.last_counted is None or summary.last_counted < _last_seen(last, as_of))
        and not summary.today_counted
    )
    return MemberWeek(
        days,
        summary.current_streak,
        summary.day_number,
        tuple(crossed),
        finished,
        new_round,
        comeback,
        at_risk,
    )


@settings(max_examples=300)
@given(histories(), st.integers(0, 45), st.integers(0, 45), st.integers(0, 3))
def test_a_tally_answers_as_the_walk_does(history, back, width, read_after):
    state = history.walk()
    summary = summarize(history.rules, state, history.today)
    member = tally(
        history.rules,
        state,
        summary,
        participant_id=7,
        user_id=70,
        visible=True,
        zone="UTC",
        joined_at=None,
        start_day=history.start,
    )
    today = history.today
    last = today - timedelta(days=back)
    first = last - timedelta(days=width)

    assert member.counted(first.toordinal(), last.toordinal()) == counted_between(
        state, first, last
    )
    assert member.counted_days() == sorted(state.recent)
    assert member.consistency == consistency(history.rules, state, history.start, today)
    monday = today - timedelta(days=today.weekday())
    assert member.week_days == counted_between(state, monday, today)
    assert member.month_days == counted_between(state, today.replace(day=1), today)
    assert member.streak_key == (
        summary.current_streak,
        summary.best_streak,
        summary.day_number,
        -70,
    )
    # The digest's weeks: a week ending before today, on today, or still running.
    week_first = today - timedelta(days=back % 10)
    week_last = week_first + timedelta(days=6)
    as_of = week_last + timedelta(days=read_after) if read_after else today
    assert week_of(history.rules, member, week_first, week_last, as_of=as_of) == _reference_week(
        history.rules, state, summary, week_first, week_last, as_of
    )


@settings(max_examples=300)
@given(histories(), st.integers(0, 3))
def test_a_tally_takes_the_summary_numbers_from_the_state_as_summarize_does(history, later):
    # A board tallies a state walked through today without building its `Summary`.
    today = history.today + timedelta(days=later)
    state, _ = advance(
        history.rules,
        WalkState.start(history.start, history.initial_day),
        history.facts,
        today,
        today=today,
    )
    summary = summarize(history.rules, state, today)
    member = tally_at(
        history.rules,
        state,
        today,
        participant_id=7,
        user_id=70,
        visible=True,
        zone="UTC",
        joined_at=None,
        start_day=history.start,
    )
    assert member.today == today.toordinal()
    assert member.day_number == summary.day_number
    assert member.streak == summary.current_streak
    assert member.best == summary.best_streak
    assert member.qualifying == summary.qualifying_days
    assert member.today_counted == summary.today_counted
    last = summary.last_counted
    assert member.last_counted == (0 if last is None else last.toordinal())
    assert member.streak_key == (
        summary.current_streak,
        summary.best_streak,
        summary.day_number,
        -70,
    )

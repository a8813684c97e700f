"""`advance_classes` (the fold over day classes) walks exactly like `advance` over `DayFacts`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.engine import (
    FAILS,
    NEUTRAL,
    QUALIFIES,
    Phase,
    WalkState,
    advance,
    advance_classes,
    classify,
)
from bot.domain.models import AdjustmentKind, DayFacts
from bot.domain.rules import MissedDayPolicy, Rules
from tests.domain.test_engine_properties import History, day_templates, histories, random_rules

ONE_DAY = timedelta(days=1)


def encode(rules: Rules, facts: dict[date, DayFacts]) -> list[int]:
    """The days with facts, as sorted `ordinal * 4 + class`."""
    return sorted(day.toordinal() * 4 + classify(rules, day, facts[day]) for day in facts)


def reference(
    rules: Rules,
    state: WalkState,
    facts: dict[date, DayFacts],
    today: date,
    checkpoint_at: date | None,
) -> tuple[WalkState, WalkState | None]:
    """What `_fold` in the standings does: to the checkpoint, then on to today."""
    checkpoint = None
    if checkpoint_at is not None and state.through < checkpoint_at < today:
        state, _ = advance(rules, state, facts, checkpoint_at)
        checkpoint = state
    state, _ = advance(rules, state, facts, today, today=today)
    return state, checkpoint


def check_equal(history: History, split: int, check: int) -> None:
    """Resume at a day picked by `split`, checkpoint at one picked by `check`; compare."""
    rules = history.rules
    start = WalkState.start(history.start, history.initial_day)
    span = (history.today - history.start).days + 1
    resume_at = history.start - ONE_DAY + timedelta(days=split % span)
    resumed, _ = advance(rules, start, history.facts, resume_at)
    checkpoint_at = history.start + timedelta(days=check % (span + 2) - 1)
    expected = reference(rules, resumed, history.facts, history.today, checkpoint_at)
    days = encode(rules, history.facts)
    got = advance_classes(
        rules, resumed, days, history.today, today=history.today, checkpoint_at=checkpoint_at
    )
    assert got == expected
    # The checkpoint is the state `advance` reaches on that day, and resuming from it agrees.
    if got[1] is not None:
        assert got[1].through == checkpoint_at
        again = advance_classes(rules, got[1], days, history.today, today=history.today)
        assert again == (expected[0], None)


@st.composite
def sparse_rules(draw):
    """Rules with freezes to bank and, often, rest days covering all but one or two weekdays."""
    rules = draw(random_rules())
    if draw(st.booleans()):
        rules = replace(
            rules,
            freeze_every=draw(st.integers(min_value=1, max_value=6)),
            freeze_max=draw(st.integers(min_value=1, max_value=10)),
        )
    if draw(st.booleans()):
        working = draw(st.sets(st.integers(min_value=0, max_value=6), min_size=1, max_size=2))
        rules = replace(rules, rest_weekdays=frozenset(range(7)) - working)
    return rules


@st.composite
def sparse_histories(draw):
    """Long histories with idle months between runs, and often a long gap ending on today."""
    rules = draw(sparse_rules())
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)))
    highest = 99 if rules.target_days is None else min(99, rules.target_days)
    initial_day = draw(st.one_of(st.just(1), st.integers(min_value=1, max_value=highest)))
    templates = day_templates(rules)
    runs = draw(
        st.lists(
            st.tuples(
                st.one_of(
                    st.integers(min_value=0, max_value=3), st.integers(min_value=4, max_value=150)
                ),
                st.integers(min_value=1, max_value=60),
                templates,
                st.floats(min_value=0.0, max_value=1.0),
            ),
            max_size=8,
        )
    )
    facts = {}
    position = draw(st.integers(min_value=-3, max_value=5))
    for gap, length, template, density in runs:
        position += gap
        # A run is mostly its template, with some days skipped (short breaks).
        skip = draw(st.sets(st.integers(min_value=0, max_value=length - 1), max_size=length // 3))
        for offset in range(length):
            if offset in skip and density < 0.5:
                continue
            day = start + timedelta(days=position + offset)
            facts[day] = replace(template, day=day)
        position += length
    tail = draw(st.one_of(st.integers(min_value=0, max_value=3), st.integers(0, 200)))
    today = start + timedelta(days=max(position + tail, 0))
    return History(rules, start, initial_day, facts, today)


@settings(max_examples=500)
@given(
    histories(), st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400)
)
def test_advance_classes_equals_advance_on_dense_histories(
    history: History, split: int, check: int
) -> None:
    check_equal(history, split, check)


@settings(max_examples=500)
@given(sparse_histories(), st.integers(min_value=0, max_value=2000), st.integers(0, 2000))
def test_advance_classes_equals_advance_on_sparse_long_histories(
    history: History, split: int, check: int
) -> None:
    check_equal(history, split, check)


@st.composite
def choppy_histories(draw):
    """Short histories whose every day is drawn alone: counted, empty, failing or neutral.

    They hold the short alternations the run-based strategies seldom make (a two-day break
    spending two freezes, then a single counted day).
    """
    rules = draw(sparse_rules())
    start = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
    highest = 99 if rules.target_days is None else min(99, rules.target_days)
    initial_day = draw(st.one_of(st.just(1), st.integers(min_value=1, max_value=highest)))
    kinds = draw(st.lists(st.sampled_from("qqqq__fn"), max_size=120))
    counted = DayFacts(date.min, entries=1, minutes=max(rules.min_minutes, 1), has_link=True)
    counted = replace(counted, words=rules.min_words)
    failing = replace(counted, adjustment=AdjustmentKind.DISCOUNT, adjustment_reason="x")
    excused = DayFacts(date.min, adjustment=AdjustmentKind.EXCUSE, adjustment_reason="x")
    template = {"q": counted, "f": failing, "n": excused}
    facts = {}
    for offset, kind in enumerate(kinds):
        if kind != "_":
            day = start + timedelta(days=offset)
            facts[day] = replace(template[kind], day=day)
    return History(rules, start, initial_day, facts, start + timedelta(days=max(len(kinds), 1)))


@settings(max_examples=500)
@given(choppy_histories(), st.integers(min_value=0, max_value=200), st.integers(0, 200))
def test_advance_classes_equals_advance_on_choppy_histories(
    history: History, split: int, check: int
) -> None:
    check_equal(history, split, check)


@settings(max_examples=300)
@given(
    st.one_of(sparse_histories(), choppy_histories()),
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=-3, max_value=3),
    st.one_of(st.none(), st.integers(min_value=0, max_value=2000)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=2000)),
)
def test_an_open_today_anywhere_is_walked_as_advance_walks_it(
    history: History, split: int, beyond: int, today_at: int | None, check_at: int | None
) -> None:
    """`until` and `today` need not be the same day (nor `today` be walked at all)."""
    rules = history.rules
    start = WalkState.start(history.start, history.initial_day)
    span = (history.today - history.start).days + 1
    resume_at = history.start - ONE_DAY + timedelta(days=split % span)
    resumed, _ = advance(rules, start, history.facts, resume_at)
    until = history.today + timedelta(days=beyond)
    # `today` anywhere from before the walk to after it, often between listed days.
    today = None
    if today_at is not None:
        today = history.start + timedelta(days=today_at % (span + 6) - 3)
    # A checkpoint is taken only strictly between the resumed state and both `until` and today.
    checkpoint_at = checkpoint = None
    state = resumed
    if check_at is not None:
        checkpoint_at = history.start + timedelta(days=check_at % (span + 6) - 3)
        if resumed.through < checkpoint_at < until and (today is None or checkpoint_at < today):
            state, _ = advance(rules, resumed, history.facts, checkpoint_at)
            checkpoint = state
    expected, _ = advance(rules, state, history.facts, until, today=today)
    got = advance_classes(
        rules,
        resumed,
        encode(rules, history.facts),
        until,
        today=today,
        checkpoint_at=checkpoint_at,
    )
    assert got == (expected, checkpoint)


def test_days_outside_the_walk_are_ignored() -> None:
    rules = Rules(target_days=None, missed_day_policy=MissedDayPolicy.PAUSE)
    monday = date(2026, 3, 2)
    state = WalkState.start(monday)
    listed = [(monday - ONE_DAY).toordinal() * 4 + QUALIFIES]
    listed += [(monday + timedelta(days=n)).toordinal() * 4 + QUALIFIES for n in range(3)]
    listed += [(monday + timedelta(days=9)).toordinal() * 4 + QUALIFIES]
    got, checkpoint = advance_classes(rules, state, listed, monday + ONE_DAY * 2)
    # The day before the start and the one after `until` are not walked: three counted days.
    assert (got.streak, got.day_number, got.qualifying_total) == (3, 3, 3)
    assert checkpoint is None


def _ords(first: date, count: int, cls: int = QUALIFIES, step: int = 1) -> list[int]:
    return [(first + timedelta(days=n * step)).toordinal() * 4 + cls for n in range(count)]


def test_rest_days_bridge_a_run_and_an_idle_month_ending_on_today_pauses() -> None:
    # Mon-Fri twice (weekend rest days empty): a streak of 10. Then nothing from Monday 16th to
    # Tuesday 31st, today: 12 working days, of which today is open, so 11 misses under pause.
    rules = Rules(
        target_days=None, missed_day_policy=MissedDayPolicy.PAUSE, rest_weekdays=frozenset({5, 6})
    )
    monday = date(2026, 3, 2)
    listed = _ords(monday, 5) + _ords(monday + timedelta(days=7), 5)
    until, _ = advance_classes(rules, WalkState.start(monday), listed, monday + ONE_DAY * 11)
    assert (until.streak, until.best_streak, until.day_number) == (10, 10, 10)
    today = date(2026, 3, 31)
    state, _ = advance_classes(rules, WalkState.start(monday), listed, today, today=today)
    assert (state.phase, state.streak, state.best_streak) == (Phase.ACTIVE, 0, 10)
    assert (state.misses_used, state.day_number, state.misses_in_row) == (11, 10, 0)
    assert state.last_counted == date(2026, 3, 13)
    # The recent window keeps the last 40 days' counted days: all ten.
    assert len(state.recent) == 10


def test_kallaway_spends_banked_freezes_before_its_allowed_miss() -> None:
    # A freeze every 3 counted days, 2 banked at most: 7 counted days earn freezes on days 3 and
    # 6 and leave 1 credit. Then 4 empty days: 2 frozen, the 3rd is the allowed miss, the 4th
    # (a second miss in a row) ends the attempt.
    rules = Rules(
        target_days=None,
        missed_day_policy=MissedDayPolicy.KALLAWAY,
        freeze_every=3,
        freeze_max=2,
    )
    first = date(2026, 1, 5)
    listed = _ords(first, 7)
    after_run, _ = advance_classes(rules, WalkState.start(first), listed, first + ONE_DAY * 6)
    assert (after_run.freezes, after_run.freeze_progress, after_run.streak) == (2, 1, 7)
    end = first + timedelta(days=10)
    state, checkpoint = advance_classes(
        rules, WalkState.start(first), listed, end, checkpoint_at=first + timedelta(days=9)
    )
    assert checkpoint is not None
    # After the 3rd empty day: both freezes spent, one miss allowed, the attempt still runs.
    assert (checkpoint.phase, checkpoint.freezes, checkpoint.misses_used) == (Phase.ACTIVE, 0, 1)
    assert (checkpoint.misses_in_row, checkpoint.streak, checkpoint.day_number) == (1, 0, 7)
    assert (state.phase, state.misses_used, state.misses_in_row) == (Phase.FAILED, 2, 2)


def test_a_full_bank_keeps_one_freeze_of_credit_for_after_a_spent_freeze() -> None:
    # Every 2 counted days, 1 banked at most. Days 1-5 counted: day 2 earns (progress 0), then
    # the full bank keeps progress at min(progress + 1, 2): 1, 2, 2. Day 6 is empty: the freeze
    # is spent, progress stays 2. Day 7 counts: progress 3 >= 2 earns a freeze, leaving 1.
    rules = Rules(
        target_days=None, missed_day_policy=MissedDayPolicy.PAUSE, freeze_every=2, freeze_max=1
    )
    first = date(2026, 1, 5)
    listed = _ords(first, 5) + _ords(first + timedelta(days=6), 1)
    state, _ = advance_classes(rules, WalkState.start(first), listed, first + timedelta(days=6))
    assert (state.freezes, state.freeze_progress) == (1, 1)
    assert (state.streak, state.misses_used, state.day_number) == (6, 0, 6)


def test_a_target_reached_inside_a_run_finishes_and_the_next_day_begins_a_round() -> None:
    # Target 5 under restart: 8 counted days in a row. Day 5 finishes round 1; day 6 begins
    # round 2 at Day 1, so day 8 is its Day 3. The streak runs on across the rounds.
    rules = Rules(target_days=5, missed_day_policy=MissedDayPolicy.RESTART)
    first = date(2026, 1, 5)
    state, _ = advance_classes(rules, WalkState.start(first), _ords(first, 8), first + ONE_DAY * 7)
    assert (state.phase, state.round, state.attempt, state.day_number) == (Phase.ACTIVE, 2, 1, 3)
    assert (state.streak, state.best_streak, state.qualifying_total) == (8, 8, 8)
    assert state.attempt_start == first + timedelta(days=5)
    assert state.finished_on is None
    finished, _ = advance_classes(
        rules, WalkState.start(first), _ords(first, 8), first + ONE_DAY * 4
    )
    assert (finished.phase, finished.finished_on) == (Phase.FINISHED, first + ONE_DAY * 4)


def test_restart_fails_on_the_first_miss_of_a_gap_and_idles_after() -> None:
    # Restart: 3 counted days, then 20 empty days. The first ends attempt 1 (one miss), the rest
    # leave it failed; a listed excused (neutral) day and a discounted (failing) one change
    # nothing more. Day 24 counts: attempt 2 begins at Day 1.
    rules = Rules(target_days=None, missed_day_policy=MissedDayPolicy.RESTART)
    first = date(2026, 1, 5)
    listed = _ords(first, 3)
    listed += _ords(first + timedelta(days=10), 1, NEUTRAL)
    listed += _ords(first + timedelta(days=12), 1, FAILS)
    listed += _ords(first + timedelta(days=23), 1)
    state, checkpoint = advance_classes(
        rules,
        WalkState.start(first),
        listed,
        first + timedelta(days=23),
        today=first + timedelta(days=23),
        checkpoint_at=first + timedelta(days=4),
    )
    assert checkpoint is not None
    assert (checkpoint.phase, checkpoint.misses_used, checkpoint.misses_in_row) == (
        Phase.FAILED,
        1,
        1,
    )
    assert (state.phase, state.attempt, state.day_number, state.streak) == (Phase.ACTIVE, 2, 1, 1)
    assert (state.best_streak, state.qualifying_total, state.misses_used) == (3, 4, 0)


# ------------------------------------------------------------------------------------------
# The checkpoint's JSON
# ------------------------------------------------------------------------------------------

STORED = (
    '{"through":"2026-03-31","phase":"finished","round":2,"attempt":3,'
    '"attempt_start":"2026-01-05","attempt_offset":4,"day_number":100,"misses_in_row":1,'
    '"misses_used":6,"streak":12,"best_streak":40,"freezes":2,"freeze_progress":5,'
    '"qualifying_total":140,"last_counted":"2026-03-30","finished_on":"2026-03-30",'
    '"recent":[739680,739705]}'
)
"""A checkpoint as the engine wrote them before `to_json` was written out by hand."""


def test_a_stored_checkpoint_reads_back_field_by_field() -> None:
    state = WalkState.from_json(STORED)
    assert state == WalkState(
        through=date(2026, 3, 31),
        phase=Phase.FINISHED,
        round=2,
        attempt=3,
        attempt_start=date(2026, 1, 5),
        attempt_offset=4,
        day_number=100,
        misses_in_row=1,
        misses_used=6,
        streak=12,
        best_streak=40,
        freezes=2,
        freeze_progress=5,
        qualifying_total=140,
        last_counted=date(2026, 3, 30),
        finished_on=date(2026, 3, 30),
        recent=(739680, 739705),
    )
    # Written back, it is the same text: checkpoints written before and after read alike.
    assert state.to_json() == STORED
    assert isinstance(state.recent, tuple)
    assert hash(state) == hash(WalkState.from_json(state.to_json()))


def test_a_checkpoint_without_dates_reads_back_with_none() -> None:
    state = WalkState.start(date(2026, 1, 5))
    text = state.to_json()
    assert '"attempt_start":null' in text
    assert WalkState.from_json(text) == state


def test_a_checkpoint_of_another_shape_is_read_the_general_way() -> None:
    # Missing fields take their defaults; an unknown field is refused (a cache miss upstream).
    assert WalkState.from_json('{"through":"2026-03-31","phase":"waiting","recent":[]}') == (
        WalkState(through=date(2026, 3, 31))
    )
    extra = STORED[:-1] + ',"unknown":1}'
    with pytest.raises(TypeError):
        WalkState.from_json(extra)


@settings(max_examples=100)
@given(histories(), st.integers(min_value=0, max_value=400))
def test_every_walked_state_survives_json(history: History, split: int) -> None:
    span = (history.today - history.start).days + 1
    until = history.start + timedelta(days=split % span)
    state, _ = advance(
        history.rules, WalkState.start(history.start, history.initial_day), history.facts, until
    )
    assert WalkState.from_json(state.to_json()) == state

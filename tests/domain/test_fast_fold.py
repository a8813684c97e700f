"""`advance_classes` (the fold over day classes) walks exactly like `advance` over `DayFacts`."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.engine import WalkState, advance, advance_classes, classify
from bot.domain.models import DayFacts
from bot.domain.rules import Rules
from tests.domain.test_engine_properties import History, histories

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


@settings(max_examples=300)
@given(
    histories(), st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400)
)
def test_advance_classes_equals_advance_resumed_from_any_state(
    history: History, split: int, check: int
) -> None:
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

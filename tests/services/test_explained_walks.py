"""Explaining only the days shown (a week, the latest attempt) gives the whole walk's rows."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.progress import explained_since, latest_ledger
from bot.services.standings import walk_history
from tests.domain.test_engine_properties import histories


def _whole(history):
    return walk_history(
        history.rules,
        history.start,
        history.initial_day,
        history.facts,
        history.today,
        explain=True,
    )


@settings(max_examples=300)
@given(histories())
def test_the_latest_attempt_explained_alone_is_the_whole_walks(history) -> None:
    ledger = latest_ledger(
        history.rules, history.start, history.initial_day, history.facts, history.today
    )

    assert ledger == _whole(history).latest_attempt()


@settings(max_examples=300)
@given(histories(), st.integers(-3, 60))
def test_the_days_from_a_week_on_are_explained_as_the_whole_walk_does(history, back) -> None:
    first = history.today - timedelta(days=back)
    rows = explained_since(
        history.rules, history.start, history.initial_day, history.facts, first, history.today
    )

    whole = [row for row in _whole(history).rows if row.day >= min(first, history.today)]
    assert rows == whole

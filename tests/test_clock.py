"""The system clock is aware UTC; FixedClock stands still until a test moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import Clock, FixedClock, system_clock

START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def test_system_clock_is_aware_utc_and_current() -> None:
    before = datetime.now(UTC)
    now = system_clock()
    after = datetime.now(UTC)

    assert now.tzinfo is UTC
    assert before <= now <= after


def test_fixed_clock_returns_the_same_time_until_moved() -> None:
    clock = FixedClock(START)

    assert clock() == START
    assert clock() == START
    assert clock.now == START


def test_advance_moves_the_clock_and_returns_the_new_time() -> None:
    clock = FixedClock(START)

    moved = clock.advance(timedelta(days=1, minutes=5))

    assert moved == datetime(2026, 3, 30, 0, 35, tzinfo=UTC)
    assert clock() == moved


def test_set_jumps_and_converts_to_utc() -> None:
    clock = FixedClock(START)

    clock.set(datetime(2026, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))

    assert clock() == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert clock().utcoffset() == timedelta(0)


def test_a_fixed_offset_start_is_stored_as_utc() -> None:
    clock = FixedClock(datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5))))

    assert clock() == datetime(2026, 1, 1, 17, 0, tzinfo=UTC)
    assert clock().tzinfo is UTC


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001 - the naive datetime is the point

    clock = FixedClock(START)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2026, 1, 1))  # noqa: DTZ001
    assert clock() == START


def test_fixed_clock_and_system_clock_are_clocks() -> None:
    clocks: list[Clock] = [system_clock, FixedClock(START)]

    assert all(clock().tzinfo is not None for clock in clocks)


@given(steps=st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))))
def test_advancing_by_steps_equals_advancing_by_their_sum(steps: list[timedelta]) -> None:
    stepwise = FixedClock(START)
    for step in steps:
        stepwise.advance(step)

    assert stepwise() == FixedClock(START).advance(sum(steps, timedelta(0)))

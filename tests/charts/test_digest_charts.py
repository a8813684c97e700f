"""The weekly digest's charts: 1000-pixel PNGs, the same for the same data, whatever the data."""

from __future__ import annotations

import pickle
import struct
import warnings
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.charts.activity import nice_ticks, render_activity
from bot.charts.data import ActivityData, ActivityDay, DayMark, WeekBar, WeeklyBoardData
from bot.charts.jobs import draw_activity, draw_weekly_board
from bot.charts.pool import chart_pool
from bot.charts.weekly import render_weekly_board

PNG = b"\x89PNG\r\n\x1a\n"
WEEK_END = date(2026, 11, 15)  # a Sunday: the digest's week is Mon 9 to Sun 15 November
WEEK_START = WEEK_END - timedelta(days=6)
WEEK = "Nov 9 \u2013 15, 2026"  # with an en dash, as the digest writes it
TALLEST = 1400
"""Pixels: a chart taller than this needs scrolling on a phone."""

STRANGE_NAMES = [
    "🔥🔥🔥",
    "李小龙 Bruce",
    "$x^2$ \\frac{a}{b}",
    "**bold** _it_ `code` ||spoiler||",
    "<@123456789> @everyone",
    "x" * 200,
    "tab\there\nnew line",
    "",
    "   ",
    "Zoë Ødegaard",
]


def size(png: bytes) -> tuple[int, int]:
    """Return a PNG's width and height, read from its IHDR chunk (always the first)."""
    assert png.startswith(PNG)
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def a_week(counted: int) -> tuple[DayMark, ...]:
    """A week with `counted` days counted, then missed days."""
    return (DayMark.COUNTED,) * counted + (DayMark.MISSED,) * (7 - counted)


def a_board(
    count: int = 10, *, members: int = 57, names: list[str] | None = None
) -> WeeklyBoardData:
    names = names or [f"member {n}" for n in range(1, count + 1)]
    bars = tuple(
        WeekBar(name, a_week(max(7 - n // 2, 0)), 180 - 17 * n)
        for n, name in enumerate(names[:count])
    )
    return WeeklyBoardData("100 Days of ML Code", WEEK, WEEK_START, bars, members)


def an_activity(
    days: int = 56,
    *,
    peak: int = 30,
    week_start: date = WEEK_START,
    challenge: str = "100 Days of ML Code",
) -> ActivityData:
    first = WEEK_END - timedelta(days=days - 1)
    counts = tuple(
        ActivityDay(first + timedelta(days=n), peak * ((n * 7) % 11) // 10) for n in range(days)
    )
    return ActivityData(challenge, counts, week_start, week_start + timedelta(days=6))


def test_the_weekly_board_is_1000_pixels_wide_and_the_same_every_time() -> None:
    first = render_weekly_board(a_board())

    assert size(first)[0] == 1000
    assert len(first) > 20_000
    assert first == render_weekly_board(a_board())


def test_the_activity_chart_is_1000_pixels_wide_and_the_same_every_time() -> None:
    first = render_activity(an_activity())

    assert size(first)[0] == 1000
    assert len(first) > 20_000
    assert first == render_activity(an_activity())


def test_a_different_board_draws_a_different_picture() -> None:
    board = a_board()
    first = board.bars[0]
    one_day_less = WeekBar(first.name, a_week(first.days - 1), first.streak)
    one_more_streak = WeekBar(first.name, first.week, first.streak + 1)
    short_not_missed = WeekBar(first.name, (DayMark.SHORT, *first.week[1:]), first.streak)
    drawn = render_weekly_board(board)

    for bar in (one_day_less, one_more_streak, short_not_missed):
        changed = WeeklyBoardData(
            board.challenge, board.week, WEEK_START, (bar, *board.bars[1:]), 57
        )
        assert render_weekly_board(changed) != drawn
    assert render_weekly_board(a_board(members=58)) != drawn
    other_week = WeeklyBoardData(
        board.challenge, "Nov 16 \u2013 22, 2026", WEEK_START, board.bars, 57
    )
    assert render_weekly_board(other_week) != drawn
    # The same days from a Thursday: the cells are labelled with other weekdays.
    from_thursday = WeeklyBoardData(
        board.challenge, board.week, WEEK_START + timedelta(days=3), board.bars, 57
    )
    assert render_weekly_board(from_thursday) != drawn


def test_a_different_activity_draws_a_different_picture() -> None:
    data = an_activity()
    drawn = render_activity(data)
    busier = (ActivityDay(data.days[0].day, data.days[0].members + 1), *data.days[1:])

    assert render_activity(ActivityData(data.challenge, busier, WEEK_START, WEEK_END)) != drawn
    # The same counts with another week highlighted.
    assert render_activity(an_activity(week_start=WEEK_START - timedelta(weeks=1))) != drawn
    assert render_activity(an_activity(challenge="ML Club")) != drawn


def test_an_empty_board_says_so_in_a_short_chart() -> None:
    empty = render_weekly_board(WeeklyBoardData("ML Club", WEEK, WEEK_START, (), 0))

    assert size(empty)[0] == 1000
    assert size(empty)[1] < size(render_weekly_board(a_board(3)))[1]
    assert empty != render_weekly_board(a_board(1, members=1))


def test_more_rows_make_a_taller_board_within_a_phone_screen() -> None:
    heights = [size(render_weekly_board(a_board(count)))[1] for count in (1, 5, 10)]

    assert heights == sorted(set(heights))
    assert heights[-1] <= TALLEST


@pytest.mark.parametrize("days", [1, 6, 7, 28, 56, 365])
def test_any_number_of_days_draws_within_a_phone_screen(days: int) -> None:
    width, height = size(render_activity(an_activity(days)))

    assert width == 1000
    assert 300 < height <= TALLEST


def test_no_days_and_days_nobody_logged_still_draw() -> None:
    nothing = ActivityData("ML Club", (), WEEK_START, WEEK_END)
    quiet = tuple(ActivityDay(WEEK_END - timedelta(days=n), 0) for n in range(27, -1, -1))
    all_zero = ActivityData("ML Club", quiet, WEEK_START, WEEK_END)

    assert size(render_activity(nothing))[0] == 1000
    assert size(render_activity(all_zero))[0] == 1000
    assert render_activity(all_zero) != render_activity(an_activity(28))


def test_ten_thousand_members_a_day_draw() -> None:
    data = an_activity(56, peak=10_000)

    assert max(day.members for day in data.days) == 10_000
    assert size(render_activity(data))[0] == 1000


def test_a_week_outside_the_days_draws_with_nothing_highlighted() -> None:
    far = an_activity(28, week_start=WEEK_START + timedelta(weeks=10))

    assert size(render_activity(far))[0] == 1000


def test_out_of_range_values_draw_as_the_nearest_sensible_one() -> None:
    """A chart never fails a digest: 9 days draw as 7, 5 as 5 and 2 with no attempt running,
    a negative streak as none, a negative count as none."""
    extra = (DayMark.COUNTED,) * 9
    five = (DayMark.COUNTED,) * 5
    none = (DayMark.NONE,) * 2
    clamped = WeeklyBoardData(
        "c", "w", WEEK_START, (WeekBar("a", extra[:7], 3), WeekBar("b", five + none, 0)), 2
    )
    wild = WeeklyBoardData(
        "c", "w", WEEK_START, (WeekBar("a", extra, 3), WeekBar("b", five, -5)), 2
    )
    days = tuple(ActivityDay(WEEK_START + timedelta(days=n), n) for n in range(7))
    negative = (ActivityDay(WEEK_START, -4), *days[1:])

    assert render_weekly_board(wild) == render_weekly_board(clamped)
    assert render_activity(ActivityData("c", negative, WEEK_START, WEEK_END)) == render_activity(
        ActivityData("c", days, WEEK_START, WEEK_END)
    )


def test_names_the_font_cannot_draw_raise_no_warnings_and_are_not_math() -> None:
    board = WeeklyBoardData("🚀 $ML$ **Club** " + "long " * 20, WEEK + " 🎉", WEEK_START, (), 0)
    strange = a_board(10, names=STRANGE_NAMES, members=10_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert size(render_weekly_board(strange))[0] == 1000
        assert size(render_weekly_board(board))[0] == 1000
        assert size(render_activity(an_activity(challenge=board.challenge)))[0] == 1000


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (30, [0, 10, 20, 30]),
        (10_000, [0, 2_000, 4_000, 6_000, 8_000, 10_000]),
        (10_001, [0, 2_500, 5_000, 7_500, 10_000, 12_500]),
    ],
)
def test_y_ticks_are_round_whole_numbers(peak: int, ticks: list[int]) -> None:
    assert nice_ticks(peak) == ticks


@given(st.integers(min_value=0, max_value=10**9))
def test_y_ticks_always_reach_the_peak_in_at_most_five_equal_steps(peak: int) -> None:
    ticks = nice_ticks(peak)
    steps = {later - earlier for earlier, later in pairwise(ticks)}

    assert ticks[0] == 0
    assert ticks[-1] >= peak
    assert 2 <= len(ticks) <= 6
    assert len(steps) == 1
    assert ticks[-2] < max(peak, 1)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.builds(
            WeekBar,
            st.text(max_size=40),
            st.lists(st.sampled_from(DayMark), max_size=9).map(tuple),
            st.integers(min_value=0, max_value=100_000),
        ),
        max_size=10,
    ),
    st.integers(min_value=0, max_value=1_000_000),
)
def test_any_board_draws_1000_pixels_wide_within_a_phone_screen(
    bars: list[WeekBar], members: int
) -> None:
    data = WeeklyBoardData("c", "w", WEEK_START, tuple(bars), members)
    width, height = size(render_weekly_board(data))

    assert width == 1000
    assert height <= TALLEST


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=120),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=-10, max_value=130),
)
def test_any_activity_draws_1000_pixels_wide_within_a_phone_screen(
    counts: list[int], first: date, week_offset: int
) -> None:
    days = tuple(ActivityDay(first + timedelta(days=n), count) for n, count in enumerate(counts))
    week_start = first + timedelta(days=week_offset)
    data = ActivityData("c", days, week_start, week_start + timedelta(days=6))
    width, height = size(render_activity(data))

    assert width == 1000
    assert height <= TALLEST


def test_digest_data_survives_pickling() -> None:
    board, activity = a_board(), an_activity()

    assert pickle.loads(pickle.dumps(board)) == board  # noqa: S301 - our own bytes
    assert pickle.loads(pickle.dumps(activity)) == activity  # noqa: S301 - our own bytes


def test_a_process_pool_draws_the_same_digest_charts_as_this_process() -> None:
    board, activity = a_board(), an_activity()
    pool = chart_pool(workers=1)
    try:
        drawn = (
            pool.submit(draw_weekly_board, board).result(timeout=120),
            pool.submit(draw_activity, activity).result(timeout=120),
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

    assert drawn == (render_weekly_board(board), render_activity(activity))

"""The organizers' stats card: a 1000-pixel PNG, the same for the same data, legible in preview."""

from __future__ import annotations

import pickle
import re
from datetime import date, timedelta
from itertools import combinations

import pytest

from bot.charts._style import DPI, PREVIEW_WIDTH, WIDTH
from bot.charts.jobs import draw_stats
from bot.charts.stats import MAX_COHORTS, MAX_WEEKS, render_stats
from bot.charts.stats_data import CohortRow, MilestoneBar, StatsData
from tests.charts.test_digest_charts import TALLEST, size
from tests.charts.test_look import sheets, texts  # noqa: F401  # `sheets` is a fixture

FIRST = date(2026, 1, 5)  # a Monday
SMALLEST_PREVIEW_PIXELS = 9.0
"""As tests/charts/test_look.py: the least em height of words at Discord's preview size."""
MILESTONES = (
    MilestoneBar("Day 7", 150),
    MilestoneBar("Day 25", 90),
    MilestoneBar("Day 50", 52),
    MilestoneBar("Finished round", 12),
)


def a_card(days: int = 100, cohorts: int = 15, name: str = "100 Days of ML Code") -> StatsData:
    """A challenge `days` long, members joining in `cohorts` weeks, falling off week by week."""
    counts = tuple((FIRST + timedelta(days=n), max(180 - n * 2, 3)) for n in range(days))
    weeks = (days + 6) // 7
    rows = tuple(
        CohortRow(
            FIRST + timedelta(weeks=week),
            200 // (week + 1),
            tuple(max(200 // (week + 1) - 9 * k, 0) for k in range(max(weeks - week, 1))),
        )
        for week in range(cohorts)
    )
    return StatsData(name, counts, rows, MILESTONES, 180)


def test_the_card_is_1000_pixels_wide_within_a_phone_screen_and_the_same_every_time() -> None:
    png = render_stats(a_card())
    width, height = size(png)
    assert width == WIDTH
    assert 600 < height <= TALLEST
    assert render_stats(a_card()) == png


def test_different_numbers_draw_a_different_picture() -> None:
    assert render_stats(a_card(days=99)) != render_stats(a_card())


@pytest.mark.parametrize(("days", "cohorts"), [(1, 1), (14, 2), (100, 15), (365, 53)])
def test_any_length_of_challenge_draws_within_a_phone_screen(days: int, cohorts: int) -> None:
    width, height = size(render_stats(a_card(days, cohorts)))
    assert width == WIDTH
    assert height <= TALLEST


def test_a_year_of_join_weeks_shows_the_first_twelve_and_says_so(sheets) -> None:  # noqa: F811
    render_stats(a_card(365, 53))
    ((sheet, _),) = sheets
    drawn = [text.get_text() for text in texts(sheet)]
    assert f"Shown: the first {MAX_COHORTS} join weeks, {MAX_WEEKS} weeks after joining." in drawn
    # Row labels: each join week's Monday and its members, the first twelve weeks.
    rows = [words for words in drawn if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \([\d,]+\)", words)]
    assert len(rows) == MAX_COHORTS
    assert rows[0] == "5 Jan (200)"
    assert rows[-1] == "23 Mar (16)"


def test_a_full_cohort_reads_100_or_all_never_nothing(sheets) -> None:  # noqa: F811
    card = StatsData(
        "c", ((FIRST, 4),), (CohortRow(FIRST, 4, (4, 4, 2)),), (MilestoneBar("Day 7", 0),), 4
    )
    render_stats(card)
    ((sheet, _),) = sheets
    drawn = [text.get_text() for text in texts(sheet)]
    assert drawn.count("100") + drawn.count("all") == 2
    assert "50" in drawn


def test_no_days_no_cohorts_and_nobody_still_in_still_draw() -> None:
    empty = StatsData("ML Club", (), (), (), 0)
    quiet = StatsData("ML Club", ((FIRST, 0),), (CohortRow(FIRST, 1, (0,)),), MILESTONES, 0)
    assert size(render_stats(empty))[0] == WIDTH
    assert size(render_stats(quiet))[0] == WIDTH


@pytest.mark.parametrize(
    "card",
    [
        a_card(),
        a_card(14, 2, "Olúwaseun Adébáyọ̀-Kingsley's very long challenge name"),
        a_card(365, 53),
    ],
    ids=["100 days", "2 weeks, long name", "a year"],
)
def test_at_preview_size_words_are_legible_inside_and_never_overlap(
    card: StatsData,
    sheets,  # noqa: F811
) -> None:
    render_stats(card)
    ((sheet, height),) = sheets
    renderer = sheet.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = []
    for text in texts(sheet):
        box = text.get_window_extent(renderer=renderer)
        assert box.x0 >= -0.5, text.get_text()
        assert box.x1 <= WIDTH + 0.5, text.get_text()
        assert box.y0 >= -0.5, text.get_text()
        assert box.y1 <= height + 0.5, text.get_text()
        em = text.get_fontsize() * DPI / 72 * PREVIEW_WIDTH / WIDTH
        assert em >= SMALLEST_PREVIEW_PIXELS, (text.get_text(), em)
        boxes.append((text.get_text(), box))
    for (first, one), (second, other) in combinations(boxes, 2):
        overlap_x = min(one.x1, other.x1) - max(one.x0, other.x0)
        overlap_y = min(one.y1, other.y1) - max(one.y0, other.y0)
        assert overlap_x <= 1 or overlap_y <= 1, (first, second)


def test_the_data_survives_pickling_and_the_job_draws_the_same_bytes() -> None:
    card = a_card()
    assert pickle.loads(pickle.dumps(card)) == card  # noqa: S301 - our own bytes
    assert draw_stats(card) == render_stats(card)

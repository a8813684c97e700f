"""Charts: PNG bytes, the same for the same data, drawn without pyplot, whatever the data."""

from __future__ import annotations

import subprocess
import sys
import warnings
from datetime import date, timedelta

import pytest

from bot.charts._style import drawable
from bot.charts.data import (
    MAX_WEEKS,
    BoardBar,
    HeatDay,
    HeatmapData,
    LeaderboardData,
    heading,
    value_text,
)
from bot.charts.heatmap import render_heatmap
from bot.charts.jobs import draw_heatmap, draw_leaderboard
from bot.charts.leaderboard import render_leaderboard
from bot.charts.pool import chart_pool
from bot.domain.engine import DayStatus, build_ledger
from bot.domain.leaderboard import Metric, Period
from bot.domain.models import AdjustmentKind, DayFacts
from bot.domain.rules import MissedDayPolicy, Rules

PNG = b"\x89PNG\r\n\x1a\n"
TODAY = date(2026, 3, 12)  # a Thursday


def a_busy_ledger():
    """About 60 days: counted days of every length, rest Sundays, misses, a freeze, an excuse."""
    rules = Rules(
        target_days=100,
        min_minutes=30,
        missed_day_policy=MissedDayPolicy.RESET_STREAK,
        rest_weekdays=frozenset({6}),
        freeze_every=7,
        freeze_max=2,
    )
    start = TODAY - timedelta(days=60)
    facts = {}
    for offset in range(60):
        day = start + timedelta(days=offset)
        if day.weekday() != 6 and offset % 11 != 5:
            facts[day] = DayFacts(day, entries=1 + offset % 3, minutes=30 + (offset * 17) % 150)
    excused = start + timedelta(days=20)
    facts[excused] = DayFacts(excused, adjustment=AdjustmentKind.EXCUSE, adjustment_reason="ill")
    return build_ledger(rules, start, 1, facts, TODAY)


def a_heatmap(member: str = "Ada Lovelace") -> HeatmapData:
    return HeatmapData.from_ledger(a_busy_ledger(), member=member, challenge="100 Days of ML Code")


def a_board(*, viewer_rank: int | None = 3, count: int = 10) -> LeaderboardData:
    bars = tuple(
        BoardBar(rank, f"member {rank}", 40 - 3 * rank, value_text(Metric.STREAK, 40 - 3 * rank))
        for rank in range(1, count + 1)
    )
    viewer = None
    if viewer_rank is not None:
        value = max(40 - 3 * viewer_rank, 0)
        viewer = BoardBar(viewer_rank, "me", value, value_text(Metric.STREAK, value), mine=True)
        bars = tuple(viewer if bar.rank == viewer_rank else bar for bar in bars)
    return LeaderboardData("ML Club", heading(Metric.STREAK, Period.ALL), bars, 57, viewer)


def test_the_busy_ledger_has_every_kind_of_day() -> None:
    statuses = {day.status for day in a_heatmap().days}

    assert {
        DayStatus.COUNTED,
        DayStatus.REST,
        DayStatus.MISSED,
        DayStatus.FROZEN,
        DayStatus.EXCUSED,
        DayStatus.IN_PROGRESS,
    } <= statuses


def test_heatmap_is_a_png_the_same_every_time() -> None:
    first = render_heatmap(a_heatmap())
    second = render_heatmap(a_heatmap())

    assert first.startswith(PNG)
    assert len(first) > 20_000
    assert first == second


def test_leaderboard_is_a_png_the_same_every_time() -> None:
    first = render_leaderboard(a_board())

    assert first.startswith(PNG)
    assert len(first) > 20_000
    assert first == render_leaderboard(a_board())


def test_different_data_draws_a_different_picture() -> None:
    assert render_heatmap(a_heatmap("ada")) != render_heatmap(a_heatmap("raj"))
    assert render_leaderboard(a_board(viewer_rank=2)) != render_leaderboard(a_board(viewer_rank=3))


def test_an_empty_history_still_draws_a_calendar() -> None:
    empty = HeatmapData(
        member="new member",
        challenge="ML Club",
        today=TODAY,
        days=(),
        day_number=0,
        target_days=None,
        current_streak=0,
        best_streak=0,
    )

    assert render_heatmap(empty).startswith(PNG)


def test_an_empty_board_and_a_hidden_viewer_still_draw() -> None:
    empty = LeaderboardData("ML Club", heading(Metric.DAYS, Period.WEEK), (), 0, None)
    hidden_viewer = a_board(viewer_rank=None)

    assert render_leaderboard(empty).startswith(PNG)
    assert render_leaderboard(hidden_viewer).startswith(PNG)


def test_a_viewer_below_the_top_gets_a_row_of_their_own() -> None:
    board = a_board(viewer_rank=None)
    far_down = BoardBar(14, "me", 2, "2 days", mine=True)
    with_viewer = LeaderboardData(board.challenge, board.heading, board.bars, 57, far_down)

    assert render_leaderboard(with_viewer) != render_leaderboard(board)


def test_consistency_boards_draw_shares() -> None:
    bars = tuple(
        BoardBar(rank, f"m{rank}", share, value_text(Metric.CONSISTENCY, share))
        for rank, share in enumerate((1.0, 0.67, 0.0), start=1)
    )
    board = LeaderboardData("ML Club", heading(Metric.CONSISTENCY, Period.ALL), bars, 3, share=True)

    assert render_leaderboard(board).startswith(PNG)


def test_names_the_font_cannot_draw_raise_no_warnings_and_are_not_math() -> None:
    strange = ["🔥🔥", "李小龙 Bruce", "$x^2$ \\frac{a}{b}", "x" * 80, "tab\there", ""]
    board = LeaderboardData(
        "🚀 $ML$ Club",
        "Current streak",
        tuple(BoardBar(i + 1, name, 5, "5 days") for i, name in enumerate(strange)),
        6,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert render_leaderboard(board).startswith(PNG)
        assert render_heatmap(a_heatmap("🔥 $\\alpha$ 李")).startswith(PNG)


def test_drawable_keeps_every_script_and_emoji_and_cuts_long_names() -> None:
    assert drawable("Ada 🚀", "?") == "Ada 🚀"
    assert drawable("🔥🔥", "Member 4") == "🔥🔥"
    assert drawable("王小明", "Member 7") == "王小明"
    assert drawable("a" * 30, "?") == "a" * 21 + "…"
    assert drawable("Zoë  Ødegaard", "?") == "Zoë Ødegaard"
    assert drawable("   ", "Member 4") == "Member 4"


def test_drawable_leaves_out_only_what_would_draw_as_a_box_or_a_gap() -> None:
    # A zero-width joiner, a variation selector, a skin tone, a bidi override, a tab, a newline.
    assert drawable("👩\u200d💻 dev", "?") == "👩💻 dev"
    assert drawable("❤\ufe0f 👍🏽", "?") == "❤ 👍"
    assert drawable("\u202eevil\tname\nhere", "?") == "evil name here"
    # Accents stay (two marks on one letter, as in Yoruba), a tower of marks is cut to two.
    assert drawable("Adébáyọ̀", "?") == "Adébáyọ̀"
    assert drawable("Z" + "\u0336" * 30, "?") == "Z\u0336\u0336"


def test_heatmap_keeps_at_most_half_a_year() -> None:
    rules = Rules(target_days=None, missed_day_policy=MissedDayPolicy.PAUSE)
    start = TODAY - timedelta(days=400)
    facts = {
        start + timedelta(days=n): DayFacts(start + timedelta(days=n), 1, 60) for n in range(401)
    }
    data = HeatmapData.from_ledger(
        build_ledger(rules, start, 1, facts, TODAY), member="a", challenge="c"
    )

    assert min(day.day for day in data.days) > TODAY - timedelta(weeks=MAX_WEEKS)
    assert data.days[-1] == HeatDay(TODAY, DayStatus.COUNTED, 1, 60)
    assert data.day_number == 401
    assert render_heatmap(data).startswith(PNG)


@pytest.mark.parametrize(
    ("metric", "value", "words"),
    [
        (Metric.STREAK, 12, "12 days"),
        (Metric.STREAK, 1, "1 day"),
        (Metric.DAYS, 0, "0 days"),
        (Metric.CONSISTENCY, 0.87, "87%"),
        (Metric.CONSISTENCY, 2 / 3, "67%"),
        (Metric.CONSISTENCY, 1.0, "100%"),
    ],
)
def test_board_values_in_words(metric: Metric, value: float, words: str) -> None:
    assert value_text(metric, value) == words


def test_bot_charts_never_uses_pyplot_and_the_bot_never_loads_matplotlib() -> None:
    script = """
import sys
import bot.services.charts
assert "matplotlib" not in sys.modules, "the bot process should not load matplotlib"
from bot.charts import heatmap, leaderboard, jobs
jobs.warm_up()
assert "matplotlib" in sys.modules
assert "matplotlib.pyplot" not in sys.modules, "bot.charts imported pyplot"
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )

    assert done.returncode == 0, done.stderr


def test_a_process_pool_draws_the_same_bytes_as_this_process() -> None:
    heat, board = a_heatmap(), a_board()
    pool = chart_pool(workers=1)
    try:
        drawn = (
            pool.submit(draw_heatmap, heat).result(timeout=120),
            pool.submit(draw_leaderboard, board).result(timeout=120),
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

    assert drawn == (render_heatmap(heat), render_leaderboard(board))

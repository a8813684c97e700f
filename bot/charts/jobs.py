"""What a rendering worker runs: chart data in, PNG bytes out.

Each job imports its drawing module when it first runs, so the bot process, which only hands
these functions to an executor, never loads matplotlib itself; a worker process loads it once.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from bot.charts.data import (
    ActivityData,
    ActivityDay,
    BoardBar,
    DayMark,
    HeatDay,
    HeatmapData,
    LeaderboardData,
    WeekBar,
    WeeklyBoardData,
)
from bot.charts.stats_data import StatsData
from bot.domain.engine import DayStatus

_SAMPLE_DAY = date(2026, 1, 5)


def draw_heatmap(data: HeatmapData) -> bytes:
    """Render a progress heatmap to PNG bytes."""
    from bot.charts.heatmap import render_heatmap

    return render_heatmap(data)


def draw_leaderboard(data: LeaderboardData) -> bytes:
    """Render a leaderboard to PNG bytes."""
    from bot.charts.leaderboard import render_leaderboard

    return render_leaderboard(data)


def draw_weekly_board(data: WeeklyBoardData) -> bytes:
    """Render the weekly digest's board to PNG bytes."""
    from bot.charts.weekly import render_weekly_board

    return render_weekly_board(data)


def draw_activity(data: ActivityData) -> bytes:
    """Render the weekly digest's members-per-day chart to PNG bytes."""
    from bot.charts.activity import render_activity

    return render_activity(data)


def draw_stats(data: StatsData) -> bytes:
    """Render the organizers' stats card to PNG bytes."""
    from bot.charts.stats import render_stats

    return render_stats(data)


def warm_up() -> None:
    """Draw a small version of every chart and throw them away.

    A process's first render loads matplotlib, its font cache and the font; run once in each
    worker as it starts, it leaves members' requests only their own chart to draw.
    """
    days = (
        HeatDay(_SAMPLE_DAY, DayStatus.COUNTED, 1, 60),
        HeatDay(_SAMPLE_DAY + timedelta(days=1), DayStatus.FROZEN),
        HeatDay(_SAMPLE_DAY + timedelta(days=2), DayStatus.IN_PROGRESS),
    )
    draw_heatmap(
        HeatmapData(
            member="warm-up",
            challenge="warm-up",
            today=_SAMPLE_DAY + timedelta(days=2),
            days=days,
            day_number=1,
            target_days=100,
            current_streak=1,
            best_streak=1,
        )
    )
    bars = (BoardBar(1, "warm-up", 1, "1 day", mine=True),)
    draw_leaderboard(LeaderboardData("warm-up", "Current streak", bars, 1, bars[0]))
    marks = (DayMark.COUNTED, DayMark.SHORT, DayMark.MISSED, DayMark.REST)
    board = (WeekBar("warm-up", marks, 12),)
    draw_weekly_board(WeeklyBoardData("warm-up", "warm-up", _SAMPLE_DAY, board, 1))
    week = tuple(ActivityDay(_SAMPLE_DAY + timedelta(days=n), n % 3) for n in range(7))
    draw_activity(ActivityData("warm-up", week, week[0].day, week[-1].day))


def missing_fonts() -> tuple[tuple[str, str], ...]:
    """Return (what it draws, Debian package) for each optional chart font this machine lacks."""
    from bot.charts._style import missing_fonts as missing

    return tuple((font.covers, font.package) for font in missing())


def worker_id() -> int:
    """Return the worker's process id (a job that only makes the pool start a worker)."""
    return os.getpid()

"""The weekly digest's board: the week's top members, one row each, best at the top.

A row is the rank and name, seven cells filled for the days logged this week (a 0 to 7 scale
that reads at a glance on a phone), the count in words, and the member's current streak.
"""

from __future__ import annotations

from matplotlib.collections import PatchCollection
from matplotlib.patches import FancyBboxPatch

from bot.charts._style import (
    LABEL_SIZE,
    MUTED,
    SMALL_SIZE,
    WIDTH,
    PixelSheet,
    drawable,
)
from bot.charts.data import WeekBar, WeeklyBoardData
from bot.domain.leaderboard import competition_ranks

MARGIN = 28
ROW = 58
"""Pixels from one row to the next."""
RANK_RIGHT = MARGIN + 52
NAME_LEFT = MARGIN + 66
CELLS_LEFT = 340
"""Pixels from the left edge to the first day cell; the name fits in what is left of it."""
PITCH = 37
"""Pixels from one day cell to the next."""
CELL = 30
"""A day cell's side, in pixels."""
WEEK = 7
COUNT_LEFT = CELLS_LEFT + (WEEK - 1) * PITCH + CELL + 14
COUNT_WIDTH = 118
"""Pixels kept for '7 days' (102 in bold) right of the cells; the streak gets the rest.

That leaves 248 pixels: '1,234-day streak' fits at full size, longer ones shrink to fit.
"""
LOGGED = "#40c463"
NOT_LOGGED = "#ebedf0"
STRIPE = "#f6f8fa"
"""Every other row's band: it leads the eye across the wide gap from a name to its streak."""


def render_weekly_board(data: WeeklyBoardData) -> bytes:
    """Render the digest's weekly board as PNG bytes (the same bytes for the same data)."""
    sheet = PixelSheet()
    top = _titles(sheet, data)
    if not data.bars:
        return sheet.empty(top, "Nobody logged this week.", margin=MARGIN)
    shapes: list[FancyBboxPatch] = []
    for index, (rank, bar) in enumerate(zip(_ranks(data.bars), data.bars, strict=True)):
        _row(sheet, shapes, bar, rank, top + index * ROW, striped=index % 2 == 0)
    # One collection draws every band and cell at once: far faster than a patch each.
    sheet.axes.add_collection(PatchCollection(shapes, match_original=True), autolim=False)
    bottom = top + len(data.bars) * ROW
    more = data.members - len(data.bars)
    if more > 0:
        rest = sheet.text(
            WIDTH / 2,
            bottom + 14,
            f"and {more:,} more {'member' if more == 1 else 'members'}",
            ha="center",
            va="top",
            fontsize=SMALL_SIZE,
            color=MUTED,
        )
        bottom += 14 + sheet.size(rest)[1]
    return sheet.png(bottom + MARGIN)


def _titles(sheet: PixelSheet, data: WeeklyBoardData) -> float:
    """Draw the challenge, the week and how many logged in it; return the top of the rows."""
    # The week is the caller's words: cleaned like a name, but long enough for any date range.
    parts = [drawable(data.week, "", limit=40)]
    if data.members > 0:
        members = "1 member" if data.members == 1 else f"{data.members:,} members"
        parts.append(f"{members} logged this week")
    return sheet.titles(
        drawable(data.challenge, "This week", limit=40),
        "  ·  ".join(part for part in parts if part) or "This week",
        margin=MARGIN,
    )


def _ranks(bars: tuple[WeekBar, ...]) -> list[int]:
    """Return each row's rank: rows showing the same days and streak share one (1, 1, 3).

    The one tie rule of every board (`competition_ranks`); a row shows both numbers.
    """
    return competition_ranks([(bar.days, bar.streak) for bar in bars])


def _row(
    sheet: PixelSheet,
    shapes: list[FancyBboxPatch],
    bar: WeekBar,
    rank: int,
    top: float,
    *,
    striped: bool,
) -> None:
    """Draw one member's row; its band and cells go to `shapes`, drawn together later."""
    middle = top + ROW / 2
    if striped:
        shapes.append(_box(MARGIN - 8, top + 2, WIDTH - 2 * MARGIN + 16, ROW - 4, 10, STRIPE))
    sheet.text(
        RANK_RIGHT,
        middle,
        str(rank),
        ha="right",
        va="center",
        fontsize=LABEL_SIZE,
        color=MUTED,
        fontweight="bold",
    )
    name = sheet.text(
        NAME_LEFT,
        middle,
        drawable(bar.name, f"Member {rank}"),
        ha="left",
        va="center",
        fontsize=LABEL_SIZE,
    )
    sheet.fit(name, CELLS_LEFT - NAME_LEFT - 16)
    # Out-of-range counts are drawn clamped rather than refused: a chart never fails a digest.
    days = min(max(bar.days, 0), WEEK)
    for cell in range(WEEK):
        colour = LOGGED if cell < days else NOT_LOGGED
        shapes.append(_box(CELLS_LEFT + cell * PITCH, middle - CELL / 2, CELL, CELL, 6, colour))
    sheet.text(
        COUNT_LEFT,
        middle,
        "1 day" if days == 1 else f"{days} days",
        ha="left",
        va="center",
        fontsize=LABEL_SIZE,
        fontweight="bold",
    )
    streak = sheet.text(
        WIDTH - MARGIN,
        middle,
        f"{bar.streak:,}-day streak" if bar.streak > 0 else "no streak",
        ha="right",
        va="center",
        fontsize=LABEL_SIZE,
        color=MUTED,
    )
    sheet.fit(streak, WIDTH - MARGIN - COUNT_LEFT - COUNT_WIDTH)


def _box(
    left: float, top: float, width: float, height: float, rounding: float, fill: str
) -> FancyBboxPatch:
    return FancyBboxPatch(
        (left, top),
        width,
        height,
        boxstyle=f"round,pad=0,rounding_size={rounding}",
        facecolor=fill,
        edgecolor="none",
    )

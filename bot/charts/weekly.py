"""The weekly digest's board: the week's top members, one row each, best at the top.

A row is the rank and name, the week's seven days as cells under their weekday names (starting
on the digest week's first day, in the challenge's zone), the days counted in words, and the
member's current streak. A cell is marked as the heatmap marks a day (`bot.charts.marks`): a
Friday missed is a cross in the Fri column; a legend under the rows explains the marks drawn.
"""

from __future__ import annotations

from datetime import timedelta

from matplotlib.collections import PatchCollection
from matplotlib.patches import FancyBboxPatch

from bot.charts._style import (
    BAND,
    LABEL_SIZE,
    MUTED,
    SMALL_SIZE,
    WIDTH,
    PixelSheet,
    drawable,
)
from bot.charts.data import DayMark, WeekBar, WeeklyBoardData
from bot.charts.marks import LOOKS, NAMES, Cells, Key, legend
from bot.domain.leaderboard import competition_ranks

MARGIN = 28
ROW = 58
"""Pixels from one row to the next."""
RANK_RIGHT = MARGIN + 52
NAME_LEFT = MARGIN + 66
CELLS_LEFT = 300
"""Pixels from the left edge to the first day cell; the name fits in what is left of it."""
PITCH = 54
"""Pixels from one day cell to the next: a weekday's name ('Wed', 41 pixels) fits over it."""
CELL = 40
"""A day cell's side, in pixels."""
WEEK = 7
COUNT_LEFT = CELLS_LEFT + (WEEK - 1) * PITCH + CELL + 16
COUNT_WIDTH = 104
"""Pixels kept for '7 days' (86 in bold) right of the cells; the streak gets the rest.

That leaves 188 pixels: '180-day streak' fits at full size, longer ones shrink to fit.
"""
WEEKDAY_SIZE = 17
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STRIPE = BAND
"""Every other row's band: it leads the eye across the wide gap from a name to its streak."""


def render_weekly_board(data: WeeklyBoardData) -> bytes:
    """Render the digest's weekly board as PNG bytes (the same bytes for the same data)."""
    sheet = PixelSheet()
    top = _titles(sheet, data)
    if not data.bars:
        return sheet.empty(top, "Nobody logged this week.", margin=MARGIN)
    top = _weekdays(sheet, data, top)
    bands: list[FancyBboxPatch] = []
    cells = Cells(sheet)
    for index, (rank, bar) in enumerate(zip(_ranks(data.bars), data.bars, strict=True)):
        _row(sheet, (bands, cells), bar, rank, top + index * ROW, striped=index % 2 == 0)
    # One collection draws every band at once (far faster than a patch each), under the cells.
    sheet.axes.add_collection(PatchCollection(bands, match_original=True), autolim=False)
    cells.draw()
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
    drawn = {_mark(bar, day) for bar in data.bars for day in range(WEEK)}
    keys = [Key(NAMES[mark], look) for mark, look in LOOKS.items() if mark in drawn]
    bottom = legend(sheet, bottom + 18, [keys], left=MARGIN, right=WIDTH - MARGIN)
    return sheet.png(bottom + MARGIN)


def _weekdays(sheet: PixelSheet, data: WeeklyBoardData, top: float) -> float:
    """Name each cell's weekday over its column, from the week's first day; return the rows' top."""
    height = 0.0
    for cell in range(WEEK):
        day = data.first_day + timedelta(days=cell)
        label = sheet.text(
            CELLS_LEFT + cell * PITCH + CELL / 2,
            top,
            WEEKDAYS[day.weekday()],
            ha="center",
            va="top",
            fontsize=WEEKDAY_SIZE,
            color=MUTED,
        )
        height = max(height, sheet.size(label)[1])
    return top + height + 4


def _mark(bar: WeekBar, cell: int) -> DayMark:
    """Return the mark of a row's day `cell`; a day the data lacks had no attempt running."""
    return bar.week[cell] if cell < len(bar.week) else DayMark.NONE


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
    shapes: tuple[list[FancyBboxPatch], Cells],
    bar: WeekBar,
    rank: int,
    top: float,
    *,
    striped: bool,
) -> None:
    """Draw one member's row; its band and cells go to `shapes`, drawn together later."""
    bands, cells = shapes
    middle = top + ROW / 2
    if striped:
        bands.append(_box(MARGIN - 8, top + 2, WIDTH - 2 * MARGIN + 16, ROW - 4, 10, STRIPE))
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
    # A week of more than seven days is drawn as its first seven: a chart never fails a digest.
    for cell in range(WEEK):
        centre = (CELLS_LEFT + cell * PITCH + CELL / 2, middle)
        cells.add(centre, CELL, LOOKS[_mark(bar, cell)])
    days = sum(1 for cell in range(WEEK) if _mark(bar, cell) is DayMark.COUNTED)
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

"""A leaderboard as horizontal bars: rank and name, the bar, and its value, best at the top.

The member who asked is drawn in a second colour: among the bars, or in a row of their own
under them when their rank is further down.
"""

from __future__ import annotations

from matplotlib.patches import FancyBboxPatch

from bot.charts._style import (
    LABEL_SIZE,
    MUTED,
    WIDTH,
    PixelSheet,
    drawable,
)
from bot.charts.data import BoardBar, LeaderboardData
from bot.charts.marks import GREENS

MARGIN = 28
ROW = 58
"""Pixels from one bar to the next."""
BAR = 0.66
"""A bar's thickness as a share of the row."""
NAME_WIDTH = 330
"""Pixels for the rank and the name, left of the bars."""
VALUE_WIDTH = 150
"""Pixels kept right of the longest bar for its value."""
BAR_COLOUR = GREENS[2]
MINE_COLOUR = "#f0883e"
"""The asker's bar: orange, and their row is banded and bold too (not colour alone)."""
MINE_BAND = "#3d3228"


def render_leaderboard(data: LeaderboardData) -> bytes:
    """Render a leaderboard as PNG bytes (the same bytes for the same data)."""
    sheet = PixelSheet()
    top = _titles(sheet, data)
    if not data.bars:
        return sheet.empty(top, "Nobody is on this board yet.", margin=MARGIN)
    scale = 1.0 if data.share else max(max(bar.value for bar in data.bars), 1.0)
    left = MARGIN + NAME_WIDTH
    span = WIDTH - left - VALUE_WIDTH - MARGIN
    for index, bar in enumerate(data.bars):
        _bar(sheet, bar, top + index * ROW, left, span * bar.value / scale)
    bottom = top + len(data.bars) * ROW
    viewer = data.viewer
    if viewer is not None and not any(bar.mine for bar in data.bars):
        # The asker's own row, under a gap that says the ranks in between are left out.
        sheet.text(
            MARGIN + 40,
            bottom + 4,
            "⋮",
            ha="center",
            va="top",
            fontsize=LABEL_SIZE,
            color=MUTED,
        )
        bottom += 40
        _bar(sheet, viewer, bottom, left, span * min(viewer.value / scale, 1.0))
        bottom += ROW
    return sheet.png(bottom + MARGIN)


def _titles(sheet: PixelSheet, data: LeaderboardData) -> float:
    """Draw the challenge and what the board ranks by; return the top of the bars."""
    members = "1 member" if data.ranked == 1 else f"{data.ranked} members"
    shown = f"top {len(data.bars)} of {members}" if len(data.bars) < data.ranked else members
    return sheet.titles(
        drawable(data.challenge, "Leaderboard", limit=40),
        f"{data.heading}  ·  {shown}" if data.ranked else data.heading,
        margin=MARGIN,
    )


def _bar(sheet: PixelSheet, bar: BoardBar, top: float, left: float, length: float) -> None:
    middle = top + ROW / 2
    thickness = ROW * BAR
    weight = "bold" if bar.mine else "normal"
    if bar.mine:
        sheet.axes.add_patch(
            FancyBboxPatch(
                (MARGIN - 8, top + 2),
                WIDTH - 2 * MARGIN + 16,
                ROW - 4,
                boxstyle="round,pad=0,rounding_size=10",
                facecolor=MINE_BAND,
                edgecolor="none",
            )
        )
    sheet.text(
        MARGIN + 52,
        middle,
        str(bar.rank),
        ha="right",
        va="center",
        fontsize=LABEL_SIZE,
        color=MUTED,
        fontweight="bold",
    )
    name = sheet.text(
        MARGIN + 66,
        middle,
        drawable(bar.name, f"Member {bar.rank}"),
        ha="left",
        va="center",
        fontsize=LABEL_SIZE,
        fontweight=weight,
    )
    sheet.fit(name, NAME_WIDTH - 66 - 12)
    if length >= 1:
        sheet.axes.add_patch(
            FancyBboxPatch(
                (left, middle - thickness / 2),
                length,
                thickness,
                boxstyle=f"round,pad=0,rounding_size={min(6.0, length / 2):.2f}",
                facecolor=MINE_COLOUR if bar.mine else BAR_COLOUR,
                edgecolor="none",
            )
        )
    sheet.text(
        left + length + 10,
        middle,
        bar.label,
        ha="left",
        va="center",
        fontsize=LABEL_SIZE,
        fontweight="bold",
    )

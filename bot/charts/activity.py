"""The weekly digest's activity: how many members logged each day, one column a day.

The digest's week stands out in green on a pale band, the other days are grey; Mondays carry
the date labels, with a faint line before each where a week begins (every other Monday, or
fewer, when the columns are too narrow for a label a week).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Text

from bot.charts._style import (
    LABEL_SIZE,
    MUTED,
    SMALL_SIZE,
    WIDTH,
    PixelSheet,
    drawable,
)
from bot.charts.data import ActivityData
from bot.charts.marks import GREENS

MARGIN = 28
PLOT_HEIGHT = 340
"""Pixels from the top tick to the baseline."""
COLUMN = 0.72
"""A column's width as a share of its slot; the rest is the gap between columns."""
MAX_SLOT = 60
"""Widest slot for a day, in pixels: a week or two of data would make slabs, not columns."""
SHORTEST = 2.0
"""Pixels: the least height of a day anyone logged, so it never reads as an empty day."""
LABEL_GAP = 24
"""Least pixels between two date labels."""
WEEK_COLUMN = GREENS[2]
OTHER_COLUMN = "#80848e"
WEEK_BAND = "#25392b"
WEEK_INK = GREENS[3]
"""The week's dates, over its band: as light as the week's columns are bright."""
GRID = "#3f4147"
BASELINE = "#80848e"


def render_activity(data: ActivityData) -> bytes:
    """Render the digest's members-per-day chart as PNG bytes (the same bytes for the same data)."""
    sheet = PixelSheet()
    top = _titles(sheet, data)
    if not data.days:
        return sheet.empty(top, "No days to show yet.", margin=MARGIN)

    counts = [max(day.members, 0) for day in data.days]
    ticks = nice_ticks(max(counts))
    tick_labels = [
        sheet.text(0, 0, f"{tick:,}", ha="right", va="center", fontsize=SMALL_SIZE, color=MUTED)
        for tick in ticks
    ]
    label_width = max(sheet.size(label)[0] for label in tick_labels) + 12
    slot = min(MAX_SLOT, (WIDTH - 2 * MARGIN - label_width) / len(counts))
    # Centred: only a short history, its slots held to `MAX_SLOT`, leaves room on the sides.
    left = (WIDTH - label_width - slot * len(counts)) / 2 + label_width
    in_week = [data.week_start <= day.day <= data.week_end for day in data.days]
    # The week's label sits above its band, so the plot starts under it.
    week_label = _week_label(sheet, data, in_week, left, slot, top)
    plot_top = top + (sheet.size(week_label)[1] + 10 if week_label else 0) + 12
    plot = Plot(left, slot, len(counts), plot_top + PLOT_HEIGHT)

    for tick, label in zip(ticks, tick_labels, strict=True):
        label.set_position((left - 12, plot.height(tick, ticks[-1])))
    bottom, labelled = _date_labels(sheet, data, plot)
    _grid(sheet, plot, ticks, labelled)
    _columns(sheet, plot, counts, in_week, ticks[-1])
    if not any(counts):
        sheet.text(
            (plot.left + plot.right) / 2,
            plot.baseline - PLOT_HEIGHT / 2,
            "Nobody logged on these days.",
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            color=MUTED,
        )
    return sheet.png(bottom + MARGIN)


@dataclass(frozen=True, slots=True)
class Plot:
    """Where the columns go: the left edge, a day's slot width, how many days, the baseline."""

    left: float
    slot: float
    days: int
    baseline: float

    @property
    def right(self) -> float:
        """The plot's right edge."""
        return self.left + self.slot * self.days

    @property
    def top(self) -> float:
        """Where the week band and the week lines start: a little above the top tick."""
        return self.baseline - PLOT_HEIGHT - 12

    def centre(self, index: int) -> float:
        """Return the middle of a day's slot."""
        return self.left + (index + 0.5) * self.slot

    def height(self, members: int, scale: int) -> float:
        """Return the y pixel of `members` on a scale whose top tick is `scale`."""
        return self.baseline - members * PLOT_HEIGHT / scale


def _grid(sheet: PixelSheet, plot: Plot, ticks: list[int], labelled: list[int]) -> None:
    """Draw a line at every tick but 0, and one before each labelled Monday, ending its week."""
    lines = [
        [(plot.left, plot.height(tick, ticks[-1])), (plot.right, plot.height(tick, ticks[-1]))]
        for tick in ticks[1:]
    ]
    lines.extend(
        [(plot.left + index * plot.slot, plot.top), (plot.left + index * plot.slot, plot.baseline)]
        for index in labelled
        if index
    )
    # Under the columns: the lines guide the eye without crossing the data.
    sheet.axes.add_collection(
        LineCollection(lines, colors=GRID, linewidths=1.2, zorder=0.5), autolim=False
    )
    sheet.axes.add_collection(
        LineCollection(
            [[(plot.left, plot.baseline), (plot.right, plot.baseline)]],
            colors=BASELINE,
            linewidths=1.6,
            zorder=2,
        ),
        autolim=False,
    )


def _columns(
    sheet: PixelSheet, plot: Plot, counts: list[int], in_week: list[bool], scale: int
) -> None:
    """Draw the digest week's band, then a column for each day anyone logged."""
    if any(in_week):
        first = in_week.index(True)
        last = len(in_week) - 1 - in_week[::-1].index(True)
        band = _box(
            plot.left + first * plot.slot,
            plot.top,
            (last - first + 1) * plot.slot,
            plot.baseline - plot.top,
            WEEK_BAND,
        )
        # Under the grid lines, which stay visible across the week.
        band.set_zorder(0.4)
        sheet.axes.add_patch(band)
    shapes: list[FancyBboxPatch] = []
    width = max(plot.slot * COLUMN, 1.0)
    for index, count in enumerate(counts):
        if count == 0:
            continue
        height = max(plot.baseline - plot.height(count, scale), SHORTEST)
        colour = WEEK_COLUMN if in_week[index] else OTHER_COLUMN
        left = plot.centre(index) - width / 2
        shapes.append(_box(left, plot.baseline - height, width, height, colour))
    # One collection draws every column at once: far faster than a patch each.
    sheet.axes.add_collection(PatchCollection(shapes, match_original=True), autolim=False)


def nice_ticks(peak: int) -> list[int]:
    """Return the y axis ticks: 0 and at most five equal whole-number steps, reaching `peak`."""
    top = max(peak, 1)
    step = next(step for step in _steps() if step * 5 >= top)
    return list(range(0, -(-top // step) * step + 1, step))


def _steps() -> Iterator[int]:
    """Yield 1, 2, 5, 10, 20, 25, 50, 100...: round steps (2.5 only where it stays whole)."""
    yield from (1, 2, 5)
    magnitude = 10
    while True:
        yield from (magnitude, 2 * magnitude, 5 * magnitude // 2, 5 * magnitude)
        magnitude *= 10


def _titles(sheet: PixelSheet, data: ActivityData) -> float:
    """Draw the challenge and what the columns count; return the top of what follows."""
    return sheet.titles(
        drawable(data.challenge, "Activity", limit=40),
        f"Members who logged each day, {_span(len(data.days))}",
        margin=MARGIN,
        gap=22,
    )


def _span(days: int) -> str:
    """Return how long the chart looks back: 'last 8 weeks', 'last 10 days'."""
    if days >= 14 and days % 7 == 0:
        return f"last {days // 7} weeks"
    return "1 day" if days == 1 else f"last {days} days"


def _short(day: date) -> str:
    """Return a day as '16 Mar': day first, as a member's days are written everywhere."""
    return f"{day.day} {day:%b}"


def _week_label(
    sheet: PixelSheet, data: ActivityData, in_week: list[bool], left: float, slot: float, top: float
) -> Text | None:
    """Name the digest's week above its band (kept inside the sheet); None when not shown."""
    if not any(in_week):
        return None
    start, end = data.week_start, data.week_end
    same_month = (start.year, start.month) == (end.year, end.month)
    # An en dash between the dates, as the digest's text writes its week.
    words = f"{start.day if same_month else _short(start)} \u2013 {_short(end)}"
    first = in_week.index(True)
    last = len(in_week) - 1 - in_week[::-1].index(True)
    label = sheet.text(
        0, top, words, ha="center", va="top", fontsize=SMALL_SIZE, fontweight="bold", color=WEEK_INK
    )
    half = sheet.size(label)[0] / 2
    middle = left + (first + last + 1) / 2 * slot
    label.set_x(min(max(middle, MARGIN + half), WIDTH - MARGIN - half))
    return label


def _date_labels(sheet: PixelSheet, data: ActivityData, plot: Plot) -> tuple[float, list[int]]:
    """Label Mondays (every k-th one when they would crowd).

    Return the labels' bottom and the days labelled.
    """
    top = plot.baseline + 10
    mondays = [index for index, day in enumerate(data.days) if day.day.weekday() == 0] or [0]
    labels = {
        index: sheet.text(
            0,
            top,
            _short(data.days[index].day),
            ha="center",
            va="top",
            fontsize=SMALL_SIZE,
            color=MUTED,
        )
        for index in mondays
    }
    widest = max(sheet.size(label)[0] for label in labels.values())
    every = 1
    while every * 7 * plot.slot < widest + LABEL_GAP:
        every += 1
    # Counted from the last Monday back, so the digest's week (usually the last) keeps its label.
    shown = sorted(mondays[::-1][::every])
    bottom = top
    for index, label in labels.items():
        if index not in shown:
            label.remove()
            continue
        half = sheet.size(label)[0] / 2
        label.set_x(min(max(plot.centre(index), MARGIN + half), WIDTH - MARGIN - half))
        bottom = max(bottom, top + sheet.size(label)[1])
    return bottom, shown


def _box(left: float, top: float, width: float, height: float, fill: str) -> FancyBboxPatch:
    return FancyBboxPatch(
        (left, top),
        width,
        height,
        boxstyle=f"round,pad=0,rounding_size={min(3.0, width / 2, height / 2):.2f}",
        facecolor=fill,
        edgecolor="none",
    )

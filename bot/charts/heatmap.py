"""A member's attempt as a calendar heatmap, GitHub-contribution style.

Weeks are columns (oldest on the left), weekdays rows (Monday on top). Counted days are green,
darker for more minutes (or posts, when no minutes were given); rest, excused, frozen, missed
days and today each have their own look, and the legend lists the ones that appear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.artist import Artist
from matplotlib.collections import PatchCollection
from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea, HPacker, TextArea, VPacker
from matplotlib.patches import FancyBboxPatch

from bot.charts._style import (
    DPI,
    FONT,
    INK,
    MUTED,
    SMALL_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    WIDTH,
    PixelSheet,
    drawable,
)
from bot.charts.data import MAX_WEEKS, HeatDay, HeatmapData
from bot.domain.engine import DayStatus

MIN_WEEKS = 16
"""A short history is drawn with the weeks ahead, so a new attempt shows the road to Day 100."""

EMPTY = "#ebedf0"
UPCOMING_EDGE = "#d0d7de"
GREENS = ("#9be9a8", "#40c463", "#30a14e", "#216e39")
LOOKS: dict[DayStatus, tuple[str, str]] = {
    # status: (fill, glyph drawn on the cell)
    DayStatus.REST: ("#b6c7e3", ""),
    DayStatus.EXCUSED: ("#e2c5ff", ""),
    DayStatus.FROZEN: ("#218bff", "❄"),
    DayStatus.MISSED: ("#ff9492", "\u00d7"),  # a multiplication sign: a cross
    DayStatus.ENDED: ("#cf222e", "✖"),
    DayStatus.IN_PROGRESS: ("#fff1b8", ""),
    DayStatus.IDLE: (EMPTY, ""),
}
LEGEND_NAMES: dict[DayStatus, str] = {
    DayStatus.REST: "Rest",
    DayStatus.EXCUSED: "Excused",
    DayStatus.FROZEN: "Frozen",
    DayStatus.MISSED: "Missed",
    DayStatus.ENDED: "Ended",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

MARGIN = 24
"""Pixels around the chart."""
MAX_PITCH = 58
"""Largest distance between two cells, in pixels (a short history would make huge cells)."""
CELL = 0.84
"""A cell's side as a share of the pitch; the rest is the gap between cells."""
POINTS_PER_PIXEL = 72 / DPI


def render_heatmap(data: HeatmapData) -> bytes:
    """Render a member's heatmap as PNG bytes (the same bytes for the same data)."""
    by_day = {heat.day: heat for heat in data.days}
    this_week = data.today - timedelta(days=data.today.weekday())
    shown_from = min(by_day, default=data.today)
    shown_from = max(shown_from, this_week - timedelta(weeks=MAX_WEEKS - 1))
    first_week = shown_from - timedelta(days=shown_from.weekday())
    weeks = max((this_week - first_week).days // 7 + 1, MIN_WEEKS)

    # Laid out by hand, in pixels: the square cells decide the height, and one draw is
    # enough (a layout engine would draw twice and leave bands around a fixed-aspect grid).
    sheet = PixelSheet()
    top = _title(sheet, data)
    labels = [
        sheet.text(0, 0, name, ha="right", va="center", fontsize=SMALL_SIZE, color=MUTED)
        for name in WEEKDAYS
    ]
    label_width = max(sheet.size(label)[0] for label in labels) + 14
    pitch = min(MAX_PITCH, (WIDTH - 2 * MARGIN - label_width) / weeks)
    left = (WIDTH - label_width - pitch * weeks) / 2 + label_width
    top = _month_labels(sheet, first_week, weeks, left, pitch, top)
    for row, label in enumerate(labels):
        label.set_position((left - 14, top + (row + 0.5) * pitch))
    grid = Grid(left, top, pitch)
    _draw_cells(sheet, grid, data, by_day, first_week, shown_from, weeks)
    bottom = _legend(
        sheet, top + 7 * pitch + 26, {heat.status for heat in data.days}, by_day.get(data.today)
    )
    return sheet.png(bottom + MARGIN)


@dataclass(frozen=True, slots=True)
class Grid:
    """Where the cells go: the top left corner of the first cell's slot, and the pitch (pixels)."""

    left: float
    top: float
    pitch: float

    def slot(self, column: int, row: int) -> tuple[float, float]:
        """Return the centre of a cell."""
        return self.left + (column + 0.5) * self.pitch, self.top + (row + 0.5) * self.pitch


def _title(sheet: PixelSheet, data: HeatmapData) -> float:
    """Draw the member and challenge, then Day N and the streaks; return the space left's top."""
    member = drawable(data.member, "A member")
    challenge = drawable(data.challenge, "the challenge", limit=40)
    title = sheet.text(
        WIDTH / 2,
        MARGIN,
        f"{member} · {challenge}",
        ha="center",
        va="top",
        fontsize=TITLE_SIZE,
        fontweight="bold",
    )
    sheet.fit(title, WIDTH - 2 * MARGIN)
    day = f"Day {data.day_number}"
    if data.target_days is not None:
        day += f" of {data.target_days}"
    top = MARGIN + sheet.size(title)[1] + 10
    subtitle = sheet.text(
        WIDTH / 2,
        top,
        f"{day}  ·  streak {data.current_streak}  ·  best {data.best_streak}",
        ha="center",
        va="top",
        fontsize=SUBTITLE_SIZE,
        color=MUTED,
    )
    return top + sheet.size(subtitle)[1] + 22


def _level(heat: HeatDay) -> int:
    """Return a counted day's shade, 0 (lightest) to 3: by minutes, else by posts."""
    if heat.minutes is not None:
        return sum(heat.minutes >= bound for bound in (45, 90, 150))
    return min(max(heat.entries, 1), 4) - 1


def _draw_cells(
    sheet: PixelSheet,
    grid: Grid,
    data: HeatmapData,
    by_day: dict[date, HeatDay],
    first_week: date,
    shown_from: date,
    weeks: int,
) -> None:
    cells: list[FancyBboxPatch] = []
    glyph_size = grid.pitch * 0.5 * POINTS_PER_PIXEL
    for column in range(weeks):
        for row in range(7):
            day = first_week + timedelta(days=column * 7 + row)
            if day < shown_from:
                continue
            heat = by_day.get(day)
            centre = grid.slot(column, row)
            if day > data.today:
                cells.append(_cell(grid, centre, "none", UPCOMING_EDGE, 1.6))
            elif heat is None:
                cells.append(_cell(grid, centre, EMPTY))
            elif heat.status is DayStatus.COUNTED:
                cells.append(_cell(grid, centre, GREENS[_level(heat)]))
            else:
                fill, glyph = LOOKS[heat.status]
                cells.append(_cell(grid, centre, fill))
                if glyph:
                    sheet.text(
                        centre[0],
                        centre[1] + grid.pitch * 0.03,
                        glyph,
                        ha="center",
                        va="center",
                        fontsize=glyph_size,
                        fontweight="bold",
                        color="white",
                    )
            if day == data.today:
                cells.append(_cell(grid, centre, "none", INK, 3.2))
    # One collection draws every cell at once: far faster than a patch each.
    sheet.axes.add_collection(PatchCollection(cells, match_original=True), autolim=False)


def _cell(
    grid: Grid, centre: tuple[float, float], fill: str, edge: str = "none", width: float = 0.0
) -> FancyBboxPatch:
    side = grid.pitch * CELL
    return FancyBboxPatch(
        (centre[0] - side / 2, centre[1] - side / 2),
        side,
        side,
        boxstyle=f"round,pad=0,rounding_size={side * 0.16:.2f}",
        facecolor=fill,
        edgecolor=edge,
        linewidth=width,
    )


def _month_labels(
    sheet: PixelSheet, first_week: date, weeks: int, left: float, pitch: float, top: float
) -> float:
    """Label the column where each month begins (and the first one, when there is room).

    Return the top of the grid, under the labels.
    """
    starts: list[tuple[int, str]] = []
    for column in range(weeks):
        monday = first_week + timedelta(weeks=column)
        sunday = monday + timedelta(days=6)
        if column == 0 or sunday.month != monday.month or monday.day == 1:
            month = sunday if column and sunday.month != monday.month else monday
            starts.append((column, f"{month:%b}"))
    if len(starts) > 1 and (starts[1][0] - starts[0][0]) * pitch < 70:
        starts.pop(0)
    height = 0.0
    for column, name in starts:
        label = sheet.text(
            left + (column + (1 - CELL) / 2) * pitch,
            top,
            name,
            ha="left",
            va="top",
            fontsize=SMALL_SIZE,
            color=MUTED,
        )
        height = max(height, sheet.size(label)[1])
    return top + height + 8


def _swatch(fill: str, *, edge: str | None = None) -> DrawingArea:
    side = SMALL_SIZE * 1.1
    area = DrawingArea(side, side)
    area.add_artist(
        FancyBboxPatch(
            (1, 1),
            side - 2,
            side - 2,
            boxstyle="round,pad=0,rounding_size=3",
            facecolor=fill,
            edgecolor=edge or "none",
            linewidth=2 if edge else 0,
        )
    )
    return area


def _words(text: str) -> TextArea:
    return TextArea(text, textprops={"fontsize": SMALL_SIZE, "fontfamily": FONT, "color": MUTED})


def _item(swatch: DrawingArea, label: str) -> HPacker:
    return HPacker(children=[swatch, _words(label)], sep=6, align="center")


def _legend(
    sheet: PixelSheet, top: float, present: Iterable[DayStatus], today: HeatDay | None
) -> float:
    """Draw 'Less ■■■■ More', a swatch for every other kind of day shown, and today.

    Return the legend's bottom.
    """
    scale = HPacker(
        children=[_words("Less"), *(_swatch(green) for green in GREENS), _words("More")],
        sep=5,
        align="center",
    )
    shown = set(present)
    items: list[Artist] = [
        _item(_swatch(LOOKS[status][0]), name)
        for status, name in LEGEND_NAMES.items()
        if status in shown
    ]
    if today is None:
        items.append(_item(_swatch(EMPTY, edge=INK), "Today"))
    elif today.status is DayStatus.COUNTED:
        items.append(_item(_swatch(GREENS[_level(today)], edge=INK), "Today"))
    else:
        open_day = today.status is DayStatus.IN_PROGRESS
        label = "Today, not logged yet" if open_day else "Today"
        items.append(_item(_swatch(LOOKS[today.status][0], edge=INK), label))
    box = AnchoredOffsetbox(
        loc="upper center",
        bbox_to_anchor=(WIDTH / 2, top),
        bbox_transform=sheet.axes.transData,
        child=VPacker(
            children=[scale, HPacker(children=items, sep=22, align="center")],
            sep=12,
            align="center",
        ),
        frameon=False,
        pad=0,
        borderpad=0,
    )
    sheet.axes.add_artist(box)
    return top + sheet.extent(box)[1]

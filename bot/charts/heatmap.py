"""A member's attempt as a calendar heatmap, GitHub-contribution style.

Weeks are columns (oldest on the left), weekdays rows (Monday on top). Counted days are green,
lighter for more minutes (or posts, when no minutes were given); a short day (posted, not
counted) is hatched, apart from a missed day's cross; rest, excused, frozen days and today each
have their own look (`bot.charts.marks`), and the legend explains every mark drawn and the scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.charts._style import (
    MUTED,
    SMALL_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    WIDTH,
    PixelSheet,
    drawable,
)
from bot.charts.data import MAX_WEEKS, DayMark, HeatDay, HeatmapData, day_mark
from bot.charts.marks import ENDED, GREENS, LOOKS, NAMES, Cells, Key, Look, legend
from bot.domain.engine import DayStatus

MIN_WEEKS = 16
"""A short history is drawn with the weeks ahead, so a new attempt shows the road to Day 100."""

MINUTE_STEPS = (45, 90, 150)
"""Minutes at which a counted day's green turns a shade lighter."""
MINUTE_WORDS = ("1\u201344", "45\u201389", "90\u2013149", "150+")  # en dashes
POST_WORDS = ("1", "2", "3", "4+")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
AHEAD = Look("none", edge=LOOKS[DayMark.OPEN].edge)
SHORT_ENDED = Look(LOOKS[DayMark.SHORT].fill, ENDED.glyph, ENDED.glyph_colour, ENDED.fill, True)
"""A short day that ended the attempt: hatched, with the heavy cross."""

MARGIN = 24
"""Pixels around the chart."""
MAX_PITCH = 58
"""Largest distance between two cells, in pixels (a short history would make huge cells)."""
CELL = 0.84
"""A cell's side as a share of the pitch; the rest is the gap between cells."""


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
    top = _month_labels(sheet, (first_week, shown_from), weeks, left, pitch, top)
    for row, label in enumerate(labels):
        label.set_position((left - 14, top + (row + 0.5) * pitch))
    grid = Grid(left, top, pitch)
    ahead = _draw_cells(sheet, grid, data, by_day, first_week, shown_from, weeks)
    shown = [heat for heat in data.days if shown_from <= heat.day <= data.today]
    bottom = _legend(sheet, top + 7 * pitch + 26, shown, by_day.get(data.today), ahead)
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
        f"{day}  ·  {_streak(data.current_streak)}  ·  best {data.best_streak}",
        ha="center",
        va="top",
        fontsize=SUBTITLE_SIZE,
        color=MUTED,
    )
    return top + sheet.size(subtitle)[1] + 22


def _streak(days: int) -> str:
    """Return the engine's current streak in words: '5-day streak', 'no streak'."""
    return f"{days:,}-day streak" if days > 0 else "no streak"


def _level(heat: HeatDay) -> int:
    """Return a counted day's shade, 0 (darkest) to 3: by minutes, else by posts."""
    if heat.minutes is not None:
        return sum(heat.minutes >= bound for bound in MINUTE_STEPS)
    return min(max(heat.entries, 1), 4) - 1


def _look(heat: HeatDay) -> tuple[Look, str | None]:
    """Return a day's look, and its fill when it is not the look's own (a counted shade)."""
    if heat.status is DayStatus.COUNTED:
        return LOOKS[DayMark.COUNTED], GREENS[_level(heat)]
    mark = day_mark(heat.status, heat.entries)
    if heat.status is DayStatus.ENDED:
        return (SHORT_ENDED if mark is DayMark.SHORT else ENDED), None
    return LOOKS[mark], None


def _draw_cells(
    sheet: PixelSheet,
    grid: Grid,
    data: HeatmapData,
    by_day: dict[date, HeatDay],
    first_week: date,
    shown_from: date,
    weeks: int,
) -> bool:
    """Draw every day's cell; return whether any day ahead of today was drawn."""
    cells = Cells(sheet)
    side = grid.pitch * CELL
    ahead = False
    for column in range(weeks):
        for row in range(7):
            day = first_week + timedelta(days=column * 7 + row)
            if day < shown_from:
                continue
            heat = by_day.get(day)
            centre = grid.slot(column, row)
            if day > data.today:
                ahead = True
                cells.add(centre, side, AHEAD, width=1.6)
            elif heat is None:
                cells.add(centre, side, LOOKS[DayMark.NONE])
            else:
                look, fill = _look(heat)
                cells.add(centre, side, look, fill=fill)
            if day == data.today:
                cells.ring(centre, side)
    cells.draw()
    return ahead


def _month_labels(
    sheet: PixelSheet,
    weeks_from: tuple[date, date],
    weeks: int,
    left: float,
    pitch: float,
    top: float,
) -> float:
    """Label the column where each month begins (and the first one, when there is room).

    `weeks_from` is the first column's Monday and the first day drawn in it. Return the top of
    the grid, under the labels.
    """
    first_week, shown_from = weeks_from
    starts: list[tuple[int, str]] = []
    for column in range(weeks):
        monday = first_week + timedelta(weeks=column)
        # The first column's days before `shown_from` are not drawn: its month is the drawn one's.
        first = max(monday, shown_from)
        sunday = monday + timedelta(days=6)
        if column == 0 or sunday.month != first.month or first.day == 1:
            month = sunday if sunday.month != first.month else first
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


def _legend(
    sheet: PixelSheet, top: float, shown: list[HeatDay], today: HeatDay | None, ahead: bool
) -> float:
    """Explain every mark drawn: the greens' scale, each other kind of day, today, days ahead.

    Return the legend's bottom.
    """
    counted = [heat for heat in shown if heat.status is DayStatus.COUNTED]
    counted_look = LOOKS[DayMark.COUNTED]
    rows: list[list[Key]] = []
    if not counted or any(heat.minutes is not None for heat in counted):
        rows.append(
            [
                Key("Counted, shade = minutes logged:", None),
                *(
                    Key(words, counted_look, fill=green)
                    for words, green in zip(MINUTE_WORDS, GREENS, strict=True)
                ),
            ]
        )
    if any(heat.minutes is None for heat in counted):
        rows.append(
            [
                Key("Counted without minutes, shade = posts:", None),
                *(
                    Key(words, counted_look, fill=green)
                    for words, green in zip(POST_WORDS, GREENS, strict=True)
                ),
            ]
        )
    drawn = {_look(heat)[0] for heat in shown if heat.status is not DayStatus.COUNTED}
    others = [
        Key(NAMES[mark], look)
        for mark, look in LOOKS.items()
        if mark is not DayMark.COUNTED and mark is not DayMark.OPEN and look in drawn
    ]
    if ENDED in drawn or SHORT_ENDED in drawn:
        others.append(Key("Ended the attempt", ENDED))
    if today is None:
        others.append(Key("Today", LOOKS[DayMark.NONE], ring=True))
    else:
        look, fill = _look(today)
        open_day = day_mark(today.status, today.entries) is DayMark.OPEN
        words = "Today, nothing posted yet" if open_day else "Today"
        others.append(Key(words, look, fill=fill, ring=True))
    if ahead:
        others.append(Key("Days ahead", AHEAD))
    rows.append(others)
    return legend(sheet, top, rows, left=MARGIN, right=WIDTH - MARGIN)

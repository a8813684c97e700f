"""The organizers' stats card: members per day, retention by join week, milestones reached.

Three panels on one dark card, laid out by hand on a `PixelSheet` like the other charts and
sized to be read at Discord's 400-pixel preview: the columns of members who logged each day,
a table of the share of each join week who logged in each week since, and a bar per milestone.
"""

from __future__ import annotations

from datetime import date

from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.patches import Rectangle

from bot.charts._style import (
    BAND,
    INK,
    LABEL_SIZE,
    MUTED,
    SMALL_SIZE,
    WIDTH,
    PixelSheet,
    drawable,
)
from bot.charts.activity import nice_ticks
from bot.charts.marks import GREENS
from bot.charts.stats_data import StatsData

MARGIN = 28
PLOT_HEIGHT = 220
"""Pixels of the members-per-day columns, from the top tick to the baseline."""
MAX_SLOT = 40
"""Widest slot for a day: two weeks of data would otherwise be slabs."""
LABEL_GAP = 24
MAX_COHORTS = 12
"""Join weeks the retention table shows (the first ones: most members join early); more rows
would make the card taller than a phone screen."""
MAX_WEEKS = 16
"""Weeks after joining the retention table shows."""
ROW = 34
"""Pixels of a retention row."""
BAR_ROW = 36
"""Pixels of a milestone bar's row."""
SECTION_GAP = 40
DARK_INK = "#111214"
"""Text on the lightest cells, where Discord's light text would fade."""
EMPTY_CELL = BAND
GRID = "#3f4147"
BASELINE = "#80848e"
COLUMN = GREENS[2]
BAR = GREENS[2]
TRACK = BAND
SHADES = ("#1d3b26", GREENS[0], GREENS[1], GREENS[2], GREENS[3])
"""A retention cell's fill by share: under 20%, under 40%, ... up to 100%."""


def render_stats(data: StatsData) -> bytes:
    """Render the organizers' stats card as PNG bytes (the same bytes for the same data)."""
    sheet = PixelSheet()
    top = sheet.titles(
        drawable(data.challenge, "Challenge", limit=40),
        _span(data),
        margin=MARGIN,
        gap=22,
    )
    top = _activity(sheet, data, top)
    top = _retention(sheet, data, top + SECTION_GAP)
    top = _milestones(sheet, data, top + SECTION_GAP)
    return sheet.png(top + MARGIN)


def _span(data: StatsData) -> str:
    if not data.days:
        return "No days yet"
    first, last = data.days[0][0], data.days[-1][0]
    days = len(data.days)
    return f"{_short(first)} \u2013 {_short(last)} {last.year} \u00b7 {days} day{'s' * (days != 1)}"


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


def _heading(sheet: PixelSheet, top: float, words: str) -> float:
    """Draw a panel's heading at the left; return the top below it."""
    heading = sheet.text(
        MARGIN, top, words, ha="left", va="top", fontsize=LABEL_SIZE, fontweight="bold"
    )
    sheet.fit(heading, WIDTH - 2 * MARGIN)
    return top + sheet.size(heading)[1] + 14


def _activity(sheet: PixelSheet, data: StatsData, top: float) -> float:
    """Draw the members who logged each day as columns; return the bottom of the panel."""
    top = _heading(sheet, top, "Members who logged each day")
    counts = [max(count, 0) for _, count in data.days] or [0]
    ticks = nice_ticks(max(counts))
    labels = [
        sheet.text(0, 0, f"{tick:,}", ha="right", va="center", fontsize=SMALL_SIZE, color=MUTED)
        for tick in ticks
    ]
    label_width = max(sheet.size(label)[0] for label in labels) + 12
    slot = min(MAX_SLOT, (WIDTH - 2 * MARGIN - label_width) / len(counts))
    left = MARGIN + label_width
    right = left + slot * len(counts)
    baseline = top + 12 + PLOT_HEIGHT
    scale = ticks[-1]

    def height(value: int) -> float:
        return baseline - value * PLOT_HEIGHT / scale

    for tick, label in zip(ticks, labels, strict=True):
        label.set_position((left - 12, height(tick)))
    lines = [[(left, height(tick)), (right, height(tick))] for tick in ticks[1:]]
    sheet.axes.add_collection(
        LineCollection(lines, colors=GRID, linewidths=1.2, zorder=0.5), autolim=False
    )
    sheet.axes.add_collection(
        LineCollection([[(left, baseline), (right, baseline)]], colors=BASELINE, linewidths=1.6),
        autolim=False,
    )
    width = max(slot * 0.72, 1.0)
    columns = [
        Rectangle(
            (left + (index + 0.5) * slot - width / 2, height(count)),
            width,
            max(baseline - height(count), 2.0),
        )
        for index, count in enumerate(counts)
        if count
    ]
    sheet.axes.add_collection(
        PatchCollection(columns, facecolor=COLUMN, edgecolor="none", zorder=1), autolim=False
    )
    # Below the "0" tick label, which is centred on the baseline.
    return _day_labels(sheet, data, left, slot, baseline + 18)


def _day_labels(sheet: PixelSheet, data: StatsData, left: float, slot: float, top: float) -> float:
    """Label Mondays (every k-th when they would crowd), or the first day of a short span."""
    if not data.days:
        return top
    mondays = [index for index, (day, _) in enumerate(data.days) if day.weekday() == 0] or [0]
    texts = {
        index: sheet.text(
            0, top, _short(data.days[index][0]), ha="center", va="top", fontsize=SMALL_SIZE
        )
        for index in mondays
    }
    for text in texts.values():
        text.set_color(MUTED)
    widest = max(sheet.size(text)[0] for text in texts.values())
    every = 1
    while every * 7 * slot < widest + LABEL_GAP and every < len(mondays):
        every += 1
    shown = mondays[::every]
    bottom = top
    edge = -float(LABEL_GAP)
    for index, text in texts.items():
        half = sheet.size(text)[0] / 2
        middle = min(max(left + (index + 0.5) * slot, MARGIN + half), WIDTH - MARGIN - half)
        # A label pushed in from the right edge may come too close to the one before it.
        if index not in shown or middle - half < edge + LABEL_GAP:
            text.remove()
            continue
        text.set_x(middle)
        edge = middle + half
        bottom = max(bottom, top + sheet.size(text)[1])
    return bottom


def _retention(sheet: PixelSheet, data: StatsData, top: float) -> float:
    """Draw the share of each join week who logged in each week since; return the bottom."""
    top = _heading(sheet, top, "Still logging, by the week members joined")
    rows = data.cohorts[:MAX_COHORTS]
    weeks = min(MAX_WEEKS, max((len(row.active) for row in rows), default=0))
    if not rows or not weeks:
        note = sheet.text(
            MARGIN, top, "Nobody has joined yet.", ha="left", va="top", fontsize=SMALL_SIZE
        )
        note.set_color(MUTED)
        return top + sheet.size(note)[1]
    names = [
        sheet.text(MARGIN, 0, f"{_short(row.monday)} ({row.members:,})", va="center")
        for row in rows
    ]
    for name in names:
        name.set_fontsize(SMALL_SIZE)
        name.set_color(MUTED)
    label_width = max(sheet.size(name)[0] for name in names) + 14
    cell = min(72.0, (WIDTH - 2 * MARGIN - label_width) / weeks)
    left = MARGIN + label_width
    header = top
    heads = []
    for week in range(weeks):
        head = sheet.text(left + (week + 0.5) * cell, header, f"W{week + 1}", ha="center", va="top")
        head.set_fontsize(SMALL_SIZE)
        head.set_color(MUTED)
        heads.append(head)
    # Week numbers that would touch their neighbours keep every other one.
    if max(sheet.size(head)[0] for head in heads) + 6 > cell:
        for week, head in enumerate(heads):
            if week % 2:
                head.remove()
    grid_top = header + sheet.size(heads[0])[1] + 8
    cells: list[Rectangle] = []
    fills: list[str] = []
    for index, (row, name) in enumerate(zip(rows, names, strict=True)):
        y = grid_top + index * ROW
        name.set_y(y + ROW / 2)
        for week, active in enumerate(row.active[:weeks]):
            share = active / row.members if row.members else 0.0
            fill = _shade(share)
            cells.append(Rectangle((left + week * cell + 1, y + 1), cell - 2, ROW - 2))
            fills.append(fill)
            words = f"{round(share * 100)}"
            text = sheet.text(
                left + (week + 0.5) * cell,
                y + ROW / 2,
                words,
                ha="center",
                va="center",
                fontsize=SMALL_SIZE,
                color=DARK_INK if fill in SHADES[3:] else INK,
            )
            # "100" is the widest number: in a narrow cell it says "all", which is as true.
            if sheet.size(text)[0] > cell - 6 and active == row.members:
                text.set_text("all")
            if sheet.size(text)[0] > cell - 6:
                text.remove()
    sheet.axes.add_collection(
        PatchCollection(cells, facecolor=fills, edgecolor="none", zorder=0.5), autolim=False
    )
    bottom = grid_top + len(rows) * ROW + 8
    notes = ["% of each join week who logged in each week; W1 is the week they joined."]
    if len(data.cohorts) > MAX_COHORTS or weeks < max(len(row.active) for row in rows):
        notes.append(f"Shown: the first {MAX_COHORTS} join weeks, {MAX_WEEKS} weeks after joining.")
    for words in notes:
        caption = sheet.text(MARGIN, bottom, words, ha="left", va="top", fontsize=SMALL_SIZE)
        caption.set_color(MUTED)
        sheet.fit(caption, WIDTH - 2 * MARGIN)
        bottom += sheet.size(caption)[1] + 6
    return bottom


def _shade(share: float) -> str:
    """Return a retention cell's fill: empty at 0, then lighter greens for higher shares."""
    if share <= 0:
        return EMPTY_CELL
    return SHADES[min(int(share * len(SHADES)), len(SHADES) - 1)]


def _milestones(sheet: PixelSheet, data: StatsData, top: float) -> float:
    """Draw a bar per milestone: members still in who are at it or past it; return the bottom."""
    top = _heading(sheet, top, f"Members still in ({data.still_in:,}) at each milestone now")
    if not data.milestones:
        return top
    names = [
        sheet.text(MARGIN, 0, bar.label, ha="left", va="center", fontsize=SMALL_SIZE)
        for bar in data.milestones
    ]
    values = [
        sheet.text(
            WIDTH - MARGIN,
            0,
            f"{bar.members:,} ({_percent(bar.members, data.still_in)})",
            ha="right",
            va="center",
            fontsize=SMALL_SIZE,
        )
        for bar in data.milestones
    ]
    left = MARGIN + max(sheet.size(name)[0] for name in names) + 16
    right = WIDTH - MARGIN - max(sheet.size(value)[0] for value in values) - 16
    tracks: list[Rectangle] = []
    bars: list[Rectangle] = []
    for index, (bar, name, value) in enumerate(zip(data.milestones, names, values, strict=True)):
        y = top + index * BAR_ROW
        name.set_y(y + BAR_ROW / 2)
        value.set_y(y + BAR_ROW / 2)
        tracks.append(Rectangle((left, y + 7), right - left, BAR_ROW - 14))
        share = bar.members / data.still_in if data.still_in else 0.0
        if share > 0:
            bars.append(Rectangle((left, y + 7), max((right - left) * share, 2.0), BAR_ROW - 14))
    sheet.axes.add_collection(
        PatchCollection(tracks, facecolor=TRACK, edgecolor="none", zorder=0.5), autolim=False
    )
    sheet.axes.add_collection(
        PatchCollection(bars, facecolor=BAR, edgecolor="none", zorder=1), autolim=False
    )
    return top + len(data.milestones) * BAR_ROW


def _percent(part: int, whole: int) -> str:
    return f"{round(part * 100 / whole)}%" if whole else "0%"

"""How a day looks in a chart, shared by the heatmap and the digest's board, and their legend.

Every kind of day differs by more than its colour, so members who do not tell red from green
still read it: a counted day is a solid green cell; a short day (posted, not counted) is
hatched; a missed day carries a cross, a rest day a dash, an excused day a ring, a frozen day
a snowflake; a day still open is an outline; a day with no attempt running is a flat grey cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matplotlib.collections import PatchCollection
from matplotlib.patches import FancyBboxPatch

from bot.charts._style import DPI, INK, MUTED, SMALL_SIZE, PixelSheet
from bot.charts.data import DayMark

POINTS_PER_PIXEL = 72 / DPI

GREENS = ("#1c5e2e", "#2a8a41", "#3fb950", "#8ce99a")
"""Counted days, from the least logged to the most: lighter is more, as on a dark background."""
AMBER = "#f0b232"
"""Discord's own yellow: the hatching of a short day."""
SHORT_FILL = "#3d3420"
UPCOMING_EDGE = "#5c5e66"
TODAY_EDGE = "#f2f3f5"
ENDED_FILL = "#da373c"
HATCH = "///"
HATCH_WIDTH = 2.2
"""Points: a hatch line stays about a pixel wide when Discord shrinks the chart."""


@dataclass(frozen=True, slots=True)
class Look:
    """A day's cell: its fill, an edge, a glyph drawn on it, and whether it is hatched."""

    fill: str
    glyph: str = ""
    glyph_colour: str = INK
    edge: str = "none"
    hatched: bool = False


LOOKS: dict[DayMark, Look] = {
    DayMark.COUNTED: Look(GREENS[2]),
    # (a counted cell in the heatmap takes the green of its minutes: `Cells.add(fill=...)`)
    DayMark.SHORT: Look(SHORT_FILL, edge=AMBER, hatched=True),
    DayMark.MISSED: Look("#5e2a2d", "\u00d7", "#ffb3b5"),  # a multiplication sign: a cross
    DayMark.REST: Look("#3f4859", "\u2013", "#c9d3e6"),  # an en dash: a pause
    DayMark.EXCUSED: Look("#4b3f6b", "\u25cb", "#ddd0ff"),  # a white circle: a ring
    DayMark.FROZEN: Look("#1f5f9e", "\u2744", "#ffffff"),  # a snowflake
    DayMark.OPEN: Look("none", edge=UPCOMING_EDGE),
    DayMark.NONE: Look("#383a40"),
}
ENDED = Look(ENDED_FILL, "\u2716", "#ffffff")
"""The miss that ended an attempt: a heavy cross on a brighter red."""

NAMES: dict[DayMark, str] = {
    DayMark.COUNTED: "Counted",
    DayMark.SHORT: "Posted, not enough to count",
    DayMark.MISSED: "Missed",
    DayMark.REST: "Rest day",
    DayMark.EXCUSED: "Excused",
    DayMark.FROZEN: "Freeze used",
    DayMark.OPEN: "Open, nothing posted yet",
    DayMark.NONE: "Not taking part",
}
"""What the legend calls each mark."""


class Cells:
    """Cells gathered while a chart is laid out, then drawn in two collections at once.

    One collection draws every plain cell (far faster than a patch each); hatched cells need a
    second, as a collection has one hatch.
    """

    def __init__(self, sheet: PixelSheet) -> None:
        self._sheet = sheet
        self._plain: list[FancyBboxPatch] = []
        self._hatched: list[FancyBboxPatch] = []

    def add(
        self,
        centre: tuple[float, float],
        side: float,
        look: Look,
        *,
        fill: str | None = None,
        width: float = 2.0,
    ) -> None:
        """Add a cell of side `side` pixels at `centre`, in `look` (its fill may be replaced)."""
        cell = box(centre, side, fill or look.fill, look.edge, width if look.edge != "none" else 0)
        (self._hatched if look.hatched else self._plain).append(cell)
        if look.glyph:
            self._sheet.text(
                centre[0],
                centre[1] + side * 0.03,
                look.glyph,
                ha="center",
                va="center",
                fontsize=side * 0.6 * POINTS_PER_PIXEL,
                fontweight="bold",
                color=look.glyph_colour,
            )

    def ring(self, centre: tuple[float, float], side: float, colour: str = TODAY_EDGE) -> None:
        """Add an outline around a cell (today's)."""
        self._plain.append(box(centre, side, "none", colour, 3.2))

    def draw(self) -> None:
        """Draw every cell gathered."""
        axes = self._sheet.axes
        axes.add_collection(PatchCollection(self._plain, match_original=True), autolim=False)
        if self._hatched:
            hatched = PatchCollection(self._hatched, match_original=True)
            hatched.set_hatch(HATCH)
            hatched.set_hatchcolor(AMBER)
            hatched.set_hatch_linewidth(HATCH_WIDTH)
            axes.add_collection(hatched, autolim=False)


def box(
    centre: tuple[float, float], side: float, fill: str, edge: str = "none", width: float = 0.0
) -> FancyBboxPatch:
    """Return a square cell with rounded corners."""
    return FancyBboxPatch(
        (centre[0] - side / 2, centre[1] - side / 2),
        side,
        side,
        boxstyle=f"round,pad=0,rounding_size={side * 0.16:.2f}",
        facecolor=fill,
        edgecolor=edge,
        linewidth=width,
    )


@dataclass(frozen=True, slots=True)
class Key:
    """One legend item: a swatch (a look, a fill, a ring) and its words."""

    words: str
    look: Look | None
    """None for words alone (a row's heading)."""
    fill: str | None = None
    ring: bool = False


SWATCH = 24
"""Pixels: a legend swatch's side."""


def legend(
    sheet: PixelSheet,
    top: float,
    rows: Sequence[Iterable[Key]],
    *,
    left: float,
    right: float,
    gap: float = 20,
) -> float:
    """Draw legend items, each row of `rows` starting a line, wrapping where they would not fit.

    Lines are centred between `left` and `right`; return the legend's bottom.
    """
    cells = Cells(sheet)
    line_height = SWATCH + 12
    for row in rows:
        laid: list[list[tuple[Key, float]]] = [[]]
        used = 0.0
        for key in row:
            words = sheet.text(0, 0, key.words, fontsize=SMALL_SIZE, color=MUTED)
            width = (SWATCH + 6 if key.look else 0) + sheet.size(words)[0]
            words.remove()
            if laid[-1] and used + gap + width > right - left:
                laid.append([])
                used = 0.0
            used += (gap if laid[-1] else 0) + width
            laid[-1].append((key, width))
        for line in laid:
            if not line:
                continue
            total = sum(width for _, width in line) + gap * (len(line) - 1)
            x = left + (right - left - total) / 2
            middle = top + line_height / 2
            for key, width in line:
                words_left = x
                if key.look is not None:
                    centre = (x + SWATCH / 2, middle)
                    cells.add(centre, SWATCH, key.look, fill=key.fill)
                    if key.ring:
                        cells.ring(centre, SWATCH)
                    words_left += SWATCH + 6
                sheet.text(
                    words_left, middle, key.words, va="center", fontsize=SMALL_SIZE, color=MUTED
                )
                x += width + gap
            top += line_height
    cells.draw()
    return top

"""What every chart shares: one font, sizes that survive a phone screen, and stable PNG bytes.

Charts are seen in Discord, where a phone shrinks a 1000-pixel-wide image to about 350 pixels:
text is sized for that (a 20-point label stays about 10 pixels tall on a phone).
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

FONT = "DejaVu Sans"
"""Ships inside matplotlib, so it exists on a slim Debian image with no fonts installed."""
DPI = 100
WIDTH = 1000
"""Pixels; every chart is this wide."""

TITLE_SIZE = 30
SUBTITLE_SIZE = 22
LABEL_SIZE = 20
SMALL_SIZE = 18

INK = "#1f2328"
MUTED = "#59636e"
BACKGROUND = "#ffffff"

MAX_NAME = 22
"""Longest name drawn in full; longer names are cut with an ellipsis."""


def new_figure(width: float, height: float) -> Figure:
    """Return a white figure (inches at `DPI`) with an Agg canvas attached; never pyplot."""
    figure = Figure(figsize=(width, height), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """Render `figure` to PNG bytes that are identical for identical figures."""
    buffer = BytesIO()
    # No "Software: Matplotlib x.y" chunk: the same data gives the same bytes on every version.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


class PixelSheet:
    """A figure whose one axes maps data units to pixels, y growing downwards.

    Charts are laid out by hand on it: text is measured as it is placed (and shrunk or cut to
    fit), and the figure's height is fixed last, when everything has found its place. Measured
    against constrained layout, this halves the render time (a layout engine draws the figure
    twice) and leaves no empty bands around the fixed-aspect heatmap grid.
    """

    def __init__(self, width: int = WIDTH) -> None:
        self.width = width
        self.figure = new_figure(width / DPI, 1.0)
        self.axes: Axes = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        self.axes.set_axis_off()
        self.axes.set_xlim(0, width)
        self._renderer: RendererAgg = self.figure.canvas.get_renderer()  # type: ignore[attr-defined]

    def text(self, x: float, y: float, words: str, **style: Any) -> Text:
        """Place `words` at (x, y) pixels from the top left; user text is never parsed as math."""
        options: dict[str, Any] = {"fontfamily": FONT, "color": INK, "parse_math": False}
        options.update(style)
        return self.axes.text(x, y, words, **options)

    def size(self, text: Text) -> tuple[float, float]:
        """Return a text's width and height in pixels."""
        return self.extent(text)

    def extent(self, artist: Artist) -> tuple[float, float]:
        """Return an artist's width and height in pixels."""
        box = artist.get_window_extent(renderer=self._renderer)
        return box.width, box.height

    def fit(self, text: Text, width: float, smallest: float = SMALL_SIZE) -> None:
        """Make a text at most `width` pixels wide: a smaller font first, then fewer letters."""
        while self.size(text)[0] > width and float(text.get_fontsize()) > smallest:
            text.set_fontsize(float(text.get_fontsize()) - 2)
        words = text.get_text()
        while self.size(text)[0] > width and len(words) > 1:
            words = words[:-1].rstrip()
            text.set_text(words + "…")

    def titles(self, title: str, subtitle: str, *, margin: float, gap: float = 26) -> float:
        """Draw a bold centred title and a muted subtitle, each fitted; return the top below."""
        first = self.text(
            self.width / 2,
            margin,
            title,
            ha="center",
            va="top",
            fontsize=TITLE_SIZE,
            fontweight="bold",
        )
        self.fit(first, self.width - 2 * margin)
        top = margin + self.size(first)[1] + 10
        second = self.text(
            self.width / 2,
            top,
            subtitle,
            ha="center",
            va="top",
            fontsize=SUBTITLE_SIZE,
            color=MUTED,
        )
        self.fit(second, self.width - 2 * margin)
        return top + self.size(second)[1] + gap

    def empty(self, top: float, words: str, *, margin: float) -> bytes:
        """Render a chart with nothing to draw: a centred note under its titles."""
        note = self.text(
            self.width / 2, top + 30, words, ha="center", va="top", fontsize=LABEL_SIZE, color=MUTED
        )
        return self.png(top + 30 + self.size(note)[1] + 40 + margin)

    def png(self, height: float) -> bytes:
        """Fix the sheet's height in pixels and render it."""
        self.figure.set_size_inches(self.width / DPI, height / DPI)
        self.axes.set_ylim(height, 0)
        return png_bytes(self.figure)


@lru_cache(maxsize=1)
def _drawable() -> frozenset[int]:
    """Return the code points the chart font can draw."""
    path = findfont(FontProperties(family=FONT), fallback_to_default=True)
    return frozenset(FT2Font(path).get_charmap())


def drawable(text: str, fallback: str, limit: int = MAX_NAME) -> str:
    """Return `text` without what the font cannot draw (emoji, CJK...), cut to `limit` characters.

    A missing glyph would draw as an empty box and log a warning per character; a name made
    only of such characters becomes `fallback`.
    """
    known = _drawable()
    kept = "".join(char for char in text if ord(char) in known and char.isprintable())
    kept = " ".join(kept.split())
    if not kept:
        kept = fallback
    if len(kept) > limit:
        kept = kept[: limit - 1].rstrip() + "…"
    return kept

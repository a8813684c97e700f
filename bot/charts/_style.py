"""What every chart shares: Discord's dark palette, fonts for every script, readable sizes.

Charts are seen in Discord embeds, where an image is shown at most about 400 pixels wide (a
phone shows it about 350 wide): text is sized for that (a 20-point label stays about 10 pixels
tall at that size).

The palette is Discord's dark theme: the background is its embed colour (#2B2D31), the text
its own (#DBDEE1). A transparent chart cannot do both themes, since no one text colour has 4.5:1
contrast on both #313338 and #FFFFFF; a dark card reads on a light theme as any dark picture
does, and its text keeps its contrast there too (tests/charts/test_look.py computes it).

Names are drawn in any script: the family list falls back glyph by glyph from DejaVu Sans
(Latin, Greek, Cyrillic, Arabic, Hebrew) to Noto Sans CJK (Chinese, Japanese, Korean) and
Symbola (emoji, in outline: matplotlib cannot draw colour bitmap fonts such as Noto Color Emoji,
whose sizes FreeType refuses), then to matplotlib's own Last Resort font, which draws a box
naming the script, never an error. Without the font packages the charts still draw, and the bot
logs once which package to install (`missing_fonts`).
"""

from __future__ import annotations

import logging
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from typing import Any

from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

DPI = 100
WIDTH = 1000
"""Pixels; every chart is this wide."""
PREVIEW_WIDTH = 400
"""Pixels: the widest Discord shows an embed's image in the chat before it is opened."""

TITLE_SIZE = 30
SUBTITLE_SIZE = 22
LABEL_SIZE = 20
SMALL_SIZE = 18

BACKGROUND = "#2b2d31"
"""Discord's dark embed colour: the chart is part of the embed it sits in."""
INK = "#dbdee1"
"""Discord's own text colour on dark."""
MUTED = "#b5bac1"
"""Secondary text: 7:1 on the background, where Discord's #949ba4 would be under 5:1."""
BAND = "#35373c"
"""A row's band (every other row, the viewer's own): text on it keeps 4.5:1."""
DISCORD_DARK = "#313338"
DISCORD_LIGHT = "#ffffff"
"""The chat backgrounds of Discord's two themes, which the chart must stand out on."""

MAX_NAME = 22
"""Longest name drawn in full; longer names are cut with an ellipsis."""

BASE_FONT = "DejaVu Sans"
"""Ships inside matplotlib, so it exists on a slim Debian image with no fonts installed."""
LAST_RESORT = "Last Resort High-Efficiency"
"""Ships inside matplotlib too: a box naming the script of any glyph no other font has."""


# matplotlib logs a warning whenever a family of the list lacks a bold face (Symbola, Last
# Resort) and uses the regular one, which is what a fallback font is for: not worth a log line.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class FontPackage:
    """An optional font the charts fall back to, and the Debian package that ships it."""

    family: str
    covers: str
    package: str
    file_prefix: str
    """How the package's files are named, to find them when matplotlib's cache predates them."""


OPTIONAL_FONTS = (
    FontPackage(
        "Noto Sans CJK JP", "Chinese, Japanese and Korean", "fonts-noto-cjk", "NotoSansCJK"
    ),
    FontPackage("Symbola", "emoji", "fonts-symbola", "Symbola"),
)


@lru_cache(maxsize=1)
def _font_stack() -> tuple[tuple[str, ...], tuple[FontPackage, ...]]:
    """Return the families to draw with, in fallback order, and the optional fonts missing.

    matplotlib caches the fonts it found the first time it ran: fonts installed since then are
    looked for on disk once and added, rather than missing until someone clears the cache.
    """
    manager = font_manager.fontManager
    known = {entry.name for entry in manager.ttflist}
    absent = [font for font in OPTIONAL_FONTS if font.family not in known]
    if absent:
        for path in font_manager.findSystemFonts():
            name = os.path.basename(path)
            if any(name.startswith(font.file_prefix) for font in absent):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue  # an unreadable font file is one font fewer, not a failed chart
        known = {entry.name for entry in manager.ttflist}
    families = [BASE_FONT]
    families += [font.family for font in OPTIONAL_FONTS if font.family in known]
    if LAST_RESORT in known:
        families.append(LAST_RESORT)
    missing = tuple(font for font in OPTIONAL_FONTS if font.family not in known)
    return tuple(families), missing


def fonts() -> list[str]:
    """Return the font family list every chart text is drawn with (per-glyph fallback)."""
    return list(_font_stack()[0])


def missing_fonts() -> tuple[FontPackage, ...]:
    """Return the optional fonts this machine lacks (their glyphs draw as Last Resort boxes)."""
    return _font_stack()[1]


def new_figure(width: float, height: float) -> Figure:
    """Return a dark figure (inches at `DPI`) with an Agg canvas attached; never pyplot."""
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
        options: dict[str, Any] = {"fontfamily": fonts(), "color": INK, "parse_math": False}
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


_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
"""Controls, format characters (zero-width joiners, bidi overrides, tags) and lone surrogates:
matplotlib lays out no emoji sequence, so a joiner only splits it, and the rest draw as boxes."""
MAX_MARKS = 2
"""Combining marks kept on one letter: 'ọ̀' keeps both, a tower of them is cut."""


def _dropped(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in _DROPPED_CATEGORIES
        # Variation selectors ask for the emoji or text style, which a chart cannot choose.
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        # Skin tones: without the sequence drawn as one, they would be a swatch beside the emoji.
        or 0x1F3FB <= code <= 0x1F3FF
    )


def drawable(text: str, fallback: str, limit: int = MAX_NAME) -> str:
    """Return `text` as a chart draws it: in its own script, cleaned, cut to `limit` characters.

    Every letter and emoji stays (the font list draws them); what is left out is only what
    would draw as a box or a gap: controls, joiners, variation selectors, skin tones and
    combining marks past `MAX_MARKS` on one letter. Whitespace runs become one space. A name
    left empty becomes `fallback`.
    """
    kept: list[str] = []
    marks = 0
    for char in " ".join(text.split()):
        if _dropped(char):
            continue
        if unicodedata.combining(char):
            marks += 1
            if marks > MAX_MARKS:
                continue
        else:
            marks = 0
        kept.append(char)
    words = " ".join("".join(kept).split())
    if not words:
        words = fallback
    if len(words) > limit:
        words = words[: limit - 1].rstrip() + "…"
    return words

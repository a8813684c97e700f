"""Where an entry starts (`Marker`), and the few helpers the structure modules share.

Each reader of a log's structure returns markers: `headings`, `containers`, `lines`, `tables`
and `lists`, which `structure` runs in turn. They share the marker and these helpers from here,
so that none imports the module that calls it: no import cycle. `entries` reads the markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.domain.logparse.dates import find_dates

HEADING_LIMIT = 1000
"""How much of a heading is read (a real one is a line of a few dozen characters): the bound
keeps a hostile heading (``Day 1-2-2-2...`` for 2 MB) from costing more than a real one."""
EMPHASIS = re.compile(r"\*\*|__")
"""Bold markers, cut from a day line's heading and topic and from a TAB row's cells."""
_INLINE = MarkdownIt("commonmark")
"""Inline Markdown, parsed only for the text of headings and table cells (`inline_text`)."""


@dataclass(slots=True)
class Marker:
    """Where an entry starts (a heading, a plain line or a table row) and what it says there."""

    line: int  # 0-based
    heading: str
    body_from: int  # first body line (0-based)
    days: tuple[int, ...] = ()
    round: int | None = None
    date_text: str = ""
    own_text: str = ""
    """Text on the marker's own line: a table row's cells, or what follows a plain line's date."""
    row: bool = False
    """A table row: the row is the whole entry; the lines after it are not its body."""
    level: int = 0
    source: int = 0
    """The line in the file as given (0-based): `line` counts lines with blank runs cut."""
    unchecked: bool = False
    """A task-list item left unchecked (or a row marked ⬜): the member marked the day not done."""
    html: bool = False
    """A heading written in HTML: its entry's body lines are read with their tags stripped."""
    closes: bool = False
    """A ``<details>`` entry: it ends at its ``</details>``, not at the next entry."""


def inline_text(token: Token) -> str:
    """Return a heading's or cell's plain text: code spans unwrapped, HTML left out."""
    parts: list[str] = []
    children = [
        child for inline in _INLINE.parseInline(token.content) for child in inline.children or ()
    ]
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts).strip()


def mark(mask: bytearray, lines: list[int]) -> None:
    """Mark the lines of a token's map (begin, end) in a byte-a-line mask."""
    begin, end = lines[0], min(lines[1], len(mask))
    if end > begin:
        mask[begin:end] = b"\x01" * (end - begin)


def list_item_ends(tokens: list[Token]) -> dict[int, int]:
    """Map the line each list item starts on to the line after its last."""
    return {
        token.map[0]: token.map[1]
        for token in tokens
        if token.type == "list_item_open" and token.map is not None
    }


def is_dated(marker: Marker) -> bool:
    """Whether a marker's heading or line gives a date."""
    return bool(marker.date_text.strip()) and bool(find_dates(marker.date_text))


def mostly_monotone(numbers: list[int]) -> bool:
    """Whether numbers mostly rise, or mostly fall: over twice as many steps one way as the other.

    A step to the same number (a day's extra rows, ``24``, ``24e``) goes neither way.
    """
    steps = list(pairwise(numbers))
    up = sum(b > a for a, b in steps)
    down = sum(b < a for a, b in steps)
    return max(up, down) > 2 * min(up, down)

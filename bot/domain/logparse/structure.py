"""A log's structure: where its entries start, read from its Markdown blocks.

markdown-it-py gives the document's blocks (inline Markdown is parsed only for headings and
table cells). An entry starts at a heading that carries a day token (``Day 4``, ``R4D86-93``,
``Title | Day 4``, `` `Day 01` ``) or is only a date (``## 2019/6/21``). A log without such
headings is read from plain lines that start with a day token or a date, and failing that from
a table whose first column numbers the days. HTML comments, code blocks, template examples and
sub-headings without a token are not entries; tables of contents are never read when the log
has headings; the last entry ends at a section above the entries' level ("# Notes").

What markdown-it is given is bounded (a heading's length, a table row's pipes, the quotes and
list items a line opens, blank runs cut to two) so that a hostile file costs no more than a
real one of its size (docs/performance.md, "Hostile logs").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.domain.logparse.dates import find_dates, is_date_only
from bot.domain.logparse.vocabulary import (
    BR,
    DAY_CELL,
    DAY_COLUMN,
    HEADER_ROUND,
    LINE_HEAD,
    LINE_START,
    TEMPLATE_HEADING,
    day_token,
)

# ------------------------------------------------------------------------------------------
# What markdown-it is given
# ------------------------------------------------------------------------------------------

_MAX_NESTING = 10
"""How deep markdown-it nests blocks (quotes, lists, items); deeper content is skipped. The real
logs nest 7 deep at most, and `> - > - ...` costs tokens per level on every line."""
_MARKDOWN = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable("table").disable("inline")
"""The block structure only: inline parsing is done for the few lines that need it (headings,
table cells), which makes reading a long log about twice as fast."""
_INLINE = MarkdownIt("commonmark")
_HEADING_LIMIT = 1000
"""How much of a heading is read (a real one is a line of a few dozen characters): the bound
keeps a hostile heading (``Day 1-2-2-2...`` for 2 MB) from costing more than a real one."""
_MAX_ROW_PIPES = 64
"""A line with more pipes than this is not read as a table row (real tables have a handful of
columns): markdown-it's table rule costs per cell, and a 2 MB header row is a million cells."""
_MAX_TABLE_PIPES = 20_000
"""The pipes of all table rows one log may have (a year of daily rows of a dozen columns is
5,000): lines past the budget are not read as table rows, whatever their width."""
_MAX_CONTAINERS = 4
"""Quote and list markers one line may open (``> - > - ...``): real logs nest two or three
deep; markdown-it's cost per line grows with the markers it opens and closes."""
_MAX_CONTAINER_MARKERS = 40_000
"""The quote and list markers all lines of one log may open (a list item costs markdown-it-py
about 30 µs): lines past the budget are given as blank lines. A log kept as one bullet a line
reaches the 40,000-line limit first."""
_CONTAINER = re.compile(r"[ \t]*+(?:>|[-*+](?=[ \t]|$)|\d{1,9}+[.)](?=[ \t]|$))")


_BLANK_RUN = re.compile(r"^((?:[ \t]*+\n){2})(?:[ \t]*+\n)++", re.MULTILINE)


def cut_blank_runs(text: str) -> tuple[str, Callable[[int], int]]:
    """Cut every run of blank lines to two; return the text and where its lines were.

    Markdown reads three blank lines as it reads two, and a file of nothing but newlines would
    otherwise cost a list entry, and markdown-it five numbers, per line. The function returned
    maps a line of the cut text to its line in the file (both 0-based).
    """
    pieces: list[str] = []
    cut_at: list[int] = []  # the first line (of the cut text) after each cut
    dropped: list[int] = []  # the lines dropped by then
    last = line = gone = 0
    for match in _BLANK_RUN.finditer(text):
        kept = match.end(1)
        line += text.count("\n", last, kept)
        gone += text.count("\n", kept, match.end())
        pieces.append(text[last:kept])
        cut_at.append(line)
        dropped.append(gone)
        last = match.end()
    if not pieces:
        return text, lambda number: number
    pieces.append(text[last:])

    def source_line(number: int) -> int:
        before = bisect.bisect_right(cut_at, number)
        return number + (dropped[before - 1] if before else 0)

    return "".join(pieces), source_line


# ------------------------------------------------------------------------------------------
# Markers: where entries start
# ------------------------------------------------------------------------------------------


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


def _inline_text(token: Token) -> str:
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


def find_markers(lines: list[str]) -> tuple[list[Marker], bytearray, list[tuple[int, int]]]:
    """Return the entry markers, the lines to leave out (comments) and the headings' levels.

    The lines to leave out are a byte a line (1: left out): a set of numbers would cost a
    hundred times more for a comment that runs over a million lines.
    """
    tokens = _MARKDOWN.parse("\n".join(_bounded_for_markdown(lines)))
    hidden = bytearray(len(lines))
    headings: list[Marker] = []
    outline: list[tuple[int, int]] = []
    level = 0
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            _mark(hidden, token.map)
        elif token.type == "heading_open" and token.level == 0:
            level = int(token.tag[1:])
            outline.append((token.map[0], level))
        elif (
            token.type == "inline"
            and index
            and tokens[index - 1].type == "heading_open"
            and tokens[index - 1].level == 0  # not a heading inside a list or a quote
        ):
            text = _inline_text(token)
            marker = _heading_marker(text, token.map[0], level)
            if marker is not None:
                headings.append(marker)
    if headings:
        return _drop_header_counters(headings), hidden, outline
    lines_found = _line_markers(lines, hidden, tokens)
    if lines_found:
        return lines_found, hidden, outline
    return _table_markers(tokens), hidden, outline


def _bounded_for_markdown(lines: list[str]) -> Iterable[str]:
    """Yield the lines as markdown-it may see them: headings cut, table rows bounded.

    A heading is cut to _HEADING_LIMIT characters; a line with more than _MAX_ROW_PIPES pipes,
    or past the budget of _MAX_TABLE_PIPES for the whole log, is given as a blank line (it is not
    a table row, and it ends the table above it: markdown-it would read it as one more row), and
    so is a line opening more than _MAX_CONTAINERS quotes and list items, or past the budget of
    _MAX_CONTAINER_MARKERS for the whole log.
    Lines keep their number, so token maps still point at them.
    """
    budget = _MAX_TABLE_PIPES
    markers_left = _MAX_CONTAINER_MARKERS
    for line in lines:
        if line.lstrip(" ").startswith("#"):
            yield line[:_HEADING_LIMIT]
            continue
        pipes = line.count("|")
        if pipes and (pipes > _MAX_ROW_PIPES or pipes > budget):
            yield ""  # a blank line: it also ends the table above it
            continue
        markers = _containers(line)
        if markers > _MAX_CONTAINERS or markers > markers_left:
            yield ""  # not a structure a log needs read: Markdown may see nothing there
            continue
        markers_left -= markers
        budget -= pipes
        yield line


def _containers(line: str) -> int:
    """Count the quotes and list items a line opens at its start (at most one past the cap)."""
    at = count = 0
    while count <= _MAX_CONTAINERS:
        found = _CONTAINER.match(line, at)
        if found is None:
            break
        at = found.end()
        count += 1
    return count


def _mark(mask: bytearray, lines: list[int]) -> None:
    """Mark the lines of a token's map (begin, end) in a byte-a-line mask."""
    begin, end = lines[0], min(lines[1], len(mask))
    if end > begin:
        mask[begin:end] = b"\x01" * (end - begin)


def _heading_marker(text: str, line: int, level: int) -> Marker | None:
    if not text or TEMPLATE_HEADING.search(text):
        return None
    token = day_token(text)
    if token is not None:
        days, round_number, (begin, end) = token
        return Marker(
            line=line,
            heading=text,
            body_from=line + 1,
            days=days,
            round=round_number,
            date_text=text[:begin] + " " + text[end:],
            level=level,
        )
    if is_date_only(text) is not None:
        return Marker(line=line, heading=text, body_from=line + 1, date_text=text, level=level)
    return None


def _drop_header_counters(markers: list[Marker]) -> list[Marker]:
    """Leave out titles: headings above the entries' level, before them, without a date.

    Guards against titles such as "# 30 Days 2024" or "# Day 1 club" being read as an entry.
    """
    levels = Counter(marker.level for marker in markers)
    usual = max(levels, key=lambda level: (levels[level], level))  # a tie: the deeper
    first = next(marker.line for marker in markers if marker.level == usual)
    return [
        marker
        for marker in markers
        if marker.level >= usual or marker.line > first or find_dates(marker.date_text)
    ]


def _line_markers(lines: list[str], hidden: bytearray, tokens: list[Token]) -> list[Marker]:
    """Read a log kept as plain lines: "Day 23 : December 26, 2019" or "2019-05-03: ..."."""
    skipped = bytearray(hidden)
    for token in tokens:
        if token.type in {"fence", "code_block", "table_open"} and token.map:
            _mark(skipped, token.map)
    markers: list[Marker] = []
    for number, line in enumerate(lines):
        # A cheap look at the line's start first: most lines cannot start an entry.
        if skipped[number] or not LINE_HEAD.match(line):
            continue
        head = LINE_START.sub("", line, count=1)
        found_day = day_token(head[:40])
        if found_day is not None and found_day[2][0] == 0:
            days, round_number, (_, end) = found_day
            rest = head[end:]
            found = find_dates(rest[:60])
            if found.consumed and min(begin for begin, _ in found.consumed) <= 4:
                markers.append(
                    Marker(number, head.strip(), number + 1, days, round_number, rest[:60])
                )
            continue
        found = find_dates(head[:40])
        if found.consumed and min(begin for begin, _ in found.consumed) == 0:
            cut = max(end for _, end in found.consumed)
            markers.append(Marker(number, head[:cut].strip(), number + 1, date_text=head[:cut]))
            # The rest of the line is the entry's first line of text.
            markers[-1].own_text = head[cut:].lstrip(" :-\u2013|").strip()
    return markers


def _table_markers(tokens: list[Token]) -> list[Marker]:
    """Read a log kept as a table whose first column numbers the days (and may date them)."""
    markers: list[Marker] = []
    index = 0
    while index < len(tokens):
        if tokens[index].type != "table_open":
            index += 1
            continue
        rows: list[tuple[int, list[str], list[str]]] = []
        cells: list[str] = []
        raw: list[str] = []
        row_line = 0
        index += 1
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                cells, raw = [], []
                row_line = token.map[0] if token.map else 0
            elif token.type == "inline":
                cells.append(_inline_text(token))
                raw.append(token.content)
            elif token.type == "tr_close":
                rows.append((row_line, cells, raw))
            index += 1
        markers.extend(_rows_to_markers(rows))
    return markers


def _rows_to_markers(rows: list[tuple[int, list[str], list[str]]]) -> list[Marker]:
    if len(rows) < 2:
        return []
    header = [cell.casefold() for cell in rows[0][1]]
    if not header or not DAY_COLUMN.search(header[0]):
        return []
    date_column = next((i for i, cell in enumerate(header) if "date" in cell), None)
    markers: list[Marker] = []
    for line, cells, raw in rows[1:]:
        match = DAY_CELL.fullmatch(cells[0].strip())
        if match is None:
            continue
        text_cells = [
            BR.sub("\n", cell).strip()
            for number, cell in enumerate(raw)
            if number not in {0, date_column}
        ]
        date_text = cells[date_column] if date_column is not None else ""
        markers.append(
            Marker(
                line=line,
                heading=f"Day {match.group(1)}",
                body_from=line + 1,
                days=(int(match.group(1)),),
                date_text=date_text,
                own_text="\n".join(cell for cell in text_cells if cell),
                row=True,
            )
        )
    return markers


# ------------------------------------------------------------------------------------------
# The header and the end of the last entry
# ------------------------------------------------------------------------------------------


def footer(last: Marker, outline: list[tuple[int, int]], end: int) -> int:
    """Return where the last entry ends: at a section above the entries' level ("# Notes")."""
    if not last.level:
        return end
    return next((line for line, level in outline if line > last.line and level < last.level), end)


def header_round(header: list[str]) -> int | None:
    """Return the round a log's header names ("Round 2", "Season 1"), if any."""
    for line in header:
        match = HEADER_ROUND.search(line)
        if match:
            return int(match.group(1))
    return None

"""A log's structure: where its entries start, read from its Markdown blocks.

markdown-it-py gives the document's blocks (inline Markdown is parsed only for headings and
table cells), and `find_markers` reads them: an entry starts at a heading that carries a day
token (``Day 4``, ``R4D86-93``, ``Title | Day 4``, `` `Day 01` ``) or is only a date (``##
2019/6/21``), in Markdown or HTML (``<h3>``, a ``<details>`` block's ``<summary>``). A log
without such headings is read, in this order, from plain lines that start with a day token or
a date (``* Day 1 (24/10/2022): ...``, ``__Day 1__``, ``- **Day 1**: topic``), from tables
whose cells number the days (in any language) and TAB-separated rows, and last from a bare
ordered list that a challenge's name introduces. HTML comments, code blocks, template examples
and sub-headings are not entries; tables of contents are never read when the log has headings.
An undated day heading over rising dated lines, or a heading spanning the log's period, is
their container: the lines are the entries.

Each reading is a module of its own, and each returns `Marker`s (module `markers`):

- `headings`: day headings, Markdown's and HTML's (`markup`), titles and sub-headings left out,
  posts that name their day on their first line;
- `containers`: headings that hold the days as dated lines (a day's box, the log's period);
- `lines`: plain lines and list items that start with a day token or a date;
- `tables`: Markdown tables and TAB-separated rows, their columns found from their cells;
- `lists`: a bare ordered list under a challenge's name.

This module gives markdown-it the log, runs the readings in turn, and says where each entry
ends (at the next, a ``<details>`` entry at its ``</details>``, the last at a section above the
entries' level, "# Notes") and which round the header names. What markdown-it is given is
bounded (a heading's length, a table row's pipes, the quotes and list items a line opens, blank
runs cut to two) so that a hostile file costs no more than a real one of its size
(docs/performance.md, "Hostile logs"); so is what is read of an HTML line, a table's cells and a
day line's topic.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable

from markdown_it import MarkdownIt

from bot.domain.logparse.containers import open_containers
from bot.domain.logparse.headings import (
    drop_header_counters,
    drop_sub_headings,
    heading_marker,
    html_markers,
    posts_dated_in_body,
)
from bot.domain.logparse.lines import line_markers
from bot.domain.logparse.lists import list_markers
from bot.domain.logparse.markers import HEADING_LIMIT, Marker, inline_text, list_item_ends, mark
from bot.domain.logparse.markup import LINE_LIMIT
from bot.domain.logparse.tables import tab_markers, table_markers
from bot.domain.logparse.vocabulary import HEADER_ROUND

# ------------------------------------------------------------------------------------------
# What markdown-it is given
# ------------------------------------------------------------------------------------------

_MAX_NESTING = 10
"""How deep markdown-it nests blocks (quotes, lists, items); deeper content is skipped. The real
logs nest 7 deep at most, and `> - > - ...` costs tokens per level on every line."""
_MARKDOWN = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable("table").disable("inline")
"""The block structure only: inline parsing is done for the few lines that need it (headings,
table cells), which makes reading a long log about twice as fast."""
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


# Markers: where entries start
# ------------------------------------------------------------------------------------------


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
        if token.type == "html_block":
            if token.content.lstrip().startswith("<!--"):
                mark(hidden, token.map)
            else:
                headings.extend(html_markers(lines, token.map, hidden, outline))
        elif token.type == "heading_open" and token.level == 0:
            level = int(token.tag[1:])
            outline.append((token.map[0], level))
        elif (
            token.type == "inline"
            and index
            and tokens[index - 1].type == "heading_open"
            and tokens[index - 1].level == 0  # not a heading inside a list or a quote
        ):
            text = inline_text(token)
            marker = heading_marker(text, token.map[0], level)
            if marker is not None:
                headings.append(marker)
    if headings:
        headings = drop_sub_headings(drop_header_counters(headings))
        headings = posts_dated_in_body(headings, lines, hidden)
        return open_containers(headings, lines, hidden, tokens, outline), hidden, outline
    skipped = bytearray(hidden)
    for token in tokens:
        if token.type in {"fence", "code_block", "table_open"} and token.map:
            mark(skipped, token.map)
    found = (
        line_markers(lines, skipped, list_item_ends(tokens))
        or table_markers(tokens)
        or tab_markers(lines, skipped)
        or list_markers(tokens, lines)
    )
    return found, hidden, outline


def _bounded_for_markdown(lines: list[str]) -> Iterable[str]:
    """Yield the lines as markdown-it may see them: headings cut, table rows bounded.

    A heading is cut to HEADING_LIMIT characters; a line with more than _MAX_ROW_PIPES pipes,
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
            yield line[:HEADING_LIMIT]
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


# ------------------------------------------------------------------------------------------
# The header and the end of the last entry
# ------------------------------------------------------------------------------------------


def entry_ends(
    markers: list[Marker], lines: list[str], outline: list[tuple[int, int]]
) -> list[int]:
    """Return where each entry's text ends: at the next entry, its ``</details>``, or a section.

    A ``<details>`` entry ends at its closing tag: a footer after the last block, or text
    between two blocks, is not the entry's. The last entry also ends at a section above the
    entries' level ("# Notes").
    """
    ends = [marker.line for marker in markers[1:]] + [footer(markers[-1], outline, len(lines))]
    return [
        _details_end(lines, marker.line, end) if marker.closes else end
        for marker, end in zip(markers, ends, strict=True)
    ]


_DETAILS_TAG = re.compile(r"<(/?+)details(?=[\s>/])", re.IGNORECASE)


def _details_end(lines: list[str], summary: int, end: int) -> int:
    """Return the line after the ``</details>`` that closes the block a ``<summary>`` names.

    Blocks nested inside the entry (a ``<details>`` of its own, "Solution") are counted open
    and closed; a block never closed runs to `end`. Each line is read once, up to `LINE_LIMIT`.
    """
    depth = 1
    head = lines[summary][:LINE_LIMIT]
    close = head.lower().find("</summary")
    for number in range(summary, end):
        if number == summary:
            text = head[close:] if close >= 0 else ""  # what the summary's line holds after it
        else:
            text = lines[number][:LINE_LIMIT]
        for match in _DETAILS_TAG.finditer(text):
            depth += -1 if match.group(1) else 1
            if depth == 0:
                return number + 1
    return end


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

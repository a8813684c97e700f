"""A log's structure: where its entries start, read from its Markdown blocks.

markdown-it-py gives the document's blocks (inline Markdown is parsed only for headings and
table cells). An entry starts at a heading that carries a day token (``Day 4``, ``R4D86-93``,
``Title | Day 4``, `` `Day 01` ``) or is only a date (``## 2019/6/21``); a heading written in
HTML (``<h3>``, a ``<details>`` block's ``<summary>``) is a heading too (module `markup`). A log
without such headings is read, in this order, from plain lines that start with a day token or a
date (``* Day 1 (24/10/2022): ...``, ``__Day 1__``, ``- **Day 1**: topic``), from tables
whose cells number the days (in any language: the columns are found from their cells), from
TAB-separated rows, and last from a bare ordered list that a challenge's name introduces. HTML
comments, code blocks, template examples, sub-headings (without a token, or repeating the day
of the dated entry they sit in) are not entries; tables of contents are never read when the
log has headings; the last entry ends at a section above the entries' level ("# Notes"), a
``<details>`` entry at its ``</details>``. A log of date-only posts that name their day on their
first line takes its days from there. An undated day heading whose body opens with rising
dated lines (``### R1D1`` over ``12/05/2020 - Día 1 - ...``) is their container, and a date-only
heading spanning more than a month (``## 2025.03.18 ~ 2025.06.26``) the log's period: in both,
the lines are the entries.

What markdown-it is given is bounded (a heading's length, a table row's pipes, the quotes and
list items a line opens, blank runs cut to two) so that a hostile file costs no more than a
real one of its size (docs/performance.md, "Hostile logs"); so is what is read of an HTML line,
a table's cells and a day line's topic.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.domain.logparse.dates import (
    Found,
    decide_dayfirst,
    find_dates,
    is_date_only,
    resolve_numeric,
)
from bot.domain.logparse.locales import LOCALES
from bot.domain.logparse.markup import LINE_LIMIT, html_heading, only_tags, plain
from bot.domain.logparse.phrases import BR, SEPARATOR_LINE, TEMPLATE_HEADING
from bot.domain.logparse.vocabulary import (
    DAY_CELL,
    DAY_COLUMN,
    HEADER_ROUND,
    LINE_HEAD,
    LINE_START,
    UNCHECKED_ITEM,
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
    unchecked: bool = False
    """A task-list item left unchecked (or a row marked ⬜): the member marked the day not done."""
    html: bool = False
    """A heading written in HTML: its entry's body lines are read with their tags stripped."""
    closes: bool = False
    """A ``<details>`` entry: it ends at its ``</details>``, not at the next entry."""


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
        if token.type == "html_block":
            if token.content.lstrip().startswith("<!--"):
                _mark(hidden, token.map)
            else:
                headings.extend(_html_markers(lines, token.map, hidden, outline))
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
        headings = _drop_sub_headings(_drop_header_counters(headings))
        headings = _posts_dated_in_body(headings, lines, hidden)
        return _open_containers(headings, lines, hidden, tokens, outline), hidden, outline
    skipped = bytearray(hidden)
    for token in tokens:
        if token.type in {"fence", "code_block", "table_open"} and token.map:
            _mark(skipped, token.map)
    found = (
        _line_markers(lines, skipped, _item_ends(tokens))
        or _table_markers(tokens)
        or _tab_markers(lines, skipped)
        or _list_markers(tokens, lines)
    )
    return found, hidden, outline


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


def _html_markers(
    lines: list[str], span: list[int], hidden: bytearray, outline: list[tuple[int, int]]
) -> list[Marker]:
    """Read an HTML block a line at a time: ``<hN>`` and ``<summary>`` headings are candidates.

    A line of nothing but container tags (``<details>``, ``</details>``) is left out of the
    entries' text. A ``<summary>`` names a ``<details>`` entry whose date may sit in its body
    (``<pre><code><small>🗓️ Date: 2023-02-15</small></code></pre>``): a heading without a date
    takes the date line right under it, as a Markdown heading does.
    """
    markers: list[Marker] = []
    for number in range(span[0], min(span[1], len(lines))):
        line = lines[number]
        if "<" not in line:
            continue
        if only_tags(line):
            hidden[number] = 1
            continue
        heading = html_heading(line)
        if heading is None:
            continue
        if heading.level:
            outline.append((number, heading.level))
        marker = _heading_marker(heading.text, number, heading.level)
        if marker is not None:
            marker.html, marker.closes = True, not heading.level
            if not find_dates(marker.date_text):
                _date_below(lines, marker, hidden)
            markers.append(marker)
    return markers


_DATE_BELOW_LINES = 2
"""How many lines under an HTML heading are looked at for its date."""
_DATE_BELOW_REACH = 8
"""How far under an HTML heading those lines may be (blank and hidden lines between)."""


def _date_below(lines: list[str], marker: Marker, hidden: bytearray) -> None:
    """Date an HTML heading from a line under it that says only a date ("Date: 2023-02-15")."""
    looked = 0
    for number in range(marker.body_from, min(marker.body_from + _DATE_BELOW_REACH, len(lines))):
        line = lines[number]
        if not line.strip() or hidden[number]:
            continue
        if looked == _DATE_BELOW_LINES or "</details" in line[:LINE_LIMIT].lower():
            return
        looked += 1
        text = plain(line)
        if text and is_date_only(text) is not None:
            marker.date_text = f"{marker.date_text} {text}"
            hidden[number] = 1  # the date is the heading's, not the entry's text
            return


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


def _drop_sub_headings(markers: list[Marker]) -> list[Marker]:
    """Leave out undated headings that repeat the day of the dated entry they sit in.

    ``### 3日目: 2022年11月27日`` then ``### Day003`` at the same level: the second names the
    day the entry is already about (a sub-heading), not a new entry; so does a ``<summary>``
    with that day inside it.
    """
    kept: list[Marker] = []
    dated_days: set[int] | None = None  # the days dated headings give, read when first needed
    for marker in markers:
        # The cheap checks first: dates are read only for a heading that repeats a day.
        if (
            kept
            and marker.days
            and set(marker.days) <= set(kept[-1].days)
            and _depth(marker.level) >= _depth(kept[-1].level)
            and not _dated(marker)
            and _dated(kept[-1])
        ):
            continue
        # A <summary> inside a dated Markdown day that names a day a dated heading gives
        # (``<details><summary>Day 2 hint</summary>`` in Day 1): part of that day's text.
        if kept and marker.level == 0 and marker.days and kept[-1].level > 0:
            if dated_days is None:
                dated_days = {
                    day for other in markers if other.level and _dated(other) for day in other.days
                }
            if set(marker.days) <= dated_days and not _dated(marker) and _dated(kept[-1]):
                continue
        kept.append(marker)
    return kept


def _dated(marker: Marker) -> bool:
    return bool(marker.date_text.strip()) and bool(find_dates(marker.date_text))


def _depth(level: int) -> int:
    """Return how deep a heading sits: a ``<summary>`` (level 0) under any ``<hN>`` or ``#``."""
    return level or 7


_OF_TOTAL = re.compile(r"(\d{1,6}+)\s*+/\s*+\d{1,6}+")
"""A day number with the challenge's length after it (``Day 055/100``)."""
_POST_DAY_REACH = 8
"""How far into a post's first line its day token may start (``【Day 055/100】``)."""


def _posts_dated_in_body(
    markers: list[Marker], lines: list[str], hidden: bytearray
) -> list[Marker]:
    """Read a log of dated posts whose days are named in their first lines, not their headings.

    A "post" log (an export of social posts, a blog) heads each post with its date only
    (``## 2026-02-24 20:30``) and says which day it is on the post's first line
    (``【Day 055/100】``, ``Day 044:``). When most date-only headings are followed by such a
    line, and those days are mostly distinct (each post a different day), the posts are the
    log: each takes its day from that line, and a post without one (an announcement, a retweet)
    is not an entry; its lines are left out of the entry above it. Distinct, not rising: the
    posts' order is the export's, and the reading must not depend on it (shuffled posts read the
    same, tests/domain/test_logparse_properties.py).
    """
    posts = [index for index, marker in enumerate(markers) if not marker.days]
    if len(posts) < 2:
        return markers
    ends = [marker.line for marker in markers[1:]] + [len(lines)]
    days_of: dict[int, tuple[tuple[int, ...], int | None]] = {}
    for index in posts:
        found = _first_line_day(lines, hidden, markers[index].body_from, ends[index])
        if found is not None:
            days_of[index] = found
    numbered = [days_of[index][0][0] for index in sorted(days_of)]
    if 2 * len(days_of) <= len(posts) or 3 * len(set(numbered)) < 2 * len(numbered):
        return markers
    kept: list[Marker] = []
    for index, marker in enumerate(markers):
        if marker.days:
            kept.append(marker)
        elif index in days_of:
            marker.days, marker.round = days_of[index]
            kept.append(marker)
        else:
            _mark(hidden, [marker.line, ends[index]])
    return kept


def _first_line_day(
    lines: list[str], hidden: bytearray, begin: int, end: int
) -> tuple[tuple[int, ...], int | None] | None:
    """Return the day a post's first line opens with (``【Day 055/100】``), if it does."""
    for number in range(begin, end):
        line = lines[number]
        if hidden[number] or not line.strip() or SEPARATOR_LINE.match(line):
            continue
        head = _OF_TOTAL.sub(r"\1", line.strip()[:60])
        token = day_token(head)
        if token is None or token[2][0] > _POST_DAY_REACH or re.search(r"\w", head[: token[2][0]]):
            return None
        return token[0], token[1]
    return None


def _item_ends(tokens: list[Token]) -> dict[int, int]:
    """Map the line each list item starts on to the line after its last."""
    return {
        token.map[0]: token.map[1]
        for token in tokens
        if token.type == "list_item_open" and token.map is not None
    }


def _line_markers(
    lines: list[str],
    skipped: bytearray,
    item_ends: dict[int, int],
    begin: int = 0,
    end: int | None = None,
) -> list[Marker]:
    """Read a log kept as plain lines: "Day 23 : December 26, 2019" or "2019-05-03: ...".

    A line that starts with a day token and a date is an entry, and the text after its date is
    the entry's first line (``* Day 1 (24/10/2022): downloaded Rust``). A day token without a
    date starts an entry only when it stands alone: the token (bold or a list item) then
    nothing, or a separator and a short topic (``Day 1:``, ``__Day 1__``, ``- **Day 1**:
    环境搭建``), and only when the log's day lines, two or more, mostly rise (or mostly fall):
    prose that mentions "Day 3 was hard" is not an entry. An entry written as a list item is
    that item (its line and the lines it holds), not the sections after the list. A date
    followed by a day token (``12/05/2020 - Día 1 - Repasando``) numbers the day too. Only the
    lines from `begin` to `end` are read.
    """
    markers: list[Marker] = []
    undated: list[Marker] = []
    numbers: list[int] = []
    for number in range(begin, len(lines) if end is None else end):
        line = lines[number]
        # A cheap look at the line's start first: most lines cannot start an entry.
        if skipped[number] or not LINE_HEAD.match(line):
            continue
        head = LINE_START.sub("", line, count=1)
        found_day = day_token(head[:40])
        if found_day is not None and found_day[2][0] == 0:
            days, round_number, (_, end) = found_day
            rest = head[end:]
            found = find_dates(rest[:60])
            if found.consumed and min(begin for begin, _ in found.consumed) <= _DATE_REACH:
                cut = _dates_end(rest, found.consumed)
                marker = Marker(
                    number, _EMPHASIS.sub("", head[: end + cut]).strip(), number + 1, days,
                    round_number, rest[:cut],
                )  # fmt: skip
                marker.own_text = _topic(rest[cut:])
                markers.append(marker)
                numbers.append(days[0])
                continue
            topic = _standalone_topic(rest)
            if topic is not None:
                marker = Marker(number, _EMPHASIS.sub("", head[:end]).strip(), number + 1, days)
                marker.round, marker.own_text = round_number, topic
                markers.append(marker)
                undated.append(marker)
                numbers.append(days[0])
            continue
        found = find_dates(head[:40])
        if found.consumed and min(start for start, _ in found.consumed) == 0:
            cut = max(stop for _, stop in found.consumed)
            marker = Marker(number, head[:cut].strip(), number + 1, date_text=head[:cut])
            # The rest of the line is the entry's first line of text, after a day token if any.
            rest = head[cut:].lstrip(" :-\u2013\u2014|")
            after_date = day_token(rest[:40])
            if after_date is not None and after_date[2][0] == 0:
                marker.days, marker.round = after_date[0], after_date[1]
                marker.heading = f"{marker.heading} {rest[: after_date[2][1]]}"
                rest = rest[after_date[2][1] :]
            marker.own_text = _topic(rest) if marker.days else rest.strip()
            markers.append(marker)
    for marker in markers:
        marker.unchecked = UNCHECKED_ITEM.match(lines[marker.line]) is not None
    if undated and not _mostly_monotone(numbers):
        left_out = {id(marker) for marker in undated}
        markers = [marker for marker in markers if id(marker) not in left_out]
    for marker in markers:
        item_end = item_ends.get(marker.line)
        if item_end is not None:
            held = lines[marker.line + 1 : item_end]
            indent = min(
                (len(line) - len(line.lstrip()) for line in held if line.strip()), default=0
            )
            text = [marker.own_text, *(line[indent:].rstrip() for line in held)]
            marker.own_text = "\n".join(text).strip("\n")
            marker.row = True
    return markers


# ------------------------------------------------------------------------------------------
# Containers: a heading whose body holds the days
# ------------------------------------------------------------------------------------------

_MIN_CONTAINED = 3
"""The fewest dated lines a heading's body must hold for the heading to be their container."""
_MAX_MEDIAN_STEP = 3
"""The longest typical step, in days, between a container's lines: a log's days come close
together, a plan's goals or a schedule's meetings weeks apart (``01.15``, ``03.01``, ``06.30``)."""
_PERIOD_DAYS = 31
"""A heading whose dates span more days than this is a period (a month's or a challenge's)."""
_MONTH_DAY = re.compile(
    r"(?P<a>\d{1,2}+)[./](?P<b>\d{1,2}+)\.?+[ \t]*+(?:[:\uff1a|)\-\u2013\u2014][ \t]*+|$)"
)
"""A date without a year at a line's start, then a separator: ``03.18: aws ecs 실습``."""


def _open_containers(
    markers: list[Marker],
    lines: list[str],
    hidden: bytearray,
    tokens: list[Token],
    outline: list[tuple[int, int]],
) -> list[Marker]:
    """Replace a heading that contains the days with the dated lines it holds.

    Two shapes: a day heading without a date whose body opens with lines that each start with a
    date (and maybe a day token) and rise (``### R1D1`` then ``12/05/2020 - Día 1 - ...`` ..
    ``23/05/2020 - Day 10 - ...``, the template's heading kept as a box for the days); and a
    heading whose dates are a long span, the log's period, holding dated lines (``## 2025.03.18
    ~ 2025.06.26`` then ``03.18: aws ecs 실습``), whose ``MM.DD`` lines take their year from the
    span. A day whose body holds a list of dates (a changelog, a schedule under a label, dates
    falling) is one entry, and a dated day is never a container. The heading, and the
    sub-headings among the lines (``### 4월``), are left out of the entries' text.
    """
    ends = [marker.line for marker in markers[1:]] + [len(lines)]
    kept: list[Marker] = []
    skipped: bytearray | None = None
    item_ends: dict[int, int] = {}
    for marker, end in zip(markers, ends, strict=True):
        period = _period(marker)
        # A day heading may be a container only when its body opens with a line that may start
        # an entry: the cheap look first, the heading's dates read only then.
        opening = next((n for n in range(marker.body_from, end) if lines[n].strip()), end)
        if period is None and (
            not marker.days
            or opening == end
            or not LINE_HEAD.match(lines[opening])
            or _dated(marker)
        ):
            kept.append(marker)
            continue
        if skipped is None:  # built once, for the first heading that may be a container
            skipped = bytearray(hidden)
            for token in tokens:
                if token.type in {"fence", "code_block", "table_open"} and token.map:
                    _mark(skipped, token.map)
            item_ends = _item_ends(tokens)
        contained = _contained(lines, skipped, item_ends, marker.body_from, end, period)
        if not _holds_days(contained, lines, skipped, marker.body_from, period is not None):
            kept.append(marker)
            continue
        hidden[marker.line] = 1
        _mark(hidden, [marker.body_from, contained[0].line])
        starts = {entry.line for entry in contained}
        for line, _level in outline:
            if marker.line < line < end and line not in starts:
                hidden[line] = 1
        for entry in contained:
            entry.level = marker.level + 1 if marker.level else 0
        kept.extend(contained)
    return kept


def _period(marker: Marker) -> tuple[date, date] | None:
    """Return the first and last day of a date-only heading that spans a long period."""
    if marker.days:
        return None
    spans = find_dates(marker.date_text[:_HEADING_LIMIT]).spans
    if len(spans) != 1 or spans[0].end is None or spans[0].start.year is None:
        return None
    first, last = spans[0].start, spans[0].end
    try:
        begin = date(first.year or 0, first.month, first.day)
        end = date(last.year or first.year or 0, last.month, last.day)
    except ValueError:
        return None
    return (begin, end) if (end - begin).days > _PERIOD_DAYS else None


def _contained(
    lines: list[str],
    skipped: bytearray,
    item_ends: dict[int, int],
    begin: int,
    end: int,
    period: tuple[date, date] | None,
) -> list[Marker]:
    """Return the dated lines a heading's body holds; in a period, ``MM.DD:`` lines too."""
    found = [
        marker
        for marker in _line_markers(lines, skipped, item_ends, begin, end)
        if marker.date_text.strip()
    ]
    if period is None:
        return found
    taken = {marker.line for marker in found}
    written: list[tuple[int, str, re.Match[str]]] = []
    for number in range(begin, end):
        if skipped[number] or number in taken:
            continue
        head = LINE_START.sub("", lines[number][:_HEADING_LIMIT], count=1)
        match = _MONTH_DAY.match(head)
        if match is not None:
            written.append((number, head, match))
    # Month first or day first: the order that puts more of the lines inside the period.
    pairs = [(int(match["a"]), int(match["b"])) for _, _, match in written]
    month_first = sum(_in_period(a, b, period) is not None for a, b in pairs) >= sum(
        _in_period(b, a, period) is not None for a, b in pairs
    )
    for (number, head, match), (a, b) in zip(written, pairs, strict=True):
        day = _in_period(a, b, period) if month_first else _in_period(b, a, period)
        if day is None:
            continue
        marker = Marker(number, head[: match.end()].strip(" :\uff1a|-"), number + 1)
        marker.date_text, marker.own_text = day.isoformat(), _topic(head[match.end() :])
        found.append(marker)
    return sorted(found, key=lambda marker: marker.line)


def _in_period(month: int, day: int, period: tuple[date, date]) -> date | None:
    """Return the day of a period a yearless month and day name, if it is one."""
    begin, end = period
    for year in (begin.year, end.year):
        with contextlib.suppress(ValueError):
            candidate = date(year, month, day)
            if begin <= candidate <= end:
                return candidate
    return None


def _holds_days(
    contained: list[Marker], lines: list[str], skipped: bytearray, begin: int, period: bool
) -> bool:
    """Whether a heading's dated lines are its days: several, rising, and (for a day) first.

    A day heading's body must open with them: a label ("Schedule:") or the day's own text
    before a list of dates makes the list part of the day.
    """
    if len(contained) < _MIN_CONTAINED:
        return False
    if not period:
        first = next(
            (
                number
                for number in range(begin, contained[0].line + 1)
                if lines[number].strip() and not skipped[number]
            ),
            None,
        )
        if first != contained[0].line:
            return False
    found = [find_dates(marker.date_text) for marker in contained]
    # The day/month order of ``12/05/2020`` is decided over all the lines, as the file's is.
    dayfirst, _ = decide_dayfirst(
        piece
        for dates in found
        for span in dates.numeric
        for piece in (span.start, span.end)
        if piece
    )
    order = [_ordinal(dates, dayfirst) for dates in found]
    known = [value for value in order if value is not None]
    steps = list(pairwise(known))
    up = sum(b > a for a, b in steps)
    down = sum(b <= a for a, b in steps)
    if len(known) != len(order) or up <= 2 * down:
        return False
    # A day heading's lines are days when they number them (``12/05/2020 - Día 1 - ...``): bare
    # dated lines under ``### Day 2`` are that day's list (a changelog, deadlines), one day.
    if not period and 2 * sum(bool(marker.days) for marker in contained) <= len(contained):
        return False
    return _median_step(known) <= _MAX_MEDIAN_STEP


def _median_step(known: list[tuple[int, int, int]]) -> int:
    """Return the median number of days from one rising dated line to the next."""
    steps: list[int] = []
    for (year_a, month_a, day_a), (year_b, month_b, day_b) in pairwise(known):
        try:
            # A line without a year is placed in a leap year, so that February 29 stands.
            first = date(year_a or 2000, month_a, day_a)
            second = date(year_b or year_a or 2000, month_b, day_b)
        except ValueError:
            continue
        steps.append(abs((second - first).days))
    return sorted(steps)[len(steps) // 2] if steps else 0


def _ordinal(found: Found, dayfirst: bool) -> tuple[int, int, int] | None:
    """Return a dated line's first date as (year or 0, month, day), for its order."""
    piece = found.spans[0].start if found.spans else None
    if piece is None and found.numeric:
        piece = resolve_numeric(found.numeric[0].start, dayfirst)
    return (piece.year or 0, piece.month, piece.day) if piece is not None else None


_DATE_REACH = 4
"""How far after a plain line's day token its date may start ("Day 1 (24/10/2022)")."""
_DATE_GAP = 4
"""The most characters between two dates of one line's list or range (" & ", " - ")."""
_EMPHASIS = re.compile(r"\*\*|__")
_TOPIC_LIMIT = 120
"""The longest topic an undated day line may carry and still stand alone as an entry."""
_AFTER_TOKEN = re.compile(r"[ \t]*+(?P<bold>\*\*|__)?+[ \t]*+(?P<sep>[:\uff1a.|\-\u2013\u2014])?+")


def _dates_end(text: str, consumed: list[tuple[int, int]]) -> int:
    """Return where a line's leading dates end: the first date, and those a few characters on."""
    spans = sorted(consumed)
    end = spans[0][1]
    for begin, stop in spans[1:]:
        if begin - end > _DATE_GAP:
            break
        end = max(end, stop)
    while end < len(text) and text[end] in ")]\uff09":
        end += 1
    return end


def _topic(text: str) -> str:
    """Return the text after a line's day token and dates: its separators and emphasis cut."""
    return _EMPHASIS.sub("", text).lstrip(" \t:\uff1a-\u2013\u2014|.").strip()


def _standalone_topic(rest: str) -> str | None:
    """Return the topic of a day token that stands alone on its line, or None for prose.

    ``Day 1:``, ``__Day 1__``, ``**Day 1**: 环境搭建与GitHub使用`` stand alone; ``Day 3 was
    hard`` (no separator) and a long sentence after the colon do not.
    """
    found = _AFTER_TOKEN.match(rest)
    # A topic longer than the limit is prose: a few characters more than it are enough to tell.
    after = rest[found.end() : found.end() + 2 * _TOPIC_LIMIT].strip() if found else ""
    if found is None or not (after == "" or found.group("bold") or found.group("sep")):
        return None
    topic = _EMPHASIS.sub("", after).strip()
    return topic if len(topic) <= _TOPIC_LIMIT else None


def _mostly_monotone(numbers: list[int]) -> bool:
    """Whether numbers mostly rise, or mostly fall: over twice as many steps one way as the other.

    A step to the same number (a day's extra rows, ``24``, ``24e``) goes neither way.
    """
    steps = list(pairwise(numbers))
    up = sum(b > a for a, b in steps)
    down = sum(b < a for a, b in steps)
    return max(up, down) > 2 * min(up, down)


# ------------------------------------------------------------------------------------------
# Tables: Markdown tables, TAB-separated rows
# ------------------------------------------------------------------------------------------

_Row = tuple[int, list[str], list[str]]
"""A table row: its line, its cells as text, and its cells as written (for the entry's text)."""
_COLUMNS_LOOKED_AT = 4
"""How many of a table's first columns may be its day or date column."""
_ROWS_LOOKED_AT = 60
"""How many rows decide which column numbers the days and which dates them."""
_MAX_TAB_CELLS = 64
"""A line with more TABs than this is not read as a row (as `_MAX_ROW_PIPES` for pipes)."""


def _table_markers(tokens: list[Token]) -> list[Marker]:
    """Read a log kept as a table: one row a day, found by a column numbering the days."""
    markers: list[Marker] = []
    index = 0
    while index < len(tokens):
        if tokens[index].type != "table_open":
            index += 1
            continue
        rows: list[_Row] = []
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


def _tab_markers(lines: list[str], skipped: bytearray) -> list[Marker]:
    """Read rows separated by TABs (``001<TAB>Python - Lists…<TAB>✅``) as a table's rows.

    A run of lines that each hold a TAB is a table: its first line the header, as Markdown's.
    """
    markers: list[Marker] = []
    rows: list[_Row] = []
    for number, line in enumerate(lines):
        tabs = line.count("\t")
        if not skipped[number] and 0 < tabs <= _MAX_TAB_CELLS and line.strip():
            cells = [cell.strip() for cell in line.split("\t")]
            rows.append((number, [_EMPHASIS.sub("", cell) for cell in cells], cells))
            continue
        markers.extend(_rows_to_markers(rows))
        rows = []
    markers.extend(_rows_to_markers(rows))
    return markers


def _rows_to_markers(rows: list[_Row]) -> list[Marker]:
    """Return a table's day rows as entries; the columns are found from what the cells say.

    The day column is one of the first columns whose cells are mostly day numbers (``12``,
    ``03``, ``Day 3``, ``24e``: a letter numbers a day's extra rows) that mostly rise or fall;
    the date column, one whose cells are mostly dates. The header is only a hint: a column
    headed "Day" (or ``#``, ``No.``) numbers the days even out of order, and one headed "Date"
    dates the rows when no column's cells are dates. When a table has a date column, a row
    whose date cell says something other than a date is a message spelled across cells
    (``| 5 | ngày | mất | phương | hướng |``), not a day.
    """
    if len(rows) < 2:
        return []
    header = [cell.casefold() for cell in rows[0][1]]
    body = rows[1:]
    day_column = _day_column(header, body)
    if day_column is None:
        return []
    date_column = _date_column(header, body, day_column)
    markers: list[Marker] = []
    for line, cells, raw in body:
        days = _day_cell(cells[day_column]) if day_column < len(cells) else None
        if days is None:
            continue
        date_text = ""
        if date_column is not None and date_column < len(cells):
            date_text = cells[date_column]
            if date_text.strip() and not find_dates(date_text):
                continue
        text, unchecked = _row_text(
            [
                BR.sub("\n", cell).strip()
                for number, cell in enumerate(raw)
                if number not in {day_column, date_column}
            ]
        )
        markers.append(
            Marker(
                line=line,
                heading=f"Day {days[0]}" if len(days) == 1 else f"Days {days[0]}-{days[-1]}",
                body_from=line + 1,
                days=days,
                date_text=date_text,
                own_text=text,
                row=True,
                unchecked=unchecked,
            )
        )
    return markers


_DONE_MARKS = frozenset("✅✔✓☑🟢")
"""A status cell saying the day was done: a tick alone is a post (``| 5 | ✅ |``)."""
_NOT_DONE_MARKS = frozenset("⬜☐❌✗✘🔲⭕🔴")
"""A status cell saying the day was not done (yet): the row's topic is a plan, not progress."""
_PENDING_MARKS = frozenset("🔄⏳⌛🚧🟡")
"""A status cell saying the day is under way: it adds nothing, the topic says what was done."""
_ALL_MARKS = _DONE_MARKS | _NOT_DONE_MARKS | _PENDING_MARKS
_BLANK_CELL = re.compile(r"[-\u2013\u2014.\u2026?]*+")
"""A cell holding only a dash or dots: a topic not filled in (``002<TAB>—<TAB>⬜``)."""
_MARK_SIZE = 4
"""The longest a status cell can be (a mark and its variation selector, ``✔️``)."""
_MARK_LABEL = re.compile(r"[ \t]*+[^\W\d_]++(?:[ \t]++[^\W\d_]++){0,2}+[ \t]*+")
"""The few words a status mark may carry in its cell: ``✅ Done``, ``❌ Not done``, ``⬜ To do``."""


def _row_text(cells: list[str]) -> tuple[str, bool]:
    """Return a table row's text from its cells (day and date aside), and whether it is undone.

    Each cell is read by its role: a status mark (``✅``, ``⬜``, ``🔄``) says how the day went,
    a dash stands for a topic not filled in, anything else is the member's text. A row of
    nothing but marks and dashes is a stub (``002 | — | ⬜``, ``| 04 | | 🔄 |``), unless a mark
    says the day was done: then the tick is the post. A topic with a not-done mark (``⬜``) is
    a day planned, not done, as an unchecked task-list item.
    """
    text: list[str] = []
    marks: set[str] = set()
    ticks: list[str] = []  # the cells saying the day was done, as written
    for cell in cells:
        bare = cell.replace("\ufe0f", "").strip()
        if (
            len(bare) <= _MARK_SIZE
            and bare
            and all(
                char in _DONE_MARKS
                or char in _NOT_DONE_MARKS
                or char in _PENDING_MARKS
                or char == " "
                for char in bare
            )
        ):
            marks.update(bare.replace(" ", ""))
            if any(char in _DONE_MARKS for char in bare):
                ticks.append(cell)
        elif bare and not _BLANK_CELL.fullmatch(bare):
            # A status with its label (``❌ Not done``) says how the day went as a bare mark
            # does; its words stay the member's text.
            if bare[0] in _ALL_MARKS and _MARK_LABEL.fullmatch(bare, 1):
                marks.add(bare[0])
                if bare[0] in _DONE_MARKS:
                    ticks.append(cell)
            text.append(cell)
    if not text:
        return "\n".join(ticks), False
    return "\n".join(text), bool(marks & _NOT_DONE_MARKS) and not ticks


def _day_cell(cell: str) -> tuple[int, ...] | None:
    """Return the days a cell numbers: ``12``, ``03``, ``24e``, or a day token and nothing else."""
    text = cell.strip()
    match = DAY_CELL.fullmatch(text)
    if match is not None:
        return (int(match.group(1)),)
    token = day_token(text[:40]) if len(text) <= 40 else None
    if token is not None and token[2] == (0, len(text)):
        return token[0]
    return None


def _day_column(header: list[str], body: list[_Row]) -> int | None:
    """Return the first column whose cells number the days, or None."""
    width = min(max(len(cells) for _, cells, _ in body), _COLUMNS_LOOKED_AT)
    for column in range(width):
        written = [
            cells[column].strip()
            for _, cells, _ in body[:_ROWS_LOOKED_AT]
            if column < len(cells) and cells[column].strip()
        ]
        numbers = [days[0] for days in map(_day_cell, written) if days is not None]
        if not numbers or 2 * len(numbers) <= len(written):
            continue
        hinted = column < len(header) and bool(DAY_COLUMN.search(header[column]))
        if hinted or _mostly_monotone(numbers):
            return column
    return None


def _date_column(header: list[str], body: list[_Row], day_column: int) -> int | None:
    """Return the column whose cells are mostly dates (else one headed "date"), or None."""
    width = min(max(len(cells) for _, cells, _ in body), _COLUMNS_LOOKED_AT)
    best: tuple[int, int] | None = None  # (dates, column)
    for column in range(width):
        if column == day_column:
            continue
        written = [
            cells[column]
            for _, cells, _ in body[:_ROWS_LOOKED_AT]
            if column < len(cells) and cells[column].strip()
        ]
        dated = sum(1 for cell in written if is_date_only(cell) is not None)
        if dated and 2 * dated > len(written) and (best is None or dated > best[0]):
            best = (dated, column)
    if best is not None:
        return best[1]
    return next((i for i, cell in enumerate(header) if "date" in cell and i != day_column), None)


# ------------------------------------------------------------------------------------------
# A bare ordered list under a challenge's name
# ------------------------------------------------------------------------------------------

_CHALLENGE_COUNT = re.compile(r"(?<![\d.,])(\d{1,3}+)[ \t-]*+([^\W\d_]++)")
_DAY_WORDS = frozenset(
    word
    for locale in LOCALES
    for word in locale.day_words
    if " " not in word and (len(word) > 1 or not word.isascii())
)
"""The day words of the languages `locales` reads (one-letter abbreviations such as ``d`` left
out): "100 days", "100 Tage", "#100DiasDeCodigo" name a challenge."""


def _names_challenge(line: str) -> bool:
    """Whether a line names a challenge by its days: "100 days", "#66DaysOfData", "30日"."""
    for match in _CHALLENGE_COUNT.finditer(line[:_HEADING_LIMIT]):
        word = match.group(2)
        folded = word.casefold()
        if folded in _DAY_WORDS:
            return True
        # A hashtag's words run together, each capitalised: "100DaysOfCode", "100DiasDeCodigo".
        for cut in range(2, min(len(word), 8)):
            if word[cut].isupper() and folded[:cut] in _DAY_WORDS:
                return True
    return False


_MIN_LIST_ITEMS = 2
"""The fewest items an ordered list needs to be read as a log."""


def _list_markers(tokens: list[Token], lines: list[str]) -> list[Marker]:
    """Read a bare ordered list as the log: only when the text introducing it names a challenge.

    ``1. factorial`` .. ``29. ansi`` right under "I will do a little bit of Rust programming
    everyday for 100 days.": the items are the days when nothing else marks entries, the
    paragraph just above the list (or the heading right above it) names a challenge by its days
    ("100 days", "#66DaysOfData"), and the list counts up from 1. The longest such list is the
    log; an ordered list introduced by anything else ("Links to my work:") is not.
    """
    best: list[Marker] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.type != "ordered_list_open" or token.level or not token.map:
            continue
        items: list[Marker] | None = [] if _introduced(lines, token.map[0]) else None
        depth = token.level + 1
        while index < len(tokens) and not (
            tokens[index].type == "ordered_list_close" and tokens[index].level == token.level
        ):
            item = tokens[index]
            index += 1
            if items is None or item.type != "list_item_open" or item.level != depth:
                continue
            if item.info != str(len(items) + 1) or not item.map:
                items = None  # not counting 1, 2, 3...: not a log
                continue
            items.append(_list_item(lines, item))
        if items is not None and len(items) >= _MIN_LIST_ITEMS and len(items) > len(best):
            best = items
    return best


_INTRODUCTION_LINES = 12
"""How many lines of the paragraph above a list are looked at for a challenge's name."""


def _introduced(lines: list[str], begin: int) -> bool:
    """Whether the block right above a line (a paragraph, or a heading) names a challenge."""
    number = begin - 1
    while number >= 0 and not lines[number].strip():
        number -= 1
    if number >= 0 and lines[number].lstrip().startswith("#"):
        return _names_challenge(lines[number])
    stop = max(number - _INTRODUCTION_LINES, -1)
    while number > stop and lines[number].strip() and not lines[number].lstrip().startswith("#"):
        if _names_challenge(lines[number]):
            return True
        number -= 1
    return False


def _list_item(lines: list[str], item: Token) -> Marker:
    """Return a list item as an entry numbered by its item number; its lines are its text."""
    begin, end = item.map or (0, 0)
    first = _ITEM_NUMBER.sub("", lines[begin], count=1).strip()
    text = [first, *(line.strip() for line in lines[begin + 1 : end] if line.strip())]
    number = int(item.info)
    return Marker(
        line=begin,
        heading=f"{number}. {first}"[:_HEADING_LIMIT],
        body_from=begin + 1,
        days=(number,),
        own_text="\n".join(text),
        row=True,
    )


_ITEM_NUMBER = re.compile(r"^[ \t]*+\d{1,9}+[.)][ \t]*+")


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

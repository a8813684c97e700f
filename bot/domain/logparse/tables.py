"""Logs kept as a table: Markdown tables and TAB-separated rows, one row a day.

The day column is found from what its cells say (day numbers, in any language, that mostly rise
or fall), the date column likewise; the header is only a hint. A row's other cells are its text,
a status mark (``✅``, ``⬜``, ``🔄``) saying how the day went. What is read is bounded: the first
`_COLUMNS_LOOKED_AT` columns of the first `_ROWS_LOOKED_AT` rows decide, and a line of more
than `_MAX_TAB_CELLS` TABs is no row (`structure` bounds the pipes markdown-it sees).
`structure` calls this when neither headings (`headings`) nor plain lines (`lines`) mark the
entries; `lists` is the last reading after it.
"""

from __future__ import annotations

import re
from itertools import pairwise

from markdown_it.token import Token

from bot.domain.logparse.dates import find_dates, is_date_only
from bot.domain.logparse.markers import EMPHASIS, Marker, inline_text, mostly_monotone
from bot.domain.logparse.phrases import BR
from bot.domain.logparse.vocabulary import DAY_CELL, DAY_COLUMN, day_token

_Row = tuple[int, list[str], list[str]]
"""A table row: its line, its cells as text, and its cells as written (for the entry's text)."""
_COLUMNS_LOOKED_AT = 4
"""How many of a table's first columns may be its day or date column."""
_ROWS_LOOKED_AT = 60
"""How many rows decide which column numbers the days and which dates them."""
_MAX_TAB_CELLS = 64
"""A line with more TABs than this is not read as a row (as `structure` bounds pipes)."""


def table_markers(tokens: list[Token]) -> list[Marker]:
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
                cells.append(inline_text(token))
                raw.append(token.content)
            elif token.type == "tr_close":
                rows.append((row_line, cells, raw))
            index += 1
        markers.extend(_rows_to_markers(rows))
    return markers


def tab_markers(lines: list[str], skipped: bytearray) -> list[Marker]:
    """Read rows separated by TABs (``001<TAB>Python - Lists…<TAB>✅``) as a table's rows.

    A run of lines that each hold a TAB is a table: its first line the header, as Markdown's.
    """
    markers: list[Marker] = []
    rows: list[_Row] = []
    for number, line in enumerate(lines):
        tabs = line.count("\t")
        if not skipped[number] and 0 < tabs <= _MAX_TAB_CELLS and line.strip():
            cells = [cell.strip() for cell in line.split("\t")]
            rows.append((number, [EMPHASIS.sub("", cell) for cell in cells], cells))
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
    undated = date_column is None and not _hinted(header, day_column)
    if undated and not _counts(_numbers(body, day_column)[1]):
        return []  # undated numbers that jump are not days (a README's "100, 100, 66")
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
        written, numbers = _numbers(body, column)
        if not numbers or 2 * len(numbers) <= len(written):
            continue
        if _hinted(header, column) or mostly_monotone(numbers):
            return column
    return None


def _numbers(body: list[_Row], column: int) -> tuple[list[str], list[int]]:
    """Return a column's written cells (of the rows looked at) and the day numbers among them."""
    written = [
        cells[column].strip()
        for _, cells, _ in body[:_ROWS_LOOKED_AT]
        if column < len(cells) and cells[column].strip()
    ]
    return written, [days[0] for days in map(_day_cell, written) if days is not None]


def _hinted(header: list[str], column: int) -> bool:
    """Whether a column's header says it numbers the days ("Day", "#", "No.")."""
    return column < len(header) and bool(DAY_COLUMN.search(header[column]))


def _counts(numbers: list[int]) -> bool:
    """Whether numbers count days, row by row: half the steps or more go a few days on or back.

    A day's extra rows repeat its number (``24``, ``24e``) and a log may skip a day (``02``,
    ``04``); a table of other numbers (a README's "100, 100, 66" days per challenge, prices,
    scores) jumps.
    """
    steps = [abs(b - a) for a, b in pairwise(numbers) if b != a]
    return bool(steps) and 2 * sum(step <= _DAY_STEP for step in steps) >= len(steps)


_DAY_STEP = 3
"""The largest step between rows that still counts days (a weekend skipped)."""


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

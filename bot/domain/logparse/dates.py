"""Dates as a log writes them: finding them in a heading or a line, and writing one.

A heading or a line yields date pieces (`find_dates`): month-name phrases (``Sep 5,Sep 6 2018``,
``24 November, 2018``, ``July 20-21, 2018``) and numeric ones (``09-07-2018``, ``12-19/7/22``,
``22/6 - 8/7``); only the first 120 characters are searched. A piece may lack its year (the
module `years` places it), and a numeric piece keeps its parts as written until the file decides,
once, whether ``NN/NN`` is day-first (`decide_dayfirst`). A year is read as written: a date in a
year outside `YEARS` (``0001-01-01``) is unreadable, never moved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from bot.domain.logparse.vocabulary import (
    CLOCK_TIME,
    COMPACT,
    DASHED,
    MONTHS,
    PHRASE_TOKEN,
    SLASHED,
    TIME_RANGE,
    TIME_WORDS,
    WEEKDAY_WORD,
    WEEKDAYS,
)

_SENTINEL_YEAR = 4
"""The year a date without one is checked against: a leap year, so "Feb 29" stays readable."""
YEARS = range(1970, 2101)
"""The years a log's date may have; a date in any other year is unreadable (a warning)."""
_DATE_TEXT_LIMIT = 120
"""How much of a heading or line is searched for dates: a date comes early, and the bound
keeps a hostile heading (thousands of dates on one line) from costing more than a real one."""


# ------------------------------------------------------------------------------------------
# Dates as written
# ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Piece:
    """One date as written: a year may be missing until the file's context supplies it."""

    year: int | None
    month: int
    day: int


@dataclass(slots=True)
class Span:
    """A date or a range of dates ("July 20-21"); `end` is None for a single date."""

    start: Piece
    end: Piece | None = None


@dataclass(slots=True)
class Numeric:
    """A numeric date whose day/month order is decided per file: parts as written."""

    first: int
    second: int
    year: int | None
    text: str


@dataclass(slots=True)
class NumericSpan:
    """A numeric date or range (``12-19/7/22``), read day- or month-first once the file decides."""

    start: Numeric
    end: Numeric | None = None


def _piece(year: int | None, month: int, day: int) -> Piece | None:
    """Return a date as written, or None when there is no such day or the year is implausible.

    A year is taken as written: `0001` is the year 1, never "corrected" to 2001, and a year
    outside YEARS makes the date unreadable rather than moving a member's start decades back.
    """
    if year is not None and year not in YEARS:
        return None
    try:
        # The sentinel is a leap year: "Feb 29" without a year is a date until a year is known.
        date(year if year is not None else _SENTINEL_YEAR, month, day)
    except ValueError:
        return None
    return Piece(year=year, month=month, day=day)


def _year(written: str) -> int:
    """Return a year as written; only a two-digit (or shorter) year is taken as 20YY."""
    value = int(written)
    return value + 2000 if len(written) <= 2 else value


@dataclass(slots=True)
class Found:
    """The dates found in a piece of text, and what else it said about them."""

    spans: list[Span] = field(default_factory=list)
    numeric: list[NumericSpan] = field(default_factory=list)
    weekdays: list[int] = field(default_factory=list)
    consumed: list[tuple[int, int]] = field(default_factory=list)
    """Character ranges of the text that were dates."""
    unreadable: bool = False
    """Something shaped like a date was found that is not one (an impossible year or day)."""

    def __bool__(self) -> bool:
        return bool(self.spans or self.numeric or self.unreadable)


# ------------------------------------------------------------------------------------------
# Finding dates in a heading or a line
# ------------------------------------------------------------------------------------------


def find_dates(text: str) -> Found:
    """Find the dates of a heading or date line: month-name phrases first, else numeric ones."""
    text = COMPACT.sub(r"\1 \2 \3", text[:_DATE_TEXT_LIMIT])
    found = _month_phrase(text)
    if found:
        return found
    for match in DASHED.finditer(text):
        written = match.group(1).split("-")
        parts = [int(part) for part in written]
        found.consumed.append(match.span())
        if len(written[0]) == 4:  # ISO: year first, no ambiguity (0001-01-01 is the year 1)
            read = _piece(parts[0], parts[1], parts[2])
            if read is None:
                found.unreadable = True
            else:
                found.spans.append(Span(read))
            continue
        piece = Numeric(parts[0], parts[1], _year(written[2]), match.group(1))
        found.numeric.append(NumericSpan(piece))
    if found:
        _collect_weekdays(text, found)
        return found
    for match in SLASHED.finditer(text):
        span = _numeric_span(match)
        if span is None:
            continue
        if span is _UNREADABLE:
            found.unreadable = True
            found.consumed.append(match.span())
        elif isinstance(span, Span):
            found.spans.append(span)
        else:
            found.numeric.append(span)
        found.consumed.append(match.span())
    _collect_weekdays(text, found)
    return found


def _collect_weekdays(text: str, found: Found) -> None:
    for match in WEEKDAY_WORD.finditer(text):
        found.weekdays.append(WEEKDAYS.index(match.group(0)[:3].lower()))


_UNREADABLE = Span(Piece(None, 1, 1))
"""What `_numeric_span` returns for a date in an impossible year (a marker, compared by id)."""


def _numeric_span(match: re.Match[str]) -> Span | NumericSpan | None:
    """Turn `12-19/7/22`, `31/1-2/2 2022`, `2019/6/21` or `23/01/2022` into a span."""
    a, b, trailing_year = match.group("a"), match.group("b"), match.group("y")
    if "/" not in a + (b or "") and a.count(".") != 2:
        return None  # "3.11" or "1.5" is a version or a number; a dotted date has 3 parts
    written = re.split(r"[/.]", a)
    first = [int(part) for part in written]
    if len(first) == 3 and len(written[0]) == 4:  # 2019/6/21: year first (0001/1/1: the year 1)
        read = _piece(first[0], first[1], first[2])
        return Span(read) if read is not None else _UNREADABLE
    written_end = re.split(r"[/.]", b) if b else []
    second = [int(part) for part in written_end]
    year = _year(trailing_year) if trailing_year else None
    end: Numeric | None = None
    if second:
        if len(second) == 1:
            second = [second[0], first[1]] if len(first) >= 2 else []
            if not second:
                return None
        end_year = _year(written_end[2]) if len(second) == 3 else year
        end = Numeric(second[0], second[1], end_year, b or "")
        if len(first) == 1:  # 12-19/7/22: the start borrows the end's month and year
            first = [first[0], second[1]]
        start_year = _year(written[2]) if len(first) == 3 else end_year
        start = Numeric(first[0], first[1], start_year, a)
        return NumericSpan(start, end)
    if len(first) < 2:
        return None
    start_year = _year(written[2]) if len(first) == 3 else year
    return NumericSpan(Numeric(first[0], first[1], start_year, a))


def _month_phrase(text: str) -> Found:
    """Read month-name dates: lists, ranges, day-before-month, a year closing the phrase."""
    found = Found()
    # Each item: [month word or None, day, year or None, joined to the previous by a range].
    items: list[list[object]] = []
    pending: list[tuple[int, bool]] = []  # day numbers written before their month ("24 Nov")
    month: str | None = None
    joined_by_range = False
    year_closed = False
    begin: int | None = None
    last_end = 0
    for match in PHRASE_TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group(0)
        if kind == "month":
            begin = match.start() if begin is None else begin
            month = value.rstrip(".")
            for number, ranged in pending:
                items.append([month, number, None, ranged])
            pending.clear()
            year_closed = False
            last_end = match.end()
        elif kind == "num":
            number = int(value.rstrip(".stndrhSTNDRH"))
            if month is not None and not year_closed:
                items.append([month, number, None, joined_by_range and bool(items)])
                last_end = match.end()
            elif items and year_closed:
                pending = [(number, False)]
            else:
                begin = match.start() if begin is None else begin
                pending.append((number, joined_by_range and bool(pending)))
            joined_by_range = False
        elif kind == "year":
            if not items:
                pending.clear()
                continue
            for item in items:
                if item[2] is None:
                    item[2] = int(value)
            year_closed = True
            last_end = match.end()
        elif kind == "weekday":
            found.weekdays.append(WEEKDAYS.index(value[:3].lower()))
        elif kind == "range":
            joined_by_range = True
        elif kind == "list":
            joined_by_range = False
        elif kind == "other":
            if items:
                break
            pending.clear()
            begin = None
            month = None  # "May the 4th": a month word, then prose, is not a date
    for item in items:
        word, number, year = str(item[0]), int(str(item[1])), item[2]
        piece = _piece(year if isinstance(year, int) else None, _month_number(word), number)
        if piece is None:
            found.unreadable = found.unreadable or (year is not None and year not in YEARS)
            continue
        if item[3] and found.spans and found.spans[-1].end is None:
            found.spans[-1].end = piece
        else:
            found.spans.append(Span(piece))
    if (found.spans or found.unreadable) and begin is not None:
        found.consumed.append((begin, last_end))
    return found


def _month_number(word: str) -> int:
    """Return the month a month word names (1-12): its first three letters decide."""
    return MONTHS.index(word[:3].lower()) + 1


# ------------------------------------------------------------------------------------------
# Day-first or month-first, once per file
# ------------------------------------------------------------------------------------------


def decide_dayfirst(numeric: Iterable[Numeric]) -> tuple[bool, bool]:
    """Decide once per file whether NN/NN is day-first; return (dayfirst, it was ambiguous)."""
    pieces = list(numeric)
    if not pieces:
        return True, False
    day_first_only = sum(piece.first > 12 >= piece.second for piece in pieces)
    month_first_only = sum(piece.second > 12 >= piece.first for piece in pieces)
    if day_first_only != month_first_only:
        return day_first_only > month_first_only, False

    def backwards(dayfirst: bool) -> int:
        ordinals = []
        for piece in pieces:
            day, month = (piece.first, piece.second) if dayfirst else (piece.second, piece.first)
            ordinals.append(((piece.year or 0) % 100, month, day))
        return sum(later < earlier for earlier, later in pairwise(ordinals))

    forward, backward = backwards(True), backwards(False)
    if forward != backward:
        return forward < backward, True
    return True, True


def resolve_numeric(piece: Numeric, dayfirst: bool) -> Piece | None:
    """Return a numeric date read day-first or month-first, or None if it is no date."""
    day, month = (piece.first, piece.second) if dayfirst else (piece.second, piece.first)
    if not 1 <= month <= 12:
        return None
    return _piece(piece.year, month, day)


# ------------------------------------------------------------------------------------------
# A line that is only a date
# ------------------------------------------------------------------------------------------

_DATE_LINE_LIMIT = 3
"""How many leftover words a line may have and still be "a date line" (weekday, "at", ...)."""


def is_date_only(text: str, *, strict: bool = False) -> Found | None:
    """Return the dates of a heading or line that says nothing but a date (and a weekday).

    A heading may have a few words more ("## Monday, July 20, 2020 (break)"); a `strict` line
    under a heading may only add a time ("09-07-2018 , 23:37"), or it would be the entry's text.
    """
    found = find_dates(text)
    if not found:
        return None
    # Cut the dates out in one pass (one slice per date, not one copy of the text per date).
    kept: list[str] = []
    cut = 0
    for begin, end in sorted(found.consumed):
        kept.append(text[cut : max(cut, begin)])
        cut = max(cut, end)
    kept.append(text[cut:])
    rest = " ".join(kept)
    rest = WEEKDAY_WORD.sub(" ", rest)
    rest = TIME_RANGE.sub(" ", rest)
    rest = CLOCK_TIME.sub(" ", rest)
    words = re.findall(r"[^\W\d_]{2,}", rest)
    if strict:
        words = [word for word in words if word.casefold() not in TIME_WORDS]
        return found if not words else None
    return found if len(words) <= _DATE_LINE_LIMIT else None


# ------------------------------------------------------------------------------------------
# Writing a date
# ------------------------------------------------------------------------------------------


def long_date(day: date) -> str:
    """Return a day as a log writes it: 'March 2, 2026'."""
    return f"{day:%B} {day.day}, {day.year}"

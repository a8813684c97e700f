"""Dates as a log writes them: finding them in a heading or a line, and placing them in years.

A heading or a line yields date pieces (`find_dates`): month-name phrases (``Sep 5,Sep 6 2018``,
``24 November, 2018``, ``July 20-21, 2018``) and numeric ones (``09-07-2018``, ``12-19/7/22``,
``22/6 - 8/7``); only the first 120 characters are searched. Whether ``NN/NN`` is day-first is
decided once per file (`decide_dayfirst`). A date without a year takes it from the entry before
it, else from the year the caller gives, else from the file's header (`resolve_dates`); entries
without any date may be placed from a start date and their day numbers (`date_from_start`). A
year is read as written: a date in a year outside `YEARS` (``0001-01-01``) is unreadable, never
moved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from bot.domain.logparse.checks import (
    DatedFromStart,
    ParseWarning,
    UndatedEntries,
    UnreadableDate,
    UnreadableDateRange,
    YearsBorrowed,
)
from bot.domain.logparse.vocabulary import (
    COMPACT,
    DASHED,
    HEADER_START,
    MONTHS,
    PHRASE_TOKEN,
    SLASHED,
    TIME_RANGE,
    TIME_WORDS,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
)

_SENTINEL_YEAR = 4
"""The year a date without one is checked against: a leap year, so "Feb 29" stays readable."""
YEARS = range(1970, 2101)
"""The years a log's date may have; a date in any other year is unreadable (a warning)."""
_DATE_TEXT_LIMIT = 120
"""How much of a heading or line is searched for dates: a date comes early, and the bound
keeps a hostile heading (thousands of dates on one line) from costing more than a real one."""


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
    for match in re.finditer(rf"\b(?:{WEEKDAY})\b", text, re.IGNORECASE):
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


def _resolve_numeric(piece: Numeric, dayfirst: bool) -> Piece | None:
    day, month = (piece.first, piece.second) if dayfirst else (piece.second, piece.first)
    if not 1 <= month <= 12:
        return None
    return _piece(piece.year, month, day)


_DATE_LINE_LIMIT = 3
"""How many leftover words a line may have and still be "a date line" (weekday, "at", ...)."""
_MAX_DATE_SPAN = 62
"""The most days one entry's date range may cover; a longer one is a misreading."""


# ------------------------------------------------------------------------------------------
# Reading: the dates a heading or a line says
# ------------------------------------------------------------------------------------------


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
    rest = re.sub(rf"\b(?:{WEEKDAY})\b", " ", rest, flags=re.IGNORECASE)
    rest = TIME_RANGE.sub(" ", rest)
    rest = re.sub(r"\b\d{1,2}:\d{2}\b", " ", rest)
    words = re.findall(r"[^\W\d_]{2,}", rest)
    if strict:
        words = [word for word in words if word.casefold() not in TIME_WORDS]
        return found if not words else None
    return found if len(words) <= _DATE_LINE_LIMIT else None


# ------------------------------------------------------------------------------------------
# Placing: years, order and the dates of undated entries
# ------------------------------------------------------------------------------------------


def header_year(header: list[str]) -> int | None:
    """Return the first year a header names (links left out), for dates that lack one."""
    for line in header:
        match = YEAR.search(re.sub(r"https?://\S+", " ", line))
        if match:
            return int(match.group(1))
    return None


def header_start(header: list[str]) -> date | None:
    """Return the start date a header states ("Started on July 17, Monday, 2017.")."""
    for line in header:
        for match in HEADER_START.finditer(line):
            found = find_dates(line[match.end() : match.end() + 60])
            if found.spans and found.spans[0].start.year is not None:
                piece = found.spans[0].start
                return date(piece.year or 0, piece.month, piece.day)
    return None


def resolve_dates(
    found: Sequence[Found],
    places: Sequence[tuple[int, str]],
    dayfirst: bool,
    year: int | None,
    header_year: int | None,
    warnings: list[ParseWarning],
) -> tuple[list[list[date]], bool]:
    """Return each entry's dates from what it says, and whether the file runs newest first.

    `places` gives each entry's line (1-based) and heading, for the warnings.
    """
    spans_of: list[list[Span]] = []
    for said in found:
        spans = list(said.spans)
        for numeric in said.numeric:
            start = _resolve_numeric(numeric.start, dayfirst)
            end = _resolve_numeric(numeric.end, dayfirst) if numeric.end else None
            if start is not None:
                spans.append(Span(start, end))
        spans_of.append(spans)
    known = [
        date(span.start.year, span.start.month, span.start.day)
        for spans in spans_of
        for span in spans[:1]
        if span.start.year is not None
    ]
    steps = list(pairwise(known))
    reverse = sum(b < a for a, b in steps) > sum(b > a for a, b in steps)
    anchor = year or header_year
    borrowed = 0
    previous: date | None = None
    dates_of: list[list[date]] = [[] for _ in found]
    order = range(len(found) - 1, -1, -1) if reverse else range(len(found))
    for index in order:
        days: list[date] = []
        for span in spans_of[index]:
            first, borrowed_now = _place(span.start, previous, anchor)
            borrowed += borrowed_now
            if first is None:
                continue
            if span.end is None:
                days.append(first)
            else:
                last, _ = _place(span.end, first, None)
                if last is None or not 0 <= (last - first).days <= _MAX_DATE_SPAN:
                    days.append(first)
                    warnings.append(UnreadableDateRange(*places[index]))
                else:
                    days.extend(first + timedelta(days=n) for n in range((last - first).days + 1))
            previous = days[-1] if days else previous
        dates_of[index] = sorted(set(days))
        if not days and found[index]:
            warnings.append(UnreadableDate(*places[index]))
    if borrowed:
        warnings.append(YearsBorrowed(borrowed))
    return dates_of, reverse


def _place(piece: Piece, previous: date | None, anchor: int | None) -> tuple[date | None, int]:
    """Return a piece as a date, borrowing a missing year from the entry before it."""
    if piece.year is not None:
        try:
            return date(piece.year, piece.month, piece.day), 0
        except ValueError:
            return None, 0
    base = previous.year if previous is not None else anchor
    if base is None:
        return None, 0
    for candidate_year in (base, base + 1):
        try:
            candidate = date(candidate_year, piece.month, piece.day)
        except ValueError:
            continue
        # A date far before the previous one has rolled into the next year (Dec -> Jan).
        if previous is None or candidate >= previous - timedelta(days=120):
            return candidate, 1
    return None, 0


def date_from_start(
    days_of: Sequence[tuple[int, ...]],
    start: date | None,
    given: bool,
    warnings: list[ParseWarning],
) -> list[list[date] | None]:
    """Return undated entries' dates from a start date (Day N is start + N - 1); None: none."""
    if start is None:
        numbered = any(days_of)
        warnings.append(UndatedEntries(len(days_of), numbered=numbered))
        return [None] * len(days_of)
    placed = 0
    dated: list[list[date] | None] = []
    for days in days_of:
        if not days:
            dated.append(None)
            continue
        try:
            dated.append([start + timedelta(days=day - 1) for day in days])
        except OverflowError:  # a start near the end of the calendar
            dated.append(None)
            continue
        placed += 1
    warnings.append(DatedFromStart(placed, start, given=given))
    return dated


def long_date(day: date) -> str:
    """Return a day as a log writes it: 'March 2, 2026'."""
    return f"{day:%B} {day.day}, {day.year}"

"""Placing a log's dates in years and in order, and dating entries that give no date.

A date without a year takes it from the entry before it (a date far before that one has rolled
into the next year), else from the year the caller gives, else from the first year the file's
header names; the file runs newest first when more of its dated steps go back than forward
(`resolve_dates`). Entries without any date are placed from a start date by their day numbers,
Day N on start + N - 1 (`date_from_start`); the start is the caller's or the header's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
from bot.domain.logparse.dates import Found, Piece, Span, find_dates, resolve_numeric
from bot.domain.logparse.vocabulary import HEADER_START, YEAR

_MAX_DATE_SPAN = 62
"""The most days one entry's date range may cover; a longer one is a misreading."""


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
            start = resolve_numeric(numeric.start, dayfirst)
            end = resolve_numeric(numeric.end, dayfirst) if numeric.end else None
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

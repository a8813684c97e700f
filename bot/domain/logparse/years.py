"""Placing a log's dates in years and in order, and dating entries that give no date.

A date without a year takes it from the entry before it (a date far before that one has rolled
into the next year), else from the year the caller gives, else from the first year the file's
header names; the file runs newest first when more of its dated steps go back than forward
(`resolve_dates`). Entries without any date are placed from a start date by their day numbers,
Day N on start + N - 1 (`date_from_start`); the start is the caller's or the header's, and
Day 0 stays undated.

When no date names a year, the weekdays may (`_year_from_weekdays`); a written year far from its
neighbours' is not carried, and a run of entries whose year breaks an otherwise rising log is
moved to its neighbours' year with a warning (`_correct_years`). A day is never moved by its
weekday.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence, Set
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise

from bot.domain.logparse.checks import (
    DatedFromStart,
    DayZeroUndated,
    MonthGuessed,
    NoSuchDate,
    ParseWarning,
    UndatedEntries,
    UnreadableDate,
    UnreadableDateRange,
    YearCorrected,
    YearFromWeekdays,
    YearMissing,
    YearsBorrowed,
    YearSource,
)
from bot.domain.logparse.dates import Found, Piece, Span, find_dates, resolve_numeric
from bot.domain.logparse.locales import fold
from bot.domain.logparse.vocabulary import HEADER_START, YEAR, guess_month

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


_WEEKDAY_YEARS = range(2010, 2038)
"""The years a log's weekdays may pin when it names none: one full 28-year cycle of the
Gregorian calendar's weekdays, from a little before the first public challenge logs (2016)."""
_MAX_YEAR_GAP = 1
"""How far (in years) a written year may stand from its neighbours' and still be carried."""


@dataclass(frozen=True, slots=True)
class _Said:
    """One entry as `resolve_dates` reads it: its spans, first weekday and day numbers."""

    spans: list[Span]
    weekday: int | None
    days: tuple[int, ...]
    line: int
    heading: str


def resolve_dates(
    found: Sequence[Found],
    places: Sequence[tuple[int, str]],
    days_of: Sequence[tuple[int, ...]],
    dayfirst: bool,
    year: int | None,
    header_year: int | None,
    named_years: Set[int],
    warnings: list[ParseWarning],
) -> tuple[list[list[date]], bool]:
    """Return each entry's dates from what it says, and whether the file runs newest first.

    `places` gives each entry's line (1-based) and heading, for the warnings; `days_of` its
    day numbers; `named_years` every year the file writes anywhere (links too). A year is
    placed as a careful reader would: `year` (the caller's) first; else the header's; else,
    when no date has a year, the one year its weekdays fit (`_year_from_weekdays`). A written
    year far from its neighbours' is not carried to the next entries, and a run of entries
    whose year breaks an otherwise rising log is moved to its neighbours' year
    (`_correct_years`).
    """
    said: list[_Said] = []
    for index, one in enumerate(found):
        spans = list(one.spans)
        for numeric in one.numeric:
            start = resolve_numeric(numeric.start, dayfirst)
            end = resolve_numeric(numeric.end, dayfirst) if numeric.end else None
            if start is not None:
                spans.append(Span(start, end))
        weekday = one.weekdays[0] if one.weekdays else None
        said.append(_Said(spans, weekday, days_of[index], *places[index]))
    written = [
        (index, date(item.spans[0].start.year, item.spans[0].start.month, item.spans[0].start.day))
        for index, item in enumerate(said)
        if item.spans and item.spans[0].start.year is not None
    ]
    steps = list(pairwise(day for _, day in written))
    reverse = sum(b < a for a, b in steps) > sum(b > a for a, b in steps)
    order = range(len(said) - 1, -1, -1) if reverse else range(len(said))
    for index, one in enumerate(found):
        for written_word in one.guessed:
            guessed = guess_month(fold(written_word))
            if guessed is not None:
                warnings.append(MonthGuessed(places[index][0], written_word, guessed.month))
    anchor = year or header_year
    source = YearSource.GIVEN if year else YearSource.HEADER
    weekdays_warned = len(warnings)
    if year is None and not written:
        anchor = _year_from_weekdays(said, order, header_year, named_years, warnings)
    from_weekdays = len(warnings) > weekdays_warned  # the weekdays chose `anchor`
    far = _far_years(written)
    # Entries before the first dated one with a year take it from that one, when nothing else
    # gives a year: "Día 1 - 13 de abril" ... "Día 4 - 16 de abril de 2021" is 2021.
    ahead: date | None = None
    if anchor is None and written:
        ahead = written[-1][1] if reverse else written[0][1]
    # Which year a borrowed date's year traces back to: one written in the log (carried from
    # entry to entry), or the anchor (the year given, the header's, the weekdays'). Each says
    # its own sentence, and the weekdays' sentence covers every date it placed.
    borrowed = {YearSource.NEIGHBOURS: 0, source: 0}
    previous: date | None = None
    previous_from_anchor = False
    dates_of: list[list[date]] = [[] for _ in said]
    for index in order:
        days: list[date] = []
        for span in said[index].spans:
            if span.start.year is None and previous is None and ahead is not None:
                first, from_previous = _place_before(span.start, ahead), False
                from_anchor = False
            else:
                first, from_previous = _place(span.start, previous, anchor, year)
                from_anchor = previous_from_anchor if from_previous else True
            if first is None:
                continue
            if span.start.year is None:
                borrowed[source if from_anchor else YearSource.NEIGHBOURS] += 1
            else:
                from_anchor = False
            if span.end is None:
                days.append(first)
            else:
                last, _ = _place(span.end, first, None, None)
                if last is None or not 0 <= (last - first).days <= _MAX_DATE_SPAN:
                    days.append(first)
                    warnings.append(UnreadableDateRange(*places[index]))
                else:
                    days.extend(first + timedelta(days=n) for n in range((last - first).days + 1))
            if days and index not in far:
                previous = days[-1]
                previous_from_anchor = from_anchor
        dates_of[index] = sorted(set(days))
        for piece in found[index].impossible:
            warnings.append(NoSuchDate(*places[index], piece.year, piece.month, piece.day))
        if not days and found[index] and not found[index].impossible:
            # A date read whole but for its year is not "unreadable": the member can give one.
            spans = said[index].spans
            if spans and all(span.start.year is None for span in spans) and anchor is None:
                warnings.append(YearMissing(*places[index]))
            else:
                warnings.append(UnreadableDate(*places[index]))
    if from_weekdays:
        _weekdays_until(warnings, weekdays_warned, dates_of)
    else:
        for where, count in borrowed.items():
            if count:
                year_named = anchor if where is not YearSource.NEIGHBOURS else None
                warnings.append(YearsBorrowed(count, where, year_named))
    _correct_years(dates_of, said, list(order), warnings)
    return dates_of, reverse


def _weekdays_until(
    warnings: list[ParseWarning], at: int, dates_of: Sequence[Sequence[date]]
) -> None:
    """Say in the weekdays' warning (at `at`) the last year its dates reach, past a New Year."""
    warning = warnings[at]
    last = max((days[-1] for days in dates_of if days), default=None)
    if isinstance(warning, YearFromWeekdays) and last is not None and last.year != warning.year:
        warnings[at] = replace(warning, until=last.year)


def _place(
    piece: Piece, previous: date | None, anchor: int | None, given: int | None
) -> tuple[date | None, bool]:
    """Return a piece as a date, and whether a missing year came from the entry before it.

    A year borrowed from the entry before never overrides the year the caller gave (`given`)
    by more than the turn of one year: "a 2050 misread in one heading" is not carried.
    """
    if piece.year is not None:
        try:
            return date(piece.year, piece.month, piece.day), False
        except ValueError:
            return None, False
    if previous is not None and given is not None and abs(previous.year - given) > 1:
        previous = None
    base = previous.year if previous is not None else anchor
    if base is None:
        return None, False
    for candidate_year in (base, base + 1):
        try:
            candidate = date(candidate_year, piece.month, piece.day)
        except ValueError:
            continue
        # A date far before the previous one has rolled into the next year (Dec -> Jan).
        if previous is None or candidate >= previous - timedelta(days=120):
            return candidate, previous is not None
    return None, False


def _place_before(piece: Piece, ahead: date) -> date | None:
    """Return a yearless piece as the latest date on or before `ahead`, the first written one.

    The entries before a log's first written year lead up to it: "December 30" before
    "January 2, 2021" is 2020.
    """
    for candidate_year in (ahead.year, ahead.year - 1):
        try:
            candidate = date(candidate_year, piece.month, piece.day)
        except ValueError:
            continue
        if candidate <= ahead:
            return candidate
    return None


def _far_years(written: list[tuple[int, date]]) -> set[int]:
    """Return the entries whose written year stands far from its neighbours' (not carried).

    Between two written years, one more than a year from both is far; the last one is far
    from the one before it; the first is far only when the two after it agree with each other.
    """
    years = [day.year for _, day in written]

    def apart(a: int, b: int) -> bool:
        return abs(years[a] - years[b]) > _MAX_YEAR_GAP

    far: set[int] = set()
    last = len(years) - 1
    for position, (index, _) in enumerate(written):
        if 0 < position < last:
            is_far = apart(position, position - 1) and apart(position, position + 1)
        elif position == last > 0:
            is_far = apart(position, position - 1)
        else:
            is_far = last >= 2 and apart(0, 1) and not apart(1, 2)
        if is_far:
            far.add(index)
    return far


def _year_from_weekdays(
    said: Sequence[_Said],
    order: Sequence[int],
    header_year: int | None,
    named_years: Set[int],
    warnings: list[ParseWarning],
) -> int | None:
    """Return the year a log's weekdays fit when none of its dates has a year, else the header's.

    ``Day 1: January 1, Wednesday`` with ``February 29, Saturday`` fits only 2020 in
    `_WEEKDAY_YEARS`; when several years fit (``May 2, Friday``: 2014, 2025, 2031) and the file
    names exactly one of them elsewhere (a link's ``?since=2025-05-11``), that one. Otherwise
    the header's year (or none, and the dates stay unread, as before).
    """
    checks = sum(1 for item in said if item.weekday is not None and item.spans)
    if not checks:
        return header_year
    candidates = list(_WEEKDAY_YEARS)
    if header_year is not None and header_year not in _WEEKDAY_YEARS:
        candidates.append(header_year)
    fits = [year for year in candidates if _weekdays_fit(said, order, year)]
    if header_year is not None and header_year in fits:
        return header_year
    named = [year for year in fits if year in named_years]
    if len(fits) == 1 or len(named) == 1:
        chosen = fits[0] if len(fits) == 1 else named[0]
        warnings.append(YearFromWeekdays(chosen, checks, tuple(fits)))
        return chosen
    return header_year


def _weekdays_fit(said: Sequence[_Said], order: Sequence[int], year: int) -> bool:
    """Whether every weekday a log gives falls on its date when the log starts in `year`."""
    previous: date | None = None
    for index in order:
        item = said[index]
        for number, span in enumerate(item.spans):
            first, _ = _place(span.start, previous, year, None)
            if first is None:
                return False  # February 29 in a year without one
            if number == 0 and item.weekday is not None and first.weekday() != item.weekday:
                return False  # most years fail at the first weekday: the check stays cheap
            previous = first
            if span.end is not None:
                last, _ = _place(span.end, first, None, None)
                if last is not None and 0 <= (last - first).days <= _MAX_DATE_SPAN:
                    previous = last
    return True


def _correct_years(
    dates_of: list[list[date]],
    said: Sequence[_Said],
    order: list[int],
    warnings: list[ParseWarning],
) -> None:
    """Move a run of entries whose year breaks an otherwise rising log to its neighbours' year.

    Days 57-66 written "January 2021" between "December 29, 2021" and "April 4, 2022", with
    rising day numbers, are January 2022; a "July 26, 2050" between July 25 and July 27, 2018 is
    2018. Only a run shorter than a third of the dated entries, whose day numbers rise with its
    neighbours', that the year of the entry before or after it puts in order and within two
    months of one of them, and whose weekdays (if any) do not side with the year written, is
    moved; a day is never moved by its weekday.
    """
    dated = [index for index in order if dates_of[index]]
    if len(dated) < 3:
        return
    backbone = _longest_rising([dates_of[index][0] for index in dated])
    position = 0
    while position < len(dated):
        if position in backbone:
            position += 1
            continue
        end = position
        while end < len(dated) and end not in backbone:
            end += 1
        run = dated[position:end]
        before = dated[position - 1] if position > 0 else None
        after = dated[end] if end < len(dated) else None
        if before is not None and len(run) * 3 < len(dated):
            _move_run(dates_of, said, run, before, after, warnings)
        position = end


def _move_run(
    dates_of: list[list[date]],
    said: Sequence[_Said],
    run: list[int],
    before: int,
    after: int | None,
    warnings: list[ParseWarning],
) -> None:
    """Move one run of entries to a neighbour's year if that puts it in order (see above)."""
    numbers = [
        said[index].days for index in [before, *run, *([after] if after is not None else [])]
    ]
    if not all(numbers) or any(b[0] < a[-1] for a, b in pairwise(numbers)):
        return  # no day numbers, or they do not rise: nothing says the order is the truth
    low = dates_of[before][-1]
    high = dates_of[after][0] if after is not None else None
    written = dates_of[run[0]][0].year
    targets = sorted({low.year, *([high.year] if high is not None else [])} - {written})
    for step in (target - written for target in targets):
        moved = [[_shift(day, step) for day in dates_of[index]] for index in run]
        flat = [day for days in moved for day in days]
        if any(day is None for day in flat):
            continue
        fixed = [[day for day in days if day is not None] for days in moved]
        firsts = [days[0] for days in fixed]
        in_order = all(a <= b for a, b in pairwise(firsts))
        if not in_order or firsts[0] < low or (high is not None and fixed[-1][-1] > high):
            continue
        near_low = (firsts[0] - low).days <= _MAX_DATE_SPAN
        if not near_low and (high is None or (high - fixed[-1][-1]).days > _MAX_DATE_SPAN):
            continue  # moved, it would still sit months from both neighbours: not a slip
        if any(
            said[index].weekday is not None
            and dates_of[index][0].weekday() == said[index].weekday
            and days[0].weekday() != said[index].weekday
            for index, days in zip(run, fixed, strict=True)
        ):
            return  # the weekdays side with the year as written
        first = said[run[0]]
        warnings.append(
            YearCorrected(
                line=first.line,
                heading=first.heading,
                entries=len(run),
                written=written,
                year=fixed[0][0].year,
                after=low,
                before=high,
            )
        )
        for index, days in zip(run, fixed, strict=True):
            dates_of[index] = days
        return


def _shift(day: date, years: int) -> date | None:
    """Return the same day `years` later (None for a 29 February that the year lacks)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return None


def _longest_rising(days: list[date]) -> set[int]:
    """Return the positions of a longest non-decreasing subsequence of `days` (n log n).

    Of several equally long ones, the one that keeps the earliest entries: a log is read from
    its start, so a run that breaks it later is the one moved.
    """
    # Longest non-increasing run read backwards = longest non-decreasing forwards; patience
    # sorting keeps the chain that ends latest in what it reads, the earliest entries here.
    keys = [-day.toordinal() for day in reversed(days)]
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(keys)
    for position, key in enumerate(keys):
        slot = bisect_right(tails, key)
        if slot == len(tails):
            tails.append(key)
            tail_at.append(position)
        else:
            tails[slot] = key
            tail_at[slot] = position
        parent[position] = tail_at[slot - 1] if slot > 0 else -1
    chosen: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        chosen.add(len(days) - 1 - position)
        position = parent[position]
    return chosen


def date_from_start(
    days_of: Sequence[tuple[int, ...]],
    places: Sequence[tuple[int, str]],
    start: date | None,
    given: bool,
    warnings: list[ParseWarning],
) -> list[list[date] | None]:
    """Return undated entries' dates from a start date (Day N is start + N - 1); None: none.

    Day 0 (``R1D0 Self-introduction``) is before the challenge's first day: the start says
    nothing about when it was written, so it stays undated, with a warning saying why.
    """
    if start is None:
        numbered = any(days_of)
        warnings.append(UndatedEntries(len(days_of), numbered=numbered))
        return [None] * len(days_of)
    placed = 0
    dated: list[list[date] | None] = []
    for days, place in zip(days_of, places, strict=True):
        counted = [day for day in days if day >= 1]
        if days and not counted:
            warnings.append(DayZeroUndated(*place))
        if not counted:
            dated.append(None)
            continue
        try:
            dated.append([start + timedelta(days=day - 1) for day in counted])
        except OverflowError:  # a start near the end of the calendar
            dated.append(None)
            continue
        placed += 1
    if placed:
        warnings.append(DatedFromStart(placed, start, given=given))
    return dated

"""Headings that hold the days: a day heading over rising dated lines, or the log's period.

An undated day heading whose body opens with rising dated lines that number days (``### R1D1``
then ``12/05/2020 - Día 1 - ...``) is their container, and a date-only heading spanning more
than a month (``## 2025.03.18 ~ 2025.06.26``) is the log's period, whose ``MM.DD:`` lines take
their year from it: in both, the lines (read by `lines`) are the entries. A list of dates inside
a day (a changelog, a schedule, goals weeks apart) stays one entry. `structure` calls this on
the headings `headings` kept.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from itertools import pairwise

from markdown_it.token import Token

from bot.domain.logparse.dates import Found, decide_dayfirst, find_dates, resolve_numeric
from bot.domain.logparse.lines import line_markers, line_topic
from bot.domain.logparse.markers import HEADING_LIMIT, Marker, is_dated, list_item_ends, mark
from bot.domain.logparse.vocabulary import LINE_HEAD, LINE_START

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


def open_containers(
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
            or is_dated(marker)
        ):
            kept.append(marker)
            continue
        if skipped is None:  # built once, for the first heading that may be a container
            skipped = bytearray(hidden)
            for token in tokens:
                if token.type in {"fence", "code_block", "table_open"} and token.map:
                    mark(skipped, token.map)
            item_ends = list_item_ends(tokens)
        contained = _contained(lines, skipped, item_ends, marker.body_from, end, period)
        if not _holds_days(contained, lines, skipped, marker.body_from, period is not None):
            kept.append(marker)
            continue
        hidden[marker.line] = 1
        mark(hidden, [marker.body_from, contained[0].line])
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
    spans = find_dates(marker.date_text[:HEADING_LIMIT]).spans
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
        for marker in line_markers(lines, skipped, item_ends, begin, end)
        if marker.date_text.strip()
    ]
    if period is None:
        return found
    taken = {marker.line for marker in found}
    written: list[tuple[int, str, re.Match[str]]] = []
    for number in range(begin, end):
        if skipped[number] or number in taken:
            continue
        head = LINE_START.sub("", lines[number][:HEADING_LIMIT], count=1)
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
        marker.date_text, marker.own_text = day.isoformat(), line_topic(head[match.end() :])
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

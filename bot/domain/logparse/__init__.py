"""Reading a member's hand-written challenge log: every format in the community's corpus.

A log is a Markdown file kept by hand (RULES.md §4 catalogues the formats; the fixtures are 19
real ones). Reading one happens in four passes over the text, NFKC-normalised so that full-width
digits read as digits:

1. **Markers.** markdown-it-py gives the document's blocks. An entry starts at a heading that
   carries a day token (``Day 4``, ``R4D86-93``, ``Title | Day 4``, `` `Day 01` ``) or is only a
   date (``## 2019/6/21``). A log without such headings is read from plain lines that start with
   a day token or a date, and failing that from a table whose first column numbers the days.
   HTML comments, code blocks, template examples and sub-headings without a token are not
   entries; tables of contents are never read when the log has headings.
2. **Dates.** Each entry's heading (or, failing that, the line under it) yields date pieces:
   month-name phrases (``Sep 5,Sep 6 2018``, ``24 November, 2018``, ``July 20-21, 2018``) and
   numeric ones (``09-07-2018``, ``12-19/7/22``, ``22/6 - 8/7``). This module finds them and
   decides, once per file, whether ``NN/NN`` is day-first, and which year a date without one
   belongs to (its neighbours, the year the user gives, the file's header). A year is read as
   written: a date in a year outside 1970-2100 (``0001-01-01``) is unreadable, never moved.
3. **Entries.** Body text, minutes (``2h40m``, ``1 hour each day``, ``23:45 - 0:45``), tags,
   classified links, and flags: an empty stub or an explicit "no progress" entry exists but does
   not qualify.
4. **Checks.** Conflicts become warnings and flags, never exceptions: duplicate dates and day
   numbers, jumps, a weekday that contradicts its date, a multi-day claim whose counts disagree.

Pure: no I/O, no clock. `summarize_log` runs the engine over what was read.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.domain.content import count_words
from bot.domain.engine import WalkState, advance, summarize
from bot.domain.logparse.checks import (
    NOT_COUNTED,
    AmbiguousDateOrder,
    CountMismatch,
    DatedFromStart,
    DayBack,
    DayJump,
    DayRestart,
    DuplicateDate,
    DuplicateDay,
    EntryFlag,
    LogTooLongError,
    LogTooManyLinesError,
    NewestFirst,
    NotALogError,
    NotALogReason,
    ParseWarning,
    UndatedEntries,
    UnreadableDate,
    UnreadableDateRange,
    WeekdayMismatch,
    YearsBorrowed,
    check_entries,
)
from bot.domain.logparse.dates import YEARS, long_date
from bot.domain.logparse.entries import (
    MAX_BLANK_RUN,
    Draft,
    LogEntry,
    ParsedLog,
    date_drafts,
    finish,
    with_body,
)
from bot.domain.logparse.structure import cut_blank_runs, find_markers, footer, header_round
from bot.domain.logparse.vocabulary import needs_escape
from bot.domain.models import DayFacts
from bot.domain.rules import Rules

__all__ = [
    "MAX_BLANK_RUN",
    "NOT_COUNTED",
    "YEARS",
    "AmbiguousDateOrder",
    "CountMismatch",
    "DatedFromStart",
    "DayBack",
    "DayJump",
    "DayRestart",
    "DuplicateDate",
    "DuplicateDay",
    "EntryFlag",
    "LogEntry",
    "LogStats",
    "LogTooLongError",
    "LogTooManyLinesError",
    "NewestFirst",
    "NotALogError",
    "NotALogReason",
    "ParseWarning",
    "ParsedLog",
    "UndatedEntries",
    "UnreadableDate",
    "UnreadableDateRange",
    "WeekdayMismatch",
    "YearsBorrowed",
    "day_facts",
    "decode_log",
    "long_date",
    "needs_escape",
    "parse_log",
    "summarize_log",
]


def decode_log(data: bytes) -> str:
    """Return a file's text; raise NotALogError for binary or undecodable files."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise NotALogError(NotALogReason.BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotALogError(NotALogReason.NOT_UTF8) from None


def parse_log(
    text: str,
    *,
    year: int | None = None,
    start: date | None = None,
    limit: int | None = None,
    max_lines: int | None = None,
) -> ParsedLog:
    """Read a log; raise NotALogError when it has no entries at all.

    `year` dates entries whose dates lack one when the file gives no other clue; `start` dates
    a log without dates: Day N falls on start + N - 1. With `limit`, a log of more entries
    raises LogTooLongError as soon as its entries are counted, before they are read. With
    `max_lines`, a log of more lines of text (blank lines aside) raises LogTooManyLinesError
    before Markdown is read: the block parser's time and memory grow with the lines.

    Every step is linear in the text (tests/domain/test_logparse_hostile.py holds it to that).
    """
    text, source_line = cut_blank_runs(text.replace("\r\n", "\n").replace("\r", "\n"))
    raw_lines = text.split("\n")
    if max_lines is not None:
        written = sum(1 for line in raw_lines if line and not line.isspace())
        if written > max_lines:
            raise LogTooManyLinesError(written, max_lines)
    lines = [unicodedata.normalize("NFKC", line).replace("\n", " ") for line in raw_lines]
    markers, hidden, outline = find_markers(lines)
    if not markers:
        raise NotALogError(NotALogReason.NO_ENTRIES)
    if limit is not None and len(markers) > limit:
        raise LogTooLongError(len(markers), limit)
    for marker in markers:
        marker.source = source_line(marker.line)
    warnings: list[ParseWarning] = []
    header = [line for number, line in enumerate(lines[: markers[0].line]) if not hidden[number]]
    title = next((line.lstrip("#").strip() for line in header if line.startswith("#")), "")
    round_in_header = header_round(header)
    ends = [marker.line for marker in markers[1:]] + [footer(markers[-1], outline, len(lines))]
    drafts = [
        with_body(Draft(marker, end), raw_lines, lines, hidden, source_line)
        for marker, end in zip(markers, ends, strict=True)
    ]
    reverse = date_drafts(drafts, header, year, start, warnings)
    entries = [finish(draft, round_in_header) for draft in drafts]
    if reverse:
        entries.reverse()
        warnings.append(NewestFirst())
    places = [index for index, entry in enumerate(entries) if entry.dates]
    dated = sorted((entries[index] for index in places), key=lambda entry: entry.dates[0])
    for index, entry in zip(places, dated, strict=True):
        entries[index] = entry
    entries = check_entries(entries, warnings)
    return ParsedLog(
        entries=tuple(entries), warnings=tuple(warnings), title=title, reversed=reverse
    )


# ------------------------------------------------------------------------------------------
# Stats: what the engine makes of a log
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogStats:
    """A log's totals, with the streaks and Day N the engine derives under some rules."""

    entries: int
    days_logged: int
    first_date: date | None
    last_date: date | None
    best_streak: int
    current_streak: int
    day_number: int


def day_facts(entries: Iterable[LogEntry]) -> dict[date, DayFacts]:
    """Return what each logged date holds, as the engine reads days (imported entries)."""
    per_day: dict[date, list[tuple[int | None, int, bool]]] = defaultdict(list)
    for entry in entries:
        if not entry.counts or not entry.dates:
            continue
        share = None if entry.minutes is None else entry.minutes // len(entry.dates)
        words = count_words(entry.text)
        for day in entry.dates:
            per_day[day].append((share, words, bool(entry.links)))
    facts: dict[date, DayFacts] = {}
    for day, items in per_day.items():
        stated = [minutes for minutes, _, _ in items if minutes is not None]
        facts[day] = DayFacts(
            day=day,
            entries=len(items),
            minutes=sum(stated) if stated else None,
            unstated=len(items) - len(stated),
            words=sum(words for _, words, _ in items),
            has_link=any(link for _, _, link in items),
            imported=len(items),
        )
    return facts


def summarize_log(parsed: ParsedLog, rules: Rules, today: date | None = None) -> LogStats:
    """Count a log's days and walk it under `rules` as of `today` (default: its last date)."""
    facts = day_facts(parsed.entries)
    dates = sorted(facts)
    first = dates[0] if dates else None
    last = dates[-1] if dates else None
    best = current = number = 0
    if first is not None:
        until = today or last or first
        if until >= first:
            state, _ = advance(rules, WalkState.start(first), facts, until, today=until)
            summary = summarize(rules, state, until)
            best, current, number = (
                summary.best_streak,
                summary.current_streak,
                summary.day_number,
            )
    return LogStats(
        entries=len(parsed.entries),
        days_logged=len(dates),
        first_date=first,
        last_date=last,
        best_streak=best,
        current_streak=current,
        day_number=number,
    )

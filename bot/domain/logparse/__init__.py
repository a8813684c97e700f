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

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.domain.content import count_words, extract_links, extract_tags
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
from bot.domain.logparse.dates import (
    YEARS,
    Found,
    decide_dayfirst,
    find_dates,
    is_date_only,
    long_date,
)
from bot.domain.logparse.structure import (
    Marker,
    cut_blank_runs,
    find_markers,
    footer,
    header_round,
)
from bot.domain.logparse.vocabulary import (
    DURATION,
    FIELD_LABEL,
    META_LINE,
    NO_PROGRESS_ANYWHERE,
    NO_PROGRESS_OPENING,
    NOTHING,
    PLACEHOLDER,
    PROGRESS_LABEL,
    SEPARATOR_LINE,
    TIME_LABEL,
    TIME_ONLY_LINE,
    TIME_RANGE,
    needs_escape,
    unescape,
)
from bot.domain.logparse.years import (
    date_from_start,
    header_start,
    header_year,
    resolve_dates,
)
from bot.domain.models import DayFacts, Link
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

# ------------------------------------------------------------------------------------------
# The result
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One entry of a log as it was understood."""

    dates: tuple[date, ...]
    day: int | None
    days: tuple[int, ...]
    round: int | None
    heading: str
    text: str
    minutes: int | None
    tags: tuple[str, ...]
    links: tuple[Link, ...]
    flags: frozenset[EntryFlag]
    line: int
    """The 1-based line the entry starts on."""
    attempt: int = 1
    """Which start of the log this entry belongs to; a restart at Day 1 begins the next."""

    @property
    def counts(self) -> bool:
        """Whether the entry is a logged day (not a stub, not a day of no progress)."""
        return not (self.flags & NOT_COUNTED)


@dataclass(frozen=True, slots=True)
class ParsedLog:
    """Every entry of a log in chronological order, and what looked wrong."""

    entries: tuple[LogEntry, ...]
    warnings: tuple[ParseWarning, ...]
    title: str = ""
    reversed: bool = False
    """Whether the file listed its newest entries first."""


# ------------------------------------------------------------------------------------------
# Entries
# ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    marker: Marker
    end: int
    """The line the next entry starts on (the end of this one's body)."""
    body: list[str] = field(default_factory=list)
    found: Found = field(default_factory=Found)
    time_lines: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    flags: set[EntryFlag] = field(default_factory=set)


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
        _with_body(_Draft(marker, end), raw_lines, lines, hidden, source_line)
        for marker, end in zip(markers, ends, strict=True)
    ]
    dayfirst, ambiguous = decide_dayfirst(
        piece
        for draft in drafts
        for span in draft.found.numeric
        for piece in (span.start, span.end)
        if piece is not None
    )
    if ambiguous and any(draft.found.numeric for draft in drafts):
        warnings.append(AmbiguousDateOrder(dayfirst))
    dates_of, reverse = resolve_dates(
        [draft.found for draft in drafts],
        [(draft.marker.source + 1, draft.marker.heading) for draft in drafts],
        dayfirst,
        year,
        header_year(header),
        warnings,
    )
    for draft, dates in zip(drafts, dates_of, strict=True):
        draft.dates = dates
    undated = [draft for draft in drafts if not draft.dates]
    if undated:
        begin = start or header_start(header)
        placed = date_from_start(
            [draft.marker.days for draft in undated], begin, start is not None, warnings
        )
        for draft, dates_from_start in zip(undated, placed, strict=True):
            if dates_from_start is None:
                draft.flags.add(EntryFlag.UNDATED)
            else:
                draft.dates = dates_from_start
                draft.flags.add(EntryFlag.INFERRED_DATE)
    entries = [_finish(draft, round_in_header) for draft in drafts]
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


MAX_BLANK_RUN = 100
"""Blank lines in a row an entry's text keeps beyond the two Markdown reads (more are cut)."""


def _with_body(
    draft: _Draft,
    raw_lines: list[str],
    lines: list[str],
    hidden: bytearray,
    source_line: Callable[[int], int],
) -> _Draft:
    """Collect the entry's body; a heading without a date takes the one on the line below.

    ("### Day 1:" then "09-07-2018 , 23:37"), with time ranges under it ("23:45 - 0:45").
    """
    marker = draft.marker
    draft.found = find_dates(marker.date_text) if marker.date_text.strip() else Found()
    if marker.row:
        draft.body = marker.own_text.split("\n")
        return draft
    if marker.own_text:
        draft.body.append(marker.own_text)
    looked = 0
    dated_below = False  # the date sits on the line under the heading, time ranges after it
    for number in range(marker.body_from, draft.end):
        if hidden[number]:
            continue
        normal = lines[number]
        if not normal.strip():
            if draft.body:
                draft.body.append("")
                # Blank runs were cut to two for Markdown's sake; the member's text keeps them,
                # as one piece of newlines (never a list entry per line), up to a bound: a run
                # of a million blank lines is not something anyone wrote on purpose.
                if number + 1 < len(lines):
                    gap = min(source_line(number + 1) - source_line(number) - 1, MAX_BLANK_RUN)
                    if gap > 0:
                        draft.body.append("\n" * (gap - 1))
            continue
        if looked < 3 and not draft.body:
            if not draft.found:
                found = is_date_only(normal, strict=True)
                if found is not None:
                    draft.found = found
                    draft.time_lines.append(normal)
                    dated_below = True
                    looked += 1
                    continue
            if dated_below and TIME_ONLY_LINE.match(normal):
                draft.time_lines.append(normal)
                looked += 1
                continue
        looked = 3
        draft.body.append(raw_lines[number])
    return draft


def _finish(draft: _Draft, header_round: int | None) -> LogEntry:
    marker = draft.marker
    body = _trim(draft.body)
    meta = "\n".join(line for line in body if META_LINE.match(line))
    kept = _trim([line for line in body if not META_LINE.match(line)])
    text = "\n".join(unescape(line) for line in kept)
    tags = extract_tags(f"{text}\n{meta}")
    flags = set(draft.flags)
    flags |= _content_flags(text)
    dates = tuple(draft.dates)
    multi = len(marker.days) > 1 or len(dates) > 1
    counted_apart = marker.days and dates and len(marker.days) != len(dates)
    if multi and counted_apart and EntryFlag.INFERRED_DATE not in flags:
        flags.add(EntryFlag.COUNT_MISMATCH)
    if draft.found.weekdays and dates and EntryFlag.INFERRED_DATE not in flags:
        pairs = [(draft.found.weekdays[0], dates[0])]
        if len(draft.found.weekdays) > 1:
            pairs.append((draft.found.weekdays[-1], dates[-1]))
        if any(weekday != day.weekday() for weekday, day in pairs):
            flags.add(EntryFlag.WEEKDAY_MISMATCH)
    return LogEntry(
        dates=dates,
        day=marker.days[0] if marker.days else None,
        days=marker.days,
        round=marker.round if marker.round is not None else header_round,
        heading=marker.heading,
        text=text,
        minutes=_minutes(marker.date_text, draft.time_lines, body, len(dates) or 1),
        tags=tags,
        links=extract_links(text, meta),
        flags=frozenset(flags),
        line=marker.source + 1,
    )


def _trim(lines: Sequence[str]) -> list[str]:
    """Drop blank and separator lines at both ends, and trailing spaces."""
    begin, end = 0, len(lines)
    while begin < end and _blank_or_separator(lines[begin]):
        begin += 1
    while end > begin and _blank_or_separator(lines[end - 1]):
        end -= 1
    # A blank piece may stand for a run of blank lines (see `_with_body`): it keeps its newlines.
    return [line.rstrip() if line.strip() else "\n" * line.count("\n") for line in lines[begin:end]]


def _blank_or_separator(line: str) -> bool:
    return not line.strip() or bool(SEPARATOR_LINE.match(line.rstrip()))


def _content_flags(text: str) -> set[EntryFlag]:
    """Flag a stub (nothing but template labels and placeholders) or a day of no progress."""
    content = PLACEHOLDER.sub(" ", unicodedata.normalize("NFKC", text))
    progress: list[str] | None = None
    in_progress = False
    kept: list[str] = []
    for line in content.split("\n"):
        match = FIELD_LABEL.match(line)
        if match is None:
            kept.append(line)
            if in_progress and progress is not None:
                progress.append(line)
            continue
        label = (match.group("label") or match.group("alone") or "").strip()
        value = line[match.end() :].strip(" *_")
        in_progress = bool(PROGRESS_LABEL.match(label)) and progress is None
        if in_progress:
            progress = [value]
        kept.append(value)
    rest = "\n".join(kept)
    if not re.search(r"[^\W\d_]{2,}|[\u3040-\u9fff]", rest) and not any(
        unicodedata.category(char) == "So"
        for char in rest  # an emoji is a post: "✅ 1h"
    ):
        return {EntryFlag.EMPTY}
    said = "\n".join(progress).strip() if progress is not None else rest.strip()
    if NOTHING.match(said) or NO_PROGRESS_OPENING.match(said):
        return {EntryFlag.NO_PROGRESS}
    if NO_PROGRESS_ANYWHERE.search(rest):
        return {EntryFlag.NO_PROGRESS}
    if progress is not None and _single_character(said):
        return {EntryFlag.NO_PROGRESS}  # "**Today's Progress:** S"
    return set()


_ALNUM = re.compile(r"[^\W_]")


def _single_character(text: str) -> bool:
    """Whether a text has exactly one letter or digit (found without listing them all)."""
    first = _ALNUM.search(text)
    return first is not None and _ALNUM.search(text, first.end()) is None


def _minutes(heading_rest: str, time_lines: list[str], body: list[str], days: int) -> int | None:
    """Add up the time an entry states: a heading's "2h40m", time ranges, "Time spent" lines."""
    total = 0
    stated = False
    sources = [heading_rest] + [line for line in body if TIME_LABEL.match(line)]
    for source in sources:
        for match in DURATION.finditer(source):
            minutes = 0.0
            if match.group("h"):
                minutes = float(match.group("h")) * 60 + int(match.group("hm") or 0)
            else:
                minutes = int(match.group("m"))
            if match.group("per"):
                minutes *= days
            if 0 < minutes <= 24 * 60 * max(days, 1):
                total += round(minutes)
                stated = True
    ranges = time_lines + [line for line in body if TIME_ONLY_LINE.match(line)]
    for line in ranges:
        for start_h, start_m, end_h, end_m in TIME_RANGE.findall(line):
            begin = int(start_h) * 60 + int(start_m)
            end = int(end_h) * 60 + int(end_m)
            if end < begin:  # 23:45 - 0:45 crosses midnight
                end += 24 * 60
            if 0 < end - begin <= 16 * 60:
                total += end - begin
                stated = True
    return total if stated else None


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

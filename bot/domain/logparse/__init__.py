"""Reading a member's hand-written challenge log: every format in the community's corpus.

A log is a Markdown file kept by hand (RULES.md §4 catalogues the formats; the fixtures are 67
real ones in tests/fixtures/logs and logs-world). `decode_log` turns a file's bytes into text,
`parse_log` reads the text, and `summarize_log` counts what was read. Reading happens in four
passes over the text, NFKC-normalised so that full-width digits read as digits, each in a module
of this package:

1. **Markers** (`structure`, which runs `headings`, `containers`, `lines`, `tables` and
   `lists`, each returning `markers.Marker`s; HTML through `markup`): where entries start, from
   markdown-it-py's blocks: headings (Markdown or HTML ``<h3>``/``<summary>``) with a day token
   in any language or a date (`headings`), else plain lines, list items and task-list items
   that start with one (`lines`), else a table whose cells number or date days (`tables`), else
   a bare numbered list under a challenge's name (`lists`). A day heading holding rising dated
   lines is their container, and a heading spanning months the log's period: the lines are the
   days (`containers`). An entry ends at the next one (a ``<details>`` entry at its close).
2. **Dates** (`dates`, `years`): each entry's heading (or the line under it) yields dates as
   written, month and weekday names in 16 languages (`locales`, from dateparser's data); the
   file decides once whether ``NN/NN`` is day-first; a date without a year takes it from the
   year given, its neighbours, the header or the one year its weekdays fit, and a year that
   breaks a rising log is corrected, with a warning either way.
3. **Entries** (`entries`, `durations`): body text, minutes (a heading's, a labelled line's,
   else the durations the text states as time spent), tags, classified links and flags; the
   template's sample days are left out.
4. **Checks** (`checks`): conflicts become warnings and flags, never exceptions: duplicate
   dates and day numbers, jumps, a weekday that contradicts its date, a multi-day claim whose
   counts disagree. The warnings, flags and refusals are values; `bot.wording.logs` words them.

The words and patterns all of them read with are in `vocabulary` (day, month, weekday and date
words, day tokens, times, the header's) and `phrases` (an entry's body: metadata and template
labels, days without progress in 14 languages); `stats` runs the engine over what was read.
Pure: no I/O, no clock. Other modules import from this package, not from its modules.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from bot.domain.logparse.checks import (
    NOT_COUNTED,
    AmbiguousDateOrder,
    CountMismatch,
    DatedFromStart,
    DayBack,
    DayJump,
    DayRestart,
    DayZeroUndated,
    DuplicateDate,
    DuplicateDay,
    EntryFlag,
    LogTooLongError,
    LogTooManyLinesError,
    MonthGuessed,
    NewestFirst,
    NoSuchDate,
    NotALogError,
    NotALogReason,
    ParseWarning,
    UndatedEntries,
    UnreadableDate,
    UnreadableDateRange,
    WeekdayMismatch,
    YearCorrected,
    YearFromWeekdays,
    YearMissing,
    YearsBorrowed,
    YearSource,
    check_entries,
)
from bot.domain.logparse.dates import YEARS, long_date
from bot.domain.logparse.durations import spell_fractions
from bot.domain.logparse.entries import (
    MAX_BLANK_RUN,
    Draft,
    LogEntry,
    ParsedLog,
    date_drafts,
    finish,
    with_body,
)
from bot.domain.logparse.phrases import TEMPLATE_LINK, needs_escape
from bot.domain.logparse.stats import LogStats, day_facts, summarize_log
from bot.domain.logparse.structure import cut_blank_runs, entry_ends, find_markers, header_round

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
    "DayZeroUndated",
    "DuplicateDate",
    "DuplicateDay",
    "EntryFlag",
    "LogEntry",
    "LogStats",
    "LogTooLongError",
    "LogTooManyLinesError",
    "MonthGuessed",
    "NewestFirst",
    "NoSuchDate",
    "NotALogError",
    "NotALogReason",
    "ParseWarning",
    "ParsedLog",
    "UndatedEntries",
    "UnreadableDate",
    "UnreadableDateRange",
    "WeekdayMismatch",
    "YearCorrected",
    "YearFromWeekdays",
    "YearMissing",
    "YearSource",
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


def _template_sample(entry: LogEntry) -> bool:
    """Whether an entry is the template's sample left in: every link of it is a placeholder."""
    return bool(entry.links) and all(TEMPLATE_LINK.match(link.url) for link in entry.links)


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
    lines = [
        unicodedata.normalize("NFKC", spell_fractions(line)).replace("\n", " ")
        for line in raw_lines
    ]
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
    ends = entry_ends(markers, lines, outline)
    drafts = [
        with_body(Draft(marker, end), raw_lines, lines, hidden, source_line)
        for marker, end in zip(markers, ends, strict=True)
    ]
    reverse = date_drafts(drafts, header, year, start, warnings)
    entries = [finish(draft, round_in_header) for draft in drafts]
    entries = [entry for entry in entries if not _template_sample(entry)]
    if not entries:
        raise NotALogError(NotALogReason.NO_ENTRIES)
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

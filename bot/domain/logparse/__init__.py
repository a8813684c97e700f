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

Its modules load on first use: `from bot.domain.logparse import YearMissing` loads `checks`
only, while reading a log (`parse_log`, `long_date`, ...) loads the vocabulary, dateparser's
locale data and markdown-it, which the bot needs only for /import and in its parse workers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    )
    from bot.domain.logparse.dates import YEARS, long_date
    from bot.domain.logparse.entries import MAX_BLANK_RUN
    from bot.domain.logparse.model import LogEntry, ParsedLog
    from bot.domain.logparse.phrases import needs_escape
    from bot.domain.logparse.reader import decode_log, parse_log
    from bot.domain.logparse.stats import LogStats, day_facts, summarize_log

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

_MODULES = {
    "MAX_BLANK_RUN": "entries",
    "NOT_COUNTED": "checks",
    "YEARS": "dates",
    "AmbiguousDateOrder": "checks",
    "CountMismatch": "checks",
    "DatedFromStart": "checks",
    "DayBack": "checks",
    "DayJump": "checks",
    "DayRestart": "checks",
    "DayZeroUndated": "checks",
    "DuplicateDate": "checks",
    "DuplicateDay": "checks",
    "EntryFlag": "checks",
    "LogEntry": "model",
    "LogStats": "stats",
    "LogTooLongError": "checks",
    "LogTooManyLinesError": "checks",
    "MonthGuessed": "checks",
    "NewestFirst": "checks",
    "NoSuchDate": "checks",
    "NotALogError": "checks",
    "NotALogReason": "checks",
    "ParseWarning": "checks",
    "ParsedLog": "model",
    "UndatedEntries": "checks",
    "UnreadableDate": "checks",
    "UnreadableDateRange": "checks",
    "WeekdayMismatch": "checks",
    "YearCorrected": "checks",
    "YearFromWeekdays": "checks",
    "YearMissing": "checks",
    "YearSource": "checks",
    "YearsBorrowed": "checks",
    "day_facts": "stats",
    "decode_log": "reader",
    "long_date": "dates",
    "needs_escape": "phrases",
    "parse_log": "reader",
    "summarize_log": "stats",
}
"""The module of this package each public name lives in."""


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (PEP 562) and keep the name here."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

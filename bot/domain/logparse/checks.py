"""What looked wrong in a log, as values, and the pass that checks the entries against each other.

Reading never fails on a doubtful log: what looked wrong becomes a flag on an entry
(`EntryFlag`) and a warning on the log (`ParseWarning`), and reading goes on. A file that is no
log at all, or more than the caller accepts, is refused with an exception carrying values
(`NotALogError` and its `NotALogReason`, `LogTooLongError`, `LogTooManyLinesError`).

Every warning is a frozen dataclass: its class is its kind (`bot.wording.logs.warning_text`
matches on it, and mypy checks every kind has words), `line` (1-based) or `lines` says where
when it is about a place, and the other fields are its details (a `heading` is the entry's
heading as the log wrote it). None holds a sentence: `bot.wording.logs` words them.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    # Only for annotations: entries are built from these values, then checked here.
    from bot.domain.logparse.model import LogEntry

# ------------------------------------------------------------------------------------------
# Flags: what is notable about one entry
# ------------------------------------------------------------------------------------------


class EntryFlag(enum.StrEnum):
    """Something notable about one entry (the values are what `import-log --json` prints)."""

    EMPTY = "empty"
    """A stub: a heading with no content of its own (pre-generated logs, placeholder rows)."""
    NO_PROGRESS = "no-progress"
    """The entry says no progress was made ("None.", "Nothing done", "Missed today")."""
    UNDATED = "undated"
    """The log gives the entry no date and no start date was known."""
    INFERRED_DATE = "inferred-date"
    """The date was computed from a start date and the day number (Day N is start + N - 1)."""
    WEEKDAY_MISMATCH = "weekday-mismatch"
    """The heading names a weekday its date does not fall on."""
    DUPLICATE_DATE = "duplicate-date"
    """Another entry logs the same date."""
    DUPLICATE_DAY = "duplicate-day"
    """Another entry of the same round and attempt has the same day number."""
    COUNT_MISMATCH = "count-mismatch"
    """A multi-day entry whose number of day numbers differs from its number of dates."""


NOT_COUNTED = frozenset({EntryFlag.EMPTY, EntryFlag.NO_PROGRESS})
"""Flags that mean the entry exists but the day does not qualify."""


# ------------------------------------------------------------------------------------------
# Warnings: reading went on
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AmbiguousDateOrder:
    """Dates such as 01/02 could be read either way; the file was read one way throughout."""

    kind: ClassVar[str] = "ambiguous-date-order"

    dayfirst: bool


@dataclass(frozen=True, slots=True)
class UnreadableDateRange:
    """A heading's date range could not be read; its first day was kept."""

    kind: ClassVar[str] = "unreadable-date-range"

    line: int
    heading: str


@dataclass(frozen=True, slots=True)
class UnreadableDate:
    """A heading seemed to hold a date that could not be read."""

    kind: ClassVar[str] = "unreadable-date"

    line: int
    heading: str


@dataclass(frozen=True, slots=True)
class NoSuchDate:
    """A heading writes a whole date the calendar lacks (``February 29, 2021``); not read."""

    kind: ClassVar[str] = "no-such-date"

    line: int
    heading: str
    year: int | None
    """The year as written (None: the date has none, and no year has the day: ``April 31``)."""
    month: int
    day: int


@dataclass(frozen=True, slots=True)
class MonthGuessed:
    """A misspelt month word was read as the month it is one letter from (``Auguts``)."""

    kind: ClassVar[str] = "month-guessed"

    line: int
    written: str
    month: int


@dataclass(frozen=True, slots=True)
class YearMissing:
    """A heading's date has no year, and nothing in the log or the caller gives one."""

    kind: ClassVar[str] = "year-missing"

    line: int
    heading: str


class YearSource(enum.StrEnum):
    """Where dates without a year took theirs from (the values are what `--json` prints)."""

    NEIGHBOURS = "neighbours"
    """The entries before or after them, back to a year one of them writes."""
    GIVEN = "given"
    """The year the caller gave (`--year`, the `year` option)."""
    HEADER = "header"
    """The first year the file's header names."""


@dataclass(frozen=True, slots=True)
class YearsBorrowed:
    """Dates without a year took it from `source`: neighbours, the year given or the header.

    A log whose year came from its weekdays says so by `YearFromWeekdays` alone.
    """

    kind: ClassVar[str] = "years-borrowed"

    count: int
    source: YearSource = YearSource.NEIGHBOURS
    year: int | None = None
    """The year given or the header's (None when `source` is the neighbours)."""


@dataclass(frozen=True, slots=True)
class UndatedEntries:
    """Entries without a date, and no start date to place them."""

    kind: ClassVar[str] = "undated-entries"

    count: int
    numbered: bool
    """Whether any of them has a day number (a start date would place those)."""


@dataclass(frozen=True, slots=True)
class DatedFromStart:
    """Undated entries were dated from a start date (Day N is start + N - 1)."""

    kind: ClassVar[str] = "dated-from-start"

    count: int
    start: date
    given: bool
    """Whether the start date was given by the caller (else it came from the file's header)."""


@dataclass(frozen=True, slots=True)
class DayZeroUndated:
    """An entry numbered 0 (before the first day) was not dated from the start date."""

    kind: ClassVar[str] = "day-zero-undated"

    line: int
    heading: str


@dataclass(frozen=True, slots=True)
class YearFromWeekdays:
    """No date had a year; the year was taken as the one the log's weekdays fit."""

    kind: ClassVar[str] = "year-from-weekdays"

    year: int
    weekdays: int
    """How many entries gave a weekday (all fall on their dates in `year`)."""
    fits: tuple[int, ...]
    """Every year the weekdays fit; when several, `year` is the one the file names elsewhere."""
    until: int | None = None
    """The last date's year when the log runs past a New Year (None: all in `year`)."""


@dataclass(frozen=True, slots=True)
class YearCorrected:
    """A run of entries whose year broke an otherwise rising log was moved by one year."""

    kind: ClassVar[str] = "year-corrected"

    line: int
    heading: str
    """The first moved entry's line and heading."""
    entries: int
    written: int
    year: int
    after: date
    """The date before the run."""
    before: date | None
    """The date after the run (None: the run ends the log)."""


@dataclass(frozen=True, slots=True)
class NewestFirst:
    """The log lists its newest entries first; they are read oldest first."""

    kind: ClassVar[str] = "newest-first"


@dataclass(frozen=True, slots=True)
class DayRestart:
    """An entry starts the day count over."""

    kind: ClassVar[str] = "day-restart"

    line: int
    heading: str
    day: int


@dataclass(frozen=True, slots=True)
class DayJump:
    """The day number skips ahead."""

    kind: ClassVar[str] = "day-jump"

    line: int
    previous: int
    day: int


@dataclass(frozen=True, slots=True)
class DayBack:
    """The day number goes back (without starting over)."""

    kind: ClassVar[str] = "day-back"

    line: int
    previous: int
    day: int


@dataclass(frozen=True, slots=True)
class DuplicateDate:
    """Several entries log the same date."""

    kind: ClassVar[str] = "duplicate-date"

    day: date
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DuplicateDay:
    """Several entries of one round and attempt have the same day number."""

    kind: ClassVar[str] = "duplicate-day"

    day: int
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CountMismatch:
    """A multi-day entry names a different number of days than of dates."""

    kind: ClassVar[str] = "count-mismatch"

    line: int
    heading: str
    days: int
    dates: int


@dataclass(frozen=True, slots=True)
class WeekdayMismatch:
    """A heading gives a weekday its (kept) date does not fall on."""

    kind: ClassVar[str] = "weekday-mismatch"

    line: int
    heading: str
    day: date


ParseWarning = (
    AmbiguousDateOrder
    | UnreadableDateRange
    | UnreadableDate
    | NoSuchDate
    | MonthGuessed
    | YearMissing
    | YearsBorrowed
    | UndatedEntries
    | DatedFromStart
    | DayZeroUndated
    | YearFromWeekdays
    | YearCorrected
    | NewestFirst
    | DayRestart
    | DayJump
    | DayBack
    | DuplicateDate
    | DuplicateDay
    | CountMismatch
    | WeekdayMismatch
)
"""Something that looked wrong in a log; reading went on."""


# ------------------------------------------------------------------------------------------
# Refusals: the file is not read
# ------------------------------------------------------------------------------------------


class LogTooLongError(ValueError):
    """The log holds more entries than the caller accepts (found before reading them all)."""

    def __init__(self, entries: int, limit: int) -> None:
        super().__init__(f"{entries:,} entries; at most {limit:,}")
        self.entries = entries
        self.limit = limit

    def __reduce__(self) -> tuple[type[LogTooLongError], tuple[int, int]]:
        """Pickle with the values (a worker process sends it back to the bot)."""
        return type(self), (self.entries, self.limit)


class LogTooManyLinesError(ValueError):
    """The log has more lines of text than the caller accepts (found before reading them)."""

    def __init__(self, lines: int, limit: int) -> None:
        super().__init__(f"{lines:,} lines of text; at most {limit:,}")
        self.lines = lines
        self.limit = limit

    def __reduce__(self) -> tuple[type[LogTooManyLinesError], tuple[int, int]]:
        """Pickle with the values (a worker process sends it back to the bot)."""
        return type(self), (self.lines, self.limit)


class NotALogReason(enum.Enum):
    """Why a file is not a log Daybook can read."""

    BINARY = "binary"
    """Not text at all."""
    NOT_UTF8 = "not-utf8"
    """Text in an encoding other than UTF-8 (or UTF-16 with its mark)."""
    NO_ENTRIES = "no-entries"
    """Text without day headings, dated headings, day lines or a table numbering the days."""


class NotALogError(ValueError):
    """The file holds no entries a log could have; `reason` says why."""

    def __init__(self, reason: NotALogReason) -> None:
        super().__init__(reason.value)
        self.reason = reason

    def __reduce__(self) -> tuple[type[NotALogError], tuple[NotALogReason]]:
        """Pickle with the reason (a worker process sends it back to the bot)."""
        return type(self), (self.reason,)


# ------------------------------------------------------------------------------------------
# The check across entries
# ------------------------------------------------------------------------------------------


def check_entries(entries: list[LogEntry], warnings: list[ParseWarning]) -> list[LogEntry]:
    """Number the attempts; flag and warn of restarts, jumps and duplicate dates and days."""
    attempt = 1
    previous: LogEntry | None = None
    numbered: list[LogEntry] = []
    for entry in entries:
        if previous is not None and entry.days and previous.days:
            last = previous.days[-1]
            first = entry.days[0]
            restarted = first <= 1 < last or (
                entry.round is not None and previous.round != entry.round and first <= 1
            )
            if restarted:
                attempt += 1
                warnings.append(DayRestart(entry.line, entry.heading, first))
            elif first > last + 1:
                warnings.append(DayJump(entry.line, previous=last, day=first))
            elif first < last:
                warnings.append(DayBack(entry.line, previous=last, day=first))
        numbered.append(replace(entry, attempt=attempt))
        if entry.days:
            previous = entry
    by_date: dict[date, list[int]] = defaultdict(list)
    by_day: dict[tuple[int | None, int, int], list[int]] = defaultdict(list)
    for index, entry in enumerate(numbered):
        if EntryFlag.INFERRED_DATE not in entry.flags:
            for day in entry.dates:
                by_date[day].append(index)
        for number in entry.days:
            by_day[(entry.round, entry.attempt, number)].append(index)
    extra: dict[int, set[EntryFlag]] = defaultdict(set)
    for day, indexes in by_date.items():
        if len(indexes) > 1:
            for index in indexes:
                extra[index].add(EntryFlag.DUPLICATE_DATE)
            warnings.append(DuplicateDate(day, tuple(numbered[i].line for i in indexes)))
    for (_, _, number), indexes in by_day.items():
        if len(set(indexes)) > 1:
            for index in indexes:
                extra[index].add(EntryFlag.DUPLICATE_DAY)
            lines = tuple(numbered[i].line for i in sorted(set(indexes)))
            warnings.append(DuplicateDay(number, lines))
    for index, entry in enumerate(numbered):
        if EntryFlag.COUNT_MISMATCH in entry.flags:
            warnings.append(
                CountMismatch(entry.line, entry.heading, len(entry.days), len(entry.dates))
            )
        if EntryFlag.WEEKDAY_MISMATCH in entry.flags:
            warnings.append(WeekdayMismatch(entry.line, entry.heading, entry.dates[0]))
        if extra.get(index):
            numbered[index] = replace(entry, flags=entry.flags | extra[index])
    return numbered

"""Words for imported logs: what looked wrong in a file, why one was refused, the JSON shape."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, assert_never

from bot.domain import logparse
from bot.domain.logparse import (
    AmbiguousDateOrder,
    CountMismatch,
    DatedFromStart,
    DayBack,
    DayJump,
    DayRestart,
    DayZeroUndated,
    DuplicateDate,
    DuplicateDay,
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

if TYPE_CHECKING:
    from bot.domain.logparse import LogStats, ParsedLog

NOT_A_LOG = {
    NotALogReason.BINARY: "This is not a text file; a log is Markdown or plain text.",
    NotALogReason.NOT_UTF8: (
        "This file is not UTF-8 text; save the log as UTF-8 Markdown and try again."
    ),
    NotALogReason.NO_ENTRIES: (
        "No log entries found: Daybook reads 'Day N' or 'R1D1' headings, headings that are "
        "dates, lines that start with one, or a table numbering the days."
    ),
}
"""Why a file is not a log, in one sentence (every reason has one)."""

SPLIT_IT = "Split it into parts and import them one by one."
"""What a member can do about a log larger than one import takes."""


def refusal_text(
    refusal: NotALogError | LogTooLongError | LogTooManyLinesError, name: str | None = None
) -> str:
    """Return why a file was not read, as `/import` and `daybook import-log` both say it.

    `name` is the file's (the command line names it); without it the sentence says "That file".
    """
    if isinstance(refusal, NotALogError):
        return f"{name or 'That file'} is not a log I can read. {NOT_A_LOG[refusal.reason]}"
    if isinstance(refusal, LogTooLongError):
        return (
            f"{name or 'That log'} has {refusal.entries:,} entries; one import takes at most "
            f"{refusal.limit:,}. {SPLIT_IT}"
        )
    return (
        f"{name or 'That log'} has {refusal.lines:,} lines of text; one import takes at most "
        f"{refusal.limit:,}. {SPLIT_IT}"
    )


HEADING_LIMIT = 60
"""How much of a heading a warning quotes."""


def _short(text: str, limit: int = HEADING_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _lines(lines: tuple[int, ...]) -> str:
    return ", ".join(str(line) for line in lines)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


_WEEKDAY_SPAN = "2010 to 2037"
"""The years a log's weekdays are checked against (bot.domain.logparse.years)."""


def _and(years: tuple[int, ...]) -> str:
    words = [str(year) for year in years]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
"""Month names in English whatever the host's locale (`strftime` would follow it)."""


def _month_day(year: int | None, month: int, day: int) -> str:
    """Return a date as written, even one the calendar lacks: 'February 29, 2021', 'April 31'."""
    written = f"{MONTH_NAMES[month - 1]} {day}"
    return f"{written}, {year}" if year is not None else written


def _no_such_day(year: int | None, month: int, day: int) -> str:
    """Say why a month and day make no date: a 29 February outside a leap year, a short month."""
    if month == 2 and day == 29 and year is not None:
        return f"{year} is not a leap year"
    if month == 2:
        return "February has 28 or 29 days"
    return f"{MONTH_NAMES[month - 1]} has 30 days"


def _borrowed(count: int, source: YearSource, year: int | None) -> str:
    had = f"{count} date{_s(count)} had no year"
    them = "them" if count != 1 else "it"
    if source is YearSource.GIVEN:
        return f"{had}; read {them} in order from {year}, the year given."
    if source is YearSource.HEADER:
        return f"{had}; read {them} in order from {year}, the year the file's header names."
    return f"{had}; took it from the entries before or after {them} that give one."


def warning_text(warning: ParseWarning) -> str:
    """Return one thing that looked wrong in a log, as a sentence naming its line."""
    match warning:
        case AmbiguousDateOrder(dayfirst=dayfirst):
            order = "day-first (DD/MM)" if dayfirst else "month-first (MM/DD)"
            return f"Dates such as 01/02 could be read either way; read them {order}."
        case UnreadableDateRange(line=line, heading=heading):
            return f"Line {line}: could not read the date range in '{heading}'; kept its first day."
        case UnreadableDate(line=line, heading=heading):
            return f"Line {line}: could not read a date in '{heading}'."
        case NoSuchDate(line=line, heading=heading, year=year, month=month, day=day):
            return (
                f"Line {line}: '{_short(heading)}' gives {_month_day(year, month, day)}, a date "
                f"that does not exist ({_no_such_day(year, month, day)}); it was not read as one."
            )
        case MonthGuessed(line=line, written=written, month=month):
            return f"Line {line}: read '{written}' as {MONTH_NAMES[month - 1]}."
        case YearMissing(line=line, heading=heading):
            return (
                f"Line {line}: '{_short(heading)}' gives a date without a year, and the log does "
                "not settle which one; give the year to date it."
            )
        case YearsBorrowed(count=count, source=source, year=year):
            return _borrowed(count, source, year)
        case UndatedEntries(count=count, numbered=numbered):
            have = "ies have" if count != 1 else "y has"
            them = "them" if count != 1 else "it"
            hint = (
                f"; give the day your log started to place {them} (Day N is start + N - 1)."
                if numbered
                else "."
            )
            return f"{count} entr{have} no date{hint}"
        case DatedFromStart(count=count, start=start, given=given):
            were = "ies were" if count != 1 else "y was"
            where = "the start date given" if given else "the start date in the file's header"
            return (
                f"{count} undated entr{were} dated from {where}, {start.isoformat()} "
                "(Day N is start + N - 1)."
            )
        case DayZeroUndated(line=line, heading=heading):
            return (
                f"Line {line}: '{_short(heading)}' is Day 0, before the first day of the "
                "challenge; the start date does not date it, so it was left undated."
            )
        case YearFromWeekdays(year=year, weekdays=weekdays, fits=fits, until=until):
            if len(fits) == 1:
                why = f"{year} is the only year from {_WEEKDAY_SPAN} on which they all fall"
            else:
                why = f"they fit {_and(fits)}, and the file names {year} elsewhere"
            read = f"{year} to {until}" if until is not None else f"{year}"
            return (
                f"No date in the log has a year; {weekdays} give{'s' if weekdays == 1 else ''} "
                f"a weekday, and {why}: read as {read}."
            )
        case YearCorrected(
            line=line,
            heading=heading,
            entries=entries,
            written=written,
            year=year,
            after=after,
            before=before,
        ):
            who = (
                f" and the {entries - 1} entr{'y' if entries == 2 else 'ies'} after it say"
                if entries > 1
                else " says"
            )
            where = (
                f"between {logparse.long_date(after)} and {logparse.long_date(before)}"
                if before is not None
                else f"after {logparse.long_date(after)}"
            )
            return (
                f"Line {line}: '{_short(heading)}'{who} {written}, which breaks the order "
                f"{where} while the day numbers rise; read as {year}."
            )
        case NewestFirst():
            return "The log lists its newest entries first; they are read oldest first."
        case DayRestart(line=line, heading=heading, day=day):
            return f"Line {line}: '{_short(heading)}' starts over at Day {day}."
        case DayJump(line=line, previous=previous, day=day):
            return f"Line {line}: the day number jumps from {previous} to {day}."
        case DayBack(line=line, previous=previous, day=day):
            return f"Line {line}: the day number goes back from {previous} to {day}."
        case DuplicateDate(day=day, lines=lines):
            return (
                f"{logparse.long_date(day)} is logged by {len(lines)} entries "
                f"(lines {_lines(lines)})."
            )
        case DuplicateDay(day=day, lines=lines):
            return f"Day {day} appears {len(lines)} times (lines {_lines(lines)})."
        case CountMismatch(line=line, heading=heading, days=days, dates=dates):
            return (
                f"Line {line}: '{_short(heading)}' names {days} day{_s(days)} but {dates} "
                f"date{_s(dates)}."
            )
        case WeekdayMismatch(line=line, heading=heading, day=day):
            return (
                f"Line {line}: '{_short(heading)}' gives a weekday that does not match "
                f"{logparse.long_date(day)} (a {day:%A}); the date was kept."
            )
        case _:
            assert_never(warning)


def log_as_dict(parsed: ParsedLog, stats: LogStats) -> dict[str, object]:
    """Return a log and its stats in the `daybook import-log --json` shape."""
    return {
        "entries": [
            {
                "dates": [day.isoformat() for day in entry.dates],
                "day": entry.day,
                "round": entry.round,
                "heading": entry.heading,
                "text": entry.text,
                "minutes": entry.minutes,
                "tags": list(entry.tags),
                "links": [{"url": link.url, "kind": link.kind.value} for link in entry.links],
                # The flags' values, sorted: the same strings whatever the enum's order.
                "flags": sorted(flag.value for flag in entry.flags),
            }
            for entry in parsed.entries
        ],
        "stats": {
            "entries": stats.entries,
            "days_logged": stats.days_logged,
            "first_date": stats.first_date.isoformat() if stats.first_date else None,
            "last_date": stats.last_date.isoformat() if stats.last_date else None,
            "best_streak": stats.best_streak,
            "current_streak": stats.current_streak,
            "day_number": stats.day_number,
        },
        "warnings": [warning_as_dict(warning) for warning in parsed.warnings],
    }


def warning_as_dict(warning: ParseWarning) -> dict[str, object]:
    """Return a warning as `import-log --json` prints it: kind, line, details, then its sentence.

    `line` is where the warning points (the first of its `lines`), or None when it is about the
    whole log; the details are the warning's fields, dates as ISO strings.
    """
    details = {
        field.name: _plain(getattr(warning, field.name)) for field in dataclasses.fields(warning)
    }
    line = details.pop("line", None)
    lines = details.get("lines")
    if line is None and isinstance(lines, list) and lines:
        line = lines[0]
    return {"kind": warning.kind, "line": line, **details, "text": warning_text(warning)}


def _plain(value: object) -> object:
    """Return a warning's field as JSON holds it (dates as ISO strings, tuples as lists)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value

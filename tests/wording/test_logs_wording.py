"""Every kind of log warning has its sentence; the `import-log --json` shape keeps its strings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import get_args

import pytest

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
    parse_log,
    summarize_log,
)
from bot.domain.rules import preset
from bot.wording.logs import log_as_dict, refusal_text, warning_as_dict, warning_text

LONG = "Day 12: a heading that goes on and on well past what a warning line quotes of it"

WARNINGS: dict[type, list[tuple[ParseWarning, str]]] = {
    AmbiguousDateOrder: [
        (
            AmbiguousDateOrder(dayfirst=True),
            "Dates such as 01/02 could be read either way; read them day-first (DD/MM).",
        ),
        (
            AmbiguousDateOrder(dayfirst=False),
            "Dates such as 01/02 could be read either way; read them month-first (MM/DD).",
        ),
    ],
    UnreadableDateRange: [
        (
            UnreadableDateRange(line=4, heading="Day 3: July 20-10"),
            "Line 4: could not read the date range in 'Day 3: July 20-10'; kept its first day.",
        )
    ],
    UnreadableDate: [
        (
            UnreadableDate(line=7, heading="Day 2: Feb 30"),
            "Line 7: could not read a date in 'Day 2: Feb 30'.",
        )
    ],
    YearMissing: [
        (
            YearMissing(line=3, heading="D\u00eda 1 \u2013 13 de abril"),
            (
                # Not "nothing says which": weekdays may narrow it to a few years (review r13c).
                "Line 3: 'D\u00eda 1 \u2013 13 de abril' gives a date without a year, and the log "
                "does not settle which one; give the year to date it."
            ),
        )
    ],
    NoSuchDate: [
        (
            # Finding 7 of the literal-member review: a date the calendar lacks is said as such.
            NoSuchDate(line=3, heading="Day 2: February 29, 2021", year=2021, month=2, day=29),
            (
                "Line 3: 'Day 2: February 29, 2021' gives February 29, 2021, a date that does not "
                "exist (2021 is not a leap year); it was not read as one."
            ),
        ),
        (
            NoSuchDate(line=9, heading="Day 5: April 31", year=None, month=4, day=31),
            (
                "Line 9: 'Day 5: April 31' gives April 31, a date that does not exist (April has "
                "30 days); it was not read as one."
            ),
        ),
        (
            NoSuchDate(line=1, heading="Day 1: 2019-02-30", year=2019, month=2, day=30),
            (
                "Line 1: 'Day 1: 2019-02-30' gives February 30, 2019, a date that does not exist "
                "(February has 28 or 29 days); it was not read as one."
            ),
        ),
    ],
    MonthGuessed: [
        (MonthGuessed(line=7, written="Auguts", month=8), "Line 7: read 'Auguts' as August."),
    ],
    YearsBorrowed: [
        (
            YearsBorrowed(count=1),
            # One date is "it", not "them" (the year given and the header's say so too).
            "1 date had no year; took it from the entries before or after it that give one.",
        ),
        (
            YearsBorrowed(count=1, source=YearSource.GIVEN, year=2024),
            "1 date had no year; read it in order from 2024, the year given.",
        ),
        (
            YearsBorrowed(count=3, source=YearSource.GIVEN, year=2021),
            "3 dates had no year; read them in order from 2021, the year given.",
        ),
        (
            YearsBorrowed(count=2, source=YearSource.HEADER, year=2017),
            "2 dates had no year; read them in order from 2017, the year the file's header names.",
        ),
    ],
    UndatedEntries: [
        (
            UndatedEntries(count=1, numbered=True),
            (
                "1 entry has no date; give the day your log started to place it "
                "(Day N is start + N - 1)."
            ),
        ),
        (UndatedEntries(count=2, numbered=False), "2 entries have no date."),
    ],
    DatedFromStart: [
        (
            DatedFromStart(count=1, start=date(2024, 1, 1), given=True),
            (
                "1 undated entry was dated from the start date given, 2024-01-01 "
                "(Day N is start + N - 1)."
            ),
        ),
        (
            DatedFromStart(count=5, start=date(2017, 7, 17), given=False),
            (
                "5 undated entries were dated from the start date in the file's header, 2017-07-17 "
                "(Day N is start + N - 1)."
            ),
        ),
    ],
    DayZeroUndated: [
        (
            DayZeroUndated(line=1, heading="R1D0 Self-introduction"),
            (
                "Line 1: 'R1D0 Self-introduction' is Day 0, before the first day of the "
                "challenge; the start date does not date it, so it was left undated."
            ),
        )
    ],
    YearFromWeekdays: [
        (
            YearFromWeekdays(year=2020, weekdays=2, fits=(2020,)),
            (
                "No date in the log has a year; 2 give a weekday, and 2020 is the only year "
                "from 2010 to 2037 on which they all fall: read as 2020."
            ),
        ),
        (
            YearFromWeekdays(year=2025, weekdays=32, fits=(2014, 2025, 2031)),
            (
                "No date in the log has a year; 32 give a weekday, and they fit 2014, 2025 and "
                "2031, and the file names 2025 elsewhere: read as 2025."
            ),
        ),
        (
            YearFromWeekdays(year=2019, weekdays=2, fits=(2019,), until=2020),
            (
                "No date in the log has a year; 2 give a weekday, and 2019 is the only year "
                "from 2010 to 2037 on which they all fall: read as 2019 to 2020."
            ),
        ),
    ],
    YearCorrected: [
        (
            YearCorrected(
                line=120,
                heading="Day 57: January 2, 2021",
                entries=10,
                written=2021,
                year=2022,
                after=date(2021, 12, 29),
                before=date(2022, 4, 4),
            ),
            (
                "Line 120: 'Day 57: January 2, 2021' and the 9 entries after it say 2021, which "
                "breaks the order between December 29, 2021 and April 4, 2022 while the day "
                "numbers rise; read as 2022."
            ),
        ),
        (
            YearCorrected(
                line=9,
                heading="Day 5: January 1, 2020",
                entries=1,
                written=2020,
                year=2021,
                after=date(2020, 12, 31),
                before=None,
            ),
            (
                "Line 9: 'Day 5: January 1, 2020' says 2020, which breaks the order after "
                "December 31, 2020 while the day numbers rise; read as 2021."
            ),
        ),
    ],
    NewestFirst: [
        (NewestFirst(), "The log lists its newest entries first; they are read oldest first.")
    ],
    DayRestart: [
        (
            DayRestart(line=9, heading=LONG, day=1),
            (
                "Line 9: 'Day 12: a heading that goes on and on well past what a warn\u2026' "
                "starts over at Day 1."
            ),
        )
    ],
    DayJump: [
        (
            DayJump(line=12, previous=3, day=7),
            "Line 12: the day number jumps from 3 to 7.",
        )
    ],
    DayBack: [
        (
            DayBack(line=12, previous=7, day=3),
            "Line 12: the day number goes back from 7 to 3.",
        )
    ],
    DuplicateDate: [
        (
            DuplicateDate(day=date(2026, 3, 2), lines=(5, 15)),
            "March 2, 2026 is logged by 2 entries (lines 5, 15).",
        )
    ],
    DuplicateDay: [
        (
            DuplicateDay(day=4, lines=(8, 11, 20)),
            "Day 4 appears 3 times (lines 8, 11, 20).",
        )
    ],
    CountMismatch: [
        (
            CountMismatch(line=1, heading="Days 27-30", days=4, dates=3),
            "Line 1: 'Days 27-30' names 4 days but 3 dates.",
        ),
        (
            CountMismatch(line=1, heading="Day 27", days=1, dates=2),
            "Line 1: 'Day 27' names 1 day but 2 dates.",
        ),
    ],
    WeekdayMismatch: [
        (
            WeekdayMismatch(line=3, heading="Day 6: Sat May 29, 2020", day=date(2020, 5, 28)),
            (
                "Line 3: 'Day 6: Sat May 29, 2020' gives a weekday that does not match "
                "May 28, 2020 (a Thursday); the date was kept."
            ),
        )
    ],
}


def test_every_warning_kind_has_an_example() -> None:
    # A new kind of warning fails here until it has words (mypy also insists, via
    # assert_never in the wording).
    assert set(WARNINGS) == set(get_args(ParseWarning))


@pytest.mark.parametrize(
    ("warning", "text"), [example for examples in WARNINGS.values() for example in examples]
)
def test_each_warning_has_its_sentence(warning: ParseWarning, text: str) -> None:
    assert warning_text(warning) == text


def test_a_parsed_log_words_its_warnings_in_order() -> None:
    parsed = parse_log("## Day 1: March 1, 2024\nRead\n## Day 4: March 4, 2024\nRead\n")

    assert parsed.warnings == (DayJump(line=3, previous=1, day=4),)
    assert [warning_text(warning) for warning in parsed.warnings] == [
        "Line 3: the day number jumps from 1 to 4."
    ]


def test_the_json_shape_has_plain_strings_for_flags_and_warning_objects() -> None:
    parsed = parse_log("## Day 1\n\n## Day 2\nRead\n", start=date(2024, 3, 1))
    stats = summarize_log(parsed, preset("x-days-of-ml-code"))

    shape = json.loads(json.dumps(log_as_dict(parsed, stats)))

    assert shape["entries"][0]["flags"] == [EntryFlag.EMPTY.value, "inferred-date"]
    assert shape["warnings"] == [
        {
            "kind": "dated-from-start",
            "line": None,
            "count": 2,
            "start": "2024-03-01",
            "given": True,
            "text": (
                "2 undated entries were dated from the start date given, 2024-03-01 "
                "(Day N is start + N - 1)."
            ),
        }
    ]
    assert shape["stats"]["days_logged"] == 1


def test_every_warning_kind_is_documented_for_json_readers() -> None:
    # docs/import.md promises `kind` is a stable name; a reader of --json finds each one there.
    docs = (Path(__file__).parents[2] / "docs" / "import.md").read_text(encoding="utf-8")

    missing = [kind.kind for kind in get_args(ParseWarning) if f"`{kind.kind}`" not in docs]

    assert missing == []


def test_every_warning_kind_is_named_once() -> None:
    kinds = [kind.kind for kind in get_args(ParseWarning)]
    assert len(set(kinds)) == len(kinds)
    assert all(kind == kind.lower() and " " not in kind for kind in kinds)


@pytest.mark.parametrize(
    ("warning", "shape"),
    [
        (
            DayJump(line=12, previous=3, day=7),
            {"kind": "day-jump", "line": 12, "previous": 3, "day": 7},
        ),
        (
            DuplicateDate(day=date(2026, 3, 2), lines=(5, 15)),
            {"kind": "duplicate-date", "line": 5, "day": "2026-03-02", "lines": [5, 15]},
        ),
        (
            YearsBorrowed(count=3, source=YearSource.GIVEN, year=2021),
            {"kind": "years-borrowed", "line": None, "count": 3, "source": "given", "year": 2021},
        ),
        (
            NoSuchDate(line=3, heading="Day 2: February 29, 2021", year=2021, month=2, day=29),
            {
                "kind": "no-such-date",
                "line": 3,
                "heading": "Day 2: February 29, 2021",
                "year": 2021,
                "month": 2,
                "day": 29,
            },
        ),
    ],
)
def test_a_warning_as_json_is_kind_line_details_and_its_sentence(warning, shape) -> None:
    assert warning_as_dict(warning) == {**shape, "text": warning_text(warning)}


@pytest.mark.parametrize(
    ("refusal", "name", "text"),
    [
        (
            NotALogError(NotALogReason.NO_ENTRIES),
            None,
            (
                "That file is not a log I can read. No log entries found: Daybook reads 'Day N' or "
                "'R1D1' headings, headings that are dates, lines that start with one, or a table "
                "numbering the days."
            ),
        ),
        (
            LogTooLongError(5001, 5000),
            "log.md",
            (
                "log.md has 5,001 entries; one import takes at most 5,000. Split it into parts and "
                "import them one by one."
            ),
        ),
        (
            LogTooManyLinesError(40001, 40000),
            None,
            (
                "That log has 40,001 lines of text; one import takes at most 40,000. Split it into "
                "parts and import them one by one."
            ),
        ),
    ],
)
def test_a_refusal_has_one_sentence_for_the_bot_and_the_command_line(refusal, name, text) -> None:
    assert refusal_text(refusal, name) == text

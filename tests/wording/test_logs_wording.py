"""Every kind of log warning has its sentence; the `import-log --json` shape keeps its strings."""

from __future__ import annotations

import json
from datetime import date
from typing import get_args

import pytest

from bot.domain.logparse import (
    AmbiguousDateOrder,
    CountMismatch,
    DatedFromStart,
    DayBack,
    DayJump,
    DayRestart,
    DuplicateDate,
    DuplicateDay,
    EntryFlag,
    NewestFirst,
    ParseWarning,
    UndatedEntries,
    UnreadableDate,
    UnreadableDateRange,
    WeekdayMismatch,
    YearsBorrowed,
    parse_log,
    summarize_log,
)
from bot.domain.rules import preset
from bot.wording.logs import log_as_dict, warning_text

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
    YearsBorrowed: [
        (
            YearsBorrowed(count=1),
            (
                "1 date had no year; took it from the neighbouring entries, the year given or the "
                "file's header."
            ),
        ),
        (
            YearsBorrowed(count=3),
            (
                "3 dates had no year; took it from the neighbouring entries, the year given or the "
                "file's header."
            ),
        ),
    ],
    UndatedEntries: [
        (
            UndatedEntries(count=1, numbered=True),
            (
                "1 entry has no date; give the day your log started to place them "
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


def test_the_json_shape_has_plain_strings_for_flags_and_warnings() -> None:
    parsed = parse_log("## Day 1\n\n## Day 2\nRead\n", start=date(2024, 3, 1))
    stats = summarize_log(parsed, preset("x-days-of-ml-code"))

    shape = json.loads(json.dumps(log_as_dict(parsed, stats)))

    assert shape["entries"][0]["flags"] == [EntryFlag.EMPTY.value, "inferred-date"]
    assert shape["warnings"] == [
        (
            "2 undated entries were dated from the start date given, 2024-03-01 "
            "(Day N is start + N - 1)."
        )
    ]
    assert shape["stats"]["days_logged"] == 1

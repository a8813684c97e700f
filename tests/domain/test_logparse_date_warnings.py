"""A date the calendar lacks, a misspelt month read as a month, and where borrowed years came from.

Each warning says what the reader did and is true for the log it is about: "Day 2: February 29,
2021" is no date because 2021 is no leap year (not "no date found"); ``30 Auguts, 2018`` was read
as August, and the member is told; a year that came from the weekdays is not also said to have
come from the neighbours, the year given or the header.
"""

from __future__ import annotations

from datetime import date

from bot.domain.logparse import (
    MonthGuessed,
    NoSuchDate,
    UndatedEntries,
    UnreadableDate,
    YearFromWeekdays,
    YearsBorrowed,
    YearSource,
    parse_log,
)


def _log(*headings: str) -> str:
    return "".join(f"## {heading}\nRead a chapter\n" for heading in headings)


def test_a_written_date_the_calendar_lacks_says_so() -> None:
    # Finding 7 of the literal-member review: February 29, 2021 does not exist (2021 is not a
    # leap year); before, the only warning was "1 entry has no date".
    parsed = parse_log(_log("Day 1: February 28, 2021", "Day 2: February 29, 2021"))

    assert [entry.dates for entry in parsed.entries] == [(date(2021, 2, 28),), ()]
    assert NoSuchDate(line=3, heading="Day 2: February 29, 2021", year=2021, month=2, day=29) in (
        parsed.warnings
    )


def test_a_numeric_date_the_calendar_lacks_is_not_called_unreadable() -> None:
    parsed = parse_log(_log("Day 1: 2021-04-30", "Day 2: 2021-04-31"))

    assert NoSuchDate(line=3, heading="Day 2: 2021-04-31", year=2021, month=4, day=31) in (
        parsed.warnings
    )
    assert not any(isinstance(warning, UnreadableDate) for warning in parsed.warnings)


def test_a_day_past_its_month_without_a_year_is_no_date_in_any_year() -> None:
    parsed = parse_log(_log("Day 1: April 30", "Day 2: April 31"), year=2022)

    assert parsed.entries[0].dates == (date(2022, 4, 30),)
    assert NoSuchDate(line=3, heading="Day 2: April 31", year=None, month=4, day=31) in (
        parsed.warnings
    )


def test_february_29_in_a_leap_year_and_a_day_past_31_give_no_such_warning() -> None:
    # 2020 has a February 29; "May 45" is not a slip for a date (45 is no day of any month).
    parsed = parse_log(_log("Day 1: February 29, 2020", "Day 2: May 45, 2020"))

    assert parsed.entries[0].dates == (date(2020, 2, 29),)
    assert not any(isinstance(warning, NoSuchDate) for warning in parsed.warnings)


def test_a_misspelt_month_read_as_a_month_is_said() -> None:
    # syahrulhamdani__100_Days_Of_ML_Code__log.md l.22: "## Day 1 - 30 Auguts, 2018".
    parsed = parse_log("## Day 1 - 30 Auguts, 2018\nRead a chapter\n")

    assert parsed.entries[0].dates == (date(2018, 8, 30),)
    assert MonthGuessed(line=1, written="Auguts", month=8) in parsed.warnings


def test_a_month_spelt_right_is_not_said_to_be_guessed() -> None:
    parsed = parse_log("## Day 1: 30 August, 2018\nRead a chapter\n")

    assert not any(isinstance(warning, MonthGuessed) for warning in parsed.warnings)


def test_years_from_the_weekdays_are_not_also_said_to_come_from_elsewhere() -> None:
    # January 1 2020 was a Wednesday and February 29 2020 a Saturday: 2020 is the only year of
    # 2010-2037 both fall on. The three dates took their year from the weekdays; no other
    # sentence says they took it from "the neighbouring entries, the year given or the header".
    parsed = parse_log(
        _log("Day 1: January 1, Wednesday", "Day 2: January 2", "Day 60: February 29, Saturday")
    )

    assert YearFromWeekdays(year=2020, weekdays=2, fits=(2020,)) in parsed.warnings
    assert not any(isinstance(warning, YearsBorrowed) for warning in parsed.warnings)


def test_weekdays_past_a_new_year_say_both_years() -> None:
    # Tuesday 31 December 2019, Wednesday 1 January 2020, and February 29 (2020 has one): only
    # 2019 -> 2020 in 2010-2037 fits all three, and the log runs into 2020.
    parsed = parse_log(
        _log(
            "Day 1: Tuesday, December 31",
            "Day 2: Wednesday, January 1",
            "Day 61: Saturday, February 29",
        )
    )

    assert [entry.dates[0] for entry in parsed.entries] == [
        date(2019, 12, 31),
        date(2020, 1, 1),
        date(2020, 2, 29),
    ]
    assert YearFromWeekdays(year=2019, weekdays=3, fits=(2019,), until=2020) in parsed.warnings


def test_a_year_given_and_a_written_year_are_told_apart() -> None:
    # With --year 2021, "Day 1: March 3" takes 2021 from the caller; "Day 3: March 5" follows
    # "Day 2: March 4, 2022" and takes 2022 from it. Two sources, two true sentences.
    parsed = parse_log(_log("Day 1: March 3", "Day 2: March 4, 2022", "Day 3: March 5"), year=2021)

    borrowed = [warning for warning in parsed.warnings if isinstance(warning, YearsBorrowed)]
    assert sorted(borrowed, key=lambda warning: warning.source) == [
        YearsBorrowed(count=1, source=YearSource.GIVEN, year=2021),
        YearsBorrowed(count=1, source=YearSource.NEIGHBOURS),
    ]


def test_a_header_year_carried_through_the_log_is_one_sentence() -> None:
    # Every date descends from the header's 2020 (the chain of entries carries it on): one
    # source, so one warning naming the header, not a second one naming "the neighbours".
    parsed = parse_log("# Log 2020\n" + _log("Day 1: Dec 30", "Day 2: Dec 31", "Day 3: Jan 1"))

    assert [entry.dates[0] for entry in parsed.entries] == [
        date(2020, 12, 30),
        date(2020, 12, 31),
        date(2021, 1, 1),
    ]
    assert [w for w in parsed.warnings if isinstance(w, YearsBorrowed)] == [
        YearsBorrowed(count=3, source=YearSource.HEADER, year=2020)
    ]
    assert not any(isinstance(warning, UndatedEntries) for warning in parsed.warnings)

"""Years as a careful reader places them: from weekdays, neighbours and rising day numbers.

The rules are in bot/domain/logparse/years.py; the shapes come from issue 13 and from real logs
in tests/fixtures/logs-world/ (HasutoSasaki, asharimh97), quoted with their lines.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.domain.logparse import (
    DatedFromStart,
    DayZeroUndated,
    EntryFlag,
    UnreadableDate,
    WeekdayMismatch,
    YearCorrected,
    YearFromWeekdays,
    YearMissing,
    YearsBorrowed,
    parse_log,
)

WORLD = Path(__file__).parents[1] / "fixtures" / "logs-world"
HASUTO = WORLD / "HasutoSasaki__100-days-of-code__log.md"
ASHARIMH = WORLD / "asharimh97__100-days-of-code__r2-log.md"


def _log(*headings: str) -> str:
    return "".join(f"## {heading}\nRead\n" for heading in headings)


# ------------------------------------------------------------------------------------------
# The year from weekdays, when no date has one
# ------------------------------------------------------------------------------------------


def test_weekdays_that_fit_one_year_give_it() -> None:
    # Issue 13: `Day 1: January 1, Wednesday` and `February 29, Saturday`, no year anywhere.
    # January 1 is a Wednesday in 2014, 2020 and 2025, but only 2020 (of 2010-2037) has a
    # February 29, and it is a Saturday.
    parsed = parse_log(_log("Day 1: January 1, Wednesday", "Day 60: February 29, Saturday"))

    assert [entry.dates for entry in parsed.entries] == [
        (date(2020, 1, 1),),
        (date(2020, 2, 29),),
    ]
    assert YearFromWeekdays(year=2020, weekdays=2, fits=(2020,)) in parsed.warnings


def test_weekdays_that_fit_several_years_leave_the_dates_unread() -> None:
    # May 2 is a Friday in 2014, 2025, 2031 and 2036; nothing in the text picks one.
    parsed = parse_log(_log("Day 1: May 2, Friday"))

    assert parsed.entries[0].dates == ()
    assert EntryFlag.UNDATED in parsed.entries[0].flags
    assert not any(isinstance(warning, YearFromWeekdays) for warning in parsed.warnings)


def test_a_year_the_file_names_elsewhere_picks_among_the_years_the_weekdays_fit() -> None:
    # HasutoSasaki: `### Day 1: May 2, Friday` .. `### Day 32: June 2, Monday`, no year in any
    # heading; the links under the entries carry 2025 (`?since=2025-05-11&until=2025-05-11`,
    # Day 10), and May 2, 2025 was a Friday (facts.json: 2025-05-02 .. 2025-06-02, 32 days).
    parsed = parse_log(HASUTO.read_text(encoding="utf-8"))

    dates = [entry.dates[0] for entry in parsed.entries]
    assert len(dates) == 32
    assert (dates[0], dates[-1]) == (date(2025, 5, 2), date(2025, 6, 2))
    assert len(set(dates)) == 32
    (inferred,) = [w for w in parsed.warnings if isinstance(w, YearFromWeekdays)]
    assert inferred.year == 2025
    assert inferred.weekdays == 32
    assert 2025 in inferred.fits
    assert len(inferred.fits) > 1
    assert not any(isinstance(warning, WeekdayMismatch) for warning in parsed.warnings)


def test_the_year_given_always_wins_over_the_weekdays() -> None:
    parsed = parse_log(HASUTO.read_text(encoding="utf-8"), year=2024)

    assert parsed.entries[0].dates == (date(2024, 5, 2),)
    assert not any(isinstance(warning, YearFromWeekdays) for warning in parsed.warnings)
    # May 2, 2024 is a Thursday: the heading's Friday is reported, the date is kept.
    assert any(isinstance(warning, WeekdayMismatch) for warning in parsed.warnings)


# ------------------------------------------------------------------------------------------
# A year that breaks a rising log
# ------------------------------------------------------------------------------------------

TYPO = (
    "Day 54: December 27, 2021",
    "Day 55: December 28, 2021",
    "Day 56: December 29, 2021",
    # Issue 13: Days 57-66 say "January 2021" between "December 29, 2021" and "April 4, 2022".
    "Day 57: January 2, 2021",
    "Day 58: January 3, 2021",
    "Day 59: January 4, 2021",
    "Day 60: April 4, 2022",
    "Day 61: April 5, 2022",
    "Day 62: April 6, 2022",
    "Day 63: April 7, 2022",
)


def test_a_run_whose_year_breaks_a_rising_log_takes_its_neighbours_year() -> None:
    parsed = parse_log(_log(*TYPO))

    assert [entry.dates[0] for entry in parsed.entries][3:6] == [
        date(2022, 1, 2),
        date(2022, 1, 3),
        date(2022, 1, 4),
    ]
    assert [entry.day for entry in parsed.entries] == list(range(54, 64))
    assert (
        YearCorrected(
            line=7,
            heading="Day 57: January 2, 2021",
            entries=3,
            written=2021,
            year=2022,
            after=date(2021, 12, 29),
            before=date(2022, 4, 4),
        )
        in parsed.warnings
    )


def test_a_run_is_not_moved_when_the_day_numbers_do_not_rise() -> None:
    # Day 1 again: the log starts over, so its order says nothing about the year.
    headings = list(TYPO)
    headings[3] = "Day 1: January 2, 2021"
    parsed = parse_log(_log(*headings))

    assert date(2021, 1, 2) in [entry.dates[0] for entry in parsed.entries]
    assert not any(isinstance(warning, YearCorrected) for warning in parsed.warnings)


def test_a_run_is_not_moved_when_its_weekdays_side_with_the_year_written() -> None:
    # January 4, 2021 was a Monday; January 4, 2022 a Tuesday.
    headings = list(TYPO)
    headings[5] = "Day 59: Monday, January 4, 2021"
    parsed = parse_log(_log(*headings))

    assert date(2021, 1, 4) in [entry.dates[0] for entry in parsed.entries]
    assert not any(isinstance(warning, YearCorrected) for warning in parsed.warnings)


def test_a_run_moved_would_still_sit_months_from_its_neighbours_is_left_as_written() -> None:
    # ddcornwall's log with its entries shuffled (the property test's seed 19): "Day 66:
    # December 17, 2017" lands last, after a February 2018 day. Moved to 2018 it would be ten
    # months from its neighbour: that is no slip of a year, so the date stays as written.
    parsed = parse_log(
        _log(
            "Day 60: February 8, 2018",
            "Day 61: February 9, 2018",
            "Day 62: February 10, 2018",
            "Day 66: December 17, 2017",
        )
    )

    assert date(2017, 12, 17) in [entry.dates[0] for entry in parsed.entries]
    assert not any(isinstance(warning, YearCorrected) for warning in parsed.warnings)


def test_a_day_is_never_moved_by_its_weekday() -> None:
    # asharimh97 l.710: `### Day 86: Wednesday, 30 March 2021` repeats Day 85's date; its
    # Wednesday is March 31. facts.json keeps the literal date: 87 dates ending 2021-03-30.
    parsed = parse_log(ASHARIMH.read_text(encoding="utf-8"))

    last = parsed.entries[-1]
    assert last.day == 86
    assert last.dates == (date(2021, 3, 30),)
    assert any(
        isinstance(warning, WeekdayMismatch) and warning.heading.startswith("Day 86")
        for warning in parsed.warnings
    )
    assert not any(isinstance(warning, YearCorrected) for warning in parsed.warnings)


def test_a_far_year_is_not_carried_and_is_read_as_its_neighbours() -> None:
    # Issue 13's "2050 carried to the next 26 entries": one heading's year misread far off.
    parsed = parse_log(
        _log("Day 28: July 25, 2018", "Day 29: July 26, 2050", "Day 30: July 27", "Day 31: July 28")
    )

    assert [entry.dates for entry in parsed.entries] == [
        (date(2018, 7, 25),),
        (date(2018, 7, 26),),
        (date(2018, 7, 27),),
        (date(2018, 7, 28),),
    ]
    assert any(
        isinstance(warning, YearCorrected) and (warning.written, warning.year) == (2050, 2018)
        for warning in parsed.warnings
    )


def test_a_borrowed_year_never_overrides_the_year_given() -> None:
    # With --year 2018, a far year in one heading does not become the next entries' year.
    parsed = parse_log(
        _log("Day 29: July 26, 2050", "Day 30: July 27", "Day 31: July 28"), year=2018
    )

    dates = {entry.day: entry.dates for entry in parsed.entries}
    assert (dates[30], dates[31]) == ((date(2018, 7, 27),), (date(2018, 7, 28),))


def test_a_year_given_still_rolls_over_into_january() -> None:
    parsed = parse_log(_log("Day 1: December 31", "Day 2: January 1"), year=2018)

    assert [entry.dates for entry in parsed.entries] == [
        (date(2018, 12, 31),),
        (date(2019, 1, 1),),
    ]


def test_entries_before_the_first_written_year_take_it_from_that_entry() -> None:
    # A Spanish log modelled on the corpus's kallaway translations: the first days give
    # `Día 1 - 13 de abril` with no year and the year first appears at Day 4 (`16 de abril de
    # 2021`); no header year, no --year. A reader dates Days 1-3 in April 2021, the days leading
    # up to the first written year, and they are not "unreadable".
    parsed = parse_log(
        _log(
            "Día 1 \u2013 13 de abril",
            "Día 2 \u2013 14 de abril",
            "Día 3 \u2013 15 de abril",
            "Día 4 \u2013 16 de abril de 2021",
        )
    )

    assert [entry.dates for entry in parsed.entries] == [
        (date(2021, 4, 13),),
        (date(2021, 4, 14),),
        (date(2021, 4, 15),),
        (date(2021, 4, 16),),
    ]
    assert YearsBorrowed(count=3) in parsed.warnings
    assert not any(isinstance(warning, UnreadableDate) for warning in parsed.warnings)


def test_a_date_before_the_first_written_year_rolls_back_over_new_year() -> None:
    # December 30 just before "January 2, 2021" is in 2020, not eleven months after it.
    parsed = parse_log(_log("Day 1: December 30", "Day 2: December 31", "Day 4: January 2, 2021"))

    assert [entry.dates for entry in parsed.entries] == [
        (date(2020, 12, 30),),
        (date(2020, 12, 31),),
        (date(2021, 1, 2),),
    ]


def test_a_date_with_no_year_anywhere_says_the_year_is_missing_not_that_it_is_unreadable() -> None:
    # `Día 1 - 13 de abril` in a log that never writes a year (no header year, no --year, no
    # weekdays): the date is read, only its year is unknown. The member can act on "give the
    # year"; "could not read a date" is not true.
    text = _log("Día 1 \u2013 13 de abril", "Día 2 \u2013 14 de abril")

    parsed = parse_log(text)

    assert [entry.dates for entry in parsed.entries] == [(), ()]
    assert YearMissing(line=1, heading="Día 1 \u2013 13 de abril") in parsed.warnings
    assert YearMissing(line=3, heading="Día 2 \u2013 14 de abril") in parsed.warnings
    assert not any(isinstance(warning, UnreadableDate) for warning in parsed.warnings)
    # Given the year, the same log is dated from what it says.
    assert [entry.dates for entry in parse_log(text, year=2021).entries] == [
        (date(2021, 4, 13),),
        (date(2021, 4, 14),),
    ]


def test_an_impossible_date_is_still_unreadable_not_missing_a_year() -> None:
    # With --year 2021 the year is known; 2021 has no February 29, so the date is unreadable.
    parsed = parse_log(_log("Day 2: February 29"), year=2021)

    assert UnreadableDate(line=1, heading="Day 2: February 29") in parsed.warnings
    assert not any(isinstance(warning, YearMissing) for warning in parsed.warnings)


# ------------------------------------------------------------------------------------------
# Day 0
# ------------------------------------------------------------------------------------------


def test_day_zero_stays_undated_with_a_start_date() -> None:
    # Issue 13: an undated `R1D0 Self-introduction` got an invented date (start - 1).
    parsed = parse_log(
        "## R1D0 Self-introduction\nHi, I am Ana.\n## R1D1\nRead\n", start=date(2024, 1, 1)
    )

    zero, one = parsed.entries
    assert zero.dates == ()
    assert EntryFlag.UNDATED in zero.flags
    assert one.dates == (date(2024, 1, 1),)
    assert DayZeroUndated(line=1, heading="R1D0 Self-introduction") in parsed.warnings
    assert DatedFromStart(count=1, start=date(2024, 1, 1), given=True) in parsed.warnings


def test_a_dated_day_zero_keeps_its_date() -> None:
    # asharimh97: `### Day 0: Sunday, 3 January 2021` is dated by its heading.
    parsed = parse_log(ASHARIMH.read_text(encoding="utf-8"))

    assert parsed.entries[0].day == 0
    assert parsed.entries[0].dates == (date(2021, 1, 3),)

"""A slash number that counts is not a date: ``1/2 of the course``, ``Lesson 4/5``.

The review of issue 13 found ``## Day 2: 1/2 of the course`` dated 1 February (and, between
March days, setting off a day-restart warning) and ``Lesson 4/5`` read as 4 May. The rule
(`dates._fraction`): ``N/M`` followed by of/de/do/von/di (a fraction of something), unless a
number follows (a year, or an hour: "de 20h" is "from 8 pm"), or preceded by a counting word
(English only: lesson, chapter, part, module, exercise, video, episode, step, page, task, kata,
problem, level, unit, and their plurals), is not a date. A three-part date, a range or a date
with its year is never a fraction.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.logparse import DayRestart, EntryFlag, UndatedEntries, parse_log
from bot.domain.logparse.dates import find_dates


@pytest.mark.parametrize(
    "text",
    [
        "1/2 of the course",  # the review's line, after its day token
        "finished 3/4 of the book",
        "1/3 de la formation",  # French: a third of the course
        "1/2 do curso",  # Portuguese
        "2/5 von dem Kurs",  # German
        "1/4 di corso",  # Italian
        "Lesson 4/5",  # the review's second line
        "Chapter 3/12 done",
        "lessons 7/8",
        "Part #2/3",
        "Module: 3/4",
        "kata 7/10 of the week",
        "VIDEO 12/30",
    ],
)
def test_a_fraction_or_a_count_is_no_date(text: str) -> None:
    assert not find_dates(text)


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("1/2 - started the course", 1, 2),  # a dash, not "of": a date, order decided per file
        ("12/3 offline day", 12, 3),  # "offline" is not "of"
        ("4/5 dedicated to CSS", 4, 5),  # "dedicated" is not "de"
        ("1/2 de 2020", 1, 2),  # a year after "de": 1/2 of 2020 is a date's way to say it
        ("Lessons learned 4/5", 4, 5),  # the word before the number is not a counting word
        ("Unit tests, 3/4", 3, 4),  # a comma between: "tests" is the word before, not "unit"
    ],
)
def test_near_misses_stay_dates(text: str, first: int, second: int) -> None:
    found = find_dates(text)
    assert [(span.start.first, span.start.second) for span in found.numeric] == [(first, second)]


@pytest.mark.parametrize("text", ["Lesson 4/5/2020", "Part 2/3 - 4/3", "page 1/2 2021"])
def test_a_full_date_or_a_range_after_a_counting_word_is_still_a_date(text: str) -> None:
    assert find_dates(text)


def test_half_of_the_course_between_march_days_is_no_february_day() -> None:
    parsed = parse_log(
        "# Log\n\n## Day 1: March 4, 2024\nStarted.\n\n"
        "## Day 2: 1/2 of the course\nWatched the lectures.\n\n"
        "## Day 3: March 6, 2024\nMore.\n"
    )
    assert [entry.day for entry in parsed.entries] == [1, 2, 3]
    assert [entry.dates for entry in parsed.entries] == [
        (date(2024, 3, 4),),
        (),
        (date(2024, 3, 6),),
    ]
    assert EntryFlag.UNDATED in parsed.entries[1].flags
    assert not any(isinstance(warning, DayRestart) for warning in parsed.warnings)
    assert any(isinstance(warning, UndatedEntries) for warning in parsed.warnings)


def test_a_lesson_count_in_a_day_first_log_is_no_may_day() -> None:
    parsed = parse_log(
        "# Log\n\n## Day 1: 04/03/2024\nA\n\n## Day 2: Lesson 4/5\nB\n\n## Day 3: 06/03/2024\nC\n"
    )
    assert [entry.dates for entry in parsed.entries] == [
        (date(2024, 3, 4),),
        (),
        (date(2024, 3, 6),),
    ]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # Day-first (30/01 can only be 30 January): 1/2 is 1 February.
        (("30/01/2024", "1/2", "2/2/2024"), date(2024, 2, 1)),
        # Month-first (01/30 can only be January 30): 1/2 is January 2.
        (("01/01/2024", "1/2", "01/30/2024"), date(2024, 1, 2)),
    ],
)
def test_a_slash_date_before_prose_is_read_in_the_files_order(
    days: tuple[str, str, str], expected: date
) -> None:
    first, second, third = days
    parsed = parse_log(
        f"# Log\n\n## Day 1: {first}\nA\n\n## Day 2: {second} - started the course\nB\n\n"
        f"## Day 3: {third}\nC\n"
    )
    assert [entry.day for entry in parsed.entries if expected in entry.dates] == [2]


@pytest.mark.parametrize(
    "second",
    [
        "12/03 de 20h à 22h",  # French: on 12 March, from 8 to 10 pm
        "12/03 de 9h30 à 11h",  # 9h30 is a clock time the date reader cuts before it reads
        "12/03 de 20:00 a 22:00",  # Spanish
        "12/03 von 10 bis 12 Uhr",  # German
    ],
)
def test_from_a_time_after_a_date_is_no_fraction(second: str) -> None:
    # "de", "von" say "of" before a thing counted, and "from" before a time: a number after
    # them is an hour (or a year), so the slash number before is the day's date.
    parsed = parse_log(
        f"# Log\n\n## Jour 1 - 11/03/2024\nA\n\n## Jour 2 - {second}\nB\n\n"
        "## Jour 3 - 13/03/2024\nC\n"
    )
    assert [entry.dates for entry in parsed.entries] == [
        (date(2024, 3, 11),),
        (date(2024, 3, 12),),
        (date(2024, 3, 13),),
    ]

"""Each format of RULES.md §4 and INDEX.md's "seen but not saved" logs, one heading at a time.

The expected dates and day numbers are read off the examples themselves.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.logparse import (
    CountMismatch,
    DayRestart,
    EntryFlag,
    LogTooLongError,
    NotALogError,
    UndatedEntries,
    decode_log,
    parse_log,
)
from bot.wording.logs import warning_text

BODY = "\nStudied recursion for an hour.\n"


def one(heading: str, **options) -> tuple[tuple[date, ...], tuple[int, ...], int | None]:
    entries = parse_log(heading + BODY, **options).entries
    assert len(entries) == 1
    return entries[0].dates, entries[0].days, entries[0].round


@pytest.mark.parametrize(
    ("heading", "dates", "days", "round_"),
    [
        # msandfor: an ordinal and a trailing weekday.
        ("### Day 0: March 9th 2019 - Saturday", (date(2019, 3, 9),), (0,), None),
        # sunsplat: the weekday after the year.
        ("### Day 1: January 5, 2017 Thursday", (date(2017, 1, 5),), (1,), None),
        # LearningNerd: an ISO date.
        ("### Day 1: 2018-05-22", (date(2018, 5, 22),), (1,), None),
        # Martin Lanser: a compact date.
        ("### R1D1 - 15MAY2020", (date(2020, 5, 15),), (1,), 1),
        # michaelsunb: a round token, then a date with no separator.
        ("### R2D1 September 28, 2022", (date(2022, 9, 28),), (1,), 2),
        # sinjoysaha: spaces before the colon and the comma.
        ("## Day 0 : August 30 , 2018", (date(2018, 8, 30),), (0,), None),
        # a kallaway fork: a leading weekday.
        ("### Day 1: Friday, October 9, 2020", (date(2020, 10, 9),), (1,), None),
        # chinhdo: a short weekday before the month.
        ("## Day 33: Fri Jun 12, 2020", (date(2020, 6, 12),), (33,), None),
        # lwpulsifer: a stray comma after the month.
        ("### Day 1: January, 01, 2020", (date(2020, 1, 1),), (1,), None),
        # rogerthat39: the day before the month.
        ("## Day 1: 24 November, 2018", (date(2018, 11, 24),), (1,), None),
        # kumar-mahendra: a code span, zero-padded.
        ("#### `Day 01` ", (), (1,), None),
        # bhadreshpsavani: no space.
        ("## Day1:", (), (1,), None),
        # Avik-Jain: the title first.
        ('## Logistic Regression | Day 4 <a name="4"></a>', (), (4,), None),
        # madifz r6: a range across a year.
        (
            "### R6D55-68 (25/12/22-7/1/23)",
            tuple(date(2022, 12, 25 + n) for n in range(7))
            + tuple(date(2023, 1, 1 + n) for n in range(7)),
            tuple(range(55, 69)),
            6,
        ),
        # madifz r3: "D" repeated in the range.
        (
            "### R3D96-D99 (12-15/01/2022)",
            tuple(date(2022, 1, day) for day in range(12, 16)),
            (96, 97, 98, 99),
            3,
        ),
        # ddcornwall: "and" between the days.
        (
            "### Days 75 & 76: December 26 and 27, 2017 - Total Time spent, 2 hours 15 minutes",
            (date(2017, 12, 26), date(2017, 12, 27)),
            (75, 76),
            None,
        ),
        # madifz: junk before the token.
        ("### nd double R4D24 (11/5/22)", (date(2022, 5, 11),), (24,), 4),
    ],
)
def test_heading_formats(heading, dates, days, round_) -> None:
    assert one(heading) == (dates, days, round_)


def test_an_unfinished_range_keeps_its_first_day() -> None:
    # madifz r8: "R8D1-D (20/5 - /5 2023)" was never filled in.
    dates, days, _ = one("### R8D1-D (20/5 - /5 2023)", year=2023)
    assert days == (1,)
    assert dates[0] == date(2023, 5, 20)


def test_plain_text_lines_are_entries_when_there_are_no_headings() -> None:
    # Hulya Karakaya's r1-log.md: plain lines, not headings; Dec 16 is skipped.
    log = (
        "# Log\n\nDay 14: December 17, 2019\nBuilt a form.\n\n"
        "Day 23 : December 26, 2019\nStyled it.\n"
    )
    entries = parse_log(log).entries
    assert [(entry.day, entry.dates) for entry in entries] == [
        (14, (date(2019, 12, 17),)),
        (23, (date(2019, 12, 26),)),
    ]
    assert entries[0].text == "Built a form."


def test_lines_that_start_with_a_date_are_entries() -> None:
    entries = parse_log("2024-03-01: read a paper\n2024-03-02 - wrote code\n").entries
    assert [entry.dates for entry in entries] == [(date(2024, 3, 1),), (date(2024, 3, 2),)]
    assert [entry.text for entry in entries] == ["read a paper", "wrote code"]


def test_a_table_with_a_date_column() -> None:
    log = "| Day | Date | What |\n|---|---|---|\n| 1 | 2024-01-05 | Read |\n| 2 | 2024-01-06 | |\n"
    entries = parse_log(log).entries
    assert [(entry.day, entry.dates) for entry in entries] == [
        (1, (date(2024, 1, 5),)),
        (2, (date(2024, 1, 6),)),
    ]
    assert EntryFlag.EMPTY in entries[1].flags


def test_day_month_order_is_decided_once_per_file() -> None:
    # 03/04 alone is ambiguous; 25/04 settles the file as day-first.
    log = "### R1D1 (03/04/2024)\nRead\n\n### R1D2 (25/04/2024)\nWrote\n"
    entries = parse_log(log).entries
    assert [entry.dates[0] for entry in entries] == [date(2024, 4, 3), date(2024, 4, 25)]


def test_a_missing_year_rolls_over_at_new_year() -> None:
    log = "# Started in 2019\n\n### Day 1: December 31\nRead\n\n### Day 2: January 1\nWrote\n"
    entries = parse_log(log).entries
    assert [entry.dates[0] for entry in entries] == [date(2019, 12, 31), date(2020, 1, 1)]


def test_the_year_given_dates_a_log_without_years() -> None:
    log = "### Day 1: June 13\nRead\n"
    assert parse_log(log).entries[0].dates == ()
    assert parse_log(log, year=2021).entries[0].dates == (date(2021, 6, 13),)


def test_template_examples_and_comments_are_not_entries() -> None:
    log = (
        "### Day 0: February 30, 2016 (Example 1)\n**Today's Progress**: example\n\n"
        "<!--\n### Day 5: March 1, 2020\nhidden\n-->\n\n### Day 1: March 2, 2020\nReal work\n"
    )
    entries = parse_log(log).entries
    assert [entry.day for entry in entries] == [1]


@pytest.mark.parametrize(
    "body",
    [
        "**Today's Progress**: None.",
        "Nothing done today.",
        "Missed today. Too tired.",
        "Looked at it, but not coding long enough to count.",
        "Today counts as a skip day.",
    ],
)
def test_no_progress_is_flagged(body: str) -> None:
    entries = parse_log(f"### Day 3: May 1, 2020\n{body}\n").entries
    assert EntryFlag.NO_PROGRESS in entries[0].flags
    assert not entries[0].counts


def test_break_day_mentions_are_not_no_progress() -> None:
    # chinhdo: "Break day yesterday" opens entries that are real progress.
    entries = parse_log("## Day 12: May 20, 2020\nBreak day yesterday. Built the login page.\n")
    assert entries.entries[0].flags == frozenset()


def test_durations_become_minutes() -> None:
    log = (
        "### Day 1: May 1, 2020 - Time spent, 1 hour 15 minutes\nRead\n\n"
        "### Days 2-3: May 2-3, 2020 1h/d\nRead\n\n"
        "### Day 4\n2020/5/4\n22:45 - 25:18\nRead\n"
    )
    entries = parse_log(log).entries
    assert [entry.minutes for entry in entries] == [75, 120, 153]


def test_a_multi_day_claim_whose_counts_disagree_is_flagged() -> None:
    entries = parse_log("## Days 27-30 Wednesday-Friday, August 8-10, 2018\nRead\n").entries
    assert EntryFlag.COUNT_MISMATCH in entries[0].flags
    warnings = parse_log("## Days 27-30 Wednesday-Friday, August 8-10, 2018\nRead\n").warnings
    heading = "Days 27-30 Wednesday-Friday, August 8-10, 2018"
    assert CountMismatch(line=1, heading=heading, days=4, dates=3) in warnings
    assert any("names 4 days but 3 dates" in warning_text(warning) for warning in warnings)


def test_undated_entries_are_flagged_and_warned_about() -> None:
    parsed = parse_log("## Day1:\nRead\n")
    assert EntryFlag.UNDATED in parsed.entries[0].flags
    assert parsed.warnings[0] == UndatedEntries(count=1, numbered=True)
    assert "give the day your log started" in warning_text(parsed.warnings[0])


@pytest.mark.parametrize("text", ["", "   \n", "Just prose.\n\n## About me\nHello", "# Title"])
def test_text_without_entries_is_not_a_log(text: str) -> None:
    with pytest.raises(NotALogError):
        parse_log(text)


def test_decoding_refuses_binary_and_accepts_bom_and_utf16() -> None:
    with pytest.raises(NotALogError):
        decode_log(b"\x00\x01\x02")
    assert decode_log("\ufeff### Day 1".encode()) == "### Day 1"
    assert decode_log("### Day 1".encode("utf-16")) == "### Day 1"


def test_a_start_at_the_end_of_the_calendar_leaves_entries_undated() -> None:
    parsed = parse_log("## Day 50:\nRead\n", start=date(9999, 12, 30))
    assert parsed.entries[0].dates == ()
    assert EntryFlag.UNDATED in parsed.entries[0].flags


# ------------------------------------------------------------------------------------------
# Found in review
# ------------------------------------------------------------------------------------------


def test_a_month_word_in_prose_is_not_a_date() -> None:
    # Plain-line logs: "May the 4th" once crashed the reader.
    parsed = parse_log("Day 1: March 3, 2020\nDid stuff.\nMay the 4th be with you\n")
    assert [entry.dates for entry in parsed.entries] == [(date(2020, 3, 3),)]
    assert parse_log("# Log 2020\n## Day 1\nJune has 30 days\n").entries[0].dates == ()


def test_a_line_under_the_heading_with_words_is_text_not_a_date() -> None:
    entry = parse_log("# Log 2020\n## Day 2\nMarch 5 to 7 pm: pairing\n").entries[0]
    assert entry.dates == ()
    assert entry.text == "March 5 to 7 pm: pairing"


@pytest.mark.parametrize("heading", ["## Day 2: Python 3.11", "## Day 2: 1.5 hours"])
def test_versions_and_decimals_are_not_dates(heading: str) -> None:
    assert parse_log(f"{heading}\nstudied\n", year=2024).entries[0].dates == ()


def test_a_title_with_a_day_token_is_not_an_entry() -> None:
    parsed = parse_log("# Day 1 club\n\n### R1D1: March 1, 2024\nRead\n")
    assert [entry.day for entry in parsed.entries] == [1]
    assert not any(isinstance(warning, DayRestart) for warning in parsed.warnings)


@pytest.mark.parametrize(
    "body",
    [
        "Missed today's standup but coded 2 hours",
        "I did nothing fancy, just trained 3 models",
        "Built the CLI. Nothing done on tests yet.",
    ],
)
def test_progress_that_mentions_nothing_is_still_progress(body: str) -> None:
    assert parse_log(f"## Day 1: March 1, 2024\n{body}\n").entries[0].flags == frozenset()


def test_an_emoji_is_a_post_not_a_stub() -> None:
    assert parse_log("## Day 1: March 1, 2024\n\u2705\n").entries[0].flags == frozenset()


def test_dated_entries_are_sorted_around_undated_ones() -> None:
    log = (
        "## Day 1: Jan 3, 2024\nA day\n\n## Day 2: Jan 10, 2024\nA day\n\n"
        "## Day 3: Jan 5, 2024\nA day\n\n## Day 4\nA day\n"
    )
    days = [entry.dates for entry in parse_log(log).entries]
    assert days == [(date(2024, 1, 3),), (date(2024, 1, 5),), (date(2024, 1, 10),), ()]


def test_a_limit_refuses_a_long_log_before_reading_it() -> None:
    with pytest.raises(LogTooLongError) as refused:
        parse_log("## Day 1\nRead\n" * 12, limit=10)
    assert (refused.value.entries, refused.value.limit) == (12, 10)


# ------------------------------------------------------------------------------------------
# Ranges, lists and compact dates (issue 13, item 4); a time is never a date
# ------------------------------------------------------------------------------------------


def _days(start: date, count: int) -> tuple[date, ...]:
    return tuple(date.fromordinal(start.toordinal() + n) for n in range(count))


@pytest.mark.parametrize(
    ("heading", "dates", "days"),
    [
        # issue 13: days and dates listed with slashes (read as 7 August 2009 before).
        ("### R1D23/24/25 - 2018-10-07/08/09", _days(date(2018, 10, 7), 3), (23, 24, 25)),
        ("### R1D21/22 - 2018-10-05/06", _days(date(2018, 10, 5), 2), (21, 22)),
        # issue 13: a day range and a date range written with "->".
        ("### R1D30-33 2018-10-14 -> 17", _days(date(2018, 10, 14), 4), (30, 31, 32, 33)),
        ("### Day 4 \u2192 5: 2020-03-01 \u2192 2020-03-02", _days(date(2020, 3, 1), 2), (4, 5)),
        ("### Days 6 to 7: 2020-03-03 to 04", _days(date(2020, 3, 3), 2), (6, 7)),
        ("### Days 8 & 9: 2020-03-05 & 06", _days(date(2020, 3, 5), 2), (8, 9)),
        # syahrulhamdani l.22 (spelt right): Day 1 dated 30 August, never days 1-30.
        ("## Day 1 - 30 August, 2018", (date(2018, 8, 30),), (1,)),
        ("## Day 3 - 1 September, 2018", (date(2018, 9, 1),), (3,)),
        # "Day 27 of 100" (nabhanabdulla README): the 100 is the challenge's length.
        ("## Day 27/100(October 26 2019):", (date(2019, 10, 26),), (27,)),
        # Compact: YYYYMMDD (issue 13), YYMMDD right after a day token (jincde's summaries).
        ("### R1D1 - 20200802", (date(2020, 8, 2),), (1,)),
        ("## day 1 220704", (date(2022, 7, 4),), (1,)),
        ("## Day 2 - 20201399", (), (2,)),  # no such day: eight digits, not a date
        # issue 13: a clock time and a time zone are cut before the date is read.
        ("#### R1D29 - Thu Jul 26 21:36:50 EDT 2018", (date(2018, 7, 26),), (29,)),
        # desyarmariena's clock ranges: "13.00 PM" is not 13 December.
        ("## Day 3: 13.00 PM - 19.00 PM", (), (3,)),
    ],
)
def test_ranges_lists_compact_dates_and_times(heading, dates, days) -> None:
    parsed = parse_log(heading + BODY)
    assert [(entry.dates, entry.days) for entry in parsed.entries] == [(dates, days)]


def test_a_date_and_time_heading_keeps_its_date() -> None:
    """ruu2023's posts: `## 2026-02-24 20:30` is 24 February; 20:30 is no date."""
    assert one("## 2026-02-24 20:30")[0] == (date(2026, 2, 24),)


def test_six_digits_alone_are_not_a_date_heading() -> None:
    """`220704` is a date only after a day token: a heading of six digits is not an entry."""
    with pytest.raises(NotALogError):
        parse_log("## 220704\n\nText.\n")


def test_day_and_date_ranges_are_checked_against_each_other() -> None:
    """RafaFT r2-log: `### R2D37 -> 48  - 2020/06/30 -> 2020/07/10`, `R2D49 -> 51 - ...`.

    Twelve day numbers over eleven calendar dates, three over two: the author numbered work
    sessions, not days. A careful reader keeps the dates (what the calendar says happened) and
    says the counts disagree; neither side is "fixed".
    """
    text = (
        "### R2D36 - 2020/06/23\n\nRead.\n\n"
        "### R2D37 -> 48  - 2020/06/30 -> 2020/07/10\n\nWorked on the API.\n\n"
        "### R2D49 -> 51 - 2020/07/17 -> 2020/07/18\n\nDual-boot.\n"
    )
    parsed = parse_log(text)
    long, short = parsed.entries[1], parsed.entries[2]
    assert long.days == tuple(range(37, 49))
    assert long.dates == _days(date(2020, 6, 30), 11)
    assert short.days == (49, 50, 51)
    assert short.dates == (date(2020, 7, 17), date(2020, 7, 18))
    mismatches = [w for w in parsed.warnings if isinstance(w, CountMismatch)]
    assert [(w.line, w.days, w.dates) for w in mismatches] == [(5, 12, 11), (9, 3, 2)]
    assert EntryFlag.COUNT_MISMATCH in long.flags


def test_a_dash_then_hours_is_not_a_date_range() -> None:
    """`2018-10-07 - 12 hours`: a bare number a word follows is not the end of a range."""
    assert one("## Day 1: 2018-10-07 - 12 hours")[0] == (date(2018, 10, 7),)

"""Per-fixture facts about the 19 real challenge logs in tests/fixtures/logs.

Every expected value here was worked out by hand from the raw files (and INDEX.md), by reading
the headings and counting them with grep, never from the parser's output. The comment beside a
number says where in the file it comes from; "line N" is the 1-based line of the heading.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest

from bot.domain.logparse import EntryFlag, LogEntry, NotALogError, ParsedLog, parse_log

LOGS = Path(__file__).parents[1] / "fixtures" / "logs"

BEATO = "beatobongco__x-days-of-ml-code__README.md"
FERNAND = "llSourcell-fork-fernand0aguilar__100_Days_of_ML_Code__Log.md"
AVIK = "Avik-Jain__100-Days-Of-ML-Code__README.md"
LORD = "LordSomen__100DaysOfML__Log.md"
TANK = "tank-t-bird__100-days-ML__log.md"
KALLAWAY_R1 = "kallaway__100-days-kallaway-log__R1.md"
KALLAWAY_R3 = "kallaway__100-days-kallaway-log__R3.md"
MARVOK = "marvokdolor__learning__100DaysOfCodeRound2-log.md"
MADIFZ = "madifz__100-days-of-code__r4-log.md"
YURIA_R1 = "yuriacats__100-days-of-code__r1-log.md"
YURIA_R2 = "yuriacats__100-days-of-code__r2-log.md"
CHINHDO = "chinhdo__100-days-of-code__log.md"
DDCORNWALL = "ddcornwall__100-days-of-code__log.md"
BRADLEY = "kallaway-fork-bradleyhop__100-days-of-code__log.md"
ROGER = "rogerthat39__100-days-of-code__log.md"
LWPULSIFER = "lwpulsifer__100-days-of-code__log.md"
RUHI = "ruhisoni__66DaysOfData__README.md"
KUMAR = "kumar-mahendra__66DaysOfData__Season_1-Getting-started_README.md"
BHADRESH = "bhadreshpsavani__100daysofNLP__README.md"

ALL = (
    BEATO, FERNAND, AVIK, LORD, TANK, KALLAWAY_R1, KALLAWAY_R3, MARVOK, MADIFZ, YURIA_R1,
    YURIA_R2, CHINHDO, DDCORNWALL, BRADLEY, ROGER, LWPULSIFER, RUHI, KUMAR, BHADRESH,
)  # fmt: skip
UNDATED = (AVIK, RUHI, KUMAR, BHADRESH)  # no date anywhere in these four files
DATED = tuple(name for name in ALL if name not in UNDATED)


@cache
def _parsed(name: str) -> ParsedLog:
    return parse_log((LOGS / name).read_text(encoding="utf-8"))


def _at(name: str, line: int, parsed: ParsedLog | None = None) -> LogEntry:
    """The one entry whose heading (or table row) is on `line` of the file."""
    entries = (parsed or _parsed(name)).entries
    found = [entry for entry in entries if entry.line == line]
    assert len(found) == 1, f"{name}: expected one entry at line {line}, found {len(found)}"
    return found[0]


def _ints(text: str) -> list[int]:
    return [int(word) for word in text.split()]


def _span(first: date, last: date) -> tuple[date, ...]:
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


def _all_dates(parsed: ParsedLog) -> list[date]:
    return [d for entry in parsed.entries for d in entry.dates]


def _lines_with(name: str, flag: EntryFlag) -> set[int]:
    return {entry.line for entry in _parsed(name).entries if flag in entry.flags}


# -------------------------------------------------------------------------------------------
# Entry counts
# -------------------------------------------------------------------------------------------

ENTRY_COUNTS = {
    BEATO: 18,  # 18 `## YYYY/M/D` headings (lines 8-285); the two `### ... streak` are not days
    FERNAND: 81,  # `### Day 0:` .. `### Day 80:`
    AVIK: 54,  # `## Title | Day 1` .. `| Day 54`
    LORD: 64,  # 64 `## Day ...` headings, multi-day ones counted once
    TANK: 29,  # 29 `## Day`/`## Days` headings; the indented `  ### Challenge:` (l.359) is not
    KALLAWAY_R1: 39,  # `### Day 1: June 13. Monday` .. `### Day 39: July 21 Thursday`
    KALLAWAY_R3: 100,  # `### R3D1 ` .. `### R3D100`
    MARVOK: 100,  # `### R2D1 - 11/22/18` .. `### R2D100 - 03/01/19`
    MADIFZ: 68,  # 68 `### ...R4D...` headings (R4D1 three times, R4D21 three times)
    YURIA_R1: 31,  # R1D1..R1D30 with R1D29 twice
    YURIA_R2: 2,  # R1D1, R1D2
    CHINHDO: 60,  # Day 59 .. Day 1 plus the unnumbered `## July 20, 2020` note
    # The file has 35 day headings: 24 from `### R1D28` (l.6) down to `### R1D1&D2` (l.422) and
    # 11 from `### Day 77` (l.451) down to `### Day 66` (l.683); the separator `### First
    # attempt ... ended 12/28/2017.` (l.449) is not an entry. INDEX.md's "34" is off by one.
    DDCORNWALL: 35,
    BRADLEY: 49,  # Day 0..44 (45) + repeated Day 28, 35, 38, 43; the commented template is not
    ROGER: 100,  # `## Day 1: 24 November, 2018` .. `## Day 100: 3 March, 2019`
    LWPULSIFER: 100,  # `### Day 1` .. `### Day 100` (the 10x10 link table is not entries)
    RUHI: 11,  # table rows |1| .. |10| plus the placeholder |11|||
    KUMAR: 66,  # `Day 01` .. `Day 66` headings; the nav grid of [`day NN`] links is not
    BHADRESH: 16,  # `## Day1:` .. `## Day16:`; `###` sub-headings are not entries
}


@pytest.mark.parametrize("name", ALL)
def test_entry_count(name):
    assert len(_parsed(name).entries) == ENTRY_COUNTS[name]


def test_every_fixture_has_a_count():
    assert set(ENTRY_COUNTS) == set(ALL)
    assert len(ALL) == 19


# -------------------------------------------------------------------------------------------
# Date spans: (first date, last date, number of distinct dates over all entries)
# -------------------------------------------------------------------------------------------

SPANS: dict[str, tuple[date | None, date | None, int]] = {
    # `## 2018/9/9` (last heading) .. `## 2019/6/21` (first heading); 18 different dates
    BEATO: (date(2018, 9, 9), date(2019, 6, 21), 18),
    # Day 0 `July 9, 2018` and Day 1 `09-07-2018` share a date; Day 80 is 28-09-2018. Day 1..66
    # are Jul 9..Sep 12 in a row, then 14-09, 16-09 .. 28-09: 80 distinct dates for 81 entries.
    FERNAND: (date(2018, 7, 9), date(2018, 9, 28), 80),
    AVIK: (None, None, 0),
    # Day 0 June 30 .. Day 92,93 Oct 25,26. Jun 30..Sep 26 is 89 days minus Jul 31 (skipped)
    # = 88, plus Oct 11, Oct 12-15, Oct 25-26 = 95 (94 day numbers + the 6-dates-for-5 heading).
    LORD: (date(2018, 6, 30), date(2018, 10, 26), 95),
    # Jul 6-18 (13) + Jul 20-27 (8) + Aug 3-11 (9) + Aug 13-14 (2) = 32
    TANK: (date(2018, 7, 6), date(2018, 8, 14), 32),
    KALLAWAY_R1: (date(2016, 6, 13), date(2016, 7, 21), 39),  # "done in 2016", no gaps
    # header "Started on July 17, Monday, 2017."; R3D100 = Jul 17 + 99 days
    KALLAWAY_R3: (date(2017, 7, 17), date(2017, 10, 24), 100),
    MARVOK: (date(2018, 11, 22), date(2019, 3, 1), 100),  # R2D1 11/22/18 .. R2D100 03/01/19
    # Jan 23..Feb 20 (29 days), 21/3, 30/3, then Apr 16..Jul 26 in a row (102 days) = 133
    MADIFZ: (date(2022, 1, 23), date(2022, 7, 26), 133),
    # 2022/11/2 .. 2022/12/4 minus 11/16 and 11/25 = 31 dates, one per heading
    YURIA_R1: (date(2022, 11, 2), date(2022, 12, 4), 31),
    YURIA_R2: (date(2023, 3, 8), date(2023, 3, 9), 2),
    # Day 1 Sunday May 10 .. the note `## July 20, 2020`; 59 day dates with May 14 and Jun 15
    # twice each = 57 distinct, plus Jul 20 = 58
    CHINHDO: (date(2020, 5, 10), date(2020, 7, 20), 58),
    # Day 66 December 17, 2017 .. R1D28 February 13, 2018: Dec 17-28 (12) + Jan 17-Feb 13
    # without Jan 27-28 (R1D11-12 live on the blog) (26) = 38
    DDCORNWALL: (date(2017, 12, 17), date(2018, 2, 13), 38),
    # Day 0 June 24 .. Day 44 August 10, 2017: 48 days in a row; Jul 31 holds Day 35 and 36
    BRADLEY: (date(2017, 6, 24), date(2017, 8, 10), 48),
    ROGER: (date(2018, 11, 24), date(2019, 3, 3), 100),
    LWPULSIFER: (date(2020, 1, 1), date(2020, 4, 9), 100),  # Day 100: April, 09, 2020
    RUHI: (None, None, 0),
    KUMAR: (None, None, 0),
    BHADRESH: (None, None, 0),
}


@pytest.mark.parametrize("name", ALL)
def test_date_span(name):
    first, last, distinct = SPANS[name]
    dates = _all_dates(_parsed(name))
    assert (min(dates, default=None), max(dates, default=None)) == (first, last)
    assert len(set(dates)) == distinct


@pytest.mark.parametrize("name", DATED)
def test_dated_logs_come_out_chronological(name):
    firsts = [entry.dates[0] for entry in _parsed(name).entries if entry.dates]
    assert firsts == sorted(firsts)


@pytest.mark.parametrize("name", DATED)
def test_every_entry_of_a_dated_log_has_a_date(name):
    for entry in _parsed(name).entries:
        assert entry.dates, entry.heading
        assert EntryFlag.UNDATED not in entry.flags
        assert entry.dates == tuple(sorted(entry.dates))


@pytest.mark.parametrize(
    ("name", "first_line", "last_line"),
    [
        # file order is newest first: `## 2019/6/21` (l.8) .. `## 2018/9/9` (l.285)
        (BEATO, 285, 8),
        # `## Day 1: Sunday May 10, 2020` (l.1050) .. the note `## July 20, 2020` (l.3)
        (CHINHDO, 1050, 3),
        # `### Day 66: December 17, 2017` (l.683) .. `### R1D28: February 13, 2018` (l.6)
        (DDCORNWALL, 683, 6),
    ],
)
def test_reverse_files_are_turned_around(name, first_line, last_line):
    entries = _parsed(name).entries
    assert entries[0].line == first_line
    assert entries[-1].line == last_line
    if name != CHINHDO:  # chinhdo's typo'd Day 38 (l.447) sorts before Day 37 (l.463)
        lines = [entry.line for entry in entries]
        assert lines == sorted(lines, reverse=True)


# -------------------------------------------------------------------------------------------
# Day numbers (the `day` of each entry, in output order) and rounds
# -------------------------------------------------------------------------------------------

DAY_SEQUENCES: dict[str, list[int | None]] = {
    BEATO: [None] * 18,  # date-only headings
    FERNAND: list(range(81)),
    AVIK: list(range(1, 55)),
    # first number of each heading: Day 0..30, then `31,32`, 33, `34,35`, 36, 37, 38, `39,40`,
    # 41, 42, `43,44`, `45,46`, 47, `48,49,50`, `51,52,53`, `54,55,56`, 57, 58, 59, `60,61`,
    # 62, 63, `64,65`, `66..70`, `71..75`, `76,77,78`, 79, `80,81`, `82,83`, 84, `85,86`, 87,
    # `88..91`, `92,93`
    LORD: [
        *range(31),
        *_ints("31 33 34 36 37 38 39 41 42 43 45 47 48 51 54 57 58 59 60 62 63 64 66 71 76"),
        *_ints("79 80 82 84 85 87 88 92"),
    ],
    # Day 1..13, `Days 14-15`, Day 16..26, `Days 27-30`, Day 31, 32, 33
    TANK: [*range(1, 15), *range(16, 28), 31, 32, 33],
    KALLAWAY_R1: list(range(1, 40)),
    KALLAWAY_R3: list(range(1, 101)),
    MARVOK: list(range(1, 101)),
    # the headings' first numbers top to bottom (l.7 .. l.287), restarts included
    MADIFZ: [
        *_ints("1 2 3 4 6 8 9 12 13 14 15 16 17 18 20 24 28"),  # 23/01/2022 .. 19-20/2/2022
        *_ints("1 2"),  # `R4D1 (21/3/22)` restart, `R4D2-3 (30/3/22)` pause
        *_ints("1 2 3 4 5 6 7 9 10 11 12 13 14 15 16 18 19 20"),  # 16/4/22 .. 5/5/22
        *_ints("21 21 21"),  # 6/5, 7/5, 8/5
        *_ints("22 24 25 26 27 28 29 30 31 36 37 39 40 42 43 44 45 47 49 50 53 57 65 66"),
        *_ints("83 86 94 97"),  # 9-11/7/22 .. 23-26/7/22
    ],
    # R1D29 on 2022/12/2 and on 2022/12/3 (both written with full-width digits)
    YURIA_R1: [*range(1, 30), 29, 30],
    YURIA_R2: [1, 2],
    # turned around: Day 1 .. Day 35, Day 36 (Jun 15), Day 38 (typo Jun 15, written after
    # Day 37), Day 37 (Jun 17), Day 39 .. 59, then the July 20 note without a number
    CHINHDO: [*range(1, 37), 38, 37, *range(39, 60), None],
    # turned around: Day 66 .. 74, `Days 75 & 76`, 77, then `R1D1&D2`, R1D3 .. R1D10,
    # R1D13 .. R1D25, `R1D26-27`, R1D28 (R1D11-12 are not in the file)
    DDCORNWALL: [*range(66, 76), 77, 1, *range(3, 11), *range(13, 27), 28],
    # Day 28, 35, 38 and 43 each appear twice
    BRADLEY: [*range(29), 28, *range(29, 36), 35, 36, 37, 38, 38, *range(39, 44), 43, 44],
    ROGER: list(range(1, 101)),
    LWPULSIFER: list(range(1, 101)),
    RUHI: list(range(1, 12)),
    KUMAR: list(range(1, 67)),  # `Day 01` is 1
    BHADRESH: list(range(1, 17)),
}


@pytest.mark.parametrize("name", ALL)
def test_day_sequence(name):
    expected = DAY_SEQUENCES[name]
    assert len(expected) == ENTRY_COUNTS[name]  # the table above is self-consistent
    assert [entry.day for entry in _parsed(name).entries] == expected


@pytest.mark.parametrize("name", ALL)
def test_days_start_with_day(name):
    for entry in _parsed(name).entries:
        if entry.day is None:
            assert entry.days == ()
        else:
            assert entry.days[0] == entry.day
            assert list(entry.days) == sorted(entry.days)


@pytest.mark.parametrize(
    ("name", "all_days"),
    [
        (LORD, set(range(94))),  # Day 0 .. `Day 92,93`, no number missing
        (TANK, set(range(1, 34))),  # Day 1 .. 33 with `Days 14-15` and `Days 27-30`
        (MADIFZ, set(range(1, 101))),  # the last attempt runs R4D1 .. `R4D97-100`
        # Day 66..77 and R1D1..R1D28 without R1D11-12
        (DDCORNWALL, set(range(66, 78)) | (set(range(1, 29)) - {11, 12})),
    ],
)
def test_multi_day_headings_cover_every_number(name, all_days):
    assert {d for entry in _parsed(name).entries for d in entry.days} == all_days


@pytest.mark.parametrize(
    ("name", "line", "days", "dates"),
    [
        # `## Day 31,32 : August 1 , August 2, 2018`
        (LORD, 250, (31, 32), (date(2018, 8, 1), date(2018, 8, 2))),
        # `## Day 48,49,50 : Aug 18,19,20 , 2018`
        (LORD, 347, (48, 49, 50), _span(date(2018, 8, 18), date(2018, 8, 20))),
        # `## Day  60,61: Aug 30,31 , 2018`
        (LORD, 394, (60, 61), (date(2018, 8, 30), date(2018, 8, 31))),
        # `## Day 66,67,68,69,70 : Sep 5,Sep 6,Sep 7,Sep 8,Sep 9 ,Sep 10 2018`: 6 dates
        (LORD, 427, (66, 67, 68, 69, 70), _span(date(2018, 9, 5), date(2018, 9, 10))),
        # `## Day 85,86 : Sep 25 , 26 , 2018`
        (LORD, 473, (85, 86), (date(2018, 9, 25), date(2018, 9, 26))),
        # `## Days 14-15: Friday-Saturday, July 20-21, 2018 2h (skipped Thursday)`
        (TANK, 190, (14, 15), (date(2018, 7, 20), date(2018, 7, 21))),
        # `## Days 27-30 Wednesday-Friday, August 8-10, 2018 1h/d`: 3 dates
        (TANK, 307, (27, 28, 29, 30), _span(date(2018, 8, 8), date(2018, 8, 10))),
        # `### R4D4-5 (26-27/01/2022)`
        (MADIFZ, 20, (4, 5), (date(2022, 1, 26), date(2022, 1, 27))),
        # `### R4D9-11 (31/1-2/2 2022)` crosses a month
        (MADIFZ, 32, (9, 10, 11), _span(date(2022, 1, 31), date(2022, 2, 2))),
        # `### R4D2-3 (30/3/22)`: two numbers, one date
        (MADIFZ, 82, (2, 3), (date(2022, 3, 30),)),
        # `### nd double R4D24 (11/5/22)`: junk before the token
        (MADIFZ, 179, (24,), (date(2022, 5, 11),)),
        # `### R4D66-82 (22/6 - 8/7)`: no year, 17 dates (Jun 22-30 and Jul 1-8)
        (MADIFZ, 271, tuple(range(66, 83)), _span(date(2022, 6, 22), date(2022, 7, 8))),
        # `### R4D86-93 (12-19/7/22)`
        (MADIFZ, 280, tuple(range(86, 94)), _span(date(2022, 7, 12), date(2022, 7, 19))),
        # `### R4D97-100 (23-26/7/22)`
        (MADIFZ, 287, (97, 98, 99, 100), _span(date(2022, 7, 23), date(2022, 7, 26))),
        # `### R1D26-27: February 11-12, 2018 - Time spent, 1 hour`
        (DDCORNWALL, 11, (26, 27), (date(2018, 2, 11), date(2018, 2, 12))),
        # `### R1D1&D2: January 17 & 18, 2018 - Time spent, 1 hour each day`
        (DDCORNWALL, 422, (1, 2), (date(2018, 1, 17), date(2018, 1, 18))),
        # `### Days 75 & 76: December 26 and 27, 2017 - Total Time spent, 2 hours 15 minutes`
        (DDCORNWALL, 470, (75, 76), (date(2017, 12, 26), date(2017, 12, 27))),
    ],
)
def test_multi_day_heading(name, line, days, dates):
    entry = _at(name, line)
    assert entry.days == days
    assert entry.dates == dates


ROUNDS: dict[str, set[int | None]] = {
    MADIFZ: {4},  # every heading is R4Dn
    MARVOK: {2},  # R2Dn
    KALLAWAY_R3: {3},  # R3Dn
    YURIA_R1: {1},  # R1Dn
    YURIA_R2: {1},  # R1Dn again (the restart is still titled "Round 1")
    KALLAWAY_R1: {1},  # no token; the title `## Log of Round 1 of #100DaysOfCode - done in 2016`
    # no RxDy token and no "Round N" in the title:
    BEATO: {None},
    FERNAND: {None},
    AVIK: {None},
    LORD: {None},
    TANK: {None},
    CHINHDO: {None},
    BRADLEY: {None},
    ROGER: {None},
    LWPULSIFER: {None},
    RUHI: {None},
    KUMAR: {None},
    BHADRESH: {None},
}


@pytest.mark.parametrize("name", sorted(ROUNDS))
def test_rounds(name):
    assert {entry.round for entry in _parsed(name).entries} == ROUNDS[name]


def test_ddcornwall_rounds_split_at_the_separator():
    # `### R1Dn` headings sit above the separator at line 449; `### Day 77` .. `### Day 66`
    # below it carry no round token, and the title `# 100 Days Of Code - Log` names none
    for entry in _parsed(DDCORNWALL).entries:
        assert entry.line != 449
        assert entry.round == (1 if entry.line < 449 else None), entry.heading


# -------------------------------------------------------------------------------------------
# Calendar-numbered logs: Day N is start + N - 1
# -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start"),
    [
        (KALLAWAY_R1, date(2016, 6, 13)),  # `### Day 1: June 13. Monday`, year from "in 2016"
        (KALLAWAY_R3, date(2017, 7, 17)),  # "Started on July 17, Monday, 2017." (inferred)
        (MARVOK, date(2018, 11, 22)),  # `### R2D1 - 11/22/18`, 100 days in a row
        (ROGER, date(2018, 11, 24)),  # `## Day 1: 24 November, 2018`, 100 days in a row
        (LWPULSIFER, date(2020, 1, 1)),  # `### Day 1: January, 01, 2020` (generated stubs)
    ],
)
def test_calendar_numbered_logs(name, start):
    for entry in _parsed(name).entries:
        assert entry.day is not None
        assert entry.dates == (start + timedelta(days=entry.day - 1),), entry.heading


def test_kallaway_r1_weekdays_agree_with_2016():
    # every `Month D Weekday` heading is right for 2016 (June 13, 2016 was a Monday)
    assert _lines_with(KALLAWAY_R1, EntryFlag.WEEKDAY_MISMATCH) == set()


def test_kallaway_r3_dates_are_inferred_from_the_header():
    for entry in _parsed(KALLAWAY_R3).entries:
        assert EntryFlag.INFERRED_DATE in entry.flags
        assert EntryFlag.UNDATED not in entry.flags
    assert _at(KALLAWAY_R3, 8).dates == (date(2017, 7, 17),)  # `### R3D1 ` (trailing space)


def test_marvokdolor_two_and_four_digit_years():
    assert _at(MARVOK, 48).dates == (date(2018, 12, 2),)  # `### R2D11 - 12/02/18`
    assert _at(MARVOK, 52).dates == (date(2018, 12, 3),)  # `### R2D12 - 12/03/2018`
    assert _at(MARVOK, 156).dates == (date(2019, 1, 1),)  # `### R2D41 - 01/01/19`


def test_lwpulsifer_stubs_are_empty():
    # Days 1-8 have real `Today's Progress`; Days 9-100 are generator stubs with example.com
    for entry in _parsed(LWPULSIFER).entries:
        assert entry.day is not None
        if entry.day <= 8:
            assert EntryFlag.EMPTY not in entry.flags, entry.heading
            # Day 8 has "**Thoughts:** None" but real progress: not a non-progress day
            assert EntryFlag.NO_PROGRESS not in entry.flags, entry.heading
        else:
            assert EntryFlag.EMPTY in entry.flags, entry.heading


# -------------------------------------------------------------------------------------------
# Undated logs, and start=
# -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", UNDATED)
def test_undated_logs(name):
    for entry in _parsed(name).entries:
        assert entry.dates == ()
        assert EntryFlag.UNDATED in entry.flags
        assert EntryFlag.INFERRED_DATE not in entry.flags


def test_ruhisoni_table_rows():
    entries = _parsed(RUHI).entries
    assert entries[0].line == 19  # `|1| - Learnt to interact between github ...`
    assert entries[-1].line == 29  # `|11|||`
    assert EntryFlag.EMPTY in entries[-1].flags
    for entry in entries[:-1]:
        assert EntryFlag.EMPTY not in entry.flags, entry.heading


def test_start_date_infers_ruhisoni_dates():
    start = date(2023, 5, 1)
    parsed = parse_log((LOGS / RUHI).read_text(encoding="utf-8"), start=start)
    assert [entry.day for entry in parsed.entries] == list(range(1, 12))
    for entry in parsed.entries:
        assert entry.day is not None
        assert entry.dates == (start + timedelta(days=entry.day - 1),)
        assert EntryFlag.INFERRED_DATE in entry.flags
        assert EntryFlag.UNDATED not in entry.flags
    assert parsed.entries[-1].dates == (date(2023, 5, 11),)  # |11||| -> start + 10
    assert EntryFlag.EMPTY in parsed.entries[-1].flags


def test_start_date_infers_bhadreshpsavani_dates():
    parsed = parse_log((LOGS / BHADRESH).read_text(encoding="utf-8"), start=date(2021, 8, 24))
    assert parsed.entries[0].dates == (date(2021, 8, 24),)  # `## Day1:`
    assert parsed.entries[-1].dates == (date(2021, 9, 8),)  # `## Day16:` = start + 15


# -------------------------------------------------------------------------------------------
# Flags
# -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        # `## Day 66,67,68,69,70 : Sep 5,...,Sep 10 2018`: 5 numbers, 6 dates; every other
        # multi-day heading has as many dates as numbers
        (LORD, {427}),
        # `## Days 27-30 ... August 8-10, 2018`: 4 numbers, 3 dates (`Days 14-15` has 2 and 2)
        (TANK, {307}),
        # `### R4D2-3 (30/3/22)`: 2 numbers, 1 date; all other ranges match
        (MADIFZ, {82}),
        # R1D1&D2, R1D26-27 and Days 75 & 76 all have 2 numbers and 2 dates
        (DDCORNWALL, set()),
    ],
)
def test_count_mismatch(name, lines):
    assert _lines_with(name, EntryFlag.COUNT_MISMATCH) == lines


def test_chinhdo_weekday_mismatches():
    # May 14, 2020 was a Thursday: from `## Day 6: Friday May 14, 2020` (l.950) to `## Day 21:
    # Sat May 29, 2020` (l.702) every weekday is one ahead; Day 1-5 and Day 22 (`Sun May 31`)
    # on are right, and Day 34 on carry no weekday at all
    flagged = {
        entry.day for entry in _parsed(CHINHDO).entries if EntryFlag.WEEKDAY_MISMATCH in entry.flags
    }
    assert flagged == set(range(6, 22))
    assert EntryFlag.WEEKDAY_MISMATCH in _at(CHINHDO, 950).flags


def test_tank_weekdays_agree():
    # `Friday, July 06, 2018` .. `Tuesday, August 14, 2018`, ranges included, are all right
    assert _lines_with(TANK, EntryFlag.WEEKDAY_MISMATCH) == set()


def test_chinhdo_duplicate_dates():
    flagged = _lines_with(CHINHDO, EntryFlag.DUPLICATE_DATE)
    # Day 6 (l.950) repeats Day 5's May 14 (l.967); Day 38 (l.447) repeats Day 36's Jun 15
    # (l.478). Either of each pair may carry the flag, the later-written one must.
    assert {950, 447} <= flagged <= {950, 967, 447, 478}


def test_bradleyhop_duplicates():
    dup_date = _lines_with(BRADLEY, EntryFlag.DUPLICATE_DATE)
    # `### Day 35: July 31, 2017` (l.463) and `### Day 36: July 31, 2017` (l.472)
    assert {472} <= dup_date <= {463, 472}
    dup_day = _lines_with(BRADLEY, EntryFlag.DUPLICATE_DAY)
    # second Day 28 (l.381), 35 (l.463), 38 (l.498), 43 (l.547); first ones l.372/458/490/539
    assert {381, 463, 498, 547} <= dup_day <= {372, 381, 458, 463, 490, 498, 539, 547}


def test_fernand0aguilar_day_0_and_1_share_a_date():
    # Day 0 `July 9, 2018` (l.5) and Day 1 `09-07-2018 , 23:37` (l.15)
    assert _at(FERNAND, 5).dates == _at(FERNAND, 15).dates == (date(2018, 7, 9),)
    assert {15} <= _lines_with(FERNAND, EntryFlag.DUPLICATE_DATE) <= {5, 15}


def test_fernand0aguilar_dates_are_day_first_and_not_shifted():
    assert _at(FERNAND, 268).dates == (date(2018, 8, 1),)  # Day 24 `01-08-2018 , 22:11`
    assert _at(FERNAND, 488).dates == (date(2018, 8, 21),)  # Day 44 `21-08-2018 , 04:12`
    assert _at(FERNAND, 620).dates == (date(2018, 9, 2),)  # Day 56 `02-09-2018 , 05:38`
    assert _at(FERNAND, 741).dates == (date(2018, 9, 14),)  # Day 67 `14-09-2018` after a gap


def test_duplicate_days_madifz_and_yuriacats():
    # `### R4D21` on 6/5 (l.163), 7/5 (l.167) and 8/5/22 (l.171)
    assert {167, 171} <= _lines_with(MADIFZ, EntryFlag.DUPLICATE_DAY)
    # `### R1D29` on 2022/12/2 (l.209) and 2022/12/3 (l.214)
    assert {214} <= _lines_with(YURIA_R1, EntryFlag.DUPLICATE_DAY) <= {209, 214}


@pytest.mark.parametrize(
    "line",
    [
        433,  # Day 39: "**Today's Progress:** Coded nothing. And plus, broke my computer"
        532,  # Day 48: "**Today's Progress:** Nothing done. Oh"
        543,  # Day 49: "**Today's Progress:** S"
        642,  # Day 58: "Well, to be true I studied nothing at all"
    ],
)
def test_fernand0aguilar_non_progress(line):
    assert _at(FERNAND, line).flags & {EntryFlag.EMPTY, EntryFlag.NO_PROGRESS}


def test_bradleyhop_no_progress():
    # l.372 Day 28 Jul 22 "**Today's Progress**: None."; l.458 Day 35 Jul 30 "Today counts as a
    # skip day."; l.498 Day 38 Aug 3 "ended up not coding long enough to count"; l.547 Day 43
    # Aug 9 "Missed today." Every other entry reports real progress.
    assert _lines_with(BRADLEY, EntryFlag.NO_PROGRESS) == {372, 458, 498, 547}
    assert _at(BRADLEY, 372).dates == (date(2017, 7, 22),)
    assert _at(BRADLEY, 547).dates == (date(2017, 8, 9),)  # `### Day 43: August 9, 2017 ###`


def test_bradleyhop_template_is_not_an_entry():
    # the commented-out template (l.561-572) holds `### Day 0: February 30, 2016 (Example 1)`
    assert all(entry.line < 561 for entry in _parsed(BRADLEY).entries)
    assert _parsed(BRADLEY).entries[-1].line == 552  # `### Day 44: August 10, 2017 ###`


def test_chinhdo_undated_number_note():
    note = _at(CHINHDO, 3)  # `## July 20, 2020`: a dated note with no day number
    assert note.day is None
    assert note.days == ()
    assert note.dates == (date(2020, 7, 20),)
    assert "July 20, 2020" in note.heading
    assert _parsed(CHINHDO).entries[-1] is note


def test_chinhdo_day_38_typo_date():
    assert _at(CHINHDO, 447).dates == (date(2020, 6, 15),)  # `## Day 38: Jun 15, 2020`
    assert _at(CHINHDO, 478).dates == (date(2020, 6, 15),)  # `## Day 36: Jun 15, 2020`


# -------------------------------------------------------------------------------------------
# Minutes
# -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "minutes"),
    [
        (TANK, 3, 120),  # `## Day 1: Friday, July 06, 2018 2h`
        (TANK, 180, 45),  # `## Day 13: Wednesday, July 18, 2018 45m`
        (TANK, 199, 150),  # `## Day 16 Sunday, July 22, 2018 2.5h `
        (TANK, 221, 160),  # `## Day 18 Tuesday, July 24, 2018 2h40m`
        (TANK, 232, 105),  # `## Day 19 Wednesday, July 25, 2018 1h45m`
        (TANK, 363, 90),  # `## Day 33 Tuesday, August 14, 2018 1.5h`
        (TANK, 293, None),  # `## Day 25 Monday, August 6, 2018 ` states no duration
        (DDCORNWALL, 6, 60),  # `### R1D28: ... - Time spent, 1 hour`
        (DDCORNWALL, 126, 90),  # `### R1D17: ... - Time spent, 1 hour 30 minutes`
        (DDCORNWALL, 230, 75),  # `### R1D13: ... - Time spent, 1 hour 15 minutes`
        (DDCORNWALL, 422, 120),  # `### R1D1&D2: January 17 & 18 ... 1 hour each day`: 2 x 60
        (DDCORNWALL, 470, 135),  # `### Days 75 & 76: ... Total Time spent, 2 hours 15 minutes`
        (DDCORNWALL, 495, 70),  # `### Day 74: ... Time spent, 1 hour 10 minutes`
        (YURIA_R1, 7, 60),  # R1D1: only `23:45 - 0:45`
        (YURIA_R1, 20, 108),  # R1D2: `19:15 - 20:40` (85) + `21:00 - 21:23` (23)
        (YURIA_R1, 30, 137),  # R1D3: `20:04 - 20:49` (45) + `23:09 - 0:41` (92)
        (YURIA_R1, 39, 213),  # R1D4: `21:45 - 22:45 ` (60) + `22:45 - 25:18` (153)
        (YURIA_R1, 122, None),  # R1D13: no time range at all
        (YURIA_R1, 126, 50),  # R1D14: `22:15-23:05` (no spaces)
        (YURIA_R2, 7, 60),  # R1D1: `21:00 - 22:00`
        (YURIA_R2, 15, 40),  # R1D2: `20:45 - 21:25`, the end in full-width digits and colon
    ],
)
def test_minutes(name, line, minutes):
    assert _at(name, line).minutes == minutes


# -------------------------------------------------------------------------------------------
# Full-width digits (NFKC)
# -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "when"),
    [
        (184, date(2022, 11, 27)),  # R1D24 `2022/11/27` with a full-width 7
        (204, date(2022, 12, 1)),  # R1D28 `2022/12/1` with full-width 2 and 1
        (209, date(2022, 12, 2)),  # R1D29 `2022/12/2` with full-width 2s
        (214, date(2022, 12, 3)),  # R1D29 again, `2022/12/3` with a full-width 2
        (219, date(2022, 12, 4)),  # R1D30 `2022/12/4`
    ],
)
def test_yuriacats_full_width_dates(line, when):
    assert _at(YURIA_R1, line).dates == (when,)


# -------------------------------------------------------------------------------------------
# Tags and links (beatobongco and a few others)
# -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (285, "tensorflow read image reading"),  # `## 2018/9/9` / `Tags: tensorflow read ...`
        (219, "keras cnn entropic capacity"),  # `## 2018/9/13` / `Tags: keras CNN entropic ...`
        (100, "backprop"),  # `## 2018/9/20` / `Tags: backprop`
        (15, "fastai"),  # `## 2019/4/20` / `Tags: fastai ` (trailing space)
    ],
)
def test_beatobongco_tags(line, words):
    # whether a `Tags:` line is split on spaces or kept whole, the words are these, lowercased
    assert " ".join(_at(BEATO, line).tags) == words


def test_beatobongco_every_entry_has_tags():
    assert all(entry.tags for entry in _parsed(BEATO).entries)  # 18 `Tags:` lines, one each


def test_beatobongco_colab_links():
    with_colab = {
        entry.line
        for entry in _parsed(BEATO).entries
        if any(link.kind == "colab" for link in entry.links)
    }
    # `Colab: https://colab.research.google.com/drive/...` under 2019/3/25 (l.69), 2018/9/19,
    # 9/18, 9/13, 9/12, 9/11, 9/10, 9/9; plus the colab.research.google.com/notebooks URL
    # in a bullet of 2019/4/9 (l.43)
    assert with_colab == {43, 69, 108, 132, 219, 234, 252, 259, 285}
    urls = {link.url: link.kind for link in _at(BEATO, 285).links}
    assert urls["https://colab.research.google.com/drive/15yTXLUfoSfIhiGG3G1B4fZtQsqTg9xBU"] == (
        "colab"
    )


@pytest.mark.parametrize(
    ("name", "line", "url", "kind"),
    [
        # `## 2019/4/20`: "notes are extremely useful https://github.com/hiromis/..."
        (BEATO, 15, "https://github.com/hiromis/notes/blob/master/Lesson3.md", "github"),
        # Day 0 `**Link to work:** [Coding Train 6.2 TensorFlow.js](https://www.youtube...)`
        (FERNAND, 5, "https://www.youtube.com/watch?v=D-XzAeVvMkg", "youtube"),
        # |10| ... `StatQuest: ... https://youtu.be/FgakZw6K1QQ`
        (RUHI, 28, "https://youtu.be/FgakZw6K1QQ", "youtube"),
    ],
)
def test_link_kinds(name, line, url, kind):
    urls = {link.url: link.kind for link in _at(name, line).links}
    assert urls[url] == kind


# -------------------------------------------------------------------------------------------
# Not a log
# -------------------------------------------------------------------------------------------


def test_prose_is_not_a_log():
    prose = (
        "I went for a walk by the river this morning. The weather was mild and the ducks\n"
        "were out. Afterwards I read a chapter of a novel and made some tea.\n"
    )
    with pytest.raises(NotALogError):
        parse_log(prose)
    assert issubclass(NotALogError, ValueError)

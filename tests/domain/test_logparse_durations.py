"""Durations anywhere in an entry are its minutes; durations that are not time spent are not.

The rule is written in bot/domain/logparse/durations.py. The lines are quoted from real logs in
tests/fixtures/logs-world/ and tests/fixtures/logs/ (file and line given) or from issue 13.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.domain.logparse import parse_log

WORLD = Path(__file__).parents[1] / "fixtures" / "logs-world"


def _minutes(body: str, heading: str = "## Day 1: March 1, 2024") -> int | None:
    (entry,) = parse_log(f"{heading}\n{body}\n").entries
    return entry.minutes


@pytest.mark.parametrize(
    ("body", "minutes"),
    [
        ("Finished the lesson. 1h 30m", 90),  # issue 13
        ("Read the Adam paper, 45 min.", 45),  # issue 13
        ("1 hour.", 60),  # issue 13
        ("    - time it took: ~1.25 hours", 75),  # machineman1357 l.15
        ("- time it took: ~10 hours, because I spent a lot of time trying out typescript", 600),
        ("Spent 15 mins to chalk out a rough plan for my first project", 15),  # ry05 l.188
        ("理解も含めて、普通に１時間以上かかった", 60),  # HasutoSasaki l.91 (full-width 1)
        ("AIとペアプロして30分で完成。普通に難しい…🎮", 30),  # ruu2023 l.675
        ("I worked for about 1 and a half hour, it was hard", 90),  # Adelina1905 l.3
        (
            "J\u2019ai passé environ une heure devant la documentation de bootstrap",
            60,
        ),  # Ana0804 l.30
        ("| 12 | 19/02 | Đọc sách 15 phút |", 15),  # duccipline's cells
        ("Hôm nay học 2 giờ.", 120),
        ("Heute 2 Stunden an der API gearbeitet.", 120),
        ("Estudié 1 hora de SQL.", 60),
        ("Half an hour on flexbox.", 30),
        ("An hour and a half of reading.", 90),
        ("Watched a 45 min video on attention.", 45),  # time spent watching
        ("Coded 1h30 in the morning.", 90),
        ("Read for 30 minutes. Coded for 1 hour.", 90),  # summed over the day
    ],
)
def test_a_duration_in_the_text_is_time_spent(body: str, minutes: int) -> None:
    assert _minutes(body) == minutes


@pytest.mark.parametrize(
    "body",
    [
        "In 2 hours I will push the release.",  # a plan
        "I code for 30 minutes every day.",  # a habit
        "🛑 ルール\uff1a毎日 30 分 1 本勝負 🛠️ 今日の成果\uff1aReact Tetris App",  # ruu2023 l.556
        "Pushed the fix 2 hours ago.",  # a point in time
        "Read Chapter 1.5 and the exercises.",  # no unit
        "See [the 45 min talk](https://example.org/talk-45-min) later.",  # in a link
        "Ran `sleep 30m` in the container.",  # in code
        "I was very tired, had just 4 hours of sleep.",  # kallaway R1 l.149: sleep
        "* https://course.fast.ai/videos/?lesson=3 stopped at 1hr",  # beatobongco l.~20: a place
        "I can get it running in less than 5 minutes in .NET.",  # chinhdo l.1064: a limit
        "After 10 hours coding last week, today was slow.",  # another week
        "Grew to 5M users.",  # a capital M is a million
        "Goal: 2 hours a day.",  # a target
    ],
)
def test_a_duration_that_is_not_time_spent_is_not_read(body: str) -> None:
    assert _minutes(body) is None


def test_a_labelled_line_wins_over_the_text() -> None:
    # desyarmariena l.7: `**Time spent**: 13.00 PM - 19.00 PM (appr 6 hours)`; the text's own
    # "a 45 min video" is not added to what the label says.
    body = "**Time spent**: 13.00 PM - 19.00 PM (appr 6 hours)\nWatched a 45 min video."
    assert _minutes(body) == 360


def test_a_rate_on_a_multi_day_entry_is_that_much_each_day() -> None:
    heading = "## Days 2-3: May 2-3, 2020"
    assert _minutes("Coded 1 hour a day on the parser.", heading) == 120
    assert _minutes("Coded 1 hour a day on the parser.") is None  # one day: a habit


def test_more_than_a_day_holds_is_not_a_days_time() -> None:
    assert _minutes("Spent 20 hours on it. Then 10 hours more.") is None


def test_the_real_log_with_a_duration_in_every_entry_reads_them_all() -> None:
    # machineman1357: `- time it took: ~10 hours`, `~2 hours`, `~1.25 hours`, `~1 hours` (x2).
    name = "machineman1357__365-MPPs_3_Client-Side-Prediction__README.md"
    parsed = parse_log((WORLD / name).read_text(encoding="utf-8"))

    assert [entry.minutes for entry in parsed.entries] == [600, 120, 75, 60, 60]
    assert parsed.entries[0].dates == (date(2021, 1, 3),)


def test_a_long_line_is_read_once_and_bounded() -> None:
    # Durations past the first 2,000 characters of one line are not read (a bound, not a day).
    assert _minutes("x " * 1_000 + "1 hour") is None
    assert _minutes("1 hour " + "x " * 100_000) == 60


@pytest.mark.parametrize(
    "body",
    [
        "Used the C++ 17 std library for the parser.",  # "std" is German for hours only in German
        "Mined 3 ore in the game before lunch.",  # "ore" is Italian for hours
        "I made 2 jam jars for the demo shop.",  # "jam" is Indonesian and Malay for hours
        "Sorted 12 dk entries and 3 sa rows.",  # "dk", "sa": Turkish minutes and hours
    ],
)
def test_a_short_unit_of_another_language_is_not_read_in_english_prose(body: str) -> None:
    """A unit word of three letters or fewer from another language counts only where its
    language is vouched for by another of its words: in English prose these are English."""
    assert _minutes(body) is None


@pytest.mark.parametrize(
    ("heading", "body", "minutes"),
    [
        # dvrg__100-days-of-code__intl_id_log.md l.5: the line itself says "Hari".
        (
            "### Hari ke 0: 10 September 2020",
            "**Kemajuan Hari Ini:** Melakukan terjemahan sebesar 70% dan memakan waktu +3 Jam",
            180,
        ),
        ("### Hari 3: 12 September 2020", "Belajar Python 2 jam", 120),  # the heading vouches
        ("### Giorno 3: 12 settembre 2020", "Ho studiato 2 ore", 120),
        ("### Tag 3: 12. Dezember 2020", "Heute 2 Std gelernt", 120),  # "Tag" is English too
    ],
)
def test_a_short_unit_is_read_where_its_language_is_vouched_for(
    heading: str, body: str, minutes: int
) -> None:
    """The entry's heading or text in the unit's language vouches for it."""
    assert _minutes(body, heading) == minutes


@pytest.mark.parametrize(
    ("body", "minutes"),
    [
        ("J'ai codé de 9h à 11h sur le projet", 120),  # French writes the clock "9h"
        ("Estudié de 14h30 a 16h", 90),
        ("Sessions: 9h-11h", 120),
        ("from 22h to 1h, late night", 180),  # past midnight
    ],
)
def test_two_times_of_day_written_with_h_are_a_span_not_two_durations(
    body: str, minutes: int
) -> None:
    """``9h - 11h`` is two hours of the day (the time between them), not 9 + 11 = 20 hours."""
    assert _minutes(body) == minutes


@pytest.mark.parametrize(
    ("body", "minutes"),
    [
        # A vulgar fraction after hours: NFKC made "1½" eleven halves, read as 2 hours (120).
        ("Spent 1\u00bd hours on the parser.", 90),
        ("Spent 1 \u00bd hours on the parser.", 90),
        ("Worked 2\u00be hours on it.", 165),
        ("\u00bd hour of reading.", 30),
        # "a half hour" is half an hour (review r13d).
        ("Watched a half hour of lectures.", 30),
    ],
)
def test_halves_written_as_a_fraction_or_a_half_hour(body: str, minutes: int) -> None:
    assert _minutes(body) == minutes


def test_a_fraction_in_the_heading_and_the_text_as_written_are_kept() -> None:
    log = "## Day 1: March 1, 2024 - 1\u00bd hours\nRead 1\u00bd chapters.\n"
    (entry,) = parse_log(log).entries
    assert entry.minutes == 90
    assert entry.text == "Read 1\u00bd chapters."  # the member's words, not the reader's

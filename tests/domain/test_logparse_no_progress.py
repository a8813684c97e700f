"""Days named as days off are no progress; the same words about another day or another aim are not.

The no-progress notes come from real logs in tests/fixtures/logs-world/ (Clifton893, ry05), each
quoted with its line; the near misses are the shapes that must keep counting.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.domain.logparse import EntryFlag, day_facts, parse_log

WORLD = Path(__file__).parents[1] / "fixtures" / "logs-world"
FACTS = json.loads((WORLD / "facts.json").read_text(encoding="utf-8"))


def _flags(body: str) -> frozenset[EntryFlag]:
    (entry,) = parse_log(f"## Day 1: March 1, 2024\n{body}\n").entries
    return entry.flags


@pytest.mark.parametrize(
    "body",
    [
        "Took a personal day for R&R. ",  # Clifton893 l.96
        (
            "Technically a day of no code. Took the day off to recover, listen to the rain before "
            "work, and get rested for tomorrow. "
        ),  # Clifton893 l.123
        "Day of rest. Stressful week -- add +1 day after Day 100 to compensate. ",  # l.81
        (
            "No code; packed day after a long weekend, rested up to get back to coding tomorrow. "
            "+1 day after Day 100."
        ),  # Clifton893 l.66
        "Long week and chores piled up, day off from code. +1 day after Day 100.",  # l.51
        "Thanksgiving. Holiday. :)",  # Clifton893 l.36
        (
            "Took a break from any kind of data science learning today.\n\n"
            "Instead, I went ahead and dedicated the day for my grad school assignment."
        ),  # ry05 l.203
        "Rest day.",
        "No coding today!",
        # The challenge itself stopped (tests/fixtures/logs): chinhdo l.5, madifz r4 l.84.
        "Unfortunately I failed the challenge this go-round. I took a break day, then ...",
        (
            "- Putting pause on round 4 of #100DaysOfCode. Been busy reviewing React, learning "
            "magento/sfcc/prestashop for work, so have not really been able to restart properly."
        ),
        "Pausing the challenge for a week: moving house.",
    ],
)
def test_a_day_named_as_one_off_is_no_progress(body: str) -> None:
    assert _flags(body) == {EntryFlag.NO_PROGRESS}


@pytest.mark.parametrize(
    "body",
    [
        # Off work, so free for code.
        "Took the day off work to code all day.",
        "Day off work, so I coded the whole afternoon.",
        # A break taken to do something that is progress.
        "Took a break from React to do some Python katas.",
        # The break words later in the text are about something else.
        "Built the parser. Took a break from tests to write the docs.",
        "Built the parser, then took a long walk. Day off tomorrow.",
        # chinhdo l.333: yesterday's break, today's work.
        (
            "Took a break day yesterday - yes you are allowed to take a day off here and there.\n\n"
            "Added support for copying directory to #dotnet Transactional File Manager library."
        ),
        # "no code" followed by more words is not "no code".
        "No code changes today, but I designed the schema.",
        # Clifton893 l.39: Thanksgiving eve, and real review.
        "Another dictionary review day, day full of errands/chores/work, and Thanksgiving eve.",
        "Holiday coding marathon: built the whole login flow.",
        # A coding challenge failed, then work on it: progress.
        "Failed the challenge on HackerRank and then studied the editorial.",
        "Put a pause on the video at 10:00 to try the exercise myself.",
    ],
)
def test_the_same_words_about_work_or_another_day_are_progress(body: str) -> None:
    assert _flags(body) == frozenset()


def _best_run(days: list[date]) -> int:
    best = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


@pytest.mark.parametrize(
    ("name", "year"),
    [("Clifton893__100-days-of-code__log.md", 2021), ("ry05__ry05.github.io__66dod.md", None)],
)
def test_real_logs_with_days_off_read_their_counted_days(name: str, year: int | None) -> None:
    # facts.json (counted by hand): Clifton893 41 days logged, best run 9 (six days off named in
    # the notes); ry05 18 and 16 (Day 17 a break, Day 20 an empty stub).
    facts = FACTS[name]["facts"]
    parsed = parse_log((WORLD / name).read_text(encoding="utf-8"), year=year)
    days = sorted(day_facts(parsed.entries))

    assert len(days) == facts["days_logged"]
    assert _best_run(days) == facts["best_streak"]


# Days without progress in other languages (finding 5 of the literal-member review): the same
# meanings as the English patterns, said as a native writer says them, at the entry's opening
# (or, in Korean and Turkish, closing its first sentence after a reason), or as the whole entry.
@pytest.mark.parametrize(
    "body",
    [
        "Pas de code aujourd'hui.",  # fr, the review's example
        "Hoy no programé, estuve enfermo.",  # es, the review's example
        "Hoy no programe, estuve enfermo.",  # es, typed without accents
        "Tidak ada kemajuan hari ini.",  # id, the review's example
        "今天休息，没有写代码。",  # zh, the review's example
        # ko: SaraHan774 l.56, "the last day of my Jeju trip, so I rest for a day".
        "  * **제주도 여행 마지막 날이라서 하루 쉽니다.**",
        "오늘은 휴식.",  # ko
        "Não programei hoje porque estava doente.",  # pt
        "Heute nichts gemacht.",  # de
        "Ich habe heute nichts gemacht, war müde.",  # de, "today" inside the phrase
        "Oggi giorno di riposo.",  # it
        "Bugün kod yazmadım.",  # tr
        "Hasta olduğum için çalışmadım.",  # tr, after its reason
        "Vandaag niets gedaan.",  # nl
        "Dziś nic nie zrobiłem.",  # pl
        "Hôm nay không code.",  # vi
        "今日は休みです。",  # ja
        "体調不良のため休み。",  # ja, after its reason
        "Navidad. Vacaciones.",  # es, the whole entry (as "Thanksgiving. Holiday.")
        "Krank.",  # de, the whole entry
    ],
)
def test_a_day_off_said_in_another_language_is_no_progress(body: str) -> None:
    assert _flags(body) == {EntryFlag.NO_PROGRESS}


@pytest.mark.parametrize(
    "body",
    [
        # The review's near miss: "I did not code much, but finished the exercise".
        "Hoy no programé mucho, pero terminé el ejercicio",
        # vanribeiro row 004 and row 020 (a light day, still progress; facts.json says so).
        "Codifiquei pouco. Apenas revi um pouco sobre Media Queries.",
        "Hoje me dei uma folga, mas mesmo assim escrevi poucas linhas de código.",
        "Pas de code aujourd'hui, mais j'ai lu la doc.",  # a "but" follows
        "No hice nada nuevo, solo repasé los apuntes.",  # "nothing new": the clause goes on
        "Krank, aber trotzdem zwei Katas gelöst.",
        "休みの日にコードを書いた。",  # ja: "on my day off I wrote code"
        "今天休息了一下，然后写了代码。",  # zh: "rested a little, then wrote code"
        "Repos: cleaned up three of them.",  # fr "repos" is an English word too
        "Ferie finite, ho ripreso il progetto.",  # it: "holidays over, back on the project"
    ],
)
def test_near_misses_in_other_languages_keep_counting(body: str) -> None:
    assert EntryFlag.NO_PROGRESS not in _flags(body)


def test_a_long_hostile_opening_in_another_language_is_read_in_bounded_time() -> None:
    # Only the first sentence's first 200 characters and a short whole entry are read.
    body = "hoy " * 50_000 + "no programé."
    assert EntryFlag.NO_PROGRESS not in _flags(body)

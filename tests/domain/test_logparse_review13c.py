"""Adversarial review of issue 13's newest rules: containers, periods, days off in 13 languages."""

from __future__ import annotations

from datetime import date

from bot.domain.logparse import EntryFlag, parse_log

# ------------------------------------------------------------------------------------------
# Containers and periods: a list of dates inside a day or a plan is not a run of days
# ------------------------------------------------------------------------------------------


def test_bare_dated_lines_under_an_undated_day_are_that_days_list() -> None:
    # Not from a file: `### Day 2` between Day 1 (March 1) and Day 3 (March 6) holding a
    # changelog. The numbering says Day 2 is one day; its lines number no days of their own
    # (sergiorock's do: `12/05/2020 - Día 1 - ...`), so they are its text, not four days.
    log = (
        "### Day 1: 2024-03-01\nSet up the project.\n\n### Day 2\n"
        "- 2024-03-02 fixed login\n- 2024-03-03 added tests\n- 2024-03-04 refactor\n"
        "- 2024-03-05 deploy\n\n### Day 3: 2024-03-06\nMore.\n"
    )
    parsed = parse_log(log)
    assert [entry.days for entry in parsed.entries] == [(1,), (2,), (3,)]
    assert "2024-03-04 refactor" in parsed.entries[1].text


def test_a_weekly_schedule_opening_an_undated_day_is_not_four_days() -> None:
    # A day whose body is a schedule of meetings a week apart: one day, not four.
    log = (
        "### Day 1\n2024-01-03: kickoff meeting\n2024-01-10: first milestone\n"
        "2024-01-17: demo\n2024-01-24: release\n\n### Day 2\nWorked on the parser.\n"
    )
    parsed = parse_log(log, year=2024)
    assert [entry.days for entry in parsed.entries] == [(1,), (2,)]
    assert all(not entry.dates for entry in parsed.entries)


def test_a_years_goals_under_a_span_heading_are_not_days() -> None:
    # `## 2024-01-01 to 2024-12-31 goals` over a plan whose MM.DD lines are months apart: a
    # plan's deadlines, not the log's days (hansanhha's period has one line a day).
    log = (
        "# My Year\n\n## 2024-01-01 to 2024-12-31 goals\n- 01.15 - finish course A\n"
        "- 03.01 - build project B\n- 06.30 - get a job\n- 09.01 - conference talk\n\n"
        "## Day 1 - 2024-01-02\nStarted.\n\n## Day 2 - 2024-01-03\nWent on.\n"
    )
    parsed = parse_log(log)
    read = {day for entry in parsed.entries for day in entry.dates}
    for deadline in (date(2024, 1, 15), date(2024, 3, 1), date(2024, 6, 30), date(2024, 9, 1)):
        assert deadline not in read
    assert [entry.days for entry in parsed.entries if entry.days] == [(1,), (2,)]


# ------------------------------------------------------------------------------------------
# Days without progress: a word means what its own language says
# ------------------------------------------------------------------------------------------


def _log(text: str) -> str:
    return f"## Day 1 - 2024-05-02\n{text}\n\n## Day 2 - 2024-05-03\nWrote the parser.\n"


def _no_progress(text: str) -> bool:
    return EntryFlag.NO_PROGRESS in parse_log(_log(text)).entries[0].flags


def test_a_polish_day_off_is_not_undone_by_an_italian_but() -> None:
    # "Today off, because mum has a birthday": `ma` is Polish for "has", Italian for "but".
    assert _no_progress("Dziś wolne, bo mama ma urodziny.")


def test_a_portuguese_day_off_from_work_is_not_cut_by_a_vietnamese_because() -> None:
    # "Off from work, so I studied 3 hours of JavaScript": `do` is Portuguese "of the", the
    # Vietnamese "because" (which would end the phrase there and make the day one off).
    assert not _no_progress("Folga do trabalho, então estudei 3 horas de JavaScript.")


def test_a_but_opening_the_next_sentence_keeps_the_day() -> None:
    # "Rest. But I read two chapters of the book" / "Day off today. But I studied two hours".
    assert not _no_progress("Descanso. Pero leí dos capítulos del libro.")
    assert not _no_progress("Ruhetag. Aber ich habe zwei Kapitel gelesen.")
    assert not _no_progress("今日は休み。でも2時間勉強した。")
    assert not _no_progress("今天休息。但是看了两章书。")
    # ... while a next sentence that says more of the day off leaves it one.
    assert _no_progress("Descanso. Estuve con la familia.")
    assert _no_progress("今日は休み。家族と出かけた。")


def test_common_ways_to_say_a_day_off_are_read() -> None:
    # The Spanish perfect (Spain), "no time to program", "couldn't code", "had no time".
    for text in (
        "Hoy descansé.",
        "No he programado hoy.",
        "Hoy no he podido programar.",
        "Hoje não deu para programar.",
        "Je n'ai pas pu coder aujourd'hui.",
        "Heute keine Zeit zum Programmieren.",
        "Heute Pause.",
        "Vandaag geen tijd gehad.",
    ):
        assert _no_progress(text), text


# ------------------------------------------------------------------------------------------
# Status marks in table rows: a mark with its label is a status too
# ------------------------------------------------------------------------------------------


def test_a_status_mark_with_its_label_says_the_day_was_not_done() -> None:
    # A tracker's status column often labels its mark: `❌ Not done` is as undone as `❌`, and
    # `✅ Done` as done as `✅`; the topic beside `❌ Not done` was planned, not done.
    log = (
        "# 100 Days\n\n| Day | Date | Topic | Status |\n|---|---|---|---|\n"
        "| 1 | 2024-01-01 | Arrays | ✅ Done |\n"
        "| 2 | 2024-01-02 | Heaps | ❌ Not done |\n"
        "| 3 | 2024-01-03 | Graphs | ⬜ To do |\n"
        "| 4 | 2024-01-04 | Tries | ❌ |\n"
    )
    flags = [EntryFlag.NO_PROGRESS in entry.flags for entry in parse_log(log).entries]
    assert flags == [False, True, True, True]


def test_a_details_block_inside_a_dated_day_is_that_days_text() -> None:
    # Review r13c finding 7: a collapsible hint inside Day 1 named "Day 2 hint" became an
    # undated Day 2 (and a duplicate-day warning), and cut "After the hint" off Day 1.
    text = (
        "# Log\n\n## Day 1 - 2023-02-15\n\nStudied heaps.\n\n"
        "<details><summary>Day 2 hint</summary>\n\nUse a min-heap.\n\n</details>\n\n"
        "After the hint, still day 1.\n\n## Day 2 - 2023-02-16\n\nBuilt the heap.\n"
    )
    parsed = parse_log(text)

    assert [(entry.days, entry.dates) for entry in parsed.entries] == [
        ((1,), (date(2023, 2, 15),)),
        ((2,), (date(2023, 2, 16),)),
    ]
    assert parsed.entries[0].text.endswith("After the hint, still day 1.")
    assert parsed.warnings == ()

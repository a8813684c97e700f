"""Structure shapes found in new real logs (issue 13 item 3, part F), one family at a time.

Each in-memory log quotes the real lines it comes from (file named in tests/fixtures/logs-world/,
facts in its facts.json); the expected days, dates and texts are read off those lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.domain.logparse import EntryFlag, ParsedLog, parse_log

WORLD = Path(__file__).parents[1] / "fixtures" / "logs-world"
KIB = 1024


def _dates(parsed: ParsedLog) -> list[tuple[date, ...]]:
    return [entry.dates for entry in parsed.entries]


# ------------------------------------------------------------------------------------------
# 1. Dated lines under an undated day heading: the heading is a container
# ------------------------------------------------------------------------------------------

SERGIOROCK = (
    "# #100DaysOfCode diario - ronda 1 - [Sergio López]\n\n## Registro\n\n### R1D1\n\n"
    "12/05/2020 - Día 1 - Repasando las bases de HTML\n"
    "13/05/2020 - Día 2 - Termina el módulo HTML y HTML5 básico\n"
    "14/05/2020 - Día 3 - Un poco de CSS. Font, border, padding and margin\n"
    "18/05/2020 - Día 6 - Line-height, positions, floats z-index\n"
    "19/05/2020 - Day 7 - Colores complementarios y terciarios, tonos, hsl(), gradientes\n"
    "\n### R1D2\n"
)


def test_dated_lines_under_an_undated_day_heading_are_the_days() -> None:
    # sergiorock intl/es/r1-diario.md: ten such lines in ONE paragraph under `### R1D1`.
    parsed = parse_log(SERGIOROCK)
    days = [entry for entry in parsed.entries if entry.dates]
    assert [entry.dates for entry in days] == [
        (date(2020, 5, 12),),
        (date(2020, 5, 13),),
        (date(2020, 5, 14),),
        (date(2020, 5, 18),),
        (date(2020, 5, 19),),
    ]
    # The day token after the date numbers the day, in Spanish and in English.
    assert [entry.days for entry in days] == [(1,), (2,), (3,), (6,), (7,)]
    assert days[0].text == "Repasando las bases de HTML"
    assert days[4].text == "Colores complementarios y terciarios, tonos, hsl(), gradientes"
    # The empty template heading `### R1D2` after them stays an entry, a stub.
    assert parsed.entries[-1].heading == "R1D2"
    assert EntryFlag.EMPTY in parsed.entries[-1].flags


def test_a_schedule_under_a_label_stays_part_of_its_day() -> None:
    # Not from a file: the shape the container rule must leave alone (a day's own list).
    log = (
        "### Day 5\n\nPlanned the sprint.\n\nSchedule:\n"
        "- 2020-05-13: review\n- 2020-05-15: demo\n- 2020-05-18: release\n\n### Day 6\n\nWrote\n"
    )
    parsed = parse_log(log)
    assert [entry.days for entry in parsed.entries] == [(5,), (6,)]
    assert "- 2020-05-15: demo" in parsed.entries[0].text


def test_a_changelog_opening_a_day_with_falling_dates_stays_part_of_it() -> None:
    # A release list, newest first, as the whole body of one day: the dates fall, not days.
    log = (
        "## Day 12\n"
        "- 2019-05-01: v1.2 fixed the parser\n- 2019-04-20: v1.1\n- 2019-04-02: v1.0\n\n"
        "## Day 13\nWrote tests\n"
    )
    parsed = parse_log(log)
    assert [entry.days for entry in parsed.entries] == [(12,), (13,)]
    assert "v1.1" in parsed.entries[0].text


def test_a_dated_day_holding_dated_lines_is_not_a_container() -> None:
    # The day is dated by its heading: the dates in its body are what it says, not days.
    log = (
        "## Day 3 - 2021-03-01\n"
        "2021-03-02 deadline\n2021-03-05 exam\n2021-03-09 holiday\n\n## Day 4 - 2021-03-02\nRead\n"
    )
    parsed = parse_log(log)
    assert _dates(parsed) == [(date(2021, 3, 1),), (date(2021, 3, 2),)]


def test_the_old_corpus_has_no_dated_line_bodies_read_as_days() -> None:
    # llSourcell-fork-fernand0aguilar Log.md: `### Day 1:` then one date line `09-07-2018 ,
    # 23:37` is that day's date, never a container (one dated line, not several).
    log = "### Day 1:\n09-07-2018 , 23:37\n\nRead\n\n### Day 2:\n10-07-2018 , 21:35\n\nWrote\n"
    parsed = parse_log(log)
    assert [(entry.days, entry.dates) for entry in parsed.entries] == [
        ((1,), (date(2018, 7, 9),)),
        ((2,), (date(2018, 7, 10),)),
    ]


# ------------------------------------------------------------------------------------------
# 2. A long span heading is the log's period; its MM.DD lines are the days
# ------------------------------------------------------------------------------------------

HANSANHHA = (
    "## D+100 project\n\n어제가 오늘같고 오늘이 어제같다\n\n"
    "## 2025.03.18 ~ 2025.06.26\n\n![zz](./assets/zz.png)\n\n### 3월\n\n"
    "03.18: aws ecs 실습, 컴퓨터구조 및 알고리즘 인덱스 파일 추가, 파이썬 생태계/버저닝 학습\n\n"
    "03.31: 음...글쎄\n\n### 4월\n\n"
    "04.01: 해맞이, 4월 계획 수립, 네트워크 인덱스 파일 구성, 인터넷 개념 학습\n\n"
    "04.02: 4.2 회의, 네트워크 유형(ban, pan, lan, wlan, vpn 등), 웹 및 웹의 발전\n\n"
    "04.05: .....\n"
)


def test_month_day_lines_under_a_span_heading_are_days_dated_from_the_span() -> None:
    # hansanhha code/projects/D+100/index.md.
    parsed = parse_log(HANSANHHA)
    assert _dates(parsed) == [
        (date(2025, 3, 18),),
        (date(2025, 3, 31),),
        (date(2025, 4, 1),),
        (date(2025, 4, 2),),
        (date(2025, 4, 5),),  # 04.05 is April 5 (month first, as the other lines), not May 4
    ]
    assert parsed.entries[0].text.startswith("aws ecs 실습")
    # The `### 4월` sub-heading is the period's, not the text of the day above it.
    assert parsed.entries[1].text == "음...글쎄"
    # `4.2 회의` inside a body is the April 2 meeting, not a date that starts an entry.
    assert parsed.entries[3].text.startswith("4.2 회의")
    # The `.....` placeholder day is an entry that is not a logged day.
    assert EntryFlag.EMPTY in parsed.entries[4].flags


def test_a_short_range_heading_is_one_entry() -> None:
    # A heading whose range is a few days (a weekend) is one entry, whatever its body says.
    log = "## 2025.03.18 ~ 2025.03.20\n\n03.18: a\n\n03.19: b\n\n03.20: c\n\n## 2025.03.21\n\nd\n"
    parsed = parse_log(log)
    assert len(parsed.entries) == 2
    assert parsed.entries[0].dates == tuple(date(2025, 3, day) for day in (18, 19, 20))


@pytest.mark.parametrize(
    ("name", "entries", "first", "last"),
    [
        ("hansanhha__hansanhha.github.io__code_projects_D+100_index.md", 59, "2025-03-18", None),
        ("sergiorock__100-days-of-code__intl_es_r1-diario.md", None, "2020-05-12", "2020-05-23"),
    ],
)
def test_the_real_container_logs_read_to_their_facts(name, entries, first, last) -> None:
    parsed = parse_log((WORLD / name).read_text(encoding="utf-8"))
    dated = [entry.dates[0] for entry in parsed.entries if entry.dates]
    if entries is not None:
        assert len(parsed.entries) == entries
    assert dated[0].isoformat() == first
    if last is not None:
        assert dated[-1].isoformat() == last


# ------------------------------------------------------------------------------------------
# 3. A <details> entry ends at its </details>
# ------------------------------------------------------------------------------------------


def test_a_footer_after_the_last_details_block_is_not_its_text() -> None:
    # jincde TIL/README.md's last block, then a footer such a README may close with.
    log = (
        "# 🔥 Today I Learned 🔥\n\n"
        "<details>\n<summary> ✔ day 59 221007 </summary>\n\n"
        "- [페어프로젝트2](https://github.com/jincde/django-pair-movie2)\n</details>\n\n"
        "<details>\n<summary> ✔ day 60 221011 </summary>\n\n- `해커톤`멘토링 신청\n</details>\n\n"
        "Thanks for reading! Made with ❤ — see https://example.org/about\n"
    )
    entries = parse_log(log).entries
    assert [entry.days for entry in entries] == [(59,), (60,)]
    assert entries[-1].text == "- `해커톤`멘토링 신청"
    assert "Thanks" not in entries[-1].text


def test_a_details_block_nested_in_an_entry_does_not_end_it() -> None:
    # An entry holding its own <details> (a solution folded away) runs to its outer close.
    log = (
        "<details><summary>Day 1 - 2023-02-15</summary>\n\nRead\n\n"
        "<details><summary>Solution</summary>\n\nSELECT 1;\n</details>\n\nWrote more\n"
        "</details>\n\nFooter\n"
    )
    entries = parse_log(log).entries
    assert len(entries) == 1
    assert "Wrote more" in entries[0].text
    assert "Footer" not in entries[0].text


# ------------------------------------------------------------------------------------------
# 4. An HTML entry's body is read without its style tags
# ------------------------------------------------------------------------------------------


def test_an_html_entrys_field_labels_are_seen() -> None:
    # lthh91 README.md: `<b>Today's Progress:</b>`. A label with a lone letter after it is a
    # stub (the rule the Markdown `**Today's Progress:** S` already follows): seen only when the
    # tags are stripped, else the label's own words read as the day's text.
    log = (
        "<h3>Day 1 - Sunday, July 8th, 2018 </h3>\n"
        "<b>Today's Progress:</b> Got a basic understanding of Reinforcement Learning\n\n"
        "<b>Link to work:</b> https://github.com/lthh91/FrozenLakeQLearningTable-example </b>\n\n"
        "<h3>Day 2 - Monday, July 9th, 2018 </h3>\n<b>Today's Progress:</b> S\n"
    )
    entries = parse_log(log).entries
    assert entries[0].text.startswith(
        "Today's Progress: Got a basic understanding of Reinforcement Learning"
    )
    assert "<b>" not in entries[0].text
    # The link survives (only style and container tags go).
    assert [link.url for link in entries[0].links] == [
        "https://github.com/lthh91/FrozenLakeQLearningTable-example"
    ]
    assert entries[0].counts
    assert not entries[1].counts


def test_a_markdown_entrys_html_is_left_as_written() -> None:
    # Only HTML entries are read without tags: a Markdown day's `<kbd>` is the member's text.
    entries = parse_log("## Day 1 - 2020-01-01\nPressed <b>Ctrl</b>\n").entries
    assert entries[0].text == "Pressed <b>Ctrl</b>"


# ------------------------------------------------------------------------------------------
# 5. Status marks in a table row are read by their role
# ------------------------------------------------------------------------------------------


def test_rows_of_only_status_marks_are_stubs() -> None:
    # SzappanAdam README.md (TABs) and slh4003 README.md (a Markdown table, Vietnamese).
    tabs = "Day\tTopic\tStatus\n001\tPython \u2013 Lists, loops\t✅\n002\t—\t⬜\n365\t—\t⬜\n"
    table = (
        "| Ngày | Chủ đề                      | Trạng thái |\n"
        "|------|-----------------------------|------------|\n"
        "| 01   | Cài đặt + Hello World       | ✅         |\n"
        "| 04   |           | 🔄         |\n"
    )
    for log, stubs in ((tabs, [False, True, True]), (table, [False, True])):
        entries = parse_log(log).entries
        assert [EntryFlag.EMPTY in entry.flags for entry in entries] == stubs
        assert entries[0].counts


def test_a_tick_alone_is_a_post_and_a_topic_marked_not_done_is_not_progress() -> None:
    # A tick with no topic column is the day's post; a planned topic marked ⬜ or ❌ is a day
    # not done (as an unchecked task-list item), a topic marked 🔄 was worked on.
    ticks = "| Day | Done |\n|---|---|\n| 1 | ✅ |\n| 2 | ✔️ |\n| 3 | ⬜ |\n"
    entries = parse_log(ticks).entries
    assert [entry.counts for entry in entries] == [True, True, False]
    assert entries[0].text == "✅"
    planned = (
        "| Day | Topic | Status |\n|---|---|---|\n| 1 | Lists | ✅ |\n| 2 | Dicts | ⬜ |\n"
        "| 3 | Sets | ❌ |\n| 4 | Loops | 🔄 |\n"
    )
    entries = parse_log(planned).entries
    assert [entry.counts for entry in entries] == [True, False, False, True]
    assert [EntryFlag.NO_PROGRESS in entry.flags for entry in entries] == [
        False,
        True,
        True,
        False,
    ]
    assert entries[1].text == "Dicts"


# ------------------------------------------------------------------------------------------
# Linear: the new paths cost four times as much for four times the text
# ------------------------------------------------------------------------------------------


def _fill(unit: str, size: int) -> str:
    return unit * (size // len(unit) + 1)


def _dated_lines(size: int) -> str:
    first = date(2020, 1, 1)
    lines = [
        f"{(first + timedelta(days=n % 3000)).strftime('%d/%m/%Y')} - Día {n + 1} - x\n"
        for n in range(size // 28)
    ]
    return "### R1D1\n\n" + "".join(lines)


GROWING: dict[str, Callable[[int], str]] = {
    "dated lines under a container": _dated_lines,
    "month.day lines in a period": lambda size: (
        "## 2025.01.01 ~ 2025.12.31\n\n" + _fill("03.18: x\n04.01: y\n", size)
    ),
    "details never closed": lambda size: (
        "<details>\n<summary>Day 1 - 2023-02-15</summary>\n\n" + _fill("<details> a\n", size)
    ),
    "style tags in an html body": lambda size: (
        "<h3>Day 1 - 2018-07-08</h3>\n" + _fill("<b>Today's Progress:</b> x <a ", size) + "\n"
    ),
    "status rows": lambda size: (
        "| Day | Topic | Status |\n|---|---|---|\n" + _fill("| 1 | — | ⬜ |\n", size)
    ),
}


def _seconds(run: Callable[[], object]) -> float:
    # CPU time of this process, not the wall clock: on a machine shared with other work the
    # wall clock counts the time the test waited for a core (a 4x ratio once read as 8.03x).
    best = float("inf")
    for _ in range(3):
        began = time.process_time()
        run()
        best = min(best, time.process_time() - began)
    return best


@pytest.mark.parametrize("name", sorted(GROWING))
def test_four_times_the_text_costs_about_four_times_the_time(name) -> None:
    make = GROWING[name]
    small, large = make(64 * KIB), make(256 * KIB)

    ratio = (_seconds(lambda: parse_log(large)) + 0.002) / (
        _seconds(lambda: parse_log(small)) + 0.002
    )

    # Linear is 4x; quadratic 16x. The 2 ms added to both keeps a tiny time's noise out.
    assert ratio < 8, f"{name}: 4x the text took {ratio:.1f}x the time"

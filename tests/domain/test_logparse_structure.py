"""Where entries start beyond Markdown headings (issue 13 item 3), one shape at a time.

Each in-memory log quotes the real lines it comes from (file named in tests/fixtures/logs-world/,
facts in its facts.json); the expected days, dates and texts are read off those lines. The real
files are then read whole against the facts counted by hand in facts.json.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.domain.logparse import EntryFlag, NotALogError, ParsedLog, parse_log, summarize_log
from bot.domain.rules import preset

WORLD = Path(__file__).parents[1] / "fixtures" / "logs-world"


def _days(parsed: ParsedLog) -> list[tuple[int, ...]]:
    return [entry.days for entry in parsed.entries]


# ------------------------------------------------------------------------------------------
# 1. HTML blocks
# ------------------------------------------------------------------------------------------


def test_an_h3_tag_is_a_heading_and_the_lines_under_it_its_body() -> None:
    # lthh91 README.md: every day is an <h3>, its fields in the same HTML block (no blank line).
    log = (
        "# 100DaysOfMLCode-journal\n\n#100DaysofMLCode\n\n"
        "<h3>Day 1 - Sunday, July 8th, 2018 </h3>\n"
        "<b>Today's Progress:</b> Got a basic understanding of Reinforcement Learning\n\n"
        "<b>Link to work:</b> https://github.com/lthh91/FrozenLakeQLearningTable-example </b>\n\n"
        "<h3>Day 2 - Monday, July 9th, 2018 </h3>\n"
        "<b>Today's Progress:</b> Today I created an AI that plays the game Starcraft.\n"
    )
    entries = parse_log(log).entries
    assert [(entry.days, entry.dates) for entry in entries] == [
        ((1,), (date(2018, 7, 8),)),
        ((2,), (date(2018, 7, 9),)),
    ]
    assert entries[0].heading == "Day 1 - Sunday, July 8th, 2018"
    assert "Reinforcement Learning" in entries[0].text
    assert "Starcraft" in entries[1].text


def test_details_blocks_are_entries_named_by_their_summary() -> None:
    # jincde TIL/README.md: `<details>` a day, `</details>` indented, day 3's block indented too.
    log = (
        "# 🔥 Today I Learned 🔥\n\n---\n\n"
        "<details>\n<summary> ✔ day 1 220704 </summary>\n\n#### 가입\n\n- `github` 가입\n"
        "  \n  </details>\n\n"
        "<details>\n<summary> ✔ day 2 220705 </summary>\n\n- `markdown` 문법\n\n- `git` 실습\n"
        "  \n  </details>\n  <details>\n  <summary> ✔ day 3 220706 </summary>\n\n"
        "- `로컬저장소` `원격저장소` 개념\n  \n  </details>\n"
    )
    entries = parse_log(log).entries
    assert _days(parse_log(log)) == [(1,), (2,), (3,)]
    assert [entry.heading for entry in entries] == [
        "✔ day 1 220704",
        "✔ day 2 220705",
        "✔ day 3 220706",
    ]
    # The tag-only lines are structure, not the member's text.
    assert not any("details" in entry.text for entry in entries)
    assert entries[1].text == "- `markdown` 문법\n\n- `git` 실습"


def test_a_summary_naming_another_rounds_day_is_that_day() -> None:
    # A <summary> inside a dated day that names a day a dated heading gives is that day's text
    # ("Day 2 plan" in Day 1); R2D2 is not R1D2, so a second round's day written as a
    # <details> block under R2D1 is its own entry, not R2D1's text.
    log = (
        "# Log\n\n## R1D1 - 2024-03-01\nA\n\n## R1D2 - 2024-03-02\nB\n\n"
        "## R2D1 - 2024-06-01\nC\n\n<details><summary>R2D2</summary>\n\nD\n\n</details>\n"
    )
    entries = parse_log(log).entries
    assert [(entry.round, entry.days) for entry in entries][-2:] == [(2, (1,)), (2, (2,))]
    assert "D" not in entries[2].text


def test_a_summary_takes_its_date_from_the_date_line_in_its_body() -> None:
    # Issue 13's #66DaysOfData example: the date sits in <pre><code><small> under the summary.
    log = (
        "# 66 Days of Data\n\n"
        "<details><summary> &nbsp; 📖 &nbsp; Day 1 - Revision of Statistics</summary>\n"
        "<pre><code><small>🗓️ Date: 2023-02-15</small></code></pre>\n\n"
        "Revised mean, median and variance.\n\n</details>\n\n"
        "<details><summary> &nbsp; 📖 &nbsp; Day 2 - Probability</summary>\n"
        "<pre><code><small>🗓️ Date: 2023-02-16</small></code></pre>\n\n"
        "Bayes' rule.\n\n</details>\n"
    )
    entries = parse_log(log).entries
    assert [(entry.days, entry.dates) for entry in entries] == [
        ((1,), (date(2023, 2, 15),)),
        ((2,), (date(2023, 2, 16),)),
    ]
    assert entries[0].heading == "📖 \xa0 Day 1 - Revision of Statistics"
    assert entries[0].text == "Revised mean, median and variance."


def test_a_summary_without_a_day_or_a_date_is_not_an_entry() -> None:
    # duccipline 66days.md: `<details close>` / `<summary><b>Everyday reminder</b></summary>`.
    log = (
        "<details close>\n<summary><b>Everyday reminder</b></summary>\n\n> Có 3 lợi thế\n\n"
        "</details>\n\n## Day 1: March 2, 2020\nRead\n"
    )
    assert _days(parse_log(log)) == [(1,)]
    with pytest.raises(NotALogError):
        parse_log("<details close>\n<summary><b>Everyday reminder</b></summary>\n</details>\n")


# ------------------------------------------------------------------------------------------
# 2. Undated `Day N` lines that are not headings
# ------------------------------------------------------------------------------------------


def test_bare_day_lines_are_entries() -> None:
    # Adelina1905 log.md: no Markdown at all, `Day 1:` alone on its line.
    log = (
        "Day 1:\n\nOkeeeey, today was the first day of my work, I worked for about 1 and a half "
        "hour\n\n\nDay 2:\n\nHello, today I'm a bit tired and lazy.\n"
    )
    entries = parse_log(log).entries
    assert _days(parse_log(log)) == [(1,), (2,)]
    assert entries[0].text.startswith("Okeeeey")
    assert all(EntryFlag.UNDATED in entry.flags for entry in entries)


def test_bold_day_paragraphs_are_entries() -> None:
    # hyunkyu-Park 66DaysOfData.R2 README.md: `__Day N__` paragraphs; Day 30 is missing.
    log = (
        "# 66DaysOfData R2\n\n1. Learn data science for a minimum of 5 minutes per day\n\n"
        "__Day 1__\n\n  ㆍThe sigmoid function converts any number to value between 0 and 1.\n\n"
        "__Day 29__\n\nㆍ Deep learning for all lecture 10\n\n"
        "__Day 31__\n\nㆍ Deep learning for all lec 11\n"
    )
    entries = parse_log(log).entries
    assert _days(parse_log(log)) == [(1,), (29,), (31,)]
    assert entries[1].text == "ㆍ Deep learning for all lecture 10"


def test_day_list_items_are_entries_and_end_with_their_item() -> None:
    # guiqin707 README.md: `- **Day 1**: 环境搭建与GitHub使用`, then sections after the list.
    log = (
        "## 🗓️ 每日学习记录\n\n### ✅ 已完成\n- **Day 1**: 环境搭建与GitHub使用\n"
        "- **Day 2**: Python基础语法入门\n- **Day 29**: 面向对象\n\n"
        "### 🔄 进行中\n- **Day 34**: 多态、静态方法和类方法\n\n### ⏳ 待学习\n- 面向对象编程\n"
    )
    entries = parse_log(log).entries
    assert [(entry.days, entry.heading, entry.text) for entry in entries] == [
        ((1,), "Day 1", "环境搭建与GitHub使用"),
        ((2,), "Day 2", "Python基础语法入门"),
        ((29,), "Day 29", "面向对象"),
        ((34,), "Day 34", "多态、静态方法和类方法"),
    ]


@pytest.mark.parametrize(
    "log",
    [
        # Prose that opens with a day: no separator after the token.
        "Day 3 was hard, but I kept going.\n\nDay 4 was easier.\n",
        # One day line is not a log.
        "# Notes\n\nDay 1: setup\n\nThen I read the docs.\n",
        # The same day twice: no sequence.
        "Day 2: read\n\nDay 2: wrote\n",
        # A long sentence after the colon is prose, not a topic.
        (
            f"Day 1: {'I read about closures and then wrote about them. ' * 4}\n"
            f"Day 2: {'I read about generators and then wrote about them. ' * 4}\n"
        ),
    ],
)
def test_prose_that_mentions_days_is_not_a_log(log: str) -> None:
    with pytest.raises(NotALogError):
        parse_log(log)


# ------------------------------------------------------------------------------------------
# 3. The text on a day line is kept
# ------------------------------------------------------------------------------------------


def test_the_text_after_a_day_lines_date_is_the_entrys_first_line() -> None:
    # paubcdev log.md: bullets, day-first dates, one range joined by '&'.
    log = (
        "# #100DaysOfCode challenge Rust log\n\n"
        "* Day 1 (24/10/2022): downloaded Rust, started building the framework.\n"
        "* Day 4 (27/10/2022): short day, started working on functions.\n"
        "* Day 8 - 9 (31/10/2022 & 1/11/2022): heavy theory days, understanding ownership\n"
    )
    entries = parse_log(log).entries
    assert [(entry.days, entry.dates) for entry in entries] == [
        ((1,), (date(2022, 10, 24),)),
        ((4,), (date(2022, 10, 27),)),
        ((8, 9), (date(2022, 10, 31), date(2022, 11, 1))),
    ]
    assert [entry.text for entry in entries] == [
        "downloaded Rust, started building the framework.",
        "short day, started working on functions.",
        "heavy theory days, understanding ownership",
    ]
    assert entries[0].heading == "Day 1 (24/10/2022)"
    assert all(entry.counts for entry in entries)


# ------------------------------------------------------------------------------------------
# 4. Tables found by their cells
# ------------------------------------------------------------------------------------------


def test_a_table_whose_day_column_is_headed_in_another_language() -> None:
    # thejarrus README.md: `| Gün | Konu | YouTube Linki |` (Turkish "day", "topic").
    log = (
        "## 📅 Gün Gün İlerleme\n\n| Gün | Konu | YouTube Linki |\n|-----|------|------|\n"
        "| 1   | Değişkenler ve Veri Tipleri | [YouTube](https://youtube.com/shorts/E9qw) |\n"
        "| 2   | Değişkenler ve Veri Tipleri | [YouTube](https://youtube.com/shorts/XlKk) |\n"
        "| 3   | Operatörler                 | [YouTube](https://youtube.com/shorts/BVc5) |\n"
    )
    entries = parse_log(log).entries
    assert _days(parse_log(log)) == [(1,), (2,), (3,)]
    assert entries[2].text.startswith("Operatörler")


def test_a_zero_padded_day_column_and_an_empty_row() -> None:
    # slh4003 README.md: `| Ngày | Chủ đề | Trạng thái |` ("day | topic | status").
    log = (
        "| Ngày | Chủ đề                      | Trạng thái |\n|------|------|------|\n"
        "| 01   | Cài đặt + Hello World       | ✅         |\n"
        "| 02   | Biến, kiểu dữ liệu          | ✅         |\n"
        "| 04   |           | 🔄         |\n## 📂 Cấu trúc repo\n"
    )
    assert _days(parse_log(log)) == [(1,), (2,), (4,)]


def test_the_date_column_is_found_from_its_cells() -> None:
    # duccipline 66days.md: `Ngày` ("day") heads the DATE column here; the rows run newest
    # first; lettered rows have no leading pipe; the last row is a sentence across cells.
    log = (
        "### Tracklog\n\nSTT | Ngày | Mục Tiêu | Sức khỏe\n--- | --- | --- | ---\n"
        "|25|**09/03**| | - Dậy 6:30\n"
        "| **Hôm** | **nay** | **cố** | **gắng** |\n"
        "24e|08/03| | - Hít đất 50 + 25x3+15+10 = **150 cái**\n"
        "24d|07/03| | - Hít đất **50 cái** |\n"
        "|24|03/03| | - Dậy 8:00\n"
        "| 5 | ngày | mất | phương |\n"
    )
    entries = parse_log(log, year=2020).entries
    assert [(entry.days, entry.dates) for entry in entries] == [
        ((24,), (date(2020, 3, 3),)),
        ((24,), (date(2020, 3, 7),)),
        ((24,), (date(2020, 3, 8),)),
        ((25,), (date(2020, 3, 9),)),
    ]
    assert entries[-1].text == "- Dậy 6:30"


def test_a_plan_of_day_ranges_is_not_the_log_table() -> None:
    # vanribeiro README.md: a plan table of ranges, then the log `**Dia** | **Histórico**`.
    log = (
        "Dias      | Descrição\n:--------:|---------\n**01-10** | Revisão básica de HTML e CSS.\n"
        "**11-15** | Site de Convite de Casamento\n\n"
        "**Dia** | **Histórico**\n:---:|---\n**001**| Pensando no que eu poderia fazer\n"
        "**002**| Apenas fiz um código simples\n**007** | Codifiquei pouco.\n"
    )
    entries = parse_log(log).entries
    assert _days(parse_log(log)) == [(1,), (2,), (7,)]
    assert entries[0].text == "Pensando no que eu poderia fazer"


def test_a_table_without_a_day_column_is_not_a_log() -> None:
    log = "| Resource | Link |\n|---|---|\n| Book | https://a.example |\n| Course | b |\n"
    with pytest.raises(NotALogError):
        parse_log(log)


def test_a_table_of_numbers_that_jump_is_not_a_log() -> None:
    # Daybook's own README: a presets table whose "days" column reads 100, 100, 66. Numbers
    # that jump, with no date beside them, do not count days; it was read as three entries.
    log = (
        "| preset | days | rule |\n|---|---|---|\n| `100-days-of-code` | 100 | 60 minutes |\n"
        "| `100-days-of-ml-code` | 100 | 60 minutes |\n| `66-days-of-data` | 66 | 5 minutes |\n"
    )
    with pytest.raises(NotALogError):
        parse_log(log)


def test_tab_separated_rows_are_a_table() -> None:
    # SzappanAdam README.md: not a Markdown table, TABs; `...` is an ellipsis, not a day.
    # (\u2013 is the file's en dash.)
    log = (
        "## 📈 Progress\n\nDay\tTopic\tStatus\n"
        "001\tPython \u2013 Lists, loops, dictionaries & problem solving\t✅\n"
        "002\t—\t⬜\n...\t...\t...\n365\t—\t⬜\n\n## 🏆 Rules\n"
    )
    entries = parse_log(log).entries
    assert _days(parse_log(log)) == [(1,), (2,), (365,)]
    # The topic is the entry's text; the ✅ beside it is the row's status, not something the
    # member wrote about the day (helper F, issue 13: a status cell is read by its role, see
    # test_logparse_structure2.py), so it is no longer part of the text.
    assert entries[0].text == "Python \u2013 Lists, loops, dictionaries & problem solving"


# ------------------------------------------------------------------------------------------
# 5. Sub-headings
# ------------------------------------------------------------------------------------------


def test_a_heading_repeating_the_dated_entrys_day_is_a_sub_heading() -> None:
    # Aseiide intl_ja_log.md: `### Day003` inside `### 3日目: 2022年11月27日`, same level.
    log = (
        "### Day 3: 2022-11-27\n\n**今日の進捗** 2-4-1. 関数宣言と関数式 まで\n\n"
        "### Day003\n- 2-4-1 関数宣言と関数式\n\n"
        "### Day 4: 2022-11-28\n\nRead\n\n### Day 5\nWrote\n"
    )
    entries = parse_log(log).entries
    assert _days(parse_log(log)) == [(3,), (4,), (5,)]
    assert "- 2-4-1 関数宣言と関数式" in entries[0].text
    # An undated heading with another day is still an entry of its own.
    assert entries[2].dates == ()


def test_a_summary_naming_the_entrys_own_day_is_a_sub_heading() -> None:
    log = (
        "## Day 3: May 1, 2020\nRead\n\n<details><summary>Day 3 code</summary>\n\n"
        "```py\nprint(3)\n```\n\n</details>\n\n## Day 4: May 2, 2020\nWrote\n"
    )
    assert _days(parse_log(log)) == [(3,), (4,)]


# ------------------------------------------------------------------------------------------
# 6. Posts dated by their headings, numbered in their bodies
# ------------------------------------------------------------------------------------------

POSTS = (
    "## 2026-02-24 20:30\n\n【Day 055/100】JWT Decoder Playground 🔓🔍\n\n---\n\n"
    "## 2026-02-05 20:17\nRT @YU_TAI2414: 今日もパタパタ頑張りまーす\n\n---\n\n"
    "## 2026-02-14 00:10\n\nDay 044: 実装\n\n---\n\n"
    "## 2026-01-01 21:30\n\n【Day 005】元旦からスタート\uff01\n"
)


def test_posts_take_their_day_from_their_first_line() -> None:
    # ruu2023 posts.md: the day is in the body; the retweet is not a day.
    parsed = parse_log(POSTS)
    assert [(entry.days, entry.dates) for entry in parsed.entries] == [
        ((5,), (date(2026, 1, 1),)),
        ((44,), (date(2026, 2, 14),)),
        ((55,), (date(2026, 2, 24),)),
    ]
    assert not any("YU_TAI2414" in entry.text for entry in parsed.entries)


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-02-{d}T20:30:00Z",  # an ISO timestamp, as a JSON export of posts writes it
        "2026-02-{d} 20h30",  # French and Portuguese hours
        "2026-02-{d} 8pm",
    ],
)
def test_posts_stamped_with_any_written_time_take_their_day_from_their_first_line(
    stamp: str,
) -> None:
    # The shape of ruu2023 posts.md, its "## 2026-02-24 20:30" written as other exports do:
    # each is a time of day, so the headings are posts and their first lines name the days.
    log = "# Posts\n\n"
    for day_of_month, body in ((10, "Day 040: coded"), (11, "Day 041: read"), (12, "RT a friend")):
        log += f"## {stamp.format(d=day_of_month)}\n\n{body}\n\n"
    assert [(entry.days, entry.dates) for entry in parse_log(log).entries] == [
        ((40,), (date(2026, 2, 10),)),
        ((41,), (date(2026, 2, 11),)),
    ]


def test_date_only_headings_without_days_in_their_bodies_stay_entries() -> None:
    log = "## 2024-03-01\nRead a paper\n\n## 2024-03-02\nDay 2 of the course: wrote code\n"
    assert len(parse_log(log).entries) == 2
    assert _days(parse_log(log)) == [(), ()]


def test_days_headed_by_dates_alone_keep_the_day_tokens_their_texts_open_with() -> None:
    # Daybook's own export: a day not counted is headed by its date only, and the member's text
    # under it may open with a day token. Without a time on the headings these are days, not
    # posts: "R1D3 again" is what the member wrote (the export-import property found it).
    log = (
        "# ML Club \u2014 Round 1\n\n### January 1, 2000\n\n\\### Day 5: March 3, 2024\n\n"
        "### January 2, 2000\n\nR1D3 again\n"
    )
    entries = parse_log(log).entries
    assert [(entry.days, entry.dates) for entry in entries] == [
        ((), (date(2000, 1, 1),)),
        ((), (date(2000, 1, 2),)),
    ]
    assert entries[1].text == "R1D3 again"


# ------------------------------------------------------------------------------------------
# 7. A bare ordered list under a challenge's name
# ------------------------------------------------------------------------------------------


def test_an_ordered_list_under_a_challenge_is_the_log() -> None:
    # nimanns README.md: no day word at all.
    log = (
        "# 100 Days of Rust\n\nThis is a personal project where I will do a little bit of Rust "
        "programming everyday for 100 days.\n\n1. factorial\n2. is_prime\n3. reverse_string\n"
    )
    entries = parse_log(log).entries
    assert [(entry.days, entry.text) for entry in entries] == [
        ((1,), "factorial"),
        ((2,), "is_prime"),
        ((3,), "reverse_string"),
    ]


@pytest.mark.parametrize(
    "log",
    [
        # zoiber README.md: links at the end of an entry, in a file titled #100DaysOfCode.
        (
            "# Me uní el reto #100DaysOfCode\n\n**Enlcace(s) a mi trabajo:**\n"
            "1.  [Perfil FCC](https://www.freecodecamp.org/pabloluce2021)\n"
            "2.  [Cuenta en Twitter](https://twitter.com/PabloLuceroEC)\n"
        ),
        # An ordered list in a file that names no challenge.
        "# Setup\n\nSteps to install:\n\n1. clone\n2. build\n3. run\n",
        # A challenge, but the list does not count from 1.
        "# 100 days of code\n\nMy goals for 100 days:\n\n3. a\n4. b\n5. c\n",
    ],
)
def test_other_ordered_lists_are_not_a_log(log: str) -> None:
    with pytest.raises(NotALogError):
        parse_log(log)


# ------------------------------------------------------------------------------------------
# The real files, against the facts counted by hand (facts.json)
# ------------------------------------------------------------------------------------------


def _best_streak(days: list[date]) -> int:
    best = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best, previous = max(best, run), day
    return best


@pytest.mark.parametrize(
    ("name", "options", "facts"),
    [
        ("Adelina1905__100-days-of-code__log.md", {"start": date(2025, 10, 9)}, {"entries": 2}),
        ("SzappanAdam__365-days-of-code__README.md", {}, {"entries": 4}),
        (
            "duccipline__journal__66days.md",
            {"year": 2020},
            {"entries": 69, "days_logged": 66, "first": date(2020, 2, 8)}
            | {"last": date(2020, 4, 16), "best_streak": 41},
        ),
        ("guiqin707__python-100-days-learning__README.md", {}, {"entries": 9}),
        ("hyunkyu-Park__66DaysOfData.R2__README.md", {}, {"entries": 30}),
        (
            "lthh91__100DaysOfMLCode-journal__README.md",
            {},
            {"entries": 7, "days_logged": 7, "first": date(2018, 7, 8)}
            | {"last": date(2018, 7, 14), "best_streak": 7},
        ),
        ("nimanns__100daysofrust__README.md", {}, {"entries": 29}),
        (
            "paubcdev__100DaysOfRust__log.md",
            {},
            {"entries": 28, "days_logged": 29, "first": date(2022, 10, 24)}
            | {"last": date(2022, 11, 24), "best_streak": 23},
        ),
        (
            "ruu2023__100-days-of-code-2026__hono-app_src_data_posts.md",
            {},
            {"entries": 55, "days_logged": 53, "first": date(2026, 1, 1)}
            | {"last": date(2026, 2, 24), "best_streak": 21},
        ),
        ("slh4003__python-30days__README.md", {}, {"entries": 4}),
        ("thejarrus__40DaysOfCSharp__README.md", {}, {"entries": 14}),
        (
            "vanribeiro__100DiasDeCodigo2019__README.md",
            {"start": date(2019, 11, 14)},
            {"entries": 57},
        ),
        # jincde's dates are compact (`220704`, helper A's part): its 66 <details> count here.
        ("jincde__TIL__README.md", {}, {"entries": 66}),
    ],
)
def test_real_logs_read_to_their_facts(name: str, options: dict, facts: dict) -> None:
    parsed = parse_log((WORLD / name).read_text(encoding="utf-8"), **options)
    stats = summarize_log(parsed, preset("x-days-of-ml-code"))
    read = {"entries": stats.entries, "days_logged": stats.days_logged}
    read |= {"first": stats.first_date, "last": stats.last_date}
    logged = sorted({day for entry in parsed.entries if entry.counts for day in entry.dates})
    read["best_streak"] = _best_streak(logged)
    assert {key: read[key] for key in facts} == facts


def test_real_post_log_days_come_from_the_bodies() -> None:
    # ruu2023: Day 001..055, each once; the three posts without a day are not entries.
    text = (WORLD / "ruu2023__100-days-of-code-2026__hono-app_src_data_posts.md").read_text()
    entries = parse_log(text).entries
    assert sorted(entry.days[0] for entry in entries) == list(range(1, 56))


# ------------------------------------------------------------------------------------------
# Hostile input on these paths: four times the text costs about four times the time
# ------------------------------------------------------------------------------------------

KIB = 1024


def _seconds(text: str, repeat: int = 3) -> float:
    """The fastest of a few reads (the least disturbed by the shared machine), refusals too."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        with contextlib.suppress(NotALogError):
            parse_log(text)
        best = min(best, time.perf_counter() - began)
    return best


def _times(unit: str, size: int, head: str = "") -> str:
    return head + unit * max(1, size // len(unit))


# No Markdown heading in any of these: each reaches the paths this module's tests are about.
GROWING: dict[str, Callable[[int], str]] = {
    "an html block of unclosed summaries": lambda n: "<details>\n" + _times("<summary> day 1 ", n),
    "an html block of tag starts": lambda n: "<div>\n" + _times("<a ", n) + "\n",
    "html heading lines": lambda n: "<div>\n" + _times("<h3>Day 1 - July 8th, 2018</h3>\n", n),
    "tag-only lines": lambda n: "<div>\n" + _times("</details> <b>\n", n),
    "a long topic after a day": lambda n: "Day 1: " + "x " * (n // 2) + "\nDay 2:\n",
    "bold day lines": lambda n: _times("__Day 1__\n", n),
    "day list items": lambda n: _times("- **Day 1**: a\n  more\n", n),
    "two-row tables": lambda n: _times("| 1 | 2019-01-01 |\n|---|---|\n| 2 | x |\n\n", n),
    "a long tab row": lambda n: "Day\tTopic\n001\t" + "x" * n + "\n002\ty\n",
    "tab rows": lambda n: _times("001\t01/02/2020\tz\n", n),
    "an ordered list under a challenge": lambda n: "100 days:\n\n" + _times("1. a\n", n),
    "date-only posts": lambda n: _times("## 2024-01-01 20:30\n\n【Day 1/100】 a\n\n", n),
}


@pytest.mark.parametrize("name", sorted(GROWING))
def test_four_times_the_text_costs_about_four_times_the_time(name: str) -> None:
    make = GROWING[name]
    small, large = make(64 * KIB), make(256 * KIB)

    ratio = (_seconds(large) + 0.002) / (_seconds(small) + 0.002)

    # Linear is 4x; quadratic 16x (test_logparse_hostile.py holds the rest of the reader to it).
    # 10, not the midway 8: a loaded two-core CI machine measured a linear path (4.2x alone) at
    # 8.4x, and a quadratic one stays far above either.
    assert ratio < 10, f"{name}: 4x the text took {ratio:.1f}x the time"

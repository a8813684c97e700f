"""Day words, month and weekday names in the languages logs are kept in: one real heading a row.

Each row is a heading shape seen in a real log (the file or issue 13 named beside it), its
language, and the day numbers and dates a reader reads off it. The words come from dateparser's
locale data (`bot.domain.logparse.locales`); these tests hold the grammar to what a person reads.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.logparse import EntryFlag, parse_log
from bot.domain.logparse.dates import Piece, find_dates
from bot.domain.logparse.vocabulary import DAY_WORDS, LINE_HEAD, MONTH_WORDS, day_token

BODY = "\nStudied recursion for an hour.\n"


def one(heading: str, **options) -> tuple[tuple[date, ...], tuple[int, ...]]:
    entries = parse_log(heading + BODY, **options).entries
    assert len(entries) == 1
    return entries[0].dates, entries[0].days


@pytest.mark.parametrize(
    ("heading", "language", "days", "dates"),
    [
        # Ana0804 README l.7: upper-case JOUR, a space before the colon, a topic for a date.
        ("## JOUR 1 : HTML", "fr", (1,), ()),
        # kallaway intl/fr/log.md (INDEX.md, seen but not saved).
        ("### Jour 0: 02 Août 2022", "fr", (0,), (date(2022, 8, 2),)),
        # legoffant r2-log l.8: two day tokens, a lower-case French month.
        ("### Day 0 - R2D0: 27 avril 2021", "fr", (0,), (date(2021, 4, 27),)),
        # giovanisleite README l.4 and l.95.
        ("## Dia 1", "pt", (1,), ()),
        ("# Dia 9", "pt", (9,), ()),
        # issue 13, a Portuguese log.
        ("### Dia 21: 18 de maio de 2022", "pt", (21,), (date(2022, 5, 18),)),
        # nurmatthias log l.3 and l.229: a dot after the day, German months.
        ("### Tag 1: 20. Februar 2021", "de", (1,), (date(2021, 2, 20),)),
        ("### Tag 23: 14. März 2021", "de", (23,), (date(2021, 3, 14),)),
        # zoiber README l.57 and a later version's `Día 22` (INDEX.md).
        ("### Día 3: 15 de Abril, 2020 - Miércoles", "es", (3,), (date(2020, 4, 15),)),
        ("### Día 22: 04 de Mayo, 2020 - Lunes", "es", (22,), (date(2020, 5, 4),)),
        # issue 13, an Italian log (R2D8's year is given by the log's other entries).
        ("### R2D8: Mercoledì 30 Maggio 2018", "it", (8,), (date(2018, 5, 30),)),
        ("## Giorno 4: 5 luglio 2021", "it", (4,), (date(2021, 7, 5),)),
        # fatihemregit's Turkish diary (INDEX.md, seen but not saved): dotted day-first date.
        ("### Gün 18(29.01.2025)", "tr", (18,), (date(2025, 1, 29),)),
        ("## Gün 5 - 1 Ocak 2021", "tr", (5,), (date(2021, 1, 1),)),
        ("## Hari 6: 5 Juli 2021", "id", (6,), (date(2021, 7, 5),)),
        ("## Ngày 7: ngày 5 tháng 3 năm 2021", "vi", (7,), (date(2021, 3, 5),)),
        ("## День 3: 3 марта 2021", "ru", (3,), (date(2021, 3, 3),)),
        # Aseiide intl/ja/log l.10 and l.146: N日目, then CJK and ISO dates.
        ("### 0日目: 2022年11月24日", "ja", (0,), (date(2022, 11, 24),)),
        ("### 4日目: 2022-11-28", "ja", (4,), (date(2022, 11, 28),)),
        # SatoKyohei intl/ja/log (INDEX.md, seen but not saved): a mark first, an ideographic space.
        ("### ■ 465日目: 2026年3月13日\u3000[Twitterリンク]()", "ja", (465,), (date(2026, 3, 13),)),
        ("## 第12天 2022年11月24日", "zh", (12,), (date(2022, 11, 24),)),
        ("## 12일차 2022년 11월 24일", "ko", (12,), (date(2022, 11, 24),)),
        # minhncedutw README l.4: the year, the month's name and the day, glued to the token.
        ("## Day 1(2019June03): Watch a talk", "en", (1,), (date(2019, 6, 3),)),
    ],
)
def test_heading_in_language(heading, language, days, dates):
    assert language  # the table says which language each shape is (read by a person)
    assert one(heading) == (dates, days)


def test_a_date_without_a_year_stays_yearless():
    """`### R2D8: Mercoledì 30 Maggio` (issue 13) has no year: the years module places it."""
    found = find_dates(": Mercoledì 30 Maggio")
    assert [span.start for span in found.spans] == [Piece(None, 5, 30)]
    assert found.weekdays == [2]  # Wednesday
    assert one("### R2D8: Mercoledì 30 Maggio", year=2018) == ((date(2018, 5, 30),), (8,))


@pytest.mark.parametrize(
    ("heading", "dates", "days"),
    [
        # "set" is Portuguese for September and an English verb: no date here.
        ("## Day 5: set up Docker", (), (5,)),
        ("## Day 5: set 3 timers", (), (5,)),
        # "Mar" is English March (and Spanish Tuesday): English wins.
        ("## Day 6: Mar 3", (date(2020, 3, 3),), (6,)),
        # An abbreviation outside English is a month with a year beside it...
        ("## Dia 7: 15 set 2022", (date(2022, 9, 15),), (7,)),
        # ...or when a full name of its language vouches for it (quinta-feira is Thursday).
        ("## Dia 8: quinta-feira, 15 set", (date(2020, 9, 15),), (8,)),
        # "mac" is Malay for March, and a computer: a three-letter name is read as carefully.
        ("## Day 3: Mac 5 setup", (), (3,)),
        # "May the 4th": a month word, then prose.
        ("## Day 9: May the 4th be with you", (), (9,)),
    ],
)
def test_word_collisions(heading, dates, days):
    assert one(heading, year=2020) == (dates, days)


def test_misspelt_month_in_a_date_position():
    """syahrulhamdani log l.22: `30 Auguts, 2018` is 30 August (two letters swapped).

    Read only where a month stands (a day number beside it), for names of 5+ letters within one
    edit of exactly one month; the word is kept in `Found.guessed` so a warning can name it.
    """
    found = find_dates(" - 30 Auguts, 2018")
    assert [span.start for span in found.spans] == [Piece(2018, 8, 30)]
    assert found.guessed == ["Auguts"]
    assert one("## Day 1 - 30 Auguts, 2018") == ((date(2018, 8, 30),), (1,))
    # Not beside a number: a word like any other ("Augusta" is a city, "Junior" a title).
    assert not find_dates(": Auguts was fun")
    assert not find_dates(": 3 Junior devs, 2018").spans


def test_day_words_rule():
    """Day words come from the locale data, minus 1-2 letter ones and ordinary words."""
    for word in ("day", "days", "dia", "día", "jour", "tag", "giorno", "gün", "hari", "ngày"):
        assert word in DAY_WORDS
    for word in ("d", "j", "g", "h", "hr", "buổi", "日", "天", "일"):
        assert word not in DAY_WORDS
    assert not set(DAY_WORDS) & set(MONTH_WORDS)


def test_line_head_lets_day_words_through():
    """The cheap look at a line's start passes every day word, not only `Day`."""
    for line in (
        "JOUR 1 : HTML",
        "Dia 1",
        "Tag 1: 20. Februar 2021",
        "Gün 5",
        "第12天",
        "- Ngày 7",
    ):
        assert LINE_HEAD.match(line), line
    assert not LINE_HEAD.match("Studied recursion")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Giorno 4", (4,)),
        ("Hari 6", (6,)),
        ("Ngày 7", (7,)),
        ("12일차", (12,)),
        ("第12天", (12,)),
        # A number a month word follows is a date's day: "Día 3 de abril" is April 3.
        ("Día 3 de abril de 2020", None),
        ("ngày 5 tháng 3 năm 2021", None),
        # The month has its own day after it: the token's number is the day's.
        ("R2D1 September 28, 2022", (1,)),
        # A date inside the CJK date is not a day token (24日 is the 24th).
        ("2022年11月24日", None),
    ],
)
def test_day_token_words(text, days):
    token = day_token(text)
    assert (token[0] if token else None) == days


@pytest.mark.parametrize(
    ("heading", "days", "dates"),
    [
        # dvrg intl/id/log.md l.3: Indonesian "ke" makes the ordinal (the 0th day).
        ("### Hari ke 0: 10 September 2020", (0,), (date(2020, 9, 10),)),
        ("### Hari ke-4: 14 September 2020", (4,), (date(2020, 9, 14),)),
        ("### Día nº 3: 15 de abril de 2020", (3,), (date(2020, 4, 15),)),
        ("### Jour n° 2 : 3 mars 2021", (2,), (date(2021, 3, 3),)),
        ("### Tag Nr. 5: 5. März 2021", (5,), (date(2021, 3, 5),)),
    ],
)
def test_an_ordinal_marker_between_day_word_and_number(
    heading: str, days: tuple[int, ...], dates: tuple[date, ...]
) -> None:
    assert one(heading) == (dates, days)


@pytest.mark.parametrize(
    "heading",
    [
        "### Day 0: February 30, 2016 (Example 1)",  # the kallaway template, English
        "### Dzień 0:  22 Stycznia 2018 (Przykład 1)",  # DanaCyb intl/pl/log.md l.3
        "### Día 0: 30 de febrero de 2016 (Ejemplo 1)",
        "### Tag 0: 30. Februar 2016 (Beispiel 1)",
        "### 第0天: 2月30日, 星期一 (示例 1)",
    ],
)
def test_the_templates_examples_are_not_days_in_any_translation(heading: str) -> None:
    text = f"# Log\n\n{heading}\n\nFixed CSS.\n\n### Day 1: June 18, 2018\n\nStarted.\n"
    assert [entry.days for entry in parse_log(text).entries] == [(1,)]


def test_a_task_list_of_dated_days_is_a_log() -> None:
    # SaraHan774's 100 Days of Code post: checkbox items `- [X] 1월 13일 월요일`, no year.
    text = (
        "### Week1 Goal : 알고리즘 구현\n"
        "- [X] 1월 13일 월요일\n  * 버블정렬 연습문제 2개 구현\n"
        "- [X] 1월 14일 화요일\n  * 버블정렬 연습문제 1개\n"
        "- [x] 1월 15일 수요일\n  * Kotlin 기초 강좌 학습\n"
        # l.55-56: left unchecked, "the last day of the Jeju trip, so I rest a day".
        "- [ ] 1월 16일 목요일\n  * **제주도 여행 마지막 날이라서 하루 쉽니다.**\n"
    )
    entries = parse_log(text, year=2020).entries
    assert [entry.dates for entry in entries] == [
        (date(2020, 1, 13),),
        (date(2020, 1, 14),),
        (date(2020, 1, 15),),
        (date(2020, 1, 16),),
    ]
    assert [EntryFlag.NO_PROGRESS in entry.flags for entry in entries] == [False] * 3 + [True]


FCC = "https://www.freecodecamp.com/challenges/"


def test_the_templates_sample_day_is_left_out_by_its_placeholder_links() -> None:
    # NiverMtz intl/es/registro.md l.41: the template's sample day left at the end of the file,
    # with the template's own two freeCodeCamp links (the same in every translation).
    text = (
        "### Día 0: 21 de junio de 2021\n\nHice un tablero de ajedrez en CSS.\n\n"
        "### día 1: 27 de junio, 2016\n\n**Progreso de hoy**: He completado muchos ejercicios.\n\n"
        f"1.  [Descubra la palabra más larga]({FCC}find-the-longest-word-in-a-string)\n"
        f"2.  [Poner título en mayúsculas]({FCC}title-case-a-sentence)\n"
    )
    assert [entry.dates for entry in parse_log(text).entries] == [(date(2021, 6, 21),)]


def test_a_real_day_that_also_cites_the_samples_links_stays() -> None:
    # AshleyLi98 intl/ch/log.md l.107-116: the last real day holds its own links and, under
    # *示例*, the template's sample links: it is a day, not the sample.
    text = (
        "### 第22天: 6月2日, 星期四\n\n**今天的进展\uff1a** 练习题。\n\n"
        "1. [Design Patterns](https://github.com/AshleyLi98/Design_Patterns)\n*示例*\n"
        f"1. [找到一个String中最长的单词]({FCC}find-the-longest-word-in-a-string)\n"
    )
    assert [entry.days for entry in parse_log(text, year=2022).entries] == [(22,)]


@pytest.mark.parametrize(
    "heading",
    [
        "## Day 2 - Mario 12, 2020",  # one edit from Italian "marzo"
        "## Day 2 - junior 3, 2020",  # one edit from Spanish "junio"
        "## Day 2 - the market 12, 2020",  # one edit from Indonesian "maret"
    ],
)
def test_a_word_one_edit_from_a_foreign_month_is_no_month_in_english_text(heading: str) -> None:
    """A misspelling is guessed among English names and those of a language the text shows:
    16 languages' names are one edit from many English words and names."""
    assert not find_dates(heading)


def test_a_misspelt_month_of_a_language_the_text_shows_is_still_guessed() -> None:
    """`Martedì` shows Italian, so `Marzzo` (one letter doubled) is its March."""
    assert one("## R2D1: Martedì 22 Marzzo 2018") == ((date(2018, 3, 22),), (1,))

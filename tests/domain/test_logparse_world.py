"""Every real log, old and new, against the facts a person counted in it (issue 13).

The corpora are the directories under tests/fixtures with a `facts.json`: `logs` (the 19 logs
the parser was built on) and `logs-world` (48 logs from around the world it had never seen),
and any directory of found logs added beside them. The facts, their definitions and where each
came from are in those files (tests/logcorpus.py reads them); no number is written here.

A fact the parser reads wrong today is listed in `tests.logcorpus.KNOWN_MISSES` with its cause
and expected to fail (strict): when a parser change reads it right, this test fails until the
entry is deleted. A fact that turns out wrong is corrected in facts.json, with the reason in
its notes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from bot.domain.logparse import EntryFlag, LogEntry, ParsedLog
from tests.logcorpus import (
    FACTS,
    FIXTURES,
    KNOWN_MISSES,
    OLD,
    WORLD,
    Fixture,
    known_miss,
    load,
    parse,
    read,
)

CORPORA = sorted(path.parent for path in FIXTURES.glob("*/facts.json"))
ALL = [fixture for directory in CORPORA for fixture in load(directory)]
BY_NAME = {fixture.name: fixture for fixture in ALL}


@cache
def _read(name: str) -> dict[str, object] | str:
    return read(BY_NAME[name])


@cache
def _parsed(name: str) -> ParsedLog:
    return parse(BY_NAME[name])


def _cases() -> list[object]:
    cases = []
    for fixture in ALL:
        for fact in FACTS:
            if fact not in fixture.facts:
                continue
            cause = known_miss(fixture, fact)
            marks = [pytest.mark.xfail(strict=True, reason=cause)] if cause else []
            cases.append(pytest.param(fixture.name, fact, marks=marks, id=f"{fixture.name}-{fact}"))
    return cases


@pytest.mark.parametrize(("name", "fact"), _cases())
def test_a_real_log_reads_to_its_hand_counted_fact(name: str, fact: str) -> None:
    read = _read(name)
    expected = BY_NAME[name].facts[fact]

    assert read != "refused", f"{name} is refused; {fact} is {expected} by hand"
    assert isinstance(read, dict)
    assert read[fact] == expected


# -------------------------------------------------------------------------------------------
# The corpora themselves: complete, well-formed, consistent, with provenance
# -------------------------------------------------------------------------------------------


def test_both_corpora_are_there() -> None:
    assert OLD in CORPORA
    assert WORLD in CORPORA
    assert len(load(OLD)) == 19  # tests/fixtures/logs/INDEX.md
    assert len(load(WORLD)) == 48  # tests/fixtures/logs-world/INDEX.md: 33, then 15 found later


@pytest.mark.parametrize("directory", CORPORA, ids=lambda path: path.name)
def test_every_log_has_facts_and_every_fact_a_log(directory: Path) -> None:
    logs = {path.name for path in directory.iterdir()} - {"INDEX.md", "facts.json"}
    assert logs == {fixture.name for fixture in load(directory)}


def test_a_file_name_is_in_one_corpus_only() -> None:
    # KNOWN_MISSES and the table are keyed by file name alone.
    assert len(BY_NAME) == len(ALL)


@pytest.mark.parametrize("fixture", ALL, ids=lambda fixture: fixture.name)
def test_facts_are_well_formed_and_agree_with_each_other(fixture: Fixture) -> None:
    facts = fixture.facts
    # Every log states how many entries it has, unless its notes say why a reader can't.
    if "entries" in facts or "'entries' is deliberately NOT stated" not in fixture.notes:
        assert isinstance(facts.get("entries"), int), "every log states how many entries it has"
        assert facts["entries"] > 0
    for key in ("days_logged", "best_streak"):
        assert isinstance(facts.get(key, 0), int)
    first, last = facts.get("first_date"), facts.get("last_date")
    for value in (first, last):
        assert value is None or date.fromisoformat(value).isoformat() == value
    if first and last:
        span = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
        assert facts.get("days_logged", 1) <= span
        assert facts.get("best_streak", 1) <= span
    if "days_logged" in facts and "best_streak" in facts:
        assert facts["best_streak"] <= facts["days_logged"]
    assert len(fixture.args) % 2 == 0
    assert set(fixture.args[::2]) <= {"--year", "--start"}
    assert (fixture.year, fixture.start) is not None  # both parse


@pytest.mark.parametrize("directory", CORPORA, ids=lambda path: path.name)
def test_every_log_says_where_it_came_from(directory: Path) -> None:
    described = json.loads((directory / "facts.json").read_text(encoding="utf-8"))
    for name, about in described.items():
        source = about["source"]
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", source["repo"]), name
        assert source["path"], name
        # the file name is OWNER__REPO__PATH with `/` as `_` (and, in one old name, " - " as
        # "-"); a fork's copy is named after its upstream, so only the repo name and path match
        flat = re.sub(r"[^0-9a-z]", "", name.lower())
        repo_and_path = source["repo"].split("/")[1] + source["path"]
        assert flat.endswith(re.sub(r"[^0-9a-z]", "", repo_and_path.lower())), name
        assert re.fullmatch(r"[0-9a-f]{7,40}", source.get("commit", "0000000")), name
        assert about["notes"], name


def test_known_misses_name_stated_facts_of_real_logs() -> None:
    for name, misses in KNOWN_MISSES.items():
        assert name in BY_NAME, name
        for fact, cause in misses.items():
            assert fact in BY_NAME[name].facts, (name, fact)
            assert len(cause.split()) >= 8, cause  # says what the parser does instead


# -------------------------------------------------------------------------------------------
# What the notes say, where it is cheap to check
# -------------------------------------------------------------------------------------------

ASHARIMH97 = "asharimh97__100-days-of-code__r2-log.md"
MLANSER = "mlanser__100-days-of-code__r2-log.md"
HASUTO = "HasutoSasaki__100-days-of-code__log.md"
INUNORIGINAL1 = "inunoriginal1__66daysofdata__README.md"
ESTUDIO = "estudioChispa__100-days-of-code__r2-log.md"


def _lines_with(name: str, flag: EntryFlag) -> set[int]:
    return {entry.line for entry in _parsed(name).entries if flag in entry.flags}


def _at(name: str, line: int) -> LogEntry:
    (entry,) = [entry for entry in _parsed(name).entries if entry.line == line]
    return entry


def test_asharimh97_day_86_weekday_contradicts_its_date() -> None:
    # `### Day 86: Wednesday, 30 March 2021` (l.710): 30 March 2021 was a Tuesday, which Day 85
    # (l.702) says; "every other weekday matches its date". The date is kept as written.
    assert _lines_with(ASHARIMH97, EntryFlag.WEEKDAY_MISMATCH) == {710}
    assert _at(ASHARIMH97, 710).dates == (date(2021, 3, 30),)
    assert {710} <= _lines_with(ASHARIMH97, EntryFlag.DUPLICATE_DATE) <= {702, 710}


def test_asharimh97_range_with_two_weekdays_is_one_entry_of_two_dates() -> None:
    # `### Day 21: Sunday and Monday, 24-25 January 2021`
    (entry,) = [entry for entry in _parsed(ASHARIMH97).entries if entry.day == 21]
    assert entry.dates == (date(2021, 1, 24), date(2021, 1, 25))


def test_hasutosasaki_weekdays_agree_with_2025() -> None:
    # `### Day 1: May 2, Friday` .. `### Day 32: June 2, Monday`: "every weekday is correct for
    # 2025" (read with --year 2025, as facts.json says)
    assert _lines_with(HASUTO, EntryFlag.WEEKDAY_MISMATCH) == set()


def test_mlanser_r2d3_twice() -> None:
    # `### R2D3 - 26MAY2020` (l.17) and `### R2D3 - 27MAY2020` (l.21)
    assert {21} <= _lines_with(MLANSER, EntryFlag.DUPLICATE_DAY) <= {17, 21}
    assert [entry.day for entry in _parsed(MLANSER).entries] == [1, 2, 3, 3, 4, 5]


def test_inunoriginal1_is_month_first() -> None:
    # `### Day 1 (01/06/2021): SQL fun` is 6 January ("Day 2 is 01/07, Day 8 is 01/13"); Day 19
    # and Day 20 are both `(01/24/2021)`
    entries = _parsed(INUNORIGINAL1).entries
    assert entries[0].dates == (date(2021, 1, 6),)
    day_19, day_20 = (entry for entry in entries if entry.day in (19, 20))
    assert day_19.dates == day_20.dates == (date(2021, 1, 24),)


def test_estudiochispa_is_newest_first_and_r2d2_in_a_body_is_not_a_day() -> None:
    parsed = _parsed(ESTUDIO)
    assert parsed.reversed
    # R2D1 .. R2D29 once each: the body's "today is dedicated to R2D2. :-)" adds nothing
    assert [entry.day for entry in parsed.entries] == list(range(1, 30))

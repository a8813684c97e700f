"""Properties of reading and writing logs, on generated Markdown-ish text.

- export, then import, gives back the same dates, day numbers, text and tags;
- the order of a log's entries does not change its stats;
- reading never fails on arbitrary text except by saying it is not a log;
- and the same over the real logs of both corpora, with a time bound per KiB.
"""

from __future__ import annotations

import contextlib
import random
import re
import statistics
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.content import extract_links, extract_tags
from bot.domain.logexport import ExportDay, ExportEntry, clean_text, to_markdown
from bot.domain.logparse import NotALogError, parse_log, summarize_log
from bot.domain.rules import PRESETS
from tests.logcorpus import FIXTURES, Fixture, load, parse

CORPORA = sorted(path.parent for path in FIXTURES.glob("*/facts.json"))
HOSTILE_FACTOR = 15  # as tests/domain/test_logparse_hostile.py
SLACK_SECONDS = 0.25


def _reads(fixture: Fixture) -> bool:
    try:
        parse(fixture)
    except NotALogError:
        return False
    return True


POSTED = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

# Lines a member might write, including every kind Markdown would read as structure.
_FRAGMENTS = [
    "Trained a CNN",
    "read chapter 3",
    "# a heading of my own",
    "### Day 5: March 3, 2024",
    "## 2024/1/2",
    "R1D3 again",
    "- a bullet",
    "  - nested bullet",
    "> a quote",
    "> ### Day 9",
    "- ### Day 7",
    "1. first",
    "<!-- a comment -->",
    "<div>html</div>",
    "---",
    "===",
    "-",
    "***",
    "```python",
    "```",
    "~~~",
    "    indented code # not a heading",
    "Tags: cnn, vision",
    "Links: https://example.org/x",
    "**Today's Progress**: fixed the loader",
    "**Thoughts:** fine",
    "| a | b |",
    "|---|---|",
    "see https://arxiv.org/abs/1706.03762 and https://github.com/a/b",
    "\\# already escaped",
    "\\",
    "#100DaysOfCode #pytorch",
    "\uff12\uff10\uff12\uff12/\uff11\uff12/\uff11 full-width digits",
    "23:45 - 0:45",
    "今日は機械学習を勉強した",
    "\uff03 a full-width heading",
    "\xa0# after a no-break space",
    "\uff1d\uff1d\uff1d",
    "\uff1c!-- full-width comment",
    "**Tags**: python, ml",
    "__Links__: https://example.org/y",
    "\\abc",
    "",
]
_line = st.one_of(
    st.sampled_from(_FRAGMENTS),
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
        ),
        max_size=30,
    ),
)
texts = st.lists(_line, max_size=8).map("\n".join)
tag_words = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True), max_size=3)


@st.composite
def exported_days(draw: st.DrawFn) -> list[ExportDay]:
    first = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)))
    offsets = draw(st.lists(st.integers(0, 400), min_size=1, max_size=12, unique=True))
    number = 0
    days = []
    for offset in sorted(offsets):
        day = first + timedelta(days=offset)
        text = draw(texts)
        extra = " ".join(draw(tag_words))
        counted = draw(st.booleans())
        number += counted
        entry = ExportEntry(
            day=day,
            text=text,
            tags=extract_tags(text, extra),
            links=extract_links(text),
            minutes=None,
            source="command",
            created_at=POSTED,
        )
        days.append(ExportDay(day, 1, number if counted else None, (entry,)))
    return days


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exported_days())
def test_export_then_import_is_the_identity(days: list[ExportDay]) -> None:
    back = parse_log(to_markdown("ML Club", days)).entries

    assert [entry.dates for entry in back] == [(day.day,) for day in days]
    assert [entry.day for entry in back] == [day.day_number for day in days]
    assert [entry.text for entry in back] == [clean_text(day.text) for day in days]
    assert [entry.tags for entry in back] == [day.tags for day in days]


_HEADINGS = [
    lambda n, d: f"### Day {n}: {d:%B} {d.day}, {d.year}",
    lambda n, d: f"## {d.year}/{d.month}/{d.day}",
    lambda n, d: f"### R1D{n} ({d.isoformat()})",
    lambda n, d: f"## Day {n} : {d:%b} {d.day} , {d.year}",
]


@settings(max_examples=150, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 300), min_size=1, max_size=30, unique=True),
    style=st.integers(0, len(_HEADINGS) - 1),
    seed=st.integers(0, 2**32),
    rules=st.sampled_from(sorted(PRESETS)),
    stub=st.sets(st.integers(0, 29)),
)
def test_the_order_of_entries_does_not_change_the_stats(
    offsets: list[int], style: int, seed: int, rules: str, stub: set[int]
) -> None:
    first = date(2023, 1, 1)
    days = sorted(first + timedelta(days=offset) for offset in offsets)
    blocks = [
        f"{_HEADINGS[style](n + 1, day)}\n"
        + ("**Today's Progress**: None.\n" if n in stub else f"Studied topic {n}\n")
        for n, day in enumerate(days)
    ]
    shuffled = blocks[:]
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - a reproducible order, not a secret
    today = days[-1] + timedelta(days=3)

    ordered = summarize_log(parse_log("\n".join(blocks)), PRESETS[rules], today)
    mixed = summarize_log(parse_log("\n".join(shuffled)), PRESETS[rules], today)

    assert mixed == ordered
    assert ordered.entries == len(days)
    assert ordered.days_logged == len(days) - len(stub & set(range(len(days))))


_markdownish = st.lists(
    st.one_of(
        st.sampled_from(_FRAGMENTS),
        st.builds(
            lambda level, body: "#" * level + " " + body,
            st.integers(1, 6),
            st.text(max_size=40),
        ),
        st.builds(lambda n, rest: f"Day {n}{rest}", st.integers(0, 99999), st.text(max_size=30)),
        st.builds(
            lambda a, b, c: f"### R{a}D{b}-{c} ({a}/{b}/{c})",
            st.integers(0, 99),
            st.integers(0, 999),
            st.integers(0, 9999),
        ),
        st.text(max_size=60),
    ),
    max_size=25,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(_markdownish, st.text(max_size=400)),
    year=st.none() | st.integers(1970, 2100),
    start=st.none() | st.dates(min_value=date(1970, 1, 1), max_value=date(2100, 1, 1)),
)
def test_reading_never_fails_on_arbitrary_text(
    text: str, year: int | None, start: date | None
) -> None:
    try:
        parsed = parse_log(text, year=year, start=start)
    except NotALogError:
        return
    assert parsed.entries
    for rules in PRESETS.values():
        summarize_log(parsed, rules)


# -------------------------------------------------------------------------------------------
# The same properties over the real logs of both corpora (tests/fixtures/*/facts.json)
# -------------------------------------------------------------------------------------------

REAL = [fixture for directory in CORPORA for fixture in load(directory)]
READ = [fixture for fixture in REAL if _reads(fixture)]


@pytest.mark.parametrize("fixture", READ, ids=lambda fixture: fixture.name)
def test_a_real_log_exported_then_imported_keeps_its_days_and_text(fixture: Fixture) -> None:
    # Every dated day of a real log, with its real text (headings, tables, HTML and all), as the
    # export writes it; reading that back gives the same days and the same text.
    by_day: dict[date, list[str]] = {}
    for entry in parse(fixture).entries:
        if entry.counts and entry.dates:
            by_day.setdefault(entry.dates[0], []).append(entry.text)
    days = [
        ExportDay(
            day,
            1,
            number,
            tuple(ExportEntry(day, text, (), (), None, "import", POSTED) for text in by_day[day]),
        )
        for number, day in enumerate(sorted(by_day), 1)
    ]
    if not days:
        return
    back = parse_log(to_markdown("ML Club", days)).entries

    assert [entry.dates for entry in back] == [(day.day,) for day in days]
    assert [entry.day for entry in back] == [day.day_number for day in days]
    assert [entry.text for entry in back] == [clean_text(day.text) for day in days]


def _blocks(fixture: Fixture) -> tuple[str, list[str]]:
    """A real log cut at its entries: the header, and each entry's lines."""
    lines = fixture.path.read_text(encoding="utf-8").split("\n")
    starts = [entry.line - 1 for entry in parse(fixture).entries]
    cuts = sorted(set(starts))
    blocks = ["\n".join(lines[a:b]) for a, b in zip(cuts, [*cuts[1:], len(lines)], strict=True)]
    return "\n".join(lines[: cuts[0]]), blocks


# Logs whose every entry heading carries its own full date: their order is only a reading aid.
# (A date without a year borrows its neighbour's, and an undated log is numbered by position,
# so shuffling those changes what they say.)
_FULL_DATE = re.compile(r"(?:19|20)\d\d")
SELF_DATED = [
    fixture
    for fixture in READ
    if fixture.facts.get("days_logged")
    and not fixture.args
    and all(_FULL_DATE.search(entry.heading) for entry in parse(fixture).entries)
]


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**32))
@pytest.mark.parametrize("fixture", SELF_DATED, ids=lambda fixture: fixture.name)
def test_shuffling_a_real_logs_entries_does_not_change_its_stats(
    fixture: Fixture, seed: int
) -> None:
    header, blocks = _blocks(fixture)
    # The last block stays last: it also holds whatever follows the log (lwpulsifer's
    # `# Conclusion`), which is not part of any day wherever the last day is.
    shuffled = blocks[:-1]
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - a reproducible order, not a secret
    rules = PRESETS["x-days-of-ml-code"]

    ordered = summarize_log(parse(fixture), rules)
    mixed = summarize_log(parse_log("\n".join([header, *shuffled, blocks[-1]])), rules)

    assert mixed == ordered


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), year=st.none() | st.integers(1970, 2100))
@pytest.mark.parametrize("fixture", REAL, ids=lambda fixture: fixture.name)
def test_reading_never_fails_on_a_cut_or_damaged_real_log(
    fixture: Fixture, data: st.DataObject, year: int | None
) -> None:
    # A real log cut anywhere, with lines dropped or repeated: a half-uploaded or badly merged file.
    lines = fixture.path.read_text(encoding="utf-8").split("\n")
    end = data.draw(st.integers(0, len(lines)))
    kept = [
        line * data.draw(st.sampled_from([1, 1, 1, 0, 2])) for line in lines[: min(end, 400)]
    ] + lines[min(end, 400) : end]
    text = "\n".join(kept)
    if data.draw(st.booleans()):
        text = text[: data.draw(st.integers(0, len(text)))]  # mid-line, mid-character
    try:
        parsed = parse_log(text, year=year, start=fixture.start)
    except NotALogError:
        return
    assert parsed.entries
    for rules in PRESETS.values():
        summarize_log(parsed, rules)


def test_every_real_log_reads_within_a_bound_per_kib() -> None:
    # Reading is linear (test_logparse_hostile.py); a real log is the yardstick there. Here no
    # real log of either corpus may cost more than HOSTILE_FACTOR times the median real log's
    # cost per KiB: one that does hits a slow path that the hostile bench should learn about.
    costs = {}
    for fixture in REAL:
        text = fixture.path.read_text(encoding="utf-8")
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            with contextlib.suppress(NotALogError):
                parse_log(text, year=fixture.year, start=fixture.start)
            best = min(best, time.perf_counter() - began)
        costs[fixture.name] = (best, len(text.encode()) / 1024)
    per_kib = statistics.median(seconds / kib for seconds, kib in costs.values())
    for name, (seconds, kib) in costs.items():
        assert seconds < HOSTILE_FACTOR * per_kib * kib + SLACK_SECONDS, name

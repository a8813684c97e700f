"""The real-log corpora and their hand-counted facts, read the way `daybook import-log` reads them.

Each corpus is a directory of logs with a `facts.json` beside them (schema: tests/fixtures/
logs-world/INDEX.md, "How the facts were counted"): per file its source, `args` for the importer
(`--year Y`, `--start D`) and `facts`, any of `entries`, `days_logged`, `first_date`,
`last_date`, `best_streak`, each counted by a person from the file. `facts.json` is the one
place those numbers live: tests/domain/test_logparse_world.py, the CI step (`python -m
bench.corpus --cli`) and the closing-note table (`python -m bench.corpus`) all read it, so a
new directory of logs with its own facts.json (helper E's finds, say) joins by being named.

`KNOWN_MISSES` lists the facts today's parser reads wrong, with the cause. The tests expect
those to fail (strict xfail) and the CI step allows them, so the day the parser reads one
right, both say so, and the entry is deleted here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.domain.logparse import NotALogError, ParsedLog, day_facts, parse_log, summarize_log
from bot.domain.rules import preset

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OLD = FIXTURES / "logs"
WORLD = FIXTURES / "logs-world"
CORPORA = {"old": OLD, "world": WORLD}
FACTS = ("entries", "days_logged", "first_date", "last_date", "best_streak")
RULES = "x-days-of-ml-code"  # the CLI's default; no minimum, so any logged date is a streak day
REFUSED = "refused"
"""What a file reads as when the parser says it is not a log."""


@dataclass(frozen=True)
class Fixture:
    """One real log and what a person counted in it."""

    path: Path
    args: tuple[str, ...]
    facts: dict[str, Any]
    notes: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def year(self) -> int | None:
        return int(self._arg("--year")) if "--year" in self.args else None

    @property
    def start(self) -> date | None:
        return date.fromisoformat(self._arg("--start")) if "--start" in self.args else None

    def _arg(self, flag: str) -> str:
        return self.args[self.args.index(flag) + 1]


def load(directory: Path) -> list[Fixture]:
    """The fixtures a directory's facts.json describes, in its order."""
    described = json.loads((directory / "facts.json").read_text(encoding="utf-8"))
    fixtures = []
    for name, about in described.items():
        unknown = set(about["facts"]) - set(FACTS)
        if unknown:
            raise ValueError(f"{directory.name}/facts.json: {name} states unknown facts {unknown}")
        fixtures.append(
            Fixture(directory / name, tuple(about["args"]), about["facts"], about.get("notes", ""))
        )
    return fixtures


def parse(fixture: Fixture) -> ParsedLog:
    """Read a fixture as `daybook import-log FILE [args]` does (NotALogError if refused)."""
    text = fixture.path.read_text(encoding="utf-8")
    return parse_log(text, year=fixture.year, start=fixture.start)


def longest_run(days: list[date]) -> int:
    """The longest run of consecutive dates (the facts' `best_streak`)."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def read(fixture: Fixture) -> dict[str, Any] | str:
    """The five facts as the parser reads them, as facts.json writes them; REFUSED if refused.

    `entries` is every entry read (stubs included, as the facts count them); the others come
    from the entries that count. best_streak is the longest run of logged dates, the facts'
    definition, rather than the engine's streak under some rules.
    """
    try:
        parsed = parse(fixture)
    except NotALogError:
        return REFUSED
    stats = summarize_log(parsed, preset(RULES))
    return {
        "entries": stats.entries,
        "days_logged": stats.days_logged,
        "first_date": stats.first_date and stats.first_date.isoformat(),
        "last_date": stats.last_date and stats.last_date.isoformat(),
        "best_streak": longest_run(list(day_facts(parsed.entries))),
    }


def known_miss(fixture: Fixture, fact: str) -> str | None:
    """Why the parser is known to read this fact wrong today, or None."""
    return KNOWN_MISSES.get(fixture.name, {}).get(fact)


# Causes, as /work/wt/logs-world-baseline.md groups them (section 2 and its table 3):
# L languages (day words, month/weekday names, table headers), H HTML blocks, C compact dates,
# R ranges, U undated entries that are not headings, N no-progress wording, O1-O6 other.
_L_REFUSED = "L: refused; the day word of `{}` is not read, so no entry is found"
_U_REFUSED = "U: refused; undated `{}` entries that are not headings are not read"

KNOWN_MISSES: dict[str, dict[str, str]] = {
    # --- the old corpus (tests/fixtures/logs): two facts that hinge on no-progress wording ---
    "chinhdo__100-days-of-code__log.md": dict.fromkeys(
        ("days_logged", "last_date"),
        "N: the dated note `## July 20, 2020` ('I failed the challenge ... skipped two days "
        "in a row') is not read as a day without progress",
    ),
    "madifz__100-days-of-code__r4-log.md": {
        "days_logged": "N: the pause notice `R4D2-3 (30/3/22)` ('Putting pause on round 4 ... "
        "have not really been able to restart properly') is counted as a day of work"
    },
    # --- logs-world ---
    "Adelina1905__100-days-of-code__log.md": {"entries": _U_REFUSED.format("Day 1:")},
    "Ana0804__My100DaysOfCode__README.md": {"entries": _L_REFUSED.format("## JOUR 1 : HTML")},
    "Aseiide__100-days-of-code__intl_ja_log.md": dict.fromkeys(
        ("entries", "days_logged", "first_date", "best_streak"),
        "L: `### 0日目: 2022年11月24日` (N日目, 年月日) is not a day token or date; only the "
        "ISO-dated 4日目-6日目 are read (O1: `### Day003` inside 3日目 would add an entry)",
    ),
    "Clifton893__100-days-of-code__log.md": dict.fromkeys(
        ("days_logged", "best_streak"),
        "N: rest days ('Took a personal day for R&R.', 'Day of rest.', 'day off from code', "
        "'Thanksgiving. Holiday.') are not read as no progress",
    ),
    "duccipline__journal__66days.md": dict.fromkeys(
        FACTS,
        "L, O3: refused; the table header `STT | Ngày | Mục Tiêu` is not read, and lettered "
        "rows without a leading pipe (`24e|08/03|`) are lost",
    ),
    "giovanisleite__100DiasDeCodigo__README.md": {"entries": _L_REFUSED.format("## Dia 1")},
    "guiqin707__python-100-days-learning__README.md": {
        "entries": _U_REFUSED.format("- **Day 1**: 环境搭建与GitHub使用")
    },
    "hyunkyu-Park__66DaysOfData.R2__README.md": {"entries": _U_REFUSED.format("__Day 1__")},
    "jincde__TIL__README.md": dict.fromkeys(
        FACTS,
        "H, C: refused; every entry is `<details><summary> ✔ day 1 220704 </summary>` (an HTML "
        "block) with a compact YYMMDD date",
    ),
    "legoffant__100-days-of-code__r2-log.md": dict.fromkeys(
        ("days_logged", "first_date", "last_date", "best_streak"),
        "L: the French month in `27 avril 2021` is not a date, so all 3 entries are undated",
    ),
    "lthh91__100DaysOfMLCode-journal__README.md": dict.fromkeys(
        FACTS, "H: refused; the headings are raw HTML `<h3>Day 1 - Sunday, July 8th, 2018 </h3>`"
    ),
    "minhncedutw__100DaysOfMLCode__README.md": dict.fromkeys(
        ("days_logged", "first_date", "last_date", "best_streak"),
        "C: the compact `2019June03` in `## Day 1(2019June03)` is not a date",
    ),
    "nimanns__100daysofrust__README.md": {
        "entries": "U: refused; a bare ordered list (`1. factorial`) under '... everyday for 100 "
        "days' has no day word"
    },
    "nurmatthias__100DaysOfCode__log.md": dict.fromkeys(
        ("entries", "days_logged", "first_date", "best_streak"),
        "L: `### Tag 1: 20. Februar 2021` (German day word and months) is not read; only the "
        "3 `Tag N: .. April ..` headings pass as date-only headings",
    ),
    "paubcdev__100DaysOfRust__log.md": dict.fromkeys(
        ("days_logged", "first_date", "last_date", "best_streak"),
        "O4: the text after `* Day 1 (24/10/2022):` on the day line is dropped, so every "
        "entry is empty and none counts",
    ),
    "ruu2023__100-days-of-code-2026__hono-app_src_data_posts.md": dict.fromkeys(
        ("entries", "days_logged", "first_date", "best_streak"),
        "O5: the 3 `## 2026-.. ..:..` posts without a `【Day NNN/100】` in the body (an "
        "announcement, a tweet, a retweet) are read as days",
    ),
    "ry05__ry05.github.io__66dod.md": dict.fromkeys(
        ("days_logged", "best_streak"),
        "N: 'Took a break from any kind of data science learning today.' is not read as no "
        "progress",
    ),
    "slh4003__python-30days__README.md": {
        "entries": "L: refused; the table header `| Ngày | Chủ đề |` is not read as a day column"
    },
    "syahrulhamdani__100_Days_Of_ML_Code__log.md": dict.fromkeys(
        ("days_logged", "last_date", "best_streak"),
        "R, O6: `## Day 1 - 30 Auguts, 2018` is read as days 1-30 (the day range swallows the "
        "date) and 'Auguts' is not a month",
    ),
    "SzappanAdam__365-days-of-code__README.md": {
        "entries": "O2: refused; the tab-separated rows `001\\tPython ...\\t✅` are not a table"
    },
    "thejarrus__40DaysOfCSharp__README.md": {
        "entries": "L: refused; the table header `| Gün | Konu |` is not read as a day column"
    },
    "vanribeiro__100DiasDeCodigo2019__README.md": {
        "entries": "L: refused; the table header `**Dia** | **Histórico**` is not read as a day "
        "column"
    },
    "zoiber__100-days-of-code-R1__README.md": dict.fromkeys(
        FACTS, "L: refused; `### Día 3: 15 de Abril, 2020 - Miércoles` (Spanish day word and month)"
    ),
}

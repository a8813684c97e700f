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


KNOWN_MISSES: dict[str, dict[str, str]] = {}

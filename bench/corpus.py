"""The real-log corpora read against their hand-counted facts: the closing note's table, and CI's.

    ./run python -m bench.corpus                 # a Markdown table per corpus, and the counts
    ./run python -m bench.corpus DIR [DIR ...]   # other directories of logs with a facts.json
    ./run python -m bench.corpus --cli           # `daybook import-log --json` on every log

The corpora are the directories under tests/fixtures with a `facts.json` (tests/logcorpus.py
reads them; the facts are defined in tests/fixtures/logs-world/INDEX.md). The table gives each
log's entries, days logged, first and last day and best streak as counted by hand against what
the parser reads (`expected / read`, a miss in bold, a dash where the file states no such fact),
and how many logs are read fully right: every fact it states, right.

`--cli` runs the command's own entry point (`bot.cli.main`, what the `daybook` script calls)
once per log with the log's arguments, in this process: a process per log would cost seconds
each, for the start-up alone. Each run must exit 0 with JSON whose stats match the facts, or,
for a log the parser is known to refuse today, exit 2 (not a log). A mismatch that is not a
known miss (tests/logcorpus.py KNOWN_MISSES) fails, and so does a known miss that now reads
right, so that its entry is deleted; the exit status is 1 on any failure, for CI.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

from tests.logcorpus import FACTS, FIXTURES, REFUSED, Fixture, known_miss, load, read

NOT_STATED = "\N{EN DASH}"
"""A table cell for a fact the file does not state."""
NOT_A_LOG = 2
"""`daybook import-log`'s exit status for a file that is not a log (bot/cli.py)."""
_COLUMNS = ("entries", "days logged", "first day", "last day", "best streak")


def corpora(named: list[str]) -> list[Path]:
    """The directories named, or every directory under tests/fixtures with a facts.json."""
    if named:
        return [Path(name) for name in named]
    return sorted(path.parent for path in FIXTURES.glob("*/facts.json"))


def _cell(expected: Any, got: Any) -> str:
    if expected is None:
        return NOT_STATED
    shown = f"{expected} / {got}"
    return shown if expected == got else f"**{shown}**"


def table(directory: Path) -> tuple[list[str], int, int]:
    """A corpus's Markdown table, with how many of its logs are read fully right, of how many."""
    lines = [
        f"### `{directory.name}`",
        "",
        "| # | fixture | args | " + " | ".join(f"{c} exp / read" for c in _COLUMNS) + " | right |",
        "|---|---|---|" + "---|" * len(_COLUMNS) + "---|",
    ]
    right = 0
    fixtures = load(directory)
    for number, fixture in enumerate(fixtures, 1):
        got = read(fixture)
        values = dict.fromkeys(FACTS, REFUSED) if got == REFUSED else dict(got)
        ok = all(values[fact] == fixture.facts[fact] for fact in fixture.facts)
        right += ok
        cells = [_cell(fixture.facts.get(fact), values[fact]) for fact in FACTS]
        args = " ".join(fixture.args) or NOT_STATED
        verdict = "yes" if ok else "**no**"
        lines.append(
            f"| {number} | `{fixture.name}` | {args} | " + " | ".join(cells) + f" | {verdict} |"
        )
    lines += ["", f"Read fully right: **{right} / {len(fixtures)}**", ""]
    return lines, right, len(fixtures)


def _run_cli(fixture: Fixture) -> tuple[int, str, str]:
    """`daybook import-log --json FILE [args]` through the command's entry point."""
    from bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["import-log", "--json", str(fixture.path), *fixture.args])
    return status, out.getvalue(), err.getvalue()


def check_cli(fixture: Fixture) -> list[str]:
    """What is wrong with the command's answer on one log (nothing: an empty list)."""
    status, out, err = _run_cli(fixture)
    refused_is_known = all(known_miss(fixture, fact) for fact in fixture.facts)
    if status == NOT_A_LOG and refused_is_known:
        return []
    if status != 0:
        return [f"exit {status}: {err.strip()}"]
    stats = json.loads(out)["stats"]
    problems = []
    for fact, expected in fixture.facts.items():
        got = stats[fact]
        cause = known_miss(fixture, fact)
        if got != expected and not cause:
            problems.append(f"{fact}: {got!r}, by hand {expected!r}")
        elif got == expected and cause:
            problems.append(f"{fact} now reads right ({got!r}): delete it from KNOWN_MISSES")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Print the tables (or run the CLI check); the status is 1 only when --cli finds a fault."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("dirs", nargs="*", help="directories of logs with a facts.json")
    parser.add_argument("--cli", action="store_true", help="check `daybook import-log --json`")
    args = parser.parse_args(argv)
    directories = corpora(args.dirs)
    if args.cli:
        began, failures, logs = time.perf_counter(), 0, 0
        for directory in directories:
            for fixture in load(directory):
                logs += 1
                for problem in check_cli(fixture):
                    failures += 1
                    print(f"{directory.name}/{fixture.name}: {problem}")
        took = time.perf_counter() - began
        print(f"daybook import-log --json on {logs} logs: {failures} problems ({took:.1f} s)")
        return 1 if failures else 0
    totals = []
    for directory in directories:
        lines, right, count = table(directory)
        print("\n".join(lines))
        totals.append(f"{directory.name} {right} / {count}")
    print("Read fully right: " + ", ".join(totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())

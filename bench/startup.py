"""Start-up benchmark: how long `import bot.app` takes, beside `import discord` and the floor.

    python -m bench.startup [--runs N] [--markdown PATH] [--compare CHECKOUT]

Each import runs in a fresh interpreter (`python -c "import ..."`, timed inside the child with
`perf_counter` around the import only, so interpreter start-up is left out). The three imports
are interleaved run by run, so a noisy machine slows all of them alike; the report gives the
medians and the ratios to `import discord` and to the floor (`import discord, sqlalchemy,
aiosqlite`: the libraries Daybook cannot start without). `--compare` adds `import bot.app` from
another checkout of Daybook (an older commit, say: `git archive REV | tar -x -C DIR`), timed in
the same rounds. Then one `-X importtime` run of `import bot.app` lists the modules that cost
most, by cumulative time, and the time each top-level package spends importing itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.report import revision, say, verdict

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0


@dataclass(frozen=True)
class Measured:
    """One import to time: its label, the statement, and the checkout it runs in."""

    label: str
    statement: str
    root: Path = ROOT


# The first is the reference the ratios are taken against; "floor" is the second reference.
IMPORTS = (
    Measured("discord", "import discord"),
    Measured("floor", "import discord, sqlalchemy, sqlalchemy.dialects.sqlite, aiosqlite"),
    Measured("bot.app", "import bot.app"),
)
_TIMED = "import time as _t\n_s = _t.perf_counter()\n{statement}\nprint(_t.perf_counter() - _s)\n"


@dataclass(frozen=True)
class Timings:
    """Seconds per run for each import, by label, in the order they were measured."""

    imports: tuple[Measured, ...]
    runs: dict[str, list[float]]

    def median(self, name: str) -> float:
        """Return the median seconds of one import."""
        return statistics.median(self.runs[name])


def _child_environment(root: Path) -> dict[str, str]:
    """Return the environment the children run in: this one, with `root` first on the path."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(root), environment.get("PYTHONPATH", "")) if part
    )
    environment["PYTHONHASHSEED"] = "0"  # the same hashing in every run
    return environment


def time_import(measured: Measured) -> float:
    """Return the seconds one fresh interpreter spends running the import."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and a fixed statement
        [sys.executable, "-c", _TIMED.format(statement=measured.statement)],
        check=True,
        capture_output=True,
        text=True,
        env=_child_environment(measured.root),
        cwd=measured.root,
    )
    return float(completed.stdout.strip().splitlines()[-1])


def measure(imports: tuple[Measured, ...], runs: int) -> Timings:
    """Time every import `runs` times, interleaved (one of each per round)."""
    # One unrecorded round first: it fills the OS file cache and writes any missing bytecode.
    for measured in imports:
        time_import(measured)
    seconds: dict[str, list[float]] = {measured.label: [] for measured in imports}
    for round_number in range(runs):
        for measured in imports:
            seconds[measured.label].append(time_import(measured))
        say(
            f"round {round_number + 1}/{runs}: "
            + ", ".join(f"{name} {values[-1] * 1000:.0f} ms" for name, values in seconds.items())
        )
    return Timings(imports, seconds)


Profile = list[tuple[str, int, int]]
"""Rows of `-X importtime`: (module, cumulative µs, self µs), in the order Python printed them."""


def import_profile(statement: str = "import bot.app") -> Profile:
    """Return every module `statement` imports with its cumulative and self import time."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and a fixed statement
        [sys.executable, "-X", "importtime", "-c", statement],
        check=True,
        capture_output=True,
        text=True,
        env=_child_environment(ROOT),
        cwd=ROOT,
    )
    rows: Profile = []
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
        if not fields[0].isdigit():
            continue  # the header line
        rows.append((fields[2], int(fields[1]), int(fields[0])))
    return rows


def by_package(profile: Profile) -> list[tuple[str, int]]:
    """Return the self time of each top-level package's modules, summed, largest first."""
    totals: dict[str, int] = {}
    for module, _, own in profile:
        package = module.split(".", 1)[0]
        totals[package] = totals.get(package, 0) + own
    return sorted(totals.items(), key=lambda item: item[1], reverse=True)


def report(timings: Timings, profile: Profile, top: int = 15) -> list[str]:
    """Return the report as Markdown lines."""
    reference = timings.median("discord")
    floor = timings.median("floor")
    runs = len(timings.runs["discord"])
    lines = [
        f"### Start-up (`import bot.app`), {runs} interleaved runs, revision {revision()}",
        "",
        "| import | median | min | max | ratio to `import discord` | ratio to the floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for measured in timings.imports:
        values = timings.runs[measured.label]
        median = timings.median(measured.label)
        where = "" if measured.root == ROOT else f" (in {measured.root})"
        lines.append(
            f"| `{measured.statement}`{where} | {median * 1000:.0f} ms | "
            f"{min(values) * 1000:.0f} ms | {max(values) * 1000:.0f} ms | "
            f"{median / reference:.2f} | {median / floor:.2f} |"
        )
    app = timings.median("bot.app")
    lines += [
        "",
        f"Target: `import bot.app` ≤ {TARGET_SECONDS:.0f} s: {app:.2f} s, "
        f"**{verdict(app <= TARGET_SECONDS)}**"
        + (
            f" (the floor alone takes {floor:.2f} s on this machine)"
            if floor > TARGET_SECONDS * 0.8
            else ""
        )
        + ".",
        "",
        (
            "One run of `python -X importtime -c 'import bot.app'` (the option itself adds some "
            "overhead): the time each top-level package spends in its own modules, then the "
            "modules by cumulative time."
        ),
        "",
        "| package | self, all its modules |",
        "|---|---:|",
    ]
    lines += [
        f"| `{package}` | {own / 1000:.0f} ms |" for package, own in by_package(profile)[:top]
    ]
    lines += ["", "| module | cumulative | self |", "|---|---:|---:|"]
    slowest = sorted(profile, key=lambda row: row[1], reverse=True)[:top]
    lines += [
        f"| `{module}` | {cum / 1000:.0f} ms | {own / 1000:.0f} ms |"
        for module, cum, own in slowest
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    """Run the start-up benchmark and print (and optionally write) its Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--compare",
        type=Path,
        help="another checkout of Daybook whose `import bot.app` is timed in the same rounds",
    )
    arguments = parser.parse_args(argv)
    imports = IMPORTS
    if arguments.compare is not None:
        other = Measured("compared", "import bot.app", arguments.compare.resolve())
        imports = (*IMPORTS, other)
    timings = measure(imports, arguments.runs)
    lines = report(timings, import_profile())
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if arguments.markdown is not None:
        arguments.markdown.parent.mkdir(parents=True, exist_ok=True)
        arguments.markdown.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

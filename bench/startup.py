"""Start-up benchmark: how long `import bot.app` takes, beside `import discord` and the floor.

    python -m bench.startup [--runs N] [--markdown PATH]

Each import runs in a fresh interpreter (`python -c "import ..."`, timed inside the child with
`perf_counter` around the import only, so interpreter start-up is left out). The three imports
are interleaved run by run, so a noisy machine slows all of them alike; the report gives the
medians and the ratios to `import discord` and to the floor (`import discord, sqlalchemy,
aiosqlite`: the libraries Daybook cannot start without). Then one `-X importtime` run of
`import bot.app` lists the modules that cost most, by cumulative time.
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

# What each measured import loads; the first is the reference the ratios are taken against.
IMPORTS = {
    "discord": "import discord",
    "floor": "import discord, sqlalchemy, sqlalchemy.dialects.sqlite, aiosqlite",
    "bot.app": "import bot.app",
}
_TIMED = "import time as _t\n_s = _t.perf_counter()\n{statement}\nprint(_t.perf_counter() - _s)\n"


@dataclass(frozen=True)
class Timings:
    """Seconds per run for each import, in the order `IMPORTS` names them."""

    runs: dict[str, list[float]]

    def median(self, name: str) -> float:
        """Return the median seconds of one import."""
        return statistics.median(self.runs[name])


def _child_environment() -> dict[str, str]:
    """Return the environment the children run in: this one, with the project on the path."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(ROOT), environment.get("PYTHONPATH", "")) if part
    )
    environment["PYTHONHASHSEED"] = "0"  # the same hashing in every run
    return environment


def time_import(statement: str) -> float:
    """Return the seconds one fresh interpreter spends running `statement`."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and a fixed statement
        [sys.executable, "-c", _TIMED.format(statement=statement)],
        check=True,
        capture_output=True,
        text=True,
        env=_child_environment(),
        cwd=ROOT,
    )
    return float(completed.stdout.strip().splitlines()[-1])


def measure(runs: int) -> Timings:
    """Time every import `runs` times, interleaved (one of each per round)."""
    # One unrecorded round first: it fills the OS file cache and writes any missing bytecode.
    for statement in IMPORTS.values():
        time_import(statement)
    seconds: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for round_number in range(runs):
        for name, statement in IMPORTS.items():
            seconds[name].append(time_import(statement))
        say(
            f"round {round_number + 1}/{runs}: "
            + ", ".join(f"{name} {values[-1] * 1000:.0f} ms" for name, values in seconds.items())
        )
    return Timings(seconds)


def import_profile(statement: str = "import bot.app", top: int = 15) -> list[tuple[str, int, int]]:
    """Return the `top` modules by cumulative import time: (module, cumulative µs, self µs)."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and a fixed statement
        [sys.executable, "-X", "importtime", "-c", statement],
        check=True,
        capture_output=True,
        text=True,
        env=_child_environment(),
        cwd=ROOT,
    )
    rows: list[tuple[str, int, int]] = []
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
        if not fields[0].isdigit():
            continue  # the header line
        rows.append((fields[2], int(fields[1]), int(fields[0])))
    return sorted(rows, key=lambda row: row[1], reverse=True)[:top]


def report(timings: Timings, profile: list[tuple[str, int, int]]) -> list[str]:
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
    for name, statement in IMPORTS.items():
        values = timings.runs[name]
        median = timings.median(name)
        lines.append(
            f"| `{statement}` | {median * 1000:.0f} ms | {min(values) * 1000:.0f} ms | "
            f"{max(values) * 1000:.0f} ms | {median / reference:.2f} | {median / floor:.2f} |"
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
            "Top of `python -X importtime -c 'import bot.app'` by cumulative time (one run; "
            "the option itself adds some overhead):"
        ),
        "",
        "| module | cumulative | self |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| `{module}` | {cum / 1000:.0f} ms | {own / 1000:.0f} ms |"
        for module, cum, own in profile
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    """Run the start-up benchmark and print (and optionally write) its Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    arguments = parser.parse_args(argv)
    timings = measure(arguments.runs)
    lines = report(timings, import_profile())
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if arguments.markdown is not None:
        arguments.markdown.parent.mkdir(parents=True, exist_ok=True)
        arguments.markdown.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

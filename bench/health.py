"""Health-check benchmark: what one `daybook health` costs, as Docker runs it every 30 s.

    python -m bench.health [--runs N]

Each command runs in a fresh interpreter, as the HEALTHCHECK starts one, interleaved run by run
so a noisy machine slows them alike: `python -c pass` (the floor every ratio is taken against),
`daybook health` on a migrated SQLite database holding a heartbeat, and `import bot.app` (what
`daybook run` loads before it does anything) for scale. For each: the median wall time and the
median peak resident memory of the child (GNU time's `%M`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.report import revision, say

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"
"""GNU time (Debian's `time` package), for each child's peak resident memory."""


def commands() -> dict[str, list[str]]:
    """The commands measured, by label; the first is the floor."""
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "daybook health": [sys.executable, "-m", "bot", "health"],
        "import bot.app": [sys.executable, "-c", "import bot.app"],
    }


def measure(argv: list[str], environment: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Run one command; return its wall seconds and its peak RSS in KiB.

    The peak is GNU time's report of its own child: Linux carries a process's peak across
    fork and exec, so this process's own (the database set-up's) would show in a direct child.
    """
    with tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
            [TIME, "-f", "%M", "-o", report.name, *argv],
            cwd=cwd,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        seconds = time.perf_counter() - started
        return seconds, int(report.read().split()[-1])


async def heartbeat(url: str) -> None:
    """Migrate a database and write a fresh heartbeat, so the check reads a real row."""
    from storage import Database, migrate

    await migrate(url)
    database = await Database.open(url)
    try:
        async with database.write() as repos:
            now = datetime.now(UTC)
            await repos.heartbeats.started("all", now, "bench")
            await repos.heartbeats.ticked("all", now)
            await repos.heartbeats.gateway("all", up=True, at=now)
    finally:
        await database.close()


def main(argv: list[str] | None = None) -> int:
    """Measure and print the medians and the ratios to `python -c pass`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default: 15)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'daybook.db'}"
        asyncio.run(heartbeat(url))
        environment = {k: v for k, v in os.environ.items() if not k.startswith("DAYBOOK_")}
        environment["DAYBOOK_DATABASE_URL"] = url
        environment["PYTHONPATH"] = str(ROOT)
        measured = commands()
        wall: dict[str, list[float]] = {label: [] for label in measured}
        rss: dict[str, list[int]] = {label: [] for label in measured}
        for command in measured.values():  # once each first: warm the file cache
            measure(command, environment, Path(folder))
        for _ in range(args.runs):
            for label, command in measured.items():
                seconds, peak = measure(command, environment, Path(folder))
                wall[label].append(seconds)
                rss[label].append(peak)
    floor = "python -c pass"
    floor_wall, floor_rss = statistics.median(wall[floor]), statistics.median(rss[floor])
    say(f"bench.health at {revision()}, {args.runs} interleaved runs, medians")
    say(f"{'command':<16} {'wall ms':>8} {'x floor':>8} {'peak RSS MiB':>13} {'x floor':>8}")
    for label in measured:
        seconds, peak = statistics.median(wall[label]), statistics.median(rss[label])
        say(
            f"{label:<16} {seconds * 1000:>8.0f} {seconds / floor_wall:>8.1f}"
            f" {peak / 1024:>13.1f} {peak / floor_rss:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What /challenge stats and /challenge export cost, as ratios to /leaderboard's service call.

    nice -n 10 ./run python -m bench.stats [--members 1000] [--runs 5]

Builds the synthetic server (`bench.synthetic`: N members, a year of entries with realistic
gaps: more than the 100 days a challenge usually runs) in a temporary SQLite file, then times,
in the same process and run:
- the leaderboard (`ProgressService.leaderboard`), the baseline: cold (a fresh process's first
  board walks every member) and warm (the walk cache holds every member's tally);
- `StatsService.stats` the same two ways (its tallies are the boards' own, from the same cache),
  and `StatsService.picture` (the numbers and the chart, drawn in this process);
- `ExportService.export` (every member's whole history walked, the CSV and the JSON written).
Each is the median of `--runs`; figures are reported as ratios to the baseline of the same kind.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

from bench.report import say
from bench.synthetic import build
from bench.world import GUILD_ID, TODAY, sqlite_url
from bot.services import Services
from storage import Database

NOW = datetime.combine(TODAY, clock_time(18, 0), tzinfo=UTC)


async def _no_names(user_ids: Sequence[int]) -> Mapping[int, str]:
    return {}


async def _median(call: Callable[[], Awaitable[object]], runs: int) -> float:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


async def _cold(url: str, call: Callable[[Services], Awaitable[object]], runs: int) -> float:
    """Median of `runs` first calls, each on fresh services (an empty walk cache)."""
    seconds = []
    for _ in range(runs):
        db = await Database.open(url)
        try:
            services = Services.build(db)
            started = time.perf_counter()
            await call(services)
            seconds.append(time.perf_counter() - started)
        finally:
            await db.close()
    return statistics.median(seconds)


async def measure(url: str, runs: int) -> list[tuple[str, float, str, float]]:
    """Return (what, seconds, baseline, ratio) rows."""

    def board(services: Services) -> Awaitable[object]:
        return services.progress.leaderboard(guild_id=GUILD_ID, viewer_id=0, now=NOW)

    def stats(services: Services) -> Awaitable[object]:
        return services.stats.stats(guild_id=GUILD_ID, now=NOW)

    cold_board = await _cold(url, board, runs)
    cold_stats = await _cold(url, stats, runs)
    db = await Database.open(url)
    try:
        services = Services.build(db)
        await board(services)  # fills the walk cache
        warm_board = await _median(lambda: board(services), runs)
        warm_stats = await _median(lambda: stats(services), runs)
        picture = await _median(lambda: services.stats.picture(guild_id=GUILD_ID, now=NOW), runs)
        export = await _median(
            lambda: services.exports.export(
                guild_id=GUILD_ID, now=NOW, names=_no_names, limit=100 * 1024 * 1024
            ),
            max(runs // 2, 1),
        )
    finally:
        await db.close()
    return [
        ("/leaderboard, cold", cold_board, "itself", 1.0),
        (
            "/challenge stats numbers, cold",
            cold_stats,
            "/leaderboard, cold",
            cold_stats / cold_board,
        ),
        ("/leaderboard, warm", warm_board, "itself", 1.0),
        (
            "/challenge stats numbers, warm",
            warm_stats,
            "/leaderboard, warm",
            warm_stats / warm_board,
        ),
        (
            "/challenge stats with its chart, warm",
            picture,
            "/leaderboard, warm",
            picture / warm_board,
        ),
        ("/challenge export", export, "/leaderboard, cold", export / cold_board),
    ]


def main() -> None:
    """Build the server, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stats.db"
        say(f"building {arguments.members} members' year of entries in {path}")
        built = build(path, arguments.members, seed=16, log=False)
        say(f"built {built.entries:,} entries in {built.seconds:.1f} s; measuring")
        rows = asyncio.run(measure(sqlite_url(path), arguments.runs))
    runs = arguments.runs
    print(f"{arguments.members:,} members, {built.entries:,} entries (SQLite), median of {runs}")
    print()
    print("| call | median | baseline | ratio |")
    print("|---|---:|---|---:|")
    for what, seconds, baseline, ratio in rows:
        print(f"| {what} | {seconds * 1000:,.0f} ms | {baseline} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()

"""Reads: summaries and leaderboards, and the maintenance phase run in a child process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.profiling import profiled
from bench.report import peak_rss_mb, say
from bench.server import Member, active_members
from bench.world import GUILD_ID, NOW, sqlite_url
from bot.domain.leaderboard import Metric, Period
from bot.services import Services
from storage import Database

ROOT = Path(__file__).resolve().parent.parent.parent
BOARDS: tuple[tuple[Metric, Period], ...] = (
    (Metric.STREAK, Period.ALL),
    (Metric.DAYS, Period.WEEK),
    (Metric.DAYS, Period.MONTH),
    (Metric.DAYS, Period.ALL),
    (Metric.CONSISTENCY, Period.ALL),
)


async def summaries(services: Services, members: list[Member]) -> list[float]:
    """Return the latency (ms) of each member's summary, taken one after another."""
    times = []
    for member in members:
        started = time.perf_counter()
        await services.progress.summary(guild_id=GUILD_ID, viewer_id=member.user_id, now=NOW)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def board(services: Services, metric: Metric, period: Period, viewer: int) -> int:
    """Build one leaderboard and return how many members it ranks."""
    result = await services.progress.leaderboard(
        guild_id=GUILD_ID, viewer_id=viewer, metric=metric, period=period, now=NOW
    )
    return len(result.placings)


async def warm_boards(
    services: Services, runs: int, viewer: int, profile_dir: Path | None
) -> tuple[dict[str, list[float]], int]:
    """Time every board `runs` times; return the times (ms) by board and the board's size."""
    times: dict[str, list[float]] = {}
    ranked = 0
    for metric, period in BOARDS:
        name = f"{metric.value}/{period.value}"
        say(f"leaderboard {name}, warm: {runs} runs ...")
        times[name] = []
        with profiled(profile_dir if metric is Metric.STREAK else None, "board-warm"):
            for _ in range(runs):
                started = time.perf_counter()
                ranked = await board(services, metric, period, viewer)
                times[name].append((time.perf_counter() - started) * 1000)
    return times, ranked


# ---------------------------------------------------------------------------------------------
# The maintenance phase (a child process): the cold leaderboard and refresh_checkpoints
# ---------------------------------------------------------------------------------------------


async def maintenance(work: Path, profile_dir: Path | None) -> dict[str, float]:
    """Time a leaderboard without checkpoints, then refresh every checkpoint."""
    db = await Database.open(sqlite_url(work))
    try:
        services = Services.build(db)
        challenge_id, _ = await active_members(db)
        start_rss = peak_rss_mb()
        with profiled(profile_dir, "board-cold"):
            started = time.perf_counter()
            ranked = await board(services, Metric.STREAK, Period.ALL, viewer=0)
            cold_ms = (time.perf_counter() - started) * 1000
        cold_rss = peak_rss_mb()
        with profiled(profile_dir, "refresh"):
            started = time.perf_counter()
            saved = await services.progress.refresh_checkpoints(challenge_id=challenge_id, now=NOW)
            refresh_s = time.perf_counter() - started
    finally:
        await db.close()
    return {
        "cold_board_ms": cold_ms,
        "ranked": ranked,
        "refresh_s": refresh_s,
        "saved": saved,
        "start_rss_mb": start_rss,
        "cold_board_rss_mb": cold_rss,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_maintenance_child(work: Path, profile_dir: Path | None) -> dict[str, float]:
    """Run the maintenance phase in a child process and return its figures."""
    command = [sys.executable, "-m", "bench.engine", "--maintenance", str(work)]
    if profile_dir is not None:
        command += ["--profile-dir", str(profile_dir)]
    completed = subprocess.run(  # noqa: S603
        command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result

"""Reads: summaries and leaderboards beside the naive recompute, and the maintenance child."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import naive
from bench.profiling import profiled
from bench.report import peak_rss_mb, say
from bench.server import Member
from bench.world import GUILD_ID, NOW
from bot.domain.leaderboard import Metric, Period
from bot.domain.models import Challenge
from bot.domain.tally import Tally
from bot.services import Services
from bot.services.progress import Board
from storage import Database, tables

ROOT = Path(__file__).resolve().parent.parent.parent
BOARDS: tuple[tuple[Metric, Period], ...] = (
    (Metric.STREAK, Period.ALL),
    (Metric.DAYS, Period.WEEK),
    (Metric.DAYS, Period.MONTH),
    (Metric.DAYS, Period.ALL),
    (Metric.CONSISTENCY, Period.ALL),
)


async def summaries(
    db: Database, services: Services, members: list[Member], blocks: int, now: datetime = NOW
) -> tuple[list[float], list[float]]:
    """Time each member's summary and the naive single-member recompute, in ABBA blocks.

    Returns the latencies (ms) of the summaries and of the naive recomputes.
    """
    rules = (await challenge(db)).rules
    naive_members = await naive_roster(db, [member.participant_id for member in members])
    summary_ms: list[float] = []
    naive_ms: list[float] = []
    size = -(-len(members) // blocks)
    for block in range(blocks):
        chunk = members[block * size : (block + 1) * size]
        for side in ("summary", "naive")[:: -1 if block % 2 else 1]:
            for member in chunk:
                started = time.perf_counter()
                if side == "summary":
                    await services.progress.summary(
                        guild_id=GUILD_ID, viewer_id=member.user_id, now=now
                    )
                    summary_ms.append((time.perf_counter() - started) * 1000)
                else:
                    await naive.member_streaks(db, rules, naive_members[member.participant_id], now)
                    naive_ms.append((time.perf_counter() - started) * 1000)
    return summary_ms, naive_ms


async def challenge(db: Database) -> Challenge:
    """Return the synthetic server's challenge."""
    async with db.read() as repos:
        return (await repos.challenges.active_in_guild(GUILD_ID))[0]


async def naive_roster(
    db: Database, participant_ids: list[int] | None = None
) -> dict[int, naive.NaiveMember]:
    """Return what the naive recompute needs of the challenge's current members, by id."""
    current = await challenge(db)
    async with db.read() as repos:
        active = await repos.participants.active(current.id)
    wanted = None if participant_ids is None else set(participant_ids)
    return {
        p.id: naive.NaiveMember(p.id, p.timezone, p.start_day)
        for p in active
        if wanted is None or p.id in wanted
    }


async def leaderboard(services: Services, metric: Metric, period: Period, viewer: int) -> Board:
    """Build one leaderboard."""
    return await services.progress.leaderboard(
        guild_id=GUILD_ID, viewer_id=viewer, metric=metric, period=period, now=NOW
    )


async def board(services: Services, metric: Metric, period: Period, viewer: int) -> int:
    """Build one leaderboard and return how many members it ranks."""
    return (await leaderboard(services, metric, period, viewer)).ranked


async def warm_boards(
    services: Services, runs: int, viewer: int, profile_dir: Path | None
) -> tuple[dict[str, list[float]], int]:
    """Time every board `runs` times; return the times (ms) by board and the board's size."""
    times: dict[str, list[float]] = {}
    # Warm means the walk cache is filled, as in a process that has served a board since it
    # started; the first board after a start is timed on its own (the maintenance phase).
    ranked = await board(services, Metric.STREAK, Period.ALL, viewer)
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


@dataclass(frozen=True, slots=True)
class ColdPlan:
    """How the maintenance child measures."""

    pairs: int
    """Cold boards and naive boards, in ABBA order: this many of each."""
    sample: int
    """Members whose naive streaks are compared with the engine's."""


async def maintenance(url: str, plan: ColdPlan, profile_dir: Path | None) -> dict[str, Any]:
    """Time cold boards beside the naive recompute, refresh every checkpoint, then a first board.

    Each cold board runs on fresh services (an empty walk cache) before any checkpoint exists;
    each naive board recomputes every current member from their entries. Then the checkpoints
    are refreshed, as the daily job does, and the first board of fresh services is timed: the
    first board after a start.
    """
    db = await Database.open(url)
    try:
        current = await challenge(db)
        roster = await naive_roster(db)
        members = list(roster.values())
        start_rss = peak_rss_mb()
        cold_ms: list[float] = []
        naive_ms: list[float] = []
        engine_board: Board | None = None
        engine_members: list[Tally] = []
        naive_board: dict[int, naive.Streaks] = {}
        for turn in range(plan.pairs):
            for side in ("cold", "naive")[:: -1 if turn % 2 else 1]:
                started = time.perf_counter()
                if side == "cold":
                    services = Services.build(db)
                    with profiled(profile_dir if turn == 0 else None, "board-cold"):
                        engine_board = await leaderboard(services, Metric.STREAK, Period.ALL, 0)
                    cold_ms.append((time.perf_counter() - started) * 1000)
                    # The board shows ten; every member's streaks are in the walk cache it
                    # filled, which answers this without walking again.
                    async with db.read() as repos:
                        engine_members = await services.progress.tallies_in(repos, current, NOW)
                else:
                    naive_board = await naive.board(db, current.rules, members, NOW)
                    naive_ms.append((time.perf_counter() - started) * 1000)
        cold_rss = peak_rss_mb()
        matched, compared = compare(engine_members, naive_board, plan.sample)
        async with db.read() as repos:
            adjusted = int(
                (
                    await repos.entries._connection.execute(
                        sa.select(sa.func.count()).select_from(tables.adjustments)
                    )
                ).scalar_one()
            )
        with profiled(profile_dir, "refresh"):
            started = time.perf_counter()
            saved = await Services.build(db).progress.refresh_checkpoints(
                challenge_id=current.id, now=NOW
            )
            refresh_s = time.perf_counter() - started
        started = time.perf_counter()
        await leaderboard(Services.build(db), Metric.STREAK, Period.ALL, 0)
        first_ms = (time.perf_counter() - started) * 1000
    finally:
        await db.close()
    return {
        "cold_board_ms": cold_ms,
        "naive_board_ms": naive_ms,
        "matched": matched,
        "compared": compared,
        "adjustments": adjusted,
        "ranked": engine_board.ranked if engine_board else 0,
        "refresh_s": refresh_s,
        "saved": saved,
        "first_board_ms": first_ms,
        "start_rss_mb": start_rss,
        "cold_board_rss_mb": cold_rss,
        "peak_rss_mb": peak_rss_mb(),
    }


def compare(
    engine_members: list[Tally], naive_board: dict[int, naive.Streaks], sample: int
) -> tuple[int, int]:
    """Return (members with the same streaks both ways, members compared) of a sample."""
    members = sorted(engine_members, key=lambda member: (-member.streak, member.participant_id))
    # An even spread over the board, leaders and stragglers alike, the same every run.
    step = max(1, len(members) // max(sample, 1))
    chosen = members[::step][:sample]
    matched = sum(
        naive_board.get(member.participant_id) == naive.Streaks(member.streak, member.best)
        for member in chosen
    )
    return matched, len(chosen)


def run_maintenance_child(url: str, plan: ColdPlan, profile_dir: Path | None) -> dict[str, Any]:
    """Run the maintenance phase in a child process and return its figures."""
    command = [sys.executable, "-m", "bench.engine", "--maintenance", url]
    command += ["--cold-pairs", str(plan.pairs), "--cold-sample", str(plan.sample)]
    if profile_dir is not None:
        command += ["--profile-dir", str(profile_dir)]
    completed = subprocess.run(  # noqa: S603
        command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result

"""Daybook through simulated Discord: how fast members get their answers on a large server.

Runs the real bot on simcord against a copy of the engine benchmark's synthetic server (10,000
members, a year of entries) and reports, with real wall-clock time:

- `/log` and `/streak`: time from the interaction to the bot's response, p50 and p99, against
  Discord's 3-second acknowledgement deadline;
- `/leaderboard` with its chart: p50 and p99;
- the longest event-loop stall while 20 members' progress charts render at once (simcord runs
  one interaction at a time, so the 20 requests go through the same service call the command
  makes, concurrently, while a probe task measures how late the loop runs).

    ./run python -m bench.interactions [--database-url URL] [--quick] [--markdown]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

import discord
import simcord
import sqlalchemy as sa
from discord import app_commands

from bench.backend import add_arguments, markdown_path, prepared
from bench.report import Row, markdown, percentile, revision, verdict, write_json, write_markdown
from bench.stall import probe_stalls
from bench.world import GUILD_ID, NOW, TODAY
from bot.app import create_bot
from bot.charts.pool import chart_pool
from bot.clock import FixedClock
from bot.config import Settings
from bot.services import Services
from storage import Database
from storage.tables import participants

DEADLINE_MS = 3000.0
TARGET_STALL_MS = 50.0
BOARD_RUNS = 20
CONCURRENT_CHARTS = 20
SEED = 100


def line(name: str, samples: list[float], target: str) -> str:
    """Return one report line: p50 and p99 in milliseconds, against a target."""
    return (
        f"{name:<34} p50 {percentile(samples, 50):7.1f} ms   p99 {percentile(samples, 99):7.1f}"
        f" ms   max {max(samples):7.1f} ms   ({len(samples)} calls; target {target})"
    )


async def adopt_users(url: str, user_ids: dict[int, int]) -> None:
    """Give sampled participants the ids of simulated users (simcord picks users' ids)."""
    database = await Database.open(url)
    try:
        async with database.write() as repos:
            connection = repos.participants._connection  # benchmark set-up, not product code
            for participant_id, user_id in user_ids.items():
                await connection.execute(
                    sa.update(participants)
                    .where(participants.c.id == participant_id)
                    .values(user_id=user_id)
                )
    finally:
        await database.close()


async def sample_participants(url: str, count: int) -> list[int]:
    """Return `count` random active participants of the synthetic server."""
    database = await Database.open(url)
    try:
        async with database.read() as repos:
            challenge = (await repos.challenges.active_in_guild(GUILD_ID))[0]
            active = await repos.participants.active(challenge.id)
    finally:
        await database.close()
    return [p.id for p in random.Random(SEED).sample(active, count)]  # noqa: S311 - sampling


class AckTimer:
    """Times each interaction inside the bot: from the tree's dispatch to its first response.

    That is the time Discord's 3-second deadline measures; the simulated Discord's own
    bookkeeping around each interaction (its settle loop) is left out.
    """

    def __init__(self) -> None:
        self.started: dict[int, float] = {}
        self.acknowledged: dict[int, float] = {}
        self._patched: list[tuple[object, str, object]] = []

    def install(self) -> None:
        """Wrap the tree's dispatch and every way of answering an interaction."""
        original_call = app_commands.CommandTree._call
        timer = self

        async def timed_call(
            tree: app_commands.CommandTree, interaction: discord.Interaction
        ) -> None:  # type: ignore[type-arg]
            timer.started[interaction.id] = time.perf_counter()
            await original_call(tree, interaction)

        self._patch(app_commands.CommandTree, "_call", timed_call)
        for name in ("send_message", "defer", "send_modal", "edit_message"):
            original = getattr(discord.InteractionResponse, name)

            async def answered(
                response: discord.InteractionResponse,  # type: ignore[type-arg]
                *args: Any,
                _original: Any = original,
                **kwargs: Any,
            ) -> Any:
                result = await _original(response, *args, **kwargs)
                timer.acknowledged.setdefault(response._parent.id, time.perf_counter())
                return result

            self._patch(discord.InteractionResponse, name, answered)

    def _patch(self, owner: object, name: str, value: object) -> None:
        self._patched.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def uninstall(self) -> None:
        """Put discord.py back as it was."""
        for owner, name, value in reversed(self._patched):
            setattr(owner, name, value)

    def last_ms(self) -> float:
        """Return the acknowledgement time of the latest interaction, in milliseconds."""
        latest = max(self.started, key=self.started.__getitem__)
        return (self.acknowledged[latest] - self.started[latest]) * 1000


async def measure(url: str, members: int, rows: list[Row]) -> list[str]:
    """Run the interactions and return the report lines; add the target rows to `rows`."""
    sampled = await sample_participants(url, members)
    clock = FixedClock(NOW)
    settings = Settings(database_url=url, dev_guild_id=GUILD_ID)
    report = []
    # simcord freezes time.monotonic in the bot's threads, which stalls a process pool's start:
    # through simcord the charts render on threads; the stall below uses the process pool.
    charts = ThreadPoolExecutor(2)
    bot = create_bot(settings, clock=clock, chart_executor=charts, run_scheduler=False)
    async with simcord.run(bot, check_errors=False) as env:
        # The bench times every call itself; simcord's 5 s settle limit would only turn a slow
        # first board on a loaded machine (matplotlib imported on a thread) into a crash.
        env.settle_timeout = 120.0
        guild = env.create_guild("Synthetic server", id=GUILD_ID)
        channel = guild.create_text_channel("progress")
        actors = [guild.add_member(env.create_user(f"member{index}")) for index in range(members)]
        await adopt_users(url, dict(zip(sampled, (actor.id for actor in actors), strict=True)))
        await env.settle()
        await env.advance_time((NOW - env.now()).total_seconds())
        bot = env.bot
        started = time.perf_counter()
        await bot.services.progress.refresh_due_checkpoints(now=NOW)  # the daily job
        report.append(f"refresh_checkpoints before the run: {time.perf_counter() - started:.1f} s")

        timer = AckTimer()
        timer.install()
        logs, streaks, round_trips = [], [], []
        try:
            for actor in actors:
                began = time.perf_counter()
                result = await actor.slash(
                    channel, "log", text="read a paper, wrote notes", minutes=70
                )
                round_trips.append((time.perf_counter() - began) * 1000)
                assert result.acknowledged, result
                logs.append(timer.last_ms())
                result = await actor.slash(channel, "streak")
                assert result.acknowledged, result
                streaks.append(timer.last_ms())
        finally:
            timer.uninstall()
        report.append(line("/log, interaction to response", logs, "< 3000 ms"))
        report.append(line("/streak, interaction to response", streaks, "< 3000 ms"))
        for name, samples in (("/log", logs), ("/streak", streaks)):
            p99 = percentile(samples, 99)
            rows.append(
                (
                    f"{name}, interaction to response ({len(samples)} calls)",
                    f"p99 < {DEADLINE_MS:,.0f} ms",
                    f"p50 {percentile(samples, 50):,.1f} ms, p99 {p99:,.1f} ms",
                    verdict(p99 < DEADLINE_MS),
                )
            )
        report.append(line("/log round trip through simcord", round_trips, "context only"))
        worst = max(max(logs), max(streaks))
        report.append(
            f"worst acknowledgement: {worst:.0f} ms = {worst / DEADLINE_MS:.1%} of the deadline"
        )
        # The first board after a start walks every member (no walk cache yet) and, on threads,
        # imports matplotlib: timed on its own; production warms its chart workers at connect.
        began = time.perf_counter()
        first = await actors[-1].slash(channel, "leaderboard", metric="streak")
        assert first.response is not None, first
        first_ms = (time.perf_counter() - began) * 1000
        report.append(f"/leaderboard, the first after start: {first_ms:.0f} ms")
        rows.append(
            (
                "/leaderboard with its chart, the first after start (threads import matplotlib)",
                "(no target: see bench.engine)",
                f"{first_ms:,.0f} ms",
                "info",
            )
        )
        boards = []
        for actor in actors[:BOARD_RUNS]:
            began = time.perf_counter()
            result = await actor.slash(channel, "leaderboard", metric="streak")
            boards.append((time.perf_counter() - began) * 1000)
            assert result.response is not None, result
            # The board's chart comes with the public message; the caller's rank may come first.
            messages = [result.response, *result.followups]
            assert any(message.attachments for message in messages), result
        report.append(line("/leaderboard until its chart arrives", boards, "p99 reported"))
    charts.shutdown(wait=True)
    return report


async def chart_stall(url: str, requests: int, executor: Executor) -> tuple[float, float]:
    """Ask for `requests` progress charts at once; return (longest loop stall, total) in ms."""
    sampled = await sample_participants(url, requests)
    database = await Database.open(url)
    try:
        services = Services.build(database, chart_executor=executor)
        await services.charts.warm(2)
        async with database.read() as repos:
            users = [(await repos.participants.by_id(pid)) for pid in sampled]
        stop = asyncio.Event()
        probe = asyncio.create_task(probe_stalls(stop))
        began = time.perf_counter()
        await asyncio.gather(
            *(
                services.charts.draw_progress(
                    guild_id=GUILD_ID,
                    viewer_id=user.user_id,
                    member_name=f"member {user.user_id}",
                    now=NOW,
                )
                for user in users
                if user is not None
            )
        )
        total = (time.perf_counter() - began) * 1000
        stop.set()
        return await probe, total
    finally:
        await database.close()


def main() -> None:
    """Build or reuse the synthetic server, copy it, and run the Discord benchmark on the copy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--sample", type=int, help="members who interact (default 200; 50 quick)")
    args = parser.parse_args()
    server_members = args.members or (1_000 if args.quick else 10_000)
    sample = args.sample or min(server_members // 4, 50 if args.quick else 200)
    rows: list[Row] = []
    stalls: dict[str, float] = {}
    load = os.getloadavg()[0]
    with prepared(args, server_members, "daybook-discord-bench-") as run:
        print(f"server: {server_members:,} members, today {TODAY}; {sample} members interact")
        for text in asyncio.run(measure(run.url, sample, rows)):
            print(text)
        for label, executor in (
            ("worker processes (production)", chart_pool()),
            ("threads (for comparison)", ThreadPoolExecutor(2)),
        ):
            with executor:
                stall, total = asyncio.run(chart_stall(run.url, CONCURRENT_CHARTS, executor))
            stalls[label] = stall
            print(
                f"{CONCURRENT_CHARTS} progress charts at once, {label}: longest event-loop "
                f"stall {stall:.1f} ms (target < 50 ms), all done in {total:.0f} ms"
            )
            rows.append(
                (
                    f"longest loop stall, {CONCURRENT_CHARTS} progress charts at once, {label}",
                    f"< {TARGET_STALL_MS:.0f} ms" if "production" in label else "(comparison)",
                    f"{stall:,.1f} ms (all done in {total:,.0f} ms)",
                    verdict(stall < TARGET_STALL_MS) if "production" in label else "info",
                )
            )
        versions = asyncio.run(run.backend.versions(run.url))
        target = markdown_path(args, "interactions", run.backend)
    if target is not None:
        title = f"Daybook through simulated Discord on {run.backend.name}"
        context = [
            f"machine: {versions}",
            (
                f"code: {revision()}; load average start {load:.2f}, end "
                f"{os.getloadavg()[0]:.2f}; server: {server_members:,} members; {sample} members "
                "interact"
            ),
        ]
        write_markdown(target, markdown(title, context, rows))
    if args.json is not None:
        costs = {f"chart stall, {label} (ms)": ms for label, ms in stalls.items()}
        record = {"bench": "interactions", "members": server_members, "costs": costs}
        write_json(args.json, record)


if __name__ == "__main__":
    main()

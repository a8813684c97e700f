"""`./run python -m bench.engine`: build or reuse the server, measure, print the report."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import bench.engine
from bench.backend import Run, add_arguments, markdown_path, prepared
from bench.engine.reads import (
    ColdPlan,
    board,
    maintenance,
    run_maintenance_child,
    summaries,
    warm_boards,
)
from bench.engine.report import Figures, costs, markdown_report, report
from bench.engine.writes import drop_entries_after, interleaved_writes, max_entry_id
from bench.profiling import profiled
from bench.report import peak_rss_mb, say, write_json, write_markdown
from bench.server import Member, Post, active_members, entry_row, posts, raw_writer
from bench.sqltrace import Anatomy, query_plans, traced
from bench.world import GUILD_ID, NOW
from bot.domain.leaderboard import Metric, Period
from bot.services import Services
from storage import Database, tables


@dataclass(frozen=True, slots=True)
class Plan:
    """How big a run is."""

    members: int
    records: int
    """Records measured with cold checkpoints, and as many again with warm ones."""
    summaries: int
    board_runs: int
    """Timed runs of each warm leaderboard."""
    blocks: int
    """Alternating blocks of records and baseline inserts, per phase."""
    traced: int
    """Records and summaries traced statement by statement (untimed)."""
    cold: ColdPlan
    """Cold boards beside the naive recompute, and the members compared."""


FULL = Plan(
    members=10_000,
    records=1_000,
    summaries=1_000,
    board_runs=3,
    blocks=10,
    traced=200,
    cold=ColdPlan(pairs=2, sample=300),
)
QUICK = Plan(
    members=1_000,
    records=300,
    summaries=300,
    board_runs=3,
    blocks=6,
    traced=100,
    cold=ColdPlan(pairs=2, sample=300),
)


def sized(plan: Plan, members: int) -> Plan:
    """Return the plan for another member count: fewer calls on a smaller server."""
    share = min(1.0, members / plan.members)
    return dataclasses.replace(
        plan,
        members=members,
        records=max(12, int(plan.records * share)),
        summaries=max(12, int(plan.summaries * share)),
        traced=max(4, int(plan.traced * share)),
    )


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


async def measure(run: Run, plan: Plan, seed: int, profile_dir: Path | None) -> Figures:
    """Run every phase on the working copy and return the figures."""
    figures = Figures(backend=run.backend.name, build=run.build, copy_s=run.copy_s)
    figures.versions = await run.backend.versions(run.url)
    rng = random.Random(seed + 1)  # noqa: S311 - picks members, not secrets
    db = await Database.open(run.url)
    raw = await run.backend.raw_driver(run.url)
    try:
        services = Services.build(db)
        challenge_id, members = await active_members(db)
        async with db.read() as repos:
            figures.entries = await repos.entries.count_live(challenge_id)
        figures.members = len(members)
        wanted = min(len(members), 2 * plan.records + plan.traced)
        writers = rng.sample(members, wanted)
        texts = posts(rng, wanted)
        cold = slice(0, plan.records)
        warm = slice(plan.records, 2 * plan.records)
        later = slice(2 * plan.records, None)
        readers = rng.sample(members, min(len(members), plan.summaries))
        figures.rss_after["open"] = peak_rss_mb()
        figures.load.append(("start", os.getloadavg()[0]))

        say(f"record, cold checkpoints, alternating with both baselines: {plan.records}")
        with profiled(profile_dir, "record-cold"):
            figures.write_cold = await interleaved_writes(
                db, services, raw, challenge_id, writers[cold], texts[cold], plan.blocks
            )
        say(f"summary, cold checkpoints, alternating with the naive query: {len(readers)}")
        with profiled(profile_dir, "summary-cold"):
            figures.summary_cold, figures.naive_cold = await summaries(
                db, services, readers, plan.blocks
            )
        figures.rss_after["cold records and summaries"] = peak_rss_mb()

        say("maintenance (child process): cold boards beside the naive recompute, refresh ...")
        figures.maintenance = run_maintenance_child(run.url, plan.cold, profile_dir)

        say(f"record, warm checkpoints, alternating with both baselines: {plan.records}")
        with profiled(profile_dir, "record-warm"):
            figures.write_warm = await interleaved_writes(
                db, services, raw, challenge_id, writers[warm], texts[warm], plan.blocks
            )
        say(f"summary, warm checkpoints, alternating with the naive query: {len(readers)}")
        with profiled(profile_dir, "summary-warm"):
            figures.summary_warm, figures.naive_warm = await summaries(
                db, services, readers, plan.blocks
            )
        figures.rss_after["warm records and summaries"] = peak_rss_mb()

        viewer = members[0].user_id
        figures.boards, figures.ranked = await warm_boards(
            services, plan.board_runs, viewer, profile_dir
        )
        figures.rss_after["warm leaderboards"] = peak_rss_mb()

        say(f"statement anatomy: {len(writers[later])} records, summaries and inserts ...")
        figures.anatomies = await anatomy(
            db, services, challenge_id, writers[later], texts[later], viewer
        )
        figures.plans = await query_plans(run.backend, run.url, figures.anatomies)
        figures.rss_after["traced calls"] = peak_rss_mb()
        figures.serving_peak_mb = peak_rss_mb()

        # Last, as tracemalloc's own bookkeeping inflates the process's memory.
        tracemalloc.start()
        await board(services, Metric.STREAK, Period.ALL, viewer)
        figures.board_traced_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    finally:
        await raw.close()
        await db.close()
    figures.rss_after["end, with tracemalloc"] = peak_rss_mb()
    figures.load.append(("end", os.getloadavg()[0]))
    return figures


async def anatomy(
    db: Database,
    services: Services,
    challenge_id: int,
    writers: list[Member],
    texts: list[Post],
    viewer: int,
) -> dict[str, Anatomy]:
    """Trace what each record, summary, baseline insert and board sends to SQLite (untimed)."""
    found = {name: Anatomy() for name in ("record", "summary", "baseline insert", "board")}
    for member, post in zip(writers, texts, strict=True):
        with traced(db, found["record"]), found["record"].call():
            await services.entries.record(
                guild_id=GUILD_ID, user_id=member.user_id, text=post.text, minutes=75, at=NOW
            )
        with traced(db, found["summary"]), found["summary"].call():
            await services.progress.summary(guild_id=GUILD_ID, viewer_id=member.user_id, now=NOW)
    rows = [entry_row(challenge_id, m, p) for m, p in zip(writers, texts, strict=True)]
    mark = await max_entry_id(db)
    insert = tables.entries.insert()
    for row in rows:
        with traced(db, found["baseline insert"]), found["baseline insert"].call():
            async with raw_writer(db) as connection:
                await connection.execute(insert, row)
    await drop_entries_after(db, mark)
    with traced(db, found["board"]), found["board"].call():
        await board(services, Metric.STREAK, Period.ALL, viewer)
    return found


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    # The package's docstring describes the benchmark; this module only runs it.
    parser = argparse.ArgumentParser(
        prog="python -m bench.engine", description=(bench.engine.__doc__ or "").splitlines()[0]
    )
    add_arguments(parser)
    parser.add_argument("--profile-dir", type=Path, help="cProfile each phase into DIR")
    parser.add_argument("--maintenance", help=argparse.SUPPRESS)
    parser.add_argument("--cold-pairs", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--cold-sample", type=int, default=300, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    """Build (or reuse) the server, measure, and print the report."""
    args = parse_args()
    if args.maintenance is not None:
        cold = ColdPlan(pairs=args.cold_pairs, sample=args.cold_sample)
        print(json.dumps(asyncio.run(maintenance(args.maintenance, cold, args.profile_dir))))
        return
    plan = QUICK if args.quick else FULL
    if args.members:
        plan = sized(plan, args.members)
    started = time.perf_counter()
    with prepared(args, plan.members, "daybook-bench-") as run:
        figures = asyncio.run(measure(run, plan, args.seed, args.profile_dir))
        target = markdown_path(args, "engine", run.backend)
    print(report(figures, args.quick))
    print(f"\nwhole run: {time.perf_counter() - started:,.0f} s")
    if target is not None:
        write_markdown(target, markdown_report(figures, args.quick))
    if args.json is not None:
        write_json(args.json, {"bench": "engine", "members": plan.members, "costs": costs(figures)})


if __name__ == "__main__":
    main()

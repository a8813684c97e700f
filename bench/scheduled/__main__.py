"""`./run python -m bench.scheduled`: build or reuse the server, measure on a copy, report."""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import tempfile
import time
from pathlib import Path

import bench.scheduled
from bench.report import say
from bench.scheduled.digest import digests
from bench.scheduled.reminders import decide, deliver
from bench.scheduled.report import Figures, report
from bench.scheduled.setup import FULL, QUICK, SEED, Plan, prepare
from bench.server import copy_database, ensure_server
from bench.world import sqlite_url
from bot.services import Services
from storage import Database


async def measure(work: Path, plan: Plan, profile: bool) -> Figures:
    """Set the wave up on the working copy and run the three measurements."""
    load = [("start", os.getloadavg()[0])]
    say("set-up: every member's reminder due now; today's posts; the digest due now ...")
    wave = await prepare(work)
    db = await Database.open(sqlite_url(work))
    try:
        services = Services.build(db)
        say(f"reminder decision: due(now), {plan.decision_runs} runs alternating with a SELECT")
        decision = await decide(db, services, plan.decision_runs)
        say("reminder delivery to the progress channel, on a virtual clock ...")
        delivery = await deliver(db, services, decision.found)
        digest = await digests(db, plan.digest_runs, profile)
    finally:
        await db.close()
    load.append(("end", os.getloadavg()[0]))
    return Figures(wave, decision, delivery, digest, load)


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    # The package's docstring describes the benchmark; this module only runs it.
    parser = argparse.ArgumentParser(
        prog="python -m bench.scheduled",
        description=(bench.scheduled.__doc__ or "").splitlines()[0],
    )
    parser.add_argument("--quick", action="store_true", help="1,000 members: a smoke run")
    parser.add_argument(
        "--db",
        type=Path,
        help="the engine benchmark's server file: built there if absent, reused, never modified",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also sample where the loop stalls in the digest, and cProfile its build",
    )
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="turn the garbage collector off, to tell its pauses from the code's",
    )
    return parser.parse_args()


def main() -> None:
    """Build (or reuse) the server, measure on a copy, and print the report."""
    args = parse_args()
    if args.no_gc:
        gc.disable()
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="daybook-scheduled-") as scratch:
        pristine = (args.db or Path(scratch) / f"server-{plan.members}.db").resolve()
        build = ensure_server(pristine, plan.members, SEED)
        work = Path(scratch) / "work.db"
        copy_s = copy_database(pristine, work)
        figures = asyncio.run(measure(work, plan, args.profile))
    print(report(figures, plan, build, copy_s, args.quick))
    print(f"\nwhole run: {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()

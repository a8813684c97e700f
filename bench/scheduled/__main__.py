"""`./run python -m bench.scheduled`: build or reuse the server, measure on a copy, report."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import os
import time

import bench.scheduled
from bench.backend import Run, add_arguments, markdown_path, prepared
from bench.report import say, write_json, write_markdown
from bench.scheduled.digest import digests
from bench.scheduled.reminders import decide, deliver
from bench.scheduled.report import Figures, costs, markdown_report, report
from bench.scheduled.setup import FULL, QUICK, Plan, prepare
from bot.services import Services
from storage import Database


async def measure(run: Run, plan: Plan, profile: bool) -> Figures:
    """Set the wave up on the working copy and run the three measurements."""
    load = [("start", os.getloadavg()[0])]
    say("set-up: every member's reminder due now; today's posts; the digest due now ...")
    wave = await prepare(run.url)
    versions = await run.backend.versions(run.url)
    db = await Database.open(run.url)
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
    return Figures(wave, decision, delivery, digest, load, run.backend.name, versions)


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    # The package's docstring describes the benchmark; this module only runs it.
    parser = argparse.ArgumentParser(
        prog="python -m bench.scheduled",
        description=(bench.scheduled.__doc__ or "").splitlines()[0],
    )
    add_arguments(parser)
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
    if args.members:
        # A small server is a smoke run: fewer repeats (the figures there say little anyway).
        runs = plan if args.members >= QUICK.members else Plan(args.members, 2, 1)
        plan = dataclasses.replace(runs, members=args.members)
    started = time.perf_counter()
    with prepared(args, plan.members, "daybook-scheduled-") as run:
        figures = asyncio.run(measure(run, plan, args.profile))
        target = markdown_path(args, "scheduled", run.backend)
    print(report(figures, plan, run.build, run.copy_s, args.quick))
    print(f"\nwhole run: {time.perf_counter() - started:,.0f} s")
    if target is not None:
        write_markdown(target, markdown_report(figures, plan, run.build, args.quick))
    if args.json is not None:
        record = {"bench": "scheduled", "members": plan.members, "costs": costs(figures)}
        write_json(args.json, record)


if __name__ == "__main__":
    main()

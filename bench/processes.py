"""Many processes, one PostgreSQL: the minute's reminder decision and /log throughput.

    bench/pgcluster.sh start
    ./run python -m bench.processes --database-url "$(bench/pgcluster.sh url)" --markdown

On a copy of the kept fleet (`bench.fleet`: 1,000 servers of 100 members, 100,000 in all, each
server its own challenge, reminders spread over zones and times, the send ledger as a bot left
it a minute before "now"), 1, 2 and 4 OS processes share the one PostgreSQL, each running its
own shards of `SHARD_COUNT` (1 process: all; 2: {0,1} and {2,3}; 4: one each), as a deployment
splits them. Each process opens its own `Database` and `Services`, then, started together:

1. **the decision**: `ReminderService.due(now)` at "now" (a busy minute: 12:00 UTC is a round
   local hour or half hour in every zone), `--decisions` times. With the shard filter on due
   work (`Services.build(db, shards=...)`) each process decides for its own servers; without it
   (the "before"), every process decides for every server.
2. **/log**: `EntryService.record` through the real stack, as fast as one process can, for
   `--records` members of its own servers (picked at random), each a post of today.

Reported, as ratios to one process in the same run: the slowest process's wall time and the
processes' total CPU for the decision; total entries per second for /log. Where the time goes:
the PostgreSQL server's CPU (its processes' utime + stime from /proc), the machine's busy share
(/proc/stat), and what the benchmark's backends were doing (pg_stat_activity sampled every
25 ms: running, waiting on a lock, on I/O, or idle in a transaction waiting for the process).
Then the plan of every SELECT the decision sends with a shard filter (EXPLAIN on the fleet), and
whether any scans a whole table. Configurations run in the order 1, 2, 4, 4, 2, 1 (`--rounds`
2), each figure the mean of its rounds; entries a configuration recorded are deleted before the
next. Writes docs/perf/processes.md with --markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import sqlalchemy as sa

from bench.backend import PERF_DOCS, ROOT, PostgresBackend, backend_for
from bench.fleet import SHARD_COUNT, ensure_fleet
from bench.report import peak_rss_mb, revision, say, write_markdown
from bench.server import posts
from bench.sqltrace import Anatomy, query_plans, traced
from bench.synthetic import pg_dsn
from bench.world import NOW
from bot.services import Services
from storage import Database, migrate, tables
from storage.shards import Shards

PROCESSES = (1, 2, 4)
SAMPLE_S = 0.025
"""How often pg_stat_activity is sampled while a phase runs."""


def layout(processes: int, count: int = SHARD_COUNT) -> list[list[int]]:
    """Return each process's shards: `count` shards split into `processes` contiguous groups."""
    if processes < 1 or count % processes:
        raise ValueError(f"{count} shards do not split evenly over {processes} processes")
    size = count // processes
    return [list(range(first, first + size)) for first in range(0, count, size)]


def filtered() -> bool:
    """Whether this code's `Services.build` takes the process's shards (the filter on due work)."""
    return "shards" in inspect.signature(Services.build).parameters


def build_services(db: Database, shards: Shards) -> Services:
    """Return the services of a process running `shards` (every server's, before the filter).

    `Shards.every(...)` is the "before": a process that does every server's scheduled work.
    """
    if filtered():
        build: Any = Services.build
        services: Services = build(db, shards=shards)
        return services
    return Services.build(db)


# ---------------------------------------------------------------------------------------------
# A child: one process of the deployment
# ---------------------------------------------------------------------------------------------


def emit(record: dict[str, Any]) -> None:
    """Send one line to the parent."""
    print(json.dumps(record), flush=True)


def wait_for_go() -> None:
    """Block until the parent starts the phase (every process at once)."""
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("bench.processes child: the parent went away")


async def own_members(db: Database, shards: Shards) -> list[tuple[int, int]]:
    """Return (server id, user id) of the members still in this process's servers."""
    participants = tables.participants
    statement = sa.select(participants.c.guild_id, participants.c.user_id).where(
        participants.c.left_at.is_(None)
    )
    async with db.read() as repos:
        rows = (await repos.participants._connection.execute(statement)).all()
    return sorted((row.guild_id, row.user_id) for row in rows if shards.owns(row.guild_id))


async def child(
    url: str, shards: Shards, decisions: int, records: int, seed: int, *, every_server: bool
) -> None:
    """Run one process's phases, each when the parent says go; report each as a JSON line.

    With `every_server` the process decides for every server (as before the shard filter);
    it records for its own servers either way.
    """
    db = await Database.open(url)
    try:
        services = build_services(db, Shards.every(shards.count) if every_server else shards)
        rng = random.Random(seed + min(shards.ids))  # noqa: S311 - picks members, not secrets
        members = await own_members(db, shards)
        await services.reminders.due(NOW)  # warm-up: connections, caches, code paths
        emit({"ready": "decide"})
        wait_for_go()
        runs, found, servers, foreign = [], 0, set(), 0
        cpu, started = time.process_time(), time.perf_counter()
        for _ in range(decisions):
            run = time.perf_counter()
            batches = await services.reminders.due(NOW)
            runs.append((time.perf_counter() - run) * 1000)
            found = sum(len(batch.members) for batch in batches)
            servers = {batch.challenge.guild_id for batch in batches}
            foreign = sum(not shards.owns(guild) for guild in servers)
        emit(
            {
                "phase": "decide",
                "wall_s": time.perf_counter() - started,
                "cpu_s": time.process_time() - cpu,
                "runs_ms": runs,
                "found": found,
                "servers": len(servers),
                "foreign": foreign,
            }
        )
        picks = [rng.choice(members) for _ in range(records)]
        texts = posts(rng, records)
        emit({"ready": "log"})
        wait_for_go()
        cpu, started = time.process_time(), time.perf_counter()
        for (guild_id, user_id), post in zip(picks, texts, strict=True):
            await services.entries.record(
                guild_id=guild_id, user_id=user_id, text=post.text, minutes=post.minutes, at=NOW
            )
        emit(
            {
                "phase": "log",
                "wall_s": time.perf_counter() - started,
                "cpu_s": time.process_time() - cpu,
                "records": records,
                "rss_mb": peak_rss_mb(),
            }
        )
        # Connected until the parent has read the server's CPU (a backend's ends with it).
        sys.stdin.readline()
    finally:
        await db.close()


# ---------------------------------------------------------------------------------------------
# The parent: where the time goes
# ---------------------------------------------------------------------------------------------


def clock_ticks() -> int:
    """Return the kernel's clock ticks per second (/proc's CPU times are in ticks)."""
    return int(os.sysconf("SC_CLK_TCK"))


def server_cpu(parent: int) -> dict[int, float]:
    """Return the CPU seconds so far of each of the PostgreSQL server's processes (by pid)."""
    found: dict[int, float] = {}
    if not parent:
        return found
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            # utime and stime are fields 14 and 15 of proc(5), counted from the state (3).
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / clock_ticks()
    return found


def cpu_since(before: dict[int, float], after: dict[int, float]) -> float:
    """Return the CPU the server's processes used between two readings.

    A process that ended in between is left out (what it used is no longer readable); one that
    started is counted whole. The benchmark's backends live through each phase.
    """
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def machine_busy() -> tuple[float, float]:
    """Return the machine's (busy, total) CPU ticks so far, from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def parent_of(pid: int) -> int:
    """Return a process's parent id, or 0 if it cannot be read."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


async def postmaster_pid(dsn: str) -> int:
    """Return the PostgreSQL server's main process id, or 0 if it is not on this machine.

    Read from a backend's /proc entry (its parent) while the backend is still connected.
    """
    connection = await asyncpg.connect(dsn)
    try:
        pid = int(await connection.fetchval("SELECT pg_backend_pid()"))
        return parent_of(pid)
    finally:
        await connection.close()


class Sampler:
    """Samples what the benchmark database's client backends are doing, in a thread."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.tally: Counter[str] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        connection = await asyncpg.connect(self.dsn)
        try:
            while not self._stop.is_set():
                rows = await connection.fetch(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'"
                )
                self.samples += 1
                for state, kind, event in rows:
                    if state == "active":
                        self.tally["running" if kind is None else f"{kind}:{event}"] += 1
                    elif state == "idle in transaction":
                        self.tally["idle in transaction"] += 1
                    else:
                        self.tally["idle"] += 1
                await asyncio.sleep(SAMPLE_S)
        finally:
            await connection.close()

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def shares(self) -> str:
        """Return the backends' states, busiest first, as shares of backend-samples."""
        total = sum(self.tally.values())
        if not total:
            return "(no samples)"
        return ", ".join(f"{name} {count / total:.0%}" for name, count in self.tally.most_common(5))


@dataclass(slots=True)
class Phase:
    """One phase of one configuration: every process's report and the machine around it."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    wall_s: float = 0.0
    postgres_cpu_s: float = 0.0
    busy: float = 0.0
    """The machine's busy share over the phase (1.0: every CPU busy)."""
    waits: str = ""
    lock_samples: int = 0

    @property
    def slowest_s(self) -> float:
        """The slowest process's wall time."""
        return max(report["wall_s"] for report in self.reports)

    @property
    def process_cpu_s(self) -> float:
        """The processes' total CPU time."""
        return sum(report["cpu_s"] for report in self.reports)


@dataclass(slots=True)
class Config:
    """One run of N processes."""

    processes: int
    every_server: bool
    """Every process decides for every server (before the shard filter)."""
    decide: Phase = field(default_factory=Phase)
    log: Phase = field(default_factory=Phase)


def start_children(
    url: str, processes: int, args: argparse.Namespace, *, every_server: bool
) -> list[subprocess.Popen[str]]:
    """Start one child per shard group; each opens its database and waits."""
    children = []
    for shard_ids in layout(processes):
        command = [sys.executable, "-m", "bench.processes", "--child", url]
        command += ["--shards", ",".join(map(str, shard_ids))]
        command += ["--decisions", str(args.decisions), "--records", str(args.records)]
        command += ["--seed", str(args.seed)] + (["--every-server"] if every_server else [])
        children.append(
            subprocess.Popen(  # noqa: S603 - our own module
                command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        )
    return children


def read_line(child: subprocess.Popen[str]) -> dict[str, Any]:
    """Read a child's next report; fail loudly if it died."""
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line:
        raise SystemExit(f"bench.processes: child {child.pid} ended early ({child.wait()})")
    record: dict[str, Any] = json.loads(line)
    return record


def run_phase(children: list[subprocess.Popen[str]], dsn: str, postmaster: int) -> Phase:
    """Start a phase in every child at once; measure the machine and the server around it."""
    for child in children:
        read_line(child)  # ready
    phase = Phase()
    busy, total = machine_busy()
    server = server_cpu(postmaster)
    with Sampler(dsn) as sampler:
        started = time.perf_counter()
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        phase.reports = [read_line(child) for child in children]
        phase.wall_s = time.perf_counter() - started
    phase.postgres_cpu_s = cpu_since(server, server_cpu(postmaster))
    busy_after, total_after = machine_busy()
    phase.busy = (busy_after - busy) / max(1, total_after - total)
    phase.waits = sampler.shares()
    phase.lock_samples = sum(n for name, n in sampler.tally.items() if name.startswith("Lock:"))
    return phase


async def max_entry_id(dsn: str) -> int:
    """Return the highest entry id (entries after it are the run's)."""
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval("SELECT coalesce(max(id), 0) FROM entries"))
    finally:
        await connection.close()


async def forget_after(dsn: str, mark: int) -> None:
    """Delete the entries a configuration recorded, so the next starts from the same rows."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("DELETE FROM entries WHERE id > $1", mark)
    finally:
        await connection.close()


def run_config(
    url: str, processes: int, args: argparse.Namespace, postmaster: int, *, every_server: bool
) -> Config:
    """Run both phases with N processes; delete what they recorded."""
    dsn = pg_dsn(url)
    mark = asyncio.run(max_entry_id(dsn))
    mode = "every server" if every_server else "own servers"
    say(f"processes: {processes} process(es), shards {layout(processes)}, {mode} ...")
    children = start_children(url, processes, args, every_server=every_server)
    config = Config(processes, every_server)
    try:
        config.decide = run_phase(children, dsn, postmaster)
        config.log = run_phase(children, dsn, postmaster)
    finally:
        for child in children:
            if child.stdin is not None:
                child.stdin.close()
            child.wait()
    asyncio.run(forget_after(dsn, mark))
    return config


async def decision_plans(backend: PostgresBackend, url: str) -> list[str]:
    """Return what a decision and a record send (a process of shard 0), timed, and the plans."""
    db = await Database.open(url)
    try:
        shards = Shards.of(SHARD_COUNT, [0])
        services = build_services(db, shards)
        found = {"due": Anatomy(), "record": Anatomy()}
        with traced(db, found["due"]), found["due"].call():
            await services.reminders.due(NOW)
        guild_id, user_id = (await own_members(db, shards))[0]
        with traced(db, found["record"]), found["record"].call():
            await services.entries.record(
                guild_id=guild_id, user_id=user_id, text="Day 1: notes.", minutes=60, at=NOW
            )
    finally:
        await db.close()
    lines = []
    for title, anatomy in found.items():
        lines.append(f"anatomy of one {title}: {anatomy.per_call_ms:,.0f} ms wall")
        lines += [f"  {n:4.1f} x {ms:8.1f} ms  {name}" for name, n, ms in anatomy.rows()]
    return lines + await query_plans(backend, url, found)


def whole_scans(plans: list[str]) -> list[str]:
    """Return each sequential scan in the plans, with the statement it belongs to."""
    found, statement = [], ""
    for line in plans:
        if line.startswith("  ["):
            statement = line.strip()
        elif "Seq Scan" in line:
            scan = line.split("Seq Scan on ", 1)[1].split("  (")[0]
            rows = line.split("rows=", 1)[1].split()[0] if "rows=" in line else "?"
            found.append(f"{scan} (estimated {rows} rows) in {statement}")
    return found


async def database_size(dsn: str) -> int:
    """Return the working copy's size in bytes."""
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval("SELECT pg_database_size(current_database())"))
    finally:
        await connection.close()


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def mean(values: list[float]) -> float:
    """Return the mean."""
    return statistics.fmean(values)


def decision_rows(configs: dict[int, list[Config]]) -> list[list[str]]:
    """Return the decision table's rows: per process count, its figures and ratios to one."""
    base_wall = mean([c.decide.slowest_s for c in configs[1]])
    base_cpu = mean([c.decide.process_cpu_s for c in configs[1]])
    rows = []
    for processes, runs in sorted(configs.items()):
        wall = mean([c.decide.slowest_s for c in runs])
        cpu = mean([c.decide.process_cpu_s for c in runs])
        runs_ms = [ms for c in runs for report in c.decide.reports for ms in report["runs_ms"]]
        found = sum(r["found"] for r in runs[0].decide.reports)
        servers = sum(r["servers"] for r in runs[0].decide.reports)
        foreign = sum(r["foreign"] for r in runs[0].decide.reports)
        rows.append(
            [
                str(processes),
                f"{found:,} in {servers:,} server-decisions ({foreign:,} not its own)",
                f"{statistics.median(runs_ms):,.0f}",
                f"{wall:.2f} s = {wall / base_wall:.2f} x",
                f"{cpu:.2f} s = {cpu / base_cpu:.2f} x",
                f"{mean([c.decide.postgres_cpu_s for c in runs]):.2f} s",
                f"{mean([c.decide.busy for c in runs]):.0%}",
                runs[-1].decide.waits,
            ]
        )
    return rows


def log_rows(configs: dict[int, list[Config]]) -> list[list[str]]:
    """Return the /log table's rows: total entries per second and the ratio to one process."""

    def rate(config: Config) -> float:
        return sum(r["records"] for r in config.log.reports) / config.log.slowest_s

    base = mean([rate(c) for c in configs[1]])
    rows = []
    for processes, runs in sorted(configs.items()):
        entries = sum(r["records"] for r in runs[0].log.reports)
        per_second = mean([rate(c) for c in runs])
        cpu_ms = mean([c.log.process_cpu_s * 1000 / entries for c in runs])
        pg_ms = mean([c.log.postgres_cpu_s * 1000 / entries for c in runs])
        rss = max(r["rss_mb"] for c in runs for r in c.log.reports)
        rows.append(
            [
                str(processes),
                f"{entries:,}",
                f"{per_second:,.0f}/s = {per_second / base:.2f} x",
                f"{cpu_ms:.2f} ms",
                f"{pg_ms:.2f} ms",
                f"{mean([c.log.busy for c in runs]):.0%}",
                f"{sum(c.log.lock_samples for c in runs)}",
                runs[-1].log.waits,
                f"{rss:,.0f} MB",
            ]
        )
    return rows


def table(titles: list[str], rows: list[list[str]]) -> list[str]:
    """Return a Markdown table."""
    lines = ["| " + " | ".join(titles) + " |", "|" + "---|" * len(titles)]
    return lines + [
        "| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows
    ]


DECISION_TITLES = [
    "processes",
    "members due (sum over processes)",
    "one due(), median ms",
    "slowest process (all runs), ratio to 1",
    "processes' CPU, ratio to 1",
    "PostgreSQL CPU",
    "machine busy",
    "benchmark backends (pg_stat_activity)",
]
LOG_TITLES = [
    "processes",
    "entries",
    "total /log rate, ratio to 1",
    "process CPU per entry",
    "PostgreSQL CPU per entry",
    "machine busy",
    "lock-wait samples",
    "benchmark backends (pg_stat_activity)",
    "peak RSS per process",
]


MODES = {
    True: "**Every process decides for every server** (as before the shard filter; "
    "`Services.build` with every shard in each process)",
    False: "**Each process decides for its own servers** (the shard filter on due work: "
    "`Services.build(db, shards=...)`)",
}


def report(
    configs: dict[bool, dict[int, list[Config]]],
    args: argparse.Namespace,
    record: dict[str, Any],
    versions: str,
    loads: list[float],
    size: int,
    scans: list[str],
) -> str:
    """Return the tables as Markdown."""
    members = int(record["members"])
    lines = [
        f"**Many processes, one PostgreSQL: {record['servers']:,} servers, {members:,} members**",
        "",
        f"machine: {versions}; load average start {loads[0]:.2f}, end {loads[-1]:.2f}  ",
        f"code: {revision()}  ",
        (
            f"fleet: {record['entries']:,} entries ({record['days']} days and today up to now); "
            f"database {size / 2**20:,.0f} MB = {size / 2**20 / (members / 1000):.1f} MB per "
            f"1,000 members; now = {NOW.isoformat()}; {SHARD_COUNT} shards; {args.rounds} rounds "
            "(1, 2, 4 processes, then 4, 2, 1 ...), each figure their mean; every ratio is to 1 "
            "process of the same kind in this run"
        ),
    ]
    for every_server, by_count in configs.items():
        if not by_count or 1 not in by_count:
            continue
        lines += [
            "",
            MODES[every_server],
            "",
            (
                f"The minute's reminder decision (`ReminderService.due(now)`, {args.decisions} "
                "runs per process, all processes started together):"
            ),
            "",
            *table(DECISION_TITLES, decision_rows(by_count)),
            "",
            (
                f"/log throughput (`EntryService.record`, {args.records} entries per process, one "
                "after another, members of its own servers):"
            ),
            "",
            *table(LOG_TITLES, log_rows(by_count)),
        ]
    lines += [
        "",
        "Query plans of the SELECTs of one decision and one record (a process of shard 0 of 4, "
        "EXPLAIN on the fleet): "
        + (
            "no sequential scan."
            if not scans
            else "sequential scans: " + "; ".join(f"`{scan}`" for scan in scans) + "."
        ),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Build (or reuse) the fleet, run 1, 2 and 4 processes on a copy of it, report."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", help="the PostgreSQL cluster's URL")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--decisions", type=int, default=5, help="due(now) runs per process")
    parser.add_argument("--records", type=int, default=400, help="/log entries per process")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--servers", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=100, help="members per server")
    parser.add_argument("--markdown", nargs="?", const="", metavar="PATH")
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--shards", help=argparse.SUPPRESS)
    parser.add_argument("--every-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        shards = Shards.of(SHARD_COUNT, [int(s) for s in args.shards.split(",")])
        every = args.every_server
        asyncio.run(
            child(args.child, shards, args.decisions, args.records, args.seed, every_server=every)
        )
        return
    if not args.database_url:
        raise SystemExit("--database-url: give the PostgreSQL cluster's URL")
    backend = backend_for(args.database_url)
    if not isinstance(backend, PostgresBackend):
        raise SystemExit("--database-url: this bench runs on PostgreSQL (processes share it)")
    loads = [os.getloadavg()[0]]
    database, record = asyncio.run(ensure_fleet(args.database_url, args.servers, args.members))
    backend.server = database
    order = [int(n) for n in args.processes.split(",")]
    # Before the shard filter exists, every process decides for every server either way.
    kinds = [True, False] if filtered() else [True]
    configs = {kind: {n: [] for n in order} for kind in kinds}
    with backend.working_copy(Path()) as (url, copy_s):
        say(f"working copy in {copy_s:.1f} s")
        # The kept fleet stays as built; its copy gets this code's schema (0011's versions).
        asyncio.run(migrate(url))
        dsn = pg_dsn(url)
        postmaster = asyncio.run(postmaster_pid(dsn))
        for round_number in range(args.rounds):
            for processes in order if round_number % 2 == 0 else order[::-1]:
                for kind in kinds if round_number % 2 == 0 else kinds[::-1]:
                    run = run_config(url, processes, args, postmaster, every_server=kind)
                    configs[kind][processes].append(run)
        plans = asyncio.run(decision_plans(backend, url))
        size = asyncio.run(database_size(dsn))
        versions = asyncio.run(backend.versions(url))
    loads.append(os.getloadavg()[0])
    print("\n".join(plans))
    text = report(configs, args, record, versions, loads, size, whole_scans(plans))
    print(text)
    if args.markdown is not None:
        write_markdown(Path(args.markdown) if args.markdown else PERF_DOCS / "processes.md", text)


if __name__ == "__main__":
    main()

"""Daybook's performance benchmark: a synthetic server, measured against a same-run baseline.

    ./run python bench/engine.py                  # 10,000 members, ~2.2M entries (full run)
    ./run python bench/engine.py --quick          # 1,000 members: a smoke run
    ./run python bench/engine.py --db data/bench/server.db   # keep the built server for reuse
    ./run python bench/engine.py --profile-dir /tmp/prof     # also cProfile each phase

Every figure is taken through the service layer on a working copy of the synthetic server (see
`bench/synthetic.py`), with "now" fixed at 2026-12-31 12:00 UTC. The write baseline is measured
in the same run on the same file, in blocks alternating with the records: single-row committed
INSERTs of the same rows through the same stack (SQLAlchemy async + aiosqlite, `Database.write()`),
and once through the stdlib `sqlite3` for reference. The cold leaderboard and
`refresh_checkpoints` run in a child process, so the main process's peak memory is that of
serving (records, summaries, warm boards) and the maintenance work gets a peak of its own.
Benchmarks report; the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import io
import json
import os
import pstats
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from report import Figures, WriteRates, report
from sqlalchemy.ext.asyncio import AsyncConnection
from sqltrace import Anatomy, query_plans, traced
from synthetic import BUILD_VERSION, GUILD_ID, NOW, TODAY, make_post, post_text, sqlite_url

from bot.domain.leaderboard import Metric, Period
from bot.domain.models import EntrySource
from bot.services import Services
from storage import Database, tables

HERE = Path(__file__).resolve().parent
BOARDS: tuple[tuple[Metric, Period], ...] = (
    (Metric.STREAK, Period.ALL),
    (Metric.DAYS, Period.WEEK),
    (Metric.DAYS, Period.MONTH),
    (Metric.DAYS, Period.ALL),
    (Metric.CONSISTENCY, Period.ALL),
)


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


FULL = Plan(members=10_000, records=1_000, summaries=1_000, board_runs=3, blocks=10, traced=200)
QUICK = Plan(members=1_000, records=300, summaries=300, board_runs=3, blocks=6, traced=100)


def say(message: str) -> None:
    """Print progress to stderr (the report goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """Return this process's peak resident set size so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def profiled(directory: Path | None, name: str) -> Iterator[None]:
    """Profile the block with cProfile when a directory is given, and print its hot spots.

    The timer is the thread's CPU clock, so time spent waiting for aiosqlite's worker thread
    does not drown the Python that matters; the wall-clock figures come from the timed runs.
    """
    if directory is None:
        yield
        return
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"{name}.prof"
        profile.dump_stats(target)
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(r"/(bot|storage)/", 20)
        say(f"--- CPU profile of {name} ({target}) ---\n{text.getvalue()}")


# ---------------------------------------------------------------------------------------------
# The synthetic server: built once per file, copied for every run
# ---------------------------------------------------------------------------------------------


def meta_path(db: Path) -> Path:
    """Return the file that records what a built database holds."""
    return db.with_name(db.name + ".meta.json")


def reusable(db: Path, members: int, seed: int) -> dict[str, Any] | None:
    """Return the build record of `db` if it holds the wanted server untouched, else None."""
    meta = meta_path(db)
    if not db.exists() or not meta.exists():
        return None
    record: dict[str, Any] = json.loads(meta.read_text())
    wanted = {"version": BUILD_VERSION, "members": members, "seed": seed}
    if any(record.get(key) != value for key, value in wanted.items()):
        return None
    if record.get("bytes") != db.stat().st_size:
        return None
    return record


def ensure_server(db: Path, members: int, seed: int) -> dict[str, Any]:
    """Build the synthetic server into `db` in a child process, unless it is already there."""
    record = reusable(db, members, seed)
    if record is not None:
        say(f"reusing {db} ({record['entries']:,} entries, built in {record['seconds']:.0f} s)")
        return {**record, "reused": True}
    say(f"building a server of {members:,} members into {db} (a child process) ...")
    command = [sys.executable, str(HERE / "synthetic.py"), "--db", str(db)]
    command += ["--members", str(members), "--seed", str(seed)]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout  # noqa: S603
    built: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    record = {**built, "version": BUILD_VERSION, "seed": seed, "bytes": db.stat().st_size}
    meta_path(db).write_text(json.dumps(record, indent=2) + "\n")
    return {**record, "reused": False}


def copy_database(source: Path, target: Path) -> float:
    """Copy a (checkpointed, closed) database file; return the seconds it took."""
    started = time.perf_counter()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# Who posts what
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """An active member the benchmark acts as."""

    participant_id: int
    user_id: int
    timezone: str


@dataclass(frozen=True, slots=True)
class Post:
    """What a member posts in the write benchmarks."""

    text: str
    minutes: int


async def active_members(db: Database) -> tuple[int, list[Member]]:
    """Return the challenge's id and every member still in it."""
    async with db.read() as repos:
        challenge = (await repos.challenges.active_in_guild(GUILD_ID))[0]
        participants = await repos.participants.active(challenge.id)
    return challenge.id, [Member(p.id, p.user_id, p.timezone) for p in participants]


def posts(rng: random.Random, count: int) -> list[Post]:
    """Return realistic posts, each with a link."""
    return [
        Post(post_text(rng, rng.randrange(1, 100), with_link=True), rng.choice((60, 75, 90, 120)))
        for _ in range(count)
    ]


def entry_row(challenge_id: int, member: Member, post: Post) -> dict[str, Any]:
    """Return the entries row `EntryService.record` stores for this post."""
    facts = make_post(post.text)
    return {
        "participant_id": member.participant_id,
        "challenge_id": challenge_id,
        "user_id": member.user_id,
        "local_day": TODAY,
        "timezone": member.timezone,
        "text": post.text,
        "minutes": post.minutes,
        "words": facts.words,
        "has_link": facts.has_link,
        "tags_json": facts.tags_json,
        "links_json": facts.links_json,
        "attachments_json": "[]",
        "source": EntrySource.COMMAND.value,
        "message_id": None,
        "channel_id": None,
        "import_key": None,
        "created_at": NOW,
    }


# ---------------------------------------------------------------------------------------------
# Writes: the baselines and the service
# ---------------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def raw_writer(db: Database) -> AsyncIterator[AsyncConnection]:
    """Open Daybook's write transaction and hand out its connection (for raw statements)."""
    async with db.write() as repos:
        # The benchmark sits outside the layer rules: it borrows the transaction's connection.
        yield repos.entries._connection


async def max_entry_id(db: Database) -> int:
    """Return the highest entry id."""
    async with db.read() as repos:
        statement = sa.select(sa.func.max(tables.entries.c.id))
        return int((await repos.entries._connection.execute(statement)).scalar_one())


async def drop_entries_after(db: Database, mark: int) -> None:
    """Delete the rows a baseline inserted, so the server is as built again."""
    async with raw_writer(db) as connection:
        await connection.execute(tables.entries.delete().where(tables.entries.c.id > mark))


async def stack_inserts(db: Database, rows: list[dict[str, Any]]) -> tuple[float, float]:
    """Insert each row in its own committed transaction through Database.write().

    Returns (wall seconds, main-thread CPU seconds). The rows are deleted again afterwards
    (untimed), so the server stays as built.
    """
    mark = await max_entry_id(db)
    insert = tables.entries.insert()
    started, cpu = time.perf_counter(), time.thread_time()
    for row in rows:
        async with raw_writer(db) as connection:
            await connection.execute(insert, row)
    elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
    await drop_entries_after(db, mark)
    return elapsed, cpu


def sqlite3_baseline(path: Path, rows: list[dict[str, Any]]) -> float:
    """Insert each row in its own committed transaction with the stdlib driver; rows/s."""
    columns = list(rows[0])
    placeholders = ", ".join("?" * len(columns))
    sql = f"INSERT INTO entries ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA busy_timeout=5000",
            "PRAGMA foreign_keys=ON",
        ):
            connection.execute(pragma)
        (mark,) = connection.execute("SELECT max(id) FROM entries").fetchone()
        values = [tuple(sqlite_value(row[column]) for column in columns) for row in rows]
        started = time.perf_counter()
        for params in values:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(sql, params)
            connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        connection.execute("DELETE FROM entries WHERE id > ?", (mark,))
    finally:
        connection.close()
    return len(rows) / elapsed


def sqlite_value(value: Any) -> Any:
    """Convert a Python value to what SQLAlchemy's SQLite dialect stores."""
    if hasattr(value, "hour"):  # a datetime: naive UTC text, as UTCDateTime stores it
        naive = value.astimezone(UTC).replace(tzinfo=None)
        return naive.isoformat(sep=" ", timespec="microseconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


async def service_records(
    services: Services, members: list[Member], texts: list[Post]
) -> tuple[float, float]:
    """Record one post per member through EntryService.record, one after another.

    Returns (wall seconds, main-thread CPU seconds).
    """
    started, cpu = time.perf_counter(), time.thread_time()
    for member, post in zip(members, texts, strict=True):
        await services.entries.record(
            guild_id=GUILD_ID, user_id=member.user_id, text=post.text, minutes=post.minutes, at=NOW
        )
    return time.perf_counter() - started, time.thread_time() - cpu


async def interleaved_writes(
    db: Database,
    services: Services,
    challenge_id: int,
    members: list[Member],
    texts: list[Post],
    blocks: int,
) -> WriteRates:
    """Alternate blocks of service records and baseline inserts of the same rows (ABBA order).

    Both sides see the same machine: on a shared, noisy host a baseline taken minutes apart
    from the records can be off by a factor of two.
    """
    size = -(-len(members) // blocks)
    record = baseline = (0.0, 0.0)
    for block in range(blocks):
        chunk = slice(block * size, (block + 1) * size)
        who, what = members[chunk], texts[chunk]
        rows = [entry_row(challenge_id, m, p) for m, p in zip(who, what, strict=True)]
        if block % 2:
            baseline = add(baseline, await stack_inserts(db, rows))
            record = add(record, await service_records(services, who, what))
        else:
            record = add(record, await service_records(services, who, what))
            baseline = add(baseline, await stack_inserts(db, rows))
    count = len(members)
    return WriteRates(
        records=count / record[0],
        baseline=count / baseline[0],
        record_cpu_ms=record[1] * 1000 / count,
        baseline_cpu_ms=baseline[1] * 1000 / count,
    )


def add(total: tuple[float, float], more: tuple[float, float]) -> tuple[float, float]:
    """Add two (wall, CPU) pairs."""
    return total[0] + more[0], total[1] + more[1]


# ---------------------------------------------------------------------------------------------
# Reads: summaries and leaderboards
# ---------------------------------------------------------------------------------------------


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
    command = [sys.executable, str(Path(__file__).resolve()), "--maintenance", str(work)]
    if profile_dir is not None:
        command += ["--profile-dir", str(profile_dir)]
    completed = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)  # noqa: S603
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


async def measure(work: Path, plan: Plan, seed: int, profile_dir: Path | None) -> Figures:
    """Run every phase on the working copy and return the figures."""
    figures = Figures()
    rng = random.Random(seed + 1)  # noqa: S311 - picks members, not secrets
    db = await Database.open(sqlite_url(work))
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

        say(f"baseline, stdlib sqlite3: {plan.records} single-row committed inserts ...")
        rows = [entry_row(challenge_id, m, p) for m, p in zip(writers, texts[warm], strict=False)]
        figures.sqlite3_rate = sqlite3_baseline(work, rows)
        say(f"record with cold checkpoints, alternating with the stack baseline: {plan.records}")
        with profiled(profile_dir, "record-cold"):
            figures.write_cold = await interleaved_writes(
                db, services, challenge_id, writers[cold], texts[cold], plan.blocks
            )
        say(f"summary with cold checkpoints: {len(readers)} members ...")
        with profiled(profile_dir, "summary-cold"):
            figures.summary_cold = await summaries(services, readers)
        figures.rss_after["cold records and summaries"] = peak_rss_mb()

        say("maintenance (child process): cold leaderboard, then refresh_checkpoints ...")
        figures.maintenance = run_maintenance_child(work, profile_dir)

        say(f"record with warm checkpoints, alternating with the stack baseline: {plan.records}")
        with profiled(profile_dir, "record-warm"):
            figures.write_warm = await interleaved_writes(
                db, services, challenge_id, writers[warm], texts[warm], plan.blocks
            )
        say(f"summary with warm checkpoints: {len(readers)} members ...")
        with profiled(profile_dir, "summary-warm"):
            figures.summary_warm = await summaries(services, readers)
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
        figures.plans = query_plans(work, figures.anatomies)
        figures.rss_after["traced calls"] = peak_rss_mb()
        figures.serving_peak_mb = peak_rss_mb()

        # Last, as tracemalloc's own bookkeeping inflates the process's memory.
        tracemalloc.start()
        await board(services, Metric.STREAK, Period.ALL, viewer)
        figures.board_traced_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    finally:
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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 members: a smoke run")
    parser.add_argument(
        "--db",
        type=Path,
        help="keep the built server in this file and reuse it on later runs "
        "(default: a temporary file, rebuilt every run)",
    )
    parser.add_argument("--members", type=int, help="override the number of members")
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--profile-dir", type=Path, help="cProfile each phase into DIR")
    parser.add_argument("--maintenance", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    """Build (or reuse) the server, measure, and print the report."""
    args = parse_args()
    if args.maintenance is not None:
        print(json.dumps(asyncio.run(maintenance(args.maintenance, args.profile_dir))))
        return
    plan = QUICK if args.quick else FULL
    if args.members:
        plan = dataclasses.replace(plan, members=args.members)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="daybook-bench-") as scratch:
        pristine = (args.db or Path(scratch) / f"server-{plan.members}.db").resolve()
        build = ensure_server(pristine, plan.members, args.seed)
        work = Path(scratch) / "work.db"
        copy_s = copy_database(pristine, work)
        figures = asyncio.run(measure(work, plan, args.seed, args.profile_dir))
    figures.build = build
    figures.copy_s = copy_s
    print(report(figures, args.quick))
    print(f"\nwhole run: {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()

"""`./run python -m bench.coherence`: what keeping two processes' caches coherent costs.

Two `Database` + `Services` objects on one database stand for two processes, A and B. A records
posts (`/log`) through its services; B serves leaderboards from its warm walk cache. Each phase
runs in blocks that alternate coherence on and off (ABBA), so both sides see the same machine:

- write: A's records per second, as a ratio to the same records without coherence;
- warm board: B's board with nothing changed, as a ratio to the same board without coherence;
- board after a write: B's first board after each of A's records, beside B's warm board
  without coherence (which answers stale: the price of being right is one member re-walked);
- staleness: how long after A's commit returned B's cache still answers the old value.

Usage: `./run python -m bench.coherence --database-url postgresql+asyncpg://.../postgres
--members 10000` (see `bench.backend` for where the server is built).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing.connection import Connection

from bench.backend import add_arguments, prepared
from bench.report import say
from bench.server import Member, Post, active_members, posts
from bench.world import GUILD_ID, NOW
from bot.domain.leaderboard import Metric, Period
from bot.services import Services
from storage import Changes, Database

DESIGN = "LISTEN/NOTIFY"
STALENESS_WRITES = 100


@contextlib.contextmanager
def coherence_off(a: Database, b: Database) -> Iterator[None]:
    """Run the block as Daybook did before: A notifies nobody, B hears nothing."""
    feeds = a._feed, b._feed
    a._feed = None
    try:
        yield
    finally:
        a._feed = feeds[0]


def listener_child(url: str, ready: Connection, count: int) -> None:
    """Be process B for the staleness phase: hear `count` notes, send back when each came."""
    asyncio.run(listen_for(url, ready, count))


async def listen_for(url: str, pipe: Connection, count: int) -> None:
    """Open B's database, say so, and send back the monotonic time of each note heard."""
    db = await Database.open(url)
    stamps: list[float] = []
    db.add_listener(lambda _changes: stamps.append(time.monotonic()))
    pipe.send("ready")
    try:
        await heard(stamps, count)
    finally:
        await db.close()
    pipe.send(stamps)


async def staleness(url: str, writers: list[Member], texts: list[Post]) -> list[float]:
    """Return, per write of A, how long after its commit another OS process heard of it (ms)."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=listener_child, args=(url, child, len(writers))
    )
    process.start()
    db = await Database.open(url)
    committed: list[float] = []
    db.add_listener(lambda _changes: committed.append(time.monotonic()))
    try:
        services = Services.build(db)
        await asyncio.to_thread(parent.recv)
        for member, post in zip(writers, texts, strict=True):
            recorded = await services.entries.record(
                guild_id=GUILD_ID,
                user_id=member.user_id,
                text=post.text,
                minutes=post.minutes,
                at=NOW + timedelta(minutes=len(committed)),
            )
            if recorded.already_logged:
                raise RuntimeError("a repeat wrote nothing")
            await asyncio.sleep(0.01)  # writes a little apart, as members post
        heard_at: list[float] = await asyncio.to_thread(parent.recv)
    finally:
        await db.close()
        process.join()
    return [(b - a) * 1000 for a, b in zip(committed, heard_at, strict=True)]


async def heard(stamps: list[float], count: int) -> float:
    """Wait until B has heard `count` notes; return when it heard the last (perf_counter)."""
    for _ in range(20_000):
        if len(stamps) >= count:
            return stamps[count - 1]
        await asyncio.sleep(0.0005)
    raise RuntimeError("B never heard A's note")


@dataclass
class Side:
    """One side's figures: seconds per operation."""

    records: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    after_write: list[float] = field(default_factory=list)
    stale_ms: list[float] = field(default_factory=list)


async def board(services: Services, viewer: int) -> int:
    """Build B's streak board; return how many it ranks."""
    found = await services.progress.leaderboard(
        guild_id=GUILD_ID, viewer_id=viewer, metric=Metric.STREAK, period=Period.ALL, now=NOW
    )
    return found.ranked


async def block(
    a: Services,
    b: Services,
    writers: list[Member],
    texts: list[Post],
    viewer: int,
    side: Side,
    stamps: list[float],
    *,
    coherent: bool,
) -> None:
    """Run one block: per writer, A records, B boards after it, then B boards warm."""
    for member, post in zip(writers, texts, strict=True):
        heard_before = len(stamps)
        started = time.perf_counter()
        recorded = await a.entries.record(
            guild_id=GUILD_ID, user_id=member.user_id, text=post.text, minutes=post.minutes, at=NOW
        )
        committed = time.perf_counter()
        side.records.append(committed - started)
        if recorded.already_logged:
            raise RuntimeError("a repeat wrote nothing: each write must be a new post")
        if coherent:
            # In one process B may hear before A's record returns; the staleness phase times
            # it across processes. Here B's board must follow the note, as a later read would.
            await heard(stamps, heard_before + 1)
        started = time.perf_counter()
        await board(b, viewer)
        side.after_write.append(time.perf_counter() - started)
        started = time.perf_counter()
        await board(b, viewer)
        side.warm.append(time.perf_counter() - started)


async def measure(url: str, rounds: int, per_block: int, seed: int) -> tuple[Side, Side]:
    """Run the ABBA blocks on the working copy; return (coherent, not coherent)."""
    a_db, b_db = await Database.open(url), await Database.open(url)
    stamps: list[float] = []
    b_db.add_listener(lambda _changes: stamps.append(time.perf_counter()))
    try:
        a, b = Services.build(a_db), Services.build(b_db)
        _, members = await active_members(a_db)
        rng = random.Random(seed)  # noqa: S311 - picks members, not secrets
        writers = rng.sample(members, 4 * rounds * per_block + STALENESS_WRITES)
        texts = posts(rng, len(writers))
        later = slice(4 * rounds * per_block, None)
        viewer = members[0].user_id
        await board(b, viewer)  # B's cache warm
        on, off = Side(), Side()
        for index in range(2 * rounds):
            for coherent in (True, False)[:: -1 if index % 2 else 1]:
                first = (2 * index + coherent) * per_block
                part = slice(first, first + per_block)
                who = writers[part]
                say(f"block {index + 1}/{2 * rounds}, coherence {'on' if coherent else 'off'}")
                if coherent:
                    await block(a, b, who, texts[part], viewer, on, stamps, coherent=True)
                else:
                    with coherence_off(a_db, b_db):
                        await block(a, b, who, texts[part], viewer, off, stamps, coherent=False)
                    # What B missed meanwhile: forgotten, as a lost feed would.
                    b_db._tell_listeners(Changes(everything=True))
                    await board(b, viewer)
    finally:
        await a_db.close()
        await b_db.close()
    say(f"staleness: {STALENESS_WRITES} writes by A heard by B in another process")
    on.stale_ms = await staleness(url, writers[later], texts[later])
    return on, off


def ms(values: list[float]) -> float:
    """Return the median of seconds, in milliseconds."""
    return statistics.median(values) * 1000


def row(name: str, on: list[float], off: list[float]) -> str:
    """Return one table row: both medians and their ratio."""
    return f"| {name} | {ms(on):.2f} | {ms(off):.2f} | {ms(on) / ms(off):.2f} |"


def report(on: Side, off: Side, members: int, backend: str) -> str:
    """Return the figures as a Markdown table (ratios to no coherence, same run)."""
    stale = sorted(on.stale_ms)
    lines = [
        f"Design: {DESIGN}; {backend}, {members:,} members, {len(on.records)} writes per side.",
        "",
        "| measure | coherent | not coherent | ratio |",
        "|---|---|---|---|",
        row("record (/log), median ms", on.records, off.records),
        row("warm board, nothing changed, median ms", on.warm, off.warm),
        row("B's board after A's write, median ms (not coherent: stale)", on.after_write, off.warm),
    ]
    if stale:
        lines.append(
            f"| staleness after A's commit, ms (median / max) "
            f"| {statistics.median(stale):.2f} / {stale[-1]:.2f} | never updated | - |"
        )
    else:
        lines.append("| staleness after A's commit | 0 (by construction) | never updated | - |")
    return "\n".join(lines)


def main() -> None:
    """Build or reuse the server, measure both sides, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--rounds", type=int, default=3, help="ABBA pairs of blocks")
    parser.add_argument("--per-block", type=int, default=50, help="writes per block")
    args = parser.parse_args()
    members = args.members or (1_000 if args.quick else 10_000)
    with prepared(args, members, "coherence-") as run:
        on, off = asyncio.run(measure(run.url, args.rounds, args.per_block, args.seed))
        print(report(on, off, members, run.backend.name))


if __name__ == "__main__":
    main()

"""`./run python -m bench.coherence`: what keeping two processes' caches coherent costs.

Two `Database` + `Services` objects on one database stand for two processes, A and B. A records
posts (`/log`) through its services; B serves leaderboards from its warm walk cache. Each phase
runs in blocks that alternate coherence on and off (ABBA), so both sides see the same machine.
"Off" is the same code with the change versions switched off (`storage.repositories.versions`:
no bump in A's writes, no check in B's reads), which is what Daybook did before issue 15:

- write: A's record, as a ratio to the same records without coherence;
- warm board: B's board with nothing changed, as a ratio to the same board without coherence;
- board after a write: B's first board after each of A's records, beside B's warm board
  without coherence (which answers stale: the price of being right is one member re-walked);
- stale answers: B's boards right after A's commit that did not count A's post yet. With the
  versions this is 0 by construction (the check runs in the board's own snapshot).

The LISTEN/NOTIFY design measured with this bench's first version (commit 1337e02) is described
in docs/perf/coherence.md beside these figures.

Usage: `nice -n 10 ./run python -m bench.coherence --database-url
postgresql+asyncpg://.../postgres --members 10000` (`bench.backend`: where the server is built).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import storage.database
from bench.backend import add_arguments, machine, markdown_path, prepared
from bench.report import revision, say, write_json, write_markdown
from bench.server import Member, Post, active_members, posts
from bench.world import GUILD_ID, NOW
from bot.domain.leaderboard import Metric, Period
from bot.services import Services
from bot.services.walk_cache import WalkCache
from storage import Database, Stamp
from storage.repositories.versions import ChangeVersionRepository

DESIGN = "change versions checked in the board's own snapshot"


@contextlib.contextmanager
def coherence_off() -> Iterator[None]:
    """Run the block as Daybook did before: writes bump nothing, boards check nothing."""
    publish, publish_direct = ChangeVersionRepository.publish, storage.database.publish_direct
    since = ChangeVersionRepository.since

    async def no_publish(_self: ChangeVersionRepository, _changes: Any) -> None:
        return None

    async def held(_self: ChangeVersionRepository, _challenge_id: int, held: int | None) -> Stamp:
        return Stamp(held or 0, 0, frozenset())

    ChangeVersionRepository.publish = no_publish  # type: ignore[method-assign]
    ChangeVersionRepository.since = held  # type: ignore[method-assign]
    storage.database.publish_direct = lambda *_args: None
    try:
        yield
    finally:
        ChangeVersionRepository.publish = publish  # type: ignore[method-assign]
        ChangeVersionRepository.since = since  # type: ignore[method-assign]
        storage.database.publish_direct = publish_direct


@dataclass
class Side:
    """One side's figures: seconds per operation, and boards that missed A's post."""

    records: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    after_write: list[float] = field(default_factory=list)
    stale: int = 0


async def board(services: Services, viewer: int) -> int:
    """Build B's streak board; return how many it ranks."""
    found = await services.progress.leaderboard(
        guild_id=GUILD_ID, viewer_id=viewer, metric=Metric.STREAK, period=Period.ALL, now=NOW
    )
    return found.ranked


async def counted_today(services: Services, db: Database, participant_id: int) -> bool:
    """Whether B's cached tallies count the member's today (what its next board ranks by)."""
    async with db.read() as repos:
        challenge = (await repos.challenges.active_in_guild(GUILD_ID))[0]
        tallies = await services.progress.tallies_in(repos, challenge, NOW)
    return next(t for t in tallies if t.participant_id == participant_id).today_counted


async def block(
    a: Services,
    b: Services,
    b_db: Database,
    writers: list[Member],
    texts: list[Post],
    viewer: int,
    side: Side,
) -> None:
    """Run one block: per writer, A records, B boards after it, then B boards warm."""
    for member, post in zip(writers, texts, strict=True):
        started = time.perf_counter()
        recorded = await a.entries.record(
            guild_id=GUILD_ID, user_id=member.user_id, text=post.text, minutes=post.minutes, at=NOW
        )
        side.records.append(time.perf_counter() - started)
        if recorded.already_logged:
            raise RuntimeError("a repeat wrote nothing: each write must be a new post")
        started = time.perf_counter()
        await board(b, viewer)
        side.after_write.append(time.perf_counter() - started)
        started = time.perf_counter()
        await board(b, viewer)
        side.warm.append(time.perf_counter() - started)
        if not await counted_today(b, b_db, member.participant_id):
            side.stale += 1


async def measure(url: str, rounds: int, per_block: int, seed: int) -> tuple[Side, Side]:
    """Run the ABBA blocks on the working copy; return (coherent, not coherent)."""
    a_db, b_db = await Database.open(url), await Database.open(url)
    try:
        a, b = Services.build(a_db), Services.build(b_db)
        _, members = await active_members(a_db)
        per_block = min(per_block, len(members) // (4 * rounds))  # each write a new member
        rng = random.Random(seed)  # noqa: S311 - picks members, not secrets
        writers = rng.sample(members, 4 * rounds * per_block)
        texts = posts(rng, len(writers))
        viewer = members[0].user_id
        await board(b, viewer)  # B's cache warm
        on, off = Side(), Side()
        for index in range(2 * rounds):
            for coherent in (True, False)[:: -1 if index % 2 else 1]:
                first = (2 * index + coherent) * per_block
                who, what = writers[first : first + per_block], texts[first : first + per_block]
                say(f"block {index + 1}/{2 * rounds}, coherence {'on' if coherent else 'off'}")
                if coherent:
                    await block(a, b, b_db, who, what, viewer, on)
                else:
                    with coherence_off():
                        await block(a, b, b_db, who, what, viewer, off)
                    # B's cache missed the block's writes: start it again, untimed.
                    b.progress._walks = WalkCache()
                    await board(b, viewer)
    finally:
        await a_db.close()
        await b_db.close()
    return on, off


def ms(values: list[float]) -> float:
    """Return the median of seconds, in milliseconds."""
    return statistics.median(values) * 1000


def row(name: str, on: list[float], off: list[float]) -> str:
    """Return one table row: both medians and their ratio."""
    return f"| {name} | {ms(on):.2f} | {ms(off):.2f} | {ms(on) / ms(off):.2f} |"


def report(on: Side, off: Side, members: int, backend: str) -> str:
    """Return the figures as a Markdown table (ratios to no coherence, same run)."""
    writes = len(on.records)
    return "\n".join(
        [
            (
                f"Design: {DESIGN}; {backend}, {members:,} members, {writes} writes per side, "
                f"revision {revision()}, {machine()}."
            ),
            "",
            "| measure | coherent | not coherent | ratio |",
            "|---|---|---|---|",
            row("record (/log), median ms", on.records, off.records),
            row("warm board, nothing changed, median ms", on.warm, off.warm),
            row("B's board after A's write, median ms (off: stale)", on.after_write, off.warm),
            (
                f"| B's answers right after A's commit that missed it | {on.stale}/{writes} "
                f"| {off.stale}/{len(off.records)} | - |"
            ),
        ]
    )


def main() -> None:
    """Build or reuse the server, measure both sides, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--rounds", type=int, default=3, help="ABBA pairs of blocks")
    parser.add_argument("--per-block", type=int, default=30, help="writes per block")
    args = parser.parse_args()
    members = args.members or (1_000 if args.quick else 10_000)
    with prepared(args, members, "coherence-") as run:
        on, off = asyncio.run(measure(run.url, args.rounds, args.per_block, args.seed))
        text = report(on, off, members, run.backend.name)
        print(text)
        target = markdown_path(args, "coherence", run.backend)
        if target is not None:
            write_markdown(target, text + "\n")
        if args.json:
            write_json(
                args.json,
                {
                    "members": members,
                    "backend": run.backend.name,
                    "ratios": {
                        "record": ms(on.records) / ms(off.records),
                        "warm board": ms(on.warm) / ms(off.warm),
                        "board after a write": ms(on.after_write) / ms(off.warm),
                    },
                    "stale answers": {"coherent": on.stale, "not coherent": off.stale},
                },
            )


if __name__ == "__main__":
    main()

"""The synthetic server as a file: built once (in a child process), reused, copied per run.

Also the members a benchmark acts as, and the rows it writes for them.
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.posts import make_post, post_text
from bench.report import say
from bench.synthetic import BUILD_VERSION
from bench.world import GUILD_ID, NOW, TODAY
from bot.domain.models import EntrySource
from storage import Database
from storage.aio import AsyncConnection

ROOT = Path(__file__).resolve().parent.parent


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
    command = [sys.executable, "-m", "bench.synthetic", "--db", str(db)]
    command += ["--members", str(members), "--seed", str(seed)]
    # From the repository root, where `bench` is a package, wherever the benchmark was run from.
    output = subprocess.run(  # noqa: S603
        command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT
    ).stdout
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


@contextlib.asynccontextmanager
async def raw_writer(db: Database) -> AsyncIterator[AsyncConnection]:
    """Open Daybook's write transaction and hand out its connection (for raw statements)."""
    async with db.write() as repos:
        # The benchmark sits outside the layer rules: it borrows the transaction's connection.
        yield repos.entries._connection

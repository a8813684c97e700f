"""The members a benchmark acts as, and the rows it writes for them.

Where the server itself lives (built once, copied per run) is `bench.backend`.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from bench.posts import make_post, post_text
from bench.world import GUILD_ID, NOW, TODAY
from bot.domain.models import EntrySource
from storage import Database
from storage.aio import AsyncConnection

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

"""One process of a two-shard deployment, on simcord: it ticks and sends for its server only.

The bot runs shard 0 of 2 (a subset of the shards: PostgreSQL only, the settings refuse it on
SQLite). Two servers share the database, one on each shard; both are due a reminder and a
digest. The process posts server A's and leaves server B's to the process running shard 1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time

import pytest
import pytest_asyncio

from bot.client import DaybookBot
from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.models import ReminderMode
from bot.services.digests import DIGEST, digest_target
from bot.services.settings_input import ChallengeSettingsInput
from storage.shards import shard_of
from tests._postgres import POSTGRES_URL, empty_postgres

pytestmark = pytest.mark.postgres_only

SERVER_A = (1_000 << 22) | 7  # shard 0 of 2
SERVER_B = (1_001 << 22) | 7  # shard 1 of 2
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday
EVENING = datetime(2026, 3, 2, 20, 31, tzinfo=UTC)
MIDWEEK = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
DIGEST_MOMENT = datetime(2026, 3, 8, 18, 30, tzinfo=UTC)  # Sunday


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest_asyncio.fixture
async def settings() -> Settings:
    await empty_postgres(POSTGRES_URL)
    return Settings(database_url=POSTGRES_URL, shard_count=2, shard_ids=[0])


@pytest_asyncio.fixture
async def bot(simcord_env) -> AsyncIterator[DaybookBot]:
    await simcord_env.advance_time((START - simcord_env.now()).total_seconds())
    yield simcord_env.bot
    # simcord's shutdown does not close the bot: give its shards back for the next test's bot.
    if simcord_env.bot.shard_claims is not None:
        await simcord_env.bot.shard_claims.close()


def posts_to(env, channel_id: int) -> list:  # type: ignore[no-untyped-def]
    return [
        request
        for request in env.http_requests
        if request.method == "POST" and request.path == f"/channels/{channel_id}/messages"
    ]


async def test_a_process_posts_only_its_own_servers_reminders_and_digest(
    simcord_env, bot: DaybookBot, clock: FixedClock
) -> None:
    assert (shard_of(SERVER_A, 2), shard_of(SERVER_B, 2)) == (0, 1)
    channels: dict[int, int] = {}
    members: dict[int, int] = {}
    challenges = {}
    for guild_id in (SERVER_A, SERVER_B):
        guild = simcord_env.create_guild(f"Server {guild_id}", id=guild_id)
        channel = guild.create_text_channel("progress")
        member = guild.add_member(simcord_env.create_user(f"member-{guild_id}"))
        await simcord_env.settle()
        channels[guild_id] = channel.id
        members[guild_id] = member.id
        challenges[guild_id] = await bot.services.challenges.create(
            guild_id=guild_id,
            settings=ChallengeSettingsInput(
                name="Club",
                timezone="UTC",
                progress_channel_id=channel.id,
                digest_channel_id=channel.id,
                digest_day="Sunday",
                digest_time="18:30",
            ),
            now=START,
        )
        await bot.services.participants.join(
            guild_id=guild_id, user_id=member.id, timezone="UTC", now=START
        )
        await bot.services.reminders.set_reminder(
            guild_id=guild_id,
            user_id=member.id,
            challenge=None,
            reminder_time=time(20, 30),
            mode=ReminderMode.CHANNEL,
        )

    await simcord_env.advance_time((EVENING - simcord_env.now()).total_seconds())
    clock.set(EVENING)
    report = await bot.tick_reminders()
    await simcord_env.settle()

    assert report.sent == 1
    assert len(posts_to(simcord_env, channels[SERVER_A])) == 1
    assert posts_to(simcord_env, channels[SERVER_B]) == []

    for guild_id, user_id in members.items():  # a week with a post: a digest worth posting
        await bot.services.entries.record(
            guild_id=guild_id, user_id=user_id, text="an hour of work", minutes=60, at=MIDWEEK
        )
    await simcord_env.advance_time((DIGEST_MOMENT - simcord_env.now()).total_seconds())
    clock.set(DIGEST_MOMENT)
    posted = await bot.tick_digests()
    await simcord_env.settle()

    assert [digest.challenge.guild_id for digest in posted] == [SERVER_A]
    assert len(posts_to(simcord_env, channels[SERVER_A])) == 2
    assert posts_to(simcord_env, channels[SERVER_B]) == []
    async with bot.database.read() as repos:
        b_digest = await repos.sends.status(
            DIGEST, digest_target(challenges[SERVER_B].id), "2026-W10"
        )
    assert b_digest is None  # left to its own process, not skipped or claimed here

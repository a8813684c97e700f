"""A process does the scheduled work of its own servers only: those its shards serve.

Two servers on different shards of a two-shard deployment, each with a challenge whose member
is due a reminder, a nudge and a digest, with a checkpoint refresh to do, a delivery problem to
tell, an expired import preview and a role to take back. Services built with shard 0 do server
A's work and never server B's; with shard 1 the reverse; with every shard, both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain.delivery import Refusal
from bot.domain.models import Challenge, ReminderMode
from bot.services import Services
from bot.services.delivery import ChannelMessage
from bot.services.digests import DIGEST, Digest, digest_target
from bot.services.failures import SendRefusedError
from bot.services.progress import CHECKPOINT_KIND
from bot.services.reminders import NUDGE, REMINDER, DueMember
from bot.services.settings_input import ChallengeSettingsInput
from storage import Database, SendStatus
from storage.shards import Shards, shard_of
from tests.services.conftest import ADA, MAYA, ORGANIZER

COUNT = 2
SERVER_A = (1_000 << 22) | 7
"""A server id on shard 0 of 2: the shard is the bits above 22, modulo the count."""
SERVER_B = (1_001 << 22) | 7
"""A server id on shard 1 of 2."""
START = datetime(2026, 2, 26, 10, 0, tzinfo=UTC)  # Thursday
REMINDED = datetime(2026, 3, 2, 20, 31, tzinfo=UTC)  # Monday, past the 20:30 reminders
NUDGED = datetime(2026, 3, 3, 1, 1, tzinfo=UTC)  # 2 March ends at 04:00: nudges from 01:00
DIGESTED = datetime(2026, 3, 8, 18, 30, tzinfo=UTC)  # Sunday, the digests' moment
CHANNELS = {SERVER_A: 501, SERVER_B: 502}
MEMBERS = {SERVER_A: ADA, SERVER_B: MAYA}


@dataclass
class Transport:
    """Records the channel reminders sent, by channel."""

    posts: list[tuple[str, int, tuple[int, ...]]] = field(default_factory=list)

    def pack(
        self, challenge: Challenge, kind: str, members: Sequence[DueMember]
    ) -> list[tuple[DueMember, ...]]:
        return [tuple(members)]

    async def turn(self, challenge: Challenge, member: DueMember | None) -> None:
        await asyncio.sleep(0)

    async def to_channel(self, message: ChannelMessage) -> None:
        channel = message.challenge.progress_channel_id
        assert channel is not None
        self.posts.append((message.kind, channel, tuple(m.user_id for m in message.members)))

    async def to_member(self, challenge: Challenge, kind: str, member: DueMember) -> None:
        raise AssertionError("every member here is reminded in the channel")


def built(database: Database, *ids: int) -> Services:
    """Services of a process running these shards of the two."""
    return Services.build(database, shards=Shards.of(COUNT, ids))


@pytest.fixture
async def servers(services: Services) -> dict[int, Challenge]:
    """One challenge per server, its member with a streak of four at risk on 2 March."""
    assert shard_of(SERVER_A, COUNT) == 0
    assert shard_of(SERVER_B, COUNT) == 1
    clubs: dict[int, Challenge] = {}
    for guild, channel in CHANNELS.items():
        clubs[guild] = await services.challenges.create(
            guild_id=guild,
            settings=ChallengeSettingsInput(
                name="Club",
                preset="x-days-of-ml-code",
                timezone="UTC",
                progress_channel_id=channel,
                digest_channel_id=channel,
                digest_day="Sunday",
                digest_time="18:30",
                nudge_hours=3,
            ),
            now=START,
            organizer_id=ORGANIZER,
        )
        user = MEMBERS[guild]
        await services.participants.join(guild_id=guild, user_id=user, timezone="UTC", now=START)
        await services.reminders.set_reminder(
            guild_id=guild,
            user_id=user,
            challenge=None,
            reminder_time=time(20, 30),
            mode=ReminderMode.CHANNEL,
        )
        for day in range(4):  # 26 February to 1 March
            await services.entries.record(
                guild_id=guild, user_id=user, text="studied", at=START + timedelta(days=day)
            )
    return clubs


def guilds(batches) -> set[int]:  # type: ignore[no-untyped-def]
    return {batch.challenge.guild_id for batch in batches}


async def test_reminders_and_nudges_are_found_only_in_the_processs_servers(
    database: Database, services: Services, servers: dict[int, Challenge]
) -> None:
    first, second = built(database, 0), built(database, 1)

    assert guilds(await first.reminders.due(REMINDED)) == {SERVER_A}
    assert guilds(await second.reminders.due(REMINDED)) == {SERVER_B}
    assert guilds(await services.reminders.due(REMINDED)) == {SERVER_A, SERVER_B}
    nudges = [b for b in await first.reminders.due(NUDGED) if b.kind == NUDGE]
    assert guilds(nudges) == {SERVER_A}
    everyone = [b for b in await services.reminders.due(NUDGED) if b.kind == NUDGE]
    assert guilds(everyone) == {SERVER_A, SERVER_B}


async def test_each_process_sends_its_own_servers_reminders_once(
    database: Database, servers: dict[int, Challenge]
) -> None:
    first, second = built(database, 0), built(database, 1)
    sent_by_first, sent_by_second = Transport(), Transport()

    await first.delivery.run(REMINDED, sent_by_first)
    await first.delivery.run(REMINDED + timedelta(minutes=1), sent_by_first)
    await second.delivery.run(REMINDED, sent_by_second)

    assert sent_by_first.posts == [(REMINDER, CHANNELS[SERVER_A], (ADA,))]
    assert sent_by_second.posts == [(REMINDER, CHANNELS[SERVER_B], (MAYA,))]


async def test_each_process_posts_its_own_servers_digest(
    database: Database, servers: dict[int, Challenge]
) -> None:
    first, second = built(database, 0), built(database, 1)
    posted: list[tuple[str, int]] = []

    def poster(process: str):  # type: ignore[no-untyped-def]
        async def post(digest: Digest) -> None:
            posted.append((process, digest.challenge.guild_id))

        return post

    await first.digests.run_due(DIGESTED, poster("first"))
    assert posted == [("first", SERVER_A)]
    async with database.read() as repos:
        assert (
            await repos.sends.status(DIGEST, digest_target(servers[SERVER_B].id), "2026-W10")
            is None
        )
    await second.digests.run_due(DIGESTED, poster("second"))
    await first.digests.run_due(DIGESTED + timedelta(minutes=1), poster("first"))

    assert posted == [("first", SERVER_A), ("second", SERVER_B)]


async def test_every_shard_posts_both_digests(
    services: Services, servers: dict[int, Challenge]
) -> None:
    posted: list[int] = []

    async def post(digest: Digest) -> None:
        posted.append(digest.challenge.guild_id)

    await services.digests.run_due(DIGESTED, post)

    assert sorted(posted) == [SERVER_A, SERVER_B]


async def test_the_daily_checkpoint_refresh_is_the_owners(
    database: Database, services: Services, servers: dict[int, Challenge]
) -> None:
    first = built(database, 0)
    period = REMINDED.date().isoformat()

    async def refreshed(challenge: Challenge) -> SendStatus | None:
        async with database.read() as repos:
            return await repos.sends.status(CHECKPOINT_KIND, f"challenge:{challenge.id}", period)

    await first.progress.refresh_due_checkpoints(now=REMINDED)
    assert await refreshed(servers[SERVER_A]) is SendStatus.SENT
    assert await refreshed(servers[SERVER_B]) is None

    # Every shard: what is left (server B) is refreshed, and server A's not again.
    assert await services.progress.refresh_due_checkpoints(now=REMINDED) == 1
    assert await refreshed(servers[SERVER_B]) is SendStatus.SENT


async def test_the_owned_challenges_not_refreshed_today_are_one_read(
    database: Database, servers: dict[int, Challenge]
) -> None:
    period = REMINDED.date().isoformat()
    async with database.write() as repos:
        await repos.sends.claim(
            CHECKPOINT_KIND, f"challenge:{servers[SERVER_A].id}", period, REMINDED
        )
        await repos.sends.mark_sent(
            CHECKPOINT_KIND, f"challenge:{servers[SERVER_A].id}", period, REMINDED
        )
    async with database.read() as repos:
        every = await repos.challenges.active_unsettled(
            CHECKPOINT_KIND, "challenge:", period, Shards.every(COUNT)
        )
        second = await repos.challenges.active_unsettled(
            CHECKPOINT_KIND, "challenge:", period, Shards.of(COUNT, [1])
        )
        first = await repos.challenges.active_unsettled(
            CHECKPOINT_KIND, "challenge:", period, Shards.of(COUNT, [0])
        )
        tomorrow = await repos.challenges.active_unsettled(
            CHECKPOINT_KIND, "challenge:", "2026-03-03", Shards.of(COUNT, [0])
        )

    assert [c.guild_id for c in every] == [SERVER_B]  # A's refresh for the day is done
    assert [c.guild_id for c in second] == [SERVER_B]
    assert first == []
    assert [c.guild_id for c in tomorrow] == [SERVER_A]


async def test_delivery_problems_are_told_by_the_owner_only(
    database: Database, services: Services, servers: dict[int, Challenge]
) -> None:
    for guild, challenge in servers.items():
        refused = SendRefusedError(
            Refusal.MISSING_PERMISSIONS, "403 50013", channel_id=CHANNELS[guild]
        )
        assert await services.problems.record(challenge, refused, REMINDED)
    first, second = built(database, 0), built(database, 1)

    assert await first.problems.standing_channels() == {(servers[SERVER_A].id, CHANNELS[SERVER_A])}
    [told] = await first.problems.claim_untold(REMINDED)
    assert told.challenge.guild_id == SERVER_A
    assert await first.problems.claim_untold(REMINDED) == []
    [told] = await second.problems.claim_untold(REMINDED)
    assert told.challenge.guild_id == SERVER_B
    # A challenge's own problems are found whoever owns it (a /log in a DM, say).
    assert await first.problems.stands(servers[SERVER_B].id, CHANNELS[SERVER_B])


async def test_expired_previews_are_dropped_by_their_servers_process(
    database: Database, services: Services, servers: dict[int, Challenge]
) -> None:
    async with database.write() as repos:
        for guild, challenge in servers.items():
            member = await repos.participants.get(challenge.id, MEMBERS[guild])
            assert member is not None
            await repos.import_plans.add(
                token=f"plan-{guild}",
                guild_id=guild,
                challenge_id=challenge.id,
                participant_id=member.id,
                user_id=member.user_id,
                start_day=date(2026, 2, 1),
                initial_day=1,
                today=date(2026, 3, 2),
                days=[],
                created_at=REMINDED - timedelta(days=2),
                expires_at=REMINDED - timedelta(days=1),
            )

    assert await built(database, 1).logs.drop_expired(now=REMINDED) == 1
    async with database.read() as repos:
        assert await repos.import_plans.get(f"plan-{SERVER_A}") is not None
        assert await repos.import_plans.get(f"plan-{SERVER_B}") is None
    assert await services.logs.drop_expired(now=REMINDED) == 1


async def test_lost_roles_are_swept_in_the_processs_servers_only(
    database: Database, services: Services, servers: dict[int, Challenge]
) -> None:
    async with database.write() as repos:
        for guild, challenge in servers.items():
            member = await repos.participants.get(challenge.id, MEMBERS[guild])
            assert member is not None
            await repos.milestone_roles.add_grant(
                participant_id=member.id,
                guild_id=guild,
                user_id=member.user_id,
                role_id=9000 + guild % 10,
                round_=1,
                attempt=1,
                at=REMINDED,
            )
    for guild, user in MEMBERS.items():  # a member who left keeps no role
        await services.participants.leave(guild_id=guild, user_id=user, challenge=None, now=NUDGED)

    first = await built(database, 0).milestones.lost_grants(NUDGED)
    every = await services.milestones.lost_grants(NUDGED)

    assert [grant.guild_id for grant in first] == [SERVER_A]
    assert sorted(grant.guild_id for grant in every) == [SERVER_A, SERVER_B]

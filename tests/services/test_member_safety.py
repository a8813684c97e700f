"""Zones that stop loading, posts deleted before they are stored: contained, one member each."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from bot.clock import FixedClock
from bot.domain.models import EntrySource
from bot.errors import InvalidInputError, NotFoundError
from bot.services import Services
from bot.services.entries import PostDeletedError
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from storage import Database, tables
from tests.services.conftest import ADA, GUILD, RAJ, make_challenge

LINKED = "Trained a CNN https://github.com/ada/cnn"
MESSAGE = 1_400_000_000_000_000_001
CHANNEL = 555


async def lose_zone(services: Services, database: Database, user: int, zone: str) -> None:
    """Store a zone this tzdata no longer has, as if tzdata had dropped it since /join."""
    mine = await services.participants.mine(guild_id=GUILD, user_id=user, challenge=None)
    async with database.write() as repos:
        await repos.participants.set_timezone(mine.id, zone, datetime(2026, 3, 2, tzinfo=UTC))


@pytest.mark.parametrize("zone", ["right/Europe/London", "localtime", "Factory"])
async def test_a_challenge_zone_must_be_a_real_zone(
    services: Services, clock: FixedClock, zone: str
) -> None:
    with pytest.raises(InvalidInputError, match="is not a time zone I know"):
        await make_challenge(services, clock, timezone=zone)
    assert await services.challenges.active(GUILD) == []

    challenge = await make_challenge(services, clock, timezone="europe/london")
    assert challenge.timezone == "Europe/London"
    with pytest.raises(InvalidInputError, match="is not a time zone I know"):
        await services.challenges.preview_edit(
            guild_id=GUILD,
            challenge=None,
            settings=ChallengeSettingsInput(timezone=zone),
            rules=RulesInput(),
            now=clock(),
        )


async def test_a_member_whose_zone_was_lost_is_dated_in_the_challenges_zone(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock, timezone="Asia/Tokyo")
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")
    await services.participants.join(guild_id=GUILD, user_id=RAJ, now=clock(), timezone="UTC")
    await lose_zone(services, database, ADA, "US/Pacific-New")
    # 20:00 UTC on Monday: Tuesday 05:00 in Tokyo (past the 04:00 rollover), Monday in UTC.
    evening = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)

    ada = await services.entries.record(guild_id=GUILD, user_id=ADA, text=LINKED, at=evening)
    raj = await services.entries.record(guild_id=GUILD, user_id=RAJ, text=LINKED, at=evening)
    board = await services.progress.leaderboard(guild_id=GUILD, viewer_id=RAJ, now=evening)
    why = await services.progress.ledger(guild_id=GUILD, viewer_id=ADA, now=evening)

    assert ada.entry.local_day == date(2026, 3, 3)
    assert raj.entry.local_day == date(2026, 3, 2)
    assert {p.contender.user_id for p in board.leaders} == {ADA, RAJ}
    assert why.ledger.rows[-1].day == date(2026, 3, 3)


async def test_a_lost_zone_is_reported_once_per_zone(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")
    assert await services.participants.lost_zone(guild_id=GUILD, user_id=ADA) is None

    await lose_zone(services, database, ADA, "US/Pacific-New")
    lost = await services.participants.lost_zone(guild_id=GUILD, user_id=ADA)
    assert lost is not None
    assert lost.zone == "US/Pacific-New"
    told = []

    async def tell() -> None:
        told.append(lost.zone)

    await services.send_ledger.once(lost.notice, at=clock(), send=tell)
    await services.send_ledger.once(lost.notice, at=clock() + timedelta(hours=1), send=tell)
    assert told == ["US/Pacific-New"]

    await lose_zone(services, database, ADA, "posixrules")  # another zone: another notice
    again = await services.participants.lost_zone(guild_id=GUILD, user_id=ADA)
    assert again is not None
    assert again.notice != lost.notice

    await services.participants.set_timezone(
        guild_id=GUILD, user_id=ADA, timezone="Europe/Berlin", now=clock()
    )
    assert await services.participants.lost_zone(guild_id=GUILD, user_id=ADA) is None


async def test_reminders_skip_a_lost_zone_and_serve_everyone_else(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock, progress_channel_id=CHANNEL)
    for user in (ADA, RAJ):
        await services.participants.join(guild_id=GUILD, user_id=user, now=clock(), timezone="UTC")
        await services.reminders.set_reminder(
            guild_id=GUILD, user_id=user, challenge=None, reminder_time=time(20, 30), mode=None
        )
    await lose_zone(services, database, ADA, "US/Pacific-New")  # it does not load at all

    due = await services.reminders.due(datetime(2026, 3, 2, 20, 31, tzinfo=UTC))

    assert [member.user_id for batch in due for member in batch.members] == [RAJ]


async def test_a_deletion_that_arrives_first_drops_the_late_write(
    services: Services, clock: FixedClock, database: Database
) -> None:
    challenge = await make_challenge(services, clock)
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")

    assert await services.entries.delete_message(message_id=MESSAGE, at=clock()) is None
    with pytest.raises(PostDeletedError):
        await services.entries.record(
            guild_id=GUILD,
            user_id=ADA,
            text=LINKED,
            at=clock(),
            source=EntrySource.CHANNEL,
            message_id=MESSAGE,
            channel_id=CHANNEL,
        )

    async with database.read() as repos:
        assert await repos.entries.count_live(challenge.id) == 0
    # Another message is not affected.
    kept = await services.entries.record(
        guild_id=GUILD,
        user_id=ADA,
        text=LINKED,
        at=clock(),
        source=EntrySource.CHANNEL,
        message_id=MESSAGE + 1,
        channel_id=CHANNEL,
    )
    assert kept.counted


@pytest.mark.parametrize("zone", ["localtime", "Mars/Olympus"])
async def test_joining_never_inherits_a_challenge_zone_that_is_not_real(
    services: Services, clock: FixedClock, database: Database, zone: str
) -> None:
    # Stored before zones were checked: a host-only name, or one that loads nowhere.
    challenge = await make_challenge(services, clock, timezone="UTC")
    async with database.write() as repos:
        await repos.challenges._connection.execute(
            sa.update(tables.challenges)
            .where(tables.challenges.c.id == challenge.id)
            .values(timezone=zone)
        )

    with pytest.raises(InvalidInputError, match="Join with your own zone"):
        await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock())
    with pytest.raises(NotFoundError):
        await services.participants.mine(guild_id=GUILD, user_id=ADA, challenge=None)

    joined = await services.participants.join(
        guild_id=GUILD, user_id=ADA, now=clock(), timezone="Europe/Berlin"
    )
    assert joined.participant.timezone == "Europe/Berlin"

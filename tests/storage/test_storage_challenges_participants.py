from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain.models import ReminderMode
from bot.domain.rules import MissedDayPolicy, Rules
from storage import RecordNotFoundError, StoredStanding
from tests.storage.conftest import GUILD

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
D0 = date(2026, 3, 2)


async def test_challenge_round_trips_with_its_rules(database, seed):
    rules = Rules(
        target_days=None,
        min_minutes=15,
        missed_day_policy=MissedDayPolicy.RESET_STREAK,
        rest_weekdays=frozenset({5, 6}),
        freeze_every=7,
        freeze_max=2,
    )

    added = await seed.challenge(
        "Open ML",
        rules=rules,
        preset=None,
        hashtag=None,
        digest_weekday=4,
        digest_time=time(17, 30),
    )
    async with database.read() as repos:
        stored = await repos.challenges.get(added.id)

    assert stored == added
    assert stored.rules == rules
    assert stored.digest_time == time(17, 30)
    assert stored.digest_weekday == 4
    assert stored.created_at == T0
    assert stored.is_active


async def test_missing_challenge_is_none(database):
    async with database.read() as repos:
        assert await repos.challenges.get(12345) is None


async def test_active_challenges_by_guild_and_ending(database, seed):
    first = await seed.challenge("A")
    second = await seed.challenge("B")
    elsewhere = await seed.challenge("A", guild_id=7)

    async with database.write() as repos:
        await repos.challenges.end(first.id, T0 + timedelta(days=3))
        await repos.challenges.end(first.id, T0 + timedelta(days=9))  # keeps the first end
    async with database.read() as repos:
        in_guild = await repos.challenges.active_in_guild(first.guild_id)
        everywhere = await repos.challenges.all_active()
        ended = await repos.challenges.get(first.id)

    assert in_guild == [second]
    assert everywhere == [second, elsewhere]
    assert ended.ended_at == T0 + timedelta(days=3)


async def test_update_stores_every_setting(database, challenge):
    changed = dataclasses.replace(
        challenge,
        name="Renamed",
        rules=challenge.rules.with_changes(min_minutes=30),
        timezone="America/New_York",
        preset=None,
        hashtag="#Other",
        progress_channel_id=None,
        digest_channel_id=99,
        digest_weekday=6,
        digest_time=time(20, 15),
    )

    async with database.write() as repos:
        returned = await repos.challenges.update(changed)
    async with database.read() as repos:
        stored = await repos.challenges.get(challenge.id)

    assert returned == stored == changed


async def test_update_of_a_missing_challenge_raises(database, challenge):
    with pytest.raises(RecordNotFoundError):
        async with database.write() as repos:
            await repos.challenges.update(dataclasses.replace(challenge, id=999))


async def test_participant_round_trip_and_first_zone(database, seed, challenge):
    added = await seed.participant(challenge, user_id=42, timezone="Asia/Kolkata", initial_day=12)

    async with database.read() as repos:
        by_user = await repos.participants.get(challenge.id, 42)
        by_id = await repos.participants.by_id(added.id)
        history = await repos.participants.zone_history(added.id)

    assert by_user == by_id == added
    assert added.initial_day == 12
    assert added.start_day == D0
    assert added.reminder_mode is ReminderMode.OFF
    assert added.reminder_time is None
    assert not added.hidden
    assert added.joined_at == T0
    assert history == [(T0, "Asia/Kolkata")]


async def test_set_timezone_updates_current_and_appends_history(database, participant):
    moved = T0 + timedelta(days=10)

    async with database.write() as repos:
        await repos.participants.set_timezone(participant.id, "Europe/Lisbon", moved)
    async with database.read() as repos:
        current = await repos.participants.by_id(participant.id)
        history = await repos.participants.zone_history(participant.id)

    assert current.timezone == "Europe/Lisbon"
    assert history == [(T0, "Asia/Kolkata"), (moved, "Europe/Lisbon")]


async def test_settings_leave_and_rejoin(database, participant):
    async with database.write() as repos:
        await repos.participants.set_start(participant.id, D0 + timedelta(days=2), 5)
        await repos.participants.set_reminder(participant.id, time(21, 0), ReminderMode.DM)
        await repos.participants.set_hidden(GUILD, participant.user_id, True)
        await repos.participants.leave(participant.id, T0 + timedelta(days=4))
    async with database.read() as repos:
        left = await repos.participants.by_id(participant.id)
        active = await repos.participants.active(participant.challenge_id)
        still_found = await repos.participants.get(participant.challenge_id, participant.user_id)

    assert left.start_day == D0 + timedelta(days=2)
    assert left.initial_day == 5
    assert left.reminder_time == time(21, 0)
    assert left.reminder_mode is ReminderMode.DM
    assert left.hidden
    assert left.left_at == T0 + timedelta(days=4)
    assert not left.is_active
    assert active == []
    assert still_found == left

    async with database.write() as repos:
        await repos.participants.rejoin(participant.id, T0 + timedelta(days=5))
        await repos.participants.set_reminder(participant.id, None, ReminderMode.OFF)
    async with database.read() as repos:
        back = await repos.participants.by_id(participant.id)
        active = await repos.participants.active(participant.challenge_id)

    assert back.left_at is None
    assert back.joined_at == T0
    assert back.reminder_time is None
    assert active == [back]


async def test_set_start_drops_the_cached_standing(database, participant):
    async with database.write() as repos:
        await repos.standings.put_many([StoredStanding(participant.id, "f", D0, "{}")], T0)
        await repos.participants.set_start(participant.id, D0, 3)
        assert await repos.standings.get(participant.id) is None


async def test_active_and_challenges_of_user_are_ordered(database, seed):
    first = await seed.challenge("A")
    second = await seed.challenge("B")
    other_guild = await seed.challenge("C", guild_id=7)
    one = await seed.participant(first, user_id=5)
    two = await seed.participant(first, user_id=6)
    three = await seed.participant(second, user_id=5)
    await seed.participant(other_guild, user_id=5)

    async with database.read() as repos:
        active = await repos.participants.active(first.id)
        mine = await repos.participants.challenges_of_user(first.guild_id, 5)

    assert active == [one, two]
    assert mine == [one, three]

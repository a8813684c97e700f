"""A member's visibility outlives their participations; deleted posts leave tombstones."""

from __future__ import annotations

from datetime import timedelta

from tests.storage.conftest import GUILD, T0


async def test_hiding_holds_in_every_challenge_of_the_server_and_after_leaving(
    database, seed
) -> None:
    first = await seed.challenge("A")
    second = await seed.challenge("B")
    elsewhere = await seed.challenge("C", guild_id=7)
    mine = await seed.participant(first, user_id=5)
    also_mine = await seed.participant(second, user_id=5)
    other_server = await seed.participant(elsewhere, user_id=5)
    someone = await seed.participant(first, user_id=6)

    async with database.write() as repos:
        await repos.participants.set_hidden(GUILD, 5, True)
        await repos.participants.leave(mine.id, T0 + timedelta(days=1))
    async with database.read() as repos:
        left = await repos.participants.by_id(mine.id)
        still_in = await repos.participants.get(second.id, 5)
        contexts = await repos.challenges.active_with_member(GUILD, 5)
        abroad = await repos.participants.by_id(other_server.id)
        neighbour = await repos.participants.by_id(someone.id)
        hidden_in_first = await repos.participants.hidden_ids(first.id)

    assert left.hidden
    assert not left.is_active
    assert still_in.id == also_mine.id
    assert still_in.hidden
    assert [context.participant.hidden for context in contexts] == [True, True]
    assert not abroad.hidden  # another server: another setting
    assert not neighbour.hidden
    assert hidden_in_first == {mine.id}  # the member who left is still hidden

    async with database.write() as repos:
        await repos.participants.rejoin(mine.id, T0 + timedelta(days=2))
    async with database.read() as repos:
        back = await repos.participants.by_id(mine.id)
    assert back.hidden
    assert back.is_active

    async with database.write() as repos:
        await repos.participants.set_hidden(GUILD, 5, False)
    async with database.read() as repos:
        shown = await repos.participants.active(first.id)
        hidden_in_first = await repos.participants.hidden_ids(first.id)
    assert [participant.hidden for participant in shown] == [False, False]
    assert hidden_in_first == frozenset()


async def test_forgetting_a_user_forgets_their_settings(database, seed) -> None:
    challenge = await seed.challenge()
    await seed.participant(challenge, user_id=5)
    async with database.write() as repos:
        await repos.participants.set_hidden(GUILD, 5, True)
        await repos.participants.forget_user(5)

    back = await seed.participant(challenge, user_id=5)

    assert not back.hidden  # a forgotten user starts afresh


async def test_a_tombstone_is_found_for_a_day_and_cleared_by_a_later_deletion(database) -> None:
    async with database.write() as repos:
        await repos.tombstones.bury(111, T0)
        await repos.tombstones.bury(111, T0)  # the same deletion twice is one tombstone
    async with database.read() as repos:
        assert await repos.tombstones.buried(111)
        assert not await repos.tombstones.buried(222)

    async with database.write() as repos:
        await repos.tombstones.bury(222, T0 + timedelta(days=1, seconds=1))
    async with database.read() as repos:
        assert not await repos.tombstones.buried(111)  # older than a day: gone
        assert await repos.tombstones.buried(222)

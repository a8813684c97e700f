"""Change versions: each write bumps what it changed; a read sees them in its own snapshot."""

from __future__ import annotations

from datetime import timedelta

import pytest

import storage.repositories.versions as versions
from bot.domain.models import AdjustmentKind, Challenge, Participant
from storage import Database, Stamp
from tests.storage.conftest import D0, GUILD, T0, Seed


async def since(db: Database, challenge: Challenge, held: int | None) -> Stamp:
    async with db.read() as repos:
        return await repos.versions.since(challenge.id, held)


async def test_a_challenge_nobody_wrote_to_is_at_version_0(
    database: Database, challenge: Challenge
) -> None:
    # Creating the challenge is no change a cache could hold.
    assert await since(database, challenge, 0) == Stamp(0, 0, frozenset())


async def test_an_entry_bumps_its_challenge_and_logs_its_member(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    ada = await seed.participant(challenge)
    raj = await seed.participant(challenge)
    joined = (await since(database, challenge, None)).version  # joining reset the challenge
    await seed.entry(ada)
    await seed.entry(raj)
    assert await since(database, challenge, joined) == Stamp(
        joined + 2, joined, frozenset({ada.id, raj.id})
    )
    assert await since(database, challenge, joined + 1) == Stamp(
        joined + 2, joined, frozenset({raj.id})
    )
    assert await since(database, challenge, joined + 2) == Stamp(joined + 2, joined, frozenset())


async def test_a_members_change_resets_only_their_challenge(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    other = await seed.challenge("66 Days of Data")
    ada = await seed.participant(challenge)
    raj = await seed.participant(other)
    before = await since(database, other, None)
    async with database.write() as repos:
        await repos.participants.leave(ada.id, T0)
    stamp = await since(database, challenge, None)
    assert stamp.reset_at == stamp.version  # a cache at any older version starts again
    assert await since(database, other, None) == before
    assert raj.challenge_id == other.id


async def test_an_adjustment_is_logged_under_its_members_challenge(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    ada = await seed.participant(challenge)
    held = (await since(database, challenge, None)).version
    async with database.write() as repos:
        await repos.adjustments.add(
            participant_id=ada.id,
            day=D0,
            kind=AdjustmentKind.EXCUSE,
            reason="power cut",
            organizer_id=1,
            created_at=T0,
        )
    assert await since(database, challenge, held) == Stamp(held + 1, held, frozenset({ada.id}))


async def test_hiding_a_member_resets_each_of_their_challenges(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    other = await seed.challenge("66 Days of Data")
    ada = await seed.participant(challenge, user_id=7)
    await seed.participant(other, user_id=7)
    held = {c.id: (await since(database, c, None)).version for c in (challenge, other)}
    async with database.write() as repos:
        await repos.participants.set_hidden(GUILD, ada.user_id, True)
    for current in (challenge, other):
        stamp = await since(database, current, None)
        assert stamp.version == held[current.id] + 1
        assert stamp.reset_at == stamp.version


async def test_forgetting_a_user_resets_the_challenges_they_were_in(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    ada = await seed.participant(challenge)
    await seed.entry(ada)
    held = (await since(database, challenge, None)).version
    async with database.write() as repos:
        await repos.participants.forget_user(ada.user_id)
    stamp = await since(database, challenge, held)
    assert stamp.version == held + 1
    assert stamp.reset_at == held + 1


async def test_a_rolled_back_write_bumps_nothing(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    ada = await seed.participant(challenge)
    before = await since(database, challenge, None)

    async def change_of_mind() -> None:
        async with database.write() as repos:
            await Seed.add_entry(repos, ada)
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        await change_of_mind()
    assert await since(database, challenge, None) == before


async def test_the_log_is_pruned_and_a_cache_that_far_behind_starts_again(
    database: Database, seed: Seed, challenge: Challenge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(versions, "KEEP_VERSIONS", 4)
    monkeypatch.setattr(versions, "PRUNE_EVERY", 2)
    ada: Participant = await seed.participant(challenge)
    start = (await since(database, challenge, None)).version
    for day in range(8):
        await seed.entry(ada, D0 + timedelta(days=day))
    stamp = await since(database, challenge, start)
    last = start + 8
    assert stamp.version == last
    # The last pruning ran at the last even version past 4: rows up to 4 before it are gone.
    pruned_through = last - last % 2 - 4
    assert stamp.reset_at == max(start, pruned_through)
    assert stamp.participants == frozenset()  # held is older than the log: start again
    kept = await since(database, challenge, stamp.reset_at)
    assert kept.participants == frozenset({ada.id})


async def test_a_read_sees_the_version_of_its_own_snapshot(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    ada = await seed.participant(challenge)
    held = (await since(database, challenge, None)).version
    async with database.read() as repos:
        first = await repos.versions.since(challenge.id, held)
        await seed.entry(ada)  # committed while the read is open
        again = await repos.versions.since(challenge.id, held)
    assert first == again == Stamp(held, held, frozenset())
    assert (await since(database, challenge, held)).participants == {ada.id}

"""Milestone roles and the roles Daybook gave; migration 0008 (check-ins on for everyone)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import sqlalchemy as sa
from alembic import command

from bot.domain.milestones import Milestone
from storage import Database, current_revision, migrate
from storage.database import create_engine, normalise_url, prepare_sqlite_file
from storage.migrate import alembic_config, head_revision
from storage.tables import metadata
from tests.storage.conftest import T0, Seed
from tests.storage.test_storage_schema import diff_against


async def test_a_milestone_gives_one_role_which_can_be_replaced_and_cleared(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    async with database.write() as repos:
        await repos.milestone_roles.set_role(challenge.id, Milestone.DAY_7, 11, T0)
        await repos.milestone_roles.set_role(challenge.id, Milestone.DAY_7, 12, T0)
        await repos.milestone_roles.set_role(challenge.id, Milestone.FINISHED, 13, T0)
    async with database.read() as repos:
        assert await repos.milestone_roles.roles(challenge.id) == {
            Milestone.DAY_7: 12,
            Milestone.FINISHED: 13,
        }
    async with database.write() as repos:
        assert await repos.milestone_roles.clear_role(challenge.id, Milestone.DAY_7)
        assert not await repos.milestone_roles.clear_role(challenge.id, Milestone.DAY_7)
        assert await repos.milestone_roles.roles(challenge.id) == {Milestone.FINISHED: 13}


async def test_a_role_given_twice_is_held_once_and_goes_with_the_member(
    database: Database, seed: Seed
) -> None:
    club, other = await seed.challenge(), await seed.challenge("Data Club")
    ada = await seed.participant(club, user_id=7)
    ada_elsewhere = await seed.participant(other, user_id=7)
    async with database.write() as repos:
        for participant, round_ in ((ada, 1), (ada, 2), (ada_elsewhere, 1)):
            await repos.milestone_roles.add_grant(
                participant_id=participant.id,
                guild_id=club.guild_id,
                user_id=7,
                role_id=99,
                round_=round_,
                attempt=1,
                at=T0,
            )
    async with database.read() as repos:
        [held] = await repos.milestone_roles.grants_of_participant(ada.id)
        assert (held.round, held.role_id) == (2, 99)  # the later round's grant
        assert len(await repos.milestone_roles.grants_of_user(7)) == 2
    async with database.write() as repos:
        [kept] = await repos.milestone_roles.grants_of_participant(ada_elsewhere.id)
        # Asked before either grant is forgotten: only grants outside `excluding` hold it.
        assert await repos.milestone_roles.still_held(club.guild_id, 7, 99, excluding=[held.id])
        assert not await repos.milestone_roles.still_held(
            club.guild_id, 7, 99, excluding=[held.id, kept.id]
        )
        await repos.milestone_roles.drop_grants([held.id])
        # The other challenge still gives user 7 role 99: it must not be taken away.
        assert await repos.milestone_roles.still_held(club.guild_id, 7, 99)
        await repos.participants.forget_user(7)
        assert await repos.milestone_roles.grants_of_user(7) == []
        assert not await repos.milestone_roles.still_held(club.guild_id, 7, 99)


async def test_0008_turns_check_ins_on_for_existing_challenges_and_downgrades(
    database_url: str,
) -> None:
    config = alembic_config(database_url)
    prepare_sqlite_file(normalise_url(database_url))
    await asyncio.to_thread(command.upgrade, config, "0007")
    engine = create_engine(database_url, writer=True)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO challenges (id, guild_id, name, rules_json, timezone, "
                    "digest_weekday, digest_time, created_at) "
                    "VALUES (1, 5, 'Club', '{}', 'UTC', 0, '09:00', :at)"
                ),
                {"at": datetime(2026, 3, 2, 12)},  # noqa: DTZ001 (stored naive UTC)
            )
    finally:
        await engine.dispose()

    await migrate(database_url)

    assert await current_revision(database_url) == head_revision()
    assert await diff_against(database_url, metadata) == []
    db = await Database.open(database_url)
    try:
        async with db.read() as repos:
            challenge = await repos.challenges.get(1)
            assert challenge is not None
            assert challenge.announce_checkins
    finally:
        await db.close()

    await asyncio.to_thread(command.downgrade, config, "0007")
    assert await current_revision(database_url) == "0007"

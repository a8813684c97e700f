"""Delivery problems and the send ledger's backoff on a real database (and PostgreSQL in CI)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import command

from bot.domain.delivery import Refusal
from storage import Database, SendStatus, current_revision, migrate
from storage.database import create_engine, normalise_url, prepare_sqlite_file
from storage.migrate import alembic_config, head_revision
from storage.repositories.sends import STALE_CLAIM
from storage.tables import metadata
from tests.storage.conftest import T0, Seed
from tests.storage.test_storage_schema import diff_against


async def test_a_problem_is_recorded_once_told_once_and_cleared(database: Database) -> None:
    challenge = await Seed(database).challenge()
    async with database.write() as repos:
        first = await repos.problems.record(
            challenge_id=challenge.id,
            channel_id=77,
            refusal=Refusal.MISSING_PERMISSIONS,
            missing=("embed_links", "attach_files"),
            detail="403 50013",
            at=T0,
        )
        again = await repos.problems.record(
            challenge_id=challenge.id,
            channel_id=77,
            refusal=Refusal.UNKNOWN_CHANNEL,
            missing=(),
            detail="404 10003",
            at=T0 + timedelta(hours=1),
        )
    assert (first, again) == (True, False)
    async with database.write() as repos:
        [told] = await repos.problems.claim_untold(T0)
        assert await repos.problems.claim_untold(T0) == []
        assert not await repos.problems.any_untold()
    assert (told.refusal, told.missing, told.since, told.told_at) == (
        Refusal.MISSING_PERMISSIONS,
        ("embed_links", "attach_files"),
        T0,
        T0,
    )
    async with database.write() as repos:
        assert await repos.problems.clear(challenge.id, [78]) == 0
        assert await repos.problems.clear(challenge.id, [77]) == 1
        assert await repos.problems.of_challenge(challenge.id) == []


async def test_the_organizer_is_stored_on_the_challenge(database: Database) -> None:
    challenge = await Seed(database).challenge()
    async with database.write() as repos:
        assert await repos.problems.organizer(challenge.id) is None
        await repos.problems.set_organizer(challenge.id, 9_000_000_000_000_000_001)
        assert await repos.problems.organizer(challenge.id) == 9_000_000_000_000_000_001


async def test_a_failed_send_is_claimable_only_from_its_next_attempt(database: Database) -> None:
    retry_at = T0 + timedelta(seconds=45)
    async with database.write() as repos:
        assert await repos.sends.claim("digest", "challenge:1", "2026-W10", T0)
        await repos.sends.mark_failed(
            "digest", "challenge:1", "2026-W10", T0, "503", next_attempt_at=retry_at
        )
    async with database.write() as repos:
        early = await repos.sends.claim(
            "digest", "challenge:1", "2026-W10", retry_at - timedelta(seconds=1)
        )
        won = await repos.sends.claim("digest", "challenge:1", "2026-W10", retry_at)
        assert (early, won) == (False, True)
        assert await repos.sends.next_attempt("digest", "challenge:1", "2026-W10") is None
        assert await repos.sends.attempts("digest", "challenge:1", "2026-W10") == 2


async def test_claim_many_takes_over_stale_claims_only(database: Database) -> None:
    targets = ["participant:1", "participant:2"]
    async with database.write() as repos:
        assert await repos.sends.claim_many("reminder", targets, "2026-03-02", T0) == set(targets)
    async with database.write() as repos:
        late = T0 + STALE_CLAIM - timedelta(seconds=1)
        assert await repos.sends.claim_many("reminder", targets, "2026-03-02", late) == set()
        await repos.sends.mark_many(
            "reminder", ["participant:1"], "2026-03-02", late, SendStatus.SENT
        )
    async with database.write() as repos:
        stale = T0 + STALE_CLAIM
        assert await repos.sends.claim_many("reminder", targets, "2026-03-02", stale) == {
            "participant:2"
        }


async def test_claim_many_wins_exactly_the_unclaimed_targets_of_a_large_batch(
    database: Database,
) -> None:
    # More targets than one multi-row INSERT takes (SQLAlchemy splits at 1,000 rows, and fewer
    # on SQLite's bind limit), with earlier claims scattered through them: RETURNING after DO
    # NOTHING must name exactly the new ones, whatever batch each falls in.
    targets = [f"participant:{n}" for n in range(2500)]
    taken = targets[::7]
    async with database.write() as repos:
        assert await repos.sends.claim_many("reminder", taken, "2026-03-02", T0) == set(taken)
    async with database.write() as repos:
        won = await repos.sends.claim_many("reminder", targets, "2026-03-02", T0)
    assert won == set(targets) - set(taken)


async def test_0007_upgrades_a_used_database_and_downgrades_cleanly(database_url: str) -> None:
    config = alembic_config(database_url)
    prepare_sqlite_file(normalise_url(database_url))
    await asyncio.to_thread(command.upgrade, config, "0006")
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
            await connection.execute(
                sa.text(
                    "INSERT INTO send_ledger (kind, target, period, status, attempts, "
                    "created_at, updated_at) VALUES ('digest', 'challenge:1', '2026-W10', "
                    "'failed', 1, :at, :at)"
                ),
                {"at": datetime(2026, 3, 2, 12)},  # noqa: DTZ001
            )
    finally:
        await engine.dispose()

    await migrate(database_url)

    assert await current_revision(database_url) == head_revision()
    assert await diff_against(database_url, metadata) == []
    db = await Database.open(database_url)
    try:
        async with db.write() as repos:
            # The failed send kept from before is due at once (no next attempt recorded).
            assert await repos.sends.claim("digest", "challenge:1", "2026-W10", T0)
            assert await repos.problems.organizer(1) is None
    finally:
        await db.close()

    await asyncio.to_thread(command.downgrade, config, "0006")
    assert await current_revision(database_url) == "0006"

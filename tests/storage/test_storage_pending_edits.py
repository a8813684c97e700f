"""Pending edits: kept as given, deleted once, purged when old, gone with their challenge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from storage import PendingEdit, Resolution
from storage.tables import challenges, pending_edits

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ORGANIZER = 1_234_567_890_123_456_789


async def add(database, challenge, created_at=T0, **changes) -> PendingEdit:
    values = {
        "challenge_id": challenge.id,
        "organizer_id": ORGANIZER,
        "settings": {"name": "ML Club 2", "progress_channel_id": 1_300_000_000_000_000_123},
        "rules": {"missed_day_policy": "kallaway", "rest_weekdays": "Saturday,Sunday"},
        "created_at": created_at,
    }
    values.update(changes)
    async with database.write() as repos:
        return await repos.pending_edits.add(**values)


async def test_a_pending_edit_round_trips_exactly_as_given(database, challenge):
    added = await add(database, challenge)

    async with database.read() as repos:
        stored = await repos.pending_edits.get(added.id)

    assert stored == added
    assert stored.challenge_id == challenge.id
    assert stored.organizer_id == ORGANIZER
    assert stored.settings == {
        "name": "ML Club 2",
        "progress_channel_id": 1_300_000_000_000_000_123,
    }
    assert stored.rules == {"missed_day_policy": "kallaway", "rest_weekdays": "Saturday,Sunday"}
    assert stored.created_at == T0
    assert stored.created_at.tzinfo is UTC


async def test_an_empty_edit_round_trips_as_empty_dicts(database, challenge):
    added = await add(database, challenge, settings={}, rules={})

    async with database.read() as repos:
        stored = await repos.pending_edits.get(added.id)

    assert stored is not None
    assert (stored.settings, stored.rules) == ({}, {})


async def test_missing_pending_edit_is_none(database):
    async with database.read() as repos:
        assert await repos.pending_edits.get(987654) is None


async def test_delete_removes_once_and_reports_whether_it_did(database, challenge):
    added = await add(database, challenge)
    kept = await add(database, challenge)

    async with database.write() as repos:
        first = await repos.pending_edits.delete(added.id)
        second = await repos.pending_edits.delete(added.id)
    async with database.read() as repos:
        gone = await repos.pending_edits.get(added.id)
        other = await repos.pending_edits.get(kept.id)

    assert (first, second) == (True, False)
    assert gone is None
    assert other == kept


async def test_ids_are_never_handed_out_again_after_a_delete(database, challenge):
    # A button's custom_id carries the id: a new edit must never answer to an old button.
    first = await add(database, challenge)
    async with database.write() as repos:
        await repos.pending_edits.delete(first.id)

    second = await add(database, challenge)

    assert second.id > first.id


async def test_purging_deletes_only_edits_older_than_the_cutoff(database, challenge):
    old = await add(database, challenge, created_at=T0 - timedelta(hours=25))
    edge = await add(database, challenge, created_at=T0 - timedelta(hours=24))
    fresh = await add(database, challenge, created_at=T0)

    async with database.write() as repos:
        purged = await repos.pending_edits.delete_created_before(T0 - timedelta(hours=24))
    async with database.read() as repos:
        left = [await repos.pending_edits.get(edit.id) for edit in (old, edge, fresh)]

    assert purged == 1
    assert left == [None, edge, fresh]


async def test_pending_edits_go_with_their_challenge(database, challenge, seed):
    other = await seed.challenge("Other club")
    doomed = await add(database, challenge)
    kept = await add(database, other)

    async with database.write() as repos:
        connection = repos.pending_edits._connection
        await connection.execute(challenges.delete().where(challenges.c.id == challenge.id))
    async with database.read() as repos:
        connection = repos.pending_edits._connection
        remaining = (await connection.execute(sa.select(pending_edits.c.id))).scalars().all()

    assert remaining == [kept.id]
    assert doomed.id not in remaining


async def test_resolving_marks_once_and_keeps_the_edit(database, challenge):
    added = await add(database, challenge)

    async with database.write() as repos:
        first = await repos.pending_edits.resolve(added.id, Resolution.CONFIRMED)
        second = await repos.pending_edits.resolve(added.id, Resolution.CANCELLED)
        stored = await repos.pending_edits.get(added.id)

    assert (first, second) == (True, False)
    assert stored is not None
    assert stored.resolution is Resolution.CONFIRMED
    assert added.resolution is None


async def test_a_resolution_outside_the_two_is_refused_by_the_schema(database, challenge):
    added = await add(database, challenge)
    with pytest.raises(sa.exc.IntegrityError, match="ck_pending_edits_resolution"):
        async with database.write() as repos:
            await repos.pending_edits._connection.execute(
                pending_edits.update()
                .where(pending_edits.c.id == added.id)
                .values(resolution="maybe")
            )

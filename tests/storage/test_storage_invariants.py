"""The schema itself refuses bad data: raw SQL proves it is not Python doing the checking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.domain.models import AdjustmentKind

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
D0 = date(2026, 3, 2)

INSERT_ENTRY = sa.text(
    "INSERT INTO entries (participant_id, challenge_id, user_id, local_day, timezone, text,"
    " minutes, words, source, created_at)"
    " VALUES (:participant_id, :challenge_id, 1, '2026-03-02', 'UTC', :text, :minutes, 0,"
    " :source, '2026-03-02 12:00:00')"
)


async def raw_entry(database, participant, *, text="ok", minutes=None, source="command"):
    async with database.write() as repos:
        await repos.entries._connection.execute(
            INSERT_ENTRY,
            {
                "participant_id": participant.id,
                "challenge_id": participant.challenge_id,
                "text": text,
                "minutes": minutes,
                "source": source,
            },
        )


async def test_raw_insert_helper_accepts_a_valid_row(database, participant):
    await raw_entry(database, participant, text="x" * 4000, minutes=1440)

    async with database.read() as repos:
        assert await repos.entries.count_live(participant.challenge_id) == 1


async def test_text_over_4000_characters_is_refused_by_the_schema(database, participant):
    with pytest.raises(IntegrityError, match="ck_entries_text_length"):
        await raw_entry(database, participant, text="x" * 4001)


@pytest.mark.parametrize("minutes", [-1, 1441])
async def test_minutes_out_of_range_are_refused(database, participant, minutes):
    with pytest.raises(IntegrityError, match="ck_entries_minutes"):
        await raw_entry(database, participant, minutes=minutes)


async def test_unknown_source_is_refused(database, participant):
    with pytest.raises(IntegrityError, match="ck_entries_source"):
        await raw_entry(database, participant, source="webhook")


async def test_duplicate_participant_is_refused(seed, challenge, participant):
    with pytest.raises(IntegrityError):
        await seed.participant(challenge, user_id=participant.user_id)


async def test_duplicate_message_id_is_refused(seed, participant):
    await seed.entry(participant, message_id=5)
    with pytest.raises(IntegrityError):
        await seed.entry(participant, message_id=5)


async def test_initial_day_is_bounded(seed, challenge):
    with pytest.raises(IntegrityError, match="ck_participants_initial_day"):
        await seed.participant(challenge, initial_day=0)
    with pytest.raises(IntegrityError, match="ck_participants_initial_day"):
        await seed.participant(challenge, initial_day=1001)


async def test_entry_needs_an_existing_participant(database, participant):
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        async with database.write() as repos:
            await repos.entries._connection.execute(
                INSERT_ENTRY,
                {
                    "participant_id": participant.id + 1000,
                    "challenge_id": participant.challenge_id,
                    "text": "orphan",
                    "minutes": None,
                    "source": "command",
                },
            )


async def test_empty_adjustment_reason_is_refused(database, participant):
    with pytest.raises(IntegrityError, match="ck_adjustments_reason_length"):
        async with database.write() as repos:
            await repos.adjustments.add(
                participant_id=participant.id,
                day=D0,
                kind=AdjustmentKind.EXCUSE,
                reason="",
                organizer_id=1,
                created_at=T0,
            )


async def test_digest_weekday_is_a_weekday(seed):
    with pytest.raises(IntegrityError, match="ck_challenges_digest_weekday"):
        await seed.challenge(digest_weekday=7)


async def test_active_challenge_names_are_unique_per_guild_until_ended(database, seed):
    first = await seed.challenge("Spring sprint")
    await seed.challenge("Spring sprint", guild_id=2)  # another guild may reuse the name
    with pytest.raises(IntegrityError):
        await seed.challenge("Spring sprint")

    async with database.write() as repos:
        await repos.challenges.end(first.id, T0 + timedelta(days=100))
    again = await seed.challenge("Spring sprint")

    assert again.id != first.id
    assert again.is_active


async def test_deleting_a_challenge_cascades(database, seed, challenge, participant):
    await seed.entry(participant)
    async with database.write() as repos:
        await repos.adjustments.add(
            participant_id=participant.id,
            day=D0,
            kind=AdjustmentKind.COUNT,
            reason="lost post",
            organizer_id=1,
            created_at=T0,
        )
        await repos.participants.set_timezone(participant.id, "UTC", T0 + timedelta(days=1))

    async with database.write() as repos:
        await repos.challenges._connection.execute(
            sa.text("DELETE FROM challenges WHERE id = :id"), {"id": challenge.id}
        )
    async with database.read() as repos:
        connection = repos.challenges._connection
        counts = {
            table: (await connection.execute(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one()  # noqa: S608
            for table in ("participants", "participant_zones", "entries", "adjustments")
        }

    assert counts == dict.fromkeys(counts, 0)

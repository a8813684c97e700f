"""Import plans: kept whole, taken once, gone when expired or with their challenge or member."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.domain.models import Link, LinkKind
from storage.repositories import PlannedDay, Resolution, StoredImportPlan
from storage.tables import challenges, import_plans, participants

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LIFETIME = timedelta(hours=24)

DAYS = (
    PlannedDay(
        day=date(2026, 2, 26),
        text="Trained a first model — ünïcödé and emoji 🚀",
        minutes=90,
        tags=("#python", "#ml"),
        links=(
            Link("https://arxiv.org/abs/1706.03762", LinkKind.ARXIV),
            Link("https://example.com/notes", LinkKind.OTHER),
        ),
        day_number=1,
    ),
    PlannedDay(
        day=date(2026, 2, 27),
        text="Read a paper",
        minutes=None,
        tags=(),
        links=(),
        day_number=None,
    ),
)


async def add(database, participant, token="a1b2c3d4", created_at=T0, **changes):  # noqa: S107
    values = {
        "token": token,
        "guild_id": 1_000_000_000_000_000_001,
        "challenge_id": participant.challenge_id,
        "participant_id": participant.id,
        "user_id": participant.user_id,
        "start_day": date(2026, 2, 26),
        "initial_day": 1,
        "today": date(2026, 3, 2),
        "days": DAYS,
        "created_at": created_at,
        "expires_at": created_at + LIFETIME,
    }
    values.update(changes)
    async with database.write() as repos:
        return await repos.import_plans.add(**values)


async def tokens(database) -> list[str]:
    async with database.read() as repos:
        connection = repos.import_plans._connection
        rows = await connection.execute(sa.select(import_plans.c.token).order_by("token"))
        return list(rows.scalars())


async def test_a_plan_round_trips_exactly_as_given(database, participant):
    added = await add(database, participant)

    async with database.read() as repos:
        stored = await repos.import_plans.get(added.token)

    assert stored == added
    assert isinstance(stored, StoredImportPlan)
    assert stored.days == DAYS
    assert stored.user_id == participant.user_id
    assert (stored.participant_id, stored.challenge_id) == (
        participant.id,
        participant.challenge_id,
    )
    assert (stored.start_day, stored.initial_day, stored.today) == (
        date(2026, 2, 26),
        1,
        date(2026, 3, 2),
    )
    assert (stored.created_at, stored.expires_at) == (T0, T0 + LIFETIME)
    assert stored.created_at.tzinfo is UTC
    assert stored.expires_at.tzinfo is UTC


async def test_a_five_thousand_day_plan_round_trips(database, participant):
    # The largest import allowed, with texts as long as a 2 MB log could make them.
    first = date(2012, 1, 1)
    days = tuple(
        PlannedDay(
            day=first + timedelta(days=n),
            text=f"Day {n + 1}: " + "worked on the parser " * 20,
            minutes=n % 1441,
            tags=(f"#tag{n % 7}",),
            links=(Link(f"https://github.com/ada/repo/commit/{n}", LinkKind.GITHUB),),
            day_number=n + 1,
        )
        for n in range(5000)
    )
    added = await add(database, participant, days=days)

    async with database.read() as repos:
        stored = await repos.import_plans.get(added.token)

    assert stored is not None
    assert stored.days == days


async def test_a_missing_plan_is_none(database):
    async with database.read() as repos:
        assert await repos.import_plans.get("0123456789abcdef") is None


async def test_delete_removes_once_and_reports_whether_it_did(database, participant):
    taken = await add(database, participant, token="aaaa")
    kept = await add(database, participant, token="bbbb")

    async with database.write() as repos:
        first = await repos.import_plans.delete(taken.token)
        second = await repos.import_plans.delete(taken.token)
    async with database.read() as repos:
        gone = await repos.import_plans.get(taken.token)
        other = await repos.import_plans.get(kept.token)

    assert (first, second) == (True, False)
    assert gone is None
    assert other == kept


async def test_expired_plans_are_deleted_and_live_ones_kept(database, participant):
    await add(database, participant, token="old", created_at=T0 - timedelta(hours=25))
    await add(database, participant, token="edge", created_at=T0 - LIFETIME)
    await add(database, participant, token="fresh", created_at=T0 - timedelta(hours=23, minutes=59))

    async with database.write() as repos:
        deleted = await repos.import_plans.delete_expired(T0)

    # At its expiry a plan can no longer be confirmed: "edge" goes too.
    assert deleted == 2
    assert await tokens(database) == ["fresh"]


async def test_two_plans_cannot_share_a_token(database, participant):
    await add(database, participant, token="same")

    with pytest.raises(
        IntegrityError, match=r"uq_import_plans_token|UNIQUE constraint failed: import_plans\.token"
    ):
        await add(database, participant, token="same")


async def test_a_plan_must_expire_after_it_was_made(database, participant):
    with pytest.raises(IntegrityError, match="ck_import_plans_expires_after_created"):
        await add(database, participant, expires_at=T0)


async def test_a_plan_goes_with_its_challenge(database, seed, participant):
    other = await seed.participant(await seed.challenge("Other club"))
    await add(database, participant, token="doomed")
    await add(database, other, token="kept")

    async with database.write() as repos:
        await repos.import_plans._connection.execute(
            challenges.delete().where(challenges.c.id == participant.challenge_id)
        )

    assert await tokens(database) == ["kept"]


async def test_a_plan_goes_with_its_member(database, seed, challenge, participant):
    other = await seed.participant(challenge)
    await add(database, participant, token="doomed")
    await add(database, other, token="kept")

    async with database.write() as repos:
        await repos.import_plans._connection.execute(
            participants.delete().where(participants.c.id == participant.id)
        )

    assert await tokens(database) == ["kept"]


async def test_resolving_marks_once_drops_the_days_and_keeps_the_plan(database, participant):
    await add(database, participant)

    async with database.write() as repos:
        first = await repos.import_plans.resolve("a1b2c3d4", Resolution.CANCELLED)
        second = await repos.import_plans.resolve("a1b2c3d4", Resolution.CONFIRMED)
        stored = await repos.import_plans.get("a1b2c3d4")

    assert (first, second) == (True, False)
    assert stored is not None
    assert stored.resolution is Resolution.CANCELLED
    assert stored.days == ()
    assert await tokens(database) == ["a1b2c3d4"]

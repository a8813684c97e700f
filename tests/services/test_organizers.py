"""Organizers' confirmations: pending edits applied once, by their organizer, within a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.engine import DayStatus
from bot.domain.models import AdjustmentKind
from bot.domain.rules import MissedDayPolicy
from bot.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from bot.services import Services
from bot.services.organizers import EDIT_LIFETIME, EditExpiredError
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from bot.wording.ledger import reason_text
from storage import Database, Resolution
from tests.services.conftest import ADA, GUILD, ORGANIZER, RAJ, make_challenge


async def propose(services: Services, clock: FixedClock, **rules):
    return await services.organizers.propose_edit(
        guild_id=GUILD,
        organizer_id=ORGANIZER,
        challenge=None,
        settings=ChallengeSettingsInput(),
        rules=RulesInput(**(rules or {"min_minutes": 30})),
        now=clock(),
    )


async def pending_row(database: Database, pending_id: int):
    async with database.read() as repos:
        return await repos.pending_edits.get(pending_id)


async def test_a_proposal_is_stored_as_given_and_changes_nothing_yet(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    proposed = await propose(services, clock, rest_weekdays="Sat,Sun")

    assert proposed.expires_at == clock() + EDIT_LIFETIME
    assert proposed.preview.after.rules.rest_weekdays == frozenset({5, 6})
    row = await pending_row(database, proposed.id)
    assert row is not None
    assert (row.organizer_id, row.settings, row.rules) == (
        ORGANIZER,
        {},
        {"rest_weekdays": "Sat,Sun"},
    )
    current = await services.challenges.get(guild_id=GUILD, challenge=None)
    assert current.rules.rest_weekdays == frozenset()


async def test_confirming_applies_once_and_a_second_click_is_told_so(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    proposed = await propose(services, clock)

    applied = await services.organizers.confirm_edit(
        guild_id=GUILD, pending_id=proposed.id, organizer_id=ORGANIZER, now=clock()
    )

    assert (applied.before.rules.min_minutes, applied.after.rules.min_minutes) == (60, 30)
    row = await pending_row(database, proposed.id)
    assert row is not None
    assert row.resolution is Resolution.CONFIRMED
    with pytest.raises(ConflictError, match="That change was already applied"):
        await services.organizers.confirm_edit(
            guild_id=GUILD, pending_id=proposed.id, organizer_id=ORGANIZER, now=clock()
        )
    with pytest.raises(ConflictError, match="That change was already applied"):
        await services.organizers.cancel_edit(pending_id=proposed.id, organizer_id=ORGANIZER)
    current = await services.challenges.get(guild_id=GUILD, challenge=None)
    assert current.rules.min_minutes == 30


async def test_a_cancelled_proposal_says_so_and_cannot_be_confirmed(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    proposed = await propose(services, clock)

    await services.organizers.cancel_edit(pending_id=proposed.id, organizer_id=ORGANIZER)

    for again in (
        services.organizers.confirm_edit(
            guild_id=GUILD, pending_id=proposed.id, organizer_id=ORGANIZER, now=clock()
        ),
        services.organizers.cancel_edit(pending_id=proposed.id, organizer_id=ORGANIZER),
    ):
        with pytest.raises(ConflictError, match="already cancelled: nothing was changed"):
            await again
    current = await services.challenges.get(guild_id=GUILD, challenge=None)
    assert current.rules.min_minutes == 60


async def test_a_forged_pending_id_over_64_bits_is_not_found(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock)
    with pytest.raises(NotFoundError, match="no longer kept"):
        await services.organizers.confirm_edit(
            guild_id=GUILD, pending_id=2**64 + 1, organizer_id=ORGANIZER, now=clock()
        )


async def test_only_its_organizer_can_confirm_or_cancel(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    proposed = await propose(services, clock)

    with pytest.raises(NotAllowedError):
        await services.organizers.confirm_edit(
            guild_id=GUILD, pending_id=proposed.id, organizer_id=RAJ, now=clock()
        )
    with pytest.raises(NotAllowedError):
        await services.organizers.cancel_edit(pending_id=proposed.id, organizer_id=RAJ)

    assert await pending_row(database, proposed.id) is not None


async def test_a_proposal_in_another_server_cannot_be_confirmed_here(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    proposed = await propose(services, clock)

    with pytest.raises(InvalidInputError, match="ended or no longer exists"):
        await services.organizers.confirm_edit(
            guild_id=GUILD + 1, pending_id=proposed.id, organizer_id=ORGANIZER, now=clock()
        )
    assert await pending_row(database, proposed.id) is not None


async def test_an_expired_proposal_is_refused_and_deleted(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    proposed = await propose(services, clock)
    exactly_a_day = await propose(services, clock, min_minutes=45)

    applied = await services.organizers.confirm_edit(
        guild_id=GUILD,
        pending_id=exactly_a_day.id,
        organizer_id=ORGANIZER,
        now=clock() + EDIT_LIFETIME,
    )
    assert applied.after.rules.min_minutes == 45
    with pytest.raises(EditExpiredError, match="more than 24 hours old"):
        await services.organizers.confirm_edit(
            guild_id=GUILD,
            pending_id=proposed.id,
            organizer_id=ORGANIZER,
            now=clock() + EDIT_LIFETIME + timedelta(seconds=1),
        )

    assert await pending_row(database, proposed.id) is None
    current = await services.challenges.get(guild_id=GUILD, challenge=None)
    assert current.rules.min_minutes == 45


async def test_a_new_proposal_sweeps_away_expired_ones(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    old = await propose(services, clock)
    clock.advance(EDIT_LIFETIME + timedelta(minutes=1))

    fresh = await propose(services, clock)

    assert await pending_row(database, old.id) is None
    assert await pending_row(database, fresh.id) is not None


async def test_an_edit_that_changes_nothing_is_refused(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock)
    with pytest.raises(InvalidInputError, match="leaves ML Club as it is"):
        await services.organizers.propose_edit(
            guild_id=GUILD,
            organizer_id=ORGANIZER,
            challenge=None,
            settings=ChallengeSettingsInput(name="ML Club"),
            rules=RulesInput(min_minutes=60),
            now=clock(),
        )


async def test_ending_by_id_checks_the_server_and_ends_once(
    services: Services, clock: FixedClock
) -> None:
    challenge = await make_challenge(services, clock)
    with pytest.raises(NotFoundError):
        await services.organizers.end(guild_id=GUILD + 1, challenge_id=challenge.id, now=clock())

    ended = await services.organizers.end(guild_id=GUILD, challenge_id=challenge.id, now=clock())

    assert ended.ended_at == clock()
    with pytest.raises(InvalidInputError, match="has already ended"):
        await services.organizers.end(guild_id=GUILD, challenge_id=challenge.id, now=clock())


async def test_info_counts_members_still_taking_part(services: Services, clock: FixedClock) -> None:
    await make_challenge(services, clock)
    for user in (ADA, RAJ):
        await services.participants.join(guild_id=GUILD, user_id=user, now=clock())
    await services.participants.leave(guild_id=GUILD, user_id=RAJ, challenge=None, now=clock())

    info = await services.organizers.info(guild_id=GUILD, challenge=None)

    assert info.members == 1


async def test_adjusting_a_day_of_an_earlier_attempt_shows_that_day(
    services: Services, clock: FixedClock
) -> None:
    # 100-days-of-code: two misses in a row end an attempt, so 2 March is in attempt 1.
    await make_challenge(services, clock, preset="100-days-of-code", timezone="UTC")
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")
    for day in (date(2026, 3, 2), date(2026, 3, 5)):
        await services.entries.record(
            guild_id=GUILD,
            user_id=ADA,
            text="work https://github.com/a/b",
            minutes=30,
            at=datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC),
        )
    now = datetime(2026, 3, 5, 21, 0, tzinfo=UTC)

    adjusted = await services.organizers.adjust(
        guild_id=GUILD,
        organizer_id=ORGANIZER,
        member_id=ADA,
        day=date(2026, 3, 2),
        kind=AdjustmentKind.COUNT,
        reason="minutes were lost",
        challenge=None,
        now=now,
    )

    assert adjusted.user_id == ADA
    assert adjusted.row.day == date(2026, 3, 2)
    assert adjusted.row.status is DayStatus.COUNTED
    assert "minutes were lost" in reason_text(adjusted.row.reason)
    assert adjusted.challenge.rules.missed_day_policy is MissedDayPolicy.KALLAWAY
    assert adjusted.summary.attempt == 2

"""Organizers' services: create, edit with a preview, end, adjust a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.models import AdjustmentKind
from bot.domain.rules import PRESETS, MissedDayPolicy
from bot.errors import ConflictError, InvalidInputError, NotFoundError
from bot.services import Services
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from bot.wording.ledger import reason_text
from storage import Database
from tests.services.conftest import ADA, GUILD, ORGANIZER, RAJ, make_challenge


async def log_days(services: Services, user: int, days: list[date], minutes: int = 60) -> None:
    for day in days:
        await services.entries.record(
            guild_id=GUILD,
            user_id=user,
            text="work https://github.com/a/b",
            minutes=minutes,
            at=datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC),
        )


async def test_create_from_a_preset_stores_its_rules_and_schedule(
    services: Services, clock: FixedClock, database: Database
) -> None:
    challenge = await services.challenges.create(
        guild_id=GUILD,
        settings=ChallengeSettingsInput(
            name="  Data   Club ",
            preset="66-days-of-data",
            timezone="asia/kolkata",
            digest_day="friday",
            digest_time="18:30",
            hashtag="66DaysOfData",
        ),
        now=clock(),
    )
    async with database.read() as repos:
        stored = await repos.challenges.get(challenge.id)
    assert stored is not None
    assert stored.name == "Data Club"
    assert stored.rules == PRESETS["66-days-of-data"]
    assert stored.timezone == "Asia/Kolkata"
    assert (stored.digest_weekday, stored.digest_time) == (4, time(18, 30))
    assert stored.hashtag == "#66DaysOfData"


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"name": "X", "preset": "200-days"}, "preset must be one of"),
        ({"name": "X", "timezone": "Mars/Olympus"}, "not a time zone I know"),
        ({"name": "X", "digest_day": "Caturday"}, "not a weekday"),
        ({"name": "X", "digest_time": "25:99"}, "HH:MM"),
        ({"name": "x" * 101}, "1 to 100 characters"),
        ({"name": "   "}, "1 to 100 characters"),
    ],
)
async def test_create_refuses_bad_settings_and_stores_nothing(
    services: Services, clock: FixedClock, settings, fragment
) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        await services.challenges.create(
            guild_id=GUILD, settings=ChallengeSettingsInput(**settings), now=clock()
        )
    assert await services.challenges.active(GUILD) == []


async def test_two_running_challenges_cannot_share_a_name(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock)
    with pytest.raises(ConflictError, match="already runs a challenge called"):
        await make_challenge(services, clock)
    await services.challenges.end(guild_id=GUILD, challenge=None, now=clock())
    again = await make_challenge(services, clock)
    assert again.is_active


async def test_rule_change_preview_shows_who_would_move_and_changes_nothing(
    services: Services, clock: FixedClock, database: Database
) -> None:
    challenge = await make_challenge(services, clock, preset="100-days-of-ml-code")
    start = date(2026, 3, 2)
    for user in (ADA, RAJ):
        await services.participants.join(guild_id=GUILD, user_id=user, now=clock(), timezone="UTC")
    # Ada misses two days in a row (03-04, 03-05); Raj never misses.
    await log_days(services, ADA, [start, start + timedelta(days=1), start + timedelta(days=4)])
    await log_days(services, RAJ, [start + timedelta(days=n) for n in range(5)])
    now = datetime(2026, 3, 6, 21, 0, tzinfo=UTC)
    preview = await services.challenges.preview_edit(
        guild_id=GUILD,
        challenge=None,
        settings=ChallengeSettingsInput(),
        rules=RulesInput(missed_day_policy="kallaway"),
        now=now,
    )
    assert preview.rules_changed
    assert preview.members == 2
    assert [change.user_id for change in preview.changes] == [ADA]
    (ada,) = preview.changes
    # Under pause Ada is on Day 3 of attempt 1; under kallaway the double miss ended attempt 1.
    assert (ada.before.day_number, ada.before.attempt) == (3, 1)
    assert (ada.after.day_number, ada.after.attempt) == (1, 2)
    async with database.read() as repos:
        unchanged = await repos.challenges.get(challenge.id)
    assert unchanged is not None
    assert unchanged.rules.missed_day_policy is MissedDayPolicy.PAUSE


async def test_applying_an_edit_changes_the_rules_and_everyones_standing(
    services: Services, clock: FixedClock
) -> None:
    challenge = await make_challenge(services, clock, preset="100-days-of-ml-code")
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")
    await log_days(services, ADA, [date(2026, 3, 2)], minutes=30)
    before = await services.progress.summary(guild_id=GUILD, viewer_id=ADA, now=clock())
    assert before.summary.day_number == 0
    edited = await services.challenges.apply_edit(
        guild_id=GUILD,
        challenge_id=challenge.id,
        settings=ChallengeSettingsInput(name="ML Club 2"),
        rules=RulesInput(min_minutes=30, rest_weekdays="Sunday"),
    )
    assert edited.name == "ML Club 2"
    assert edited.rules.min_minutes == 30
    assert edited.rules.rest_weekdays == frozenset({6})
    assert edited.preset == "custom"
    after = await services.progress.summary(guild_id=GUILD, viewer_id=ADA, now=clock())
    assert after.summary.day_number == 1


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        ({"min_minutes": 5000}, "min minutes"),
        ({"missed_day_policy": "forgive"}, "missed day policy"),
        (
            {"rest_weekdays": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday"},
            "working day",
        ),
        ({"rollover_hour": 13}, "rollover hour"),
    ],
)
async def test_edit_refuses_impossible_rules(
    services: Services, clock: FixedClock, rules, fragment
) -> None:
    await make_challenge(services, clock)
    with pytest.raises(InvalidInputError, match=fragment):
        await services.challenges.preview_edit(
            guild_id=GUILD,
            challenge=None,
            settings=ChallengeSettingsInput(),
            rules=RulesInput(**rules),
            now=clock(),
        )


async def test_adjustment_counts_a_day_and_the_ledger_keeps_the_reason(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock)
    await services.participants.join(
        guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC", start=date(2026, 3, 1)
    )
    await services.challenges.adjust(
        guild_id=GUILD,
        organizer_id=ORGANIZER,
        member_id=ADA,
        day=date(2026, 3, 1),
        kind=AdjustmentKind.COUNT,
        reason="Discord was down",
        challenge=None,
        now=clock(),
    )
    ledger = await services.progress.ledger(guild_id=GUILD, viewer_id=ADA, now=clock())
    first = ledger.ledger.rows[0]
    assert first.day == date(2026, 3, 1)
    assert first.counted
    assert "Discord was down" in reason_text(first.reason)
    assert ledger.ledger.summary.day_number == 1


@pytest.mark.parametrize(
    ("day", "reason", "error", "fragment"),
    [
        (date(2026, 3, 1), "  ", InvalidInputError, "needs a reason"),
        (date(2026, 3, 5), "x", InvalidInputError, "has not started yet"),
        (date(2026, 2, 1), "x", InvalidInputError, "before that member's start"),
    ],
)
async def test_bad_adjustments_are_refused(
    services: Services, clock: FixedClock, day, reason, error, fragment
) -> None:
    await make_challenge(services, clock)
    await services.participants.join(
        guild_id=GUILD, user_id=ADA, now=clock(), start=date(2026, 3, 1)
    )
    with pytest.raises(error, match=fragment):
        await services.challenges.adjust(
            guild_id=GUILD,
            organizer_id=ORGANIZER,
            member_id=ADA,
            day=day,
            kind=AdjustmentKind.EXCUSE,
            reason=reason,
            challenge=None,
            now=clock(),
        )


async def test_adjusting_someone_not_in_the_challenge_is_refused(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock)
    with pytest.raises(NotFoundError, match="not taking part"):
        await services.challenges.adjust(
            guild_id=GUILD,
            organizer_id=ORGANIZER,
            member_id=RAJ,
            day=date(2026, 3, 2),
            kind=AdjustmentKind.COUNT,
            reason="x",
            challenge=None,
            now=clock(),
        )


async def test_ended_challenge_takes_no_entries(services: Services, clock: FixedClock) -> None:
    await make_challenge(services, clock)
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock())
    await services.challenges.end(guild_id=GUILD, challenge=None, now=clock())
    with pytest.raises(NotFoundError, match="no challenge running"):
        await services.entries.record(guild_id=GUILD, user_id=ADA, text="hi", at=clock())


def test_typed_inputs_keep_only_what_was_given_and_come_back_from_it() -> None:
    settings = ChallengeSettingsInput(name="ML Club", nudge_hours=0)
    rules = RulesInput(min_minutes=30, require_link=False, rest_weekdays="none")
    assert settings.given() == {"name": "ML Club", "nudge_hours": 0}
    assert rules.given() == {"min_minutes": 30, "require_link": False, "rest_weekdays": "none"}
    assert ChallengeSettingsInput.from_given(settings.given()) == settings
    assert RulesInput.from_given(rules.given()) == rules

"""The reminder decision reads each due member's day totals with them: the day facts' own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from bot.domain.models import AdjustmentKind, EntrySource, Link, LinkKind, ReminderMode
from storage import Database, ReminderSetting
from tests.storage.conftest import D0, T0, Seed

REMINDER_AT = time(20, 0)
NOW = datetime.combine(D0, time(23, 0), UTC)


async def test_due_members_carry_their_days_totals_and_the_adjustment_in_force(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    quiet, mixed, adjusted, yesterday_only = [await seed.participant(challenge) for _ in range(4)]
    # Mixed: stated and unstated minutes, a link, an imported post, and a deleted post that
    # must not count; plus a post on another day.
    await seed.entry(mixed, minutes=20, words=3)
    await seed.entry(
        mixed,
        minutes=None,
        words=4,
        links=(Link("https://github.com/a/b", LinkKind.GITHUB),),
        source=EntrySource.IMPORT,
    )
    gone = await seed.entry(mixed, minutes=500, words=100)
    await seed.entry(mixed, D0 - timedelta(days=1), minutes=90)
    await seed.entry(yesterday_only, D0 - timedelta(days=1))
    async with database.write() as repos:
        await repos.entries.soft_delete(gone.id, T0)
        for kind, minutes in ((AdjustmentKind.COUNT, 1), (AdjustmentKind.DISCOUNT, 2)):
            # Two rulings of the day: the later one is in force.
            await repos.adjustments.add(
                participant_id=adjusted.id,
                day=D0,
                kind=kind,
                reason=f"ruling {minutes}",
                organizer_id=9,
                created_at=T0 + timedelta(minutes=minutes),
            )
        for member in (quiet, mixed, adjusted, yesterday_only):
            await repos.participants.set_reminder(member.id, REMINDER_AT, ReminderMode.DM)

    async with database.read() as repos:
        setting = ReminderSetting(challenge.id, quiet.timezone, REMINDER_AT)
        found = {
            r.participant_id: r for r in await repos.reminders.due("reminder", D0, [setting], NOW)
        }
        expected = {
            member.id: (await repos.entries.day_facts(member.id)).get(D0)
            for member in (quiet, mixed, adjusted, yesterday_only)
        }

    assert set(found) == set(expected)
    for participant_id, facts in expected.items():
        recipient = found[participant_id]
        wanted = None if facts is None else replace(facts, adjustment_reason="")
        assert recipient.facts == wanted
        assert recipient.active_on_day is (facts is not None)
    # Spelled out from the posts above, not only compared with the other reader.
    mixed_facts = found[mixed.id].facts
    assert mixed_facts is not None
    assert (mixed_facts.entries, mixed_facts.minutes, mixed_facts.unstated) == (2, 20, 1)
    assert (mixed_facts.words, mixed_facts.imported, mixed_facts.has_link) == (7, 1, True)
    adjusted_facts = found[adjusted.id].facts
    assert adjusted_facts is not None
    assert adjusted_facts.entries == 0
    assert adjusted_facts.adjustment is AdjustmentKind.DISCOUNT
    assert found[quiet.id].facts is None

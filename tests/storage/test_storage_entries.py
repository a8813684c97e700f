from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.domain.models import AdjustmentKind, DayFacts, EntrySource, Link, LinkKind
from storage import RecordNotFoundError, StoredStanding

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
D0 = date(2026, 3, 2)
D1 = D0 + timedelta(days=1)
D2 = D0 + timedelta(days=2)
D3 = D0 + timedelta(days=3)


async def test_entry_round_trips_tags_links_and_attachments(database, seed, participant):
    links = (
        Link("https://github.com/me/repo/commit/1", LinkKind.GITHUB),
        Link("https://arxiv.org/abs/1706.03762", LinkKind.ARXIV),
    )

    added = await seed.entry(
        participant,
        D1,
        text="Día 2 — attention is all you need ✓",
        tags=("#100DaysOfCode", "#ML"),
        links=links,
        attachments=("https://cdn.example/plot.png",),
        minutes=None,
        words=7,
        source=EntrySource.CHANNEL,
        message_id=9_000_000_000_000_000_001,
        channel_id=501,
        timezone="Europe/Berlin",
    )
    async with database.read() as repos:
        stored = await repos.entries.get(added.id)
        by_message = await repos.entries.by_message(9_000_000_000_000_000_001)
        raw = (
            await repos.entries._connection.execute(
                sa.text("SELECT links_json, has_link FROM entries WHERE id = :id"), {"id": added.id}
            )
        ).one()

    assert stored == by_message == added
    assert stored.links == links
    assert stored.tags == ("#100DaysOfCode", "#ML")
    assert stored.attachments == ("https://cdn.example/plot.png",)
    assert stored.text == "Día 2 — attention is all you need ✓"
    assert stored.minutes is None
    assert stored.local_day == D1
    assert stored.timezone == "Europe/Berlin"
    assert stored.has_link
    assert raw.has_link == 1
    assert raw.links_json.startswith(
        '[{"url": "https://github.com/me/repo/commit/1", "kind": "github"}'
    )


async def test_update_edits_content_and_keeps_the_day(database, seed, participant):
    entry = await seed.entry(participant, D1, links=(Link("https://x.org", LinkKind.OTHER),))
    edited = T0 + timedelta(days=1, hours=2)

    async with database.write() as repos:
        returned = await repos.entries.update(
            entry.id, text="better", minutes=90, words=1, tags=("#t",), links=(), edited_at=edited
        )
    async with database.read() as repos:
        stored = await repos.entries.get(entry.id)

    assert returned == stored
    assert (stored.text, stored.minutes, stored.words, stored.tags, stored.links) == (
        "better",
        90,
        1,
        ("#t",),
        (),
    )
    assert not stored.has_link
    assert stored.edited_at == edited
    assert stored.local_day == D1
    assert stored.created_at == entry.created_at


async def test_update_of_a_missing_entry_raises(database):
    with pytest.raises(RecordNotFoundError):
        async with database.write() as repos:
            await repos.entries.update(
                404, text="x", minutes=None, words=0, tags=(), links=(), edited_at=T0
            )


async def test_soft_deleted_entries_leave_every_listing(database, seed, participant):
    kept = await seed.entry(participant, D0)
    gone = await seed.entry(participant, D0, created_at=T0 + timedelta(hours=8))
    only = await seed.entry(participant, D1)

    async with database.write() as repos:
        assert await repos.entries.soft_delete(gone.id, T0 + timedelta(days=1))
        assert await repos.entries.soft_delete(only.id, T0 + timedelta(days=1))
        assert not await repos.entries.soft_delete(only.id, T0 + timedelta(days=2))
    async with database.read() as repos:
        stored = await repos.entries.get(gone.id)
        for_day = await repos.entries.for_day(participant.id, D0)
        recent = await repos.entries.recent(participant.id, 10)
        between = await repos.entries.between(participant.id, D0, D3)
        facts = await repos.entries.day_facts(participant.id)
        count = await repos.entries.count_live(participant.challenge_id)

    assert stored.deleted_at == T0 + timedelta(days=1)
    assert for_day == recent == between == [kept]
    assert list(facts) == [D0]
    assert facts[D0].entries == 1
    assert count == 1


async def test_listings_are_ordered_and_bounded(database, seed, participant, challenge):
    other = await seed.participant(challenge)
    a = await seed.entry(participant, D0)
    b = await seed.entry(participant, D1, created_at=T0 + timedelta(days=1, hours=1))
    c = await seed.entry(participant, D1, created_at=T0 + timedelta(days=1, hours=3))
    d = await seed.entry(participant, D3)
    await seed.entry(other, D1)

    async with database.read() as repos:
        recent = await repos.entries.recent(participant.id, 3)
        between = await repos.entries.between(participant.id, D1, D2)
        for_day = await repos.entries.for_day(participant.id, D1)
        everything = await repos.entries.between(participant.id, D0, D3)

    assert recent == [d, c, b]
    assert between == for_day == [b, c]
    assert everything == [a, b, c, d]


async def test_import_keys_and_their_uniqueness(database, seed, participant):
    await seed.entry(participant, D0, source=EntrySource.IMPORT, import_key="log.md#1")
    gone = await seed.entry(participant, D1, source=EntrySource.IMPORT, import_key="log.md#2")
    await seed.entry(participant, D2)
    async with database.write() as repos:
        await repos.entries.soft_delete(gone.id, T0)

    async with database.read() as repos:
        keys = await repos.entries.import_keys(participant.id)

    assert keys == {"log.md#1", "log.md#2"}
    with pytest.raises(sa.exc.IntegrityError):
        await seed.entry(participant, D3, source=EntrySource.IMPORT, import_key="log.md#1")


async def test_day_facts_sum_a_day_and_none_without_minutes(database, seed, participant):
    await seed.entry(participant, D0, minutes=30, words=10)
    await seed.entry(
        participant,
        D0,
        minutes=None,
        words=4,
        links=(Link("https://kaggle.com/x", LinkKind.KAGGLE),),
        source=EntrySource.IMPORT,
    )
    await seed.entry(participant, D0, minutes=45, words=0)
    await seed.entry(participant, D1, minutes=None, words=3)

    async with database.read() as repos:
        facts = await repos.entries.day_facts(participant.id)
        since = await repos.entries.day_facts(participant.id, since=D1)

    assert facts == {
        # D0: 30 + 45 stated; the imported post stated none (1 unstated). D1: one, unstated.
        D0: DayFacts(
            day=D0, entries=3, minutes=75, unstated=1, words=14, has_link=True, imported=1
        ),
        D1: DayFacts(
            day=D1, entries=1, minutes=None, unstated=1, words=3, has_link=False, imported=0
        ),
    }
    assert since == {D1: facts[D1]}


async def test_day_facts_match_the_domain_sum(database, seed, participant):
    await seed.entry(participant, D0, minutes=20)
    await seed.entry(participant, D0, minutes=None, source=EntrySource.IMPORT)
    async with database.read() as repos:
        entries = await repos.entries.for_day(participant.id, D0)
        facts = await repos.entries.day_facts(participant.id)

    assert facts[D0] == DayFacts.from_entries(D0, entries)


async def test_latest_adjustment_wins_and_adjustment_only_days_appear(database, seed, participant):
    await seed.entry(participant, D0)
    async with database.write() as repos:
        first = await repos.adjustments.add(
            participant_id=participant.id,
            day=D0,
            kind=AdjustmentKind.DISCOUNT,
            reason="not progress",
            organizer_id=77,
            created_at=T0 + timedelta(days=1),
        )
        second = await repos.adjustments.add(
            participant_id=participant.id,
            day=D0,
            kind=AdjustmentKind.COUNT,
            reason="on reflection it was",
            organizer_id=78,
            created_at=T0 + timedelta(days=2),
        )
        excused = await repos.adjustments.add(
            participant_id=participant.id,
            day=D2,
            kind=AdjustmentKind.EXCUSE,
            reason="ill",
            organizer_id=77,
            created_at=T0 + timedelta(days=3),
        )
    async with database.read() as repos:
        facts = await repos.entries.day_facts(participant.id)
        history = await repos.adjustments.for_participant(participant.id)

    assert list(facts) == [D0, D2]
    assert facts[D0].entries == 1
    assert facts[D0].adjustment is AdjustmentKind.COUNT
    assert facts[D0].adjustment_reason == "on reflection it was"
    assert facts[D2] == DayFacts(day=D2, adjustment=AdjustmentKind.EXCUSE, adjustment_reason="ill")
    assert history == [first, second, excused]
    assert first.kind is AdjustmentKind.DISCOUNT
    assert first.created_at == T0 + timedelta(days=1)


async def test_day_facts_for_challenge_equal_per_participant_facts(database, seed, challenge):
    people = [await seed.participant(challenge) for _ in range(4)]
    elsewhere = await seed.participant(await seed.challenge("Other"))
    for index, person in enumerate(people[:3]):
        for offset in range(index + 2):
            day = D0 + timedelta(days=offset)
            await seed.entry(person, day, minutes=None if offset % 2 else 10 * offset, words=offset)
    await seed.entry(elsewhere, D1)
    async with database.write() as repos:
        for person, day in ((people[0], D0), (people[1], D3), (people[3], D1)):
            await repos.adjustments.add(
                participant_id=person.id,
                day=day,
                kind=AdjustmentKind.EXCUSE,
                reason="travel",
                organizer_id=1,
                created_at=T0,
            )
        await repos.adjustments.add(
            participant_id=elsewhere.id,
            day=D1,
            kind=AdjustmentKind.COUNT,
            reason="other challenge",
            organizer_id=1,
            created_at=T0,
        )

    async with database.read() as repos:
        together = await repos.entries.day_facts_for_challenge(challenge.id, since=D1)
        alone = {p.id: await repos.entries.day_facts(p.id, since=D1) for p in people}

    assert together == {pid: facts for pid, facts in alone.items() if facts}
    assert elsewhere.id not in together
    assert D0 not in together[people[0].id]
    assert together[people[3].id] == {
        D1: DayFacts(day=D1, adjustment=AdjustmentKind.EXCUSE, adjustment_reason="travel")
    }


async def test_count_live_counts_one_challenge(database, seed, challenge, participant):
    other = await seed.participant(await seed.challenge("Other"))
    await seed.entry(participant, D0)
    await seed.entry(participant, D1)
    await seed.entry(other, D0)

    async with database.read() as repos:
        assert await repos.entries.count_live(challenge.id) == 2


async def put_standing(database, participant, through_day):
    async with database.write() as repos:
        await repos.standings.put_many(
            [StoredStanding(participant.id, "rules-v1", through_day, '{"streak": 3}')], T0
        )


async def standing_of(database, participant):
    async with database.read() as repos:
        return await repos.standings.get(participant.id)


@pytest.mark.parametrize(("day", "kept"), [(D1, False), (D2, False), (D3, True)])
async def test_entry_for_a_folded_day_drops_the_standing(database, seed, participant, day, kept):
    await put_standing(database, participant, through_day=D2)

    await seed.entry(participant, day)

    assert (await standing_of(database, participant) is not None) is kept


async def test_edit_delete_and_adjustment_drop_the_standing(database, seed, participant):
    entry = await seed.entry(participant, D1)
    late = await seed.entry(participant, D3)

    await put_standing(database, participant, through_day=D2)
    async with database.write() as repos:
        await repos.entries.update(
            late.id, text="x", minutes=1, words=1, tags=(), links=(), edited_at=T0
        )
    assert await standing_of(database, participant) is not None
    async with database.write() as repos:
        await repos.entries.update(
            entry.id, text="x", minutes=1, words=1, tags=(), links=(), edited_at=T0
        )
    assert await standing_of(database, participant) is None

    await put_standing(database, participant, through_day=D2)
    async with database.write() as repos:
        await repos.entries.soft_delete(entry.id, T0)
    assert await standing_of(database, participant) is None

    await put_standing(database, participant, through_day=D2)
    async with database.write() as repos:
        await repos.adjustments.add(
            participant_id=participant.id,
            day=D3,
            kind=AdjustmentKind.EXCUSE,
            reason="later day",
            organizer_id=1,
            created_at=T0,
        )
    assert await standing_of(database, participant) is not None
    async with database.write() as repos:
        await repos.adjustments.add(
            participant_id=participant.id,
            day=D2,
            kind=AdjustmentKind.EXCUSE,
            reason="folded day",
            organizer_id=1,
            created_at=T0,
        )
    assert await standing_of(database, participant) is None


async def test_standings_upsert_read_and_invalidate(database, seed, challenge, participant):
    other = await seed.participant(challenge)
    outsider = await seed.participant(await seed.challenge("Other"))
    async with database.write() as repos:
        await repos.standings.put_many(
            [
                StoredStanding(participant.id, "a", D1, "{}"),
                StoredStanding(other.id, "a", D1, "{}"),
                StoredStanding(outsider.id, "a", D1, "{}"),
            ],
            T0,
        )
        await repos.standings.put_many(
            [StoredStanding(participant.id, "b", D2, '{"x": 1}')], T0 + timedelta(hours=1)
        )
        await repos.standings.put_many([], T0)
    async with database.read() as repos:
        mine = await repos.standings.for_challenge(challenge.id)

    assert mine == {
        participant.id: StoredStanding(participant.id, "b", D2, '{"x": 1}'),
        other.id: StoredStanding(other.id, "a", D1, "{}"),
    }

    async with database.write() as repos:
        await repos.standings.invalidate(participant.id, from_day=D3)  # folded only to D2: kept
        kept = await repos.standings.get(participant.id)
        await repos.standings.invalidate(participant.id, from_day=D2)
        dropped = await repos.standings.get(participant.id)
        await repos.standings.invalidate(other.id)
        await repos.standings.put_many([StoredStanding(other.id, "a", D1, "{}")], T0)
        await repos.standings.invalidate_challenge(challenge.id)
        remaining = await repos.standings.for_challenge(challenge.id)
        outsider_kept = await repos.standings.get(outsider.id)

    assert kept is not None
    assert dropped is None
    assert remaining == {}
    assert outsider_kept == StoredStanding(outsider.id, "a", D1, "{}")

"""The fast walk (`walk_all` over classified days) gives every member exactly what the day-by-day
fold over `DayFacts` gives: the same state and the same checkpoint, cold and warm.

A realistic random server per rule set (every missed-day policy, freezes, rest weekdays, targets,
minute/word/link requirements, adjustments, deleted entries, members who joined underway, several
zones), on SQLite and, through `.ci/postgres`, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import random
from contextlib import aclosing
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.engine import WalkState, advance
from bot.domain.models import AdjustmentKind, Challenge, DayFacts, Link, LinkKind, Participant
from bot.domain.rules import MissedDayPolicy, Rules
from bot.services import standings
from bot.services._common import member_today
from bot.services.standings import _read_ahead, checkpoint_day, save_checkpoints, walk_all
from storage import Database, Repositories
from tests.storage.conftest import Seed

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)
FIRST = date(2026, 3, 1)
ZONES = ["UTC", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"]
LINK = Link("https://example.org/notes", LinkKind.OTHER)
RULE_SETS = {
    "pause": Rules(target_days=None, min_minutes=30, missed_day_policy=MissedDayPolicy.PAUSE),
    "kallaway rest": Rules(
        target_days=40,
        missed_day_policy=MissedDayPolicy.KALLAWAY,
        rest_weekdays=frozenset({5, 6}),
    ),
    "restart freezes": Rules(
        target_days=30,
        min_words=10,
        missed_day_policy=MissedDayPolicy.RESTART,
        freeze_every=5,
        freeze_max=2,
    ),
    "kallaway freezes link": Rules(
        target_days=12,
        require_link=True,
        missed_day_policy=MissedDayPolicy.KALLAWAY,
        freeze_every=3,
        freeze_max=1,
        rest_weekdays=frozenset({0}),
        backfill_days=3,
    ),
}


def reference(
    rules: Rules,
    participant: Participant,
    facts: dict[date, DayFacts],
    today: date,
    closed: date,
) -> tuple[WalkState, WalkState | None]:
    """The day-by-day fold over `DayFacts` from the start, to the checkpoint day, then today.

    Warm walks resume from a checkpoint; they must still end where this walk from the start does.
    """
    state = WalkState.start(participant.start_day, participant.initial_day)
    checkpoint = None
    if state.through < closed < today:
        state, _ = advance(rules, state, facts, closed)
        checkpoint = state
    state, _ = advance(rules, state, facts, today, today=today)
    return state, checkpoint


async def add_history(
    repos: Repositories, participant: Participant, rng: random.Random, last: date
) -> None:
    """Log a member's days the way people do: steady, lapsing, or in bursts."""
    keen = rng.choice([0.95, 0.8, 0.5, 0.15])
    day = participant.start_day - timedelta(days=2)
    while day <= last:
        if rng.random() < keen:
            for _ in range(rng.choice([1, 1, 1, 2])):
                entry = await Seed.add_entry(
                    repos,
                    participant,
                    day,
                    minutes=rng.choice([None, 10, 30, 45, 60]),
                    words=rng.choice([5, 10, 15]),
                    links=(LINK,) if rng.random() < 0.7 else (),
                )
                if rng.random() < 0.05:
                    await repos.entries.soft_delete(entry.id, NOW)
        elif rng.random() < 0.2:
            # A long gap: weeks away, the case the fast fold skips over.
            day += timedelta(days=rng.choice([7, 20, 45]))
        if rng.random() < 0.03:
            await repos.adjustments.add(
                participant_id=participant.id,
                day=day,
                kind=rng.choice(list(AdjustmentKind)),
                reason="organizer",
                organizer_id=1,
                created_at=NOW,
            )
        day += timedelta(days=1)


async def random_server(
    database: Database, rules: Rules, rng: random.Random
) -> tuple[Challenge, list[Participant]]:
    seed = Seed(database)
    challenge = await seed.challenge(rules=rules, preset=None)
    members = []
    for index in range(14):
        start = FIRST + timedelta(days=rng.randrange(40))
        members.append(
            await seed.participant(
                challenge,
                timezone=ZONES[index % len(ZONES)],
                start_day=start,
                initial_day=rng.choice([1, 1, 1, 9]),
            )
        )
    async with database.write() as repos:
        for member in members:
            await add_history(repos, member, rng, NOW.date() + timedelta(days=1))
    return challenge, members


async def assert_walks_match(
    database: Database, challenge: Challenge, members: list[Participant], now: datetime
) -> None:
    async with database.read() as repos:
        facts = await repos.entries.day_facts_for_participants([m.id for m in members])
        for whole in (True, False):
            walks = await walk_all(repos, challenge, members, now, whole_challenge=whole)
            assert [walk.participant.id for walk in walks] == [m.id for m in members]
            for member, walk in zip(members, walks, strict=True):
                today = member_today(member, challenge, now)
                expected = reference(
                    challenge.rules,
                    member,
                    facts.get(member.id, {}),
                    today,
                    checkpoint_day(challenge, today),
                )
                assert walk.today == today
                assert (walk.state, walk.checkpoint) == expected, member
                assert walk.summary.current_streak == walk.state.streak


@pytest.mark.parametrize("batch", [None, 5])
@pytest.mark.parametrize("name", sorted(RULE_SETS))
async def test_the_fast_walk_equals_the_day_by_day_fold_cold_and_warm(
    database: Database, name: str, batch: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if batch is not None:
        # Several batches, each read while the one before is walked (and a short last one).
        monkeypatch.setattr(standings, "COLD_BATCH", batch)
        monkeypatch.setattr(standings, "WARM_BATCH", batch)
    rng = random.Random(name)  # noqa: S311 - reproducible test data, not a secret
    challenge, members = await random_server(database, RULE_SETS[name], rng)
    await assert_walks_match(database, challenge, members, NOW)
    # Leave checkpoints, then walk warm from them a few days on, with new posts since.
    async with database.write() as repos:
        walks = await walk_all(repos, challenge, members, NOW, whole_challenge=True)
        assert await save_checkpoints(repos, challenge, walks, NOW) == len(members)
    later = NOW + timedelta(days=4)
    async with database.write() as repos:
        for member in members[::3]:
            await Seed.add_entry(repos, member, later.date() - timedelta(days=1), minutes=None)
    await assert_walks_match(database, challenge, members, later)


async def test_the_next_batch_is_read_while_this_one_is_walked() -> None:
    events: list[str] = []

    async def read(batch: list[int]) -> dict[int, list[int]]:
        events.append(f"read {batch[0]}")
        await asyncio.sleep(0)
        events.append(f"read {batch[0]} done")
        return {batch[0]: [batch[0] * 4 + 1]}

    got = []
    async with aclosing(_read_ahead([[1], [2], [3]], read)) as reads:
        async for batch, days in reads:
            events.append(f"walk {batch[0]}")
            # A walk yields to the event loop as it goes (the Breather), letting the read run.
            for _ in range(3):
                await asyncio.sleep(0)
            events.append(f"walked {batch[0]}")
            got.append((batch, days))
    assert got == [([1], {1: [5]}), ([2], {2: [9]}), ([3], {3: [13]})]
    # Each batch after the first was read, start to end, while the one before it was walked.
    for walked, read_next in ((1, 2), (2, 3)):
        walk = events.index(f"walk {walked}")
        assert walk < events.index(f"read {read_next}")
        assert events.index(f"read {read_next} done") < events.index(f"walked {walked}")


async def test_a_walk_that_stops_early_leaves_no_read_running() -> None:
    ended: list[int] = []
    never = asyncio.Event()

    async def read(batch: list[int]) -> dict[int, list[int]]:
        try:
            if batch[0] > 1:
                await never.wait()
            return {}
        finally:
            ended.append(batch[0])

    async def walk() -> None:
        async with aclosing(_read_ahead([[1], [2], [3]], read)) as reads:
            async for _batch, _days in reads:
                await asyncio.sleep(0)
                raise RuntimeError("walk failed")

    with pytest.raises(RuntimeError, match="walk failed"):
        await walk()
    # The read of the second batch, started ahead, was over before the error reached the
    # caller (the transaction it ran in may end now); the third was never started.
    assert ended == [1, 2]


async def test_a_failed_read_fails_the_walk_at_its_batch() -> None:
    walked: list[int] = []

    async def read(batch: list[int]) -> dict[int, list[int]]:
        if batch[0] == 2:
            raise OSError("disk gone")
        return {}

    async def walk() -> None:
        async with aclosing(_read_ahead([[1], [2], [3]], read)) as reads:
            async for batch, _days in reads:
                walked.append(batch[0])

    with pytest.raises(OSError, match="disk gone"):
        await walk()
    assert walked == [1]

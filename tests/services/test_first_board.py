"""The first board after a start resumes every member from their checkpoint with two reads of
the whole challenge (`walk_from_checkpoints`): its tallies equal those of the day-by-day fold
from each member's start, whatever their checkpoint (recent, far behind, none).

The random servers of `test_standings_fast_walk` (every missed-day policy, freezes, rest
weekdays, targets, requirements, adjustments, deleted entries, several zones), on SQLite and,
through `.ci/postgres`, on PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from bot.domain.engine import WalkState
from bot.services._common import member_today
from bot.services.progress import _tally, _walked_tallies
from bot.services.standings import (
    RESUME_LAG_DAYS,
    checkpoint_day,
    save_checkpoints,
    walk_all,
    walk_from_checkpoints,
)
from storage import Database
from tests.services.test_standings_fast_walk import (
    FIRST,
    NOW,
    RULE_SETS,
    add_history,
    random_server,
    reference,
)
from tests.storage.conftest import Seed


@pytest.mark.parametrize("name", sorted(RULE_SETS))
async def test_resumed_tallies_equal_the_fold_from_the_start(database: Database, name: str) -> None:
    rng = random.Random(name)  # noqa: S311 - reproducible test data, not a secret
    challenge, members = await random_server(database, RULE_SETS[name], rng)
    # Every member's checkpoint as the daily job leaves it; then a third of them refreshed
    # again well after the rest (who fall more than RESUME_LAG_DAYS behind), and a few without
    # any checkpoint at all.
    async with database.write() as repos:
        walks = await walk_all(repos, challenge, members, NOW, whole_challenge=True)
        await save_checkpoints(repos, challenge, walks, NOW)
    moved = NOW + timedelta(days=RESUME_LAG_DAYS + 3)
    ahead, cold = members[::3], members[1::5]
    async with database.write() as repos:
        walks = await walk_all(repos, challenge, ahead, moved)
        await save_checkpoints(repos, challenge, walks, moved)
        for member in cold:
            await repos.standings.invalidate(member.id)
    later = moved + timedelta(days=2)
    # Posts on every day since a member's checkpoint (none on a day it covers: that drops it).
    async with database.write() as repos:
        for member in members[::2]:
            saved = moved if member in ahead else NOW
            day = checkpoint_day(challenge, member_today(member, challenge, saved))
            day += timedelta(days=1)
            while day <= later.date():
                await Seed.add_entry(repos, member, day, minutes=None)
                day += timedelta(days=1)
    async with database.read() as repos:
        facts = await repos.entries.day_facts_for_participants([m.id for m in members])
        states: dict[int, WalkState] = {}
        rest = await walk_from_checkpoints(
            repos,
            challenge,
            members,
            later,
            lambda member, state: states.update({member.id: state}),
        )
        resumed = await _walked_tallies(repos, challenge, members, later, resume=True)
        walked = await _walked_tallies(repos, challenge, members, later, resume=False)
    behind = {m.id for m in members} - {m.id for m in ahead} - {m.id for m in cold}
    # The far-behind and the cold are left to `walk_all`; the others were resumed.
    assert sorted(m.id for m in rest) == sorted(behind | {m.id for m in cold})
    assert set(states) == {m.id for m in ahead} - {m.id for m in cold}
    expected = []
    for member in members:
        today = member_today(member, challenge, later)
        state, _ = reference(
            challenge.rules,
            member,
            facts.get(member.id, {}),
            today,
            checkpoint_day(challenge, today),
        )
        if member.id in states:
            assert states[member.id] == state, member
        expected.append(_tally(challenge, member, state))
    assert resumed == expected
    assert walked == expected


@pytest.mark.parametrize("name", sorted(RULE_SETS))
async def test_the_days_since_read_by_challenge_equal_those_read_by_member(
    database: Database, name: str
) -> None:
    rng = random.Random(name)  # noqa: S311 - reproducible test data, not a secret
    challenge, members = await random_server(database, RULE_SETS[name], rng)
    # Another challenge's members post on the same days: none of theirs may be read.
    seed = Seed(database)
    other = await seed.challenge("Another", rules=RULE_SETS[name], preset=None)
    others = [await seed.participant(other, start_day=FIRST) for _ in range(4)]
    async with database.write() as repos:
        for member in others:
            await add_history(repos, member, rng, NOW.date())
    async with database.read() as repos:
        for since in (date(2026, 2, 1), date(2026, 4, 1), date(2026, 5, 18), NOW.date()):
            by_member = await repos.day_rows.for_participants(
                challenge.rules, [m.id for m in members], since
            )
            by_challenge = await repos.standings.days_since(challenge.id, challenge.rules, since)
            assert by_challenge == by_member
            assert by_member

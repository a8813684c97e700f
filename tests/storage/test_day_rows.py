"""`repos.day_rows`: each member's days classified in SQL exactly as `engine.classify` does.

Runs on SQLite and, through `.ci/postgres`, on PostgreSQL: the class and the day ordinal are
computed by each backend's own SQL.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from bot.domain.engine import FAILS, NEUTRAL, QUALIFIES, classify
from bot.domain.models import AdjustmentKind, Challenge, DayFacts, Link, LinkKind, Participant
from bot.domain.rules import Rules
from storage import Database, Repositories
from tests.storage.conftest import D0, T0, Seed

# Days near the edges of what a date can be, where an ordinal computed the wrong way shows
# (not date.min itself: asyncpg sends it as -infinity).
EDGE_DAYS = [date(1, 1, 2), date(1970, 1, 1), date(2000, 2, 29), date(2026, 12, 31)]
RULE_SETS = [
    Rules(min_minutes=minutes, min_words=words, require_link=link, rest_weekdays=rest)
    for minutes, words, link, rest in itertools.product(
        [0, 30, 60], [0, 10], [False, True], [frozenset(), frozenset({5, 6})]
    )
]
LINK = Link("https://example.org/notes", LinkKind.OTHER)


def empty_class(rules: Rules, day: date) -> int:
    """The class of a day with nothing on it: neutral on a rest weekday, else a miss."""
    return NEUTRAL if day.weekday() in rules.rest_weekdays else FAILS


async def add_random_history(
    repos: Repositories, participant: Participant, rng: random.Random, days: list[date]
) -> None:
    """Give a member entries and adjustments that sit on and around every rule's threshold."""
    for day in days:
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            entry = await Seed.add_entry(
                repos,
                participant,
                day,
                minutes=rng.choice([None, 0, 10, 29, 30, 31, 59, 60, 90]),
                words=rng.choice([0, 3, 5, 10, 12]),
                links=(LINK,) if rng.random() < 0.3 else (),
            )
            if rng.random() < 0.15:
                await repos.entries.soft_delete(entry.id, T0)
        # Several adjustments of one day: only the latest is in force.
        for order in range(rng.choice([0, 0, 0, 0, 1, 2])):
            await repos.adjustments.add(
                participant_id=participant.id,
                day=day,
                kind=rng.choice(list(AdjustmentKind)),
                reason="organizer",
                organizer_id=1,
                created_at=T0 + timedelta(minutes=order),
            )


async def seeded_members(database: Database, seed: Seed, challenge: Challenge) -> list[int]:
    rng = random.Random(14)  # noqa: S311 - test data, not secrets
    members = [await seed.participant(challenge) for _ in range(6)]
    async with database.write() as repos:
        for index, member in enumerate(members):
            days = [D0 + timedelta(days=offset) for offset in range(-3, 25)]
            if index == 0:
                days += EDGE_DAYS
            await add_random_history(repos, member, rng, days)
    return [member.id for member in members]


def assert_classified(
    rules: Rules,
    classified: dict[int, list[int]],
    facts: dict[int, dict[date, DayFacts]],
) -> int:
    """Check every day of every member; return how many days were listed."""
    listed = 0
    for participant_id in facts.keys() | classified.keys():
        codes = classified.get(participant_id, [])
        assert codes == sorted(codes)
        by_day = {date.fromordinal(code >> 2): code & 3 for code in codes}
        assert len(by_day) == len(codes)
        days = facts.get(participant_id, {})
        for day in days.keys() | by_day.keys():
            expected = classify(rules, day, days.get(day))
            got = by_day.get(day, empty_class(rules, day))
            assert got == expected, (rules, participant_id, day, days.get(day), by_day.get(day))
            # A day whose class is an empty day's may be left out; any other must be listed.
            assert day in by_day or expected == empty_class(rules, day)
        listed += len(codes)
    return listed


async def test_the_sql_class_of_every_day_is_the_engines_under_every_rule(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    ids = await seeded_members(database, seed, challenge)
    async with database.read() as repos:
        facts = await repos.entries.day_facts_for_participants(ids)
        qualifying = set()
        for rules in RULE_SETS:
            classified = await repos.day_rows.for_participants(rules, ids)
            assert assert_classified(rules, classified, facts) > 0
            qualifying.add(
                sum(code & 3 == QUALIFIES for codes in classified.values() for code in codes)
            )
    # The rule sets really differ in what they let through.
    assert len(qualifying) > 5


async def test_reading_from_a_day_leaves_out_only_earlier_days(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    ids = await seeded_members(database, seed, challenge)
    since = D0 + timedelta(days=10)
    rules = Rules(min_minutes=30, rest_weekdays=frozenset({6}))
    async with database.read() as repos:
        everything = await repos.day_rows.for_participants(rules, ids)
        recent = await repos.day_rows.for_participants(rules, ids, since)
    cut = since.toordinal()
    expected = {pid: [c for c in codes if c >> 2 >= cut] for pid, codes in everything.items()}
    expected = {pid: codes for pid, codes in expected.items() if codes}
    assert recent == expected
    assert len(expected) == len(ids)


async def test_a_day_is_its_ordinal_on_every_backend(
    database: Database, seed: Seed, challenge: Challenge
) -> None:
    member = await seed.participant(challenge)
    async with database.write() as repos:
        for day in EDGE_DAYS:
            await Seed.add_entry(repos, member, day, minutes=None)
    async with database.read() as repos:
        classified = await repos.day_rows.for_participants(Rules(), [member.id])
    assert classified == {member.id: [day.toordinal() * 4 + QUALIFIES for day in EDGE_DAYS]}


async def test_nobody_to_read_reads_nothing(database: Database) -> None:
    async with database.read() as repos:
        assert await repos.day_rows.for_participants(Rules(), []) == {}

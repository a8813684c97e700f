"""The reminder decision in SQL: only members whose day is still open come back, with its totals.

Runs on SQLite and, through `.ci/postgres`, on PostgreSQL. The reference is the judgement the
service made in Python before the statement judged (`old_judgement`): a member with nothing on
the day is due; otherwise `judge` decides, and a day that counts, is neutral or was discounted
gets no message. Its facts are summed here from the posts each test wrote, not read back.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.engine import judge
from bot.domain.models import (
    AdjustmentKind,
    Challenge,
    DayFacts,
    EntrySource,
    Link,
    LinkKind,
    Participant,
    ReminderMode,
)
from bot.domain.reasons import Discounted
from bot.domain.rules import Rules
from storage import Database, Recipient, ReminderSetting
from storage.repositories import participant_target
from tests.storage.conftest import D0, T0, Seed

REMINDER_AT = time(20, 0)
NOW = datetime.combine(D0, time(23, 0), UTC)
ZONE = "Asia/Kolkata"
LINK = Link("https://github.com/a/b", LinkKind.GITHUB)
RULE_SETS = [
    Rules(min_minutes=minutes, min_words=words, require_link=link, rest_weekdays=rest)
    for minutes, words, link, rest in itertools.product(
        [0, 30, 60], [0, 10], [False, True], [frozenset(), frozenset({5, 6})]
    )
]
"""Minutes on the honour system or none, a word minimum, a link, rest weekends: D0 (a Monday)
is a working day under all of them."""


async def due_now(database: Database, challenge: Challenge, rules: Rules) -> dict[int, Recipient]:
    async with database.read() as repos:
        setting = ReminderSetting(challenge.id, ZONE, REMINDER_AT)
        found = await repos.reminders.due("reminder", D0, rules, [setting], NOW)
    return {r.participant_id: r for r in found}


async def test_only_open_days_come_back_with_their_totals(database: Database, seed: Seed) -> None:
    rules = Rules(min_minutes=60, require_link=True)
    challenge = await seed.challenge()
    members = [await seed.participant(challenge) for _ in range(6)]
    quiet, short, on_word, adjusted, yesterday_only, enough = members
    # Short: 20 + 10 stated minutes of 60, a link, an imported post, and a deleted post that
    # would have made the day count; plus a post on another day.
    await seed.entry(short, minutes=20, words=3)
    await seed.entry(short, minutes=10, words=4, links=(LINK,), source=EntrySource.IMPORT)
    gone = await seed.entry(short, minutes=500, words=100, links=(LINK,))
    await seed.entry(short, D0 - timedelta(days=1), minutes=90, links=(LINK,))
    # A post without minutes takes the day at its word (it has its link).
    await seed.entry(on_word, minutes=None, links=(LINK,))
    await seed.entry(yesterday_only, D0 - timedelta(days=1), links=(LINK,))
    await seed.entry(enough, minutes=60, links=(LINK,))
    async with database.write() as repos:
        await repos.entries.soft_delete(gone.id, T0)
        # A day the organizer discounted has nothing left to remind of.
        await repos.adjustments.add(
            participant_id=adjusted.id,
            day=D0,
            kind=AdjustmentKind.DISCOUNT,
            reason="not progress",
            organizer_id=9,
            created_at=T0,
        )
        for member in members:
            await repos.participants.set_reminder(member.id, REMINDER_AT, ReminderMode.DM)

    found = await due_now(database, challenge, rules)

    assert set(found) == {quiet.id, short.id, yesterday_only.id}
    assert found[quiet.id].facts is None
    assert found[yesterday_only.id].facts is None
    facts = found[short.id].facts
    assert facts == DayFacts(
        day=D0, entries=2, minutes=30, unstated=0, words=7, has_link=True, imported=1
    )
    assert (found[short.id].user_id, found[short.id].mode) == (short.user_id, ReminderMode.DM)


@dataclass
class Post:
    minutes: int | None
    words: int
    link: bool
    imported: bool
    deleted: bool


@dataclass
class Member:
    """One member's day as the test wrote it, and what else decides whether they are due."""

    posts: list[Post] = field(default_factory=list)
    rulings: list[AdjustmentKind] = field(default_factory=list)
    """In the order given: the last is in force."""
    reminded: bool = True
    already_sent: bool = False
    participant: Participant | None = None

    def facts(self) -> DayFacts | None:
        """The day's facts summed from the live posts, as `DayFacts.from_entries` defines them."""
        live = [post for post in self.posts if not post.deleted]
        if not live and not self.rulings:
            return None
        stated = [post.minutes for post in live if post.minutes is not None]
        return DayFacts(
            day=D0,
            entries=len(live),
            minutes=sum(stated) if stated else None,
            unstated=len(live) - len(stated),
            words=sum(post.words for post in live),
            has_link=any(post.link for post in live),
            imported=sum(post.imported for post in live),
            adjustment=self.rulings[-1] if self.rulings else None,
        )


def old_judgement(rules: Rules, member: Member) -> bool:
    """Whether the service, judging in Python, would remind this member (before this change)."""
    if not member.reminded or member.already_sent:
        return False
    facts = member.facts()
    if facts is None:
        return True
    verdict = judge(rules, facts)
    if verdict.qualifies or verdict.neutral:
        return False
    return not any(isinstance(item, Discounted) for item in verdict.shortfalls)


def random_member(rng: random.Random) -> Member:
    """A member's day near every rule's threshold, sometimes ruled on, sometimes not reminded."""
    posts = [
        Post(
            minutes=rng.choice([None, 0, 10, 29, 30, 31, 59, 60, 90]),
            words=rng.choice([0, 3, 5, 10, 12]),
            link=rng.random() < 0.3,
            imported=rng.random() < 0.2,
            deleted=rng.random() < 0.15,
        )
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))
    ]
    rulings = [rng.choice(list(AdjustmentKind)) for _ in range(rng.choice([0, 0, 0, 0, 1, 2]))]
    return Member(
        posts=posts,
        rulings=rulings,
        reminded=rng.random() < 0.9,
        already_sent=rng.random() < 0.1,
    )


@pytest.mark.parametrize("seed_number", range(len(RULE_SETS)))
async def test_the_statement_reminds_whom_the_python_judgement_did(
    database: Database, seed: Seed, seed_number: int
) -> None:
    rng = random.Random(seed_number)  # noqa: S311 - picks test days, not secrets
    rules = RULE_SETS[seed_number]
    assert D0.weekday() not in rules.rest_weekdays
    challenge = await seed.challenge()
    members = [random_member(rng) for _ in range(40)]
    async with database.write() as repos:
        for number, member in enumerate(members):
            participant = await repos.participants.add(
                challenge_id=challenge.id,
                guild_id=challenge.guild_id,
                user_id=1000 + number,
                timezone=ZONE,
                start_day=D0 - timedelta(days=3),
                initial_day=1,
                joined_at=T0,
            )
            member.participant = participant
            mode = ReminderMode.CHANNEL if member.reminded else ReminderMode.OFF
            await repos.participants.set_reminder(participant.id, REMINDER_AT, mode)
            for post in member.posts:
                entry = await Seed.add_entry(
                    repos,
                    participant,
                    D0,
                    minutes=post.minutes,
                    words=post.words,
                    links=(LINK,) if post.link else (),
                    source=EntrySource.IMPORT if post.imported else EntrySource.COMMAND,
                )
                if post.deleted:
                    await repos.entries.soft_delete(entry.id, T0)
            # Days around D0 must not count towards it.
            if rng.random() < 0.3:
                await Seed.add_entry(repos, participant, D0 + timedelta(days=rng.choice([-1, 1])))
            for order, kind in enumerate(member.rulings):
                await repos.adjustments.add(
                    participant_id=participant.id,
                    day=D0,
                    kind=kind,
                    reason="organizer",
                    organizer_id=1,
                    created_at=T0 + timedelta(minutes=order),
                )
            if member.already_sent:
                target = participant_target(participant.id)
                assert await repos.sends.claim("reminder", target, D0.isoformat(), T0)
                await repos.sends.mark_sent("reminder", target, D0.isoformat(), T0)

    found = await due_now(database, challenge, rules)

    expected = {
        member.participant.id: member
        for member in members
        if member.participant is not None and old_judgement(rules, member)
    }
    assert set(found) == set(expected)
    for participant_id, member in expected.items():
        # A member who posted comes with the day's totals, so the message can say what is short.
        assert found[participant_id].facts == member.facts()
    # The draw reaches every case the judgement has (else the comparison proves little).
    verdicts = {old_judgement(rules, m) for m in members if m.reminded and not m.already_sent}
    assert verdicts == {True, False}
    if rules.min_minutes or rules.min_words or rules.require_link:
        assert any(m.facts() is not None for m in expected.values())


async def test_a_day_with_any_post_counts_when_the_rules_ask_nothing_more(
    database: Database, seed: Seed
) -> None:
    rules = Rules(min_minutes=0, min_words=0, require_link=False)
    challenge = await seed.challenge()
    posted, deleted, quiet = [await seed.participant(challenge) for _ in range(3)]
    await seed.entry(posted, minutes=0, words=0)
    gone = await seed.entry(deleted, minutes=90)
    async with database.write() as repos:
        await repos.entries.soft_delete(gone.id, T0)
        for member in (posted, deleted, quiet):
            await repos.participants.set_reminder(member.id, REMINDER_AT, ReminderMode.DM)

    found = await due_now(database, challenge, rules)

    assert set(found) == {deleted.id, quiet.id}

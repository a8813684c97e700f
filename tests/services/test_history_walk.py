"""The one history walk and the one "today" of a member, that every service goes through."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.engine import build_ledger
from bot.domain.models import Challenge, DayFacts, Participant
from bot.domain.rules import PRESETS
from bot.errors import NotFoundError
from bot.services._common import member_today, reread_member, today_in
from bot.services.standings import checkpoint_day, walk_history, walk_member
from storage import Database

RULES = PRESETS["100-days-of-code"]
START = date(2026, 1, 1)
TODAY = date(2026, 2, 20)
CHALLENGE = Challenge(id=1, guild_id=1, name="Code", rules=RULES, timezone="UTC")
TOKYO = Participant(
    id=11, challenge_id=1, user_id=101, timezone="Asia/Tokyo", start_day=START, initial_day=1
)
# Two weeks on, a miss, then every day but the last: two attempts' worth of history.
LOGGED = [START + timedelta(days=offset) for offset in [*range(14), *range(15, 50)] if offset != 33]
FACTS = {day: DayFacts(day, entries=1, minutes=60, words=20) for day in LOGGED}


def test_a_walk_through_a_checkpoint_ends_where_a_straight_walk_does() -> None:
    straight = walk_history(RULES, START, 1, FACTS, TODAY)
    closed = TODAY - timedelta(days=5)
    split = walk_history(RULES, START, 1, FACTS, TODAY, checkpoint_at=closed)
    assert straight.checkpoint is None
    assert split.checkpoint is not None
    assert split.checkpoint.through == closed
    assert (split.state, split.summary) == (straight.state, straight.summary)
    resumed = walk_history(RULES, START, 1, FACTS, TODAY, resume=split.checkpoint)
    assert (resumed.state, resumed.summary) == (straight.state, straight.summary)


def test_no_checkpoint_is_left_when_the_walk_starts_after_it() -> None:
    walk = walk_history(RULES, START, 1, FACTS, TODAY, checkpoint_at=START - timedelta(days=1))
    assert walk.checkpoint is None


def test_an_explained_walk_has_a_row_per_day_and_its_latest_attempt_is_the_ledger() -> None:
    walk = walk_history(RULES, START, 1, FACTS, TODAY, explain=True)
    assert [row.day for row in walk.rows] == [
        START + timedelta(days=offset) for offset in range((TODAY - START).days + 1)
    ]
    assert walk.latest_attempt() == build_ledger(RULES, START, 1, FACTS, TODAY)
    closed = TODAY - timedelta(days=5)
    split = walk_history(RULES, START, 1, FACTS, TODAY, checkpoint_at=closed, explain=True)
    assert split.checkpoint is not None
    assert split.rows == walk.rows


def test_an_unexplained_walk_keeps_no_rows() -> None:
    assert walk_history(RULES, START, 1, FACTS, TODAY).rows == ()


def test_a_member_walk_leaves_the_checkpoint_of_the_last_day_no_one_can_change() -> None:
    walk = walk_member(CHALLENGE, TOKYO, TODAY, FACTS, None)
    assert walk.checkpoint is not None
    assert walk.checkpoint.through == checkpoint_day(CHALLENGE, TODAY)
    assert walk.summary == walk_history(RULES, START, 1, FACTS, TODAY).summary


def test_a_members_today_follows_their_zone_and_the_rollover_hour() -> None:
    # 17:30 UTC is 02:30 the next morning in Tokyo: still the day before, until 04:00.
    evening = datetime(2026, 2, 20, 17, 30, tzinfo=UTC)
    assert member_today(TOKYO, CHALLENGE, evening) == date(2026, 2, 20)
    assert member_today(TOKYO, CHALLENGE, evening + timedelta(hours=2)) == date(2026, 2, 21)
    assert today_in("America/New_York", CHALLENGE, evening) == date(2026, 2, 20)
    assert today_in("UTC", CHALLENGE, datetime(2026, 2, 21, 3, 0, tzinfo=UTC)) == date(2026, 2, 20)


async def test_rereading_a_participation_that_is_gone_explains_it(database: Database) -> None:
    async with database.read() as repos:
        with pytest.raises(NotFoundError, match="no longer taking part"):
            await reread_member(repos, 404)

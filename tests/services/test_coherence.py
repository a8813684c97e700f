"""Two processes on one database: a write through one is honoured by the other's next board.

Two `Database` + `Services` objects on one database (the same SQLite file, or the same
PostgreSQL database) stand for two processes, A and B. B's walk cache is warm before each write
through A; B's very next board must answer as a cold read would, and B's warm boards must still
come from its cache (counted in members walked, not timed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

import bot.services.progress as progress_module
from bot.clock import FixedClock
from bot.services import Services
from bot.services.progress import Board
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from storage import Database
from tests.services.conftest import ADA, GUILD, MAYA, RAJ, make_challenge

START = date(2026, 3, 2)
NOW = datetime(2026, 3, 11, 21, 0, tzinfo=UTC)
"""Day 10 of the challenge (offset 9), after everyone's post of the day."""


def evening(offset: int) -> datetime:
    day = START + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC)


class Process:
    """The other process: its own database object and services, and a count of its walks."""

    def __init__(self, db: Database, walked: list[int]) -> None:
        self.db = db
        self.services = Services.build(db)
        self.walked = walked

    async def board(self) -> Board:
        """Return the streak board Raj sees, at NOW."""
        return await self.services.progress.leaderboard(guild_id=GUILD, viewer_id=RAJ, now=NOW)


@pytest.fixture
def walked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Members walked by each walk of the walk cache, in any process of this test."""
    counts: list[int] = []
    original = progress_module._walked_tallies

    async def counting(repos, challenge, participants, now, *, resume):  # type: ignore[no-untyped-def]
        counts.append(len(participants))
        return await original(repos, challenge, participants, now, resume=resume)

    monkeypatch.setattr(progress_module, "_walked_tallies", counting)
    return counts


@pytest.fixture
async def other(database: Database, walked: list[int]) -> AsyncIterator[Process]:
    db = await Database.open(database.url)
    try:
        yield Process(db, walked)
    finally:
        await db.close()


async def log(services: Services, user: int, offsets: list[int], minutes: int = 60) -> list[int]:
    ids = []
    for offset in offsets:
        recorded = await services.entries.record(
            guild_id=GUILD,
            user_id=user,
            text="work https://github.com/a/b",
            minutes=minutes,
            at=evening(offset),
        )
        ids.append(recorded.entry.id)
    return ids


def standings(board: Board) -> list[tuple[int, float]]:
    return [(placing.contender.user_id, placing.value) for placing in board.leaders]


async def warm(services: Services, clock: FixedClock, other: Process) -> list[int]:
    """Set up three members through A and warm B's cache; return Maya's entry ids."""
    await make_challenge(services, clock, preset="x-days-of-ml-code")
    for user in (ADA, RAJ, MAYA):
        await services.participants.join(guild_id=GUILD, user_id=user, now=clock(), timezone="UTC")
    await log(services, ADA, list(range(10)))  # days 1-10: streak 10
    await log(services, RAJ, [0, 1, 2, 3, 4, 5, 7, 8, 9])  # a miss on day 7: streak 3
    maya = await log(services, MAYA, [6, 7, 8])  # days 7-9, not yet today: streak 3
    first = await other.board()
    # Raj and Maya tie on 3; Raj's best streak (6) ranks him first.
    assert standings(first) == [(ADA, 10), (RAJ, 3), (MAYA, 3)]
    await other.board()
    other.walked.clear()
    return maya


async def test_warm_boards_come_from_the_cache(
    services: Services, clock: FixedClock, other: Process
) -> None:
    await warm(services, clock, other)
    for _ in range(3):
        assert standings(await other.board()) == [(ADA, 10), (RAJ, 3), (MAYA, 3)]
    assert other.walked == []


async def test_a_new_entry_is_on_the_other_process_next_board(
    services: Services, clock: FixedClock, other: Process
) -> None:
    await warm(services, clock, other)
    await log(services, MAYA, [9])  # today: days 7-10
    assert standings(await other.board()) == [(ADA, 10), (MAYA, 4), (RAJ, 3)]
    assert other.walked == [1]  # Maya alone is walked again
    await other.board()
    assert other.walked == [1]


async def test_a_deleted_entry_is_gone_from_the_other_process_next_board(
    services: Services, clock: FixedClock, other: Process
) -> None:
    maya = await warm(services, clock, other)
    await services.entries.delete(entry_id=maya[-1], user_id=MAYA, at=NOW)  # day 9 gone
    # Days 7-8 remain; day 9 is missed, so her streak is over.
    assert standings(await other.board()) == [(ADA, 10), (RAJ, 3), (MAYA, 0)]


async def test_hiding_takes_the_member_off_the_other_process_next_board(
    services: Services, clock: FixedClock, other: Process
) -> None:
    await warm(services, clock, other)
    await services.participants.set_hidden(guild_id=GUILD, user_id=ADA, challenge=None, hidden=True)
    board = await other.board()
    assert standings(board) == [(RAJ, 3), (MAYA, 3)]
    assert board.ranked == 2


async def test_leaving_takes_the_member_off_the_other_process_next_board(
    services: Services, clock: FixedClock, other: Process
) -> None:
    await warm(services, clock, other)
    await services.participants.leave(guild_id=GUILD, user_id=MAYA, challenge=None, now=NOW)
    assert standings(await other.board()) == [(ADA, 10), (RAJ, 3)]


async def test_forget_me_is_honoured_by_the_other_process_next_board(
    services: Services, clock: FixedClock, other: Process
) -> None:
    await warm(services, clock, other)
    await services.participants.forget(user_id=ADA)
    board = await other.board()
    assert standings(board) == [(RAJ, 3), (MAYA, 3)]
    assert board.viewer is not None
    assert board.viewer.rank == 1


async def test_a_rule_edit_is_applied_by_the_other_process_next_board(
    services: Services, clock: FixedClock, other: Process
) -> None:
    await warm(services, clock, other)
    challenge = await services.challenges.get(guild_id=GUILD, challenge=None)
    await services.challenges.apply_edit(
        guild_id=GUILD,
        challenge_id=challenge.id,
        settings=ChallengeSettingsInput(),
        rules=RulesInput(min_minutes=90),  # every post was 60 minutes: no day counts now
    )
    assert [value for _, value in standings(await other.board())] == [0, 0, 0]

"""The one-hand-off record on SQLite: the same rows, errors and change notes as the general path.

`EntryService.record` runs the whole transaction on the writer connection's thread when the
database allows it (`Database.write_direct`). These tests replay the same hostile histories on
two SQLite files, one with the direct path and one without, and compare every answer, every
refusal, every change note and every stored row; and they cancel records at every point.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.clock import FixedClock
from bot.domain.models import AdjustmentKind
from bot.errors import DaybookError
from bot.services import Services
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from storage import Changes, Database, migrate, tables
from tests.services.conftest import ADA, GUILD, MAYA, ORGANIZER, RAJ, make_challenge

# The direct path exists only where the writer connection has a thread of its own (aiosqlite).
pytestmark = pytest.mark.sqlite_only(reason="the one-hand-off record is SQLite's (write_direct)")

LINK = "https://github.com/a/b"
ZONES = ("UTC", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kolkata")


class GeneralPathDatabase(Database):
    """A database whose writes all take the general path, as every write did before."""

    @property
    def writes_direct(self) -> bool:
        """Never: the reference side of the comparison."""
        return False


async def opened(kind: type[Database], path: Path) -> tuple[Database, list[Changes]]:
    url = f"sqlite+aiosqlite:///{path}"
    await migrate(url)
    db = await kind.open(url)
    heard: list[Changes] = []
    db.add_listener(heard.append)
    return db, heard


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[list[tuple[Database, list[Changes]]]]:
    sides = [
        await opened(Database, tmp_path / "direct.db"),
        await opened(GeneralPathDatabase, tmp_path / "general.db"),
    ]
    try:
        yield sides
    finally:
        for db, _ in sides:
            await db.close()


async def rows_of(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the record path may touch, in a stable order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with db.read() as repos:
        connection = repos.entries._connection
        for table in (tables.entries, tables.standings, tables.participants):
            statement = sa.select(table).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in await connection.execute(statement)]
    return found


async def step(db: Database, action: str, now: datetime, **args: Any) -> object:
    """Run one action; return its answer, or the refusal's kind and words."""
    services = Services.build(db)
    try:
        if action == "spoil":
            # A checkpoint this engine cannot read (it walks as if there were none).
            async with db.write() as repos:
                await repos.entries._connection.execute(
                    tables.standings.update().values(state_json="{")
                )
            return None
        if action == "record":
            return await services.entries.record(guild_id=GUILD, at=now, **args)
        if action == "delete_message":
            return await services.entries.delete_message(at=now, **args)
        if action == "delete":
            return await services.entries.delete(at=now, **args)
        if action == "zone":
            return await services.participants.set_timezone(guild_id=GUILD, now=now, **args)
        if action == "refresh":
            return await services.progress.refresh_checkpoints(now=now, **args)
        if action == "join":
            return await services.participants.join(guild_id=GUILD, now=now, **args)
        if action == "rules":
            return await services.challenges.apply_edit(
                guild_id=GUILD, settings=ChallengeSettingsInput(), **args
            )
        if action == "adjust":
            return await services.organizers.adjust(
                guild_id=GUILD, organizer_id=ORGANIZER, challenge=None, now=now, **args
            )
    except DaybookError as error:
        return (type(error).__name__, str(error))
    raise ValueError(action)


def hostile_history(seed: int, challenge_id: int, start: datetime) -> list[tuple[Any, ...]]:
    """Random actions that aim at every refusal and every rare case of the record path."""
    rng = random.Random(seed)  # noqa: S311 - picks test histories, not secrets
    now = start + timedelta(days=5)  # everyone's checkpoint day lies after their start
    yesterday = now.date() - timedelta(days=1)
    # First the cases the direct path leaves to the general one, each met on purpose: a post
    # before a new member's start; a checkpoint that covers the day once Ada's zone moves west
    # (Kiritimati to UTC-12: her today goes back a day); a checkpoint it cannot read.
    actions: list[tuple[Any, ...]] = [
        (now, "join", {"user_id": MAYA, "timezone": "UTC"}),
        (now, "record", {"user_id": MAYA, "text": "before my start", "day": yesterday}),
        (now, "refresh", {"challenge_id": challenge_id}),
        (now, "zone", {"user_id": ADA, "timezone": "Etc/GMT+12"}),
        (now, "record", {"user_id": ADA, "text": "west", "day": yesterday - timedelta(days=2)}),
        (now, "spoil", {}),
        (now, "record", {"user_id": RAJ, "text": "unreadable checkpoint"}),
    ]
    for _ in range(60):
        now += timedelta(hours=rng.choice((0, 0, 1, 7, 24)), seconds=rng.randrange(90))
        user = rng.choice((ADA, ADA, RAJ, RAJ, MAYA, ORGANIZER))  # the organizer never joins
        roll = rng.random()
        if roll < 0.03:
            # New rules: every saved checkpoint's fingerprint is stale.
            rules = RulesInput(backfill_days=rng.choice((1, 2, 3)))
            actions.append((now, "rules", {"challenge_id": challenge_id, "rules": rules}))
        elif roll < 0.12:
            actions.append((now, "refresh", {"challenge_id": challenge_id}))
        elif roll < 0.2:
            actions.append((now, "zone", {"user_id": user, "timezone": rng.choice(ZONES)}))
        elif roll < 0.24:
            kind = rng.choice(list(AdjustmentKind))
            day = now.date() - timedelta(days=rng.randrange(0, 3))
            args = {"member_id": user, "day": day, "kind": kind, "reason": "test"}
            actions.append((now, "adjust", args))
        elif roll < 0.32:
            # A message deleted, maybe before its post arrives: a tombstone.
            actions.append((now, "delete_message", {"message_id": rng.randrange(500, 508)}))
        elif roll < 0.36:
            actions.append((now, "delete", {"entry_id": rng.randrange(1, 30), "user_id": user}))
        else:
            post: dict[str, Any] = {
                "user_id": user,
                "text": rng.choice(("did it", f"read {LINK}", "  spaced  out ", "x" * 40)),
                "minutes": rng.choice((None, 0, 30, 90)),
            }
            if rng.random() < 0.4:
                # Before the start, inside the window, or too late: every day rule.
                post["day"] = now.date() - timedelta(days=rng.randrange(-1, 4))
            if rng.random() < 0.35:
                post["message_id"] = rng.randrange(500, 508)  # duplicates and tombstones
                post["channel_id"] = 5
                if rng.random() < 0.3:
                    post["sent_at"] = now - timedelta(hours=rng.randrange(0, 30))
            actions.append((now, "record", post))
            if rng.random() < 0.3:
                # The same post again within the minute: kept once (refused, for a message).
                now += timedelta(seconds=rng.randrange(50))
                actions.append((now, "record", post))
    return actions


@pytest.mark.parametrize("seed", range(5))
async def test_direct_records_match_the_general_path(
    pair: list[tuple[Database, list[Changes]]], seed: int
) -> None:
    start = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    answers: list[list[object]] = []
    notes: list[list[Changes]] = []
    for db, heard in pair:
        services = Services.build(db)
        clock = FixedClock(start)
        challenge = await make_challenge(services, clock)
        await services.challenges.apply_edit(
            guild_id=GUILD,
            challenge_id=challenge.id,
            settings=ChallengeSettingsInput(),
            rules=RulesInput(backfill_days=2),
        )
        for user, zone in ((ADA, "Pacific/Kiritimati"), (RAJ, "Etc/GMT+12")):
            await services.participants.join(
                guild_id=GUILD,
                user_id=user,
                now=start,
                timezone=zone,
                start=start.date() - timedelta(days=1),
            )
        heard.clear()
        said: list[object] = []
        per_step: list[Changes] = []
        for now, action, args in hostile_history(seed, challenge.id, start):
            said.append(await step(db, action, now, **args))
            per_step.append(merged(heard))
            heard.clear()
        answers.append(said)
        notes.append(per_step)
    direct, general = pair[0][0], pair[1][0]
    assert direct.writes_direct
    assert not general.writes_direct
    assert answers[0] == answers[1]
    assert notes[0] == notes[1]
    assert await rows_of(direct) == await rows_of(general)
    # The history reached the cases it aims at, on both sides alike.
    kinds = {
        answer[0] if isinstance(answer, tuple) else type(answer).__name__ for answer in answers[0]
    }
    assert {"RecordedEntry", "MessageLoggedError", "InvalidInputError", "NotFoundError"} <= kinds


def merged(heard: list[Changes]) -> Changes:
    """One note for everything heard during a step."""
    total = Changes()
    for changes in heard:
        total.entries |= changes.entries
        total.members |= changes.members
        total.challenges |= changes.challenges
        total.everything |= changes.everything
    return total


@pytest.mark.parametrize("kind", [Database, GeneralPathDatabase], ids=["direct", "general"])
async def test_a_cancelled_record_is_all_or_nothing_and_heard_only_if_stored(
    tmp_path: Path, kind: type[Database]
) -> None:
    db, heard = await opened(kind, tmp_path / "cancel.db")
    try:
        services = Services.build(db)
        clock = FixedClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
        await make_challenge(services, clock)
        joined = await services.participants.join(
            guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC"
        )
        member = joined.participant.id
        # Cancel after every number of loop turns: before the write lock, during the job on the
        # driver's thread (which then runs to its end, commit included), while it gives the
        # connection back.
        for turns in range(30):
            heard.clear()
            text = f"post {turns}"
            task = asyncio.create_task(
                services.entries.record(guild_id=GUILD, user_id=ADA, text=text, at=clock())
            )
            for _ in range(turns):
                await asyncio.sleep(0)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            async with db.read() as repos:
                stored = [e.text for e in await repos.entries.recent(member, 100)]
            assert (text in stored) == any(member in changes.entries for changes in heard)
            assert not db._write_lock.locked()
        # A cancelled record never left the writer stuck: the next one goes through.
        after = await services.entries.record(guild_id=GUILD, user_id=ADA, text="after", at=clock())
        assert after.entry.text == "after"
    finally:
        await db.close()


@pytest.mark.parametrize("kind", [Database, GeneralPathDatabase], ids=["direct", "general"])
async def test_a_cancelled_record_that_falls_back_ends_cancelled(
    tmp_path: Path, kind: type[Database]
) -> None:
    # A post before the member's start: the direct job rolls back and the general path records
    # it. A cancel that lands while the job runs must end the record there, not be swallowed by
    # the fallback (which would then store the post of a task its caller cancelled).
    db, heard = await opened(kind, tmp_path / "fallback.db")
    try:
        services = Services.build(db)
        clock = FixedClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
        await make_challenge(services, clock)
        joined = await services.participants.join(
            guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC"
        )
        member = joined.participant.id
        before_start = clock().date() - timedelta(days=1)
        for turns in range(30):
            heard.clear()
            text = f"early {turns}"
            task = asyncio.create_task(
                services.entries.record(
                    guild_id=GUILD, user_id=ADA, text=text, at=clock(), day=before_start
                )
            )
            for _ in range(turns):
                await asyncio.sleep(0)
            landed = task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            assert task.cancelled() or not landed
            async with db.read() as repos:
                stored = [e.text for e in await repos.entries.recent(member, 100)]
            assert (text in stored) == any(member in changes.entries for changes in heard)
            assert not db._write_lock.locked()
    finally:
        await db.close()

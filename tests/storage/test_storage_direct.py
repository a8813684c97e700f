"""`Database.write_direct`: a write transaction run whole on the writer connection's thread.

On SQLite the record path's read and insert run there in one hand-off, on the driver's own
connection, with statements compiled once (`storage.aio.DriverStatement`). They must read and
store exactly what the Core path does, end their transaction whatever happens, and keep the
write lock, cancellation and change-note guarantees of `Database.write`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import threading
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from bot.domain.models import AdjustmentKind, EntrySource, Link, LinkKind
from storage import Changes, Database, StoredStanding, tables
from storage.repositories.entries import DirectEntries
from tests.storage.conftest import D0, T0, Seed

pytestmark = pytest.mark.sqlite_only


async def seeded_member(database: Database, seed: Seed) -> dict[str, Any]:
    """A member with a checkpoint, days after it (links, unstated minutes, an import), an
    adjustment, a channel post and a deleted message's tombstone; the record-context query."""
    challenge = await seed.challenge()
    member = await seed.participant(challenge, user_id=4242)
    for back in range(6, -1, -1):
        day = D0 - timedelta(days=back)
        await seed.entry(
            member,
            day,
            minutes=None if back % 3 == 0 else 25,
            links=(Link("https://github.com/a/b", LinkKind.GITHUB),) if back % 2 else (),
            tags=("python",),
            source=EntrySource.IMPORT if back == 4 else EntrySource.COMMAND,
            created_at=T0 - timedelta(days=back, seconds=20),
            message_id=9000 + back,
            channel_id=501,
        )
    async with database.write() as repos:
        checkpoint = StoredStanding(member.id, "f" * 32, D0 - timedelta(days=4), "{}")
        await repos.standings.put_many([checkpoint], T0)
        await repos.adjustments.add(
            participant_id=member.id,
            day=D0 - timedelta(days=1),
            kind=AdjustmentKind.EXCUSE,
            reason="ill",
            organizer_id=1,
            created_at=T0,
        )
        await repos.tombstones.bury(9999, T0)
    return {
        "guild_id": challenge.guild_id,
        "user_id": member.user_id,
        "days": (D0 - timedelta(days=1), D0),
        "created": (T0 - timedelta(minutes=1), T0),
    }


@pytest.mark.parametrize(
    "message_id", [None, 9000, 9999, 1], ids=["slash", "logged", "buried", "new"]
)
async def test_the_direct_read_is_the_core_read(database: Database, seed: Seed, message_id) -> None:
    query = await seeded_member(database, seed)
    query["message_id"] = message_id
    async with database.write() as repos:
        core = await repos.entries.record_context(**query)
    direct = await database.write_direct(lambda entries: entries.record_context(**query))
    assert direct == core
    # The seeded cases are all there: days after the checkpoint, the adjustment, the posts of
    # the last minute, and the message's fate.
    assert len(core.facts[core.members[0].participant.id]) == 4
    assert core.recent
    assert (core.buried, core.logged is not None) == (message_id == 9999, message_id == 9000)


async def test_a_direct_insert_stores_what_the_core_insert_stores(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    member = await seed.participant(challenge)
    values: dict[str, Any] = {
        "participant_id": member.id,
        "challenge_id": challenge.id,
        "user_id": member.user_id,
        "local_day": D0,
        "timezone": "Asia/Kolkata",
        "text": "café ☕ https://github.com/a/b",
        "minutes": None,
        "words": 2,
        "tags": ("python", "ml"),
        "links": (Link("https://github.com/a/b", LinkKind.GITHUB),),
        "attachments": ("a.png",),
        "source": EntrySource.CHANNEL,
        "created_at": T0,
        "message_id": 2**62,
        "channel_id": 501,
    }
    async with database.write() as repos:
        core = await repos.entries.add(**values, invalidate=False)
    direct = await database.write_direct(
        lambda entries: entries.add(**{**values, "message_id": 2**62 + 1})
    )
    async with database.read() as repos:
        stored_core = await repos.entries.get(core.id)
        stored_direct = await repos.entries.get(direct.id)
    assert stored_direct == direct
    assert stored_core == core
    assert dataclasses.replace(stored_direct, id=core.id, message_id=2**62) == stored_core
    # The rows as stored, bytes and all (dates, instants, booleans, JSON), but for the id and
    # the message.
    raw = sqlite3.connect(database.url.database)
    try:
        rows = raw.execute("SELECT * FROM entries ORDER BY id").fetchall()
    finally:
        raw.close()
    names = [column.name for column in tables.entries.c]
    same = [i for i, name in enumerate(names) if name not in {"id", "message_id"}]
    assert [[row[i] for i in same] for row in rows] == [[rows[0][i] for i in same]] * 2
    assert rows[0][names.index("created_at")] == "2026-03-02 12:00:00.000000"


async def test_a_direct_write_commits_then_tells_listeners_and_its_statements_are_seen(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    member = await seed.participant(challenge)
    heard: list[Changes] = []
    database.add_listener(heard.append)
    sent: list[str] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        sent.append(" ".join(words[:3]) if "change_" in statement else words[0].upper())

    sa.event.listen(database._writer.sync_engine, "before_cursor_execute", hook)
    try:
        entry = await database.write_direct(lambda entries: _add(entries, member.id, challenge.id))
    finally:
        sa.event.remove(database._writer.sync_engine, "before_cursor_execute", hook)
    # The commit is the driver's own call, as in Core; the change version is bumped last.
    assert sent == [
        "BEGIN",
        "INSERT",
        "INSERT INTO change_versions",
        "INSERT INTO change_log",
    ]
    assert [changes.entries for changes in heard] == [{member.id}]
    async with database.read() as repos:
        assert await repos.entries.get(entry.id) == entry


async def test_a_direct_write_that_raises_rolls_back_and_is_not_heard(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    member = await seed.participant(challenge)
    heard: list[Changes] = []
    database.add_listener(heard.append)
    added = []

    def job(entries: DirectEntries) -> None:
        added.append(_add(entries, member.id, challenge.id))
        raise LookupError("refused after the insert")

    with pytest.raises(LookupError):
        await database.write_direct(job)
    assert added
    assert heard == []
    async with database.read() as repos:
        assert await repos.entries.get(added[0].id) is None
    # The transaction is over: another connection takes the write lock at once.
    other = sqlite3.connect(database.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert not database._write_lock.locked()
    assert database._writer.sync_engine.pool.checkedout() == 0


async def test_a_direct_write_cancelled_while_it_runs_finishes_commits_and_is_heard(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    member = await seed.participant(challenge)
    heard: list[Changes] = []
    database.add_listener(heard.append)
    started = asyncio.Event()
    release = threading.Event()
    loop = asyncio.get_running_loop()
    added = []

    def job(entries: DirectEntries) -> None:
        added.append(_add(entries, member.id, challenge.id))
        loop.call_soon_threadsafe(started.set)
        release.wait(10)  # on the driver's thread: the cancel lands meanwhile

    task = asyncio.create_task(database.write_direct(job))
    await asyncio.wait_for(started.wait(), 10)
    task.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The job ran to its end: committed, heard, the lock and the connection given back.
    async with database.read() as repos:
        assert await repos.entries.get(added[0].id) == added[0]
    assert [changes.entries for changes in heard] == [{member.id}]
    assert not database._write_lock.locked()
    assert database._writer.sync_engine.pool.checkedout() == 0
    await seed.entry(member)  # the writer is free for the next write


def _add(
    entries: DirectEntries, participant_id: int, challenge_id: int, message_id: int | None = None
) -> Any:
    return entries.add(
        message_id=message_id,
        participant_id=participant_id,
        challenge_id=challenge_id,
        user_id=7,
        local_day=D0,
        timezone="UTC",
        text="direct",
        minutes=5,
        words=1,
        tags=(),
        links=(),
        attachments=(),
        source=EntrySource.COMMAND,
        created_at=T0,
    )


async def test_a_direct_write_running_when_the_database_closes_closes_its_connection(
    database_url: str,
) -> None:
    # The job finishes, and its connection is then closed, not returned to the pool close()
    # replaced (which kept it, and aiosqlite's thread, open until collected).
    db = await Database.open(database_url)
    started = asyncio.Event()
    release = threading.Event()
    loop = asyncio.get_running_loop()
    drivers: list[Any] = []

    def job(entries: DirectEntries) -> int:
        loop.call_soon_threadsafe(started.set)
        release.wait(10)
        return 1

    async def hold_the_driver() -> None:
        async with db._writer.connect() as connection:
            drivers.append((await connection.get_raw_connection()).driver_connection)

    await hold_the_driver()  # the writer's one pooled connection, the job's too
    task = asyncio.create_task(db.write_direct(job))
    await asyncio.wait_for(started.wait(), 10)
    await db.close()
    release.set()
    assert await task == 1
    (driver,) = drivers
    assert driver._connection is None  # aiosqlite closed it


async def test_a_direct_statement_fails_with_the_error_core_raises(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    member = await seed.participant(challenge)
    await seed.entry(member, message_id=555)
    with pytest.raises(sa.exc.IntegrityError) as core:
        await seed.entry(member, message_id=555)
    with pytest.raises(sa.exc.IntegrityError) as direct:
        await database.write_direct(
            lambda entries: _add(entries, member.id, challenge.id, message_id=555)
        )
    assert type(direct.value.orig) is type(core.value.orig)
    assert str(direct.value.orig) == str(core.value.orig)

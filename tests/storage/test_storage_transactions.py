from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.models import AdjustmentKind
from storage import (
    Database,
    SendStatus,
    StoredStanding,
    UnsupportedDatabaseError,
    backup,
    migrate,
)
from storage.migrate import head_revision

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
D0 = date(2026, 3, 2)


class BoomError(Exception):
    pass


async def test_concurrent_writes_serialise_and_a_failure_rolls_back_only_itself(database):
    async def write(index: int) -> None:
        async with database.write() as repos:
            await repos.sends.mark_sent("test", f"target:{index}", "p", T0)
            await asyncio.sleep(0)  # let the other tasks try to interleave
            if index == 7:
                raise BoomError

    results = await asyncio.gather(*(write(i) for i in range(20)), return_exceptions=True)

    assert [i for i, result in enumerate(results) if isinstance(result, BoomError)] == [7]
    assert all(result is None for i, result in enumerate(results) if i != 7)
    async with database.read() as repos:
        statuses = [await repos.sends.status("test", f"target:{i}", "p") for i in range(20)]
    assert statuses == [None if i == 7 else SendStatus.SENT for i in range(20)]


async def test_reads_see_only_committed_writes(database):
    entered = asyncio.Event()
    release = asyncio.Event()

    async def slow_write() -> None:
        async with database.write() as repos:
            await repos.sends.mark_sent("test", "t", "p", T0)
            entered.set()
            await release.wait()

    writer = asyncio.create_task(slow_write())
    await entered.wait()
    async with database.read() as repos:  # WAL: readers are not blocked by the writer
        during = await repos.sends.status("test", "t", "p")
    release.set()
    await writer
    async with database.read() as repos:
        after = await repos.sends.status("test", "t", "p")

    assert (during, after) == (None, SendStatus.SENT)


async def test_claim_twice_then_retry_after_failure(database):
    key = ("digest", "challenge:1", "2026-W10")

    async with database.write() as repos:
        first = await repos.sends.claim(*key, T0)
        second = await repos.sends.claim(*key, T0)
        status_claimed = await repos.sends.status(*key)
        await repos.sends.mark_failed(*key, T0, "HTTP 503")
        failed = await repos.sends.status(*key)
        retried = await repos.sends.claim(*key, T0 + timedelta(minutes=5))
        attempts = await repos.sends.attempts(*key)
        await repos.sends.mark_sent(*key, T0 + timedelta(minutes=6))
        after_sent = await repos.sends.claim(*key, T0 + timedelta(minutes=7))
        final = await repos.sends.status(*key)

    assert (first, second, retried, after_sent) == (True, False, True, False)
    assert (status_claimed, failed, final) == (
        SendStatus.PENDING,
        SendStatus.FAILED,
        SendStatus.SENT,
    )
    assert attempts == 2


async def test_skipped_without_claim_is_recorded_and_not_claimable(database):
    async with database.write() as repos:
        await repos.sends.mark_skipped("reminder", "participant:1", "2026-03-02", T0, "hidden")
        claimed = await repos.sends.claim("reminder", "participant:1", "2026-03-02", T0)
        status = await repos.sends.status("reminder", "participant:1", "2026-03-02")
        never = await repos.sends.status("reminder", "participant:2", "2026-03-02")

    assert (claimed, status, never) == (False, SendStatus.SKIPPED, None)


async def test_two_processes_claiming_the_same_send_get_one_true(database, migrated_url):
    others = [await Database.open(migrated_url) for _ in range(3)]
    try:

        async def claim(db: Database) -> bool:
            async with db.write() as repos:
                return await repos.sends.claim("digest", "challenge:9", "2026-W11", T0)

        results = await asyncio.gather(*(claim(db) for db in [database, *others, database]))
    finally:
        for db in others:
            await db.close()

    assert sorted(results) == [False, False, False, False, True]


async def test_forget_user_removes_that_user_everywhere_and_nothing_else(database, seed):
    first = await seed.challenge("A")
    second = await seed.challenge("B", guild_id=2)
    gone = [await seed.participant(first, user_id=66), await seed.participant(second, user_id=66)]
    kept = await seed.participant(first, user_id=67)
    for person in [*gone, kept]:
        await seed.entry(person, D0)
    async with database.write() as repos:
        for person in [*gone, kept]:
            await repos.adjustments.add(
                participant_id=person.id,
                day=D0,
                kind=AdjustmentKind.COUNT,
                reason="lost post",
                organizer_id=1,
                created_at=T0,
            )
            await repos.participants.set_timezone(person.id, "UTC", T0 + timedelta(days=1))
            await repos.sends.mark_sent("reminder", f"participant:{person.id}", "2026-03-02", T0)
        await repos.standings.put_many(
            [StoredStanding(p.id, "f", D0, "{}") for p in [*gone, kept]], T0
        )
        await repos.sends.mark_sent("dm", "user:66", "2026-03-02", T0)
        await repos.sends.mark_sent("digest", "challenge:1", "2026-W10", T0)

    async with database.write() as repos:
        deleted = await repos.participants.forget_user(66)

    assert deleted == 2
    async with database.read() as repos:
        connection = repos.entries._connection
        remaining = {
            table: sorted(
                (await connection.exec_driver_sql(f"SELECT {column} FROM {table}")).scalars()  # noqa: S608
            )
            for table, column in [
                ("participants", "user_id"),
                ("entries", "user_id"),
                ("adjustments", "participant_id"),
                ("participant_zones", "participant_id"),
                ("standings", "participant_id"),
                ("send_ledger", "target"),
            ]
        }
        assert await repos.participants.challenges_of_user(first.guild_id, 66) == []
    assert remaining == {
        "participants": [67],
        "entries": [67],
        "adjustments": [kept.id],
        "participant_zones": [kept.id, kept.id],
        "standings": [kept.id],
        "send_ledger": ["challenge:1", f"participant:{kept.id}"],
    }


@pytest.mark.sqlite_only
async def test_backup_is_a_consistent_copy_that_opens(database, seed, participant, tmp_path):
    for offset in range(3):
        await seed.entry(participant, D0 + timedelta(days=offset))
    target = tmp_path / "backups" / "daybook-copy.db"
    target.parent.mkdir()
    target.write_bytes(b"an older backup")  # replaced, not appended to

    written = await backup(database, target)

    assert written == target
    assert not list(target.parent.glob("*.partial"))
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM entries").fetchone() == (3,)
    copy_url = f"sqlite+aiosqlite:///{target}"
    assert await migrate(copy_url) == head_revision()  # the copy is already at the head
    copied = await Database.open(copy_url)
    try:
        async with copied.read() as repos, database.read() as originals:
            assert await repos.entries.between(participant.id, D0, D0 + timedelta(days=9)) == (
                await originals.entries.between(participant.id, D0, D0 + timedelta(days=9))
            )
            assert await repos.challenges.get(participant.challenge_id) == (
                await originals.challenges.get(participant.challenge_id)
            )
    finally:
        await copied.close()

    async with database.write() as repos:  # the live database still takes writes
        await repos.sends.mark_sent("x", "y", "z", T0)


async def test_backup_refuses_a_database_that_is_not_a_sqlite_file(tmp_path):
    db = await Database.open("sqlite+aiosqlite:///:memory:")
    try:
        with pytest.raises(UnsupportedDatabaseError, match="SQLite"):
            await backup(db, tmp_path / "copy.db")
    finally:
        await db.close()


@pytest.mark.postgres_only
async def test_backup_refuses_postgresql(database, tmp_path):
    with pytest.raises(UnsupportedDatabaseError, match="pg_dump"):
        await backup(database, tmp_path / "copy.db")


async def test_a_write_whose_commit_fails_leaves_no_transaction_open(tmp_path) -> None:
    # The SQLite writer's pool does not roll back on return (every transaction ends itself):
    # a COMMIT that fails (here a deferred foreign key; in life a full disk) leaves SQLite's
    # transaction open, which the writer must not take back to the pool, the write lock held
    # and every later BEGIN refused.
    url = f"sqlite+aiosqlite:///{tmp_path / 'commit.db'}"
    await migrate(url)
    database = await Database.open(url)
    try:
        async with database._writer.begin() as connection:
            await connection.exec_driver_sql("CREATE TABLE p (id INTEGER PRIMARY KEY)")
            await connection.exec_driver_sql(
                "CREATE TABLE k (id INTEGER PRIMARY KEY,"
                " p INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)"
            )
        with pytest.raises(Exception, match="FOREIGN KEY"):
            async with database._writer.begin() as connection:
                await connection.exec_driver_sql("INSERT INTO k VALUES (1, 99)")
        async with database.write() as repos:
            await repos.sends.mark_sent("test", "target:1", "p", T0)
        async with database.read() as repos:
            assert await repos.sends.status("test", "target:1", "p") is SendStatus.SENT
        other = sqlite3.connect(tmp_path / "commit.db", timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")  # the file's write lock is free
            assert other.execute("SELECT count(*) FROM k").fetchone() == (0,)
            other.rollback()
        finally:
            other.close()
    finally:
        await database.close()

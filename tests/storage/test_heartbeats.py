"""The heartbeats table: written by the bot process, read back by `daybook health` without ever
creating or migrating a database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.heartbeat import HeartbeatWriter
from storage import Database
from storage.health import HealthDatabaseMissingError, read_heartbeat
from storage.repositories.heartbeats import KEY_LIMIT, Heartbeat, process_key
from storage.shards import Shards
from tests.storage.conftest import T0


async def row(database: Database, process: str) -> Heartbeat:
    """The process's heartbeat, which must be there."""
    found = await read_heartbeat(database.url, process)
    assert found is not None
    return found


class Clock:
    """A clock a test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


async def test_a_start_then_ticks_and_gateway_changes_are_read_back(database: Database) -> None:
    async with database.write() as repos:
        await repos.heartbeats.started("all", T0, "1.2.3")
    async with database.write() as repos:
        assert await repos.heartbeats.ticked("all", T0 + timedelta(seconds=30))
        assert await repos.heartbeats.gateway("all", up=True, at=T0 + timedelta(seconds=40))
        # Another process's row is not touched, and a missing one is said to be missing.
        assert not await repos.heartbeats.ticked("shards 1 of 2", T0)

    found = await read_heartbeat(database.url, "all")

    assert found == Heartbeat(
        process="all",
        started_at=T0,
        ticked_at=T0 + timedelta(seconds=30),
        gateway_up=True,
        gateway_changed_at=T0 + timedelta(seconds=40),
        version="1.2.3",
    )
    assert await read_heartbeat(database.url, "shards 1 of 2") is None


async def test_a_new_start_forgets_the_previous_process_state(database: Database) -> None:
    later = T0 + timedelta(hours=5)
    async with database.write() as repos:
        await repos.heartbeats.started("all", T0, "1.0")
        await repos.heartbeats.ticked("all", T0 + timedelta(minutes=1))
        await repos.heartbeats.gateway("all", up=True, at=T0)
        await repos.heartbeats.started("all", later, "1.1")

    assert await read_heartbeat(database.url, "all") == Heartbeat(
        process="all",
        started_at=later,
        ticked_at=None,
        gateway_up=False,
        gateway_changed_at=None,
        version="1.1",
    )


async def test_the_writer_marks_the_gateway_up_only_when_every_shard_is(database: Database) -> None:
    clock = Clock()
    writer = HeartbeatWriter(database, Shards.of(8, [2, 3]), clock, "9.9")
    await writer.started()
    process = "shards 2-3 of 8"

    clock.now = T0 + timedelta(seconds=5)
    await writer.shard_up(2)
    assert (await row(database, process)).gateway_up is False

    clock.now = T0 + timedelta(seconds=10)
    await writer.shard_up(3)
    up = await row(database, process)
    assert (up.gateway_up, up.gateway_changed_at) == (True, T0 + timedelta(seconds=10))

    clock.now = T0 + timedelta(seconds=20)
    await writer.shard_up(3)  # a RESUME of a connected shard changes nothing
    assert (await row(database, process)).gateway_changed_at == T0 + timedelta(seconds=10)

    clock.now = T0 + timedelta(seconds=30)
    await writer.shard_down(2)
    down = await row(database, process)
    assert (down.gateway_up, down.gateway_changed_at) == (False, T0 + timedelta(seconds=30))


async def test_a_tick_after_a_failed_start_write_puts_the_row_back(database: Database) -> None:
    clock = Clock()
    writer = HeartbeatWriter(database, Shards.every(), clock, "9.9")
    writer._started_at = T0  # as started() does before the write that failed
    await writer.shard_up(None)  # nothing to update yet: no row

    clock.now = T0 + timedelta(minutes=1)
    await writer.ticked()

    assert await read_heartbeat(database.url, "all") == Heartbeat(
        process="all",
        started_at=T0,
        ticked_at=T0 + timedelta(minutes=1),
        gateway_up=True,
        gateway_changed_at=T0 + timedelta(minutes=1),
        version="9.9",
    )


async def test_a_failing_write_is_logged_and_never_raised(database: Database, caplog) -> None:
    writer = HeartbeatWriter(database, Shards.every(), Clock(), "9.9")

    class Broken:
        def write(self):
            raise ConnectionError("the database went away")

    writer.database = Broken()  # type: ignore[assignment]

    await writer.started()
    await writer.ticked()
    await writer.shard_up(None)

    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.heartbeat"]
    assert warnings == [
        "could not record the start in the heartbeats table",
        "could not record the scheduler's tick",
        "could not record the gateway going up",
    ]


@pytest.mark.sqlite_only(reason="a SQLite file that is not there")
async def test_reading_never_creates_a_missing_sqlite_file(tmp_path) -> None:
    missing = tmp_path / "data" / "daybook.db"
    empty = tmp_path / "empty.db"
    empty.touch()

    with pytest.raises(HealthDatabaseMissingError) as raised:
        await read_heartbeat(f"sqlite+aiosqlite:///{missing}", "all")
    assert raised.value.location == str(missing)
    with pytest.raises(HealthDatabaseMissingError):
        await read_heartbeat(f"sqlite:///{empty}", "all")

    assert not missing.parent.exists()
    assert empty.stat().st_size == 0


def test_process_keys_are_stable_short_and_distinct() -> None:
    assert process_key(Shards.every()) == "all"
    assert process_key(Shards.every(4)) == "all"
    assert process_key(Shards.of(16, [0, 2, 3, 4, 5, 9])) == "shards 0,2-5,9 of 16"
    assert process_key(Shards.of(2, [1])) == "shards 1 of 2"
    # Hundreds of shards: every other one of 1,000 makes 500 ranges, far over the column.
    evens = Shards.of(1000, range(0, 1000, 2))
    odds = Shards.of(1000, range(1, 1000, 2))
    keys = {process_key(evens), process_key(odds)}
    assert len(keys) == 2
    assert all(len(key) <= KEY_LIMIT for key in keys)
    assert process_key(Shards.of(1000, range(998, -1, -2))) == process_key(evens)
    assert process_key(Shards.of(1000, range(900))) == "shards 0-899 of 1000"

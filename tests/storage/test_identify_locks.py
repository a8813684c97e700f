"""Taking turns to identify: processes sharing PostgreSQL hold one lock per identify bucket.

Each `IdentifyGate` here stands for one process (its own lock connection). The 5-second window
is a sleep the test controls: nothing sleeps for real.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot.app import create_bot
from bot.config import Settings
from bot.identify import IDENTIFY_WINDOW_S, RETRY_S, IdentifyGate
from storage.database import normalise_url
from storage.identify import IdentifyLocks
from tests._postgres import POSTGRES_URL


class Clock:
    """The gates' sleep: windows end when the test says; retries count the tries and yield."""

    def __init__(self) -> None:
        self.window_over = asyncio.Event()
        self.retries = 0
        self.retried = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        if seconds == IDENTIFY_WINDOW_S:
            await self.window_over.wait()
            return
        assert seconds == RETRY_S
        self.retries += 1
        if self.retries >= 3:
            self.retried.set()
        await asyncio.sleep(0)


async def refused_thrice(clock: Clock, waiting: asyncio.Task[int]) -> None:
    """Wait until `waiting` was refused three times; fail at once if it got through instead."""
    retried = asyncio.create_task(clock.retried.wait())
    await asyncio.wait({retried, waiting}, return_when=asyncio.FIRST_COMPLETED)
    assert not waiting.done(), "identified while another process held the bucket"
    assert retried.done()


@pytest.fixture
async def locks() -> AsyncIterator[list[IdentifyLocks]]:
    made: list[IdentifyLocks] = []
    yield made
    for lock in made:
        await lock.close()


def session(locks: list[IdentifyLocks]) -> IdentifyLocks:
    """A lock connection of its own (closed by the fixture): another process's, or a watcher's."""
    lock = IdentifyLocks(normalise_url(POSTGRES_URL))
    locks.append(lock)
    return lock


def process(locks: list[IdentifyLocks], clock: Clock) -> IdentifyGate:
    """A process's gate, on a lock connection of its own."""
    return IdentifyGate(session(locks), sleep=clock.sleep)


@pytest.mark.postgres_only
async def test_two_processes_identify_in_one_bucket_one_after_the_other(
    locks: list[IdentifyLocks],
) -> None:
    first_clock, second_clock = Clock(), Clock()
    first, second = process(locks, first_clock), process(locks, second_clock)

    assert await first.wait_turn(0, 1) == 0
    waiting = asyncio.create_task(second.wait_turn(1, 1))  # shard 1 % 1: the same bucket
    await refused_thrice(second_clock, waiting)

    first_clock.window_over.set()  # the first identify's 5 seconds are over

    assert await waiting == 0
    await first.close()
    await second.close()


@pytest.mark.postgres_only
async def test_different_buckets_identify_at_once(locks: list[IdentifyLocks]) -> None:
    first_clock, second_clock = Clock(), Clock()
    first, second = process(locks, first_clock), process(locks, second_clock)

    assert await first.wait_turn(0, 2) == 0
    assert await second.wait_turn(3, 2) == 1  # during the first's window, never refused

    assert second_clock.retries == 0
    await first.close()
    await second.close()


@pytest.mark.postgres_only
async def test_one_process_shards_of_a_bucket_take_turns_too(locks: list[IdentifyLocks]) -> None:
    # The advisory lock is re-entrant within a session: the process's own turn-taking counts.
    clock = Clock()
    gate = process(locks, clock)

    onlooker = session(locks)

    await gate.wait_turn(0, 1)
    waiting = asyncio.create_task(gate.wait_turn(2, 1))
    for _ in range(5):  # five round trips: time enough for a re-entrant lock to be granted
        assert await onlooker.try_lock(7)
    assert not waiting.done()

    clock.window_over.set()

    assert await waiting == 0
    await gate.close()


@pytest.mark.postgres_only
async def test_a_process_that_dies_holding_a_bucket_gives_it_back(
    locks: list[IdentifyLocks],
) -> None:
    dying_clock, other_clock = Clock(), Clock()
    dying, other = process(locks, dying_clock), process(locks, other_clock)
    await dying.wait_turn(0, 1)
    waiting = asyncio.create_task(other.wait_turn(0, 1))
    await refused_thrice(other_clock, waiting)

    await locks[0].close()  # its session ends (as a killed process's does), window or not

    assert await waiting == 0
    await dying.close()
    await other.close()


@pytest.mark.postgres_only
async def test_a_bucket_is_free_again_after_its_window(locks: list[IdentifyLocks]) -> None:
    clock = Clock()
    gate = process(locks, clock)
    onlooker = session(locks)

    await gate.wait_turn(5, 4)  # bucket 1
    assert not await onlooker.try_lock(1)
    assert await onlooker.try_lock(2)  # another bucket is free meanwhile
    await onlooker.unlock(2)
    clock.window_over.set()

    # The gate's connection stays open: the lock comes back by its release, not by a close.
    for _ in range(100):
        if await onlooker.try_lock(1):
            break
    else:
        pytest.fail("the bucket stayed taken after its window")
    await gate.close()


@pytest.mark.postgres_only
async def test_the_bot_waits_for_its_bucket_before_identifying(
    locks: list[IdentifyLocks], monkeypatch
) -> None:
    bot = create_bot(
        Settings(database_url=POSTGRES_URL, shard_count=4, shard_ids=[1, 3]),
        chart_executor=ThreadPoolExecutor(1),
        run_scheduler=False,
    )
    assert bot.identify_gate is not None
    clock = Clock()
    gate_locks = IdentifyLocks(normalise_url(POSTGRES_URL))
    locks.append(gate_locks)
    bot.identify_gate = IdentifyGate(gate_locks, sleep=clock.sleep)

    async def gateway() -> tuple[int, str, dict[str, int]]:
        limits = {"total": 1000, "remaining": 990, "reset_after": 0, "max_concurrency": 2}
        return 4, "wss://gateway.discord.gg", limits

    monkeypatch.setattr(bot.http, "get_bot_gateway", gateway)
    onlooker = session(locks)

    await bot.before_identify_hook(3, initial=True)  # bucket 3 % 2 = 1, held for the window

    assert not await onlooker.try_lock(1)
    assert await onlooker.try_lock(0)
    await bot.identify_gate.close()


def test_a_bot_on_sqlite_keeps_discord_pys_own_spacing(tmp_path) -> None:
    bot = create_bot(
        Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"),
        chart_executor=ThreadPoolExecutor(1),
        run_scheduler=False,
    )

    assert bot.identify_gate is None


async def _drop_lock_connections(onlooker: IdentifyLocks) -> int:
    """End every other session that took or gave back an identify lock (a restart's effect)."""
    await onlooker.try_lock(99)  # opens the onlooker's own connection, left alone below
    connection = await onlooker._session.connection()
    ended = await connection.execute(
        sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE pid <> pg_backend_pid() AND query ILIKE '%advisory%'"
        )
    )
    return len(list(ended))


@pytest.mark.postgres_only
async def test_a_lock_connection_lost_between_identifies_is_opened_again(
    locks: list[IdentifyLocks],
) -> None:
    # PostgreSQL restarted (or a proxy dropped the idle connection) since the last identify:
    # the next shard to identify must get its turn on a new connection, not an error that
    # discord.py does not handle (it would close the whole bot).
    clock = Clock()
    gate = process(locks, clock)
    onlooker = session(locks)
    await gate.wait_turn(0, 1)
    clock.window_over.set()
    await asyncio.gather(*gate._releases)
    assert await _drop_lock_connections(onlooker) == 1

    assert await gate.wait_turn(1, 1) == 0

    assert not await onlooker.try_lock(0)  # held, by the new connection
    await gate.close()


@pytest.mark.postgres_only
async def test_a_database_that_cannot_be_reached_is_a_connection_error_for_discord_py(
    locks: list[IdentifyLocks],
) -> None:
    # discord.py retries a connection attempt after an OSError (with backoff) but closes the
    # bot on any other exception from the hook.
    url = normalise_url(POSTGRES_URL).set(database="daybook_no_such_database")
    lost = IdentifyLocks(url)
    locks.append(lost)
    gate = IdentifyGate(lost, sleep=Clock().sleep)

    with pytest.raises(OSError, match="identify"):
        await gate.wait_turn(0, 1)


@pytest.mark.postgres_only
async def test_max_concurrency_unknown_once_is_asked_again_at_the_next_identify(
    locks: list[IdentifyLocks], monkeypatch
) -> None:
    # A process that kept "1" after one failed GET /gateway/bot would lock bucket 0 for every
    # shard while the other processes lock shard % max_concurrency: two identifies in one of
    # Discord's buckets at once.
    bot = create_bot(
        Settings(database_url=POSTGRES_URL, shard_count=4, shard_ids=[1, 3]),
        chart_executor=ThreadPoolExecutor(1),
        run_scheduler=False,
    )
    clock = Clock()
    gate_locks = IdentifyLocks(normalise_url(POSTGRES_URL))
    locks.append(gate_locks)
    bot.identify_gate = IdentifyGate(gate_locks, sleep=clock.sleep)
    answers: list[int | None] = [None, 2]

    async def gateway() -> tuple[int, str, dict[str, int]]:
        concurrency = answers.pop(0)
        if concurrency is None:
            raise OSError("the gateway did not answer")
        limits = {"total": 1000, "remaining": 990, "reset_after": 0, "max_concurrency": concurrency}
        return 4, "wss://gateway.discord.gg", limits

    monkeypatch.setattr(bot.http, "get_bot_gateway", gateway)
    onlooker = session(locks)
    await bot.before_identify_hook(1, initial=True)  # unknown: one at a time, bucket 0
    clock.window_over.set()
    await asyncio.gather(*bot.identify_gate._releases)
    clock.window_over.clear()

    await bot.before_identify_hook(3)  # known now: bucket 3 % 2 = 1

    assert not await onlooker.try_lock(1)
    assert answers == []
    await bot.identify_gate.close()


@pytest.mark.postgres_only
async def test_a_gate_closed_while_a_shard_waits_takes_no_bucket_after(
    locks: list[IdentifyLocks],
) -> None:
    # The bot closes (SIGTERM) while a shard waits its turn: discord.py's launch goes on
    # calling the hook, and a closed gate must not open a new connection and take turns
    # from the processes that stay.
    holder_clock, closing_clock = Clock(), Clock()
    holder, closing = process(locks, holder_clock), process(locks, closing_clock)
    onlooker = session(locks)
    await holder.wait_turn(0, 1)
    waiting = asyncio.create_task(closing.wait_turn(1, 1))
    await refused_thrice(closing_clock, waiting)

    await closing.close()
    holder_clock.window_over.set()
    await asyncio.gather(*holder._releases)

    with pytest.raises(ConnectionError, match="clos"):
        await waiting
    with pytest.raises(ConnectionError, match="clos"):
        await closing.wait_turn(2, 1)
    assert await onlooker.try_lock(0)
    await holder.close()

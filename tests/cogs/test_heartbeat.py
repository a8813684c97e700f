"""The bot writes its heartbeat as it runs (on simcord): its start, each scheduled minute (even
one whose job fails) and its gateway going up or down; sharded, up only when every shard is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Settings
from bot.health import assess
from storage.health import read_heartbeat
from storage.repositories.heartbeats import Heartbeat
from tests._postgres import scratch_url
from tests.cogs.conftest import START


async def heartbeat(bot, process: str = "all") -> Heartbeat:  # type: ignore[no-untyped-def]
    # A gateway event's write runs in its listener's task, on the database's own thread, which
    # simcord's settle does not wait for: the writer holds this lock until the write is done.
    async with bot.heartbeat._gateway_lock:
        pass
    found = await read_heartbeat(bot.database.url, process)
    assert found is not None
    return found


async def test_the_start_and_the_gateway_are_recorded_and_read_healthy(world) -> None:
    found = await heartbeat(world.bot)

    assert (found.started_at, found.ticked_at) == (START, None)
    assert (found.gateway_up, found.gateway_changed_at) == (True, START)
    assert assess(found, START + timedelta(seconds=30)).healthy


async def test_every_scheduled_minute_beats_even_when_its_job_fails(world) -> None:
    await world.later(minutes=1)

    async def failing() -> None:
        raise RuntimeError("the digest query failed")

    with pytest.raises(RuntimeError):
        await world.bot._beat_then(failing)  # the scheduler's loop logs it and goes on

    assert (await heartbeat(world.bot)).ticked_at == START + timedelta(minutes=1)


async def test_a_dropped_gateway_is_recorded_and_so_is_its_return(world) -> None:
    assert world.bot.shard_count is None  # one connection: the unsharded events
    await world.later(minutes=2)
    world.bot.dispatch("disconnect")
    await world.env.settle()
    down = await heartbeat(world.bot)

    await world.later(seconds=5)
    world.bot.dispatch("resumed")
    await world.env.settle()
    up = await heartbeat(world.bot)

    assert (down.gateway_up, down.gateway_changed_at) == (False, START + timedelta(minutes=2))
    assert (up.gateway_up, up.gateway_changed_at) == (True, START + timedelta(minutes=2, seconds=5))


class TestSharded:
    """Both shards of two in this one process (a subset needs PostgreSQL; this does not)."""

    @pytest.fixture
    def settings(self, tmp_path) -> Settings:
        return Settings(database_url=scratch_url(tmp_path / "daybook.db"), shard_count=2)

    @pytest.fixture
    async def bot(self, simcord_env):  # type: ignore[no-untyped-def]
        yield simcord_env.bot
        # simcord's shutdown does not close the bot: on PostgreSQL, give its shards back.
        if simcord_env.bot.shard_claims is not None:
            await simcord_env.bot.shard_claims.close()

    async def test_a_sharded_process_is_up_only_while_every_shard_is(
        self, simcord_env, bot, clock
    ) -> None:
        assert bot.shard_count == 2
        assert (await heartbeat(bot)).gateway_up

        clock.set(START + timedelta(minutes=1))
        await bot.get_shard(1).disconnect()
        await simcord_env.settle()
        one_down = await heartbeat(bot)

        clock.set(START + timedelta(minutes=2))
        await bot.get_shard(1).reconnect()
        await simcord_env.settle()
        back = await heartbeat(bot)

        assert (one_down.gateway_up, one_down.gateway_changed_at) == (
            False,
            START + timedelta(minutes=1),
        )
        assert (back.gateway_up, back.gateway_changed_at) == (True, START + timedelta(minutes=2))

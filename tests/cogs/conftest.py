"""The real bot on simcord: a simulated Discord running the real discord.py, no network."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import discord
import pytest
import pytest_asyncio
import simcord

from bot.app import create_bot
from bot.client import DaybookBot
from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.models import Challenge
from bot.services.settings_input import ChallengeSettingsInput
from tests._postgres import scratch_url

GUILD_ID = 1_300_000_000_000_000_000
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday


@dataclass
class World:
    """A server with an organizer and two members, and the bot running on it."""

    env: simcord.Env
    guild: simcord.GuildHandle
    general: simcord.ChannelHandle
    progress: simcord.ChannelHandle
    grace: simcord.MemberActor
    """An organizer (Manage Server)."""
    ada: simcord.MemberActor
    raj: simcord.MemberActor
    clock: FixedClock
    settings: Settings
    chart_executor: ThreadPoolExecutor

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same database, as a deploy would."""
        await self.env.restart_bot(
            create_bot(
                self.settings,
                clock=self.clock,
                chart_executor=self.chart_executor,
                run_scheduler=False,
            )
        )

    @property
    def bot(self) -> DaybookBot:
        return self.env.bot  # type: ignore[return-value]

    async def at(self, moment: datetime) -> None:
        """Move simulated Discord and the bot's clock to `moment` (forward only)."""
        await self.env.advance_time((moment - self.env.now()).total_seconds())
        self.clock.set(moment)

    async def later(self, **delta: float) -> None:
        """Move time forward."""
        await self.at(self.env.now() + timedelta(**delta))

    async def challenge(self, preset: str = "100-days-of-ml-code", **settings) -> Challenge:
        """Create a challenge as the organizer would."""
        return await self.bot.services.challenges.create(
            guild_id=GUILD_ID,
            settings=ChallengeSettingsInput(
                **{"name": "ML Club", "preset": preset, "timezone": "UTC", **settings}
            ),
            now=self.env.now(),
        )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database_url=scratch_url(tmp_path / "daybook.db"), dev_guild_id=GUILD_ID)


@pytest.fixture
def chart_executor() -> Iterator[ThreadPoolExecutor]:
    # simcord freezes time.monotonic in the bot's threads, which stalls a process pool's start;
    # tests render charts on threads (production renders them in worker processes).
    executor = ThreadPoolExecutor(2, thread_name_prefix="charts")
    yield executor
    executor.shutdown(wait=True)


@pytest.fixture
def simcord_bot(settings, clock, chart_executor):
    return create_bot(settings, clock=clock, chart_executor=chart_executor, run_scheduler=False)


@pytest_asyncio.fixture
async def world(simcord_env, clock, settings, chart_executor) -> AsyncIterator[World]:
    env = simcord_env
    await env.advance_time((START - env.now()).total_seconds())
    guild = env.create_guild("ML Club", id=GUILD_ID)
    general = guild.create_text_channel("general")
    progress = guild.create_text_channel("progress")
    organizers = guild.create_role("Organizers", permissions=discord.Permissions(manage_guild=True))
    grace = guild.add_member(env.create_user("grace"), roles=[organizers])
    ada = guild.add_member(env.create_user("ada"))
    raj = guild.add_member(env.create_user("raj"))
    await env.settle()
    yield World(env, guild, general, progress, grace, ada, raj, clock, settings, chart_executor)

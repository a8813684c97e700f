"""Composition root: settings, database, services and the bot, wired in one place.

`create_bot(settings, clock=...)` builds the bot without logging in. When it starts
(`setup_hook`), the bot upgrades its database, opens it, builds the services, loads the cogs,
registers the buttons that must survive restarts, and syncs its slash commands: to the
development server at every start, globally only when the commands changed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any, cast

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

from bot.charts import jobs
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.scheduler import build_scheduler, schedule_ticks
from bot.services import Services
from bot.services.delivery import DeliveryReport
from bot.services.digests import Digest
from bot.tree import DaybookTree
from cogs import CHANNEL_EXTENSION, EXTENSIONS
from cogs._ui.persistent import PERSISTENT_ITEMS
from cogs.digest import DigestCog
from cogs.reminders import RemindersCog
from storage import Database, migrate

log = logging.getLogger(__name__)

SYNC_KIND = "command-sync"
CHART_WORKERS = 2
"""Processes drawing charts: a render takes about 100 ms, so two keep up with a busy server."""


class DaybookMixin:
    """What Daybook adds to discord.py's bot: its services, its clock and its start-up."""

    settings: Settings
    clock: Clock
    _database: Database | None
    _services: Services | None
    _chart_executor: Executor | None
    _chart_pool: ProcessPoolExecutor | None
    _chart_warming: asyncio.Task[None] | None
    _run_scheduler: bool
    scheduler: AsyncIOScheduler | None
    get_cog: Callable[[str], commands.Cog | None]
    """discord.py's, on the bot this is mixed into."""

    def _setup_daybook(
        self,
        settings: Settings,
        clock: Clock,
        chart_executor: Executor | None,
        run_scheduler: bool,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._run_scheduler = run_scheduler
        self.scheduler = None
        self._database = None
        self._services = None
        self._chart_executor = chart_executor
        self._chart_pool = None
        self._chart_warming = None

    @property
    def services(self) -> Services:
        """The services, available once the bot has started."""
        if self._services is None:
            raise RuntimeError("the bot has not started yet")
        return self._services

    @property
    def database(self) -> Database:
        """The database, available once the bot has started."""
        if self._database is None:
            raise RuntimeError("the bot has not started yet")
        return self._database

    async def tick_reminders(self) -> DeliveryReport:
        """Send the reminders and nudges due at `clock()`: the scheduler's minute job."""
        return await cast(RemindersCog, self.get_cog("Reminders")).deliver(self.clock())

    async def tick_digests(self) -> list[Digest]:
        """Post the digests due at `clock()` and refresh checkpoints once a day."""
        now = self.clock()
        await self.services.progress.refresh_due_checkpoints(now=now)
        return await cast(DigestCog, self.get_cog("Digest")).post_due(now)

    async def tick(self) -> None:
        """Run both scheduled jobs once, at `clock()` (what a minute of the scheduler does)."""
        await self.tick_reminders()
        await self.tick_digests()


def _intents(settings: Settings) -> discord.Intents:
    """Return the fewest intents Daybook needs (message content only when asked for)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = settings.message_content
    intents.message_content = settings.message_content
    return intents


def _bot_options(settings: Settings) -> dict[str, Any]:
    return {
        "command_prefix": commands.when_mentioned,
        "help_command": None,
        "intents": _intents(settings),
        # Nothing the bot sends pings anyone unless a message opts in (reminders do).
        "allowed_mentions": discord.AllowedMentions.none(),
        "tree_cls": DaybookTree,
    }


class DaybookBot(DaybookMixin, commands.Bot):
    """Daybook in one process."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock,
        chart_executor: Executor | None = None,
        run_scheduler: bool = True,
    ) -> None:
        self._setup_daybook(settings, clock, chart_executor, run_scheduler)
        super().__init__(**_bot_options(settings))

    async def setup_hook(self) -> None:
        """Start: database, services, cogs, persistent buttons, commands."""
        await _start(self)

    async def connect(self, *, reconnect: bool = True) -> None:
        """Connect to Discord, starting the chart workers meanwhile."""
        _warm_charts(self)
        await super().connect(reconnect=reconnect)

    async def close(self) -> None:
        """Stop the bot, then close the database."""
        await super().close()
        await _stop(self)


class ShardedDaybookBot(DaybookMixin, commands.AutoShardedBot):
    """Daybook running some shards of a larger deployment."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock,
        chart_executor: Executor | None = None,
        run_scheduler: bool = True,
    ) -> None:
        self._setup_daybook(settings, clock, chart_executor, run_scheduler)
        sharding: dict[str, Any] = {"shard_count": settings.shard_count}
        if settings.shard_ids is not None:
            sharding["shard_ids"] = settings.shard_ids
        super().__init__(**_bot_options(settings), **sharding)

    async def setup_hook(self) -> None:
        """Start: database, services, cogs, persistent buttons, commands."""
        await _start(self)

    async def connect(self, *, reconnect: bool = True) -> None:
        """Connect to Discord, starting the chart workers meanwhile."""
        _warm_charts(self)
        await super().connect(reconnect=reconnect)

    async def close(self) -> None:
        """Stop the bot, then close the database."""
        await super().close()
        await _stop(self)


AnyDaybookBot = DaybookBot | ShardedDaybookBot


def create_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
    chart_executor: Executor | None = None,
    run_scheduler: bool = True,
) -> AnyDaybookBot:
    """Build the bot without logging in; `clock` drives every scheduled decision.

    Charts render in `chart_executor`; None means a process pool of the bot's own, shut down
    when the bot closes. Its workers start in the background when the bot connects to Discord
    (a bot driven by a simulated Discord never connects: they start on its first chart).

    With `run_scheduler`, the bot starts its scheduler when it starts: `tick()` every minute.
    APScheduler waits on the wall clock, so a bot driven by a simulated clock runs without it
    and has its `tick()` called directly.
    """
    chosen = clock or system_clock
    kind = ShardedDaybookBot if settings.shard_count is not None else DaybookBot
    return kind(settings, clock=chosen, chart_executor=chart_executor, run_scheduler=run_scheduler)


def chart_pool(workers: int = CHART_WORKERS) -> ProcessPoolExecutor:
    """Return a process pool for drawing charts, each worker drawing once as it starts.

    Where there is a fork server (Linux, macOS), it imports the drawing code once and forks
    each worker from there: a worker starts in milliseconds, sharing matplotlib's memory with
    the others. (A plain fork of the bot, which runs threads, is not safe.) Elsewhere: spawn.
    """
    context: BaseContext
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")
        # The main module too: else every worker would run it again (a fork-server default).
        server.set_forkserver_preload(
            [
                "__main__",
                "bot.charts.heatmap",
                "bot.charts.leaderboard",
                "bot.charts.weekly",
                "bot.charts.activity",
            ]
        )
        context = server
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=jobs.warm_up)


async def _start(bot: AnyDaybookBot) -> None:
    revision = await migrate(bot.settings.database_url)
    log.info("database at revision %s", revision)
    bot._database = await Database.open(bot.settings.database_url)
    executor = bot._chart_executor
    if executor is None:
        executor = bot._chart_pool = chart_pool()
    bot._services = Services.build(bot._database, chart_executor=executor)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    if bot.settings.message_content:
        await bot.load_extension(CHANNEL_EXTENSION)
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
    await _sync_commands(bot)
    if bot._run_scheduler and bot.scheduler is None:
        # Started here, once per process, never in on_ready (which fires again on resume).
        scheduler = build_scheduler()
        schedule_ticks(scheduler, reminders=bot.tick_reminders, digests=bot.tick_digests)
        scheduler.start()
        bot.scheduler = scheduler


def _warm_charts(bot: AnyDaybookBot) -> None:
    """Start the bot's own chart workers in the background, once."""
    if bot._chart_pool is None or bot._chart_warming is not None:
        return
    warming = asyncio.create_task(bot.services.charts.warm(CHART_WORKERS))
    warming.add_done_callback(_report_warming)
    bot._chart_warming = warming


def _report_warming(warming: asyncio.Task[None]) -> None:
    if not warming.cancelled() and warming.exception() is not None:
        # Not fatal: each chart starts a worker when it needs one.
        log.warning("could not start the chart workers", exc_info=warming.exception())


async def _stop(bot: AnyDaybookBot) -> None:
    scheduler, bot.scheduler = bot.scheduler, None
    if scheduler is not None:
        scheduler.shutdown(wait=False)
    warming, bot._chart_warming = bot._chart_warming, None
    if warming is not None and not warming.done():
        warming.cancel()
    pool, bot._chart_pool = bot._chart_pool, None
    if pool is not None:
        # Waits for the renders in progress (a few hundred ms at most), in a thread.
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
    if bot._database is not None:
        await bot._database.close()
        bot._database = None


async def _sync_commands(bot: AnyDaybookBot) -> None:
    """Sync to the development server every start; globally only when the commands changed."""
    guild_id = bot.settings.dev_guild_id
    if guild_id is not None:
        guild = discord.Object(guild_id)
        bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
        log.info("synced %s commands to development server %s", len(synced), guild_id)
        return
    payload = [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]
    now = bot.clock()
    async with bot.database.write() as repos:
        changed = await repos.sends.claim(SYNC_KIND, "global", digest, now)
    if not changed:
        log.info("global commands unchanged (%s); not syncing", digest)
        return
    try:
        synced = await bot.tree.sync()
    except discord.HTTPException as error:
        async with bot.database.write() as repos:
            await repos.sends.mark_failed(SYNC_KIND, "global", digest, now, str(error))
        raise
    async with bot.database.write() as repos:
        await repos.sends.mark_sent(SYNC_KIND, "global", digest, now)
    log.info("synced %s global commands (%s)", len(synced), digest)

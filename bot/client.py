"""Daybook's bot: what it adds to discord.py's, given everything it needs by `bot.app`.

The bot is handed its settings, clock, database, services and chart workers when it is built,
so `bot.services` is there from the first line (a cog's `setup` builds the cog from it). When it
starts (`setup_hook`) it upgrades and opens its database, loads the cogs, registers the buttons
that must survive restarts, syncs its slash commands and starts the scheduler.

Several processes of one deployment (each running some shards, sharing PostgreSQL) sync the
commands from the one running shard 0 only, and take turns to identify: see `bot.identify`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

import discord
from discord.ext import commands

from bot.charts.pool import ChartPool
from bot.clock import Clock
from bot.community import Community
from bot.config import Settings
from bot.heartbeat import HeartbeatWriter
from bot.identify import IdentifyGate
from bot.pacing import Pacer
from bot.scheduler import Scheduler, build_scheduler
from bot.services import Services
from bot.services.delivery import DeliveryReport
from bot.services.digests import Digest
from bot.sync import sync_commands
from bot.transport import DigestPoster, DiscordTransport, ProblemNotifier
from bot.tree import DaybookTree
from bot.version import version
from bot.web.server import WebServer, public_server
from storage import Database, describe, migrate_at_start
from storage.identify import IdentifyLocks
from storage.shard_claims import ShardClaims

log = logging.getLogger(__name__)

PersistentItem = type[discord.ui.DynamicItem[Any]]


def intents_for(settings: Settings) -> discord.Intents:
    """Return the fewest intents Daybook needs (message content only when asked for)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = settings.message_content
    intents.message_content = settings.message_content
    return intents


class DaybookBot(commands.Bot):
    """Daybook in one process: its services, its clock, its scheduled ticks and its start-up."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock,
        database: Database,
        services: Services,
        pacer: Pacer,
        extensions: Sequence[str],
        persistent_items: Sequence[PersistentItem],
        chart_pool: ChartPool | None = None,
        run_scheduler: bool = True,
    ) -> None:
        sharding: dict[str, Any] = {}
        if settings.shard_count is not None:
            sharding = {"shard_count": settings.shard_count, "shard_ids": settings.shard_ids}
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents_for(settings),
            # Nothing the bot sends pings anyone unless a message opts in (reminders do).
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=DaybookTree,
            **sharding,
        )
        self.settings = settings
        self.clock = clock
        self.database = database
        self.services = services
        # The senders of scheduled messages need the bot's connection, so they are built here.
        self.reminder_transport = DiscordTransport(self, pacer)
        self.digest_poster = DigestPoster(self, services.charts, services.names.remember)
        self.problem_notifier = ProblemNotifier(self, pacer)
        self.community = Community(self, services)
        self.scheduler: Scheduler | None = None
        self._extensions = tuple(extensions)
        self._persistent_items = tuple(persistent_items)
        self._chart_pool = chart_pool
        self._chart_warming: asyncio.Task[None] | None = None
        self._run_scheduler = run_scheduler
        self.web: WebServer | None = None
        """The public pages, served from this process when DAYBOOK_WEB_PORT is set."""
        # On PostgreSQL other processes may share the deployment: starting sessions is
        # coordinated through it. A SQLite file serves one process: discord.py's own spacing.
        self.identify_gate: IdentifyGate | None = None
        if database.dialect == "postgresql":
            self.identify_gate = IdentifyGate(IdentifyLocks(database.url))
        self._max_concurrency: int | None = None
        # Some shards of a deployment: claimed on the database at start, so a second process
        # naming one of them, or counting the shards differently, is refused (never both run).
        self.shard_claims: ShardClaims | None = None
        if database.dialect == "postgresql" and settings.shard_count is not None:
            self.shard_claims = ShardClaims(database.url, describe(settings.database_url))
        self.heartbeat = HeartbeatWriter(database, settings.shards(), clock, version())
        self._listen_to_the_gateway(sharded=settings.shard_count is not None)

    def _listen_to_the_gateway(self, *, sharded: bool) -> None:
        """Record in the heartbeat when the gateway connects (READY or RESUMED) or drops."""
        # A sharded client also sends the unsharded events, without saying which shard: only
        # its per-shard ones are listened to.
        prefix = "on_shard_" if sharded else "on_"
        self.add_listener(self._gateway_up, f"{prefix}connect")
        self.add_listener(self._gateway_up, f"{prefix}resumed")
        self.add_listener(self._gateway_down, f"{prefix}disconnect")

    async def _gateway_up(self, shard_id: int | None = None) -> None:
        await self.heartbeat.shard_up(shard_id)

    async def _gateway_down(self, shard_id: int | None = None) -> None:
        await self.heartbeat.shard_down(shard_id)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this shard's identify bucket, across every process sharing the database."""
        gate = self.identify_gate
        if gate is None:
            await super().before_identify_hook(shard_id, initial=initial)
            return
        await gate.wait_turn(shard_id or 0, await self._identify_concurrency())

    async def _identify_concurrency(self) -> int:
        """Return the sessions Discord lets this bot start per window (`max_concurrency`)."""
        if self._max_concurrency is None:
            try:
                _, _, limits = await self.http.get_bot_gateway()
                self._max_concurrency = max(1, int(limits["max_concurrency"]))
            except Exception:
                # Unknown (a simulated Discord, say): one at a time is always allowed. Not kept:
                # the other processes lock `shard % max_concurrency`, and this one must lock
                # the same buckets as soon as Discord says what it is.
                log.warning("max_concurrency unknown; identifying one shard at a time")
                return 1
        return self._max_concurrency

    async def tick_reminders(self) -> DeliveryReport:
        """Send the reminders and nudges due at `clock()`: the scheduler's minute job.

        Each member's message is tried on its own (`services.delivery`); then organizers are
        told about channels that refused a send.
        """
        now = self.clock()
        report = await self.services.delivery.run(now, self.reminder_transport)
        await self.tell_organizers(now)
        return report

    async def tick_digests(self) -> list[Digest]:
        """Post the digests due at `clock()`, with the day's housekeeping before them.

        Housekeeping: refresh checkpoints, drop old previews, take back lost attempts' roles.

        The refresh and the digests are separate units: one failing does not hold the other.
        """
        now = self.clock()
        try:
            await self.services.progress.refresh_due_checkpoints(now=now)
        except Exception:
            log.exception("the checkpoint refresh failed; the digests go on")
        try:
            await self.services.logs.drop_expired(now=now)
        except Exception:
            log.exception("dropping expired import previews failed; the digests go on")
        try:
            # Roles earned in an attempt that has since been lost go back (hourly).
            await self.community.sweep(now)
        except Exception:
            log.exception("taking back the roles of lost attempts failed; the digests go on")
        posted = await self.services.digests.run_due(now, self.digest_poster.post)
        await self.tell_organizers(now)
        return posted

    async def tell_organizers(self, now: datetime) -> int:
        """Tell each organizer, once, about a channel Daybook cannot post in; return how many."""
        told = 0
        for notice in await self.services.problems.claim_untold(now):
            try:
                if await self.problem_notifier.tell(notice):
                    await self.services.problems.told_by_dm(notice.problem)
                    told += 1
            except Exception:
                log.exception(
                    "telling the organizer of challenge %s (guild %s) failed",
                    notice.challenge.id,
                    notice.challenge.guild_id,
                )
        return told

    async def tick(self) -> None:
        """Run both scheduled jobs once, at `clock()` (what a minute of the scheduler does).

        One job failing does not stop the other; the failure is logged (and a test's simcord
        environment sees it through the log, not as an exception here).
        """
        try:
            await self.tick_reminders()
        except Exception:
            log.exception("the reminder tick failed; the digest tick goes on")
        try:
            await self.tick_digests()
        except Exception:
            log.exception("the digest tick failed")

    async def _beat_then(self, job: Callable[[], Awaitable[object]]) -> object:
        """Record the scheduler's tick, then run the minute's job.

        Both loops beat (reminders at :00, digests at :30), so a long reminder wave does not
        silence the heartbeat. The beat comes first: a job that raises still counts (the
        scheduler is alive and retries it next minute; restarting would not mend it), and one
        that hangs stops its loop's beats, which the check sees once the other loop stops too.
        """
        await self.heartbeat.ticked()
        return await job()

    async def setup_hook(self) -> None:
        """Start: database, cogs, persistent buttons, commands, scheduler."""
        # Never creates a database over one that went missing: see storage.migrate.
        revision = await migrate_at_start(self.settings.database_url)
        log.info("database at revision %s", revision)
        if self.shard_claims is not None:
            await self.shard_claims.claim(self.settings.shards())
        await self.database.connect()
        await self.heartbeat.started()
        for extension in self._extensions:
            await self.load_extension(extension)
        self.add_dynamic_items(*self._persistent_items)
        await sync_commands(
            self.tree,
            ledger=self.services.send_ledger,
            dev_guild_id=self.settings.dev_guild_id,
            now=self.clock(),
            shards=self.settings.shards(),
        )
        if self._run_scheduler and self.scheduler is None:
            # Started here, once per process, never in on_ready (which fires again on resume).
            scheduler = build_scheduler(
                reminders=partial(self._beat_then, self.tick_reminders),
                digests=partial(self._beat_then, self.tick_digests),
            )
            scheduler.start()
            self.scheduler = scheduler
        await self._start_web()
        # Start-up leaves a few hundred thousand long-lived objects (modules, SQLAlchemy's
        # tables and compiled statements, discord.py's command tree) that every full garbage
        # collection would walk again: most of a digest's event-loop stall was that walk. Freeze
        # them out of the collector, after collecting what start-up left as garbage. Once per
        # process: a frozen object is never collected, so freezing again (a second bot in one
        # process, as tests run them) would keep every earlier bot's garbage for good.
        if not gc.get_freeze_count():
            gc.collect()
            gc.freeze()

    async def connect(self, *, reconnect: bool = True) -> None:
        """Connect to Discord, starting the chart workers meanwhile."""
        self._warm_charts()
        await super().connect(reconnect=reconnect)

    async def close(self) -> None:
        """Stop the scheduler, then the bot, its chart workers and its database."""
        # The scheduler first: a tick cancelled mid-send gives its claims back while the
        # connection and the database are still open.
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None:
            await scheduler.stop()
        web, self.web = self.web, None
        if web is not None:
            await web.stop()
        await super().close()
        warming, self._chart_warming = self._chart_warming, None
        if warming is not None and not warming.done():
            warming.cancel()
        if self._chart_pool is not None:
            # Waits for the renders in progress (a few hundred ms at most), in a thread.
            await asyncio.to_thread(self._chart_pool.shutdown, wait=True, cancel_futures=True)
        if self.identify_gate is not None:
            try:
                await self.identify_gate.close()
            except Exception:
                log.warning("closing the identify locks' connection failed", exc_info=True)
        if self.shard_claims is not None:
            try:
                await self.shard_claims.close()
            except Exception:
                log.warning("closing the shard claims' connection failed", exc_info=True)
        # Names still being stored beside commands finish first: none reads a closed database.
        if isinstance(self.tree, DaybookTree):
            await self.tree.settle()
        await self.database.close()

    async def _start_web(self) -> None:
        """Serve the public pages from this process when DAYBOOK_WEB_PORT is set, once.

        A port that cannot be had is logged, and the bot runs on without its pages: members'
        days matter more than the page.
        """
        port = self.settings.web_port
        if port is None or self.web is not None:
            return
        server = public_server(
            self.services.public,
            self.services.charts,
            now=self.clock,
            host=self.settings.web_host,
            port=port,
            trust_proxy=self.settings.web_trust_proxy,
        )
        try:
            await server.start()
        except OSError as error:
            log.error(
                "the public pages could not listen on %s:%s (%s); the bot runs without them",
                self.settings.web_host,
                port,
                error,
            )
            return
        self.web = server

    def _warm_charts(self) -> None:
        """Start the bot's own chart workers in the background, once."""
        if self._chart_pool is None or self._chart_warming is not None:
            return
        warming = asyncio.create_task(self.services.charts.warm(self._chart_pool.workers))
        warming.add_done_callback(_report_warming)
        self._chart_warming = warming


class ShardedDaybookBot(DaybookBot, commands.AutoShardedBot):
    """Daybook running some shards of a larger deployment: the same bot on `AutoShardedBot`.

    Chosen only when sharding is configured: an `AutoShardedBot` with no shard count asks
    Discord for one at login and runs its shards' events differently, which a one-process bot
    (and simcord, which needs a shard count for it) does not need.
    """


def _report_warming(warming: asyncio.Task[None]) -> None:
    if not warming.cancelled() and warming.exception() is not None:
        # Not fatal: each chart starts a worker when it needs one.
        log.warning("could not start the chart workers", exc_info=warming.exception())

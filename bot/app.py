"""Composition root: settings, database, services and the bot, wired in one place.

`create_bot(settings, clock=...)` builds the bot without logging in. When it starts
(`setup_hook`), the bot upgrades its database, opens it, builds the services, loads the cogs,
registers the buttons that must survive restarts, and syncs its slash commands: to the
development server at every start, globally only when the commands changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord.ext import commands

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.services import Services
from bot.tree import DaybookTree
from cogs import EXTENSIONS
from cogs._ui.views import PERSISTENT_ITEMS
from storage import Database, migrate

log = logging.getLogger(__name__)

SYNC_KIND = "command-sync"


class DaybookMixin:
    """What Daybook adds to discord.py's bot: its services, its clock and its start-up."""

    settings: Settings
    clock: Clock
    _database: Database | None
    _services: Services | None

    def _setup_daybook(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self._database = None
        self._services = None

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

    async def tick(self) -> None:
        """Run every scheduled check once, at `clock()`: what the scheduler's minute job does."""
        await self.services.progress.refresh_due_checkpoints(now=self.clock())


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

    def __init__(self, settings: Settings, *, clock: Clock) -> None:
        self._setup_daybook(settings, clock)
        super().__init__(**_bot_options(settings))

    async def setup_hook(self) -> None:
        """Start: database, services, cogs, persistent buttons, commands."""
        await _start(self)

    async def close(self) -> None:
        """Stop the bot, then close the database."""
        await super().close()
        await _stop(self)


class ShardedDaybookBot(DaybookMixin, commands.AutoShardedBot):
    """Daybook running some shards of a larger deployment."""

    def __init__(self, settings: Settings, *, clock: Clock) -> None:
        self._setup_daybook(settings, clock)
        sharding: dict[str, Any] = {"shard_count": settings.shard_count}
        if settings.shard_ids is not None:
            sharding["shard_ids"] = settings.shard_ids
        super().__init__(**_bot_options(settings), **sharding)

    async def setup_hook(self) -> None:
        """Start: database, services, cogs, persistent buttons, commands."""
        await _start(self)

    async def close(self) -> None:
        """Stop the bot, then close the database."""
        await super().close()
        await _stop(self)


AnyDaybookBot = DaybookBot | ShardedDaybookBot


def create_bot(settings: Settings, *, clock: Clock | None = None) -> AnyDaybookBot:
    """Build the bot without logging in; `clock` drives every scheduled decision."""
    chosen = clock or system_clock
    if settings.shard_count is not None:
        return ShardedDaybookBot(settings, clock=chosen)
    return DaybookBot(settings, clock=chosen)


async def _start(bot: AnyDaybookBot) -> None:
    revision = await migrate(bot.settings.database_url)
    log.info("database at revision %s", revision)
    bot._database = await Database.open(bot.settings.database_url)
    bot._services = Services.build(bot._database)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
    await _sync_commands(bot)


async def _stop(bot: AnyDaybookBot) -> None:
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

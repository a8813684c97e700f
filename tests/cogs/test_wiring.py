"""Every cog loads, built with the bot's own services; every command and option is named and
described within Discord's limits."""

from __future__ import annotations

import re
from dataclasses import fields

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import create_bot
from bot.client import DaybookBot, ShardedDaybookBot
from bot.config import Settings
from bot.services import Services
from bot.transport import DigestPoster
from cogs import CHANNEL_EXTENSION, EXTENSIONS
from tests._postgres import scratch_url

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


async def loaded_commands(tmp_path):
    bot = create_bot(Settings(database_url=scratch_url(tmp_path / "x.db")))
    for extension in (*EXTENSIONS, CHANNEL_EXTENSION):
        await bot.load_extension(extension)
    commands = []
    for command in bot.tree.walk_commands():
        commands.append(command)
    return bot, commands


async def test_every_extension_loads_and_adds_commands(tmp_path) -> None:
    bot, commands = await loaded_commands(tmp_path)
    assert set(bot.extensions) == {*EXTENSIONS, CHANNEL_EXTENSION}
    names = {command.qualified_name for command in commands}
    assert {
        "join",
        "leave",
        "log",
        "streak",
        "why",
        "progress",
        "leaderboard",
        "timezone",
        "settings",
        "forget-me",
        "challenge create",
        "challenge edit",
        "challenge info",
        "challenge end",
        "admin adjust",
    } <= names


async def test_names_are_unique_and_descriptions_fit(tmp_path) -> None:
    _, commands = await loaded_commands(tmp_path)
    seen = set()
    for command in commands:
        assert NAME.match(command.name), command.qualified_name
        assert command.qualified_name not in seen
        seen.add(command.qualified_name)
        assert 1 <= len(command.description) <= 100, command.qualified_name
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                assert NAME.match(parameter.name), (command.qualified_name, parameter.name)
                described = parameter.description
                assert described, (command.qualified_name, parameter.name)
                assert described != "…", (command.qualified_name, parameter.name)
                assert len(described) <= 100, (command.qualified_name, parameter.name)


def test_services_are_there_before_the_bot_starts_and_the_database_is_untouched(
    tmp_path,
) -> None:
    database = tmp_path / "data" / "x.db"
    bot = create_bot(Settings(database_url=f"sqlite+aiosqlite:///{database}"))
    assert isinstance(bot.services, Services)
    assert bot.services.entries is bot.services.entries  # a plain attribute, built once
    assert not database.parent.exists()  # the bot opens (and creates) it when it starts


async def test_every_cog_is_built_with_the_bots_own_services(tmp_path) -> None:
    bot, _ = await loaded_commands(tmp_path)
    services = [getattr(bot.services, field.name) for field in fields(Services)]
    service_types = tuple({type(service) for service in services})
    assert len(bot.cogs) == len(EXTENSIONS) + 1
    for name, cog in bot.cogs.items():
        held = [value for value in vars(cog).values() if isinstance(value, service_types)]
        assert held, f"{name} holds no service"
        for value in held:
            assert any(value is service for service in services), (name, value)
    digest = bot.get_cog("Digest")
    posters = [value for value in vars(digest).values() if isinstance(value, DigestPoster)]
    assert posters == [bot.digest_poster]


def test_one_bot_class_and_autoshardedbot_only_when_sharding_is_configured(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    single = create_bot(Settings(database_url=url))
    assert type(single) is DaybookBot
    assert not isinstance(single, discord.AutoShardedClient)
    assert single.shard_count is None
    # Some of the shards: the other processes share a PostgreSQL database (nothing connects).
    shared = "postgresql+asyncpg://daybook@db/daybook"
    sharded = create_bot(Settings(database_url=shared, shard_count=4, shard_ids=[1, 3]))
    assert isinstance(sharded, ShardedDaybookBot)
    assert isinstance(sharded, DaybookBot)
    assert isinstance(sharded, commands.AutoShardedBot)
    assert (sharded.shard_count, sharded.shard_ids) == (4, [1, 3])
    every_shard_here = create_bot(Settings(database_url=url, shard_count=2))
    assert isinstance(every_shard_here, ShardedDaybookBot)

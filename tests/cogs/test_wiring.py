"""Every cog loads; every command and option is named and described within Discord's limits."""

from __future__ import annotations

import re

from discord import app_commands

from bot.app import create_bot
from bot.config import Settings
from cogs import CHANNEL_EXTENSION, EXTENSIONS

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


async def loaded_commands(tmp_path):
    bot = create_bot(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"))
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

"""Challenge names: suggestions for every `challenge` option's autocomplete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from discord import app_commands

from bot.errors import DaybookError

if TYPE_CHECKING:
    import discord

    from bot.client import DaybookBot

MAX_CHOICES = 25
"""Discord shows at most 25 suggestions."""
MAX_CHOICE_TEXT = 100
"""Discord refuses a suggestion whose name or value is longer than 100 characters."""


def challenge_choices(names: Iterable[str], typed: str) -> list[app_commands.Choice[str]]:
    """Return up to 25 challenge names matching what was typed, names that start with it first.

    The value is the exact name, since the services match the name typed; a name too long to
    be a value is left out rather than offered cut (a cut name would match no challenge).
    """
    wanted = typed.strip().casefold()
    usable = [name for name in dict.fromkeys(names) if 0 < len(name) <= MAX_CHOICE_TEXT]
    starts = [name for name in usable if name.casefold().startswith(wanted)]
    contains = [
        name
        for name in usable
        if wanted in name.casefold() and not name.casefold().startswith(wanted)
    ]
    return [
        app_commands.Choice(name=name[:MAX_CHOICE_TEXT], value=name)
        for name in (starts + contains)[:MAX_CHOICES]
    ]


async def running_challenges(
    interaction: discord.Interaction[DaybookBot], current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete a `challenge` option with the server's running challenges; never raises."""
    if interaction.guild_id is None:
        return []
    try:
        running = await interaction.client.services.challenges.active(interaction.guild_id)
    except DaybookError:
        return []
    return challenge_choices((challenge.name for challenge in running), current)


async def any_challenges(
    interaction: discord.Interaction[DaybookBot], current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete with the server's challenges, running then ended (for an export)."""
    if interaction.guild_id is None:
        return []
    try:
        every = await interaction.client.services.challenges.every(interaction.guild_id)
    except DaybookError:
        return []
    return challenge_choices((challenge.name for challenge in every), current)

"""What every cog and button reads off an interaction: the event's time, the server, the rights.

Services reach a cog through its constructor; a button or form, which discord.py builds itself,
reaches them through `interaction.client.services` (the interaction is typed with Daybook's bot).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.errors import InvalidInputError, NotAllowedError

if TYPE_CHECKING:
    from bot.client import DaybookBot

ORGANIZERS_ONLY = "Only organizers (members who can manage this server) can do that."


def event_time(interaction: discord.Interaction[DaybookBot]) -> datetime:
    """Return when the interaction happened: its snowflake time, which dates every entry."""
    return interaction.created_at


def guild_of(interaction: discord.Interaction[DaybookBot]) -> int:
    """Return the server's id, or explain that the command works in a server only."""
    if interaction.guild_id is None:
        raise InvalidInputError("That works in a server, not in direct messages.")
    return interaction.guild_id


def require_organizer(interaction: discord.Interaction[DaybookBot]) -> None:
    """Refuse anyone without Manage Server, whatever the server's command settings let through."""
    # Discord's default permissions only hide a command: a server admin can still grant it to
    # anyone (Server Settings > Integrations), so the organizer check is made here too.
    if not interaction.permissions.manage_guild:
        raise NotAllowedError(ORGANIZERS_ONLY)

"""What every cog and button reaches through the interaction: services and the event's time."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, cast

import discord

from bot.clock import Clock
from bot.errors import InvalidInputError, NotAllowedError
from bot.services import Services

ORGANIZERS_ONLY = "Only organizers (members who can manage this server) can do that."


class DaybookClient(Protocol):
    """The parts of Daybook's bot that cogs use."""

    @property
    def services(self) -> Services:
        """The services."""

    clock: Clock


def services_of(interaction: discord.Interaction) -> Services:
    """Return the services of the bot that received the interaction."""
    return client_services(interaction.client)


def client_services(client: discord.Client) -> Services:
    """Return the services of Daybook's bot (for scheduled jobs, which have no interaction)."""
    return cast(DaybookClient, client).services


def event_time(interaction: discord.Interaction) -> datetime:
    """Return when the interaction happened: its snowflake time, which dates every entry."""
    return interaction.created_at


def guild_of(interaction: discord.Interaction) -> int:
    """Return the server's id, or explain that the command works in a server only."""
    if interaction.guild_id is None:
        raise InvalidInputError("That works in a server, not in direct messages.")
    return interaction.guild_id


def require_organizer(interaction: discord.Interaction) -> None:
    """Refuse anyone without Manage Server, whatever the server's command settings let through."""
    # Discord's default permissions only hide a command: a server admin can still grant it to
    # anyone (Server Settings > Integrations), so the organizer check is made here too.
    if not interaction.permissions.manage_guild:
        raise NotAllowedError(ORGANIZERS_ONLY)

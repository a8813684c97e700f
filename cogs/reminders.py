"""Reminders: /remind sets when and where a member is reminded (`bot.transport` sends them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import ReminderMode
from bot.services.challenges import ChallengeService
from bot.services.inputs import parse_clock_time
from bot.services.participants import ParticipantService
from bot.services.reminders import ReminderService
from cogs._ui import reminders as text
from cogs._ui.challenges import running_challenges
from cogs._ui.context import guild_of

if TYPE_CHECKING:
    from bot.client import DaybookBot

MODE_CHOICES = [
    app_commands.Choice(name="in the progress channel", value=ReminderMode.CHANNEL.value),
    app_commands.Choice(name="by direct message", value=ReminderMode.DM.value),
    app_commands.Choice(name="off", value=ReminderMode.OFF.value),
]


class RemindersCog(commands.Cog, name="Reminders"):
    """Members' reminders: when and how (the bot's minute tick sends them)."""

    def __init__(
        self,
        *,
        reminders: ReminderService,
        challenges: ChallengeService,
        participants: ParticipantService,
    ) -> None:
        self._reminders = reminders
        self._challenges = challenges
        self._participants = participants

    @app_commands.command(
        name="remind", description="Get reminded on days you haven't logged by a time you choose."
    )
    @app_commands.guild_only()
    @app_commands.describe(
        time="Your local time, HH:MM, e.g. 20:30 (leave both empty to see your setting)",
        mode="Where the reminder comes: the progress channel, a direct message, or off",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.choices(mode=MODE_CHOICES)
    @app_commands.autocomplete(challenge=running_challenges)
    async def remind(
        self,
        interaction: discord.Interaction[DaybookBot],
        time: str | None = None,
        mode: str | None = None,
        challenge: str | None = None,
    ) -> None:
        """Get reminded on days you haven't logged by a time you choose."""
        guild_id = guild_of(interaction)
        if time is None and mode is None:
            current = await self._challenges.get(guild_id=guild_id, challenge=challenge)
            participant = await self._participants.mine(
                guild_id=guild_id, user_id=interaction.user.id, challenge=challenge
            )
        else:
            current, participant = await self._reminders.set_reminder(
                guild_id=guild_id,
                user_id=interaction.user.id,
                challenge=challenge,
                reminder_time=parse_clock_time(time, "reminder time") if time else None,
                mode=ReminderMode(mode) if mode else None,
            )
        await interaction.response.send_message(
            text.remind_message(current, participant), ephemeral=True
        )


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    await bot.add_cog(
        RemindersCog(
            reminders=bot.services.reminders,
            challenges=bot.services.challenges,
            participants=bot.services.participants,
        )
    )

"""/help: the challenge's rules in words, what to do next, and the commands (privately)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.help import HelpService
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of
from cogs._ui.help_text import help_embed

if TYPE_CHECKING:
    from bot.client import DaybookBot


class HelpCog(commands.Cog):
    """The way in for members and organizers."""

    def __init__(self, *, help_service: HelpService, channel_posts: bool) -> None:
        self._help = help_service
        # Whether posts in the progress channel count (the operator enabled message content).
        self._channel_posts = channel_posts

    @app_commands.command(
        name="help", description="How Daybook works here: the rules, your next step, commands."
    )
    @app_commands.guild_only()
    @app_commands.describe(challenge="Which challenge (if the server runs several)")
    @app_commands.autocomplete(challenge=running_challenges)
    async def help(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """How Daybook works here: the rules, your next step, commands."""
        page = await self._help.page(
            guild_id=guild_of(interaction),
            user_id=interaction.user.id,
            challenge=challenge,
            now=event_time(interaction),
        )
        embed = help_embed(
            page,
            organizer=interaction.permissions.manage_guild,
            channel_posts=self._channel_posts,
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    await bot.add_cog(
        HelpCog(help_service=bot.services.help, channel_posts=bot.settings.message_content)
    )

"""Where members stand: /streak and /why."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs._ui import embeds
from cogs._ui.context import event_time, guild_of, services_of


class ProgressCog(commands.Cog):
    """Day N, streaks and the ledger that explains them."""

    @app_commands.command(
        name="streak", description="Show Day N, the current streak and the best streak."
    )
    @app_commands.guild_only()
    @app_commands.describe(
        member="Whose streak (default: yours)",
        challenge="Which challenge (if the server runs several)",
    )
    async def streak(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        challenge: str | None = None,
    ) -> None:
        """Show Day N, the current streak and the best streak."""
        whose = member or interaction.user
        standing = await services_of(interaction).progress.summary(
            guild_id=guild_of(interaction),
            viewer_id=interaction.user.id,
            member_id=whose.id,
            challenge=challenge,
            now=event_time(interaction),
        )
        await interaction.response.send_message(
            embed=embeds.streak_embed(standing, whose.display_name),
            ephemeral=True,
        )

    @app_commands.command(
        name="why", description="Show the last days: what counted, and the rule that decided."
    )
    @app_commands.guild_only()
    @app_commands.describe(
        member="Whose days (default: yours)",
        challenge="Which challenge (if the server runs several)",
    )
    async def why(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        challenge: str | None = None,
    ) -> None:
        """Show the last days: what counted, and the rule that decided."""
        whose = member or interaction.user
        ledger = await services_of(interaction).progress.ledger(
            guild_id=guild_of(interaction),
            viewer_id=interaction.user.id,
            member_id=whose.id,
            challenge=challenge,
            now=event_time(interaction),
        )
        await interaction.response.send_message(
            embed=embeds.ledger_embed(ledger, whose.display_name),
            ephemeral=True,
        )


async def setup(bot: commands.Bot) -> None:
    """Add the cog."""
    await bot.add_cog(ProgressCog())

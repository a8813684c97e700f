"""The command tree's one error handler: a polite sentence for users, a log line for us."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import DaybookError

if TYPE_CHECKING:
    from bot.client import DaybookBot

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again."


def user_message(error: Exception) -> str | None:
    """Return the sentence a user should read for an error they caused, or None for a bug."""
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, DaybookError):
        return original.message
    if isinstance(error, app_commands.MissingPermissions):
        return "Only organizers (members who can manage this server) can do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That works in a server, not in direct messages."
    if isinstance(error, app_commands.TransformerError):
        return f"'{str(error.value)[:100]}' is not a value that option takes."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


async def answer(interaction: discord.Interaction[DaybookBot], text: str) -> None:
    """Send a private reply, whether or not the interaction was answered already."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)


class DaybookTree(app_commands.CommandTree["DaybookBot"]):
    """Answers every failed command: user mistakes politely, bugs with an apology and a log."""

    async def on_error(
        self, interaction: discord.Interaction[DaybookBot], error: app_commands.AppCommandError
    ) -> None:
        """Tell the user what went wrong; log what was not their doing."""
        message = user_message(error)
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "command %s failed for user %s in guild %s",
                command,
                interaction.user.id,
                interaction.guild_id,
                exc_info=error,
            )
            message = APOLOGY
        await answer(interaction, message)

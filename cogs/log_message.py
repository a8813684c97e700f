"""The message menu's "Log this message": a member logs one of their own messages as a post.

Without the message-content intent Daybook cannot read the progress channel, but Discord hands
a message menu's target to the app whole (text and files), so any member can still turn a
message they wrote into their post for the day it was sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import EntrySource
from bot.errors import NotAllowedError
from bot.services.attachments import AttachmentService
from bot.services.challenges import ChallengeService
from bot.services.entries import EntryService
from cogs._ui import embeds
from cogs._ui.attachments import download, keep_files, kept_count, with_note
from cogs._ui.context import event_time, guild_of
from cogs._ui.views import recorded_view
from cogs.posts import progress_channel_of

if TYPE_CHECKING:
    from bot.client import DaybookBot

MENU_NAME = "Log this message"
"""The menu item's name (Discord allows 32 characters; an app has at most 5 message items)."""
NOT_YOUR_MESSAGE = (
    "You can log only your own messages: this one was written by someone else. Nothing was logged."
)


class LogMessageCog(commands.Cog):
    """Log one of one's own messages from its menu."""

    def __init__(
        self,
        bot: DaybookBot,
        *,
        entries: EntryService,
        attachments: AttachmentService,
        challenges: ChallengeService,
    ) -> None:
        self._bot = bot
        self._entries = entries
        self._attachments = attachments
        self._challenges = challenges
        # A context menu cannot be a cog method with a decorator: it is built here and added to
        # the tree (and taken out again when the cog unloads).
        self._menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.log_message)
        self._menu.guild_only = True
        bot.tree.add_command(self._menu)

    async def cog_unload(self) -> None:
        """Take the menu item out of the tree with the cog."""
        self._bot.tree.remove_command(self._menu.name, type=self._menu.type)

    async def log_message(
        self, interaction: discord.Interaction[DaybookBot], message: discord.Message
    ) -> None:
        """Log the message as the member's post for the day it was sent."""
        guild_id = guild_of(interaction)
        if message.author.id != interaction.user.id or message.webhook_id is not None:
            raise NotAllowedError(NOT_YOUR_MESSAGE)
        # Reading its files from Discord may take a while.
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel_id = progress_channel_of(message.channel)
        # In a progress channel (or a thread of one), the post is for that channel's challenge;
        # anywhere else, for the member's one challenge.
        found = (
            await self._challenges.for_progress_channel(guild_id, channel_id)
            if channel_id is not None
            else None
        )
        result = await self._entries.record(
            guild_id=guild_id,
            user_id=interaction.user.id,
            text=message.content,
            attachments=tuple(attachment.url for attachment in message.attachments),
            challenge=found.id if found is not None else None,
            source=EntrySource.COMMAND,
            message_id=message.id,
            channel_id=message.channel.id,
            at=event_time(interaction),
            sent_at=message.created_at,
        )
        # Read from Discord only once the post is taken: a message refused (not joined, logged
        # before, too old) costs no download, however often the menu is used on it.
        uploads = await download(message.attachments, per_file=self._attachments.per_file)
        report = await keep_files(self._attachments, result, uploads)
        await interaction.followup.send(
            with_note(embeds.recorded_message(result, with_view=True), report),
            view=recorded_view(result, interaction.user.id, files=kept_count(report)),
            ephemeral=True,
        )
        # The message is public already: no check-in line, only a milestone it reached.
        await interaction.client.community.after_entry(
            result, name=interaction.user.display_name, at=event_time(interaction), checkin=False
        )


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    services = bot.services
    await bot.add_cog(
        LogMessageCog(
            bot,
            entries=services.entries,
            attachments=services.attachments,
            challenges=services.challenges,
        )
    )

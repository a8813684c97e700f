"""Logging progress: /log, with options or a form, and the reply that says what it counted as."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.attachments import AttachmentService
from bot.services.entries import EntryService
from bot.services.inputs import parse_day
from cogs._ui import embeds
from cogs._ui.attachments import download, keep_files, kept_count, with_note
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of
from cogs._ui.log_form import LogModal
from cogs._ui.views import recorded_view

if TYPE_CHECKING:
    from bot.client import DaybookBot


class EntriesCog(commands.Cog):
    """Members' daily posts."""

    def __init__(self, *, entries: EntryService, attachments: AttachmentService) -> None:
        self._entries = entries
        self._attachments = attachments

    @app_commands.command(
        name="log",
        description="Log what you did today: see your Day N, streak, and whether it counted.",
    )
    @app_commands.guild_only()
    @app_commands.describe(
        text="What you did (leave empty to open a form)",
        minutes="How long you worked, in minutes",
        tags="Tags, separated by commas",
        link="A link to your work: a commit, a notebook, a post",
        attachment="A screenshot or file to keep with the post",
        day="A past day to log, YYYY-MM-DD, within the challenge's backfill window",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.autocomplete(challenge=running_challenges)
    async def log(
        self,
        interaction: discord.Interaction[DaybookBot],
        text: str | None = None,
        minutes: int | None = None,
        tags: str | None = None,
        link: str | None = None,
        attachment: discord.Attachment | None = None,
        day: str | None = None,
        challenge: str | None = None,
    ) -> None:
        """Log what you did today: see your Day N, streak, and whether it counted."""
        past_day = parse_day(day) if day else None
        if text is None and attachment is None:
            await interaction.response.send_modal(LogModal(day=past_day, challenge=challenge))
            return
        if attachment is not None:
            # Daybook keeps its own copy (Discord's link expires): reading it may take a while.
            await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self._entries.record(
            guild_id=guild_of(interaction),
            user_id=interaction.user.id,
            text=text or "",
            minutes=minutes,
            tags=tags or "",
            link=link,
            attachments=(attachment.url,) if attachment else (),
            day=past_day,
            challenge=challenge,
            at=event_time(interaction),
        )
        # Read only once the post is taken: a refused /log (not joined, a day too old) costs
        # no download.
        uploads = (
            await download([attachment], per_file=self._attachments.per_file)
            if attachment is not None
            else []
        )
        report = await keep_files(self._attachments, result, uploads)
        message = with_note(embeds.recorded_message(result, with_view=True), report)
        view = recorded_view(result, interaction.user.id, files=kept_count(report))
        if interaction.response.is_done():
            await interaction.followup.send(message, view=view, ephemeral=True)
        else:
            await interaction.response.send_message(message, view=view, ephemeral=True)
        # After the private reply: the channel's line never holds up (or fails) the member's.
        await interaction.client.community.after_entry(
            result, name=interaction.user.display_name, at=event_time(interaction), checkin=True
        )


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    services = bot.services
    await bot.add_cog(EntriesCog(entries=services.entries, attachments=services.attachments))

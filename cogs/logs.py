"""Bringing a log in (/import, with a preview to confirm) and taking posts out (/export)."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import InvalidInputError
from bot.services.inputs import parse_day
from bot.services.logs import MAX_LOG_BYTES, LogService
from cogs._ui import logs as ui
from cogs._ui.attachments import upload_budget
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of

if TYPE_CHECKING:
    from bot.client import DaybookBot

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".txt", ".text", ""})


def _checked_file(attachment: discord.Attachment) -> None:
    """Refuse what cannot be a log before downloading it: too big, or not text."""
    if attachment.size > MAX_LOG_BYTES:
        raise InvalidInputError(
            f"That file is {attachment.size / 1024 / 1024:.1f} MB; a log can be at most 2 MB. "
            "Split it into parts and import them one by one."
        )
    suffix = PurePath(attachment.filename).suffix.casefold()
    content_type = (attachment.content_type or "").split(";")[0].strip()
    if suffix not in TEXT_SUFFIXES and not content_type.startswith("text/"):
        raise InvalidInputError(
            f"'{attachment.filename[:80]}' is not a text file. Attach your log as Markdown "
            "(.md) or plain text (.txt)."
        )


class LogsCog(commands.Cog):
    """Import a hand-kept log; export one's posts as a log."""

    def __init__(self, *, logs: LogService) -> None:
        self._logs = logs

    @app_commands.command(
        name="import", description="Bring in your log: see what Daybook reads, then confirm."
    )
    @app_commands.guild_only()
    @app_commands.describe(
        attachment="Your log: a Markdown or text file, up to 2 MB",
        year="The year of dates written without one (when the log does not say)",
        start="The date of Day 1, for a log without dates (YYYY-MM-DD)",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.autocomplete(challenge=running_challenges)
    async def import_log(
        self,
        interaction: discord.Interaction[DaybookBot],
        attachment: discord.Attachment,
        year: app_commands.Range[int, 1970, 2100] | None = None,
        start: str | None = None,
        challenge: str | None = None,
    ) -> None:
        """Read a log and show what importing it would do, with Confirm and Cancel."""
        _checked_file(attachment)
        first_day = parse_day(start, "start") if start else None
        guild_id = guild_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = event_time(interaction)
        plan = await self._logs.plan_import(
            guild_id=guild_id,
            user_id=interaction.user.id,
            data=await attachment.read(),
            now=now,
            year=year,
            start=first_day,
            challenge=challenge,
        )
        embed = ui.preview_embed(plan, attachment.filename)
        if not plan.days:
            await interaction.followup.send(embed=embed, ephemeral=True)
            return
        token = await self._logs.hold(plan, now=now)
        await interaction.followup.send(
            embed=embed,
            view=ui.import_view(token, interaction.user.id, len(plan.days)),
            ephemeral=True,
        )

    @app_commands.command(
        name="export", description="Download your posts as a log: Markdown, JSON, CSV or a zip."
    )
    @app_commands.guild_only()
    @app_commands.describe(
        format="markdown (the classic #100DaysOfCode log), json, csv, or zip (with your files)",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.autocomplete(challenge=running_challenges)
    async def export_log(
        self,
        interaction: discord.Interaction[DaybookBot],
        format: Literal["markdown", "json", "csv", "zip"],  # the option is called "format"
        challenge: str | None = None,
    ) -> None:
        """Send the member's posts as a file, privately."""
        guild_id = guild_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = event_time(interaction)
        exported = await self._logs.export(
            guild_id=guild_id,
            user_id=interaction.user.id,
            fmt=format,
            now=now,
            challenge=challenge,
        )
        if len(exported.data) > upload_budget(interaction):
            raise InvalidInputError(ui.export_too_large(format, len(exported.data), interaction))
        await interaction.followup.send(
            ui.export_message(
                exported.days, exported.entries, format, exported.today, files=exported.files
            ),
            file=discord.File(BytesIO(exported.data), exported.filename),
            ephemeral=True,
        )


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    await bot.add_cog(LogsCog(logs=bot.services.logs))

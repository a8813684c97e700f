"""Where members stand: /streak, /why, and the pictures /progress and /leaderboard."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from io import BytesIO
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.leaderboard import Metric, Period
from bot.services.attachments import AttachmentService
from bot.services.charts import ChartService
from bot.services.progress import ProgressService
from cogs._ui import boards, embeds
from cogs._ui.attachments import MAX_FILES_PER_MESSAGE, as_files, files_message, upload_budget
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of
from cogs._ui.names import member_names

if TYPE_CHECKING:
    from bot.client import DaybookBot


class ProgressCog(commands.Cog):
    """Day N, streaks and the ledger that explains them."""

    def __init__(
        self,
        *,
        progress: ProgressService,
        charts: ChartService,
        attachments: AttachmentService,
    ) -> None:
        self._progress = progress
        self._charts = charts
        self._attachments = attachments

    @app_commands.command(
        name="streak", description="Show Day N, the current streak and the best streak."
    )
    @app_commands.guild_only()
    @app_commands.describe(
        member="Whose streak (default: yours)",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.autocomplete(challenge=running_challenges)
    async def streak(
        self,
        interaction: discord.Interaction[DaybookBot],
        member: discord.Member | None = None,
        challenge: str | None = None,
    ) -> None:
        """Show Day N, the current streak and the best streak."""
        whose = member or interaction.user
        standing = await self._progress.summary(
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
    @app_commands.autocomplete(challenge=running_challenges)
    async def why(
        self,
        interaction: discord.Interaction[DaybookBot],
        member: discord.Member | None = None,
        challenge: str | None = None,
    ) -> None:
        """Show the last days: what counted, and the rule that decided."""
        whose = member or interaction.user
        ledger = await self._progress.ledger(
            guild_id=guild_of(interaction),
            viewer_id=interaction.user.id,
            member_id=whose.id,
            challenge=challenge,
            now=event_time(interaction),
        )
        embed = embeds.ledger_embed(ledger, whose.display_name)
        shown = ledger.ledger.rows[-embeds.LEDGER_ROWS :]
        if whose.id != interaction.user.id or not shown:
            # Another member's files stay theirs: /why shows them only to their author.
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        # The member's own files of the days shown, sent from Daybook's copy: Discord's links
        # to them expire after about a day.
        files, more = await self._attachments.recent_files(
            guild_id=guild_of(interaction),
            user_id=whose.id,
            challenge=challenge,
            first=shown[0].day,
            last=shown[-1].day,
            limit=MAX_FILES_PER_MESSAGE,
            max_bytes=upload_budget(interaction),
        )
        if not files:
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        await interaction.response.send_message(
            files_message(files, more), embed=embed, files=as_files(files), ephemeral=True
        )

    @app_commands.command(
        name="progress",
        description="Show a calendar heatmap of the attempt, with Day N and streaks.",
    )
    @app_commands.guild_only()
    @app_commands.describe(
        member="Whose progress (default: yours)",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.autocomplete(challenge=running_challenges)
    async def progress(
        self,
        interaction: discord.Interaction[DaybookBot],
        member: discord.Member | None = None,
        challenge: str | None = None,
    ) -> None:
        """Show a calendar heatmap of the attempt, with Day N and streaks."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        whose = member or interaction.user
        picture = await self._charts.draw_progress(
            guild_id=guild_of(interaction),
            viewer_id=interaction.user.id,
            member_id=whose.id,
            member_name=whose.display_name,
            challenge=challenge,
            now=event_time(interaction),
        )
        await interaction.followup.send(
            embed=boards.progress_embed(picture, whose.display_name),
            file=discord.File(BytesIO(picture.png), boards.PROGRESS_FILE),
            ephemeral=True,
        )

    @app_commands.command(
        name="leaderboard",
        description="Show the top 10 and a bar chart; your own rank is shown to you alone.",
    )
    @app_commands.guild_only()
    @app_commands.describe(
        metric="Rank by current streak, days logged, or consistency (share of the last 30 days)",
        period="Which days count for 'days': this week, this month, or all time",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.autocomplete(challenge=running_challenges)
    async def leaderboard(
        self,
        interaction: discord.Interaction[DaybookBot],
        metric: Literal["streak", "days", "consistency"] = "streak",
        period: Literal["week", "month", "all"] = "all",
        challenge: str | None = None,
    ) -> None:
        """Show the top 10 publicly, and your own rank to you alone, with a bar chart."""
        # A mistake is the caller's alone: the challenge is checked before anything is shown
        # (an error then goes out as the private first response, `tree.answer`).
        await self._progress.challenge_for(guild_id=guild_of(interaction), challenge=challenge)
        # The defer is private, so whatever fails while the board is drawn is told to the
        # caller alone. The first followup completes it, privately: the caller's own place.
        await interaction.response.defer(ephemeral=True, thinking=True)
        picture = await self._charts.draw_leaderboard(
            guild_id=guild_of(interaction),
            viewer_id=interaction.user.id,
            metric=Metric(metric),
            period=Period(period),
            challenge=challenge,
            now=event_time(interaction),
            names=partial(display_names, interaction),
        )
        await interaction.followup.send(boards.own_rank_line(picture), ephemeral=True)
        # Then the board, public: a later followup is a message of its own, whose flag holds.
        # A leaderboard belongs to the community; it names members without mentioning them,
        # and the bot's default AllowedMentions.none() applies besides.
        await interaction.followup.send(
            embed=boards.leaderboard_embed(picture),
            file=discord.File(BytesIO(picture.png), boards.LEADERBOARD_FILE),
            ephemeral=False,
        )


async def display_names(
    interaction: discord.Interaction[DaybookBot], user_ids: Sequence[int]
) -> dict[int, str]:
    """Return the server display names of the members a leaderboard shows (11 at most).

    Names, not <@id> mentions: the chart needs words anyway, and a mention in an embed shows
    as a bare id on clients that have not loaded that member.
    """
    known = {interaction.user.id: interaction.user.display_name}
    remember = interaction.client.services.names.remember
    return await member_names(interaction.guild, user_ids, known, remember)


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    services = bot.services
    await bot.add_cog(
        ProgressCog(
            progress=services.progress, charts=services.charts, attachments=services.attachments
        )
    )

"""The weekly digest, previewed or posted by hand by organizers (the scheduler posts it too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.digests import DigestService
from bot.transport import DigestPoster
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of, require_organizer
from cogs._ui.digest import posted_early_note, preview_note

if TYPE_CHECKING:
    from bot.client import DaybookBot

CHALLENGE = "Which challenge (if the server runs several)"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class DigestCog(
    commands.GroupCog,
    name="Digest",
    group_name="digest",
    group_description="Organizers: preview the weekly digest, or post it now.",
):
    """The weekly digest."""

    def __init__(self, *, digests: DigestService, poster: DigestPoster) -> None:
        self._digests = digests
        self._poster = poster

    @app_commands.command(
        name="preview", description="See the next digest as it stands now, just for you."
    )
    @app_commands.describe(challenge=CHALLENGE)
    @app_commands.autocomplete(challenge=running_challenges)
    async def preview(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """See the next digest as it stands now, just for you."""
        require_organizer(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = event_time(interaction)
        digest = await self._digests.preview(
            guild_id=guild_of(interaction), challenge=challenge, now=now
        )
        embeds, files = await self._poster.message(digest)
        await interaction.followup.send(
            preview_note(digest, now),
            embeds=embeds,
            files=files,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(
        name="post-now",
        description="Post the week so far now; the full week's digest still posts at its time.",
    )
    @app_commands.describe(challenge=CHALLENGE)
    @app_commands.autocomplete(challenge=running_challenges)
    async def post_now(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """Post the week so far now; the full week's digest still posts at its time."""
        require_organizer(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await self._digests.post_now(
            guild_id=guild_of(interaction),
            challenge=challenge,
            now=event_time(interaction),
            post=self._poster.post,
        )
        await interaction.followup.send(
            posted_early_note(digest),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the service it uses and the bot's digest poster."""
    await bot.add_cog(DigestCog(digests=bot.services.digests, poster=bot.digest_poster))

"""The weekly digest, previewed or posted by hand by organizers (the scheduler posts it too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.digests import Digest, DigestService
from bot.transport import DigestPoster
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of, require_organizer

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

    @app_commands.command(name="preview", description="See this week's digest, just for you.")
    @app_commands.describe(challenge=CHALLENGE)
    @app_commands.autocomplete(challenge=running_challenges)
    async def preview(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """See this week's digest, just for you."""
        require_organizer(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await self._digests.preview(
            guild_id=guild_of(interaction), challenge=challenge, now=event_time(interaction)
        )
        embeds, files = await self._poster.message(digest)
        await interaction.followup.send(
            _posted_where(digest, preview=True), embeds=embeds, files=files, ephemeral=True
        )

    @app_commands.command(
        name="post-now", description="Post this week's digest now, instead of at its time."
    )
    @app_commands.describe(challenge=CHALLENGE)
    @app_commands.autocomplete(challenge=running_challenges)
    async def post_now(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """Post this week's digest now, instead of at its time."""
        require_organizer(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await self._digests.post_now(
            guild_id=guild_of(interaction),
            challenge=challenge,
            now=event_time(interaction),
            post=self._poster.post,
        )
        await interaction.followup.send(_posted_where(digest, preview=False), ephemeral=True)


def _posted_where(digest: Digest, *, preview: bool) -> str:
    moment = discord.utils.format_dt(digest.slot.moment, "F")
    channel = (
        "no digest channel yet (set one with /challenge edit)"
        if digest.challenge.digest_channel_id is None
        else f"<#{digest.challenge.digest_channel_id}>"
    )
    if preview:
        return f"Preview: this digest is due {moment} in {channel}."
    return f"✅ Posted in {channel}. It takes the place of the digest due {moment}."


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the service it uses and the bot's digest poster."""
    await bot.add_cog(DigestCog(digests=bot.services.digests, poster=bot.digest_poster))

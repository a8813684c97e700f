"""The weekly digest: posted by the scheduler, previewed or posted by hand by organizers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from io import BytesIO

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.digests import Digest
from cogs._ui import digest as text
from cogs._ui.context import (
    client_services,
    event_time,
    guild_of,
    require_organizer,
    services_of,
)
from cogs._ui.names import member_names

log = logging.getLogger(__name__)

CHALLENGE = "Which challenge (if the server runs several)"


class DigestPoster:
    """Renders a digest (charts off the event loop) and posts it in its challenge's channel."""

    def __init__(self, bot: commands.Bot) -> None:
        self._bot = bot

    async def message(self, digest: Digest) -> tuple[list[discord.Embed], list[discord.File]]:
        """Return the digest's embeds and chart files."""
        guild = self._bot.get_guild(digest.challenge.guild_id)
        names = await member_names(guild, text.listed_ids(digest))

        async def lookup(user_ids: Sequence[int]) -> dict[int, str]:
            return {user_id: names[user_id] for user_id in user_ids if user_id in names}

        pictures = await client_services(self._bot).charts.draw_digest(digest, lookup)
        files = [
            discord.File(BytesIO(pictures.board), text.BOARD_FILE),
            discord.File(BytesIO(pictures.activity), text.ACTIVITY_FILE),
        ]
        return text.digest_embeds(digest, names), files

    async def post(self, digest: Digest) -> None:
        """Post a digest in its challenge's digest channel; it mentions nobody."""
        channel_id = digest.challenge.digest_channel_id
        if channel_id is None:  # the service never posts without a channel
            raise RuntimeError("a digest needs a digest channel")
        embeds, files = await self.message(digest)
        channel = self._bot.get_partial_messageable(channel_id)
        await channel.send(
            embeds=embeds, files=files, allowed_mentions=discord.AllowedMentions.none()
        )


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class DigestCog(
    commands.GroupCog,
    name="Digest",
    group_name="digest",
    group_description="Organizers: preview the weekly digest, or post it now.",
):
    """The weekly digest."""

    def __init__(self, bot: commands.Bot) -> None:
        self.poster = DigestPoster(bot)
        self._bot = bot

    async def post_due(self, now: datetime) -> list[Digest]:
        """Post every digest due at `now` (the scheduler's tick); skip those too late."""
        return await client_services(self._bot).digests.run_due(now, self.poster.post)

    @app_commands.command(name="preview", description="See this week's digest, just for you.")
    @app_commands.describe(challenge=CHALLENGE)
    async def preview(self, interaction: discord.Interaction, challenge: str | None = None) -> None:
        """See this week's digest, just for you."""
        require_organizer(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await services_of(interaction).digests.preview(
            guild_id=guild_of(interaction), challenge=challenge, now=event_time(interaction)
        )
        embeds, files = await self.poster.message(digest)
        await interaction.followup.send(
            _posted_where(digest, preview=True), embeds=embeds, files=files, ephemeral=True
        )

    @app_commands.command(
        name="post-now", description="Post this week's digest now, instead of at its time."
    )
    @app_commands.describe(challenge=CHALLENGE)
    async def post_now(
        self, interaction: discord.Interaction, challenge: str | None = None
    ) -> None:
        """Post this week's digest now, instead of at its time."""
        require_organizer(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await services_of(interaction).digests.post_now(
            guild_id=guild_of(interaction),
            challenge=challenge,
            now=event_time(interaction),
            post=self.poster.post,
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


async def setup(bot: commands.Bot) -> None:
    """Add the cog."""
    await bot.add_cog(DigestCog(bot))

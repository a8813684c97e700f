"""What scheduled jobs send through Discord: reminders and nudges, and weekly digests.

The services decide what is due and keep the send ledger; these two only turn a decision into
Discord messages. The bot builds one of each around itself (they need its connection), and its
ticks hand them to the services; the digest cog borrows the poster for previews and /digest
post-now.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

import discord

from bot.domain.models import Challenge
from bot.pacing import CHANNEL_LIMIT, DIRECT_LIMIT, Pacer
from bot.services.charts import ChartService
from bot.services.delivery import ChannelMessage, DeliveryError, DmsClosedError
from bot.services.digests import Digest
from bot.services.reminders import DueMember
from cogs._ui import digest as digest_text
from cogs._ui import reminders as reminder_text
from cogs._ui.names import member_names

DMS_CLOSED = 50007
"""Discord's "Cannot send messages to this user"."""
DIRECT_BUCKET = "direct"


def _channel_bucket(challenge: Challenge) -> str:
    return f"channel:{challenge.progress_channel_id}"


class DiscordTransport:
    """Sends reminders through the bot, paced under Discord's rate limits."""

    def __init__(self, bot: discord.Client, pacer: Pacer) -> None:
        self._bot = bot
        self._pacer = pacer

    def pack(
        self, challenge: Challenge, kind: str, members: Sequence[DueMember], moved: frozenset[int]
    ) -> list[tuple[DueMember, ...]]:
        """Split members into as few messages as fit 2,000 characters."""
        return reminder_text.pack(challenge, kind, members, moved)

    async def turn(self, challenge: Challenge, member: DueMember | None) -> None:
        """Wait for a turn in the channel's bucket, or the direct messages' one."""
        if member is None:
            await self._pacer.turn(_channel_bucket(challenge), CHANNEL_LIMIT)
        else:
            await self._pacer.turn(DIRECT_BUCKET, DIRECT_LIMIT)

    async def to_channel(self, message: ChannelMessage) -> None:
        """Post one reminder in the progress channel, pinging exactly its members."""
        channel_id = message.challenge.progress_channel_id
        if channel_id is None:  # the delivery skips such challenges before sending
            raise DeliveryError("the challenge has no progress channel")
        channel = self._bot.get_partial_messageable(channel_id)
        self._pacer.sent(_channel_bucket(message.challenge))
        try:
            await channel.send(
                reminder_text.channel_text(message),
                view=reminder_text.log_today_view(message.challenge.id),
                allowed_mentions=reminder_text.allowed_mentions(message.members),
            )
        except discord.HTTPException as error:
            raise _failed(error) from error

    async def to_member(self, challenge: Challenge, kind: str, member: DueMember) -> None:
        """Send one member their reminder in a direct message."""
        self._pacer.sent(DIRECT_BUCKET)
        try:
            channel = await self._bot.create_dm(discord.Object(member.user_id))
            await channel.send(
                reminder_text.direct_text(challenge, kind, member),
                view=reminder_text.log_today_view(challenge.id),
            )
        except discord.HTTPException as error:
            if isinstance(error, discord.Forbidden) and error.code == DMS_CLOSED:
                raise DmsClosedError(str(error)) from error
            raise _failed(error) from error


def _failed(error: discord.HTTPException) -> DeliveryError:
    """Return Discord's refusal as a failed send, which the next tick retries."""
    return DeliveryError(f"{error.status} {error.code}: {error.text}")


class DigestPoster:
    """Renders a digest (charts off the event loop) and posts it in its challenge's channel."""

    def __init__(self, bot: discord.Client, charts: ChartService) -> None:
        self._bot = bot
        self._charts = charts

    async def message(self, digest: Digest) -> tuple[list[discord.Embed], list[discord.File]]:
        """Return the digest's embeds and chart files."""
        guild = self._bot.get_guild(digest.challenge.guild_id)
        names = await member_names(guild, digest_text.listed_ids(digest))

        async def lookup(user_ids: Sequence[int]) -> dict[int, str]:
            return {user_id: names[user_id] for user_id in user_ids if user_id in names}

        pictures = await self._charts.draw_digest(digest, lookup)
        files = [
            discord.File(BytesIO(pictures.board), digest_text.BOARD_FILE),
            discord.File(BytesIO(pictures.activity), digest_text.ACTIVITY_FILE),
        ]
        return digest_text.digest_embeds(digest, names), files

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

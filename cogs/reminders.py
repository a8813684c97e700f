"""Reminders: /remind, and the minute tick's delivery to channels and direct messages."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import Challenge, ReminderMode
from bot.pacing import CHANNEL_LIMIT, DIRECT_LIMIT, Pacer
from bot.services._common import parse_clock_time
from bot.services.delivery import (
    ChannelMessage,
    DeliveryError,
    DeliveryReport,
    DmsClosedError,
)
from bot.services.reminders import DueMember
from cogs._ui import reminders as text
from cogs._ui.context import client_services, guild_of, services_of

log = logging.getLogger(__name__)

DMS_CLOSED = 50007
"""Discord's "Cannot send messages to this user"."""
MODE_CHOICES = [
    app_commands.Choice(name="in the progress channel", value=ReminderMode.CHANNEL.value),
    app_commands.Choice(name="by direct message", value=ReminderMode.DM.value),
    app_commands.Choice(name="off", value=ReminderMode.OFF.value),
]


DIRECT_BUCKET = "direct"


def _channel_bucket(challenge: Challenge) -> str:
    return f"channel:{challenge.progress_channel_id}"


class DiscordTransport:
    """Sends reminders through the bot, paced under Discord's rate limits."""

    def __init__(self, bot: commands.Bot, pacer: Pacer) -> None:
        self._bot = bot
        self._pacer = pacer

    def pack(
        self, challenge: Challenge, kind: str, members: Sequence[DueMember], moved: frozenset[int]
    ) -> list[tuple[DueMember, ...]]:
        """Split members into as few messages as fit 2,000 characters."""
        return text.pack(challenge, kind, members, moved)

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
                text.channel_text(message),
                view=text.log_today_view(message.challenge.id),
                allowed_mentions=text.allowed_mentions(message.members),
            )
        except discord.HTTPException as error:
            raise _failed(error) from error

    async def to_member(self, challenge: Challenge, kind: str, member: DueMember) -> None:
        """Send one member their reminder in a direct message."""
        self._pacer.sent(DIRECT_BUCKET)
        try:
            channel = await self._bot.create_dm(discord.Object(member.user_id))
            await channel.send(
                text.direct_text(challenge, kind, member),
                view=text.log_today_view(challenge.id),
            )
        except discord.HTTPException as error:
            if isinstance(error, discord.Forbidden) and error.code == DMS_CLOSED:
                raise DmsClosedError(str(error)) from error
            raise _failed(error) from error


def _failed(error: discord.HTTPException) -> DeliveryError:
    """Return Discord's refusal as a failed send, which the next tick retries."""
    return DeliveryError(f"{error.status} {error.code}: {error.text}")


class RemindersCog(commands.Cog, name="Reminders"):
    """Members' reminders: when and how, and sending them when they fall due."""

    def __init__(self, bot: commands.Bot, pacer: Pacer | None = None) -> None:
        self.transport = DiscordTransport(bot, pacer or Pacer())
        self._bot = bot

    async def deliver(self, now: datetime) -> DeliveryReport:
        """Send every reminder and nudge due at `now` (the scheduler's minute tick)."""
        return await client_services(self._bot).delivery.run(now, self.transport)

    @app_commands.command(
        name="remind", description="Get reminded on days you haven't logged by a time you choose."
    )
    @app_commands.guild_only()
    @app_commands.describe(
        time="Your local time, HH:MM, e.g. 20:30 (leave both empty to see your setting)",
        mode="Where the reminder comes: the progress channel, a direct message, or off",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.choices(mode=MODE_CHOICES)
    async def remind(
        self,
        interaction: discord.Interaction,
        time: str | None = None,
        mode: str | None = None,
        challenge: str | None = None,
    ) -> None:
        """Get reminded on days you haven't logged by a time you choose."""
        services = services_of(interaction)
        guild_id = guild_of(interaction)
        if time is None and mode is None:
            current = await services.challenges.get(guild_id=guild_id, challenge=challenge)
            participant = await services.participants.mine(
                guild_id=guild_id, user_id=interaction.user.id, challenge=challenge
            )
        else:
            current, participant = await services.reminders.set_reminder(
                guild_id=guild_id,
                user_id=interaction.user.id,
                challenge=challenge,
                reminder_time=parse_clock_time(time, "reminder time") if time else None,
                mode=ReminderMode(mode) if mode else None,
            )
        await interaction.response.send_message(
            text.remind_message(current, participant), ephemeral=True
        )


async def setup(bot: commands.Bot) -> None:
    """Add the cog."""
    await bot.add_cog(RemindersCog(bot))

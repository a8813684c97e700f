"""Stand-ins for Discord and time: a virtual clock, and a channel that records what it is sent."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import cast

import discord
from discord.ext import commands

from bench.world import CHANNEL_ID
from bot.domain.models import Challenge
from bot.pacing import Pacer
from bot.services.reminders import DueMember
from bot.transport import DiscordTransport


class VirtualClock:
    """Real elapsed time plus every second slept, where sleeping costs no real time."""

    def __init__(self) -> None:
        self.slept = 0.0

    def monotonic(self) -> float:
        """Return the virtual now."""
        return time.perf_counter() + self.slept

    async def sleep(self, seconds: float) -> None:
        """Move the clock on by `seconds`, and let other tasks run."""
        self.slept += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass(frozen=True, slots=True)
class Sent:
    """One channel message as Discord would have received it."""

    at: float
    """Virtual instant of the request."""
    length: int
    users: tuple[int, ...]
    """The users its allowed mentions ping."""


class RecordingChannel:
    """Stands in for `bot.get_partial_messageable(...)`: send() records instead of a request."""

    def __init__(self, clock: VirtualClock, latency: float) -> None:
        self.clock = clock
        self.latency = latency
        self.sent: list[Sent] = []

    async def send(
        self,
        content: str,
        *,
        view: discord.ui.View,
        allowed_mentions: discord.AllowedMentions,
        nonce: int | str | None = None,
    ) -> None:
        """Record the message; take the simulated request latency (virtual time)."""
        del nonce  # Discord's duplicate guard: nothing to deduplicate in a recording
        users = tuple(user.id for user in cast(list[discord.Object], allowed_mentions.users))
        self.sent.append(Sent(self.clock.monotonic(), len(content), users))
        if self.latency:
            await self.clock.sleep(self.latency)


class TimedTransport(DiscordTransport):
    """The bot's transport, noting the instant each channel turn is granted."""

    def __init__(self, bot: commands.Bot, pacer: Pacer, clock: VirtualClock) -> None:
        super().__init__(bot, pacer)
        self.clock = clock
        self.turns: list[float] = []

    async def turn(self, challenge: Challenge, member: DueMember | None) -> None:
        """Wait for the turn as the bot does, then note when it came."""
        await super().turn(challenge, member)
        if member is None:
            self.turns.append(self.clock.monotonic())


class RecordingBot:
    """The little of a bot `DiscordTransport.to_channel` uses."""

    def __init__(self, channel: RecordingChannel) -> None:
        self.channel = channel

    def get_partial_messageable(self, channel_id: int) -> RecordingChannel:
        """Return the recording channel (there is one progress channel)."""
        assert channel_id == CHANNEL_ID
        return self.channel

    def get_guild(self, guild_id: int) -> discord.Guild | None:
        """Return no cached server: `refused_before_sending` then lets the send go ahead."""
        del guild_id  # one server, never cached here
        return None

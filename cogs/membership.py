"""Taking part: /join, /leave, /timezone, /settings and /forget-me."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.challenges import ChallengeService
from bot.services.inputs import parse_day
from bot.services.participants import ParticipantService
from bot.services.send_ledger import SendLedger
from bot.tree import remember_name
from cogs._ui import embeds
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of
from cogs._ui.views import forget_view
from cogs._ui.zones import lost_zone_message, zone_choices

if TYPE_CHECKING:
    from bot.client import DaybookBot

log = logging.getLogger(__name__)

_ANSWERED = (
    discord.InteractionResponseType.channel_message,
    discord.InteractionResponseType.deferred_channel_message,
)
"""Responses a followup can come after."""


async def _zones(
    interaction: discord.Interaction[DaybookBot], current: str
) -> list[app_commands.Choice[str]]:
    return zone_choices(current)


class MembershipCog(commands.Cog):
    """Joining and leaving challenges, and one's own settings."""

    def __init__(
        self,
        *,
        participants: ParticipantService,
        challenges: ChallengeService,
        send_ledger: SendLedger,
    ) -> None:
        self._participants = participants
        self._challenges = challenges
        self._send_ledger = send_ledger

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction[DaybookBot],
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        """After a member's command, tell them once if their stored zone no longer loads."""
        # Only a reply can carry a followup (a modal opened in answer cannot).
        if interaction.guild_id is None or interaction.response.type not in _ANSWERED:
            return
        try:
            lost = await self._participants.lost_zone(
                guild_id=interaction.guild_id, user_id=interaction.user.id
            )
            if lost is None:
                return

            async def tell() -> None:
                await interaction.followup.send(lost_zone_message(lost.zone), ephemeral=True)

            await self._send_ledger.once(lost.notice, at=event_time(interaction), send=tell)
        except Exception:
            # The command itself is answered; a notice that failed is retried next time.
            log.exception("could not tell user %s about their time zone", interaction.user.id)

    @app_commands.command(name="join", description="Join the challenge, in your own time zone.")
    @app_commands.guild_only()
    @app_commands.describe(
        timezone="Your time zone, e.g. Europe/Berlin (default: the server's)",
        challenge="Which challenge (if the server runs several)",
        start="The day you started, YYYY-MM-DD, if you are already underway",
        day="The day you are on, if you are already underway",
    )
    @app_commands.autocomplete(timezone=_zones, challenge=running_challenges)
    async def join(
        self,
        interaction: discord.Interaction[DaybookBot],
        timezone: str | None = None,
        challenge: str | None = None,
        start: str | None = None,
        day: app_commands.Range[int, 1, 1000] | None = None,
    ) -> None:
        """Join the challenge, in your own time zone."""
        joined = await self._participants.join(
            guild_id=guild_of(interaction),
            user_id=interaction.user.id,
            now=event_time(interaction),
            timezone=timezone,
            challenge=challenge,
            start=parse_day(start, "start") if start else None,
            day=day,
        )
        await interaction.response.send_message(embeds.joined_message(joined), ephemeral=True)
        # Names are kept only for members; the tree's check ran before this one was one.
        await remember_name(interaction)

    @app_commands.command(name="leave", description="Leave the challenge; your days are kept.")
    @app_commands.guild_only()
    @app_commands.describe(challenge="Which challenge (if the server runs several)")
    @app_commands.autocomplete(challenge=running_challenges)
    async def leave(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """Leave the challenge; your days are kept."""
        left = await self._participants.leave(
            guild_id=guild_of(interaction),
            user_id=interaction.user.id,
            challenge=challenge,
            now=event_time(interaction),
        )
        await interaction.response.send_message(
            f"You left **{discord.utils.escape_markdown(left.name)}**. Your days are kept: "
            "`/join` brings you back where you were.",
            ephemeral=True,
        )
        # Milestone roles go with the membership (a member who comes back earns them again).
        await interaction.client.community.leave(
            guild_id=left.guild_id, user_id=interaction.user.id, challenge_id=left.id
        )

    @app_commands.command(
        name="timezone", description="Change your time zone; days already logged keep their date."
    )
    @app_commands.guild_only()
    @app_commands.describe(zone="Your time zone, e.g. America/New_York")
    @app_commands.autocomplete(zone=_zones)
    async def timezone(self, interaction: discord.Interaction[DaybookBot], zone: str) -> None:
        """Change your time zone; days already logged keep their date."""
        changed = await self._participants.set_timezone(
            guild_id=guild_of(interaction),
            user_id=interaction.user.id,
            timezone=zone,
            now=event_time(interaction),
        )
        names = embeds.challenge_names(changed.challenges)
        await interaction.response.send_message(
            f"Your time zone is now {changed.zone} in {names}. "
            "Days you already logged keep their date.",
            ephemeral=True,
        )

    @app_commands.command(
        name="settings", description="See your settings, or show or hide yourself on leaderboards."
    )
    @app_commands.guild_only()
    @app_commands.describe(
        visible="Show you on leaderboards and digests (leave empty to just see your settings)",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.autocomplete(challenge=running_challenges)
    async def settings(
        self,
        interaction: discord.Interaction[DaybookBot],
        visible: bool | None = None,
        challenge: str | None = None,
    ) -> None:
        """See your settings, or show or hide yourself on leaderboards."""
        guild_id = guild_of(interaction)
        if visible is not None:
            participant = await self._participants.set_hidden(
                guild_id=guild_id,
                user_id=interaction.user.id,
                challenge=challenge,
                hidden=not visible,
            )
        else:
            participant = await self._participants.mine(
                guild_id=guild_id, user_id=interaction.user.id, challenge=challenge
            )
        current = await self._challenges.get(guild_id=guild_id, challenge=challenge)
        await interaction.response.send_message(
            embeds.settings_message(participant, current, event_time(interaction)), ephemeral=True
        )

    @app_commands.command(
        name="forget-me",
        description="Delete everything Daybook keeps about you, after a confirmation.",
    )
    async def forget_me(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Delete everything Daybook keeps about you, after a confirmation."""
        await interaction.response.send_message(
            "This deletes every post, day and setting Daybook keeps about you, in every server. "
            "It cannot be undone.",
            view=forget_view(interaction.user.id),
            ephemeral=True,
        )


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    await bot.add_cog(
        MembershipCog(
            participants=bot.services.participants,
            challenges=bot.services.challenges,
            send_ledger=bot.services.send_ledger,
        )
    )

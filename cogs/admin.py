"""Organizers' corrections: /admin adjust counts, excuses or discounts one member's day.

Hidden from members by Discord's default permissions (Manage Server) and checked again in
code, because a server admin can grant the command to anyone. The reason is kept and shown in
the member's /why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import AdjustmentKind
from bot.services.challenges import MAX_REASON
from bot.services.inputs import parse_day
from bot.services.organizers import OrganizerService
from cogs._ui import challenge_text
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of, require_organizer

if TYPE_CHECKING:
    from bot.client import DaybookBot

KIND_CHOICES = [
    app_commands.Choice(
        name="count: the day counts (a lost post, a Discord outage)", value="count"
    ),
    app_commands.Choice(
        name="excuse: like a rest day, it neither counts nor breaks anything", value="excuse"
    ),
    app_commands.Choice(name="discount: the day does not count (not progress)", value="discount"),
]


class AdminCog(commands.Cog):
    """Organizers' tools."""

    def __init__(self, *, organizers: OrganizerService) -> None:
        self._organizers = organizers

    admin = app_commands.Group(
        name="admin",
        description="Organizers: correct members' days.",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    @admin.command(
        name="adjust",
        description="Count, excuse or discount a member's day, with a reason they see.",
    )
    @app_commands.describe(
        member="Whose day",
        day="The member's local day, YYYY-MM-DD",
        kind="What to do with the day",
        reason="Why; the member sees it in /why",
        challenge="Which challenge (if the server runs several)",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(challenge=running_challenges)
    async def adjust(
        self,
        interaction: discord.Interaction[DaybookBot],
        member: discord.Member,
        day: str,
        kind: str,
        reason: app_commands.Range[str, 1, MAX_REASON],
        challenge: str | None = None,
    ) -> None:
        """Count, excuse or discount a member's day, with a reason they see."""
        require_organizer(interaction)
        adjusted = await self._organizers.adjust(
            guild_id=guild_of(interaction),
            organizer_id=interaction.user.id,
            member_id=member.id,
            day=parse_day(day),
            kind=AdjustmentKind(kind),
            reason=reason,
            challenge=challenge,
            now=event_time(interaction),
        )
        await interaction.response.send_message(
            challenge_text.adjusted_message(adjusted), ephemeral=True
        )


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    await bot.add_cog(AdminCog(organizers=bot.services.organizers))

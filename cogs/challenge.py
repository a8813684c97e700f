"""Organizers' /challenge create, edit, info and end.

The whole group is hidden from members by Discord's default permissions (Manage Server), and
every subcommand checks again in code, because a server admin can grant the commands to anyone.
An edit is previewed first (what changes, whom it moves) and applied by a Confirm button that
survives restarts; ending asks for a confirmation too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.delivery import ChannelRole
from bot.domain.rules import (
    MAX_BACKFILL_DAYS,
    MAX_FREEZE_BANK,
    MAX_FREEZE_EVERY,
    MAX_MIN_MINUTES,
    MAX_MIN_WORDS,
    MAX_ROLLOVER_HOUR,
    MAX_TARGET_DAYS,
    PRESETS,
    WEEKDAY_NAMES,
    MissedDayPolicy,
)
from bot.errors import InvalidInputError
from bot.services.challenges import ChallengeService
from bot.services.organizers import OrganizerService
from bot.services.settings_input import (
    CUSTOM,
    MAX_NAME,
    MAX_NUDGE_HOURS,
    ChallengeSettingsInput,
    RulesInput,
)
from bot.wording.rules import POLICY_SENTENCES, PRESET_DESCRIPTIONS
from cogs._ui import challenge_text
from cogs._ui.challenge_views import edit_view, end_view
from cogs._ui.challenges import running_challenges
from cogs._ui.context import event_time, guild_of, require_organizer
from cogs._ui.problems import refusal_for
from cogs._ui.zones import zone_choices

if TYPE_CHECKING:
    from bot.client import DaybookBot

PRESET_CHOICES = [
    *(app_commands.Choice(name=PRESET_DESCRIPTIONS[name], value=name) for name in PRESETS),
    app_commands.Choice(
        name="Custom: 100 days, any post counts; tune it with /challenge edit", value=CUSTOM
    ),
]
WEEKDAY_CHOICES = [app_commands.Choice(name=name, value=name) for name in WEEKDAY_NAMES]
POLICY_CHOICES = [
    app_commands.Choice(
        name=f"{policy.value}: {POLICY_SENTENCES[policy]}"[:100], value=policy.value
    )
    for policy in MissedDayPolicy
]

CHALLENGE = "Which challenge (if the server runs several)"
SETTINGS_HELP = {
    "preset": "Rules of a known challenge, or custom",
    "timezone": "The server's time zone, e.g. Europe/Berlin (members keep their own)",
    "progress_channel": "Where members post progress and get channel reminders",
    "digest_channel": "Where the weekly digest is posted",
    "digest_day": "The weekday of the weekly digest",
    "digest_time": "The time of the weekly digest, HH:MM in the challenge's time zone",
}


async def _zones(
    interaction: discord.Interaction[DaybookBot], current: str
) -> list[app_commands.Choice[str]]:
    return zone_choices(current)


def _channel_id(channel: discord.TextChannel | None) -> int | None:
    return None if channel is None else channel.id


def _check_channels(
    progress: discord.TextChannel | None, digest: discord.TextChannel | None
) -> None:
    """Refuse channels Daybook could not post in, saying exactly which permissions are missing."""
    wanted: dict[int, tuple[discord.TextChannel, set[ChannelRole]]] = {}
    for channel, role in ((progress, ChannelRole.PROGRESS), (digest, ChannelRole.DIGEST)):
        if channel is not None:
            wanted.setdefault(channel.id, (channel, set()))[1].add(role)
    for channel, roles in wanted.values():
        refusal = refusal_for(channel, frozenset(roles))
        if refusal is not None:
            raise InvalidInputError(refusal)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ChallengeCog(
    commands.GroupCog,
    group_name="challenge",
    group_description="Organizers: create, edit, show or end this server's challenges.",
):
    """The organizers' commands for the challenges a server runs."""

    def __init__(self, *, challenges: ChallengeService, organizers: OrganizerService) -> None:
        self._challenges = challenges
        self._organizers = organizers

    @app_commands.command(
        name="create", description="Start a challenge from a preset or your own rules."
    )
    @app_commands.describe(
        name="The challenge's name, e.g. 100 Days of ML Code",
        **SETTINGS_HELP,
    )
    @app_commands.choices(preset=PRESET_CHOICES, digest_day=WEEKDAY_CHOICES)
    @app_commands.autocomplete(timezone=_zones)
    async def create(
        self,
        interaction: discord.Interaction[DaybookBot],
        name: app_commands.Range[str, 1, MAX_NAME],
        preset: str | None = None,
        timezone: str | None = None,
        progress_channel: discord.TextChannel | None = None,
        digest_channel: discord.TextChannel | None = None,
        digest_day: str | None = None,
        digest_time: str | None = None,
    ) -> None:
        """Start a challenge from a preset or your own rules."""
        require_organizer(interaction)
        _check_channels(progress_channel, digest_channel)
        created = await self._challenges.create(
            guild_id=guild_of(interaction),
            settings=ChallengeSettingsInput(
                name=name,
                preset=preset,
                timezone=timezone,
                progress_channel_id=_channel_id(progress_channel),
                digest_channel_id=_channel_id(digest_channel),
                digest_day=digest_day,
                digest_time=digest_time,
            ),
            now=event_time(interaction),
            organizer_id=interaction.user.id,
        )
        await interaction.response.send_message(
            challenge_text.created_message(created), ephemeral=True
        )

    @app_commands.command(
        name="edit",
        description="Change a challenge; see whom a rule change moves before confirming.",
    )
    @app_commands.describe(
        challenge=CHALLENGE,
        name="A new name",
        **SETTINGS_HELP,
        target_days="Qualifying days that finish a round (0: open-ended)",
        min_minutes="Minutes a day must add up to (0: no minimum)",
        min_words="Words a day's posts must add up to (0: no minimum)",
        require_link="Whether a day needs a link to the work",
        missed_day_policy="What a missed day costs",
        rest_weekdays="Days that never break a streak, e.g. Saturday,Sunday (none: no rest days)",
        rollover_hour="Local hour a new day starts (4: a post at 01:30 counts for the day before)",
        backfill_days="How many days late a member may still log a day",
        freeze_every="Qualifying days that earn a freeze (0: no freezes)",
        freeze_max="How many freezes a member can bank",
        nudge_hours="Hours before a member's day ends to nudge a streak of 3+ at risk (0: off)",
    )
    @app_commands.choices(
        preset=PRESET_CHOICES, digest_day=WEEKDAY_CHOICES, missed_day_policy=POLICY_CHOICES
    )
    @app_commands.autocomplete(timezone=_zones, challenge=running_challenges)
    async def edit(
        self,
        interaction: discord.Interaction[DaybookBot],
        challenge: str | None = None,
        name: app_commands.Range[str, 1, MAX_NAME] | None = None,
        preset: str | None = None,
        timezone: str | None = None,
        progress_channel: discord.TextChannel | None = None,
        digest_channel: discord.TextChannel | None = None,
        digest_day: str | None = None,
        digest_time: str | None = None,
        target_days: app_commands.Range[int, 0, MAX_TARGET_DAYS] | None = None,
        min_minutes: app_commands.Range[int, 0, MAX_MIN_MINUTES] | None = None,
        min_words: app_commands.Range[int, 0, MAX_MIN_WORDS] | None = None,
        require_link: bool | None = None,
        missed_day_policy: str | None = None,
        rest_weekdays: app_commands.Range[str, 1, 100] | None = None,
        rollover_hour: app_commands.Range[int, 0, MAX_ROLLOVER_HOUR] | None = None,
        backfill_days: app_commands.Range[int, 0, MAX_BACKFILL_DAYS] | None = None,
        freeze_every: app_commands.Range[int, 0, MAX_FREEZE_EVERY] | None = None,
        freeze_max: app_commands.Range[int, 0, MAX_FREEZE_BANK] | None = None,
        nudge_hours: app_commands.Range[int, 0, MAX_NUDGE_HOURS] | None = None,
    ) -> None:
        """Change a challenge; see whom a rule change moves before confirming."""
        require_organizer(interaction)
        _check_channels(progress_channel, digest_channel)
        # Previewing walks every member's history under both rule sets: defer first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        proposed = await self._organizers.propose_edit(
            guild_id=guild_of(interaction),
            organizer_id=interaction.user.id,
            challenge=challenge,
            settings=ChallengeSettingsInput(
                name=name,
                preset=preset,
                timezone=timezone,
                progress_channel_id=_channel_id(progress_channel),
                digest_channel_id=_channel_id(digest_channel),
                digest_day=digest_day,
                digest_time=digest_time,
                nudge_hours=nudge_hours,
            ),
            rules=RulesInput(
                target_days=target_days,
                min_minutes=min_minutes,
                min_words=min_words,
                require_link=require_link,
                missed_day_policy=missed_day_policy,
                rest_weekdays=rest_weekdays,
                rollover_hour=rollover_hour,
                backfill_days=backfill_days,
                freeze_every=freeze_every,
                freeze_max=freeze_max,
            ),
            now=event_time(interaction),
        )
        await interaction.followup.send(
            challenge_text.preview_message(proposed),
            view=edit_view(proposed.id, interaction.user.id),
            ephemeral=True,
        )

    @app_commands.command(
        name="info", description="Show a challenge's rules, channels, digest schedule and members."
    )
    @app_commands.describe(challenge=CHALLENGE)
    @app_commands.autocomplete(challenge=running_challenges)
    async def info(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """Show a challenge's rules, channels, digest schedule and members."""
        require_organizer(interaction)
        shown = await self._organizers.info(guild_id=guild_of(interaction), challenge=challenge)
        await interaction.response.send_message(challenge_text.info_message(shown), ephemeral=True)

    @app_commands.command(
        name="end", description="End a challenge after a confirmation; everything logged is kept."
    )
    @app_commands.describe(challenge=CHALLENGE)
    @app_commands.autocomplete(challenge=running_challenges)
    async def end(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """End a challenge after a confirmation; everything logged is kept."""
        require_organizer(interaction)
        current = await self._challenges.get(guild_id=guild_of(interaction), challenge=challenge)
        await interaction.response.send_message(
            challenge_text.end_question(current),
            view=end_view(current.id, interaction.user.id),
            ephemeral=True,
        )


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    await bot.add_cog(
        ChallengeCog(challenges=bot.services.challenges, organizers=bot.services.organizers)
    )

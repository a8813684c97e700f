"""/challenge: info for everyone; create, edit, end and milestone-role for organizers.

Members read the rules with /challenge info, so the group carries no default permissions:
Discord sets those per top-level command only (a subcommand cannot have its own), and hiding
the group would hide the rules too. Every organizer subcommand checks Manage Server in code
(`require_organizer`), which also holds when a server admin grants the commands to anyone.
An edit is previewed first (what changes, whom it moves) and applied by a Confirm button that
survives restarts; ending asks for a confirmation too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from io import BytesIO
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.delivery import ChannelRole
from bot.domain.milestones import Milestone
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
from bot.services.exports import ExportService
from bot.services.milestones import MilestoneService
from bot.services.organizers import OrganizerService
from bot.services.settings_input import (
    CUSTOM,
    MAX_NAME,
    MAX_NUDGE_HOURS,
    ChallengeSettingsInput,
    RulesInput,
)
from bot.services.stats import StatsService
from bot.wording.milestones import milestone_label
from bot.wording.rules import POLICY_SENTENCES, PRESET_DESCRIPTIONS
from cogs._ui import challenge_text
from cogs._ui import stats as stats_ui
from cogs._ui.attachments import upload_budget
from cogs._ui.challenge_views import edit_view, end_view
from cogs._ui.challenges import any_challenges, running_challenges
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
MILESTONE_CHOICES = [
    app_commands.Choice(name=milestone_label(milestone), value=milestone.value)
    for milestone in Milestone
]
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


def _check_role(interaction: discord.Interaction[DaybookBot], role: discord.Role) -> None:
    """Refuse a role Daybook could not (or should not) give, saying what to change."""
    refusal = challenge_text.role_refusal(role, interaction.guild)
    if refusal is not None:
        raise InvalidInputError(refusal)


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
class ChallengeCog(
    commands.GroupCog,
    group_name="challenge",
    group_description="A challenge's rules for everyone; organizers create, edit and end them.",
):
    """The challenges a server runs: their rules for everyone, their settings for organizers."""

    def __init__(
        self,
        *,
        challenges: ChallengeService,
        organizers: OrganizerService,
        milestones: MilestoneService,
        stats: StatsService,
        exports: ExportService,
    ) -> None:
        self._challenges = challenges
        self._organizers = organizers
        self._milestones = milestones
        self._stats = stats
        self._exports = exports

    @app_commands.command(
        name="create", description="Organizers: start a challenge from a preset or your own rules."
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
        description="Organizers: change a challenge; see whom a rule change moves first.",
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
        announce_checkins="Post a short public line when a member logs with /log, and milestones",
        web="A public web page with the leaderboard and digests (hidden members never shown)",
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
        announce_checkins: bool | None = None,
        web: bool | None = None,
    ) -> None:
        """Change a challenge; see whom a rule change moves before confirming."""
        require_organizer(interaction)
        _check_channels(progress_channel, digest_channel)
        web_url = interaction.client.settings.web_url
        if web and web_url is None:
            raise InvalidInputError(challenge_text.NO_WEB_URL)
        others = (
            name,
            preset,
            timezone,
            progress_channel,
            digest_channel,
            digest_day,
            digest_time,
            target_days,
            min_minutes,
            min_words,
            require_link,
            missed_day_policy,
            rest_weekdays,
            rollover_hour,
            backfill_days,
            freeze_every,
            freeze_max,
            nudge_hours,
            announce_checkins,
        )
        if web is not None and all(value is None for value in others):
            # Only the page: it moves nobody's days, so there is nothing to preview.
            toggled = await self._challenges.set_web(
                guild_id=guild_of(interaction),
                challenge=challenge,
                enabled=web,
                organizer_id=interaction.user.id,
            )
            await interaction.response.send_message(
                challenge_text.web_message(toggled, web_url), ephemeral=True
            )
            return
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
                announce_checkins=announce_checkins,
                web=web,
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
        # Anyone may read the rules; what only organizers can fix is shown to them alone.
        shown = await self._organizers.info(
            guild_id=guild_of(interaction),
            challenge=challenge,
            for_organizer=interaction.permissions.manage_guild,
        )
        await interaction.response.send_message(
            challenge_text.info_message(shown, interaction.client.settings.web_url),
            ephemeral=True,
        )

    @app_commands.command(
        name="milestone-role",
        description="Organizers: give a role when members reach a milestone (no role: stop).",
    )
    @app_commands.describe(
        milestone="The milestone that gives the role",
        role="The role to give (leave empty to stop giving one for this milestone)",
        challenge=CHALLENGE,
    )
    @app_commands.choices(milestone=MILESTONE_CHOICES)
    @app_commands.autocomplete(challenge=running_challenges)
    async def milestone_role(
        self,
        interaction: discord.Interaction[DaybookBot],
        milestone: str,
        role: discord.Role | None = None,
        challenge: str | None = None,
    ) -> None:
        """Give a role when members reach a milestone (no role: stop)."""
        require_organizer(interaction)
        if role is not None:
            _check_role(interaction, role)
        roles = await self._milestones.set_role(
            guild_id=guild_of(interaction),
            challenge=challenge,
            milestone=milestone,
            role_id=None if role is None else role.id,
            now=event_time(interaction),
        )
        await interaction.response.send_message(
            challenge_text.milestone_role_message(roles, Milestone(milestone), role is not None),
            ephemeral=True,
        )

    @app_commands.command(
        name="end",
        description="Organizers: end a challenge after a confirmation; everything is kept.",
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

    @app_commands.command(
        name="stats",
        description="Organizers: how a challenge is going: activity, retention, milestones.",
    )
    @app_commands.describe(challenge=CHALLENGE)
    @app_commands.autocomplete(challenge=running_challenges)
    async def stats(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """Show a challenge's activity, retention, milestones and streaks, privately."""
        require_organizer(interaction)
        # Reading every member's days and drawing the chart take a moment: defer first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        picture = await self._stats.picture(
            guild_id=guild_of(interaction), challenge=challenge, now=event_time(interaction)
        )
        text = stats_ui.stats_message(picture.stats)
        if picture.png is None:
            await interaction.followup.send(text, ephemeral=True)
            return
        await interaction.followup.send(
            text,
            file=discord.File(BytesIO(picture.png), stats_ui.STATS_FILE),
            ephemeral=True,
        )

    @app_commands.command(
        name="export",
        description="Organizers: every member's days and posts as CSV and JSON (personal data).",
    )
    @app_commands.describe(
        challenge="Which challenge, running or ended (if the server has several)"
    )
    @app_commands.autocomplete(challenge=any_challenges)
    async def export(
        self, interaction: discord.Interaction[DaybookBot], challenge: str | None = None
    ) -> None:
        """Send a challenge's members, days and posts as files, privately."""
        require_organizer(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        exported = await self._exports.export(
            guild_id=guild_of(interaction),
            challenge=challenge,
            now=event_time(interaction),
            names=partial(cached_names, interaction.guild),
            limit=upload_budget(interaction),
        )
        await interaction.followup.send(
            stats_ui.export_message(exported),
            files=[discord.File(BytesIO(file.data), file.filename) for file in exported.files],
            ephemeral=True,
        )


async def cached_names(guild: discord.Guild | None, user_ids: Sequence[int]) -> dict[int, str]:
    """Return the display names of the members in the server's cache (no request per member).

    An export names every member, a thousand at times: fetching each would be a request each.
    Members not cached get the name Daybook last saw (the service reads it).
    """
    if guild is None:
        return {}
    found = (guild.get_member(user_id) for user_id in user_ids)
    return {member.id: member.display_name for member in found if member is not None}


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    await bot.add_cog(
        ChallengeCog(
            challenges=bot.services.challenges,
            organizers=bot.services.organizers,
            milestones=bot.services.milestones,
            stats=bot.services.stats,
            exports=bot.services.exports,
        )
    )

"""Reminder and nudge messages, packed to fit, with the "Log today" button that outlives restarts.

A channel reminder mentions exactly the members it is for, once each (and its allowed mentions
say so, so nothing else in it can ping anyone); a direct one speaks to one member. A member whose
DMs are closed is reminded in the channel like everyone there: nothing public says why (their
`/remind` and `/settings` say where their reminders go now).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time
from typing import TYPE_CHECKING, Any

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.domain.models import Challenge, Participant, ReminderMode
from bot.errors import DaybookError
from bot.services.delivery import ChannelMessage
from bot.services.reminders import NUDGE, DueMember
from bot.tree import answer
from bot.wording.ledger import still_needed
from cogs._ui.embeds import plural
from cogs._ui.log_form import LogModal

if TYPE_CHECKING:
    from bot.client import DaybookBot

MESSAGE_LIMIT = 2000


def _name(challenge: Challenge) -> str:
    return f"**{escape_mentions(escape_markdown(challenge.name))}**"


def _hours(challenge: Challenge) -> str:
    return plural(challenge.nudge_hours or 0, "hour")


def channel_header(challenge: Challenge, kind: str) -> str:
    """Return the first line of a channel reminder or nudge.

    It speaks for every member listed: some logged nothing, some logged a day short of the
    rules (what is missing stays private), so it says only that today doesn't count.
    """
    if kind == NUDGE:
        return (
            f"⌛ {_name(challenge)}: your day ends in about {_hours(challenge)} and your streak "
            "is at risk. Make today count to keep it going:"
        )
    return f"⏰ {_name(challenge)}: today doesn't count yet. Tap **Log today** or use `/log`:"


def _needs(member: DueMember) -> str:
    """Return what a logged day still needs: '20 more minutes' ('' when nothing is logged)."""
    return still_needed(member.short_of)


def _mention(member: DueMember, kind: str) -> str:
    # What a short day lacks stays private (it tells how much the member logged): the channel
    # says only "doesn't count yet", and /log's private reply says how much more.
    if kind == NUDGE:
        return f"<@{member.user_id}> ({plural(member.streak, 'day')})"
    return f"<@{member.user_id}>"


def channel_text(message: ChannelMessage) -> str:
    """Return a channel reminder: the header, then each member's mention, once."""
    mentions = " ".join(_mention(member, message.kind) for member in message.members)
    return f"{channel_header(message.challenge, message.kind)}\n{mentions}"


def pack(
    challenge: Challenge,
    kind: str,
    members: Sequence[DueMember],
    limit: int = MESSAGE_LIMIT,
) -> list[tuple[DueMember, ...]]:
    """Split members into as few messages as fit `limit` characters, in order."""
    header = len(channel_header(challenge, kind)) + 1  # and the newline after it
    packs: list[list[DueMember]] = []
    length = limit  # nothing open yet: the first member opens a message
    for member in members:
        cost = len(_mention(member, kind))
        if packs and length + 1 + cost <= limit:
            packs[-1].append(member)
            length += 1 + cost
        else:
            packs.append([member])
            length = header + cost
    return [tuple(members_of) for members_of in packs]


def allowed_mentions(members: Sequence[DueMember]) -> discord.AllowedMentions:
    """Return mentions that ping exactly these members: no roles, no @everyone."""
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        users=[discord.Object(member.user_id) for member in members],
        replied_user=False,
    )


def direct_text(challenge: Challenge, kind: str, member: DueMember) -> str:
    """Return a reminder or nudge sent as a direct message.

    A member who logged a short day is told what it still needs ("20 more minutes to count
    today"), never that they haven't logged.
    """
    if kind == NUDGE:
        needs = f" and today needs {_needs(member)} to count" if member.short_of else ""
        return (
            f"⌛ Your {member.streak:,}-day streak in {_name(challenge)} is at risk: "
            f"your day ends in about {_hours(challenge)}{needs}. Tap **Log today** to keep it "
            "going."
        )
    if member.short_of:
        needs = _needs(member)
        return (
            f"⏰ {_name(challenge)}: {needs[0].upper()}{needs[1:]} to count today. Tap "
            "**Log today** below to add to your day, or use `/log` in the server."
        )
    return (
        f"⏰ You haven't logged today in {_name(challenge)} yet. Tap **Log today** below, or use "
        "`/log` in the server."
    )


def remind_message(challenge: Challenge, participant: Participant) -> str:
    """Return the reply to /remind: the member's reminder setting in words."""
    name = _name(challenge)
    if participant.reminder_mode is ReminderMode.OFF or participant.reminder_time is None:
        return f"🔕 Reminders for {name} are off. Turn them on with `/remind time:20:30`."
    where = (
        "by direct message"
        if participant.reminder_mode is ReminderMode.DM
        else f"in <#{challenge.progress_channel_id}>"
    )
    return (
        f"🔔 {name}: on days that don't count yet by {_clock(participant.reminder_time)} your "
        f"time ({participant.timezone}), I'll remind you {where}, saying what is missing."
    )


def _clock(at: time) -> str:
    return f"{at:%H:%M}"


class LogTodayButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"remind:log:(?P<challenge>[0-9]+)",
):
    """Open the /log form for the challenge a reminder was about, for whoever clicks."""

    def __init__(self, challenge_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Log today",
                emoji="📝",
                style=discord.ButtonStyle.primary,
                custom_id=f"remind:log:{challenge_id}",
            )
        )
        self.challenge_id = challenge_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> LogTodayButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(int(match["challenge"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Open the form (discord.py's hook, typed for any client: see `open_form`)."""
        await self.open_form(interaction)

    async def open_form(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Open the form; a member who is not taking part is told so, privately."""
        services = interaction.client.services
        try:
            challenge = await services.challenges.running(self.challenge_id)
            await services.participants.mine(
                guild_id=challenge.guild_id,
                user_id=interaction.user.id,
                challenge=challenge.id,
            )
        except DaybookError as error:
            await answer(interaction, error.message)
            return
        await interaction.response.send_modal(
            LogModal(challenge=challenge.id, guild_id=challenge.guild_id)
        )


def log_today_view(challenge_id: int) -> discord.ui.View:
    """Return the view every reminder carries."""
    view = discord.ui.View(timeout=None)
    view.add_item(LogTodayButton(challenge_id))
    return view

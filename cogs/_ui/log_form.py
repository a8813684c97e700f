"""The form behind /log with no text, and behind every reminder's "Log today" button."""

from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING, Any

import discord

from bot.services.entries import MAX_TEXT
from bot.wording.dates import day_label
from cogs._ui import embeds
from cogs._ui.bounds import MAX_MODAL_TITLE, clip
from cogs._ui.context import event_time, guild_of
from cogs._ui.modals import DaybookModal, minutes_from
from cogs._ui.views import recorded_view

if TYPE_CHECKING:
    from bot.client import DaybookBot

FORM_TIMEOUT = 60 * 60.0
"""Seconds an unsent form waits for its member (Discord never says a form was closed)."""


class LogModal(DaybookModal, title="Log today"):
    """What /log opens when no text was given: titled with its day when one was chosen."""

    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="What did you do?",
        custom_id="log:text",
        style=discord.TextStyle.paragraph,
        max_length=MAX_TEXT,
        placeholder="Read about attention; trained a small transformer on my notes…",
    )
    minutes: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Minutes (optional)", custom_id="log:minutes", required=False, max_length=4
    )
    link: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Link to your work (optional)", custom_id="log:link", required=False, max_length=500
    )

    def __init__(
        self,
        *,
        day: date | None = None,
        challenge: str | int | None = None,
        guild_id: int | None = None,
    ) -> None:
        """`guild_id` is for a form opened outside the server (a reminder's button in a DM)."""
        # discord.py finds an open form by its custom id alone: a fixed one would hand one
        # member's submission to the form another member opened since (a reminder pings many
        # at once), and drop the other's. Each form gets its own id, and is let go after a
        # while if the member closes it without sending.
        super().__init__(custom_id=f"log:modal:{secrets.token_hex(8)}", timeout=FORM_TIMEOUT)
        if day is not None:
            # A past day's form says which day it logs ("Log today" would be untrue).
            self.title = clip(f"Log {day_label(day)}", MAX_MODAL_TITLE)
        self.day = day
        self.challenge = challenge
        self.guild_id = guild_id

    async def submit(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Record the post and answer with Day N, the streak and whether it counted."""
        result = await interaction.client.services.entries.record(
            guild_id=self.guild_id or guild_of(interaction),
            user_id=interaction.user.id,
            text=self.text.value,
            minutes=minutes_from(self.minutes.value),
            link=self.link.value.strip() or None,
            day=self.day,
            challenge=self.challenge,
            at=event_time(interaction),
        )
        await interaction.response.send_message(
            embeds.recorded_message(result, with_view=True),
            view=recorded_view(result, interaction.user.id),
            ephemeral=True,
        )
        await interaction.client.community.after_entry(
            result, name=interaction.user.display_name, at=event_time(interaction), checkin=True
        )

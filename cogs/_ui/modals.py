"""Forms: editing one's own post, and adding minutes to a short day."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import discord
from discord.utils import escape_markdown

from bot.domain.models import Entry
from bot.errors import DaybookError, InvalidInputError
from bot.services.entries import MAX_TEXT, OpenDays, RecordedEntry
from bot.services.entry_checks import MAX_MINUTES
from bot.services.inputs import parse_whole_number
from bot.tree import APOLOGY, BROKEN_INPUT, answer, has_broken_input
from cogs._ui import embeds
from cogs._ui.context import event_time, guild_of

if TYPE_CHECKING:
    from bot.client import DaybookBot


def minutes_from(text: str) -> int | None:
    """Read the optional minutes field of a form."""
    return parse_whole_number(text, "Minutes", 45)


class DaybookModal(discord.ui.Modal):
    """A form whose errors reach the member as one private sentence."""

    submit: Callable[[discord.Interaction[DaybookBot]], Awaitable[None]]
    """What the form does when sent, defined by each form."""

    # discord.py types its hooks for any client (a type variable of the method), so they take
    # Interaction[Any]; `submit` is Daybook's own and sees Daybook's bot, services typed.
    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Refuse, with a sentence, a form holding text that cannot be stored."""
        if has_broken_input(interaction):
            await answer(interaction, BROKEN_INPUT)
            return False
        return True

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Run the form's `submit`."""
        await self.submit(interaction)

    async def on_error(  # type: ignore[override]  # Modal's on_error has no item, BaseView's has
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        """Answer a user's mistake politely; let anything else be logged."""
        if isinstance(error, DaybookError):
            await answer(interaction, error.message)
            return
        await answer(interaction, APOLOGY)
        await super().on_error(interaction, error)


class EditEntryModal(DaybookModal, title="Edit your post"):
    """The form behind a post's Edit button."""

    def __init__(self, entry: Entry) -> None:
        super().__init__(custom_id=f"entry:edit-form:{entry.id}")
        self.entry_id = entry.id
        self.text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="What did you do?",
            custom_id="edit:text",
            style=discord.TextStyle.paragraph,
            max_length=MAX_TEXT,
            default=entry.text,
        )
        self.minutes: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Minutes (optional)",
            custom_id="edit:minutes",
            required=False,
            max_length=4,
            default="" if entry.minutes is None else str(entry.minutes),
        )
        self.add_item(self.text)
        self.add_item(self.minutes)

    async def submit(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Save the edit; the post keeps the day it was posted on."""
        minutes = minutes_from(self.minutes.value)
        result = await interaction.client.services.entries.edit(
            entry_id=self.entry_id,
            user_id=interaction.user.id,
            text=self.text.value,
            minutes=minutes,
            clear_minutes=minutes is None,
            at=event_time(interaction),
        )
        await interaction.response.send_message(
            "✏️ Post edited.\n" + embeds.recorded_message(result), ephemeral=True
        )
        # An edit that makes the day count may land a milestone; it is no new check-in.
        await interaction.client.community.after_entry(
            result, name=interaction.user.display_name, at=event_time(interaction), checkin=False
        )


ADD_FORM_TIMEOUT = 60 * 60.0
"""Seconds an unsent Add-minutes form waits for its member (Discord never says it was closed)."""


def add_minutes_too_late(open_days: OpenDays, day: date | None) -> str:
    """Return why minutes can no longer be added to a day (past the window for late posts)."""
    if day is None:
        return "That button no longer works. Log the minutes with `/log` instead."
    backfill = open_days.challenge.rules.backfill_days
    name = escape_markdown(open_days.challenge.name)
    if backfill == 0:
        window = f"{name} only takes posts for the day they are for"
    else:
        window = f"{name} takes late posts for {embeds.plural(backfill, 'day')} only"
    return f"{embeds.short_day(day)} is over and {window}, so minutes can no longer be added to it."


def added_minutes_text(minutes: int) -> str:
    """Return the text of a post that only adds minutes (the member left the note empty)."""
    return f"Added {embeds.plural(minutes, 'minute')}."


class AddMinutesModal(DaybookModal, title="Add minutes"):
    """The form behind a short day's Add minutes button: a second post for that day."""

    def __init__(
        self,
        *,
        challenge_id: int,
        day: date,
        reply_view: Callable[[RecordedEntry], discord.ui.View],
    ) -> None:
        # A token per form, as the /log form has: discord.py finds an open form by its id.
        super().__init__(
            title=f"Add minutes to {embeds.short_day(day)}",
            custom_id=f"day:add-minutes-form:{secrets.token_hex(8)}",
            timeout=ADD_FORM_TIMEOUT,
        )
        self.challenge_id = challenge_id
        self.day = day
        self.reply_view = reply_view
        self.minutes: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Minutes to add",
            custom_id="add:minutes",
            placeholder="30",
            max_length=4,
        )
        self.note: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="What did you do? (optional)",
            custom_id="add:note",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=MAX_TEXT,
        )
        self.add_item(self.minutes)
        self.add_item(self.note)

    async def submit(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Record the minutes as a second post for the same day, and say what the day is now."""
        minutes = minutes_from(self.minutes.value)
        if minutes is None or not 1 <= minutes <= MAX_MINUTES:
            raise InvalidInputError(
                f"Give the minutes to add: a whole number from 1 to {MAX_MINUTES:,}, like 30."
            )
        result = await interaction.client.services.entries.record(
            guild_id=guild_of(interaction),
            user_id=interaction.user.id,
            text=self.note.value.strip() or added_minutes_text(minutes),
            minutes=minutes,
            day=self.day,
            challenge=self.challenge_id,
            at=event_time(interaction),
        )
        await interaction.response.send_message(
            embeds.recorded_message(result, with_view=True),
            view=self.reply_view(result),
            ephemeral=True,
        )
        # A second post for the day: it may land a milestone; the day's check-in was its first post.
        await interaction.client.community.after_entry(
            result, name=interaction.user.display_name, at=event_time(interaction), checkin=False
        )

"""Forms: writing today's post, and editing one's own post."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.models import Entry
from bot.errors import DaybookError
from bot.services.entries import MAX_TEXT
from bot.services.inputs import parse_whole_number
from bot.tree import APOLOGY, BROKEN_INPUT, answer, has_broken_input
from cogs._ui import embeds
from cogs._ui.context import event_time

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

"""Organizers' Confirm and Cancel buttons: editing and ending a challenge.

Each button carries what it acts on and who asked in its custom id (`DynamicItem`), so it
works after a restart; the edit itself waits in the database as a pending edit. Only the
organizer who asked can press them, and only while they can still manage the server.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import NotFoundError
from bot.services.organizers import EditExpiredError
from cogs._ui import challenge_text
from cogs._ui.context import event_time, guild_of, require_organizer
from cogs._ui.owned import OwnedButton

if TYPE_CHECKING:
    from bot.client import DaybookBot

NOT_YOUR_EDIT = "Only the organizer who asked for this can confirm or cancel it."


def _button(
    choice: str, confirm_label: str, custom_id: str, confirm_style: discord.ButtonStyle
) -> discord.ui.Button[Any]:
    confirm = choice == "yes"
    return discord.ui.Button(
        label=confirm_label if confirm else "Cancel",
        style=confirm_style if confirm else discord.ButtonStyle.secondary,
        custom_id=custom_id,
    )


class ChallengeEditButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"challenge:edit:(?P<choice>yes|no):(?P<pending>[0-9]+):(?P<owner>[0-9]+)",
):
    """Confirm or cancel a previewed challenge edit."""

    not_yours = NOT_YOUR_EDIT

    def __init__(self, choice: str, pending_id: int, owner_id: int) -> None:
        super().__init__(
            _button(
                choice,
                "Confirm",
                f"challenge:edit:{choice}:{pending_id}:{owner_id}",
                discord.ButtonStyle.primary,
            )
        )
        self.choice = choice
        self.pending_id = pending_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ChallengeEditButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(match["choice"], int(match["pending"]), int(match["owner"]))

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Apply the pending edit (re-validated), or drop it."""
        organizers = interaction.client.services.organizers
        if self.choice != "yes":
            # Cancelling changes nothing, so it needs no organizer check.
            await organizers.cancel_edit(pending_id=self.pending_id, organizer_id=self.owner_id)
            await interaction.response.edit_message(
                content="Cancelled: nothing was changed.", view=None
            )
            return
        require_organizer(interaction)
        try:
            applied = await organizers.confirm_edit(
                guild_id=guild_of(interaction),
                pending_id=self.pending_id,
                organizer_id=self.owner_id,
                now=event_time(interaction),
            )
        except (EditExpiredError, NotFoundError) as gone:
            # The preview can never be confirmed now: say so in place of its buttons.
            await interaction.response.edit_message(content=gone.message, view=None)
            return
        await interaction.response.edit_message(
            content=challenge_text.applied_message(applied), view=None
        )


class ChallengeEndButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"challenge:end:(?P<choice>yes|no):(?P<challenge>[0-9]+):(?P<owner>[0-9]+)",
):
    """Confirm or cancel ending a challenge."""

    not_yours = NOT_YOUR_EDIT

    def __init__(self, choice: str, challenge_id: int, owner_id: int) -> None:
        super().__init__(
            _button(
                choice,
                "End the challenge",
                f"challenge:end:{choice}:{challenge_id}:{owner_id}",
                discord.ButtonStyle.danger,
            )
        )
        self.choice = choice
        self.challenge_id = challenge_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ChallengeEndButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(match["choice"], int(match["challenge"]), int(match["owner"]))

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """End the challenge, or leave it running."""
        if self.choice != "yes":
            await interaction.response.edit_message(
                content="Cancelled: the challenge keeps running.", view=None
            )
            return
        require_organizer(interaction)
        ended = await interaction.client.services.organizers.end(
            guild_id=guild_of(interaction),
            challenge_id=self.challenge_id,
            now=event_time(interaction),
        )
        await interaction.response.edit_message(
            content=challenge_text.ended_message(ended), view=None
        )


def edit_view(pending_id: int, owner_id: int) -> discord.ui.View:
    """Return Confirm and Cancel for a previewed edit."""
    view = discord.ui.View(timeout=None)
    view.add_item(ChallengeEditButton("yes", pending_id, owner_id))
    view.add_item(ChallengeEditButton("no", pending_id, owner_id))
    return view


def end_view(challenge_id: int, owner_id: int) -> discord.ui.View:
    """Return Confirm and Cancel for ending a challenge."""
    view = discord.ui.View(timeout=None)
    view.add_item(ChallengeEndButton("yes", challenge_id, owner_id))
    view.add_item(ChallengeEndButton("no", challenge_id, owner_id))
    return view

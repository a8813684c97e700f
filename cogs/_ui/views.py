"""Buttons that survive restarts: each carries its own ids in its custom id (`DynamicItem`).

Every button checks that the member clicking owns the data it acts on; a click by anyone else
gets a polite private "not yours" and changes nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.wording.dates import day_label
from cogs._ui import embeds
from cogs._ui.attachments import EntryFilesButton
from cogs._ui.context import event_time
from cogs._ui.modals import EditEntryModal
from cogs._ui.owned import OwnedButton

if TYPE_CHECKING:
    from bot.client import DaybookBot


class EditEntryButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"entry:edit:(?P<entry>[0-9]+):(?P<owner>[0-9]+)",
):
    """Open a form to edit one's own post."""

    def __init__(self, entry_id: int, owner_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Edit",
                style=discord.ButtonStyle.secondary,
                custom_id=f"entry:edit:{entry_id}:{owner_id}",
            )
        )
        self.entry_id = entry_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> EditEntryButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(int(match["entry"]), int(match["owner"]))

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Open the edit form, filled with the post as it is."""
        entry = await interaction.client.services.entries.get_own(
            entry_id=self.entry_id, user_id=interaction.user.id
        )
        await interaction.response.send_modal(EditEntryModal(entry))


class DeleteEntryButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"entry:delete:(?P<entry>[0-9]+):(?P<owner>[0-9]+)",
):
    """Ask to confirm deleting one's own post (nothing is deleted by this click)."""

    def __init__(self, entry_id: int, owner_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete",
                style=discord.ButtonStyle.danger,
                custom_id=f"entry:delete:{entry_id}:{owner_id}",
            )
        )
        self.entry_id = entry_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> DeleteEntryButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(int(match["entry"]), int(match["owner"]))

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Ask, privately, whether to delete the post, naming its day."""
        entry = await interaction.client.services.entries.get_own(
            entry_id=self.entry_id, user_id=interaction.user.id
        )
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmDeleteButton("yes", self.entry_id, self.owner_id))
        view.add_item(ConfirmDeleteButton("no", self.entry_id, self.owner_id))
        await interaction.response.send_message(
            f"Delete your post for {day_label(entry.local_day)}? This can't be undone.",
            view=view,
            ephemeral=True,
        )


class ConfirmDeleteButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"entry:delete:(?P<choice>yes|no):(?P<entry>[0-9]+):(?P<owner>[0-9]+)",
):
    """Delete one's own post after all (it leaves the ledger), or keep it."""

    def __init__(self, choice: str, entry_id: int, owner_id: int) -> None:
        confirm = choice == "yes"
        super().__init__(
            discord.ui.Button(
                label="Delete" if confirm else "Keep",
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
                custom_id=f"entry:delete:{choice}:{entry_id}:{owner_id}",
            )
        )
        self.choice = choice
        self.entry_id = entry_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ConfirmDeleteButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(match["choice"], int(match["entry"]), int(match["owner"]))

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Delete the post and say where that leaves the member, or leave it as it is."""
        if self.choice != "yes":
            await interaction.response.edit_message(
                content="Kept: your post was not deleted.", view=None
            )
            return
        result = await interaction.client.services.entries.delete(
            entry_id=self.entry_id, user_id=interaction.user.id, at=event_time(interaction)
        )
        await interaction.response.edit_message(
            content=(
                f"🗑️ Your post for {day_label(result.entry.local_day)} is deleted.\n"
                f"{embeds.standing_line(result.summary)}"
            ),
            view=None,
        )


class ForgetMeButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"forget:(?P<choice>yes|no):(?P<owner>[0-9]+)",
):
    """Confirm or cancel deleting everything Daybook keeps about the member."""

    def __init__(self, choice: str, owner_id: int) -> None:
        confirm = choice == "yes"
        super().__init__(
            discord.ui.Button(
                label="Delete everything" if confirm else "Cancel",
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
                custom_id=f"forget:{choice}:{owner_id}",
            )
        )
        self.choice = choice
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ForgetMeButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(match["choice"], int(match["owner"]))

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Delete everything (after the confirmation), or leave it all as it was."""
        if self.choice != "yes":
            await interaction.response.edit_message(content="Nothing was deleted.", view=None)
            return
        community = interaction.client.community
        # Read first: forgetting the member forgets which roles Daybook gave them.
        held = await community.held_by(self.owner_id)
        removed = await interaction.client.services.participants.forget(user_id=self.owner_id)
        await interaction.response.edit_message(
            content=embeds.forgotten_message(removed), view=None
        )
        await community.forgotten(held)


def entry_view(entry_id: int, owner_id: int, *, files: int = 0) -> discord.ui.View:
    """Return the Edit and Delete buttons of a post, and Files when it keeps any."""
    view = discord.ui.View(timeout=None)
    view.add_item(EditEntryButton(entry_id, owner_id))
    view.add_item(DeleteEntryButton(entry_id, owner_id))
    if files:
        view.add_item(EntryFilesButton(entry_id, owner_id))
    return view


def forget_view(owner_id: int) -> discord.ui.View:
    """Return the confirmation of /forget-me."""
    view = discord.ui.View(timeout=None)
    view.add_item(ForgetMeButton("yes", owner_id))
    view.add_item(ForgetMeButton("no", owner_id))
    return view

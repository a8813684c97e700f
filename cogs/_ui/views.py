"""Buttons that survive restarts: each carries its own ids in its custom id (`DynamicItem`).

Every button checks that the member clicking owns the data it acts on; a click by anyone else
gets a polite private "not yours" and changes nothing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.reasons import ShortOfMinutes
from bot.services.entries import RecordedEntry
from bot.wording.dates import day_label
from cogs._ui import embeds
from cogs._ui.attachments import EntryFilesButton
from cogs._ui.context import event_time, guild_of
from cogs._ui.modals import AddMinutesModal, EditEntryModal, add_minutes_too_late
from cogs._ui.owned import EntryButton, OwnedButton

if TYPE_CHECKING:
    from bot.client import DaybookBot


class EditEntryButton(EntryButton, template=r"entry:edit:(?P<entry>[0-9]+):(?P<owner>[0-9]+)"):
    """Open a form to edit one's own post."""

    action = "edit"
    label = "Edit"

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Open the edit form, filled with the post as it is."""
        entry = await interaction.client.services.entries.get_own(
            entry_id=self.entry_id, user_id=interaction.user.id
        )
        await interaction.response.send_modal(EditEntryModal(entry))


class DeleteEntryButton(EntryButton, template=r"entry:delete:(?P<entry>[0-9]+):(?P<owner>[0-9]+)"):
    """Ask to confirm deleting one's own post (nothing is deleted by this click)."""

    action = "delete"
    label = "Delete"
    style = discord.ButtonStyle.danger

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


class AddMinutesButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"day:add-minutes:(?P<challenge>[0-9]+):(?P<day>[0-9]{8}):(?P<owner>[0-9]+)",
):
    """Top up one's own short day: a form for the minutes, recorded as a second post that day."""

    not_yours = "That button belongs to someone else's day; only they can add minutes to it."

    def __init__(self, challenge_id: int, day: date | None, owner_id: int) -> None:
        # The day is in the custom id (not the post's id), so the button still works for the
        # day after the post it came with was deleted.
        stamp = "00000000" if day is None else f"{day:%Y%m%d}"
        super().__init__(
            discord.ui.Button(
                label="Add minutes",
                emoji="⏱️",
                style=discord.ButtonStyle.primary,
                custom_id=f"day:add-minutes:{challenge_id}:{stamp}:{owner_id}",
            )
        )
        self.challenge_id = challenge_id
        self.day = day
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> AddMinutesButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        stamp = match["day"]
        try:
            day: date | None = date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
        except ValueError:
            day = None  # a forged id: `act` says the button no longer works
        return cls(int(match["challenge"]), day, int(match["owner"]))

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Open the form, unless the day is past the challenge's window for late posts."""
        open_days = await interaction.client.services.entries.open_days(
            guild_id=guild_of(interaction),
            user_id=interaction.user.id,
            challenge=self.challenge_id,
            at=event_time(interaction),
        )
        if self.day is None or not open_days.takes(self.day):
            await interaction.response.send_message(
                add_minutes_too_late(open_days, self.day), ephemeral=True
            )
            return
        await interaction.response.send_modal(
            AddMinutesModal(
                challenge_id=self.challenge_id,
                day=self.day,
                reply_view=lambda result: recorded_view(result, self.owner_id),
            )
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


def recorded_view(result: RecordedEntry, owner_id: int, *, files: int = 0) -> discord.ui.View:
    """Return a logged post's buttons: Edit, Delete, Files it keeps, Add minutes for a short day."""
    view = entry_view(result.entry.id, owner_id, files=files)
    if needs_minutes(result):
        view.add_item(AddMinutesButton(result.challenge.id, result.entry.local_day, owner_id))
    return view


def needs_minutes(result: RecordedEntry) -> bool:
    """Whether the post's day is short of the challenge's minutes (so minutes can be added)."""
    return any(isinstance(item, ShortOfMinutes) for item in result.verdict.shortfalls)


def forget_view(owner_id: int) -> discord.ui.View:
    """Return the confirmation of /forget-me."""
    view = discord.ui.View(timeout=None)
    view.add_item(ForgetMeButton("yes", owner_id))
    view.add_item(ForgetMeButton("no", owner_id))
    return view

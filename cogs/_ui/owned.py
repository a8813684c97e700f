"""The check every persistent button shares: only the member a button belongs to may use it.

Kept apart from the buttons themselves so that any module of buttons can use it, and
`cogs._ui.views` can import those modules for its registry without an import cycle.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.errors import DaybookError
from bot.tree import APOLOGY, answer

if TYPE_CHECKING:
    from bot.client import DaybookBot

NOT_YOURS = "That button belongs to someone else's post; only its author can use it."


class OwnedButton:
    """Mixed into a button for one member's data: checks the clicker, answers errors privately."""

    owner_id: int
    not_yours: str = NOT_YOURS
    """What anyone else who clicks is told."""
    act: Callable[[discord.Interaction[DaybookBot]], Awaitable[None]]
    """What the button does, defined by each button."""

    # discord.py types these two hooks for any client (a type variable of the method), so they
    # take Interaction[Any]; `act` is Daybook's own and sees Daybook's bot, services typed.
    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Let only the owner through."""
        if interaction.user.id != self.owner_id:
            await answer(interaction, self.not_yours)
            return False
        return True

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Run the button's action, turning a user-facing error into a private sentence."""
        try:
            await self.act(interaction)
        except DaybookError as error:
            await answer(interaction, error.message)
        except Exception:
            await answer(interaction, APOLOGY)
            raise


class EntryButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    # discord.py wants a template on every subclass; this one is never registered (its
    # subclasses are, each with its own action's template).
    template=r"entry:(?P<action>[a-z]+):(?P<entry>[0-9]+):(?P<owner>[0-9]+)",
):
    """A button on one member's post, working after a restart.

    Its custom id `entry:<action>:<entry>:<owner>` carries both ids. Each subclass names its
    `action`, `label` and `style`, and passes the matching `template`.
    """

    action: ClassVar[str]
    label: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary
    emoji: ClassVar[str | None] = None

    def __init__(self, entry_id: int, owner_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.label,
                emoji=self.emoji,
                style=self.style,
                custom_id=f"entry:{self.action}:{entry_id}:{owner_id}",
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
    ) -> Self:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(int(match["entry"]), int(match["owner"]))

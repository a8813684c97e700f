"""The command tree's one error handler: a polite sentence for users, a log line for us."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.domain.content import has_broken_characters
from bot.errors import DaybookError
from cogs._ui.bounds import MAX_CONTENT, clip

if TYPE_CHECKING:
    from bot.client import DaybookBot

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again."
BROKEN_INPUT = (
    "Some of what you typed has a broken character in it (half of an emoji, perhaps), so I "
    "can't read it. Type it again and send it once more; nothing was changed."
)


def user_message(error: Exception) -> str | None:
    """Return the sentence a user should read for an error they caused, or None for a bug."""
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, DaybookError):
        return original.message
    if isinstance(error, app_commands.MissingPermissions):
        return "Only organizers (members who can manage this server) can do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That works in a server, not in direct messages."
    if isinstance(error, app_commands.TransformerError):
        return f"'{clip(str(error.value), 100)}' is not a value that option takes."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


async def answer(interaction: discord.Interaction[DaybookBot], text: str) -> None:
    """Send a private reply, whether or not the interaction was answered already.

    Every error a member reads goes through here, so here it is cut to Discord's 2,000
    characters: a longer reply would be refused, and the member would get no answer at all.
    """
    text = clip(text, MAX_CONTENT)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)


UNKNOWN_INTERACTION = 10062


def is_expired(error: BaseException) -> bool:
    """Whether Discord refused an answer because the interaction no longer exists (10062)."""
    return isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION


def typed_text(data: Any) -> Iterator[str]:
    """Yield every string a member typed into an interaction (options, form fields), nested."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key in ("value", "options", "components", "component"):
            if key in data:
                yield from typed_text(data[key])
    elif isinstance(data, list):
        for item in data:
            yield from typed_text(item)


def has_broken_input(interaction: discord.Interaction[Any]) -> bool:
    """Whether anything typed into the interaction holds text no database can store.

    A lone surrogate (half of an emoji) cannot be encoded; PostgreSQL refuses NUL. Both come
    only from a broken client or a crafted request, and are refused here, at the door, for
    every option and form field alike.
    """
    return any(
        "\x00" in text or has_broken_characters(text) for text in typed_text(interaction.data or {})
    )


async def remember_name(interaction: discord.Interaction[DaybookBot]) -> None:
    """Store the display name of the server member behind an interaction; never fail it."""
    user = interaction.user
    if interaction.guild_id is None or not isinstance(user, discord.Member):
        return
    try:
        await interaction.client.services.names.remember(
            interaction.guild_id, {user.id: user.display_name}
        )
    except Exception:
        # A name is not worth a member's command: the page shows them as "a member" meanwhile.
        log.warning(
            "could not store the display name of user %s in guild %s",
            user.id,
            interaction.guild_id,
            exc_info=True,
        )


class DaybookTree(app_commands.CommandTree["DaybookBot"]):
    """Answers every failed command: user mistakes politely, bugs with an apology and a log."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._naming: set[asyncio.Task[None]] = set()
        """Names being stored beside the commands (held, so a task is not collected mid-way)."""

    async def settle(self) -> None:
        """Wait for the names being stored (the bot closes its database after this)."""
        while self._naming:
            await asyncio.gather(*self._naming, return_exceptions=True)

    async def interaction_check(self, interaction: discord.Interaction[DaybookBot], /) -> bool:
        """Refuse, with a sentence, a command whose options hold text that cannot be stored.

        Every interaction from a server member passes here first: their display name is kept
        for the public page (`NameService` writes only a name that changed), beside the
        command rather than before it, so a write waiting its turn never delays an answer
        Discord wants within 3 seconds.
        """
        task = asyncio.create_task(remember_name(interaction))
        self._naming.add(task)
        task.add_done_callback(self._naming.discard)
        if not has_broken_input(interaction):
            return True
        if interaction.type is discord.InteractionType.application_command:
            await answer(interaction, BROKEN_INPUT)
        return False

    async def on_error(
        self, interaction: discord.Interaction[DaybookBot], error: app_commands.AppCommandError
    ) -> None:
        """Tell the user what went wrong; log what was not their doing."""
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if is_expired(original):
            # Discord forgot the interaction (answered too late, or the reply was lost on the
            # way): there is nobody left to answer. What the command stored stays stored, and
            # a member who tries again is told it was already done.
            log.warning(
                "interaction expired before the reply (10062): command %s, user %s, guild %s",
                interaction.command.qualified_name if interaction.command else "?",
                interaction.user.id,
                interaction.guild_id,
            )
            return
        message = user_message(error)
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "command %s failed for user %s in guild %s",
                command,
                interaction.user.id,
                interaction.guild_id,
                exc_info=error,
            )
            message = APOLOGY
        await answer(interaction, message)

"""Time zones: suggestions for autocomplete, and the word to a member whose zone was lost."""

from __future__ import annotations

from discord import app_commands
from discord.utils import escape_markdown

from bot.domain.calendar import zone_names

MAX_CHOICES = 25


def zone_choices(typed: str) -> list[app_commands.Choice[str]]:
    """Return up to 25 IANA zones matching what was typed, names that start with it first."""
    wanted = typed.strip().replace(" ", "_").casefold()
    names = zone_names()
    starts = [name for name in names if name.casefold().startswith(wanted)]
    contains = [name for name in names if wanted in name.casefold() and name not in starts]
    return [
        app_commands.Choice(name=name, value=name) for name in (starts + contains)[:MAX_CHOICES]
    ]


def lost_zone_message(zone: str) -> str:
    """Return the one-time notice to a member whose stored zone no longer loads."""
    return (
        f"Your time zone {escape_markdown(zone[:64])} is no longer known; set it with "
        "/timezone. Until then your days follow the challenge's time zone."
    )

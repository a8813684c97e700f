"""The invite URL of Daybook's application: its scopes and exactly the permissions it uses.

Pure: no network. The permissions are listed once here, each with why Daybook needs it, and
`daybook invite` prints them; tests/test_invite.py checks them against Discord's documented bits
and against the calls the code makes.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import urlencode

import discord

AUTHORIZE = "https://discord.com/oauth2/authorize"
"""Discord's OAuth2 authorization page; with the `bot` scope it adds the bot to a server."""
SCOPES = ("bot", "applications.commands")
"""`bot` adds the bot user; `applications.commands` lets Daybook register its slash commands."""


@dataclass(frozen=True, slots=True)
class Needed:
    """One permission Daybook asks for: discord.py's flag name, Discord's label, and why."""

    flag: str
    label: str
    why: str


BASE: tuple[Needed, ...] = (
    Needed(
        "view_channel",
        "View Channels",
        "see the progress and digest channels an organizer picks",
    ),
    Needed(
        "send_messages",
        "Send Messages",
        "reminders, check-in and milestone lines in the progress channel, the weekly digest",
    ),
    Needed("embed_links", "Embed Links", "the weekly digest's cards"),
    Needed("attach_files", "Attach Files", "the weekly digest's charts"),
)
"""What every deployment needs: answers to slash commands need no permission, posts do."""

CHANNEL_POSTS: tuple[Needed, ...] = (
    Needed(
        "add_reactions",
        "Add Reactions",
        "mark posts in the progress channel ✅ (the day counts), ⏳ (not yet) or ⚠️ (not kept)",
    ),
    Needed(
        "read_message_history",
        "Read Message History",
        "react to a post and reply to it (Discord asks for it for both)",
    ),
    Needed(
        "send_messages_in_threads",
        "Send Messages in Threads",
        "reply to posts made in a thread or forum post of the progress channel",
    ),
)
"""Only with DAYBOOK_MESSAGE_CONTENT on: Daybook reads the progress channel and answers posts."""

ROLES: tuple[Needed, ...] = (
    Needed(
        "manage_roles",
        "Manage Roles",
        "give milestone roles (/challenge milestone-role) and take them back",
    ),
)
"""Only for milestone roles; Daybook gives only roles below its own and without moderator rights."""


def needed(*, channel_posts: bool, roles: bool) -> tuple[Needed, ...]:
    """Return the permissions a deployment needs, in the order they are explained."""
    return (*BASE, *(CHANNEL_POSTS if channel_posts else ()), *(ROLES if roles else ()))


def permissions_of(wanted: tuple[Needed, ...]) -> discord.Permissions:
    """Return the permissions as discord.py's flags (their `.value` is the URL's integer)."""
    return discord.Permissions(**{item.flag: True for item in wanted})


class ClientIdError(ValueError):
    """An application id, given or read from a token, that is not one; says why in a sentence."""


_DIGITS = range(17, 21)
"""Discord ids (snowflakes) since 2015 have 17 digits, and at most 20 fit in 64 bits."""


def parse_client_id(text: str) -> int:
    """Return an application id written in decimal; raise ClientIdError if it is not one."""
    value = text.strip()
    digits = value.isascii() and value.isdigit() and not value.startswith("0")
    if not digits or len(value) not in _DIGITS:
        raise ClientIdError(
            f"{text!r} is not an application id: it is a number of 17 to 20 digits, "
            "shown as Application ID in the Developer Portal (General Information)"
        )
    number = int(value)
    if number >= 1 << 64:
        raise ClientIdError(f"{text!r} is too large to be a Discord id (at most 64 bits)")
    return number


def client_id_from_token(token: str) -> int:
    """Return the bot user's id a bot token starts with; raise ClientIdError if it does not.

    A bot token's first dot-separated part is the bot user's id in base64. For every
    application made since 2016 the bot user's id is the application id; some older ones differ.
    """
    first = token.strip().split(".", 1)[0]
    padded = first + "=" * (-len(first) % 4)
    try:
        decoded = base64.b64decode(padded, altchars=b"-_", validate=True).decode("ascii")
        return parse_client_id(decoded)
    except (binascii.Error, UnicodeDecodeError, ClientIdError):
        raise ClientIdError(
            "the token does not start with a bot's id as Discord's bot tokens do: "
            "give the application id with --client-id"
        ) from None


def invite_url(client_id: int, permissions: discord.Permissions) -> str:
    """Return the address that adds the bot to a server with these scopes and permissions."""
    query = {
        "client_id": str(client_id),
        "scope": " ".join(SCOPES),
        "permissions": str(permissions.value),
    }
    return f"{AUTHORIZE}?{urlencode(query)}"

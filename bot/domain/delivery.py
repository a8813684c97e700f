"""Why Discord refused a scheduled send for good, and the problem an organizer must fix.

Values only: `bot.transport` classifies Discord's answers into a `Refusal`, the services record
a `DeliveryProblem` per refused channel, and `cogs/_ui` words them for organizers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Refusal(enum.StrEnum):
    """A permanent answer: sending the same message again would be refused again."""

    MISSING_PERMISSIONS = "missing_permissions"
    """403, code 50013: the bot lacks a permission in the channel."""
    MISSING_ACCESS = "missing_access"
    """403, code 50001: the bot cannot see the channel (or left the server)."""
    UNKNOWN_CHANNEL = "unknown_channel"
    """404, code 10003: the channel was deleted."""
    NO_SHARED_SERVER = "no_shared_server"
    """403, code 50278: a direct message to a user who shares no server with the bot."""
    UNKNOWN_MESSAGE = "unknown_message"
    """404, code 10008: the message referred to is gone."""
    UNAUTHORIZED = "unauthorized"
    """401: the bot's token is no longer valid."""
    REJECTED = "rejected"
    """Any other 4xx: the request itself is wrong, and would be again."""


CHANNEL_REFUSALS = frozenset(
    {Refusal.MISSING_PERMISSIONS, Refusal.MISSING_ACCESS, Refusal.UNKNOWN_CHANNEL}
)
"""Refusals an organizer fixes in the server: they become the challenge's delivery problem."""


class ChannelRole(enum.StrEnum):
    """What a challenge uses a channel for."""

    PROGRESS = "progress"
    """Channel reminders (and members' progress posts)."""
    DIGEST = "digest"
    """The weekly digest, with its charts."""


NEEDED_PERMISSIONS: dict[ChannelRole, tuple[str, ...]] = {
    ChannelRole.PROGRESS: ("view_channel", "send_messages"),
    ChannelRole.DIGEST: ("view_channel", "send_messages", "embed_links", "attach_files"),
}
"""discord.py's permission names the bot needs in a channel, per role, in Discord's order."""


def needed_permissions(roles: frozenset[ChannelRole]) -> tuple[str, ...]:
    """Return the permissions a channel with these roles needs, each once, in order."""
    names: list[str] = []
    for role in ChannelRole:
        if role in roles:
            names.extend(name for name in NEEDED_PERMISSIONS[role] if name not in names)
    return tuple(names)


@dataclass(frozen=True, slots=True)
class DeliveryProblem:
    """A channel of a challenge that Discord refuses, until a send there succeeds again."""

    id: int
    challenge_id: int
    channel_id: int
    refusal: Refusal
    missing: tuple[str, ...]
    """The permissions found missing (empty when Discord did not say which)."""
    since: datetime
    told_at: datetime | None = None
    told_by_dm: bool = False

"""Words for delivery problems: what an organizer must fix so Daybook can post again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from bot.domain.delivery import ChannelRole, Refusal, needed_permissions

PERMISSION_NAMES = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "read_message_history": "Read Message History",
}
"""Discord's own names for the permissions Daybook asks for (as its settings show them)."""

ROLE_WORDS = {ChannelRole.PROGRESS: "progress", ChannelRole.DIGEST: "digest"}


def permission_list(names: Sequence[str]) -> str:
    """Return 'View Channel, Send Messages and Attach Files'."""
    words = [PERMISSION_NAMES.get(name, name.replace("_", " ").title()) for name in names]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def role_list(roles: frozenset[ChannelRole]) -> str:
    """Return 'progress', 'digest' or 'progress and digest'."""
    return " and ".join(ROLE_WORDS[role] for role in ChannelRole if role in roles)


def cannot_post(channel: str, missing: Sequence[str]) -> str:
    """Return 'Daybook cannot post in #weekly: give it … there.'."""
    return f"Daybook cannot post in {channel}: give it {permission_list(missing)} there."


def problem_sentence(
    refusal: Refusal, channel: str, roles: frozenset[ChannelRole], missing: Sequence[str]
) -> str:
    """Return what is wrong with a challenge's channel and how to fix it, in one sentence."""
    match refusal:
        case Refusal.MISSING_PERMISSIONS | Refusal.MISSING_ACCESS:
            return cannot_post(channel, tuple(missing) or needed_permissions(roles))
        case Refusal.UNKNOWN_CHANNEL:
            used = role_list(roles) or "a"
            return (
                f"The {used} channel Daybook posted in no longer exists: choose another "
                "with /challenge edit."
            )
        case (
            Refusal.NO_SHARED_SERVER
            | Refusal.UNKNOWN_MESSAGE
            | Refusal.UNAUTHORIZED
            | Refusal.REJECTED
        ):
            return f"Discord refused Daybook's message in {channel}."
        case _:
            assert_never(refusal)

"""Presenters for delivery problems: what an organizer reads about a channel Daybook can't use.

The organizer's one message, the /challenge info line, and the refusal of a channel Daybook
cannot post in.

The sentences themselves are `bot.wording.delivery`'s; this module adds what only Discord
knows: the channel's name, the server's, and the bot's permissions in a channel.
"""

from __future__ import annotations

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.domain.delivery import ChannelRole, DeliveryProblem, needed_permissions
from bot.domain.models import Challenge
from bot.services.problems import ProblemNotice, roles_of
from bot.wording.delivery import cannot_post, problem_sentence

WARNING = "⚠️"


def _plain(text: str) -> str:
    return escape_mentions(escape_markdown(text))


def channel_label(guild: discord.Guild | None, channel_id: int) -> str:
    """Return '#name' when the bot knows the channel, else its mention."""
    channel = None if guild is None else guild.get_channel_or_thread(channel_id)
    if channel is None:
        return f"<#{channel_id}>"
    return f"#{_plain(channel.name)}"


def organizer_message(notice: ProblemNotice, guild: discord.Guild | None) -> str:
    """Return the one direct message that tells an organizer what to fix."""
    problem = notice.problem
    server = _plain(guild.name) if guild is not None else "your server"
    sentence = problem_sentence(
        problem.refusal,
        channel_label(guild, problem.channel_id),
        notice.roles,
        problem.missing,
    )
    return (
        f"{WARNING} **{_plain(notice.challenge.name)}** ({server}): {sentence} "
        "Until then Daybook skips what it would post there; `/challenge info` shows this "
        "until it is fixed."
    )


def info_line(challenge: Challenge, problem: DeliveryProblem) -> str:
    """Return a /challenge info line for a standing problem."""
    sentence = problem_sentence(
        problem.refusal,
        f"<#{problem.channel_id}>",
        roles_of(challenge, problem.channel_id),
        problem.missing,
    )
    return f"{WARNING} {sentence}"


def missing_permissions(
    channel: discord.abc.GuildChannel, roles: frozenset[ChannelRole]
) -> tuple[str, ...]:
    """Return the permissions the bot lacks in `channel` for these roles (none when unknown)."""
    me = channel.guild.me
    if me is None:
        return ()
    allowed = channel.permissions_for(me)
    return tuple(name for name in needed_permissions(roles) if not getattr(allowed, name))


def refusal_for(channel: discord.abc.GuildChannel, roles: frozenset[ChannelRole]) -> str | None:
    """Return why Daybook cannot use `channel` for these roles, or None when it can."""
    missing = missing_permissions(channel, roles)
    if not missing:
        return None
    return f"{cannot_post(channel.mention, missing)} Nothing was changed."

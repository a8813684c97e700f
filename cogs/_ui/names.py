"""Members' display names, for charts and digests (which name members, never mention them)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

import discord

log = logging.getLogger(__name__)


Remember = Callable[[int, Mapping[int, str]], Awaitable[int]]
"""Store names seen in a server (`NameService.remember`), for the public page."""


async def member_names(
    guild: discord.Guild | None,
    user_ids: Sequence[int],
    known: Mapping[int, str] | None = None,
    remember: Remember | None = None,
) -> dict[int, str]:
    """Return the server display names of these members.

    Daybook runs without the members intent, so the member cache is nearly empty: a name comes
    from `known` or the cache when it is there, else from one request per member, made
    together. A member who left is left out (the caller shows them as a former member).
    The names found are handed to `remember`, which keeps those that changed.
    """
    names: dict[int, str] = dict(known or {})
    if guild is None:
        return names
    missing = []
    for user_id in user_ids:
        if user_id in names:
            continue
        cached = guild.get_member(user_id)
        if cached is not None:
            names[user_id] = cached.display_name
        else:
            missing.append(user_id)
    fetched = await asyncio.gather(*(_fetch_member(guild, user_id) for user_id in missing))
    names.update({member.id: member.display_name for member in fetched if member is not None})
    if remember is not None and names:
        try:
            await remember(guild.id, {user_id: names[user_id] for user_id in names})
        except Exception:
            # A board or digest is not held up by a name it could not store.
            log.warning("could not store display names in guild %s", guild.id, exc_info=True)
    return names


async def _fetch_member(guild: discord.Guild, user_id: int) -> discord.Member | None:
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None
    except discord.HTTPException:
        # A name is not worth failing a whole board or digest for.
        log.warning("could not fetch member %s of guild %s", user_id, guild.id, exc_info=True)
        return None

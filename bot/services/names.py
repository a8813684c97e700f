"""Members' display names as Daybook last saw them, kept for the public page.

The public page is served without a gateway (`daybook web` may run in a process of its own), so
it reads names from the database: each bot process stores the name of every member it sees (an
interaction, a board or digest it draws) who has joined a challenge of that server, and only
when the name changed since this process last stored it. Nobody else's name is kept: someone
who only runs /help or /challenge info leaves no name behind. /forget-me deletes the stored name
with everything else.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from storage import Database

log = logging.getLogger(__name__)

REMEMBERED = 50_000
"""Names this process remembers having stored (about 10 MB at most): the least recently seen
are forgotten first, and at worst written once more."""
MAX_NAME = 100
"""The stored name's length (member_settings.display_name); Discord's own are at most 32."""
UNNAMED = "a member"
"""How the page names a member whose display name Daybook never saw: never their user id."""


class NameService:
    """Store and read members' display names, skipping writes of names already stored."""

    def __init__(self, db: Database, remembered: int = REMEMBERED) -> None:
        self._db = db
        self._remembered = remembered
        self._stored: OrderedDict[tuple[int, int], str] = OrderedDict()

    async def remember(self, guild_id: int, names: Mapping[int, str]) -> int:
        """Store the names that changed since this process last stored them; return how many."""
        changed = {
            user_id: name[:MAX_NAME]
            for user_id, name in names.items()
            if self._stored.get((guild_id, user_id)) != name[:MAX_NAME]
        }
        for user_id in names:
            if (guild_id, user_id) in self._stored:
                self._stored.move_to_end((guild_id, user_id))
        if not changed:
            return 0
        # Names of members only: read first, so a passer-by's command takes no write lock.
        async with self._db.read() as repos:
            members = await repos.participants.taking_part(guild_id, sorted(changed))
        changed = {user_id: name for user_id, name in changed.items() if user_id in members}
        if not changed:
            return 0
        async with self._db.write() as repos:
            # Again where it is written, their rows locked: a /forget-me since the read (another
            # command, another process) must not find the name stored again after it.
            members = await repos.participants.taking_part(guild_id, sorted(changed), lock=True)
            changed = {user_id: name for user_id, name in changed.items() if user_id in members}
            await repos.participants.set_display_names(guild_id, changed)
        for user_id, name in changed.items():
            self._stored[(guild_id, user_id)] = name
        while len(self._stored) > self._remembered:
            self._stored.popitem(last=False)
        return len(changed)

    async def stored(self, guild_id: int, user_ids: Sequence[int]) -> dict[int, str]:
        """Return the stored names of these members; one never seen is named `UNNAMED`."""
        async with self._db.read() as repos:
            found = await repos.participants.display_names(guild_id, user_ids)
        return {user_id: found.get(user_id, UNNAMED) for user_id in user_ids}

    def forget_user(self, user_id: int) -> None:
        """Forget having stored a user's names (their row is deleted: store it again if seen)."""
        for key in [key for key in self._stored if key[1] == user_id]:
            del self._stored[key]

"""Message tombstones: channel posts deleted before their entry was stored."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from storage.repositories.base import Repository
from storage.tables import message_tombstones

TOMBSTONE_LIFETIME = timedelta(days=1)
"""How long a deletion is remembered: a post's write is late by seconds, never by a day."""


class TombstoneRepository(Repository):
    """Deleted messages whose entries may still be on their way."""

    async def bury(self, message_id: int, at: datetime) -> None:
        """Remember that a message was deleted at `at`, and forget deletions older than a day."""
        await self._connection.execute(
            message_tombstones.delete().where(
                message_tombstones.c.deleted_at < at - TOMBSTONE_LIFETIME
            )
        )
        await self._connection.execute(
            self._insert(message_tombstones)
            .values(message_id=message_id, deleted_at=at)
            .on_conflict_do_nothing(index_elements=[message_tombstones.c.message_id])
        )

    async def buried(self, message_id: int) -> bool:
        """Whether a message was deleted (and the deletion is still remembered)."""
        statement = sa.select(message_tombstones.c.message_id).where(
            message_tombstones.c.message_id == message_id
        )
        return (await self._connection.execute(statement)).first() is not None

"""Pending edits: a challenge edit an organizer previewed and has not confirmed yet.

The organizer's input is kept as given, not as the challenge it would produce: confirming
re-validates it against the challenge as it is then, so an edit confirmed late never undoes
what happened in between.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from storage.repositories.base import Repository
from storage.tables import pending_edits
from storage.types import dump_json


class Resolution(StrEnum):
    """What became of a preview: its Confirm or its Cancel was pressed."""

    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class PendingEdit:
    """A previewed edit of one challenge, waiting for the organizer who asked for it."""

    id: int
    challenge_id: int
    organizer_id: int
    settings: dict[str, Any]
    """Settings as the organizer gave them (name, zone, channels, digest schedule, preset)."""
    rules: dict[str, Any]
    """Rule changes as the organizer gave them."""
    created_at: datetime
    resolution: Resolution | None = None
    """None while it waits; kept after Confirm or Cancel until it expires."""


def _pending_edit(row: sa.Row[Any]) -> PendingEdit:
    """Build a PendingEdit from a row of the pending_edits table."""
    return PendingEdit(
        id=row.id,
        challenge_id=row.challenge_id,
        organizer_id=row.organizer_id,
        settings=dict(json.loads(row.settings_json)),
        rules=dict(json.loads(row.rules_json)),
        created_at=row.created_at,
        resolution=None if row.resolution is None else Resolution(row.resolution),
    )


class PendingEditRepository(Repository):
    """Edits waiting for a Confirm button; nothing here changes a challenge."""

    async def add(
        self,
        *,
        challenge_id: int,
        organizer_id: int,
        settings: dict[str, Any],
        rules: dict[str, Any],
        created_at: datetime,
    ) -> PendingEdit:
        """Store an edit to confirm later."""
        statement = (
            pending_edits.insert()
            .values(
                challenge_id=challenge_id,
                organizer_id=organizer_id,
                settings_json=dump_json(settings),
                rules_json=dump_json(rules),
                created_at=created_at,
            )
            .returning(*pending_edits.c)
        )
        return _pending_edit((await self._connection.execute(statement)).one())

    async def get(self, pending_id: int) -> PendingEdit | None:
        """Return a pending edit by id."""
        statement = sa.select(pending_edits).where(pending_edits.c.id == pending_id)
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _pending_edit(row)

    async def resolve(self, pending_id: int, resolution: Resolution) -> bool:
        """Mark a waiting edit confirmed or cancelled; False when it was resolved already."""
        statement = (
            pending_edits.update()
            .where(pending_edits.c.id == pending_id, pending_edits.c.resolution.is_(None))
            .values(resolution=resolution.value)
        )
        return (await self._connection.execute(statement)).rowcount == 1

    async def delete(self, pending_id: int) -> bool:
        """Delete a pending edit; False when it was gone already."""
        statement = pending_edits.delete().where(pending_edits.c.id == pending_id)
        return (await self._connection.execute(statement)).rowcount == 1

    async def delete_created_before(self, cutoff: datetime) -> int:
        """Delete the edits stored before `cutoff` (expired ones) and return how many."""
        statement = pending_edits.delete().where(pending_edits.c.created_at < cutoff)
        return (await self._connection.execute(statement)).rowcount

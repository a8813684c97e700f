"""Adjustments: an organizer's corrections of one member's day, kept as history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from bot.domain.models import Adjustment, AdjustmentKind
from storage.repositories.base import Repository
from storage.tables import adjustments, standings


def _adjustment(row: sa.Row[Any]) -> Adjustment:
    """Build an Adjustment from a row of the adjustments table."""
    return Adjustment(
        id=row.id,
        participant_id=row.participant_id,
        day=row.day,
        kind=AdjustmentKind(row.kind),
        reason=row.reason,
        organizer_id=row.organizer_id,
        created_at=row.created_at,
    )


class AdjustmentRepository(Repository):
    """Organizers' corrections; the latest one per participant and day is in force."""

    async def add(
        self,
        *,
        participant_id: int,
        day: date,
        kind: AdjustmentKind,
        reason: str,
        organizer_id: int,
        created_at: datetime,
    ) -> Adjustment:
        """Store a correction of one day and drop the standing that already folded that day."""
        self._changes.entries.add(participant_id)
        statement = (
            adjustments.insert()
            .values(
                participant_id=participant_id,
                day=day,
                kind=kind.value,
                reason=reason,
                organizer_id=organizer_id,
                created_at=created_at,
            )
            .returning(*adjustments.c)
        )
        adjustment = _adjustment((await self._connection.execute(statement)).one())
        await self._connection.execute(
            standings.delete().where(
                standings.c.participant_id == participant_id, standings.c.through_day >= day
            )
        )
        return adjustment

    async def for_participant(self, participant_id: int) -> list[Adjustment]:
        """Return a participant's corrections, by day and then in the order they were made."""
        statement = (
            sa.select(adjustments)
            .where(adjustments.c.participant_id == participant_id)
            .order_by(adjustments.c.day, adjustments.c.created_at, adjustments.c.id)
        )
        return [_adjustment(row) for row in await self._connection.execute(statement)]

"""Import plans: the days an /import preview would store, kept until the member confirms.

A plan lives in the database rather than in the bot's memory so that its Confirm button works
after a restart. It holds only what storing needs (the days, the member's new start, the day it
was worked out on); the preview's other figures were shown once and are not kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from bot.domain.models import Link, LinkKind
from storage.repositories.base import Repository
from storage.repositories.pending_edits import Resolution
from storage.shards import Shards
from storage.tables import import_plans
from storage.types import dump_json


@dataclass(frozen=True, slots=True)
class PlannedDay:
    """One day a plan will store: the log's entries of that date, merged."""

    day: date
    text: str
    minutes: int | None
    tags: tuple[str, ...]
    links: tuple[Link, ...]
    day_number: int | None
    """The Day N the log gave it, if any."""


@dataclass(frozen=True, slots=True)
class StoredImportPlan:
    """A previewed import waiting for its member's Confirm, as the database keeps it."""

    id: int
    token: str
    """The name on the preview's buttons."""
    guild_id: int
    challenge_id: int
    participant_id: int
    user_id: int
    """The member who asked for the preview: the only one who may confirm it."""
    start_day: date
    """The member's first day once the plan is stored."""
    initial_day: int
    today: date
    """The member's local day when the plan was worked out."""
    days: tuple[PlannedDay, ...]
    """The days to store, oldest first."""
    created_at: datetime
    expires_at: datetime
    resolution: Resolution | None = None
    """None while it waits; kept (without its days) after Confirm or Cancel until it expires."""


def _dump_days(days: Sequence[PlannedDay]) -> str:
    """Serialise days as one JSON list of objects (dates as ISO text, links as url + kind)."""
    return dump_json(
        [
            {
                "day": day.day.isoformat(),
                "text": day.text,
                "minutes": day.minutes,
                "tags": list(day.tags),
                "links": [{"url": link.url, "kind": link.kind.value} for link in day.links],
                "day_number": day.day_number,
            }
            for day in days
        ]
    )


def _load_days(text: str) -> tuple[PlannedDay, ...]:
    """Read days stored by `_dump_days`."""
    return tuple(
        PlannedDay(
            day=date.fromisoformat(item["day"]),
            text=item["text"],
            minutes=item["minutes"],
            tags=tuple(item["tags"]),
            links=tuple(Link(link["url"], LinkKind(link["kind"])) for link in item["links"]),
            day_number=item["day_number"],
        )
        for item in json.loads(text)
    )


def _stored_plan(row: sa.Row[Any]) -> StoredImportPlan:
    """Build a StoredImportPlan from a row of the import_plans table."""
    return StoredImportPlan(
        id=row.id,
        token=row.token,
        guild_id=row.guild_id,
        challenge_id=row.challenge_id,
        participant_id=row.participant_id,
        user_id=row.user_id,
        start_day=row.start_day,
        initial_day=row.initial_day,
        today=row.today,
        days=_load_days(row.days_json),
        created_at=row.created_at,
        expires_at=row.expires_at,
        resolution=None if row.resolution is None else Resolution(row.resolution),
    )


class ImportPlanRepository(Repository):
    """Plans waiting for a Confirm button; nothing here stores an entry."""

    async def add(
        self,
        *,
        token: str,
        guild_id: int,
        challenge_id: int,
        participant_id: int,
        user_id: int,
        start_day: date,
        initial_day: int,
        today: date,
        days: Sequence[PlannedDay],
        created_at: datetime,
        expires_at: datetime,
    ) -> StoredImportPlan:
        """Store a plan to confirm later."""
        statement = (
            import_plans.insert()
            .values(
                token=token,
                guild_id=guild_id,
                challenge_id=challenge_id,
                participant_id=participant_id,
                user_id=user_id,
                start_day=start_day,
                initial_day=initial_day,
                today=today,
                days_json=_dump_days(days),
                created_at=created_at,
                expires_at=expires_at,
            )
            # Only the id comes back: the days are what was given, not megabytes read back.
            .returning(import_plans.c.id)
        )
        plan_id = (await self._connection.execute(statement)).scalar_one()
        return StoredImportPlan(
            id=plan_id,
            token=token,
            guild_id=guild_id,
            challenge_id=challenge_id,
            participant_id=participant_id,
            user_id=user_id,
            start_day=start_day,
            initial_day=initial_day,
            today=today,
            days=tuple(days),
            created_at=created_at,
            expires_at=expires_at,
        )

    async def get(self, token: str) -> StoredImportPlan | None:
        """Return the plan a button names, expired or not."""
        statement = sa.select(import_plans).where(import_plans.c.token == token)
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _stored_plan(row)

    async def resolve(self, token: str, resolution: Resolution) -> bool:
        """Mark a waiting plan confirmed or cancelled and drop its days; False when resolved."""
        statement = (
            import_plans.update()
            .where(import_plans.c.token == token, import_plans.c.resolution.is_(None))
            .values(resolution=resolution.value, days_json=_dump_days(()))
        )
        return (await self._connection.execute(statement)).rowcount == 1

    async def delete(self, token: str) -> bool:
        """Delete a plan; False when it was gone already (confirmed or cancelled meanwhile)."""
        statement = import_plans.delete().where(import_plans.c.token == token)
        return (await self._connection.execute(statement)).rowcount == 1

    async def delete_expired(self, now: datetime, shards: Shards | None = None) -> int:
        """Delete the plans of `shards`' servers (every server's) expired at `now`; count them."""
        owned = sa.true() if shards is None else shards.owns_column(import_plans.c.guild_id)
        statement = import_plans.delete().where(import_plans.c.expires_at <= now, owned)
        return (await self._connection.execute(statement)).rowcount

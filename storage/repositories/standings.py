"""Standings: a rebuildable cache of the streak engine's state for each participant."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from bot.domain.rules import Rules
from storage.repositories.base import Repository
from storage.repositories.day_facts import latest_adjustments
from storage.repositories.day_rows import (
    ClassifiedDays,
    DayCodes,
    day_code,
    day_codes,
    merge_adjustments,
    qualifies_by_posts,
)
from storage.tables import adjustments, entries, participants, standings


@dataclass(frozen=True, slots=True)
class StoredStanding:
    """The engine's state after folding a participant's days through `through_day`."""

    participant_id: int
    fingerprint: str
    """Identifies what the state was computed from (rules, start); a mismatch means rebuild."""
    through_day: date
    state_json: str
    """The engine's state, opaque to storage."""


def _standing(row: sa.Row[Any]) -> StoredStanding:
    """Build a StoredStanding from a row of the standings table."""
    return StoredStanding(
        participant_id=row.participant_id,
        fingerprint=row.fingerprint,
        through_day=row.through_day,
        state_json=row.state_json,
    )


@lru_cache(maxsize=4096)
def _day(text: str) -> date:
    """Parse an ISO day once: most checkpoints of a server share a handful of days."""
    return date.fromisoformat(text)


# The day as SQLite stores it (ISO text), parsed by `_day` rather than by the Date type's regex
# on every row; asyncpg already returns a date, which passes through.
_NARROW = (
    standings.c.participant_id,
    standings.c.fingerprint,
    sa.type_coerce(standings.c.through_day, sa.String),
    standings.c.state_json,
)


STREAM_PARTITION = 2000
"""Standings decoded per hop of a streamed read: one hop holds the event loop a few ms."""


def _narrow(rows: Sequence[sa.Row[int, str, Any, str]], into: dict[int, StoredStanding]) -> None:
    """Add the standings of `_NARROW` rows to `into`, by participant id (the board's hot path)."""
    for participant_id, fingerprint, day, state in rows:
        into[participant_id] = StoredStanding(
            participant_id, fingerprint, day if isinstance(day, date) else _day(day), state
        )


class StandingRepository(Repository):
    """The standings cache; losing any row only costs a recomputation."""

    async def for_challenge(self, challenge_id: int) -> dict[int, StoredStanding]:
        """Return the cached standings of a challenge's participants, by participant id."""
        statement = (
            sa.select(*_NARROW)
            .join(participants, participants.c.id == standings.c.participant_id)
            .where(participants.c.challenge_id == challenge_id)
        )
        # A server's checkpoints are 100,000 rows: fetched off the loop by the driver, then
        # decoded a partition at a time so that other work can run between two partitions.
        found: dict[int, StoredStanding] = {}
        rows = (await self._connection.execute(statement)).all()
        for first in range(0, len(rows), STREAM_PARTITION):
            if first:
                await asyncio.sleep(0)
            _narrow(rows[first : first + STREAM_PARTITION], found)
        return found

    async def for_participants(self, participant_ids: Sequence[int]) -> dict[int, StoredStanding]:
        """Return the cached standings of the given participants, by participant id."""
        if not participant_ids:
            return {}
        statement = sa.select(*_NARROW).where(standings.c.participant_id.in_(list(participant_ids)))
        found: dict[int, StoredStanding] = {}
        _narrow((await self._connection.execute(statement)).all(), found)
        return found

    async def days_since(self, challenge_id: int, rules: Rules, since: date) -> ClassifiedDays:
        """Return the challenge's members' classified days from `since` on, by participant id.

        The same days as `day_rows.for_participants(rules, members, since)`, in one range read
        of the challenge's live entries since the day (`ix_entries_live_challenge_day`) rather
        than a seek per member: a board after a start reads the few days since every member's
        checkpoint.
        """
        dialect = self._connection.dialect.name
        days = (
            sa.select(entries.c.participant_id, day_code(dialect).label("code"))
            .where(
                entries.c.challenge_id == challenge_id,
                entries.c.local_day >= since,
                entries.c.deleted_at.is_(None),
            )
            .group_by(entries.c.participant_id, entries.c.local_day)
        )
        terms = qualifies_by_posts(rules)
        if terms:
            days = days.having(sa.and_(*terms))
        inner = days.subquery()
        statement = sa.select(inner.c.participant_id, day_codes(dialect, inner.c.code)).group_by(
            inner.c.participant_id
        )
        found: ClassifiedDays = {}
        decode = DayCodes().__getitem__
        for participant_id, joined in await self._connection.execute(statement):
            # PostgreSQL sends the codes as ints, SQLite the days' texts (see `day_codes`).
            codes = (
                list(joined) if dialect == "postgresql" else list(map(decode, joined.split(",")))
            )
            codes.sort()  # neither aggregate promises an order
            found[participant_id] = codes
        members = sa.select(participants.c.id).where(participants.c.challenge_id == challenge_id)
        adjusted: dict[int, list[tuple[int, str]]] = {}
        in_force = latest_adjustments(
            adjustments.c.participant_id.in_(members), adjustments.c.day >= since
        )
        for row in await self._connection.execute(in_force):
            adjusted.setdefault(row.participant_id, []).append((row.day.toordinal(), row.kind))
        for participant_id, changes in adjusted.items():
            found[participant_id] = merge_adjustments(found.get(participant_id, []), changes)
        return found

    async def get(self, participant_id: int) -> StoredStanding | None:
        """Return one participant's cached standing."""
        statement = sa.select(standings).where(standings.c.participant_id == participant_id)
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _standing(row)

    async def put_many(self, items: list[StoredStanding], updated_at: datetime) -> None:
        """Store (insert or replace) many standings in one statement."""
        if not items:
            return
        insert = self._insert(standings)
        statement = insert.on_conflict_do_update(
            index_elements=[standings.c.participant_id],
            set_={
                "fingerprint": insert.excluded.fingerprint,
                "through_day": insert.excluded.through_day,
                "state_json": insert.excluded.state_json,
                "updated_at": insert.excluded.updated_at,
            },
        )
        await self._connection.execute(
            statement,
            [
                {
                    "participant_id": item.participant_id,
                    "fingerprint": item.fingerprint,
                    "through_day": item.through_day,
                    "state_json": item.state_json,
                    "updated_at": updated_at,
                }
                for item in items
            ],
        )

    async def invalidate(self, participant_id: int, from_day: date | None = None) -> None:
        """Drop a standing (only if it folded `from_day` or later, when a day is given)."""
        statement = standings.delete().where(standings.c.participant_id == participant_id)
        if from_day is not None:
            statement = statement.where(standings.c.through_day >= from_day)
        await self._connection.execute(statement)

    async def invalidate_challenge(self, challenge_id: int) -> None:
        """Drop every standing of a challenge (after its rules changed, say)."""
        in_challenge = sa.select(participants.c.id).where(
            participants.c.challenge_id == challenge_id
        )
        await self._connection.execute(
            standings.delete().where(standings.c.participant_id.in_(in_challenge))
        )

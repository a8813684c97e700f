"""Who is due a reminder or a nudge: members with reminders on, not yet sent one for the day.

The clock's side of "due" (has this zone's reminder time passed, which local day is it) is
decided in Python from a handful of distinct (challenge, zone, time) settings; everything that
depends on members' rows (their settings, the send ledger, what they logged) is decided here,
in one statement per local day, so 10,000 members are sorted in a few index lookups each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa

from bot.domain.models import AdjustmentKind, DayFacts, EntrySource, ReminderMode
from storage.repositories.base import Repository
from storage.repositories.sends import retryable
from storage.tables import adjustments, challenges, entries, participants, send_ledger
from storage.types import text_to_time, time_to_text

GROUPS_PER_STATEMENT = 300
"""Settings matched in one statement (three bound values each): well under every driver's limit."""

_TARGET_PREFIX = "participant:"
"""`participant_target()` in SQL: the send ledger names a member as participant:<id>."""


@dataclass(frozen=True, slots=True)
class ReminderSetting:
    """Members of one challenge who share a zone and a reminder time."""

    challenge_id: int
    timezone: str
    reminder_time: time


@dataclass(frozen=True, slots=True)
class Recipient:
    """A member due a reminder or nudge for a local day, unless the day already counts."""

    participant_id: int
    challenge_id: int
    user_id: int
    mode: ReminderMode
    timezone: str
    day: date
    active_on_day: bool
    """Whether the member logged or an organizer adjusted the day (it may already count)."""
    facts: DayFacts | None = None
    """The day's totals and the adjustment in force, when active on the day (its reason is
    left out: whether a day counts does not depend on it)."""


_ON = sa.and_(
    participants.c.reminder_mode != ReminderMode.OFF.value, participants.c.left_at.is_(None)
)
"""Members who want reminders and have not left (the partial index's own predicate)."""


class ReminderRepository(Repository):
    """The reminder tick's reads."""

    async def settings(self) -> list[ReminderSetting]:
        """Return the distinct (challenge, zone, time) settings of running challenges."""
        statement = (
            sa.select(
                participants.c.challenge_id, participants.c.timezone, participants.c.reminder_time
            )
            .join(challenges, challenges.c.id == participants.c.challenge_id)
            .where(_ON, participants.c.reminder_time.is_not(None), challenges.c.ended_at.is_(None))
            .distinct()
        )
        return [
            ReminderSetting(row.challenge_id, row.timezone, text_to_time(row.reminder_time))
            for row in await self._connection.execute(statement)
        ]

    async def zones(self) -> list[tuple[int, str]]:
        """Return the distinct (challenge, zone) pairs of members with reminders on."""
        statement = (
            sa.select(participants.c.challenge_id, participants.c.timezone)
            .join(challenges, challenges.c.id == participants.c.challenge_id)
            .where(_ON, challenges.c.ended_at.is_(None), challenges.c.nudge_hours.is_not(None))
            .distinct()
        )
        return [
            (row.challenge_id, row.timezone) for row in await self._connection.execute(statement)
        ]

    async def members_in_zone(self, challenge_id: int, zone: str) -> list[tuple[int, int]]:
        """Return (participant id, user id) of a challenge's reminded members in one zone."""
        statement = (
            sa.select(participants.c.id, participants.c.user_id)
            .where(
                _ON, participants.c.challenge_id == challenge_id, participants.c.timezone == zone
            )
            .order_by(participants.c.id)
        )
        return [(row.id, row.user_id) for row in await self._connection.execute(statement)]

    async def due(
        self, kind: str, day: date, settings: Sequence[ReminderSetting], now: datetime
    ) -> list[Recipient]:
        """Return members with these settings not yet sent a `kind` message for `day`."""
        found: list[Recipient] = []
        for first in range(0, len(settings), GROUPS_PER_STATEMENT):
            chunk = settings[first : first + GROUPS_PER_STATEMENT]
            matching = sa.tuple_(
                participants.c.challenge_id, participants.c.timezone, participants.c.reminder_time
            ).in_([(s.challenge_id, s.timezone, time_to_text(s.reminder_time)) for s in chunk])
            found.extend(await self._due(kind, day, matching, now))
        return found

    async def due_in_zones(
        self, kind: str, day: date, zones: Sequence[tuple[int, str]], now: datetime
    ) -> list[Recipient]:
        """Return members in these (challenge, zone) pairs not yet sent a `kind` for `day`."""
        found: list[Recipient] = []
        for first in range(0, len(zones), GROUPS_PER_STATEMENT):
            chunk = zones[first : first + GROUPS_PER_STATEMENT]
            matching = sa.tuple_(participants.c.challenge_id, participants.c.timezone).in_(
                list(chunk)
            )
            found.extend(await self._due(kind, day, matching, now))
        return found

    async def _due(
        self, kind: str, day: date, matching: sa.ColumnElement[bool], now: datetime
    ) -> list[Recipient]:
        target = sa.literal(_TARGET_PREFIX) + sa.cast(participants.c.id, sa.String)
        already = (
            sa.select(sa.literal(1))
            .where(
                send_ledger.c.kind == kind,
                send_ledger.c.target == target,
                send_ledger.c.period == day.isoformat(),
                # A failed send is due again once its backoff has passed, an abandoned claim
                # once it is stale; anything else (sent, skipped, being sent) is settled.
                ~retryable(now),
            )
            .exists()
        )
        # Today's totals come with each member, from the covering day-facts index (one seek
        # per member): the decision needs no second read of every due member's days.
        live_today = sa.and_(
            entries.c.participant_id == participants.c.id,
            entries.c.local_day == day,
            entries.c.deleted_at.is_(None),
        )
        posts = sa.func.count(entries.c.id)
        in_force = (
            sa.select(adjustments.c.kind)
            .where(adjustments.c.participant_id == participants.c.id, adjustments.c.day == day)
            .order_by(adjustments.c.created_at.desc(), adjustments.c.id.desc())
            .limit(1)
            .correlate(participants)
            .scalar_subquery()
        )
        statement = (
            sa.select(
                participants.c.id,
                participants.c.challenge_id,
                participants.c.user_id,
                participants.c.reminder_mode,
                participants.c.timezone,
                posts.label("entries"),
                sa.func.sum(entries.c.minutes).label("minutes"),
                (posts - sa.func.count(entries.c.minutes)).label("unstated"),
                sa.func.coalesce(sa.func.sum(entries.c.words), 0).label("words"),
                sa.func.coalesce(sa.func.max(sa.case((entries.c.has_link, 1), else_=0)), 0).label(
                    "has_link"
                ),
                sa.func.coalesce(
                    sa.func.sum(
                        sa.case((entries.c.source == EntrySource.IMPORT.value, 1), else_=0)
                    ),
                    0,
                ).label("imported"),
                in_force.label("adjustment"),
            )
            .select_from(participants.outerjoin(entries, live_today))
            .where(_ON, matching, participants.c.start_day <= day, ~already)
            # Grouped by the primary key (the members' other columns depend on it), in the
            # order of the result, so one sort does both.
            .group_by(participants.c.challenge_id, participants.c.id)
            .order_by(participants.c.challenge_id, participants.c.id)
        )
        modes = {mode.value: mode for mode in ReminderMode}

        def recipient(row: sa.Row[Any]) -> Recipient:
            facts = None
            if row.entries or row.adjustment is not None:
                facts = DayFacts(
                    day=day,
                    entries=int(row.entries),
                    minutes=None if row.minutes is None else int(row.minutes),
                    unstated=int(row.unstated),
                    words=int(row.words),
                    has_link=bool(row.has_link),
                    imported=int(row.imported),
                    adjustment=None if row.adjustment is None else AdjustmentKind(row.adjustment),
                )
            return Recipient(
                participant_id=row.id,
                challenge_id=row.challenge_id,
                user_id=row.user_id,
                mode=modes[row.reminder_mode],
                timezone=row.timezone,
                day=day,
                active_on_day=facts is not None,
                facts=facts,
            )

        return await self._built(statement, recipient)

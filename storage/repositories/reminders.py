"""Who is due a reminder or a nudge: members with reminders on, not yet sent one for the day.

The clock's side of "due" (has this zone's reminder time passed, which local day is it) is
decided in Python from a handful of distinct (challenge, zone, time) settings; everything that
depends on members' rows (their settings, the send ledger, what they logged, an organizer's
ruling) is decided here, in one statement per local day and set of rules, so 100,000 members
are sorted in a few index lookups each and only the members to remind come back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

import sqlalchemy as sa

from bot.domain.models import DayFacts, EntrySource, ReminderMode
from bot.domain.rules import Rules
from storage.repositories.base import Repository
from storage.repositories.day_rows import qualifies_by_posts
from storage.repositories.sends import retryable
from storage.shards import Shards
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


class Recipient(NamedTuple):
    """A member due a reminder or nudge for a local day: the day does not count yet.

    A tuple, as `Tally` is: a server's due members are built at every tick (a frozen dataclass
    costs five times as much to build).
    """

    participant_id: int
    challenge_id: int
    user_id: int
    mode: ReminderMode
    day: date
    facts: DayFacts | None = None
    """The day's totals when the member posted on it (short of the rules); None otherwise."""


_ON = sa.and_(
    participants.c.reminder_mode != ReminderMode.OFF.value, participants.c.left_at.is_(None)
)
"""Members who want reminders and have not left (the partial index's own predicate)."""


class ReminderRepository(Repository):
    """The reminder tick's reads."""

    async def settings(self, shards: Shards) -> list[ReminderSetting]:
        """Return the distinct (challenge, zone, time) settings of `shards`' running challenges."""
        statement = (
            sa.select(
                participants.c.challenge_id, participants.c.timezone, participants.c.reminder_time
            )
            .join(challenges, challenges.c.id == participants.c.challenge_id)
            .where(
                _ON,
                participants.c.reminder_time.is_not(None),
                challenges.c.ended_at.is_(None),
                shards.owns_column(challenges.c.guild_id),
            )
            .distinct()
        )
        return [
            ReminderSetting(row.challenge_id, row.timezone, text_to_time(row.reminder_time))
            for row in await self._connection.execute(statement)
        ]

    async def zones(self, shards: Shards) -> list[tuple[int, str]]:
        """Return the distinct (challenge, zone) pairs of `shards`' members with reminders on."""
        statement = (
            sa.select(participants.c.challenge_id, participants.c.timezone)
            .join(challenges, challenges.c.id == participants.c.challenge_id)
            .where(
                _ON,
                challenges.c.ended_at.is_(None),
                challenges.c.nudge_hours.is_not(None),
                shards.owns_column(challenges.c.guild_id),
            )
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
        self,
        kind: str,
        day: date,
        rules: Rules,
        settings: Sequence[ReminderSetting],
        now: datetime,
    ) -> list[Recipient]:
        """Return members with these settings not yet sent a `kind` for an open `day`.

        Open: the day neither counts by its posts under `rules` nor has an organizer's ruling.
        """
        found: list[Recipient] = []
        for first in range(0, len(settings), GROUPS_PER_STATEMENT):
            chunk = settings[first : first + GROUPS_PER_STATEMENT]
            matching = sa.tuple_(
                participants.c.challenge_id, participants.c.timezone, participants.c.reminder_time
            ).in_([(s.challenge_id, s.timezone, time_to_text(s.reminder_time)) for s in chunk])
            challenge_ids = sorted({setting.challenge_id for setting in chunk})
            found.extend(await self._due(kind, day, rules, challenge_ids, matching, now))
        return found

    async def due_in_zones(
        self,
        kind: str,
        day: date,
        rules: Rules,
        zones: Sequence[tuple[int, str]],
        now: datetime,
    ) -> list[Recipient]:
        """Return members in these (challenge, zone) pairs as `due` does."""
        found: list[Recipient] = []
        for first in range(0, len(zones), GROUPS_PER_STATEMENT):
            chunk = zones[first : first + GROUPS_PER_STATEMENT]
            matching = sa.tuple_(participants.c.challenge_id, participants.c.timezone).in_(
                list(chunk)
            )
            challenge_ids = sorted({challenge_id for challenge_id, _ in chunk})
            found.extend(await self._due(kind, day, rules, challenge_ids, matching, now))
        return found

    async def _due(
        self,
        kind: str,
        day: date,
        rules: Rules,
        challenge_ids: list[int],
        matching: sa.ColumnElement[bool],
        now: datetime,
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
        # Any ruling of the day settles it, whichever is in force (adjustments are only
        # added): a counted day counts, a discounted one no post can change, and an excused
        # working day is neutral unless its posts qualify it.
        ruled = (
            sa.select(sa.literal(1))
            .where(adjustments.c.participant_id == participants.c.id, adjustments.c.day == day)
            .exists()
        )
        # The day's totals of everyone in these challenges who posted on it: one range of the
        # live challenge-day index (a day's posts), where a seek in the day-facts index per
        # member cost four times as much with a whole server due in one minute. The day is
        # judged with the walk's own terms, so only the members to remind are sent back.
        posts = sa.func.count()
        terms = qualifies_by_posts(rules)
        totals = (
            sa.select(
                entries.c.participant_id,
                posts.label("entries"),
                sa.func.sum(entries.c.minutes).label("minutes"),
                (posts - sa.func.count(entries.c.minutes)).label("unstated"),
                sa.func.sum(entries.c.words).label("words"),
                sa.func.max(sa.case((entries.c.has_link, 1), else_=0)).label("has_link"),
                sa.func.sum(
                    sa.case((entries.c.source == EntrySource.IMPORT.value, 1), else_=0)
                ).label("imported"),
                # With no terms any post qualifies the day.
                (sa.and_(*terms) if terms else sa.true()).label("counts"),
            )
            .where(
                # An entry's challenge is its member's (both are written from the member).
                entries.c.challenge_id.in_(challenge_ids),
                entries.c.local_day == day,
                entries.c.deleted_at.is_(None),
            )
            .group_by(entries.c.participant_id)
            .subquery("totals")
        )
        statement = (
            sa.select(
                participants.c.id,
                participants.c.challenge_id,
                participants.c.user_id,
                participants.c.reminder_mode,
                totals.c.entries,
                totals.c.minutes,
                totals.c.unstated,
                totals.c.words,
                totals.c.has_link,
                totals.c.imported,
            )
            .select_from(
                participants.outerjoin(totals, totals.c.participant_id == participants.c.id)
            )
            .where(
                _ON,
                matching,
                participants.c.start_day <= day,
                ~already,
                ~ruled,
                sa.or_(totals.c.entries.is_(None), sa.not_(totals.c.counts)),
            )
            .order_by(participants.c.challenge_id, participants.c.id)
        )
        modes = {mode.value: mode for mode in ReminderMode}

        def recipient(row: Sequence[Any]) -> Recipient:
            # By position: a row's attribute lookup costs ten times its index on every row.
            (
                participant_id,
                challenge_id,
                user_id,
                mode,
                posts,
                minutes,
                unstated,
                words,
                has_link,
                imported,
            ) = row
            if not posts:
                return Recipient(participant_id, challenge_id, user_id, modes[mode], day)
            facts = DayFacts(
                day=day,
                entries=int(posts),
                minutes=None if minutes is None else int(minutes),
                unstated=int(unstated),
                words=int(words),
                has_link=bool(has_link),
                imported=int(imported),
            )
            return Recipient(participant_id, challenge_id, user_id, modes[mode], day, facts)

        return await self._built(statement, recipient)

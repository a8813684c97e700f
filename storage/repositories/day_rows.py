"""Members' days already classified under a challenge's rules: the fast walk's only input.

A walk of a whole server needs, of each day, only its class (`bot.domain.engine.classify`).
Without an adjustment a day with posts either qualifies or is worth exactly what an empty day is
(a miss on a working day, nothing on a rest weekday), so SQL sends only the days that qualify by
their posts, one row per member with the days joined in one string. The adjustments in force
(rare) are read apart and folded in here. A day is an int `ordinal * 4 + class`
(`date.toordinal()`), the shape `bot.domain.engine.advance_classes` folds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from bot.domain.engine import FAILS, NEUTRAL, QUALIFIES
from bot.domain.models import AdjustmentKind
from bot.domain.rules import Rules
from storage.repositories.base import Repository
from storage.repositories.day_facts import latest_adjustments
from storage.tables import adjustments, entries, participants

SQLITE_ORDINAL_OFFSET = 1721424
"""`CAST(julianday(day) AS INTEGER) - this` is `day.toordinal()` (julianday('0001-01-01') is
1721425.5)."""

_ADJUSTED_CLASS = {
    AdjustmentKind.COUNT.value: QUALIFIES,
    AdjustmentKind.DISCOUNT.value: FAILS,
}

ClassifiedDays = dict[int, list[int]]
"""Participant id → sorted `ordinal * 4 + class` of every day whose class differs from an empty
day's on that weekday (and maybe a few that do not); members with no such day are left out."""


def day_ordinal(dialect: str) -> sa.ColumnElement[int]:
    """Return `entries.local_day` as `date.toordinal()`, in the dialect's SQL."""
    if dialect == "postgresql":
        # date - date is an integer number of days on PostgreSQL.
        return sa.type_coerce(
            entries.c.local_day - sa.literal(date(1, 1, 1), sa.Date) + 1, sa.Integer
        )
    return sa.cast(sa.func.julianday(entries.c.local_day), sa.Integer) - SQLITE_ORDINAL_OFFSET


def qualifies_by_posts(rules: Rules) -> list[sa.ColumnElement[bool]]:
    """Return the HAVING terms that make a day of live entries qualify by its posts.

    The same test as `engine.classify` for a day without an adjustment: minutes on the honour
    system (`DayFacts.minutes_on_word`: an entry without minutes, or none stating any, takes the
    day at its word), total words, a link.
    """
    terms: list[sa.ColumnElement[bool]] = []
    if rules.min_minutes:
        # count(minutes) < count(*): some entry stated no minutes (or none did, sum is NULL).
        terms.append(
            sa.or_(
                sa.func.count(entries.c.minutes) < sa.func.count(),
                sa.func.sum(entries.c.minutes) >= rules.min_minutes,
            )
        )
    if rules.min_words:
        terms.append(sa.func.sum(entries.c.words) >= rules.min_words)
    if rules.require_link:
        terms.append(sa.func.max(sa.case((entries.c.has_link, 1), else_=0)) == 1)
    return terms


def qualifying_days_statement(
    dialect: str, rules: Rules, *conditions: sa.ColumnElement[bool]
) -> sa.Select[Any]:
    """Select, per participant, their days that qualify by posts as one comma-joined string."""
    code = day_ordinal(dialect) * 4 + QUALIFIES
    days = (
        sa.select(entries.c.participant_id, code.label("code"))
        .where(entries.c.deleted_at.is_(None), *conditions)
        .group_by(entries.c.participant_id, entries.c.local_day)
    )
    terms = qualifies_by_posts(rules)
    if terms:
        days = days.having(sa.and_(*terms))
    inner = days.subquery()
    return sa.select(
        inner.c.participant_id, sa.func.aggregate_strings(sa.cast(inner.c.code, sa.Text), ",")
    ).group_by(inner.c.participant_id)


def merge_adjustments(codes: list[int], adjusted: Sequence[tuple[int, str]]) -> list[int]:
    """Return `codes` with each adjusted day `(ordinal, kind)` given its class, sorted."""
    by_day = {code >> 2: code & 3 for code in codes}
    for ordinal, kind in adjusted:
        cls = _ADJUSTED_CLASS.get(kind)
        if cls is None:
            # An excused day is neutral unless its posts qualify it anyway.
            cls = QUALIFIES if by_day.get(ordinal) == QUALIFIES else NEUTRAL
        by_day[ordinal] = cls
    return [ordinal * 4 + cls for ordinal, cls in sorted(by_day.items())]


class DayRowRepository(Repository):
    """Classified days for the fast walk (the ledgers read `DayFacts` from entries instead)."""

    async def for_participants(
        self, rules: Rules, participant_ids: Sequence[int], since: date | None = None
    ) -> ClassifiedDays:
        """Return the given members' classified days (from `since` on), by participant id."""
        if not participant_ids:
            return {}
        ids = list(participant_ids)
        entry_filter: list[sa.ColumnElement[bool]] = [entries.c.participant_id.in_(ids)]
        adjustment_filter: list[sa.ColumnElement[bool]] = [adjustments.c.participant_id.in_(ids)]
        if since is not None:
            entry_filter.append(entries.c.local_day >= since)
            adjustment_filter.append(adjustments.c.day >= since)
        return await self._read(rules, entry_filter, adjustment_filter)

    async def for_challenge(self, rules: Rules, challenge_id: int, since: date) -> ClassifiedDays:
        """Return every member's classified days from `since` on, by participant id."""
        in_challenge = sa.select(participants.c.id).where(
            participants.c.challenge_id == challenge_id
        )
        return await self._read(
            rules,
            [entries.c.challenge_id == challenge_id, entries.c.local_day >= since],
            [
                adjustments.c.participant_id.in_(in_challenge.scalar_subquery()),
                adjustments.c.day >= since,
            ],
        )

    async def _read(
        self,
        rules: Rules,
        entry_filter: list[sa.ColumnElement[bool]],
        adjustment_filter: list[sa.ColumnElement[bool]],
    ) -> ClassifiedDays:
        dialect = self._connection.dialect.name
        result = await self._connection.execute(
            qualifying_days_statement(dialect, rules, *entry_filter)
        )
        days: ClassifiedDays = {}
        for participant_id, joined in result.tuples():
            codes = list(map(int, joined.split(",")))
            # Sorting an already sorted list is one linear pass; string_agg promises no order.
            codes.sort()
            days[participant_id] = codes
        adjusted: dict[int, list[tuple[int, str]]] = {}
        for row in await self._connection.execute(latest_adjustments(*adjustment_filter)):
            adjusted.setdefault(row.participant_id, []).append((row.day.toordinal(), row.kind))
        for participant_id, changes in adjusted.items():
            days[participant_id] = merge_adjustments(days.get(participant_id, []), changes)
        return days

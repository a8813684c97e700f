"""Members' days already classified under a challenge's rules: the fast walk's only input.

A walk of a whole server needs, of each day, only its class (`bot.domain.engine.classify`).
Without an adjustment a day with posts either qualifies or is worth exactly what an empty day is
(a miss on a working day, nothing on a rest weekday), so SQL sends only the days that qualify by
their posts, one row per member with the days in one value (`day_codes`). The adjustments in force
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

_ADJUSTED_CLASS = {
    AdjustmentKind.COUNT.value: QUALIFIES,
    AdjustmentKind.DISCOUNT.value: FAILS,
}

ClassifiedDays = dict[int, list[int]]
"""Participant id → sorted `ordinal * 4 + class` of every day whose class differs from an empty
day's on that weekday (and maybe a few that do not); members with no such day are left out."""


def day_codes(dialect: str, code: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """Return a member's qualifying days (`code` of each) as the dialect's SQL best sends them.

    PostgreSQL sends an `int[]` of `ordinal * 4 + QUALIFIES` (date - date is an integer number
    of days there), which asyncpg decodes to a list of ints in C. SQLite sends the stored
    `YYYY-MM-DD` texts joined by commas, as they are: a day's code is then looked up once per
    distinct day in Python (`DayCodes`), where `julianday` would parse every day of every member
    again (a third of the read on the 10,000-member server).
    """
    if dialect == "postgresql":
        # Untyped, so SQLAlchemy hands on asyncpg's list as it is.
        return sa.type_coerce(sa.func.array_agg(code), sa.types.NullType())
    return sa.func.aggregate_strings(code, ",")


def day_code(dialect: str) -> sa.ColumnElement[Any]:
    """Return the SQL of one day of `entries` as `day_codes` aggregates it (see there)."""
    if dialect == "postgresql":
        # The epoch is written in the SQL: asyncpg sends date.min as -infinity.
        epoch = sa.literal_column("DATE '0001-01-01'", sa.Date)
        ordinal = sa.type_coerce(entries.c.local_day - epoch + 1, sa.Integer)
        return ordinal * 4 + QUALIFIES
    return sa.type_coerce(entries.c.local_day, sa.Text)


class DayCodes(dict[str, int]):
    """A day as SQLite sends it (`YYYY-MM-DD`) → its code `ordinal * 4 + QUALIFIES`.

    One per read: each distinct day is parsed once, however many members posted on it.
    """

    def __missing__(self, day: str) -> int:
        code = self[day] = date.fromisoformat(day).toordinal() * 4 + QUALIFIES
        return code


def qualifies_by_posts(rules: Rules) -> list[sa.ColumnElement[bool]]:
    """Return the HAVING terms that make a day of live entries qualify by its posts.

    The same test as `engine.classify` for a day without an adjustment: minutes on the honour
    system (`DayFacts.minutes_on_word`: an entry without minutes, or none stating any, takes the
    day at its word), total words, a link.
    """
    terms: list[sa.ColumnElement[bool]] = []
    if rules.min_minutes:
        # An entry without minutes counts as the whole requirement, so one such entry qualifies
        # the day and otherwise the stated minutes must add up. Exact because minutes are never
        # negative (the table's CHECK), and one aggregate where `count(minutes) < count(*) OR
        # sum(minutes) >= n` takes three: a sixth of the read on SQLite.
        terms.append(
            sa.func.sum(sa.func.coalesce(entries.c.minutes, rules.min_minutes)) >= rules.min_minutes
        )
    if rules.min_words:
        terms.append(sa.func.sum(entries.c.words) >= rules.min_words)
    if rules.require_link:
        terms.append(sa.func.max(sa.case((entries.c.has_link, 1), else_=0)) == 1)
    return terms


def qualifying_days_statement(
    dialect: str,
    rules: Rules,
    members: sa.ColumnElement[bool],
    since: date | None,
) -> sa.Select[Any]:
    """Select each member's days that qualify by posts as one value per member (`day_codes`).

    A correlated subquery per member rather than one GROUP BY over the batch: each member's
    days come off the covering index in day order, where an outer GROUP BY would sort every
    day of the batch again (a third slower on SQLite, measured on the 10,000-member server).
    PostgreSQL sends a row per member. SQLite sends the batch as one row, `id:days` joined by
    `;`: the sqlite3 module steps a statement without the GIL but takes it back for every row,
    and while the event loop folds the batch before (`walk_all` reads ahead) each such hand-back
    waits out the interpreter's switch interval, 5 ms: a row per member read at 200 a second.
    """
    code = day_code(dialect)
    conditions = [entries.c.participant_id == participants.c.id, entries.c.deleted_at.is_(None)]
    if since is not None:
        conditions.append(entries.c.local_day >= since)
    days = sa.select(code.label("code")).where(*conditions).group_by(entries.c.local_day)
    terms = qualifies_by_posts(rules)
    if terms:
        days = days.having(sa.and_(*terms))
    inner = days.correlate(participants).subquery()
    joined = sa.select(day_codes(dialect, inner.c.code)).scalar_subquery()
    if dialect == "postgresql":
        return sa.select(participants.c.id, joined).where(members)
    # A member without a qualifying day is NULL here, which the aggregate leaves out.
    member = sa.cast(participants.c.id, sa.Text).concat(":").concat(joined)
    return sa.select(sa.func.aggregate_strings(member, ";")).where(members)


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
        adjustment_filter: list[sa.ColumnElement[bool]] = [adjustments.c.participant_id.in_(ids)]
        if since is not None:
            adjustment_filter.append(adjustments.c.day >= since)
        return await self._read(rules, participants.c.id.in_(ids), since, adjustment_filter)

    async def _read(
        self,
        rules: Rules,
        members: sa.ColumnElement[bool],
        since: date | None,
        adjustment_filter: list[sa.ColumnElement[bool]],
    ) -> ClassifiedDays:
        dialect = self._connection.dialect.name
        result = await self._connection.execute(
            qualifying_days_statement(dialect, rules, members, since)
        )
        days: ClassifiedDays = {}
        if dialect == "postgresql":
            for participant_id, codes in result:
                if codes:
                    # Sorting a sorted list is one linear pass; array_agg promises no order.
                    codes.sort()
                    days[participant_id] = codes
        else:
            decode = DayCodes().__getitem__
            for member in (result.scalar_one() or "").split(";"):
                if member:
                    participant_id, _, joined = member.partition(":")
                    codes = list(map(decode, joined.split(",")))
                    codes.sort()
                    days[int(participant_id)] = codes
        adjusted: dict[int, list[tuple[int, str]]] = {}
        for row in await self._connection.execute(latest_adjustments(*adjustment_filter)):
            adjusted.setdefault(row.participant_id, []).append((row.day.toordinal(), row.kind))
        for participant_id, changes in adjusted.items():
            days[participant_id] = merge_adjustments(days.get(participant_id, []), changes)
        return days

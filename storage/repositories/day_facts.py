"""SQL building blocks of day facts: one day's entry totals and the adjustment in force."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import sqlalchemy as sa

from bot.domain.models import AdjustmentKind, DayFacts, EntrySource
from storage.tables import adjustments, entries


def day_totals() -> list[sa.ColumnElement[Any]]:
    """Return the aggregate columns of one day's live entries, in DayFacts order."""
    return [
        sa.func.count().label("entries"),
        sa.func.sum(entries.c.minutes).label("minutes"),  # NULL when no entry stated minutes
        (sa.func.count() - sa.func.count(entries.c.minutes)).label("unstated"),
        sa.func.coalesce(sa.func.sum(entries.c.words), 0).label("words"),
        # MAX(boolean) does not exist in PostgreSQL; a CASE works in both.
        sa.func.max(sa.case((entries.c.has_link, 1), else_=0)).label("has_link"),
        sa.func.sum(sa.case((entries.c.source == EntrySource.IMPORT.value, 1), else_=0)).label(
            "imported"
        ),
    ]


def latest_adjustments(*conditions: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Select the adjustment in force (the latest) for each participant and day."""
    ranked = (
        sa.select(
            adjustments.c.participant_id,
            adjustments.c.day,
            adjustments.c.kind,
            adjustments.c.reason,
            sa.func.row_number()
            .over(
                partition_by=(adjustments.c.participant_id, adjustments.c.day),
                order_by=(adjustments.c.created_at.desc(), adjustments.c.id.desc()),
            )
            .label("rank"),
        )
        .where(*conditions)
        .subquery()
    )
    return sa.select(ranked.c.participant_id, ranked.c.day, ranked.c.kind, ranked.c.reason).where(
        ranked.c.rank == 1
    )


def facts_from(row: sa.Row[Any]) -> DayFacts:
    """Build a day's facts from an aggregate row."""
    return DayFacts(
        day=row.local_day,
        entries=int(row.entries),
        minutes=None if row.minutes is None else int(row.minutes),
        unstated=int(row.unstated),
        words=int(row.words),
        has_link=bool(row.has_link),
        imported=int(row.imported),
    )


def with_adjustment(facts: DayFacts | None, row: sa.Row[Any]) -> DayFacts:
    """Attach an adjustment to a day's facts (a day with only an adjustment has no entries)."""
    day = row.local_day if "local_day" in row._fields else row.day
    base = facts if facts is not None else DayFacts(day=day)
    return replace(base, adjustment=AdjustmentKind(row.kind), adjustment_reason=row.reason)


@cache
def member_facts_statement() -> sa.CompoundSelect[Any]:
    """Return one member's day totals and adjustments in force as one UNION ALL statement.

    Built once; bound with `participant_id` and `since`. Total rows have a NULL kind;
    adjustment rows have NULL totals and their day in `local_day`.
    """
    member = sa.bindparam("participant_id", type_=sa.Integer)
    since = sa.bindparam("since", type_=sa.Date)
    no_text = sa.cast(sa.null(), sa.String)
    no_number = sa.cast(sa.null(), sa.Integer)
    totals = (
        sa.select(
            entries.c.local_day, *day_totals(), no_text.label("kind"), no_text.label("reason")
        )
        .where(
            entries.c.participant_id == member,
            entries.c.deleted_at.is_(None),
            entries.c.local_day >= since,
        )
        .group_by(entries.c.local_day)
    )
    latest = latest_adjustments(adjustments.c.participant_id == member, adjustments.c.day >= since)
    latest_sub = latest.subquery()
    adjusted = sa.select(
        latest_sub.c.day.label("local_day"),
        no_number.label("entries"),
        no_number.label("minutes"),
        no_number.label("unstated"),
        no_number.label("words"),
        no_number.label("has_link"),
        no_number.label("imported"),
        latest_sub.c.kind,
        latest_sub.c.reason,
    )
    return sa.union_all(totals, adjusted)

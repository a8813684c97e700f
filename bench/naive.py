"""The naive recompute: the reference the engine's walks are measured against.

One GROUP BY per member's history through the same `Database` stack, then a plain Python fold
over the qualifying days: what anyone would write first, without checkpoints, a walk cache or
the engine's per-day state machine. It is a fair reference for the synthetic server because
that server's rules (`100-days-of-ml-code`: an hour a day, gaps pause, no freezes, no rest
weekdays, no link or word minimum) make a streak exactly "consecutive qualifying days", as
bot/domain/engine defines it under every policy: a day qualifies when one of its live posts
states no minutes (the honour system) or its stated minutes reach the minimum; today, still
open, does not end the streak. The fold checks the rules it relies on and refuses others
(`UnfairError`), and the synthetic server has no organizer adjustments (the bench counts them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.domain.rules import Rules
from storage import Database, tables

entries = tables.entries

MEMBER_DAYS = (
    sa.select(
        entries.c.local_day,
        sa.func.count(),
        sa.func.count(entries.c.minutes),
        sa.func.sum(entries.c.minutes),
    )
    .where(entries.c.participant_id == sa.bindparam("participant_id"))
    .where(entries.c.deleted_at.is_(None))
    .group_by(entries.c.local_day)
    .order_by(entries.c.local_day)
)
"""A member's days: (day, posts, posts stating minutes, minutes stated)."""


class UnfairError(ValueError):
    """The challenge's rules need more than the naive fold does: no fair reference."""


@dataclass(frozen=True, slots=True)
class NaiveMember:
    """What the naive recompute knows of one member."""

    participant_id: int
    timezone: str
    start_day: date


@dataclass(frozen=True, slots=True)
class Streaks:
    """A member's current and best streak."""

    current: int
    best: int


def check_fair(rules: Rules) -> None:
    """Raise `UnfairError` unless a streak under these rules is just consecutive qualifying days."""
    if rules.freeze_every is not None or rules.rest_weekdays or rules.min_words:
        raise UnfairError("freezes, rest weekdays or a word minimum: the naive fold has none")
    if rules.require_link:
        raise UnfairError("a link requirement: the naive fold does not read links")


def local_today(zone: str, rules: Rules, now: datetime) -> date:
    """Return the member's local day at `now` under the rollover hour."""
    return (now.astimezone(ZoneInfo(zone)) - timedelta(hours=rules.rollover_hour)).date()


def fold(
    days: list[tuple[date, int, int, int | None]], start: date, today: date, min_minutes: int
) -> Streaks:
    """Return the streaks over a member's (day, posts, stating minutes, minutes) rows."""
    run = best = 0
    last = None
    for day, posts, stating, minutes in days:
        if day < start or day > today:
            continue
        if min_minutes and posts == stating and (minutes or 0) < min_minutes:
            continue
        ordinal = day.toordinal()
        run = run + 1 if last == ordinal - 1 else 1
        last = ordinal
        best = max(best, run)
    # The streak still runs if it reached yesterday: today is open until it ends.
    current = run if last is not None and last >= today.toordinal() - 1 else 0
    return Streaks(current, best)


async def member_streaks(db: Database, rules: Rules, member: NaiveMember, now: datetime) -> Streaks:
    """Recompute one member's streaks: one query, one fold (the naive summary)."""
    async with db.read() as repos:
        # The reference goes through the same stack, outside the repositories' API.
        rows = await repos.entries._connection.execute(
            MEMBER_DAYS, {"participant_id": member.participant_id}
        )
        days = [(row[0], row[1], row[2], row[3]) for row in rows]
    today = local_today(member.timezone, rules, now)
    return fold(days, member.start_day, today, rules.min_minutes)


async def board(
    db: Database, rules: Rules, members: list[NaiveMember], now: datetime
) -> dict[int, Streaks]:
    """Recompute every member's streaks (one query each) and rank them; return them by id."""
    check_fair(rules)
    found: dict[int, Streaks] = {}
    todays: dict[str, date] = {}
    async with db.read() as repos:
        connection = repos.entries._connection
        for member in members:
            rows = await connection.execute(MEMBER_DAYS, {"participant_id": member.participant_id})
            days = [(row[0], row[1], row[2], row[3]) for row in rows]
            today = todays.get(member.timezone)
            if today is None:
                today = todays[member.timezone] = local_today(member.timezone, rules, now)
            found[member.participant_id] = fold(days, member.start_day, today, rules.min_minutes)
    # The board itself: ranked by current streak, then best (the engine's streak board's keys).
    ranked = sorted(found.items(), key=lambda item: (-item[1].current, -item[1].best, item[0]))
    return dict(ranked)

"""When scheduled messages fall due: reminders, "day ends soon" nudges and weekly digests.

Pure: the current instant is an argument, and each answer is a local day or an ISO week, the
period a send-ledger key carries. A DST change moves when a message is due but never gives a
day two due instants, so a send keyed by its local day happens once whatever the clocks do.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import calendar

DIGEST_CATCH_UP = timedelta(hours=24)
"""A digest missed (the bot was down at its moment) is still posted this long after it."""
DIGEST_WEEK_DAYS = 7


def reminder_instant(day: date, at: time, tz: ZoneInfo, rollover_hour: int) -> datetime:
    """Return when a reminder set for the wall time `at` falls due in local day `day`.

    A local day runs from its rollover hour to the next day's, so a time before the rollover
    hour (01:30 with a 04:00 rollover) falls on the next calendar date. A time the clocks skip
    falls due at the first instant after the gap; a repeated time at its first occurrence.
    """
    on = day if at.hour >= rollover_hour else day + timedelta(days=1)
    return calendar.wall_time_instant(on, at, tz)


def day_end(day: date, tz: ZoneInfo, rollover_hour: int) -> datetime:
    """Return the instant local day `day` ends (its rollover)."""
    return calendar.day_bounds(day, tz, rollover_hour)[1]


@dataclass(frozen=True, slots=True)
class DueDay:
    """A member's current local day, and whether a daily message set for them is due in it."""

    day: date
    due: bool


def reminder_due(now: datetime, at: time, tz: ZoneInfo, rollover_hour: int) -> DueDay:
    """Return the local day at `now` and whether its reminder time has passed."""
    today = calendar.local_day(now, tz, rollover_hour)
    return DueDay(today, now >= reminder_instant(today, at, tz, rollover_hour))


def nudge_due(now: datetime, hours: int, tz: ZoneInfo, rollover_hour: int) -> DueDay:
    """Return the local day at `now` and whether it ends within `hours`."""
    today = calendar.local_day(now, tz, rollover_hour)
    return DueDay(today, now >= day_end(today, tz, rollover_hour) - timedelta(hours=hours))


class DigestAction(enum.StrEnum):
    """What to do about one week's digest at a given instant."""

    WAIT = "wait"
    """Its moment has not come."""
    POST = "post"
    """Its moment has passed, within the catch-up window."""
    SKIP = "skip"
    """Its moment passed more than the catch-up window ago: too late to be news."""


@dataclass(frozen=True, slots=True)
class DigestSlot:
    """One week's digest: its ISO week, its moment, and the seven days it reports on."""

    week: str
    """The ISO week of the digest's moment, `2026-W47`: the send-ledger period."""
    moment: datetime
    first_day: date
    last_day: date

    def action(self, now: datetime) -> DigestAction:
        """Return whether the digest is due, still to come, or too late at `now`."""
        if now < self.moment:
            return DigestAction.WAIT
        if now - self.moment < DIGEST_CATCH_UP:
            return DigestAction.POST
        return DigestAction.SKIP


def digest_slot(monday: date, weekday: int, at: time, tz: ZoneInfo) -> DigestSlot:
    """Return the digest of the ISO week starting `monday`, posted on `weekday` at `at` local.

    It reports on the seven full days before the digest's day: a Monday digest covers the ISO
    week before it, Monday to Sunday.
    """
    if monday.weekday() != 0:
        raise ValueError("an ISO week starts on a Monday")
    day = monday + timedelta(days=weekday)
    return DigestSlot(
        week=calendar.iso_week(day),
        moment=calendar.wall_time_instant(day, at, tz),
        first_day=day - timedelta(days=DIGEST_WEEK_DAYS),
        last_day=day - timedelta(days=1),
    )


def digest_slots(now: datetime, weekday: int, at: time, tz: ZoneInfo) -> tuple[DigestSlot, ...]:
    """Return this ISO week's digest and last week's, the ones a tick at `now` may act on.

    Last week's still matters early in a week: a Sunday-evening digest missed during downtime
    is caught up on Monday morning, in the next ISO week.
    """
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    return (
        digest_slot(monday - timedelta(days=7), weekday, at, tz),
        digest_slot(monday, weekday, at, tz),
    )


def next_digest(now: datetime, weekday: int, at: time, tz: ZoneInfo) -> DigestSlot:
    """Return the first digest whose moment is still to come at `now`."""
    this_week = digest_slots(now, weekday, at, tz)[1]
    if now < this_week.moment:
        return this_week
    return digest_slot(
        this_week.moment.astimezone(tz).date() + timedelta(days=7 - weekday), weekday, at, tz
    )

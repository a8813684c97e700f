"""The one place that decides which local day an instant belongs to, and local wall times.

Every instant is an aware UTC (or any aware) datetime; zones are IANA names resolved with
`zoneinfo`. A member's day starts at the challenge's rollover hour, not at midnight: the
#100DaysOfCode FAQ counts the work "before going to sleep that day".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class UnknownZoneError(ValueError):
    """The name is not an IANA time zone."""


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """Return the IANA zone of that name, or raise `UnknownZoneError`."""
    if not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
        raise UnknownZoneError(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise UnknownZoneError(name) from error


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Return every IANA zone name, sorted (legacy aliases such as 'US/Eastern' included)."""
    return tuple(sorted(available_timezones()))


def local_day(instant: datetime, tz: ZoneInfo, rollover_hour: int) -> date:
    """Return the member's day of `instant`: its local wall date, less the rollover hours.

    The rollover is applied to the local wall clock, so a post at 01:30 with a 04:00 rollover
    belongs to the day before on every night of the year, DST changes included.
    """
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    local = instant.astimezone(tz)
    day = (local.replace(tzinfo=None) - timedelta(hours=rollover_hour)).date()
    if local.fold:
        # The second pass through a repeated hour. Where clocks go back across the day's
        # boundary (Santiago falls back from 00:00 to 23:00), the wall date steps back into a
        # day that has already ended; a day that has begun stays begun.
        next_start = wall_time_instant(day + timedelta(days=1), time(rollover_hour), tz)
        if instant >= next_start:
            day += timedelta(days=1)
    return day


def day_bounds(day: date, tz: ZoneInfo, rollover_hour: int) -> tuple[datetime, datetime]:
    """Return the UTC instants where the member's `day` starts and where the next one starts."""
    start = wall_time_instant(day, time(rollover_hour), tz)
    end = wall_time_instant(day + timedelta(days=1), time(rollover_hour), tz)
    return start, end


def wall_time_instant(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """Return the UTC instant at which the local wall clock first shows `wall` on date `day`.

    A wall time that repeats (the fall-back hour) resolves to its first occurrence; one that
    does not exist (the spring-forward gap) resolves to the first instant after the gap, the
    next valid minute.
    """
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    # In a gap, fold=0 reads the wall time with the offset before the jump and fold=1 with the
    # offset after it; the jump itself lies between the two readings.
    low = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = first
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def days_between(first: date, last: date) -> int:
    """Return how many days from `first` to `last` inclusive (0 if `last` is before `first`)."""
    return max(0, (last - first).days + 1)


def iso_week(day: date) -> str:
    """Return the ISO week of a day as 'YYYY-Www' (the key of weekly digests)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"

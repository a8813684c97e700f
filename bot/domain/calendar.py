"""The one place that decides which local day an instant belongs to, and local wall times.

Every instant is an aware UTC (or any aware) datetime; zones are IANA names resolved with
`zoneinfo`. A member's day starts at the challenge's rollover hour, not at midnight: the
#100DaysOfCode FAQ counts the work "before going to sleep that day".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
"""Files in a zoneinfo folder that are not places: the host's own zone (which differs from
host to host), zic's default rules, and the "-00" placeholder of unconfigured systems."""
NOT_ZONE_FOLDERS = ("posix/", "right/")
"""Copies of the whole database, with and without leap seconds, that only some hosts carry."""
RETIRED_ZONES = {
    "US/Pacific-New": "America/Los_Angeles",  # removed in tzdata 2020b
    "Canada/East-Saskatchewan": "America/Regina",  # removed in tzdata 2017c
}
"""Links tzdata has removed, with the zone each one pointed to."""


class UnknownZoneError(ValueError):
    """The name is not an IANA time zone."""


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """Return the zone of a name that loads here, or raise `UnknownZoneError`.

    Names coming in go through `canonical_zone` first; this loads what was stored.
    """
    if not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
        raise UnknownZoneError(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise UnknownZoneError(name) from error


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Return the zones members may choose, sorted: real IANA zones in the bundled tzdata.

    Links such as 'US/Eastern' are included (tzdata keeps them); files that are not places
    (`NOT_ZONES`, `NOT_ZONE_FOLDERS`) and names only this host's own zoneinfo has are not, so
    a zone accepted here loads on every host that runs Daybook with its pinned tzdata.
    """
    names = available_timezones()
    bundled = _bundled_zone_names()
    if bundled:
        names &= bundled
    return tuple(
        sorted(
            name
            for name in names
            if name not in NOT_ZONES and not name.startswith(NOT_ZONE_FOLDERS)
        )
    )


def _bundled_zone_names() -> frozenset[str]:
    """Return the zones listed by the tzdata package (empty when it is not installed)."""
    try:
        listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return frozenset()
    return frozenset(listed.split())


@lru_cache(maxsize=1)
def _zone_set() -> frozenset[str]:
    return frozenset(zone_names())


@lru_cache(maxsize=1)
def _zones_by_fold() -> dict[str, str]:
    return {name.casefold(): name for name in zone_names()}


def canonical_zone(name: str) -> str:
    """Return the zone a member means by `name` (any case, spaces for underscores).

    The one gate for zones coming in (join, /timezone, challenge settings): only `zone_names`
    pass, so nothing host-specific is ever stored. Raises `UnknownZoneError` otherwise.
    """
    cleaned = name.strip().replace(" ", "_")
    if cleaned in _zone_set():
        return cleaned
    found = _zones_by_fold().get(cleaned.casefold())
    if found is None:
        raise UnknownZoneError(name)
    return found


def zone_alias(name: str) -> str | None:
    """Return the real zone a non-zone name stands for ('right/Europe/London', a retired link).

    For hints to members and for reading old data; None when there is none.
    """
    cleaned = name.strip()
    for folder in NOT_ZONE_FOLDERS:
        if cleaned.startswith(folder):
            cleaned = cleaned[len(folder) :]
    cleaned = RETIRED_ZONES.get(cleaned, cleaned)
    if cleaned != name.strip() and cleaned in _zone_set():
        return cleaned
    return None


def known_zone(name: str) -> ZoneInfo | None:
    """Return a stored zone if it is still one of `zone_names` and loads; else None.

    A zone stored long ago can stop being known: tzdata drops names, and older versions let
    host-only names in. Callers fall back (see `bot.services._common.member_zone`).
    """
    if name not in _zone_set():
        return None
    try:
        return zone(name)
    except UnknownZoneError:
        return None


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

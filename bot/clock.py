"""Where "now" comes from: the system clock in production, a FixedClock in tests.

The domain never reads the clock; services and jobs take a `Clock` and pass `now` down.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeAlias

Clock: TypeAlias = Callable[[], datetime]
"""A callable returning the current time as an aware UTC datetime."""


def system_clock() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class FixedClock:
    """A Clock that stands still until a test sets or advances it."""

    def __init__(self, now: datetime) -> None:
        self._now = _as_utc(now)

    def __call__(self) -> datetime:
        """Return the current (fixed) time."""
        return self._now

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()})"

    @property
    def now(self) -> datetime:
        """The time this clock returns, as an aware UTC datetime."""
        return self._now

    def set(self, now: datetime) -> None:
        """Jump to `now`, which must be timezone-aware (any zone; stored as UTC)."""
        self._now = _as_utc(now)

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock by `delta` and return the new time."""
        self._now += delta
        return self._now


def _as_utc(moment: datetime) -> datetime:
    """Convert an aware datetime to UTC; reject naive ones, whose zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = f"FixedClock needs a timezone-aware datetime, got naive {moment!r}"
        raise ValueError(msg)
    return moment.astimezone(UTC)

"""Parsing what members type into commands: days and clock times, explained when wrong."""

from __future__ import annotations

from datetime import date, time

from bot.errors import InvalidInputError


def parse_day(text: str, what: str = "day") -> date:
    """Parse a YYYY-MM-DD date given by a user."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"The {what} must be a date written YYYY-MM-DD, like 2026-03-14."
        ) from None


def parse_clock_time(text: str, what: str = "time") -> time:
    """Parse an HH:MM local time given by a user."""
    try:
        hours, minutes = text.strip().split(":")
        if len(minutes) != 2:
            raise ValueError(text)
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInputError(f"The {what} must be written HH:MM, like 20:30.") from None

"""Parsing what members type into commands: days, clock times, numbers, explained when wrong.

Digits are ASCII only: `str.isdigit()` and `int()` accept other scripts' digits and
superscripts (and disagree on which), and `int()` takes any length, so every number a member
types is matched against a short ASCII pattern before it is converted.
"""

from __future__ import annotations

import re
from datetime import date, time

from bot.errors import InvalidInputError

_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_WHOLE = re.compile(r"[0-9]{1,9}")
MAX_ID = 2**63 - 1
"""The largest id the database stores (a signed 64-bit integer); Discord's snowflakes fit."""


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
    match = _CLOCK.fullmatch(text.strip())
    hours, minutes = (int(match[1]), int(match[2])) if match else (-1, -1)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise InvalidInputError(f"The {what} must be written HH:MM, like 20:30.")
    return time(hours, minutes)


def parse_whole_number(text: str, what: str, example: int) -> int | None:
    """Parse an optional whole number typed into a form ("" gives None)."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if not _WHOLE.fullmatch(cleaned):
        raise InvalidInputError(f"{what} must be a whole number written with 0-9, like {example}.")
    return int(cleaned)


def is_storable_id(value: int) -> bool:
    """Whether `value` can be an id the database holds (a button's id may have been forged)."""
    return 0 < value <= MAX_ID

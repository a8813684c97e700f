"""A member's day, written one way everywhere: 'Mon 16 Mar'.

A day is a member's local day (a post's day, a ledger row, a digest's week); an instant (when
something happened or will happen) is not a day, and Discord shows it as a timestamp in each
reader's own zone and language (`cogs/_ui`). The command line and the exports keep ISO dates
(`2026-03-16`): those are read by machines and operators.

The year. A reader takes 'Mon 16 Mar' to be the nearest 16 March, which is the right one for
any day less than half a year from the day they read about it (usually today): within that, the
year is left out. A caller that may show a day further off (a projected end next year, an
imported log from years back) passes `near`, and the year is then written: 'Mon 16 Mar 2025'.

The names are English whatever the host's locale (`strftime` would follow it), like every other
word Daybook writes.
"""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NEAR_DAYS = 183
"""Half a year: a day this far or further from `near` is written with its year."""
DASH = " \u2013 "
"""An en dash between the ends of a range, as typeset."""


def needs_year(day: date, near: date | None) -> bool:
    """Whether `day`, read beside `near`, needs its year to be unambiguous."""
    return near is not None and abs((day - near).days) >= NEAR_DAYS


def day_label(day: date, *, near: date | None = None) -> str:
    """Return a day as 'Mon 16 Mar' ('Mon 16 Mar 2025' when half a year or more from `near`)."""
    return _with_year(day) if needs_year(day, near) else _short(day)


def day_range(first: date, last: date, *, near: date | None = None) -> str:
    """Return a run of days: 'Mon 16 - Sun 22 Mar' (an en dash, `DASH`)."""
    if first == last:
        return day_label(first, near=near)
    if needs_year(first, near) or needs_year(last, near) or first.year != last.year:
        # An end far off, or a range over New Year: both ends carry their year.
        return f"{_with_year(first)}{DASH}{_with_year(last)}"
    if first.month == last.month:
        return f"{WEEKDAYS[first.weekday()]} {first.day}{DASH}{_short(last)}"
    return f"{_short(first)}{DASH}{_short(last)}"


def _short(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def _with_year(day: date) -> str:
    return f"{_short(day)} {day.year}"

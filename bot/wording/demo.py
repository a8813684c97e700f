"""What `daybook demo` says as it plays: what it simulates, then a line per simulated week."""

from __future__ import annotations

from datetime import date

DASH = "\u2013"
"""An en dash, the typographer's sign for a span of days."""


def day_span(first: date, last: date) -> str:
    """Return a span of days like "2-8 March" (with an en dash), or "30 March-5 April"."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{DASH}{last.day} {last:%B}"
    return f"{first.day} {first:%B}{DASH}{last.day} {last:%B}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def starting(*, weeks: int, first: date, last: date, members: int, seconds: int) -> str:
    """The first line: what the demo simulates and about how long it takes."""
    return (
        f"Playing {weeks} weeks of a scripted community ({day_span(first, last)} {last.year}: "
        f"an organizer and {members} members in different time zones) through the real bot "
        f"on a simulated Discord, offline. Simulated time does not wait: it takes about "
        f"{seconds} seconds."
    )


def set_up(*, first: date, last: date, joined: int, elapsed: float) -> str:
    """The line when the challenge is set up, before its first day."""
    return (
        f"Before the start ({day_span(first, last)}): the organizer creates the challenge, "
        f"{_count(joined, 'member joins', 'members join')} ({elapsed:.0f} s so far)"
    )


def week(
    *,
    number: int,
    weeks: int,
    first: date,
    last: date,
    posts: int,
    reminders: int,
    digests: int,
    elapsed: float,
    left: float | None,
) -> str:
    """A simulated week's line, once its digest is out: what happened, and the time it takes."""
    digest = "its weekly digest" if digests == 1 else _count(digests, "digest", "digests")
    timing = f"{elapsed:.0f} s so far"
    if left is not None:
        timing += f", about {left:.0f} s left"
    return (
        f"Week {number} of {weeks} ({day_span(first, last)}): "
        f"{_count(posts, 'post', 'posts')}, {_count(reminders, 'reminder', 'reminders')}, "
        f"{digest} ({timing})"
    )

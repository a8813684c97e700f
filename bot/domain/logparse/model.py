"""What a log reads as: its entries and warnings, as plain values.

Kept apart from the reader (`entries`, `reader`) and the word lists it needs: a log read in a
worker process comes back pickled, and unpickling it in the bot imports only this module and
`checks`, never the reader's vocabulary, regular expressions or dateparser (importing those on
the first upload held the event loop for a quarter of a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.logparse.checks import NOT_COUNTED, EntryFlag, ParseWarning
from bot.domain.models import Link


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One entry of a log as it was understood."""

    dates: tuple[date, ...]
    day: int | None
    days: tuple[int, ...]
    round: int | None
    heading: str
    text: str
    minutes: int | None
    tags: tuple[str, ...]
    links: tuple[Link, ...]
    flags: frozenset[EntryFlag]
    line: int
    """The 1-based line the entry starts on."""
    attempt: int = 1
    """Which start of the log this entry belongs to; a restart at Day 1 begins the next."""

    @property
    def counts(self) -> bool:
        """Whether the entry is a logged day (not a stub, not a day of no progress)."""
        return not (self.flags & NOT_COUNTED)


@dataclass(frozen=True, slots=True)
class ParsedLog:
    """Every entry of a log in chronological order, and what looked wrong."""

    entries: tuple[LogEntry, ...]
    warnings: tuple[ParseWarning, ...]
    title: str = ""
    reversed: bool = False
    """Whether the file listed its newest entries first."""

"""What the organizers' stats chart shows, as plain values (picklable; no matplotlib here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class CohortRow:
    """One join week of the retention table."""

    monday: date
    members: int
    active: tuple[int, ...]
    """active[k]: members of the row who posted in the k-th week after joining (0: that week)."""


@dataclass(frozen=True, slots=True)
class MilestoneBar:
    """How many members still in are at a milestone or past it."""

    label: str
    members: int


@dataclass(frozen=True, slots=True)
class StatsData:
    """Everything the stats chart draws."""

    challenge: str
    days: tuple[tuple[date, int], ...]
    """Every day of the challenge so far, oldest first, with how many members posted."""
    cohorts: tuple[CohortRow, ...]
    milestones: tuple[MilestoneBar, ...]
    still_in: int
    """Members still in: what the milestone bars are out of."""

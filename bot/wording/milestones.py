"""Milestones in words: 'Day 25', 'a finished round'."""

from __future__ import annotations

from bot.domain.milestones import Milestone


def milestone_name(milestone: Milestone) -> str:
    """Return a milestone as members read it: 'Day 25' or 'a finished round'."""
    day = milestone.day
    return "a finished round" if day is None else f"Day {day}"


def milestone_label(milestone: Milestone) -> str:
    """Return a milestone as an option or list label: 'Day 25' or 'Finished round'."""
    day = milestone.day
    return "Finished round" if day is None else f"Day {day}"

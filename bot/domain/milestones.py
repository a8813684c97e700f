"""Milestones: the landmarks a member's walk celebrates, and which ones a challenge can reach.

Pure. A milestone is reached by the post that lands a member on it: Day 7, 25, 50, 66 or 100
of the current attempt, or the day that finishes a round. Each is celebrated once per member,
round and attempt (the caller keys it so); a day number the challenge's target never reaches
(Day 100 of a 66-day challenge) is not one of its milestones, and a day number equal to the
target is the finished round itself.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from bot.domain.engine import Phase, Summary
from bot.domain.rules import Rules


class Milestone(enum.StrEnum):
    """A landmark a member can reach in one attempt."""

    DAY_7 = "day7"
    DAY_25 = "day25"
    DAY_50 = "day50"
    DAY_66 = "day66"
    DAY_100 = "day100"
    FINISHED = "finished"
    """The round reached the challenge's target."""

    @property
    def day(self) -> int | None:
        """Return the Day N of a day milestone; None for a finished round."""
        return None if self is Milestone.FINISHED else int(self.value.removeprefix("day"))


DAY_MILESTONES: dict[int, Milestone] = {
    milestone.day: milestone for milestone in Milestone if milestone.day is not None
}
"""Day N to its milestone; the same days as the digest's `MILESTONES` (a test checks)."""


def reachable(rules: Rules) -> tuple[Milestone, ...]:
    """Return the milestones a challenge's members can reach, in order."""
    target = rules.target_days
    days = [m for day, m in DAY_MILESTONES.items() if target is None or day < target]
    return (*days, Milestone.FINISHED) if target is not None else tuple(days)


@dataclass(frozen=True, slots=True)
class Reached:
    """A milestone reached in one round and attempt: the key it is celebrated once under."""

    milestone: Milestone
    round: int
    attempt: int
    day_number: int

    @property
    def key(self) -> str:
        """Return 'r1a2:day25': unique per member for one round and attempt."""
        return f"r{self.round}a{self.attempt}:{self.milestone.value}"


def reached_by(rules: Rules, summary: Summary, day: date, *, counted: bool) -> Reached | None:
    """Return the milestone a post for `day` landed its member on, if it did.

    Only the post that made the member's latest counted day can reach one (`counted` and `day`
    the last counted day): a second post on a day already celebrated finds the same milestone,
    which the caller's once-only key turns away, and a post for an older day celebrates nothing.
    """
    if not counted or summary.last_counted != day:
        return None
    if summary.phase is Phase.FINISHED and summary.finished:
        return Reached(Milestone.FINISHED, summary.round, summary.attempt, summary.day_number)
    if summary.phase is not Phase.ACTIVE:
        return None
    milestone = DAY_MILESTONES.get(summary.day_number)
    if milestone is None or milestone not in reachable(rules):
        return None
    return Reached(milestone, summary.round, summary.attempt, summary.day_number)


def lost(granted_round: int, granted_attempt: int, summary: Summary) -> bool:
    """Whether something earned in (round, attempt) belongs to an attempt that was lost.

    A later attempt of the same round means the earlier one failed (a failed attempt's summary
    already names the next). A finished round keeps what it earned: a later round is not a loss.
    """
    return granted_round == summary.round and granted_attempt < summary.attempt

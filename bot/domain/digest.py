"""What a week meant for one member, read from their walk: the weekly digest's raw material.

Pure. Everything comes from the engine's state after today (its trailing window of counted
days, Day N, round and attempt), as the member's `Tally` keeps it, so a digest of 10,000
members needs no second walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.engine import Phase, Summary, WalkState
from bot.domain.models import LinkKind
from bot.domain.rules import MissedDayPolicy, Rules
from bot.domain.tally import Tally, tally

MILESTONES = (7, 25, 50, 66, 100)
"""Day numbers the digest celebrates: the challenges' own landmarks (66 for #66DaysOfData)."""

LINK_GROUPS: dict[LinkKind, str] = {
    LinkKind.ARXIV: "arXiv",
    LinkKind.KAGGLE: "Kaggle",
    LinkKind.COLAB: "Colab",
    LinkKind.GITHUB: "GitHub",
    LinkKind.HUGGINGFACE: "Hugging Face",
}
"""The digest's link groups, in order; every other kind (YouTube too) is grouped as 'other'."""
OTHER_LINKS = "Other"


@dataclass(frozen=True, slots=True)
class MemberWeek:
    """One member's week: days logged, streak, and what they reached."""

    days: int
    """Days counted in the week."""
    streak: int
    day_number: int
    milestones: tuple[int, ...] = ()
    """Milestone day numbers crossed in the week."""
    finished_round: int | None = None
    """The round they finished in the week."""
    new_round: int | None = None
    """The round they started in the week (round 2 and later)."""
    comeback: bool = False
    """Their current streak began in the week, after an earlier streak was broken."""
    at_risk: bool = False
    """They missed the week's last day and one more miss in a row would end their attempt."""


def member_week(
    rules: Rules,
    state: WalkState,
    summary: Summary,
    first: date,
    last: date,
    *,
    as_of: date | None = None,
) -> MemberWeek:
    """Return what the days `first`..`last` meant for a member walked through a later today.

    `as_of` is the day the digest is read on; before the week is over, 'the week's last day'
    is the day before it (a week not over has not missed its last day yet).
    """
    member = tally(
        rules,
        state,
        summary,
        participant_id=0,
        user_id=0,
        visible=True,
        zone="",
        joined_at=None,
        start_day=summary.today,
    )
    return week_of(rules, member, first, last, as_of=as_of)


def week_of(
    rules: Rules, member: Tally, first: date, last: date, *, as_of: date | None = None
) -> MemberWeek:
    """Return what the days `first`..`last` meant for a member, from their tally (see above)."""
    low, high = first.toordinal(), last.toordinal()
    days = member.counted(low, high)
    since_week = member.counted(high + 1, member.today)
    counting = member.phase in (Phase.ACTIVE, Phase.FINISHED)
    day_at_end = member.day_number - since_week if counting else 0
    began = member.attempt_start
    began_in_week = began != 0 and low <= began <= high
    # Days of this attempt counted in the week; the rest belong to the round before it.
    in_attempt = member.counted(began, high) if began_in_week else days
    day_at_start = 0 if began_in_week else max(0, day_at_end - days)
    crossed = [m for m in MILESTONES if day_at_start < m <= day_at_end] if in_attempt else []
    finished = member.round if member.finished_on and low <= member.finished_on <= high else None
    new_round = member.round if began_in_week and member.round > 1 and member.attempt == 1 else None
    # A new round wipes the last one's finish from the state; the counted days tell it.
    target = rules.target_days
    if new_round is not None and target is not None and member.counted(low, began - 1):
        finished = new_round - 1
        earlier = days - in_attempt
        crossed = [m for m in MILESTONES if target - earlier < m <= target] + crossed
    streak_days = member.counted(low, member.today)
    comeback = (
        days > 0
        and 0 < member.streak <= streak_days
        and member.qualifying > member.streak
        and new_round is None
    )
    # A miss ends the streak under every policy, so what a missed last day leaves at stake is
    # the attempt: under kallaway, one more miss in a row ends it.
    at_risk = (
        member.phase is Phase.ACTIVE
        and rules.missed_day_policy is MissedDayPolicy.KALLAWAY
        and member.misses_in_row > 0
        and member.last_counted < _last_seen(last, as_of).toordinal()
        and not member.today_counted
    )
    return MemberWeek(
        days=days,
        streak=member.streak,
        day_number=member.day_number,
        milestones=tuple(crossed),
        finished_round=finished,
        new_round=new_round,
        comeback=comeback,
        at_risk=at_risk,
    )


def _last_seen(last: date, as_of: date | None) -> date:
    """Return the last day of the week that is over at `as_of`."""
    return last if as_of is None else min(last, as_of - timedelta(days=1))


def link_group(kind: LinkKind) -> str:
    """Return the digest group a link kind is listed under."""
    return LINK_GROUPS.get(kind, OTHER_LINKS)

"""What the streak engine says about a day, as values: shortfalls and ledger reasons.

The engine decides; it does not word. A verdict lists what a day lacked (`Shortfall`), and each
ledger row carries why it came out as it did (`Reason`), with the numbers that decided it.
`bot.wording.ledger` turns both into the sentences members read.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

# ------------------------------------------------------------------------------------------
# Shortfalls: what a day that does not qualify lacked
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoPost:
    """Nothing was logged that day."""


@dataclass(frozen=True, slots=True)
class ShortOfMinutes:
    """The day's posts stated fewer minutes than the rules ask for."""

    stated: int
    needed: int


@dataclass(frozen=True, slots=True)
class ShortOfWords:
    """The day's posts held fewer words than the rules ask for."""

    written: int
    needed: int


@dataclass(frozen=True, slots=True)
class NoLink:
    """The rules ask for a link to the work and no post carried one."""


@dataclass(frozen=True, slots=True)
class Discounted:
    """An organizer ruled that the day does not count, whatever was logged."""


Shortfall = NoPost | ShortOfMinutes | ShortOfWords | NoLink | Discounted
"""One thing a day lacked."""

NO_POST: tuple[Shortfall, ...] = (NoPost(),)
"""The shortfalls of a day with nothing logged (shared: the value is immutable)."""

# ------------------------------------------------------------------------------------------
# How a counted day counted, and what it began
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ByPosts:
    """The day counted on its posts."""

    posts: int
    minutes: int | None
    """Minutes stated across the day's posts; None when no post stated any."""
    imported: int
    """How many of the posts came from an imported log."""


@dataclass(frozen=True, slots=True)
class ByOrganizer:
    """An organizer counted the day, whatever was logged."""

    note: str
    """The organizer's reason, as they wrote it."""


CountedHow = ByPosts | ByOrganizer


@dataclass(frozen=True, slots=True)
class ChallengeBegan:
    """The member's first qualifying day: their challenge begins."""


@dataclass(frozen=True, slots=True)
class RoundBegan:
    """The first qualifying day after a finished round begins the next round."""

    round: int


@dataclass(frozen=True, slots=True)
class AttemptBegan:
    """The first qualifying day after a failed attempt begins the next attempt at Day 1."""

    attempt: int


Beginning = ChallengeBegan | RoundBegan | AttemptBegan

# ------------------------------------------------------------------------------------------
# Reasons: one per ledger row
# ------------------------------------------------------------------------------------------


class MissEffect(enum.StrEnum):
    """What a missed day did to Day N under the policy (when it did not end the attempt).

    The streak is not the policy's business: a miss ends it under every policy.
    """

    PAUSED = "paused"
    """Day N waits for the next qualifying day; a miss never fails the attempt."""
    ALLOWED_MISS = "allowed_miss"
    """The one miss in a row the rules allow: Day N waits; a second would end the attempt."""


@dataclass(frozen=True, slots=True)
class Counted:
    """The day counted."""

    day_number: int
    how: CountedHow | None = None
    began: Beginning | None = None
    """What this day began, when it began an attempt or a round."""
    finished_round: int | None = None
    """The round this day completed, if it reached the target."""
    freeze_earned: int | None = None
    """The freezes banked after this day earned one; None when it earned none."""


@dataclass(frozen=True, slots=True)
class Rest:
    """A rest weekday: it neither counts nor breaks anything."""

    weekday: int
    """Monday is 0."""


@dataclass(frozen=True, slots=True)
class Excused:
    """An organizer excused the day: it neither counts nor breaks anything."""

    note: str
    """The organizer's reason, as they wrote it."""


@dataclass(frozen=True, slots=True)
class Open:
    """Today, not counted yet: the day is still open."""

    shortfalls: tuple[Shortfall, ...]


@dataclass(frozen=True, slots=True)
class NotStarted:
    """A day without a qualifying post before the first one: nothing is running yet."""

    shortfalls: tuple[Shortfall, ...]


@dataclass(frozen=True, slots=True)
class AwaitingAttempt:
    """A day without a qualifying post after a failed attempt, before the next begins."""

    shortfalls: tuple[Shortfall, ...]
    attempt: int
    """The attempt the next qualifying day starts."""


@dataclass(frozen=True, slots=True)
class BetweenRounds:
    """A day without a qualifying post after a finished round, before the next begins."""

    shortfalls: tuple[Shortfall, ...]
    finished_round: int
    streak_ended: int = 0
    """The streak this day ended (0 when there was none running)."""


@dataclass(frozen=True, slots=True)
class Frozen:
    """A missed day that a banked freeze covered."""

    shortfalls: tuple[Shortfall, ...]
    freezes_left: int


@dataclass(frozen=True, slots=True)
class Missed:
    """A missed day that ended the streak, short of ending the attempt."""

    shortfalls: tuple[Shortfall, ...]
    effect: MissEffect
    day_number: int
    """Day N, kept through the miss."""
    streak_ended: int = 0
    """The streak this miss ended (0 when there was none running)."""


@dataclass(frozen=True, slots=True)
class Ended:
    """The missed day that ended the attempt."""

    shortfalls: tuple[Shortfall, ...]
    attempt: int
    """The attempt that ended."""
    day_number: int
    """The Day N it ended at."""
    second_in_row: bool
    """Whether it ended on a second miss in a row (the one-allowed-miss policy)."""


Reason = (
    Counted
    | Rest
    | Excused
    | Open
    | NotStarted
    | AwaitingAttempt
    | BetweenRounds
    | Frozen
    | Missed
    | Ended
)
"""Why a ledger day came out as it did."""

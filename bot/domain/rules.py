"""A challenge's rules: what counts as a day, and what a missed day costs.

`Rules` is a plain frozen dataclass so the domain stays free of third-party code; its
`__post_init__` guards the invariants, and the services validate user input into it at the
boundary. The four presets reproduce the real challenges described in `shared/docs/RULES.md`.
"""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

MAX_TARGET_DAYS = 1000
MAX_MIN_MINUTES = 24 * 60
MAX_MIN_WORDS = 1000
MAX_ROLLOVER_HOUR = 12
MAX_BACKFILL_DAYS = 30
MAX_FREEZE_BANK = 10
MAX_FREEZE_EVERY = 365


class MissedDayPolicy(enum.StrEnum):
    """What a missed day does to Day N and the attempt.

    Never what a streak means: a streak is consecutive qualifying days under every policy, so a
    miss ends it under each (rest days and spent freezes bridge it).
    """

    KALLAWAY = "kallaway"
    """One miss pauses the count and moves the end a day later; two in a row end the attempt."""
    PAUSE = "pause"
    """A gap never fails: the count pauses and the end moves later."""
    RESET_STREAK = "pause"
    """The old name of `PAUSE`, kept so stored challenges and organizers' words still work.

    It once meant "the streak restarts, the count is kept"; since every policy now ends the
    streak on a miss, that is exactly what `pause` does, so the two are one policy.
    """
    RESTART = "restart"
    """Any miss ends the attempt; the next qualifying day is Day 1 again."""

    @classmethod
    def _missing_(cls, value: object) -> MissedDayPolicy | None:
        """Read the old name `reset_streak` as `pause` (stored rules and typed options)."""
        return cls.PAUSE if value == OLD_RESET_STREAK else None


OLD_RESET_STREAK = "reset_streak"
"""The name `pause` had before a streak meant one thing under every policy."""


@dataclass(frozen=True, slots=True)
class OutOfRange:
    """A numeric rule outside the range a challenge could mean."""

    name: str
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class RestDayNotWeekday:
    """A rest day that is not a weekday number (Monday is 0)."""


@dataclass(frozen=True, slots=True)
class NoWorkingDay:
    """Every weekday is a rest day."""


@dataclass(frozen=True, slots=True)
class FreezesHalfSet:
    """Freezes given how often they are earned but not how many bank, or the other way."""


@dataclass(frozen=True, slots=True)
class UnknownPolicy:
    """A missed-day policy that does not exist."""

    value: str
    choices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnknownPreset:
    """A preset name that does not exist."""

    name: str
    choices: tuple[str, ...]


RuleProblem = (
    OutOfRange | RestDayNotWeekday | NoWorkingDay | FreezesHalfSet | UnknownPolicy | UnknownPreset
)
"""Why a set of rules was refused; `bot.wording.rules` says it in words."""


class RulesError(ValueError):
    """A set of rules no challenge could mean; `problem` says which rule and why."""

    def __init__(self, problem: RuleProblem) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Rules:
    """Every parameter that decides whether a day counts and what a miss costs."""

    target_days: int | None = 100
    """Qualifying days that finish a round; None for an open-ended ("X days") challenge."""
    min_minutes: int = 0
    """Minutes a day must add up to, when the member states minutes (honour system otherwise)."""
    min_words: int = 0
    """Words a day's posts must add up to."""
    require_link: bool = False
    """Whether a day needs a link to the work."""
    missed_day_policy: MissedDayPolicy = MissedDayPolicy.KALLAWAY
    rest_weekdays: frozenset[int] = field(default_factory=frozenset)
    """Weekdays (Monday is 0) that neither count nor break anything when nothing is logged."""
    rollover_hour: int = 4
    """Local hour at which a new day starts: a post at 01:30 with 4 counts for the day before."""
    backfill_days: int = 1
    """How many days back a member may still log a past day."""
    freeze_every: int | None = None
    """Qualifying days that earn one freeze; None for no freezes."""
    freeze_max: int = 0
    """How many freezes can be banked at most."""

    def __post_init__(self) -> None:
        """Reject values no challenge could mean."""
        _check_range("target_days", self.target_days, 1, MAX_TARGET_DAYS, optional=True)
        _check_range("min_minutes", self.min_minutes, 0, MAX_MIN_MINUTES)
        _check_range("min_words", self.min_words, 0, MAX_MIN_WORDS)
        _check_range("rollover_hour", self.rollover_hour, 0, MAX_ROLLOVER_HOUR)
        _check_range("backfill_days", self.backfill_days, 0, MAX_BACKFILL_DAYS)
        _check_range("freeze_every", self.freeze_every, 1, MAX_FREEZE_EVERY, optional=True)
        _check_range("freeze_max", self.freeze_max, 0, MAX_FREEZE_BANK)
        if not isinstance(self.missed_day_policy, MissedDayPolicy):
            object.__setattr__(self, "missed_day_policy", _policy(self.missed_day_policy))
        rest = frozenset(self.rest_weekdays)
        if any(not isinstance(day, int) or not 0 <= day <= 6 for day in rest):
            raise RulesError(RestDayNotWeekday())
        if len(rest) == len(WEEKDAY_NAMES):
            raise RulesError(NoWorkingDay())
        object.__setattr__(self, "rest_weekdays", rest)
        if (self.freeze_every is None) != (self.freeze_max == 0):
            raise RulesError(FreezesHalfSet())

    @property
    def has_freezes(self) -> bool:
        """Whether members can earn freezes under these rules."""
        return self.freeze_every is not None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (weekdays sorted, the policy as its name)."""
        data = asdict(self)
        data["missed_day_policy"] = self.missed_day_policy.value
        data["rest_weekdays"] = sorted(self.rest_weekdays)
        return data

    def to_json(self) -> str:
        """Return a canonical JSON text: equal rules give equal text."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rules:
        """Build rules from `to_dict` output."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        if "rest_weekdays" in known:
            known["rest_weekdays"] = frozenset(known["rest_weekdays"])
        if "missed_day_policy" in known:
            known["missed_day_policy"] = _policy(known["missed_day_policy"])
        return cls(**known)

    def with_changes(self, **changes: Any) -> Rules:
        """Return a copy with some parameters changed (validated like a new one)."""
        return replace(self, **changes)


def _policy(value: object) -> MissedDayPolicy:
    try:
        return MissedDayPolicy(str(value))
    except ValueError:
        choices = tuple(policy.value for policy in MissedDayPolicy)  # aliases are not listed
        raise RulesError(UnknownPolicy(str(value), choices)) from None


def _check_range(
    name: str, value: int | None, low: int, high: int, *, optional: bool = False
) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RulesError(OutOfRange(name, low, high))


PRESETS: dict[str, Rules] = {
    "100-days-of-code": Rules(
        target_days=100,
        min_minutes=60,
        require_link=True,
        missed_day_policy=MissedDayPolicy.KALLAWAY,
        rollover_hour=4,
        backfill_days=1,
    ),
    "100-days-of-ml-code": Rules(
        target_days=100,
        min_minutes=60,
        require_link=False,
        missed_day_policy=MissedDayPolicy.PAUSE,
        rollover_hour=4,
        backfill_days=1,
    ),
    "x-days-of-ml-code": Rules(
        target_days=None,
        min_minutes=0,
        require_link=False,
        missed_day_policy=MissedDayPolicy.PAUSE,
        rollover_hour=4,
        backfill_days=1,
    ),
    "66-days-of-data": Rules(
        target_days=66,
        min_minutes=5,
        require_link=False,
        missed_day_policy=MissedDayPolicy.PAUSE,
        rollover_hour=4,
        backfill_days=1,
    ),
}
"""The real challenges' rules, keyed by preset name.

- ``100-days-of-code`` (kallaway/100-days-of-code): "Code minimum an hour every day for the next
  100 days."; "it's a requirement that you add a link to each of the day posts in the log";
  FAQ: "You are allowed to miss one day (then make it up by adding one more day to the end of
  the 100), but never miss two days in a row."; the day ends when you go to sleep ("have you
  coded for at least an hour before going to sleep that day?"), hence the 04:00 rollover.
- ``100-days-of-ml-code`` (llSourcell/100_Days_of_ML_Code): "dedicating at least 1 hour of your
  time everyday to studying and/or coding machine learning for 100 days." The source says
  nothing on missed days, and its logs keep counting across gaps ("LordSomen: Day 86 = Sep 26,
  Day 87 = Oct 11"), so gaps pause rather than fail.
- ``x-days-of-ml-code`` (beatobongco/x-days-of-ml-code): "learn about ML every day ... every
  day you do this, update your streak"; "If you only have 5 minutes today" (no minimum, no
  end); after a gap the author wrote "Current streak: 1 day / Best streak: 11 days": a miss
  ends the streak (as it does under every policy) and the count goes on, which is `pause`.
- ``66-days-of-data`` (Ken Jee, as quoted by participants): "Learn data science every day for
  66 days straight. You should learn for minimum of 5 minutes per day." "Straight" is the
  streak; participants keep counting days across gaps ("kumar-mahendra's 66 days ran from Jan
  to Jun 2021, with a 19-day gap"), so a miss ends the streak and the count goes on (`pause`).
"""


def preset(name: str) -> Rules:
    """Return the rules of a named preset."""
    try:
        return PRESETS[name]
    except KeyError:
        raise RulesError(UnknownPreset(name, tuple(PRESETS))) from None

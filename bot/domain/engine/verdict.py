"""Judging one day under the rules: the verdict with its reasons, or just its class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.models import AdjustmentKind, DayFacts
from bot.domain.reasons import (
    NO_POST,
    Discounted,
    NoLink,
    NoPost,
    Shortfall,
    ShortOfMinutes,
    ShortOfWords,
)
from bot.domain.rules import Rules


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a day's facts qualify it, and if not, what was missing."""

    qualifies: bool
    neutral: bool = False
    """A rest weekday or an excused day: it neither counts nor breaks anything."""
    shortfalls: tuple[Shortfall, ...] = ()
    """What the day lacked (`bot.wording.ledger` words it: "30 of the 60 minutes")."""

    @property
    def still_needs(self) -> tuple[Shortfall, ...]:
        """What a day with posts still lacks to count (empty for a day with no post)."""
        return tuple(item for item in self.shortfalls if not isinstance(item, NoPost))


_DISCOUNTED: tuple[Shortfall, ...] = (Discounted(),)


def judge(rules: Rules, facts: DayFacts) -> Verdict:
    """Decide whether one day qualifies under the rules."""
    if facts.adjustment is AdjustmentKind.COUNT:
        return Verdict(qualifies=True)
    if facts.adjustment is AdjustmentKind.DISCOUNT:
        return Verdict(qualifies=False, shortfalls=_DISCOUNTED)
    shortfalls = _shortfalls(rules, facts) if facts.entries else NO_POST
    if not shortfalls:
        return Verdict(qualifies=True)
    neutral = (
        facts.adjustment is AdjustmentKind.EXCUSE or facts.day.weekday() in rules.rest_weekdays
    )
    return Verdict(qualifies=False, neutral=neutral, shortfalls=shortfalls)


FAILS, QUALIFIES, NEUTRAL = 0, 1, 2
"""What `classify` returns: a day that breaks a running attempt, counts, or neither."""


def classify(rules: Rules, day: date, facts: DayFacts | None) -> int:
    """Return what `judge` decides, without building any words (the walk's hot path)."""
    if facts is not None:
        kind = facts.adjustment
        if kind is AdjustmentKind.COUNT:
            return QUALIFIES
        if kind is AdjustmentKind.DISCOUNT:
            return FAILS
        if facts.entries and (
            (
                not rules.min_minutes
                or facts.minutes_on_word
                or (facts.minutes is not None and facts.minutes >= rules.min_minutes)
            )
            and facts.words >= rules.min_words
            and (facts.has_link or not rules.require_link)
        ):
            return QUALIFIES
        if kind is AdjustmentKind.EXCUSE:
            return NEUTRAL
    return NEUTRAL if day.weekday() in rules.rest_weekdays else FAILS


def _shortfalls(rules: Rules, facts: DayFacts) -> tuple[Shortfall, ...]:
    missing: list[Shortfall] = []
    # Minutes are on the honour system: a day with no stated minutes is taken at its word.
    if (
        rules.min_minutes
        and not facts.minutes_on_word
        and facts.minutes is not None
        and facts.minutes < rules.min_minutes
    ):
        missing.append(ShortOfMinutes(stated=facts.minutes, needed=rules.min_minutes))
    if rules.min_words and facts.words < rules.min_words:
        missing.append(ShortOfWords(written=facts.words, needed=rules.min_words))
    if rules.require_link and not facts.has_link:
        missing.append(NoLink())
    return tuple(missing)


_UNEXPLAINED = Verdict(qualifies=False)
"""Stands in for a day's verdict when the walk builds no ledger rows."""

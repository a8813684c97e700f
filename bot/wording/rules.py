"""Words for a challenge's rules: what counts, what a miss costs, and why a rule was refused."""

from __future__ import annotations

from typing import assert_never

from bot.domain.rules import (
    WEEKDAY_NAMES,
    FreezesHalfSet,
    MissedDayPolicy,
    NoWorkingDay,
    OutOfRange,
    RestDayNotWeekday,
    RuleProblem,
    Rules,
    UnknownPolicy,
    UnknownPreset,
)

POLICY_SENTENCES = {
    MissedDayPolicy.KALLAWAY: (
        "You may miss one day (your end date moves a day later), never two in a row."
    ),
    MissedDayPolicy.PAUSE: "A missed day pauses the count; it never fails the challenge.",
    MissedDayPolicy.RESTART: "A missed day restarts the challenge at Day 1.",
}
"""One sentence a policy, as `/challenge` shows it beside the choice (`reset_streak`, the old
name of `pause`, reads as `pause`)."""

STREAK_SENTENCE = (
    "Your streak is the days in a row that counted: rest days and freezes keep it going, a "
    "missed day ends it."
)
"""What a streak is, the same under every policy."""

PRESET_DESCRIPTIONS = {
    "100-days-of-code": "#100DaysOfCode: an hour a day with a link; one miss allowed, never two.",
    "100-days-of-ml-code": "#100DaysOfMLCode: an hour of ML a day for 100 days; gaps pause.",
    "x-days-of-ml-code": "X Days of ML Code: open-ended, any amount; gaps pause, never fail.",
    "66-days-of-data": "#66DaysOfData: 5 minutes a day for 66 days; gaps pause, never fail.",
}
"""One line a preset, as `/challenge create` offers it (at most 100 characters: a choice's name)."""


def describe_rules(rules: Rules) -> list[str]:
    """Describe the rules in short sentences a member understands."""
    lines = []
    if rules.target_days is None:
        lines.append("Open-ended: the streak is the scoreboard.")
    else:
        lines.append(f"{rules.target_days} qualifying days finish a round.")
    needs = []
    if rules.min_minutes:
        needs.append(f"at least {rules.min_minutes} minutes (on your word if you give none)")
    if rules.min_words:
        needs.append(f"at least {rules.min_words} words")
    if rules.require_link:
        needs.append("a link to your work")
    listed = ", ".join(needs[:-1]) + " and " + needs[-1] if len(needs) > 1 else "".join(needs)
    lines.append(f"A day counts with {listed or 'any post'}.")
    lines.append(POLICY_SENTENCES[rules.missed_day_policy])
    lines.append(STREAK_SENTENCE)
    if rules.rest_weekdays:
        names = ", ".join(WEEKDAY_NAMES[day] for day in sorted(rules.rest_weekdays))
        lines.append(f"Rest days: {names}.")
    lines.append(f"A new day starts at {rules.rollover_hour:02d}:00 your time.")
    if rules.backfill_days:
        plural = "day" if rules.backfill_days == 1 else "days"
        lines.append(f"You can log up to {rules.backfill_days} {plural} late.")
    else:
        lines.append("Only today can be logged.")
    if rules.freeze_every is not None:
        lines.append(
            f"Every {rules.freeze_every} qualifying days earn a freeze (bank up to "
            f"{rules.freeze_max}); a freeze covers a missed day automatically."
        )
    return lines


BRIEF_POLICY = {
    MissedDayPolicy.KALLAWAY: "One missed day pauses your count; two in a row start a new attempt.",
    MissedDayPolicy.PAUSE: (
        "A missed day pauses your count and ends your streak, never your attempt."
    ),
    MissedDayPolicy.RESTART: "A missed day starts a new attempt at Day 1.",
}
"""What a miss costs, in the words `/join` and `/help` use."""


def rules_in_brief(rules: Rules) -> str:
    """Say the rules in one or two sentences: what makes a day count, and what a miss costs.

    "A day counts with 60 minutes — on your word if you leave minutes out. One missed day pauses
    your count; two in a row start a new attempt."
    """
    on_word = "on your word if you leave minutes out"
    needs = []
    if rules.min_minutes:
        needs.append(f"{rules.min_minutes} minutes")
    if rules.min_words:
        needs.append(f"{rules.min_words} words")
    if rules.require_link:
        needs.append("a link to your work")
    if not needs:
        counts = "Any post counts for its day."
    elif needs == [f"{rules.min_minutes} minutes"]:
        counts = f"A day counts with {needs[0]} — {on_word}."
    else:
        if rules.min_minutes:
            needs[0] += f" ({on_word})"
        listed = needs[0] if len(needs) == 1 else ", ".join(needs[:-1]) + " and " + needs[-1]
        counts = f"A day counts with {listed}."
    brief = f"{counts} {BRIEF_POLICY[rules.missed_day_policy]}"
    if rules.rest_weekdays:
        days = [f"{WEEKDAY_NAMES[day]}s" for day in sorted(rules.rest_weekdays)]
        listed = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]
        brief += f" {listed} are rest days: they need no post."
    return brief


def problem_text(problem: RuleProblem) -> str:
    """Say in one sentence why a set of rules was refused."""
    match problem:
        case OutOfRange(name=name, low=low, high=high):
            return f"{name.replace('_', ' ')} must be a whole number from {low} to {high}."
        case RestDayNotWeekday():
            return "Rest days must be weekdays (Monday to Sunday)."
        case NoWorkingDay():
            return "At least one weekday must be a working day."
        case FreezesHalfSet():
            return (
                "Freezes need both how often one is earned and how many can be banked (or neither)."
            )
        case UnknownPolicy(choices=choices):
            return f"The missed-day policy must be one of {', '.join(choices)}."
        case UnknownPreset(name=name, choices=choices):
            return f"Unknown preset {name!r}; choose one of {', '.join(choices)}."
        case _:
            assert_never(problem)

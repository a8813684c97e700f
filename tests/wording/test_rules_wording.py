"""The words for rules and for files that are not logs: every kind has its sentence."""

from __future__ import annotations

import pytest

from bot.domain.logparse import NotALogError, NotALogReason, decode_log, parse_log
from bot.domain.rules import (
    PRESETS,
    FreezesHalfSet,
    MissedDayPolicy,
    NoWorkingDay,
    OutOfRange,
    RestDayNotWeekday,
    Rules,
    RulesError,
    UnknownPolicy,
    UnknownPreset,
    preset,
)
from bot.wording.logs import NOT_A_LOG
from bot.wording.rules import (
    POLICY_SENTENCES,
    PRESET_DESCRIPTIONS,
    STREAK_SENTENCE,
    describe_rules,
    problem_text,
    rules_in_brief,
)


@pytest.mark.parametrize(
    ("problem", "sentence"),
    [
        (OutOfRange("rollover_hour", 0, 12), "rollover hour must be a whole number from 0 to 12."),
        (RestDayNotWeekday(), "Rest days must be weekdays (Monday to Sunday)."),
        (NoWorkingDay(), "At least one weekday must be a working day."),
        (
            FreezesHalfSet(),
            "Freezes need both how often one is earned and how many can be banked (or neither).",
        ),
        (
            UnknownPolicy("yolo", ("kallaway", "pause")),
            "The missed-day policy must be one of kallaway, pause.",
        ),
        (
            UnknownPreset("yoga", ("a", "b")),
            "Unknown preset 'yoga'; choose one of a, b.",
        ),
    ],
)
def test_every_rule_problem_has_one_sentence(problem, sentence) -> None:
    assert problem_text(problem) == sentence


def test_the_domain_refuses_with_a_value_not_words() -> None:
    with pytest.raises(RulesError) as caught:
        Rules(rollover_hour=13)
    assert caught.value.problem == OutOfRange("rollover_hour", 0, 12)
    with pytest.raises(RulesError) as caught:
        preset("100-days-of-yoga")
    assert caught.value.problem == UnknownPreset("100-days-of-yoga", tuple(PRESETS))


def test_every_policy_and_preset_has_its_sentence() -> None:
    assert set(POLICY_SENTENCES) == set(MissedDayPolicy)
    assert set(PRESET_DESCRIPTIONS) == set(PRESETS)
    # A preset's line is a slash-command choice name: Discord allows at most 100 characters.
    assert all(1 <= len(line) <= 100 for line in PRESET_DESCRIPTIONS.values())


def test_describe_rules_says_the_minimum_and_the_policy() -> None:
    lines = describe_rules(preset("100-days-of-code"))

    assert (
        "A day counts with at least 60 minutes (on your word if you give none) and a link to "
        "your work."
    ) in lines
    assert POLICY_SENTENCES[MissedDayPolicy.KALLAWAY] in lines
    # What a streak is does not depend on the policy: every description says it the same way.
    assert STREAK_SENTENCE in lines
    assert STREAK_SENTENCE in describe_rules(preset("66-days-of-data"))


def test_pause_and_its_old_name_reset_streak_are_one_policy_worded_once() -> None:
    # Stored challenges and organizers may still say reset_streak: it reads as pause, and the
    # words are the same, since a miss ends the streak under every policy.
    old = Rules.from_dict({"missed_day_policy": "reset_streak"})
    assert old.missed_day_policy is MissedDayPolicy.PAUSE
    assert describe_rules(old) == describe_rules(Rules(missed_day_policy="pause"))
    assert rules_in_brief(old) == rules_in_brief(Rules(missed_day_policy=MissedDayPolicy.PAUSE))


def test_every_reason_a_file_is_not_a_log_has_a_sentence() -> None:
    assert set(NOT_A_LOG) == set(NotALogReason)
    assert all(text.endswith(".") for text in NOT_A_LOG.values())


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", NotALogReason.BINARY),
        (b"caf\xe9 and more latin-1 text", NotALogReason.NOT_UTF8),
        (b"# Notes\n\nJust some notes, no days.\n", NotALogReason.NO_ENTRIES),
    ],
)
def test_a_file_that_is_not_a_log_says_why_as_a_value(data, reason) -> None:
    with pytest.raises(NotALogError) as caught:
        parse_log(decode_log(data))
    assert caught.value.reason is reason


@pytest.mark.parametrize(
    ("rules", "brief"),
    [
        # The issue's own example: 60 minutes, kallaway.
        (
            Rules(min_minutes=60),
            (
                "A day counts with 60 minutes — on your word if you leave minutes out. One missed "
                "day pauses your count; two in a row start a new attempt."
            ),
        ),
        (
            Rules(min_words=50, require_link=True, missed_day_policy=MissedDayPolicy.RESTART),
            (
                "A day counts with 50 words and a link to your work. A missed day starts a new "
                "attempt at Day 1."
            ),
        ),
        (
            Rules(
                min_minutes=5,
                missed_day_policy=MissedDayPolicy.PAUSE,
                rest_weekdays=frozenset({5, 6}),
            ),
            (
                "A day counts with 5 minutes — on your word if you leave minutes out. A missed day "
                "pauses your count and ends your streak, never your attempt. Saturdays and Sundays "
                "are rest days: they need no post."
            ),
        ),
    ],
)
def test_the_rules_in_brief_say_what_counts_what_a_miss_costs_and_the_rest_days(
    rules: Rules, brief: str
) -> None:
    assert rules_in_brief(rules) == brief

"""A challenge's rules: validation, canonical JSON, the presets and their description."""

from __future__ import annotations

import json

import pytest

from bot.domain.rules import PRESETS, MissedDayPolicy, Rules, RulesError, preset
from bot.wording.rules import describe_rules, problem_text

# ------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_days": 0}, "target days must be a whole number from 1 to 1000"),
        ({"target_days": 1001}, "target days must be a whole number from 1 to 1000"),
        ({"target_days": True}, "target days must be a whole number from 1 to 1000"),
        ({"target_days": "100"}, "target days must be a whole number from 1 to 1000"),
        ({"target_days": 66.0}, "target days must be a whole number from 1 to 1000"),
        ({"min_minutes": -1}, "min minutes must be a whole number from 0 to 1440"),
        ({"min_minutes": 1441}, "min minutes must be a whole number from 0 to 1440"),
        ({"min_words": -1}, "min words must be a whole number from 0 to 1000"),
        ({"min_words": 1001}, "min words must be a whole number from 0 to 1000"),
        ({"rollover_hour": -1}, "rollover hour must be a whole number from 0 to 12"),
        ({"rollover_hour": 13}, "rollover hour must be a whole number from 0 to 12"),
        ({"rollover_hour": None}, "rollover hour must be a whole number from 0 to 12"),
        ({"backfill_days": -1}, "backfill days must be a whole number from 0 to 30"),
        ({"backfill_days": 31}, "backfill days must be a whole number from 0 to 30"),
        (
            {"freeze_every": 0, "freeze_max": 1},
            "freeze every must be a whole number from 1 to 365",
        ),
        (
            {"freeze_every": 366, "freeze_max": 1},
            "freeze every must be a whole number from 1 to 365",
        ),
        (
            {"freeze_every": 7, "freeze_max": 11},
            "freeze max must be a whole number from 0 to 10",
        ),
        ({"freeze_every": 7, "freeze_max": -1}, "freeze max must be a whole number from 0 to 10"),
        ({"rest_weekdays": frozenset({7})}, "Rest days must be weekdays"),
        ({"rest_weekdays": frozenset({-1})}, "Rest days must be weekdays"),
        ({"rest_weekdays": frozenset({"Sunday"})}, "Rest days must be weekdays"),
        ({"rest_weekdays": frozenset(range(7))}, "At least one weekday must be a working day"),
        ({"freeze_every": 7}, "Freezes need both how often one is earned and how many"),
        ({"freeze_max": 2}, "Freezes need both how often one is earned and how many"),
        (
            {"missed_day_policy": "yolo"},
            # reset_streak is still read (as pause) but no longer offered.
            "The missed-day policy must be one of kallaway, pause, restart",
        ),
    ],
)
def test_out_of_range_rules_are_rejected_with_a_readable_message(changes, message) -> None:
    with pytest.raises(RulesError) as caught:
        Rules(**changes)

    assert message in problem_text(caught.value.problem)
    # A sentence for a person, not a repr or a traceback.
    assert "\n" not in problem_text(caught.value.problem)
    assert "Traceback" not in problem_text(caught.value.problem)


def test_rules_error_is_a_value_error() -> None:
    assert issubclass(RulesError, ValueError)


@pytest.mark.parametrize(
    "changes",
    [
        {"target_days": 1},
        {"target_days": 1000},
        {"target_days": None},
        {"min_minutes": 0},
        {"min_minutes": 1440},
        {"min_words": 1000},
        {"rollover_hour": 0},
        {"rollover_hour": 12},
        {"backfill_days": 0},
        {"backfill_days": 30},
        {"freeze_every": 1, "freeze_max": 1},
        {"freeze_every": 365, "freeze_max": 10},
        {"rest_weekdays": frozenset(range(6))},
        {"rest_weekdays": frozenset({6})},
    ],
)
def test_values_at_the_edges_of_the_ranges_are_accepted(changes) -> None:
    rules = Rules(**changes)

    for name, value in changes.items():
        assert getattr(rules, name) == value


def test_policy_may_be_given_by_name() -> None:
    rules = Rules(missed_day_policy="restart")

    assert rules.missed_day_policy is MissedDayPolicy.RESTART


def test_reset_streak_is_the_old_name_of_pause() -> None:
    # A streak ends on a miss under every policy now, so "the streak resets, the count is kept"
    # is what pause does: the old name is read as pause, from options and from stored rules.
    assert Rules(missed_day_policy="reset_streak").missed_day_policy is MissedDayPolicy.PAUSE
    assert MissedDayPolicy.RESET_STREAK is MissedDayPolicy.PAUSE
    stored = Rules.from_dict({"missed_day_policy": "reset_streak", "target_days": 66})
    assert stored == Rules(missed_day_policy=MissedDayPolicy.PAUSE, target_days=66)
    assert stored.to_dict()["missed_day_policy"] == "pause"
    assert [policy.value for policy in MissedDayPolicy] == ["kallaway", "pause", "restart"]


def test_rest_weekdays_may_be_any_collection_and_are_kept_as_a_frozenset() -> None:
    rules = Rules(rest_weekdays=[6, 5, 6])

    assert rules.rest_weekdays == frozenset({5, 6})
    assert isinstance(rules.rest_weekdays, frozenset)
    hash(rules)  # usable as a key


def test_with_changes_validates_like_a_new_rules() -> None:
    base = preset("100-days-of-code")

    assert base.with_changes(min_minutes=30).min_minutes == 30
    assert base.min_minutes == 60  # the original is unchanged
    with pytest.raises(RulesError) as caught:
        base.with_changes(rollover_hour=13)
    assert "rollover hour" in problem_text(caught.value.problem)


def test_has_freezes_follows_freeze_every() -> None:
    assert not Rules().has_freezes
    assert Rules(freeze_every=7, freeze_max=2).has_freezes


# ------------------------------------------------------------------------------------------
# Canonical JSON
# ------------------------------------------------------------------------------------------


def test_default_rules_serialize_to_sorted_compact_json() -> None:
    assert Rules().to_json() == (
        '{"backfill_days":1,"freeze_every":null,"freeze_max":0,"min_minutes":0,'
        '"min_words":0,"missed_day_policy":"kallaway","require_link":false,'
        '"rest_weekdays":[],"rollover_hour":4,"target_days":100}'
    )


def test_equal_rules_give_equal_text_whatever_order_the_weekdays_came_in() -> None:
    first = Rules(rest_weekdays=frozenset([6, 0, 5]), missed_day_policy=MissedDayPolicy.PAUSE)
    second = Rules(rest_weekdays=[5, 6, 0], missed_day_policy="pause")

    assert first == second
    assert first.to_json() == second.to_json()
    assert json.loads(first.to_json())["rest_weekdays"] == [0, 5, 6]


def test_different_rules_give_different_text() -> None:
    texts = {rules.to_json() for rules in PRESETS.values()}
    texts.add(Rules(rollover_hour=5).to_json())
    texts.add(Rules().to_json())

    assert len(texts) == len(PRESETS) + 2


CUSTOM = Rules(
    target_days=None,
    min_minutes=15,
    min_words=20,
    require_link=True,
    missed_day_policy=MissedDayPolicy.RESTART,
    rest_weekdays=frozenset({5, 6}),
    rollover_hour=0,
    backfill_days=0,
    freeze_every=10,
    freeze_max=2,
)


@pytest.mark.parametrize("rules", [Rules(), CUSTOM, *PRESETS.values()])
def test_from_dict_round_trips_to_dict_and_json(rules) -> None:
    assert Rules.from_dict(rules.to_dict()) == rules
    assert Rules.from_dict(json.loads(rules.to_json())) == rules
    assert Rules.from_dict(json.loads(rules.to_json())).to_json() == rules.to_json()


def test_to_dict_is_plain_json_data() -> None:
    data = CUSTOM.to_dict()

    assert data["missed_day_policy"] == "restart"
    assert data["rest_weekdays"] == [5, 6]
    assert json.loads(json.dumps(data)) == data


def test_from_dict_fills_missing_keys_with_defaults_and_ignores_unknown_ones() -> None:
    rules = Rules.from_dict({"target_days": 66, "retired_option": True})

    assert rules == Rules(target_days=66)


def test_from_dict_rejects_invalid_values() -> None:
    with pytest.raises(RulesError) as caught:
        Rules.from_dict({"missed_day_policy": "whatever"})
    assert "missed-day policy" in problem_text(caught.value.problem)
    with pytest.raises(RulesError) as caught:
        Rules.from_dict({"rest_weekdays": [0, 1, 2, 3, 4, 5, 6]})
    assert "At least one weekday" in problem_text(caught.value.problem)


# ------------------------------------------------------------------------------------------
# Presets
# ------------------------------------------------------------------------------------------


def test_unknown_preset_names_the_ones_there_are() -> None:
    with pytest.raises(RulesError) as caught:
        preset("100-days-of-yoga")

    message = problem_text(caught.value.problem)
    assert "100-days-of-yoga" in message
    for name in PRESETS:
        assert name in message


def test_the_four_presets_exist() -> None:
    assert set(PRESETS) == {
        "100-days-of-code",
        "100-days-of-ml-code",
        "x-days-of-ml-code",
        "66-days-of-data",
    }


def test_100_days_of_code_preset_follows_kallaways_rules() -> None:
    # "Code minimum an hour every day for the next 100 days"; a link on every day post; "You
    # are allowed to miss one day ... but never miss two days in a row."
    rules = preset("100-days-of-code")

    assert (rules.target_days, rules.min_minutes, rules.require_link) == (100, 60, True)
    assert rules.missed_day_policy is MissedDayPolicy.KALLAWAY


def test_100_days_of_ml_code_preset_needs_an_hour_for_100_days() -> None:
    # "at least 1 hour of your time everyday ... for 100 days"; no stated missed-day rule.
    rules = preset("100-days-of-ml-code")

    assert (rules.target_days, rules.min_minutes, rules.require_link) == (100, 60, False)
    assert rules.missed_day_policy is MissedDayPolicy.PAUSE


def test_x_days_of_ml_code_preset_is_open_ended_with_no_minimum() -> None:
    # "X days": no fixed length; "If you only have 5 minutes today"; a miss resets the streak
    # and the log goes on: pause (once called reset_streak).
    rules = preset("x-days-of-ml-code")

    assert (rules.target_days, rules.min_minutes, rules.min_words) == (None, 0, 0)
    assert rules.missed_day_policy is MissedDayPolicy.PAUSE


def test_66_days_of_data_preset_needs_five_minutes_for_66_days() -> None:
    # "Learn data science every day for 66 days straight ... minimum of 5 minutes per day."
    rules = preset("66-days-of-data")

    assert (rules.target_days, rules.min_minutes) == (66, 5)
    assert rules.missed_day_policy is MissedDayPolicy.PAUSE


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_starts_the_day_at_four(name) -> None:
    # "have you coded for at least an hour before going to sleep that day?"
    assert preset(name).rollover_hour == 4


@pytest.mark.parametrize(
    ("name", "target", "minimum"),
    [
        ("100-days-of-code", "100 qualifying days", "at least 60 minutes"),
        ("100-days-of-ml-code", "100 qualifying days", "at least 60 minutes"),
        ("x-days-of-ml-code", "Open-ended", "any post"),
        ("66-days-of-data", "66 qualifying days", "at least 5 minutes"),
    ],
)
def test_every_preset_description_mentions_its_target_and_minimum(name, target, minimum) -> None:
    text = " ".join(describe_rules(preset(name)))

    assert target in text
    assert minimum in text


def test_description_of_100_days_of_code_mentions_the_link_and_the_one_miss() -> None:
    text = " ".join(describe_rules(preset("100-days-of-code")))

    assert "a link to your work" in text
    assert "never two in a row" in text


def test_description_of_custom_rules_covers_every_setting() -> None:
    lines = describe_rules(CUSTOM)
    text = " ".join(lines)

    assert "Open-ended" in text
    assert (
        "at least 15 minutes (on your word if you give none), at least 20 words and a link to "
        "your work"
    ) in text
    assert "restarts the challenge at Day 1" in text
    assert "Rest days: Saturday, Sunday." in lines
    assert "A new day starts at 00:00 your time." in lines
    assert "Only today can be logged." in lines
    assert "Every 10 qualifying days earn a freeze (bank up to 2)" in text


@pytest.mark.parametrize(("days", "sentence"), [(1, "up to 1 day late"), (7, "up to 7 days late")])
def test_description_of_backfill_is_singular_or_plural(days, sentence) -> None:
    assert sentence in " ".join(describe_rules(Rules(backfill_days=days)))


@pytest.mark.parametrize("policy", list(MissedDayPolicy))
def test_every_policy_is_described(policy) -> None:
    lines = describe_rules(Rules(missed_day_policy=policy))

    assert len(lines) == len(set(lines))
    assert all(line.strip() for line in lines)
    assert len({" ".join(describe_rules(Rules(missed_day_policy=p))) for p in MissedDayPolicy}) == 3

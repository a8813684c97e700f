"""Milestones: which a challenge can reach, which post reaches one, which attempt was lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.domain.digest import MILESTONES
from bot.domain.engine import Phase, Summary
from bot.domain.milestones import DAY_MILESTONES, Milestone, lost, reachable, reached_by
from bot.domain.rules import Rules, preset

TODAY = date(2026, 3, 8)


def summary(**changes) -> Summary:
    base = Summary(
        today=TODAY,
        phase=Phase.ACTIVE,
        round=1,
        attempt=1,
        day_number=7,
        calendar_day=7,
        current_streak=7,
        best_streak=7,
        misses_used=0,
        freezes_banked=0,
        qualifying_days=7,
        target_days=100,
        completion=7.0,
        projected_end=None,
        finished=False,
        attempt_start=TODAY - timedelta(days=6),
        last_counted=TODAY,
        today_counted=True,
    )
    return replace(base, **changes)


def test_the_milestones_are_the_digests_days() -> None:
    assert tuple(DAY_MILESTONES) == MILESTONES


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # A 100-day round: Day 100 is the finish itself, not a day milestone besides it.
        (preset("100-days-of-code"), ["day7", "day25", "day50", "day66", "finished"]),
        (preset("66-days-of-data"), ["day7", "day25", "day50", "finished"]),
        # Open-ended: every day milestone, and no round ever finishes.
        (Rules(target_days=None), ["day7", "day25", "day50", "day66", "day100"]),
        (Rules(target_days=7), ["finished"]),
        (Rules(target_days=30), ["day7", "day25", "finished"]),
    ],
)
def test_only_milestones_the_target_lets_members_reach(rules: Rules, expected) -> None:
    assert [milestone.value for milestone in reachable(rules)] == expected


def test_the_post_that_lands_on_day_seven_reaches_it() -> None:
    reached = reached_by(Rules(), summary(), TODAY, counted=True)
    assert reached is not None
    assert (reached.milestone, reached.key) == (Milestone.DAY_7, "r1a1:day7")


@pytest.mark.parametrize(
    ("changes", "day", "counted"),
    [
        ({}, TODAY, False),  # the post did not count
        ({}, TODAY - timedelta(days=3), True),  # an older day: it is not what landed on Day 7
        ({"day_number": 8}, TODAY, True),  # not a milestone day
        ({"phase": Phase.FAILED}, TODAY, True),  # no attempt running
    ],
)
def test_other_posts_reach_nothing(changes, day: date, counted: bool) -> None:
    assert reached_by(Rules(), summary(**changes), day, counted=counted) is None


def test_a_finished_round_is_its_own_milestone_keyed_by_round_and_attempt() -> None:
    done = summary(phase=Phase.FINISHED, finished=True, day_number=66, round=2, attempt=3)
    reached = reached_by(preset("66-days-of-data"), done, TODAY, counted=True)
    assert reached is not None
    assert (reached.milestone, reached.key) == (Milestone.FINISHED, "r2a3:finished")


def test_day_100_of_a_66_day_challenge_is_never_reached() -> None:
    # After a lowered target a member may still stand on Day 100 in an unfinished walk.
    assert (
        reached_by(preset("66-days-of-data"), summary(day_number=100), TODAY, counted=True) is None
    )


def test_a_later_attempt_of_the_same_round_means_the_earlier_one_was_lost() -> None:
    assert lost(1, 1, summary(attempt=2))
    assert not lost(1, 2, summary(attempt=2))
    assert not lost(1, 1, summary(round=2, attempt=1))  # a finished round keeps its roles

"""What a week meant for a member, read from the walk (the digest's raw material)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.digest import OTHER_LINKS, link_group, member_week
from bot.domain.engine import WalkState, advance, summarize
from bot.domain.models import DayFacts, LinkKind
from bot.domain.rules import PRESETS, Rules

START = date(2026, 1, 1)


def week_of(rules: Rules, logged: list[date], today: date, first: date, last: date):
    facts = {day: DayFacts(day, entries=1, minutes=60) for day in logged}
    state, _ = advance(rules, WalkState.start(START), facts, today, today=today)
    return member_week(rules, state, summarize(rules, state, today), first, last)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


RESET = PRESETS["x-days-of-ml-code"]


def test_a_steady_member_crosses_day_50_in_the_week():
    # Logged every day from 1 January: 19 February is Day 50; the week is 16-22 February.
    week = week_of(
        RESET,
        days(START, date(2026, 2, 23)),
        date(2026, 2, 23),
        date(2026, 2, 16),
        date(2026, 2, 22),
    )
    assert (week.days, week.streak, week.day_number) == (7, 54, 54)
    assert week.milestones == (50,)
    assert not week.comeback
    assert not week.at_risk


def test_a_member_back_after_a_broken_streak_is_a_comeback():
    # Ten days, a gap (a miss ends the streak), then five days this week.
    logged = days(date(2026, 2, 1), date(2026, 2, 10)) + days(date(2026, 2, 18), date(2026, 2, 22))
    week = week_of(RESET, logged, date(2026, 2, 23), date(2026, 2, 16), date(2026, 2, 22))
    assert week.comeback
    assert (week.days, week.streak) == (5, 5)


def test_a_newcomer_is_not_a_comeback_and_reaches_no_milestone_in_three_days():
    logged = [date(2026, 2, 20), date(2026, 2, 21), date(2026, 2, 22)]
    week = week_of(RESET, logged, date(2026, 2, 23), date(2026, 2, 16), date(2026, 2, 22))
    assert (week.days, week.streak, week.milestones, week.comeback) == (3, 3, (), False)


def test_a_seventh_day_in_the_week_is_the_day_7_milestone():
    logged = days(date(2026, 2, 16), date(2026, 2, 22))
    week = week_of(RESET, logged, date(2026, 2, 23), date(2026, 2, 16), date(2026, 2, 22))
    assert week.milestones == (7,)


def test_days_logged_after_the_week_do_not_count_for_its_milestones():
    # Day 49 on the week's last day; Day 50 the day after (the digest's own day).
    first_day = date(2026, 2, 22) - timedelta(days=48)
    logged = days(first_day, date(2026, 2, 23))
    week = week_of(RESET, logged, date(2026, 2, 23), date(2026, 2, 16), date(2026, 2, 22))
    assert week.day_number == 50
    assert week.milestones == ()


def test_finishing_a_round_and_starting_the_next_in_the_week():
    rules = Rules(target_days=100, rollover_hour=4)
    # Day 100 on 10 April (from 1 January), then a new round on 12 April.
    logged = [*days(START, date(2026, 4, 10)), date(2026, 4, 12)]
    week = week_of(rules, logged, date(2026, 4, 13), date(2026, 4, 6), date(2026, 4, 12))
    assert week.finished_round == 1
    assert week.new_round == 2
    assert week.milestones == (100,)


def test_at_risk_means_a_missed_last_day_and_a_rule_that_ends_the_attempt_next_time():
    # A miss ends the streak under every policy, so what is left at stake after a missed last
    # day is the attempt: under kallaway the 22nd was the one allowed miss, and one more miss
    # in a row (today, the 23rd) would end the attempt. Under pause nothing more can be lost.
    kallaway = Rules(missed_day_policy=PRESETS["100-days-of-code"].missed_day_policy)
    pause = Rules(missed_day_policy=PRESETS["100-days-of-ml-code"].missed_day_policy)
    logged = days(date(2026, 2, 1), date(2026, 2, 21))  # the week's last day, 22nd, missed
    today, first, last = date(2026, 2, 23), date(2026, 2, 16), date(2026, 2, 22)

    at_risk = week_of(kallaway, logged, today, first, last)
    assert at_risk.at_risk
    assert at_risk.streak == 0  # the miss on the 22nd ended the 21-day streak
    assert not week_of(pause, logged, today, first, last).at_risk
    assert not week_of(RESET, logged, today, first, last).at_risk
    # Missed the 21st but logged the 22nd: the miss no longer runs, nothing is at risk.
    earlier_miss = [day for day in days(date(2026, 2, 1), date(2026, 2, 22)) if day.day != 21]
    assert not week_of(kallaway, earlier_miss, today, first, last).at_risk


def test_links_are_grouped_as_the_digest_lists_them():
    assert link_group(LinkKind.ARXIV) == "arXiv"
    assert link_group(LinkKind.HUGGINGFACE) == "Hugging Face"
    assert link_group(LinkKind.YOUTUBE) == OTHER_LINKS
    assert link_group(LinkKind.OTHER) == OTHER_LINKS

"""Leaderboards: competition ranks, deterministic ties, hidden members left off."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from bot.domain.leaderboard import (
    Contender,
    Metric,
    Period,
    competition_ranks,
    period_start,
    rank,
)


def member(user_id, *, streak=0, best=0, day=0, period=0, share=0.0, recent=0, hidden=False):
    return Contender(
        participant_id=user_id + 1000,
        user_id=user_id,
        current_streak=streak,
        best_streak=best,
        day_number=day,
        days_in_period=period,
        consistency=share,
        recent_days=recent,
        hidden=hidden,
    )


def board(placings):
    return [(placing.rank, placing.contender.user_id, placing.value) for placing in placings]


# ------------------------------------------------------------------------------------------
# By streak: equal streaks share a rank; best streak, then Day N order them within it
# ------------------------------------------------------------------------------------------


def test_streak_board_ranks_by_current_streak_first() -> None:
    members = [
        member(1, streak=3, best=30, day=60),
        member(2, streak=12, best=12, day=12),
        member(3, streak=7, best=7, day=40),
    ]

    assert board(rank(members, Metric.STREAK)) == [(1, 2, 12), (2, 3, 7), (3, 1, 3)]


def test_equal_streaks_share_a_rank_ordered_by_best_streak_then_day_number() -> None:
    members = [
        member(1, streak=5, best=5, day=50),
        member(2, streak=5, best=9, day=9),
        member(3, streak=5, best=5, day=70),
    ]

    # All three show 5, so all three are 1st (the one tie rule: what is shown ties). Within
    # the rank: user 2 (best 9) first, then user 3 (best 5, Day 70), then user 1 (Day 50).
    assert board(rank(members, Metric.STREAK)) == [(1, 2, 5), (1, 3, 5), (1, 1, 5)]


def test_fully_equal_members_share_a_rank_and_the_next_rank_is_skipped() -> None:
    members = [
        member(40, streak=2, best=4, day=10),
        member(30, streak=6, best=6, day=20),
        member(20, streak=9, best=9, day=30),
        member(10, streak=6, best=6, day=20),
    ]

    # 9; then 6/6/20 twice (rank 2, 2); then 2 is fourth: "1, 2, 2, 4". Within the tie the
    # lower user id comes first.
    assert board(rank(members, Metric.STREAK)) == [(1, 20, 9), (2, 10, 6), (2, 30, 6), (4, 40, 2)]


def test_three_way_tie_at_the_top() -> None:
    members = [member(user, streak=3, best=3, day=3) for user in (9, 4, 7)] + [
        member(1, streak=1, best=1, day=1)
    ]

    assert board(rank(members, Metric.STREAK)) == [(1, 4, 3), (1, 7, 3), (1, 9, 3), (4, 1, 1)]


# ------------------------------------------------------------------------------------------
# By days in the period: days, then current streak, then best streak
# ------------------------------------------------------------------------------------------


def test_days_board_ranks_by_days_in_the_period_then_streaks() -> None:
    members = [
        member(1, period=4, streak=4, best=10),
        member(2, period=6, streak=1, best=1),
        member(3, period=4, streak=4, best=12),
        member(4, period=4, streak=2, best=50),
        member(5, period=4, streak=4, best=10),
    ]

    # User 2 alone shows 6 days: 1st. The other four all show 4 days, so all are 2nd, ordered
    # within the rank by streak, then best streak, then user id.
    assert board(rank(members, Metric.DAYS)) == [
        (1, 2, 6),
        (2, 3, 4),  # 4 days, streak 4, best 12
        (2, 1, 4),  # 4 days, streak 4, best 10 (user 1 before user 5)
        (2, 5, 4),
        (2, 4, 4),  # 4 days, streak 2
    ]


# ------------------------------------------------------------------------------------------
# By consistency: share, then recent days, then current streak
# ------------------------------------------------------------------------------------------


def test_consistency_board_ranks_by_share_then_recent_days_then_streak() -> None:
    members = [
        member(1, share=0.5, recent=15, streak=3),
        member(2, share=1.0, recent=3, streak=3),  # joined three days ago, never missed
        member(3, share=0.5, recent=15, streak=5),
        member(4, share=0.5, recent=10, streak=9),
        member(5, share=0.0, recent=0, streak=0),
    ]

    # 100 % alone is 1st; the three at 50 % share 2nd (ordered by recent days, then streak);
    # 0 % comes 5th, after the three that shared 2nd: 1, 2, 2, 2, 5.
    assert board(rank(members, Metric.CONSISTENCY)) == [
        (1, 2, 1.0),
        (2, 3, 0.5),
        (2, 1, 0.5),
        (2, 4, 0.5),
        (5, 5, 0.0),
    ]


def test_consistency_ties_on_the_percentage_shown() -> None:
    members = [
        member(1, share=0.996, recent=20),  # shows 100%
        member(2, share=1.0, recent=3),  # shows 100%
        member(3, share=0.664, recent=9),  # shows 66%
    ]

    # 0.996 reads "100%" as 1.0 does: both 1st (1.0 first, the higher share); 66% is 3rd.
    assert board(rank(members, Metric.CONSISTENCY)) == [(1, 2, 1.0), (1, 1, 0.996), (3, 3, 0.664)]


@pytest.mark.parametrize(
    ("shown", "ranks"),
    [
        ([], []),
        ([5], [1]),
        ([5, 5, 3], [1, 1, 3]),  # the rule: 1, 1, 3
        ([9, 6, 6, 2], [1, 2, 2, 4]),
        ([4, 4, 4, 4], [1, 1, 1, 1]),
        ([(3, 2), (3, 2), (3, 1)], [1, 1, 3]),  # the digest board ties on days and streak
    ],
)
def test_competition_ranks(shown, ranks) -> None:
    assert competition_ranks(shown) == ranks


# ------------------------------------------------------------------------------------------
# Every board
# ------------------------------------------------------------------------------------------

CROWD = [
    member(11, streak=4, best=8, day=20, period=3, share=0.9, recent=27),
    member(12, streak=4, best=8, day=20, period=3, share=0.9, recent=27),
    member(13, streak=9, best=9, day=9, period=5, share=0.3, recent=9),
    member(14, streak=0, best=2, day=2, period=0, share=0.1, recent=2, hidden=True),
    member(15, streak=20, best=20, day=50, period=7, share=1.0, recent=30, hidden=True),
    member(16, streak=1, best=1, day=1, period=1, share=1.0, recent=1),
]


@pytest.mark.parametrize("metric", list(Metric))
def test_hidden_members_are_left_off_and_take_no_rank(metric) -> None:
    placings = rank(CROWD, metric)
    users = [placing.contender.user_id for placing in placings]

    assert 14 not in users
    assert 15 not in users
    assert sorted(users) == [11, 12, 13, 16]
    assert placings[0].rank == 1


@pytest.mark.parametrize("metric", list(Metric))
def test_the_board_is_the_same_whatever_order_the_members_come_in(metric) -> None:
    expected = rank(CROWD, metric)

    for order in itertools.permutations(CROWD):
        assert rank(order, metric) == expected


@pytest.mark.parametrize("metric", list(Metric))
def test_ranks_are_competition_ranks(metric) -> None:
    placings = rank(CROWD, metric)

    for position, placing in enumerate(placings, start=1):
        if position == 1:
            assert placing.rank == 1
        else:
            previous = placings[position - 2]
            assert placing.rank in (previous.rank, position)
        assert placing.rank <= position


def test_twins_tie_on_every_board() -> None:
    # Users 11 and 12 have the same numbers everywhere: same rank, 11 first.
    for metric in Metric:
        placings = rank(CROWD, metric)
        twins = [placing for placing in placings if placing.contender.user_id in (11, 12)]
        assert [placing.contender.user_id for placing in twins] == [11, 12]
        assert twins[0].rank == twins[1].rank


def test_values_are_the_metric_shown() -> None:
    assert board(rank(CROWD, Metric.STREAK)) == [(1, 13, 9), (2, 11, 4), (2, 12, 4), (4, 16, 1)]
    assert board(rank(CROWD, Metric.DAYS)) == [(1, 13, 5), (2, 11, 3), (2, 12, 3), (4, 16, 1)]
    assert board(rank(CROWD, Metric.CONSISTENCY)) == [
        (1, 16, 1.0),
        (2, 11, 0.9),
        (2, 12, 0.9),
        (4, 13, 0.3),
    ]


def test_an_empty_or_all_hidden_board_is_empty() -> None:
    assert rank([], Metric.STREAK) == []
    assert rank([member(1, streak=3, hidden=True)], Metric.DAYS) == []


def test_rank_accepts_any_iterable() -> None:
    placings = rank((m for m in CROWD), Metric.STREAK)

    assert len(placings) == 4


# ------------------------------------------------------------------------------------------
# Periods
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (date(2026, 3, 2), date(2026, 3, 2)),  # a Monday is its own week's start
        (date(2026, 3, 4), date(2026, 3, 2)),  # Wednesday
        (date(2026, 3, 8), date(2026, 3, 2)),  # Sunday ends the ISO week
        (date(2026, 3, 9), date(2026, 3, 9)),
        (date(2027, 1, 1), date(2026, 12, 28)),  # a Friday: the week began the year before
        (date(2028, 3, 1), date(2028, 2, 28)),  # leap year
    ],
)
def test_week_starts_on_monday(today, monday) -> None:
    assert period_start(Period.WEEK, today) == monday


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 3, 1), date(2026, 3, 1)),
        (date(2026, 3, 31), date(2026, 3, 1)),
        (date(2028, 2, 29), date(2028, 2, 1)),
        (date(2026, 12, 31), date(2026, 12, 1)),
    ],
)
def test_month_starts_on_the_first(today, first) -> None:
    assert period_start(Period.MONTH, today) == first


def test_all_time_has_no_start() -> None:
    assert period_start(Period.ALL, date(2026, 3, 4)) is None

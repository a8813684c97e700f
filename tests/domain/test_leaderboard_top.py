"""`leaderboard.top` builds only a board's head and the viewer's place: the same as `rank`'s."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.leaderboard import Contender, Metric, rank, top


def _key(metric: Metric, member: Contender) -> tuple[float, ...]:
    if metric is Metric.STREAK:
        parts: tuple[float, ...] = (member.current_streak, member.best_streak, member.day_number)
    elif metric is Metric.DAYS:
        parts = (member.days_in_period, member.current_streak, member.best_streak)
    else:
        parts = (member.consistency, member.recent_days, member.current_streak)
    return (*parts, -member.user_id)


# Few distinct small numbers, so equal keys and equal shown values are common; shares are
# fractions of up to 30 days, so many differ yet show the same whole percent (1/3 and 0.335).
_shares = st.one_of(
    st.builds(lambda n, d: n / d, st.integers(0, 30), st.integers(1, 30)),
    st.sampled_from([0.334, 0.335, 0.3349, 0.3351, 0.995, 0.9951, 0.005, 0.0049]),
)


@st.composite
def contenders(draw: st.DrawFn) -> list[Contender]:
    users = draw(st.lists(st.integers(1, 500), unique=True, max_size=40))
    return [
        Contender(
            participant_id=user + 1000,
            user_id=user,
            current_streak=draw(st.integers(0, 4)),
            best_streak=draw(st.integers(0, 4)),
            day_number=draw(st.integers(0, 4)),
            days_in_period=draw(st.integers(0, 4)),
            consistency=draw(_shares),
            recent_days=draw(st.integers(0, 3)),
            hidden=draw(st.booleans()),
        )
        for user in users
    ]


@settings(max_examples=400)
@given(contenders(), st.sampled_from(list(Metric)), st.integers(0, 12), st.data())
def test_top_is_the_head_of_rank_and_the_viewer_placing_is_ranks(
    members: list[Contender], metric: Metric, count: int, data: st.DataObject
) -> None:
    ranked = rank(members, metric)
    visible = [member for member in members if not member.hidden]
    viewer = data.draw(st.sampled_from(visible)) if visible else None

    result = top(visible, metric, count, lambda member: _key(metric, member), viewer)

    assert [(r, v, m) for r, v, m in result.leaders] == [
        (p.rank, p.value, p.contender) for p in ranked[:count]
    ]
    assert result.ranked == len(ranked)
    if viewer is not None:
        expected = next(p for p in ranked if p.contender == viewer)
        assert result.viewer == (expected.rank, expected.value, viewer)


def test_a_shared_percent_shares_the_rank_even_past_the_head() -> None:
    def member(user: int, share: float) -> Contender:
        return Contender(user + 1000, user, 0, 0, 0, 0, share, 0)

    # 0.334 and 1/3 both read "33%" (and 0.34 reads "34%"): the last two share rank 2.
    members = [member(1, 0.34), member(2, 0.334), member(3, 1 / 3)]
    result = top(members, Metric.CONSISTENCY, 1, lambda m: _key(Metric.CONSISTENCY, m), members[2])
    assert [(r, m.user_id) for r, _, m in result.leaders] == [(1, 1)]
    assert result.viewer is not None
    assert result.viewer[0] == 2

"""Summaries, ledgers, leaderboards and the checkpoint cache, through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.leaderboard import Metric, Period
from bot.domain.models import AdjustmentKind, ReminderMode
from bot.errors import ConflictError, InvalidInputError, NotFoundError
from bot.services import Services
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from storage import Database
from tests.services.conftest import ADA, GUILD, MAYA, RAJ, make_challenge

START = date(2026, 3, 2)


def evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC)


async def log(services: Services, user: int, offsets: list[int], minutes: int = 60) -> None:
    for offset in offsets:
        day = START + timedelta(days=offset)
        await services.entries.record(
            guild_id=GUILD,
            user_id=user,
            text="work https://github.com/a/b",
            minutes=minutes,
            at=evening(day),
        )


async def setup_three(services: Services, clock: FixedClock) -> None:
    await make_challenge(services, clock, preset="x-days-of-ml-code")
    for user in (ADA, RAJ, MAYA):
        await services.participants.join(guild_id=GUILD, user_id=user, now=clock(), timezone="UTC")
    await log(services, ADA, list(range(10)))  # ten days in a row
    await log(services, RAJ, [0, 1, 2, 3, 4, 5, 7, 8, 9])  # a miss on day 6: streak 3
    await log(services, MAYA, [6, 7, 8, 9])  # joined late in practice: streak 4


async def test_streak_leaderboard_ranks_by_current_streak(
    services: Services, clock: FixedClock
) -> None:
    await setup_three(services, clock)
    now = evening(START + timedelta(days=9))
    board = await services.progress.leaderboard(guild_id=GUILD, viewer_id=RAJ, now=now)
    assert [(p.rank, p.contender.user_id, p.value) for p in board.leaders] == [
        (1, ADA, 10),
        (2, MAYA, 4),
        (3, RAJ, 3),
    ]
    assert board.viewer is not None
    assert board.viewer.rank == 3


async def test_days_leaderboard_counts_the_period(services: Services, clock: FixedClock) -> None:
    await setup_three(services, clock)
    # Day 9 is Wednesday 03-11: the week began Monday 03-09 (offsets 7, 8, 9).
    now = evening(START + timedelta(days=9))
    week = await services.progress.leaderboard(
        guild_id=GUILD, viewer_id=ADA, metric=Metric.DAYS, period=Period.WEEK, now=now
    )
    assert [(p.contender.user_id, p.value) for p in week.leaders] == [
        (ADA, 3),
        (MAYA, 3),
        (RAJ, 3),
    ]
    # Equal days shown (3 each): all three share 1st (1, 1, 1); current streak (10, 4, 3)
    # orders them within the rank.
    assert [p.rank for p in week.leaders] == [1, 1, 1]
    overall = await services.progress.leaderboard(
        guild_id=GUILD, viewer_id=ADA, metric=Metric.DAYS, period=Period.ALL, now=now
    )
    assert [(p.contender.user_id, p.value) for p in overall.leaders] == [
        (ADA, 10),
        (RAJ, 9),
        (MAYA, 4),
    ]


async def test_consistency_leaderboard_is_the_share_of_days_logged(
    services: Services, clock: FixedClock
) -> None:
    await setup_three(services, clock)
    now = evening(START + timedelta(days=9))
    board = await services.progress.leaderboard(
        guild_id=GUILD, viewer_id=ADA, metric=Metric.CONSISTENCY, now=now
    )
    values = {p.contender.user_id: p.value for p in board.leaders}
    # Everyone joined 03-02, and the share starts where the attempt does (its first counted
    # day). Ada: days 0-9 all logged, 10/10 = 1.0. Raj: attempt from day 0, ten days, day 6
    # missed, 9/10 = 0.9. Maya: first post on day 6, so her attempt starts there (the six days
    # before are no misses, as /streak says "Misses: 0"): days 6-9, 4/4 = 1.0.
    assert values == {ADA: 1.0, RAJ: 0.9, MAYA: 1.0}
    maya = await services.progress.summary(guild_id=GUILD, viewer_id=MAYA, member_id=MAYA, now=now)
    assert maya.summary.misses_used == 0
    # Ada and Maya both show 100 %: one tie rule, both 1st (Ada first: 10 recent days to 4);
    # Raj at 90 % comes 3rd (1, 1, 3).
    assert [(p.rank, p.contender.user_id) for p in board.leaders] == [
        (1, ADA),
        (1, MAYA),
        (3, RAJ),
    ]


async def test_a_member_who_joined_today_and_logged_is_fully_consistent(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock, preset="x-days-of-ml-code")
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")
    await log(services, ADA, [0])
    board = await services.progress.leaderboard(
        guild_id=GUILD, viewer_id=ADA, metric=Metric.CONSISTENCY, now=evening(START)
    )
    # Joined 03-02 and logged 03-02: one day of the attempt, one logged, 1/1 = 100 %.
    assert [(p.contender.user_id, p.value) for p in board.leaders] == [(ADA, 1.0)]


async def test_hidden_members_are_left_off_and_their_streak_is_private(
    services: Services, clock: FixedClock
) -> None:
    await setup_three(services, clock)
    await services.participants.set_hidden(guild_id=GUILD, user_id=ADA, challenge=None, hidden=True)
    now = evening(START + timedelta(days=9))
    board = await services.progress.leaderboard(guild_id=GUILD, viewer_id=ADA, now=now)
    assert ADA not in [p.contender.user_id for p in board.leaders]
    assert board.viewer is None
    with pytest.raises(NotFoundError) as refused:
        await services.progress.summary(guild_id=GUILD, viewer_id=RAJ, member_id=ADA, now=now)
    assert refused.value.message == "There is no progress to show for that member."
    own = await services.progress.summary(guild_id=GUILD, viewer_id=ADA, now=now)
    assert own.summary.current_streak == 10


async def test_checkpoints_change_nothing_but_speed(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await setup_three(services, clock)
    challenge = (await services.challenges.active(GUILD))[0]
    now = evening(START + timedelta(days=9))
    cold = await services.progress.leaderboard(guild_id=GUILD, viewer_id=ADA, now=now)
    saved = await services.progress.refresh_checkpoints(challenge_id=challenge.id, now=now)
    assert saved == 3
    async with database.read() as repos:
        standings = await repos.standings.for_challenge(challenge.id)
    # backfill 1 day: the last closed day is two days before today (03-09).
    assert {s.through_day for s in standings.values()} == {date(2026, 3, 9)}
    warm = await services.progress.leaderboard(guild_id=GUILD, viewer_id=ADA, now=now)
    assert warm.leaders == cold.leaders
    later = now + timedelta(days=3)
    assert (await services.progress.leaderboard(guild_id=GUILD, viewer_id=ADA, now=later)).leaders[
        0
    ].value == 0


async def test_an_entry_in_a_checkpointed_day_drops_the_checkpoint(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await setup_three(services, clock)
    challenge = (await services.challenges.active(GUILD))[0]
    now = evening(START + timedelta(days=9))
    await services.progress.refresh_checkpoints(challenge_id=challenge.id, now=now)
    # An organizer counts Raj's missed day 6 (inside the checkpoint): his streak becomes 10.
    await services.challenges.adjust(
        guild_id=GUILD,
        organizer_id=1,
        member_id=RAJ,
        day=START + timedelta(days=6),
        kind=AdjustmentKind.COUNT,
        reason="outage",
        challenge=None,
        now=now,
    )
    async with database.read() as repos:
        standings = await repos.standings.for_challenge(challenge.id)
        raj = await repos.participants.get(challenge.id, RAJ)
        ada = await repos.participants.get(challenge.id, ADA)
    assert raj is not None
    assert ada is not None
    assert raj.id not in standings
    assert ada.id in standings
    board = await services.progress.leaderboard(guild_id=GUILD, viewer_id=ADA, now=now)
    values = {p.contender.user_id: p.value for p in board.leaders}
    assert values[RAJ] == 10


async def test_summary_of_another_member_and_of_self(services: Services, clock: FixedClock) -> None:
    await setup_three(services, clock)
    now = evening(START + timedelta(days=9))
    mine = await services.progress.summary(guild_id=GUILD, viewer_id=ADA, now=now)
    theirs = await services.progress.summary(guild_id=GUILD, viewer_id=ADA, member_id=RAJ, now=now)
    assert (mine.summary.day_number, theirs.summary.day_number) == (10, 9)
    assert (theirs.summary.current_streak, theirs.summary.best_streak) == (3, 6)


async def test_join_twice_and_bad_join_options(services: Services, clock: FixedClock) -> None:
    await make_challenge(services, clock)
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock())
    with pytest.raises(ConflictError, match="already in ML Club"):
        await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock())
    with pytest.raises(InvalidInputError, match="in the future"):
        await services.participants.join(
            guild_id=GUILD, user_id=RAJ, now=clock(), start=date(2026, 3, 9)
        )
    with pytest.raises(InvalidInputError, match="from 1 to 100"):
        await services.participants.join(guild_id=GUILD, user_id=RAJ, now=clock(), day=101)
    with pytest.raises(InvalidInputError, match="not a time zone"):
        await services.participants.join(
            guild_id=GUILD, user_id=RAJ, now=clock(), timezone="Nowhere/City"
        )


async def test_join_defaults_to_the_servers_zone_and_rejoin_keeps_days(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock, timezone="Europe/Berlin")
    joined = await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock())
    assert joined.participant.timezone == "Europe/Berlin"
    await log(services, ADA, [0])
    await services.participants.leave(guild_id=GUILD, user_id=ADA, challenge=None, now=clock())
    again = await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock())
    assert again.rejoined
    summary = await services.progress.summary(guild_id=GUILD, viewer_id=ADA, now=evening(START))
    assert summary.summary.day_number == 1


async def test_joining_underway_starts_at_the_given_day(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock)
    await services.participants.join(
        guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC", day=12
    )
    await log(services, ADA, [0])
    summary = await services.progress.summary(guild_id=GUILD, viewer_id=ADA, now=evening(START))
    assert summary.summary.day_number == 12


async def test_forget_me_deletes_everything_about_the_member_only(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await setup_three(services, clock)
    challenge = (await services.challenges.active(GUILD))[0]
    removed = await services.participants.forget(user_id=ADA)
    assert removed == 1
    async with database.read() as repos:
        assert await repos.participants.get(challenge.id, ADA) is None
        assert await repos.entries.count_live(challenge.id) == 9 + 4
    board = await services.progress.leaderboard(
        guild_id=GUILD, viewer_id=RAJ, now=evening(START + timedelta(days=9))
    )
    assert [p.contender.user_id for p in board.leaders] == [MAYA, RAJ]


async def board_values(
    services: Services, now: datetime, metric: Metric = Metric.STREAK
) -> dict[int, float]:
    board = await services.progress.leaderboard(
        guild_id=GUILD, viewer_id=ADA, metric=metric, now=now
    )
    return {p.contender.user_id: p.value for p in board.leaders}


async def test_every_kind_of_write_shows_on_the_next_board(
    services: Services, clock: FixedClock
) -> None:
    # Boards reuse members' walks within a day; each write below must still show at once.
    await setup_three(services, clock)
    now = evening(START + timedelta(days=9))
    assert await board_values(services, now) == {ADA: 10, RAJ: 3, MAYA: 4}

    # A post on a day that broke Raj's streak is not possible (outside backfill), but an
    # organizer's adjustment is: Raj's streak becomes 10.
    await services.challenges.adjust(
        guild_id=GUILD,
        organizer_id=1,
        member_id=RAJ,
        day=START + timedelta(days=6),
        kind=AdjustmentKind.COUNT,
        reason="outage",
        challenge=None,
        now=now,
    )
    assert (await board_values(services, now))[RAJ] == 10

    # Maya deletes today's post: her streak drops to 3 (today is open again).
    mine = await services.entries.recent(guild_id=GUILD, user_id=MAYA, challenge=None, limit=1)
    await services.entries.delete(entry_id=mine[0].id, user_id=MAYA, at=now)
    assert (await board_values(services, now))[MAYA] == 3

    # Ada hides herself, then Raj leaves.
    await services.participants.set_hidden(guild_id=GUILD, user_id=ADA, challenge=None, hidden=True)
    assert ADA not in await board_values(services, now)
    await services.participants.leave(guild_id=GUILD, user_id=RAJ, challenge=None, now=now)
    assert await board_values(services, now) == {MAYA: 3}

    # A rule change applies to everyone at once.
    challenge = (await services.challenges.active(GUILD))[0]
    await services.challenges.apply_edit(
        guild_id=GUILD,
        challenge_id=challenge.id,
        settings=ChallengeSettingsInput(),
        rules=RulesInput(min_minutes=120),
    )
    assert await board_values(services, now) == {MAYA: 0}


async def test_a_new_day_moves_cached_boards_on(services: Services, clock: FixedClock) -> None:
    await setup_three(services, clock)
    now = evening(START + timedelta(days=9))
    assert (await board_values(services, now))[ADA] == 10
    # Two days later with nothing logged: x-days resets streaks after a missed day.
    assert await board_values(services, now + timedelta(days=2)) == {ADA: 0, RAJ: 0, MAYA: 0}


async def test_a_rolled_back_write_announces_nothing(database: Database) -> None:
    heard = []
    database.add_listener(heard.append)

    async def hide_then_fail() -> None:
        async with database.write() as repos:
            await repos.participants.set_reminder(1, None, ReminderMode.OFF)
            raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        await hide_then_fail()
    assert heard == []
    async with database.write() as repos:
        await repos.participants.set_reminder(1, None, ReminderMode.OFF)
    assert [changes.members for changes in heard] == [{1}]


async def test_the_daily_checkpoint_refresh_happens_once_per_day(
    services: Services, clock: FixedClock
) -> None:
    await setup_three(services, clock)
    now = evening(START + timedelta(days=9))
    assert await services.progress.refresh_due_checkpoints(now=now) == 3
    # A second tick the same day, or after a restart: nothing to do.
    assert await services.progress.refresh_due_checkpoints(now=now + timedelta(minutes=1)) == 0
    # The next day moves every checkpoint one day on.
    assert await services.progress.refresh_due_checkpoints(now=now + timedelta(days=1)) == 3


async def refusal(services: Services, member: int, now: datetime, ask: str = "summary") -> str:
    """What Raj is told when he asks about `member`'s progress."""
    with pytest.raises(NotFoundError) as refused:
        await getattr(services.progress, ask)(
            guild_id=GUILD, viewer_id=RAJ, member_id=member, now=now
        )
    return refused.value.message


async def test_others_hear_the_same_sentence_for_hidden_gone_and_never_joined(
    services: Services, clock: FixedClock
) -> None:
    await setup_three(services, clock)
    now = evening(START + timedelta(days=9))
    await services.participants.set_hidden(guild_id=GUILD, user_id=ADA, challenge=None, hidden=True)
    await services.participants.leave(guild_id=GUILD, user_id=MAYA, challenge=None, now=now)
    stranger = 999

    # Whether Ada takes part (hidden), Maya took part (left), or the stranger never did,
    # nobody can tell from the answer.
    answers = {
        await refusal(services, member, now, ask)
        for member in (ADA, MAYA, stranger)
        for ask in ("summary", "ledger")
    }
    assert answers == {"There is no progress to show for that member."}


async def test_hiding_outlives_leaving_and_holds_after_rejoining(
    services: Services, clock: FixedClock
) -> None:
    await setup_three(services, clock)
    now = evening(START + timedelta(days=9))
    await services.participants.set_hidden(guild_id=GUILD, user_id=ADA, challenge=None, hidden=True)
    await services.participants.leave(guild_id=GUILD, user_id=ADA, challenge=None, now=now)

    back = await services.participants.join(guild_id=GUILD, user_id=ADA, now=now)

    assert back.rejoined
    assert back.participant.hidden
    board = await services.progress.leaderboard(guild_id=GUILD, viewer_id=RAJ, now=now)
    assert [p.contender.user_id for p in board.leaders] == [MAYA, RAJ]
    assert await refusal(services, ADA, now) == "There is no progress to show for that member."
    # Only Ada's own choice shows her again.
    shown = await services.participants.set_hidden(
        guild_id=GUILD, user_id=ADA, challenge=None, hidden=False
    )
    assert not shown.hidden
    board = await services.progress.leaderboard(guild_id=GUILD, viewer_id=RAJ, now=now)
    assert [p.contender.user_id for p in board.leaders] == [ADA, MAYA, RAJ]

"""The weekly digest on real storage: when it is posted, once, and what it says."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest

from bot.charts.data import DayMark
from bot.clock import FixedClock
from bot.errors import ConflictError, InvalidInputError
from bot.services import Services
from bot.services.charts import week_marks
from bot.services.digests import DIGEST, Digest, digest_target
from bot.services.settings_input import ChallengeSettingsInput
from storage import SendStatus
from tests.services.conftest import ADA, GUILD, MAYA, RAJ

DIGEST_CHANNEL = 777
# Monday 9 March 2026, 09:00 in Berlin (CET) is 08:00 UTC; it reports on 2-8 March.
MOMENT = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
NOOR = 2004


class Poster:
    def __init__(self) -> None:
        self.posted: list[Digest] = []

    async def __call__(self, digest: Digest) -> None:
        self.posted.append(digest)


async def community(
    services: Services,
    clock: FixedClock,
    *,
    guild: int = GUILD,
    maya: bool = True,
    maya_rests: frozenset[date] = frozenset(),
    days: int = 14,
    **settings,
) -> None:
    """Ada and Raj log from 23 February; Maya (hidden) logs too; Noor joins on 5 March.

    Without `maya`, Maya never joins; she skips the days in `maya_rests`. The first `days`
    days are logged (`log_days` logs the rest).
    """
    clock.set(datetime(2026, 2, 23, 10, 0, tzinfo=UTC))
    await services.challenges.create(
        guild_id=guild,
        settings=ChallengeSettingsInput(
            **{
                "name": "ML Club",
                "preset": "x-days-of-ml-code",
                "timezone": "Europe/Berlin",
                "digest_channel_id": DIGEST_CHANNEL,
                "digest_day": "Monday",
                "digest_time": "09:00",
                **settings,
            }
        ),
        now=clock(),
    )
    members = [(ADA, "Europe/Berlin"), (RAJ, "Asia/Kolkata")]
    if maya:
        members.append((MAYA, "Europe/Berlin"))
    for user, zone in members:
        await services.participants.join(guild_id=guild, user_id=user, timezone=zone, now=clock())
    if maya:
        await services.participants.set_hidden(
            guild_id=guild, user_id=MAYA, challenge=None, hidden=True
        )
    await log_days(services, clock, range(days), guild=guild, maya=maya, maya_rests=maya_rests)


async def log_days(
    services: Services,
    clock: FixedClock,
    offsets: range,
    *,
    guild: int = GUILD,
    maya: bool = True,
    maya_rests: frozenset[date] = frozenset(),
) -> None:
    """Log the community's days `offsets` after 23 February, each at 10:00 UTC."""
    # 23 February to 8 March: Ada every day; Raj every day but 4-5 March; Maya every day.
    for offset in offsets:
        clock.set(datetime(2026, 2, 23, 10, 0, tzinfo=UTC) + timedelta(days=offset))
        day = clock().date()
        await services.entries.record(
            guild_id=guild,
            user_id=ADA,
            text=f"Day of attention #transformers https://arxiv.org/abs/1706.0{offset:04d}",
            at=clock(),
        )
        if day not in (date(2026, 3, 4), date(2026, 3, 5)):
            await services.entries.record(
                guild_id=guild,
                user_id=RAJ,
                text="Kaggle practice #tabular https://www.kaggle.com/c/titanic",
                at=clock(),
            )
        if maya and day not in maya_rests:
            await services.entries.record(
                guild_id=guild,
                user_id=MAYA,
                text="secret #hidden https://github.com/maya/x",
                at=clock(),
            )
        if day == date(2026, 3, 5):
            await services.participants.join(
                guild_id=guild, user_id=NOOR, timezone="Europe/Berlin", now=clock()
            )
        if day >= date(2026, 3, 5):
            await services.entries.record(
                guild_id=guild, user_id=NOOR, text="first steps #transformers", at=clock()
            )


async def test_the_digest_is_posted_once_at_its_moment(services, clock):
    await community(services, clock)
    poster = Poster()

    clock.set(MOMENT - timedelta(minutes=1))
    assert await services.digests.run_due(clock(), poster) == []
    clock.set(MOMENT)
    await services.digests.run_due(clock(), poster)
    clock.advance(timedelta(minutes=1))
    await services.digests.run_due(clock(), poster)

    assert len(poster.posted) == 1
    assert poster.posted[0].slot.week == "2026-W11"


async def test_what_the_digest_says_about_the_week(services, clock):
    await community(services, clock)
    poster = Poster()
    clock.set(MOMENT)
    (digest,) = await services.digests.run_due(clock(), poster)

    assert (digest.first_day, digest.last_day) == (date(2026, 3, 2), date(2026, 3, 8))
    # Maya is hidden: she is in no number. Ada, Raj and Noor are the members.
    assert digest.members == 3
    # Ada 7 days, Raj 5 (he missed the 4th and 5th), Noor 4.
    assert digest.active == 3
    assert [(s.user_id, s.days) for s in digest.board] == [(ADA, 7), (RAJ, 5), (NOOR, 4)]
    assert [(s.user_id, s.streak) for s in digest.top_streaks] == [(ADA, 14), (NOOR, 4), (RAJ, 3)]
    # Ada reached Day 7 on 1 March (last week) and Day 14 is no milestone; Noor's 4 days are not 7.
    assert digest.milestones == ()
    assert [s.user_id for s in digest.newcomers] == [NOOR]
    # Raj's streak broke on the 4th and started again on the 6th, with earlier days behind it.
    assert [s.user_id for s in digest.comebacks] == [RAJ]
    assert digest.at_risk == 0
    # Maya's tags and links are hers alone: she is hidden.
    assert dict(digest.tags) == {"transformers": 11, "tabular": 5}
    groups = dict(digest.links)
    assert set(groups) == {"arXiv", "Kaggle"}
    assert groups["Kaggle"] == (("https://www.kaggle.com/c/titanic", 5),)
    assert len(groups["arXiv"]) == 5  # seven distinct links, five listed
    # Posts in the week: Ada 7, Raj 5, Noor 4 (Maya's 7 are hers alone).
    assert digest.posts == 16
    # From the day the challenge was created (23 February) to the week's last day.
    assert len(digest.activity) == 14
    assert digest.activity[0] == (date(2026, 2, 23), 2)  # Ada and Raj
    assert digest.activity[-1] == (date(2026, 3, 8), 3)  # Ada, Raj and Noor
    # On 4 March only Ada logged (Raj missed it; Noor had not joined; Maya is hidden).
    assert dict(digest.activity)[date(2026, 3, 4)] == 1


async def test_equal_streaks_share_a_rank_in_the_top_streaks(services, clock):
    # Maya shown this time, and resting on 4 and 5 March exactly as Raj missed them: her posts
    # are his day for day, so her streak is his (3: 6, 7 and 8 March).
    await community(services, clock, maya_rests=frozenset({date(2026, 3, 4), date(2026, 3, 5)}))
    await services.participants.set_hidden(
        guild_id=GUILD, user_id=MAYA, challenge=None, hidden=False
    )
    clock.set(MOMENT)

    (digest,) = await services.digests.run_due(clock(), Poster())

    # Ada 14 is 1st, Noor 4 is 2nd; Raj and Maya both show 3 and share 3rd (the one tie rule,
    # as on /leaderboard: 1, 2, 3, 3), Raj (2002) before Maya (2003) within the rank.
    assert [(s.rank, s.user_id, s.streak) for s in digest.top_streaks] == [
        (1, ADA, 14),
        (2, NOOR, 4),
        (3, RAJ, 3),
        (3, MAYA, 3),
    ]


async def test_the_top_streaks_name_whom_the_streak_board_names(services, clock):
    # Six members with the same current streak (2: 7 and 8 March); the last to join had a
    # five-day streak before, so the streak board puts her first among equals (best streak
    # next). The digest names five of the six: the same five, in the board's order.
    clock.set(datetime(2026, 2, 23, 10, 0, tzinfo=UTC))
    await services.challenges.create(
        guild_id=GUILD,
        settings=ChallengeSettingsInput(
            name="ML Club",
            preset="x-days-of-ml-code",
            timezone="Europe/Berlin",
            digest_channel_id=DIGEST_CHANNEL,
            digest_day="Monday",
            digest_time="09:00",
        ),
        now=clock(),
    )
    users = list(range(3001, 3007))
    for user in users:
        await services.participants.join(
            guild_id=GUILD, user_id=user, timezone="Europe/Berlin", now=clock()
        )
    days = {user: [12, 13] for user in users}
    days[3006] = [0, 1, 2, 3, 4, 12, 13]  # 23-27 February, then 7-8 March
    for offset in range(14):
        clock.set(datetime(2026, 2, 23, 10, 0, tzinfo=UTC) + timedelta(days=offset))
        for user in users:
            if offset in days[user]:
                await services.entries.record(
                    guild_id=GUILD, user_id=user, text="studied", minutes=60, at=clock()
                )
    clock.set(MOMENT)

    (digest,) = await services.digests.run_due(clock(), Poster())
    board = await services.progress.leaderboard(guild_id=GUILD, viewer_id=3001, now=MOMENT)

    assert {p.value for p in board.leaders} == {2}
    assert board.leaders[0].contender.user_id == 3006
    assert [(s.rank, s.user_id, s.streak) for s in digest.top_streaks] == [
        (p.rank, p.contender.user_id, int(p.value)) for p in board.leaders[:5]
    ]


async def test_a_digest_missed_by_less_than_a_day_is_posted_once_on_return(services, clock):
    await community(services, clock)
    poster = Poster()

    clock.set(MOMENT + timedelta(hours=23))
    await services.digests.run_due(clock(), poster)
    await services.digests.run_due(clock() + timedelta(minutes=1), poster)

    assert [d.slot.week for d in poster.posted] == ["2026-W11"]
    # The late digest still reports on its own week.
    assert poster.posted[0].last_day == date(2026, 3, 8)


async def test_a_digest_missed_by_more_than_a_day_is_skipped_and_recorded(services, clock, caplog):
    await community(services, clock)
    poster = Poster()

    clock.set(MOMENT + timedelta(hours=25))
    await services.digests.run_due(clock(), poster)
    await services.digests.run_due(clock() + timedelta(minutes=1), poster)

    assert poster.posted == []
    async with services.digests._db.read() as repos:
        status = await repos.sends.status(DIGEST, digest_target(1), "2026-W11")
    assert status is SendStatus.SKIPPED
    assert any("skipped" in record.getMessage() for record in caplog.records)


async def test_a_digest_that_failed_to_post_is_retried_on_the_next_tick(services, clock, database):
    await community(services, clock)
    poster = Poster()
    failures = [RuntimeError("503")]

    async def flaky(digest: Digest) -> None:
        if failures:
            raise failures.pop()
        await poster(digest)

    clock.set(MOMENT)
    assert await services.digests.run_due(clock(), flaky) == []  # logged, not raised
    async with database.read() as repos:
        key = (DIGEST, digest_target(1), "2026-W11")
        failed = (await repos.sends.status(*key), await repos.sends.detail(*key))
    assert failed == (SendStatus.FAILED, "RuntimeError: 503")
    clock.advance(timedelta(minutes=1))
    await services.digests.run_due(clock(), flaky)

    assert [d.slot.week for d in poster.posted] == ["2026-W11"]


async def test_post_now_posts_the_week_so_far_and_the_schedule_still_posts_the_week(
    services, clock
):
    # Logged through Friday 6 March; the organizer posts at 12:00 in Berlin (11:00 UTC).
    await community(services, clock, days=12)
    poster = Poster()
    clock.set(datetime(2026, 3, 6, 11, 0, tzinfo=UTC))

    early = await services.digests.post_now(
        guild_id=GUILD, challenge=None, now=clock(), post=poster
    )
    await log_days(services, clock, range(12, 14))  # Saturday 7 and Sunday 8 March
    clock.set(MOMENT)
    await services.digests.run_due(clock(), poster)

    assert [(d.slot.week, d.early) for d in poster.posted] == [
        ("2026-W11", True),
        ("2026-W11", False),
    ]
    full = poster.posted[1]
    # Both name the week of Monday 9 March's digest: Monday 2 to Sunday 8 March.
    for digest in (early, full):
        assert (digest.first_day, digest.last_day) == (date(2026, 3, 2), date(2026, 3, 8))
    assert (early.as_of, early.complete, early.so_far) == (
        date(2026, 3, 6),
        False,
        date(2026, 3, 6),
    )
    assert full.complete
    # Posts of the members shown (Maya is hidden), 2 to 6 March: Ada 5, Raj 3 (not 4-5 March),
    # Noor 2 (from 5 March). Through Sunday 8: Ada 7, Raj 5, Noor 4.
    assert early.posts == 5 + 3 + 2
    assert full.posts == 7 + 5 + 4
    # The activity chart stops at the day it was read: no empty days still to come.
    assert early.activity[-1][0] == date(2026, 3, 6)
    assert full.activity[-1][0] == date(2026, 3, 8)


async def test_post_now_twice_in_a_day_posts_once(services, clock):
    await community(services, clock, days=12)
    poster = Poster()
    clock.set(datetime(2026, 3, 6, 11, 0, tzinfo=UTC))
    await services.digests.post_now(guild_id=GUILD, challenge=None, now=clock(), post=poster)

    clock.advance(timedelta(seconds=1))
    with pytest.raises(ConflictError, match="already posted today; nothing was posted twice"):
        await services.digests.post_now(guild_id=GUILD, challenge=None, now=clock(), post=poster)
    # The next day (in the challenge's zone) it may be posted again.
    clock.set(datetime(2026, 3, 7, 11, 0, tzinfo=UTC))
    await services.digests.post_now(guild_id=GUILD, challenge=None, now=clock(), post=poster)

    assert [d.as_of for d in poster.posted] == [date(2026, 3, 6), date(2026, 3, 7)]


async def test_post_now_after_the_weeks_digest_looks_at_the_next_week(services, clock):
    await community(services, clock)
    poster = Poster()
    clock.set(MOMENT)
    await services.digests.run_due(clock(), poster)

    clock.set(MOMENT + timedelta(days=2))
    extra = await services.digests.post_now(
        guild_id=GUILD, challenge=None, now=clock(), post=poster
    )
    clock.set(MOMENT + timedelta(days=3))
    await services.entries.record(guild_id=GUILD, user_id=ADA, text="back at it", at=clock())
    clock.set(MOMENT + timedelta(days=7))
    await services.digests.run_due(clock(), poster)

    assert [(d.slot.week, d.early) for d in poster.posted] == [
        ("2026-W11", False),
        ("2026-W12", True),
        ("2026-W12", False),
    ]
    assert (extra.first_day, extra.last_day) == (date(2026, 3, 9), date(2026, 3, 15))


async def test_without_a_digest_channel_nothing_is_posted(services, clock):
    await community(services, clock, digest_channel_id=None)
    poster = Poster()

    clock.set(MOMENT)
    await services.digests.run_due(clock(), poster)
    with pytest.raises(InvalidInputError, match="digest channel"):
        await services.digests.post_now(guild_id=GUILD, challenge=None, now=clock(), post=poster)

    assert poster.posted == []


async def test_a_preview_posts_nothing_and_leaves_the_week_to_the_schedule(services, clock):
    await community(services, clock)
    poster = Poster()

    clock.set(MOMENT - timedelta(hours=1))
    preview = await services.digests.preview(guild_id=GUILD, challenge=None, now=clock())
    clock.set(MOMENT)
    await services.digests.run_due(clock(), poster)

    assert preview.slot.week == "2026-W11"
    assert [d.slot.week for d in poster.posted] == ["2026-W11"]


async def test_a_hidden_member_who_leaves_stays_out_of_the_digest(services, clock):
    # Maya hid, posted all week (#hidden and a private repository), then left on Sunday.
    await community(services, clock)
    await services.participants.leave(
        guild_id=GUILD, user_id=MAYA, challenge=None, now=datetime(2026, 3, 8, 20, tzinfo=UTC)
    )
    clock.set(MOMENT)

    (digest,) = await services.digests.run_due(clock(), Poster())

    assert "hidden" not in dict(digest.tags)
    assert all("github.com/maya" not in url for _, links in digest.links for url, _ in links)
    named = {s.user_id for s in (*digest.board, *digest.top_streaks, *digest.comebacks)}
    assert MAYA not in named
    # Nor do her posts count: a total that included them would tell the others she posted.
    # Ada 7, Raj 5, Noor 4; on 4 March only Ada logged.
    assert (digest.members, digest.active, digest.posts) == (3, 3, 16)
    assert dict(digest.activity)[date(2026, 3, 4)] == 1


async def test_a_member_who_leaves_is_in_no_number_hidden_or_not(services, clock):
    # Raj never hid, and left on Sunday: like `members`, the totals are of those taking part.
    await community(services, clock)
    await services.participants.leave(
        guild_id=GUILD, user_id=RAJ, challenge=None, now=datetime(2026, 3, 8, 20, tzinfo=UTC)
    )
    clock.set(MOMENT)

    (digest,) = await services.digests.run_due(clock(), Poster())

    # Ada and Noor: Ada's 7 posts and Noor's 4, all with #transformers.
    assert (digest.members, digest.active, digest.posts) == (2, 2, 11)
    assert dict(digest.tags) == {"transformers": 11}
    assert dict(digest.activity)[date(2026, 3, 2)] == 1  # Ada alone
    assert dict(digest.activity)[date(2026, 3, 8)] == 2  # Ada and Noor


async def test_a_hidden_member_changes_nothing_in_the_digest(services, clock):
    # Two servers, alike but for Maya: hidden in the first, where she posts every day but
    # Sunday (so her streak is at risk); absent from the second. Their digests are the same.
    other_guild = GUILD + 1
    sunday = date(2026, 3, 8)
    await community(services, clock, maya_rests=frozenset({sunday}))
    await community(services, clock, guild=other_guild, maya=False)
    clock.set(MOMENT)

    with_maya, without_maya = await services.digests.run_due(clock(), Poster())

    assert with_maya.challenge.guild_id == GUILD
    assert without_maya.challenge.guild_id == other_guild
    fields = [f.name for f in dataclasses.fields(Digest) if f.name != "challenge"]
    assert [getattr(with_maya, name) for name in fields] == [
        getattr(without_maya, name) for name in fields
    ]
    # Worked out by hand from the posts of Ada (7), Raj (5) and Noor (4).
    assert (with_maya.members, with_maya.active, with_maya.posts) == (3, 3, 16)
    assert with_maya.at_risk == 0


async def club(services: Services, clock: FixedClock, guild: int, timezone: str = "Europe/Berlin"):
    """A challenge created on Monday 2 March whose one member, Ada, logs on 3 March."""
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    challenge = await services.challenges.create(
        guild_id=guild,
        settings=ChallengeSettingsInput(
            name="ML Club",
            preset="x-days-of-ml-code",
            timezone="Europe/Berlin",
            digest_channel_id=DIGEST_CHANNEL + guild,
            digest_day="Monday",
            digest_time="09:00",
        ),
        now=clock(),
    )
    await services.participants.join(
        guild_id=guild, user_id=ADA, timezone="Europe/Berlin", now=clock()
    )
    clock.set(datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    await services.entries.record(guild_id=guild, user_id=ADA, text="a day of ML", at=clock())
    if timezone != challenge.timezone:
        # Stored long ago, or by hand: input never lets such a name in.
        async with services.digests._db.write() as repos:
            await repos.challenges.update(dataclasses.replace(challenge, timezone=timezone))
    return challenge


GUILDS = (GUILD, GUILD + 1, GUILD + 2)


async def test_a_failing_problem_read_holds_no_digest_back(services, clock, monkeypatch, caplog):
    clubs = [await club(services, clock, guild) for guild in GUILDS]
    problems = services.digests._problems

    async def broken() -> set[tuple[int, int]]:
        raise RuntimeError("database is locked")

    real_cleared = problems.cleared
    cleared: list[tuple[int, int]] = []

    async def clearing(challenge, channel_id: int) -> None:
        cleared.append((challenge.id, channel_id))
        await real_cleared(challenge, channel_id)

    monkeypatch.setattr(problems, "standing_channels", broken)
    monkeypatch.setattr(problems, "cleared", clearing)
    clock.set(MOMENT)

    posted = await services.digests.run_due(clock(), Poster())

    assert [d.challenge.id for d in posted] == [c.id for c in clubs]
    assert "reading the standing delivery problems failed" in caplog.text
    # Not knowing which channels had a problem, each posted digest clears its own.
    assert cleared == [(c.id, c.digest_channel_id) for c in clubs]


async def test_one_challenges_failing_write_holds_no_other_digest_back(
    services, clock, monkeypatch, caplog
):
    first, middle, last = [await club(services, clock, guild) for guild in GUILDS]
    problems = services.digests._problems
    real_cleared = problems.cleared

    async def standing() -> set[tuple[int, int]]:
        # Every digest channel has a standing problem, so each posted digest clears it.
        return {(c.id, c.digest_channel_id) for c in (first, middle, last)}

    async def cleared(challenge, channel_id: int) -> None:
        if challenge.id == middle.id:
            raise RuntimeError("disk I/O error")
        await real_cleared(challenge, channel_id)

    monkeypatch.setattr(problems, "standing_channels", standing)
    monkeypatch.setattr(problems, "cleared", cleared)
    poster = Poster()
    clock.set(MOMENT)

    await services.digests.run_due(clock(), poster)

    # The middle challenge's digest went out before its write failed; the last one still did.
    assert [d.challenge.id for d in poster.posted] == [first.id, middle.id, last.id]
    [failure] = [r for r in caplog.records if "the tick goes on" in r.getMessage()]
    assert f"challenge {middle.id} (guild {middle.guild_id})" in failure.getMessage()
    async with services.digests._db.read() as repos:
        statuses = [
            await repos.sends.status(DIGEST, digest_target(c.id), "2026-W11")
            for c in (first, middle, last)
        ]
    assert statuses == [SendStatus.SENT] * 3


@pytest.mark.parametrize("zone", ["localtime", "Factory", "right/Europe/Berlin", "Mars/Olympus"])
async def test_a_challenge_whose_zone_is_no_iana_zone_is_skipped_and_logged(
    services, clock, caplog, zone
):
    broken = await club(services, clock, GUILD, timezone=zone)
    healthy = await club(services, clock, GUILD + 1)
    poster = Poster()

    # 10:00 UTC: past 09:00 Berlin (the healthy digest's moment), and 09:00 on a host whose
    # own zone, 'localtime', is UTC or east of it.
    clock.set(MOMENT + timedelta(hours=2))
    await services.digests.run_due(clock(), poster)

    assert [d.challenge.id for d in poster.posted] == [healthy.id]
    assert f"digest of challenge {broken.id} (guild {GUILD}) skipped" in caplog.text
    assert repr(zone) in caplog.text
    async with services.digests._db.read() as repos:
        assert await repos.sends.status(DIGEST, digest_target(broken.id), "2026-W11") is None
    # An organizer asking for it by hand is told why, and nothing is posted.
    for ask in (services.digests.preview, partial(services.digests.post_now, post=poster)):
        with pytest.raises(InvalidInputError, match="time zone"):
            await ask(guild_id=GUILD, challenge=None, now=clock())
    assert len(poster.posted) == 1


async def test_the_boards_cells_are_the_weeks_days_from_its_first_day(services, clock):
    """The board draws each member's Monday to Sunday: Raj's misses on Wednesday 4 and Thursday
    5 March are in the third and fourth cells, Noor's days before she joined (on the Thursday)
    are no attempt, and the count each row shows is its counted cells."""
    await community(services, clock)
    clock.set(MOMENT)
    (digest,) = await services.digests.run_due(clock(), Poster())
    weeks = {row.user_id: week_marks(row) for row in digest.board}
    c, m, n = DayMark.COUNTED, DayMark.MISSED, DayMark.NONE

    assert digest.first_day == date(2026, 3, 2)  # a Monday: the cells read Mon to Sun
    assert weeks == {
        ADA: (c, c, c, c, c, c, c),
        RAJ: (c, c, m, m, c, c, c),
        NOOR: (n, n, n, c, c, c, c),
    }
    assert [(row.user_id, row.days) for row in digest.board] == [
        (user, week.count(c)) for user, week in weeks.items()
    ]


async def test_a_preview_mid_week_draws_the_days_to_come_as_open_not_as_no_attempt(services, clock):
    """On Wednesday 4 March at 11:00 UTC (noon in Berlin) the preview shows Mon 2 - Sun 8 March
    so far. Ada (Berlin) logged Monday to Wednesday, so Monday and Tuesday count and Wednesday
    too; Thursday to Sunday have not come yet: they are open days of a member taking part,
    never 'not taking part'."""
    await community(services, clock, days=10)  # 23 February to Wednesday 4 March
    clock.set(datetime(2026, 3, 4, 11, 0, tzinfo=UTC))

    preview = await services.digests.preview(guild_id=GUILD, challenge=None, now=clock())
    weeks = {row.user_id: week_marks(row) for row in preview.board}
    c, o = DayMark.COUNTED, DayMark.OPEN

    assert preview.first_day == date(2026, 3, 2)
    assert weeks[ADA] == (c, c, c, o, o, o, o)
    assert DayMark.NONE not in weeks[ADA]


async def test_a_challenge_created_just_after_its_digest_time_previews_next_week(services, clock):
    # Created on Monday 9 March at 10:00 UTC, an hour after the digest's moment that day
    # (09:00 in Berlin): that week's digest came before the challenge, so the schedule never
    # posts it, and neither /digest preview nor post-now may offer it.
    clock.set(MOMENT + timedelta(hours=2))
    await services.challenges.create(
        guild_id=GUILD,
        settings=ChallengeSettingsInput(
            name="ML Club",
            timezone="Europe/Berlin",
            digest_channel_id=DIGEST_CHANNEL,
            digest_day="Monday",
            digest_time="09:00",
        ),
        now=clock(),
    )
    clock.set(MOMENT + timedelta(hours=3))

    preview = await services.digests.preview(guild_id=GUILD, challenge=None, now=clock())
    posted = await services.digests.run_due(clock(), Poster())

    assert preview.slot.week == "2026-W12"  # Monday 16 March's, the first after the creation
    assert posted == []

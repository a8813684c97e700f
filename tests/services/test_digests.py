"""The weekly digest on real storage: when it is posted, once, and what it says."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.errors import InvalidInputError
from bot.services import Services
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


async def community(services: Services, clock: FixedClock, **settings) -> None:
    """Ada and Raj log from 23 February; Maya (hidden) logs too; Noor joins on 5 March."""
    clock.set(datetime(2026, 2, 23, 10, 0, tzinfo=UTC))
    await services.challenges.create(
        guild_id=GUILD,
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
    for user, zone in ((ADA, "Europe/Berlin"), (RAJ, "Asia/Kolkata"), (MAYA, "Europe/Berlin")):
        await services.participants.join(guild_id=GUILD, user_id=user, timezone=zone, now=clock())
    await services.participants.set_hidden(
        guild_id=GUILD, user_id=MAYA, challenge=None, hidden=True
    )
    # 23 February to 8 March: Ada every day; Raj every day but 4-5 March; Maya every day.
    for offset in range(14):
        clock.set(datetime(2026, 2, 23, 10, 0, tzinfo=UTC) + timedelta(days=offset))
        day = clock().date()
        await services.entries.record(
            guild_id=GUILD,
            user_id=ADA,
            text=f"Day of attention #transformers https://arxiv.org/abs/1706.0{offset:04d}",
            at=clock(),
        )
        if day not in (date(2026, 3, 4), date(2026, 3, 5)):
            await services.entries.record(
                guild_id=GUILD,
                user_id=RAJ,
                text="Kaggle practice #tabular https://www.kaggle.com/c/titanic",
                at=clock(),
            )
        await services.entries.record(
            guild_id=GUILD,
            user_id=MAYA,
            text="secret #hidden https://github.com/maya/x",
            at=clock(),
        )
        if day == date(2026, 3, 5):
            await services.participants.join(
                guild_id=GUILD, user_id=NOOR, timezone="Europe/Berlin", now=clock()
            )
        if day >= date(2026, 3, 5):
            await services.entries.record(
                guild_id=GUILD, user_id=NOOR, text="first steps #transformers", at=clock()
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
    assert digest.members == 4
    # Ada 7 days, Raj 5 (he missed the 4th and 5th), Maya 7 (hidden), Noor 4.
    assert digest.active == 4
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
    # Posts in the week: Ada 7, Raj 5, Maya 7, Noor 4.
    assert digest.posts == 23
    # From the day the challenge was created (23 February) to the week's last day.
    assert len(digest.activity) == 14
    assert digest.activity[0] == (date(2026, 2, 23), 3)
    assert digest.activity[-1] == (date(2026, 3, 8), 4)
    # On 4 March only Ada and Maya logged (Raj missed it; Noor had not joined).
    assert dict(digest.activity)[date(2026, 3, 4)] == 2


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


async def test_post_now_takes_the_weeks_place_so_the_scheduled_one_is_not_doubled(services, clock):
    await community(services, clock)
    poster = Poster()

    clock.set(MOMENT - timedelta(hours=10))  # Sunday night
    early = await services.digests.post_now(
        guild_id=GUILD, challenge=None, now=clock(), post=poster
    )
    clock.set(MOMENT)
    await services.digests.run_due(clock(), poster)

    assert [d.slot.week for d in poster.posted] == ["2026-W11"]
    # Posted early, it reports on the seven days before the day it was posted.
    assert (early.first_day, early.last_day) == (date(2026, 3, 1), date(2026, 3, 7))


async def test_post_now_after_the_weeks_digest_stands_in_for_the_next_one(services, clock):
    await community(services, clock)
    poster = Poster()
    clock.set(MOMENT)
    await services.digests.run_due(clock(), poster)

    clock.set(MOMENT + timedelta(days=2))
    extra = await services.digests.post_now(
        guild_id=GUILD, challenge=None, now=clock(), post=poster
    )
    clock.set(MOMENT + timedelta(days=7))
    await services.digests.run_due(clock(), poster)

    assert [d.slot.week for d in poster.posted] == ["2026-W11", "2026-W12"]
    assert extra.slot.week == "2026-W12"


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
    # Her posts still count in the totals, which name nobody: Ada 7, Raj 5, Maya 7, Noor 4.
    assert digest.posts == 23


async def test_a_member_who_leaves_unhidden_is_not_made_private(services, clock):
    # Raj never hid: his week's tags stay in the digest after he leaves.
    await community(services, clock)
    await services.participants.leave(
        guild_id=GUILD, user_id=RAJ, challenge=None, now=datetime(2026, 3, 8, 20, tzinfo=UTC)
    )
    clock.set(MOMENT)

    (digest,) = await services.digests.run_due(clock(), Poster())

    assert dict(digest.tags) == {"transformers": 11, "tabular": 5}

"""The digest preview is the digest that will be posted, and post-now never takes its place.

Issue 12, item 3. The challenge's digest is due on Mondays at 09:00 UTC, covering Monday to
Sunday before it: Monday 23 March's covers Monday 16 to Sunday 22 March. Ada logs every morning
of that week (08:00); Raj logs only on Friday 20, Saturday 21 and Sunday 22, in the evening
(20:00). On Friday 20 March at noon an organizer previews the digest and posts the week so far.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import simcord

from bot.errors import ConflictError
from tests.cogs.conftest import World
from tests.cogs.test_digest_cog import embed_text, posts_to, tick

MONDAY = datetime(2026, 3, 16, tzinfo=UTC)
FRIDAY_NOON = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # the Monday after
TITLE = "📅 ML Club · Mon 16 \u2013 Sun 22 Mar"


async def a_challenge(world: World) -> simcord.ChannelHandle:
    """The challenge, with its digest channel, joined by Ada and Raj on Monday 2 March."""
    channel = world.guild.create_text_channel("digest")
    await world.challenge(digest_day="Monday", digest_time="09:00", digest_channel_id=channel.id)
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    return channel


async def log_until(world: World, until: datetime) -> None:
    """Log the week's posts still to come before `until`, then move the clock to `until`."""
    for offset in range(7):
        day = MONDAY + timedelta(days=offset)
        for member, hour, first in ((world.ada, 8, 0), (world.raj, 20, 4)):
            moment = day + timedelta(hours=hour)
            if offset >= first and world.env.now() < moment < until:
                await world.at(moment)
                await member.slash(world.general, "log", text="an hour of ML", minutes=60)
    await world.at(until)


def rendered(embeds: list[discord.Embed]) -> list[dict]:
    return [embed.to_dict() for embed in embeds]


async def test_the_preview_on_friday_shows_mondays_digest_week_so_far(world: World) -> None:
    digest = await a_challenge(world)
    await log_until(world, FRIDAY_NOON)

    shown = await world.grace.slash(world.general, "digest preview")

    assert shown.ephemeral
    due = int(DUE.timestamp())
    # The digest due next is Monday 23 March's, on Monday 16 to Sunday 22: the preview says so,
    # and that it holds Monday to Friday so far.
    assert shown.response.content == (
        f"Preview: this digest is posted <t:{due}:f> (<t:{due}:R>) in {digest.mention}. "
        "The week isn't over: this shows Mon 16 \u2013 Fri 20 Mar so far."
    )
    main = shown.response.embeds[0]
    assert main.title == TITLE
    # Ada logged Monday to Friday (5 posts); Raj logs Friday evening, after the preview.
    assert main.description.startswith(
        "**1** of 2 members taking part had a day count this week; 5 posts in all."
    )
    assert digest.history() == []


async def test_the_preview_is_the_digest_then_posted(world: World) -> None:
    # Sunday 22 March, 21:00: every post of the week is in; nothing changes until Monday 09:00.
    digest = await a_challenge(world)
    await log_until(world, datetime(2026, 3, 22, 21, 0, tzinfo=UTC))
    shown = await world.grace.slash(world.general, "digest preview")
    preview = shown.response

    await world.at(DUE)
    assert len(await tick(world)) == 1

    [posted] = digest.history()
    assert rendered(preview.embeds) == rendered(posted.embeds)
    assert preview.embeds[0].title == TITLE
    # Ada 7 posts, Raj 3 (Friday to Sunday).
    assert posted.embeds[0].description.startswith(
        "**2** of 2 members taking part had a day count this week; 10 posts in all."
    )
    for ours, theirs in zip(
        sorted(preview.attachments, key=lambda a: a.filename),
        sorted(posted.attachments, key=lambda a: a.filename),
        strict=True,
    ):
        assert ours.filename == theirs.filename
        assert await ours.read() == await theirs.read()


async def test_post_now_on_friday_leaves_mondays_digest_the_whole_week(world: World) -> None:
    digest = await a_challenge(world)
    await log_until(world, FRIDAY_NOON)

    done = await world.grace.slash(world.general, "digest post-now")

    due = int(DUE.timestamp())
    assert done.ephemeral
    assert done.response.content == (
        f"✅ Posted the week so far in {digest.mention}. The digest is still posted at its "
        f"time, <t:{due}:f> (<t:{due}:R>)."
    )
    [early] = digest.history()
    # The public message says it is a mid-week look, and when the full week follows.
    assert early.content == (
        "👀 **The week so far** (Mon 16 \u2013 Fri 20 Mar): a mid-week look, posted early by an "
        f"organizer. The digest of the full week is posted <t:{due}:f> (<t:{due}:R>)."
    )
    assert early.embeds[0].title == TITLE
    assert early.embeds[0].description.startswith(
        "**1** of 2 members taking part had a day count this week; 5 posts in all."
    )

    # Friday evening to Sunday: Raj's three posts and Ada's weekend.
    await log_until(world, DUE)
    posted = await tick(world)

    assert len(posted) == 1
    early_again, full = digest.history()  # oldest first
    assert early_again.id == early.id
    assert not full.content
    assert full.embeds[0].title == TITLE
    # All seven days are in it: Ada 7 posts, Raj 3 (Friday, Saturday and Sunday).
    assert full.embeds[0].description.startswith(
        "**2** of 2 members taking part had a day count this week; 10 posts in all."
    )
    assert "raj" in embed_text(full.embeds)
    # Once a week: a later tick posts nothing more.
    await world.later(minutes=5)
    assert await tick(world) == []
    assert len(digest.history()) == 2


async def test_post_now_sent_twice_posts_once(world: World) -> None:
    digest = await a_challenge(world)
    await log_until(world, FRIDAY_NOON)
    start = len(world.env.http_requests)

    await world.grace.slash(world.general, "digest post-now")
    again = await world.grace.slash(world.general, "digest post-now")

    assert again.ephemeral
    assert again.response.content == (
        "ML Club's week so far was already posted today; nothing was posted twice. The full "
        "week is posted at the digest's time."
    )
    simcord.assert_error(world.env, ConflictError)
    assert len(digest.history()) == 1
    assert len(posts_to(world, digest.id, start)) == 1


async def test_a_preview_after_its_time_says_it_was_due_not_that_it_is_posted_in_the_past(
    world: World,
) -> None:
    # Monday 23 March, 09:30: the digest was due at 09:00 and no tick has posted it yet (the
    # bot was down, say). It goes out at the next tick; the preview must not say "is posted
    # 30 minutes ago".
    digest = await a_challenge(world)
    await log_until(world, DUE + timedelta(minutes=30))

    shown = await world.grace.slash(world.general, "digest preview")

    due = int(DUE.timestamp())
    assert shown.response.content == (
        f"Preview: this digest was due <t:{due}:R> and goes out in {digest.mention} at the "
        "bot's next minute."
    )
    assert shown.response.embeds[0].title == TITLE
    assert len(await tick(world)) == 1
    assert [message.embeds[0].title for message in digest.history()] == [TITLE]


async def test_the_headline_counts_no_member_whose_posts_did_not_count_as_logging_them(
    world: World,
) -> None:
    # Ada logs an hour Monday to Friday morning; Raj posts once, on Wednesday, 20 minutes of
    # the 60 a day needs: his post is one of the week's, but no day of his counts. The headline
    # must not say one member logged all six posts.
    digest = await a_challenge(world)
    await log_until(world, MONDAY + timedelta(days=2, hours=12))
    await world.raj.slash(world.general, "log", text="a little reading", minutes=20)
    await log_until(world, FRIDAY_NOON)

    shown = await world.grace.slash(world.general, "digest preview")

    assert shown.response.embeds[0].description.startswith(
        "**1** of 2 members taking part had a day count this week; 6 posts in all."
    )
    assert digest.history() == []

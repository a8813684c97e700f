"""The weekly digest through Discord: posted by the tick (once, caught up within a day, else
skipped), previewed and posted by hand by organizers, and naming no hidden member."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest
import simcord

from bot.errors import DaybookError, NotAllowedError
from tests.cogs.conftest import GUILD_ID, World

PNG = b"\x89PNG\r\n\x1a\n"
# START is Monday 2 March. The digest is due on Sundays at 18:30 UTC: Sunday 15 March's covers
# Sunday 8 to Saturday 14 March.
DIGEST_MOMENT = datetime(2026, 3, 15, 18, 30, tzinfo=UTC)
NEXT_MOMENT = DIGEST_MOMENT + timedelta(days=7)
WEEK_TITLE = "📅 ML Club · Sun 8 \u2013 Sat 14 Mar"
FIRST_DAY = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LAST_DAY = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
ADA_FROM = FIRST_DAY  # Ada logs every day, Monday 2 to Saturday 14 March: 13 days
RAJ_FROM = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)  # Raj logs Wednesday 11 to Saturday 14
ADA_IN_WEEK, RAJ_IN_WEEK = 7, 4


async def digest_world(world: World, *, channel: bool = True):
    """A challenge with a digest channel, and two weeks of Ada's and Raj's posts."""
    digest = world.guild.create_text_channel("digest") if channel else None
    settings = {"digest_day": "Sunday", "digest_time": "18:30"}
    if digest is not None:
        settings["digest_channel_id"] = digest.id
    challenge = await world.challenge(**settings)
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    day = FIRST_DAY
    while day <= LAST_DAY:
        await world.at(day)
        for member, since in ((world.ada, ADA_FROM), (world.raj, RAJ_FROM)):
            if day >= since:
                await member.slash(world.general, "log", text="an hour of ML #nlp", minutes=60)
        day += timedelta(days=1)
    return challenge, digest


def posts_to(world: World, channel_id: int, since: int = 0) -> list:
    return [
        request
        for request in world.env.http_requests[since:]
        if request.method == "POST" and request.path == f"/channels/{channel_id}/messages"
    ]


def embed_text(embeds: list[discord.Embed]) -> str:
    parts: list[str] = []
    for embed in embeds:
        parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
        for field in embed.fields:
            parts += [field.name or "", field.value or ""]
    return "\n".join(parts)


def assert_within_limits(embeds: list[discord.Embed]) -> None:
    assert 1 <= len(embeds) <= 10
    assert sum(len(embed) for embed in embeds) <= 6000
    for embed in embeds:
        assert len(embed.title or "") <= 256
        assert len(embed.description or "") <= 4096
        assert len(embed.footer.text or "") <= 2048
        assert len(embed.fields) <= 25
        for field in embed.fields:
            assert 1 <= len(field.name) <= 256
            assert 1 <= len(field.value) <= 1024


async def assert_two_charts(attachments: list[discord.Attachment]) -> None:
    assert sorted(a.filename for a in attachments) == ["digest-activity.png", "digest-board.png"]
    for attachment in attachments:
        assert (await attachment.read()).startswith(PNG)


def field_lines(embed: discord.Embed, name: str) -> list[str]:
    return next(field.value for field in embed.fields if field.name == name).splitlines()


async def tick(world: World) -> list:
    posted = await world.bot.tick_digests()
    await world.env.settle()
    return posted


# --- the scheduled digest ----------------------------------------------------------------


async def test_the_digest_and_the_leaderboard_rank_a_tie_alike(world: World) -> None:
    digest = world.guild.create_text_channel("digest")
    await world.challenge(digest_day="Sunday", digest_time="18:30", digest_channel_id=digest.id)
    for member in (world.ada, world.raj, world.grace):
        await member.slash(world.general, "join", timezone="UTC")
    day = FIRST_DAY
    while day <= LAST_DAY:
        await world.at(day)
        await world.ada.slash(world.general, "log", text="an hour", minutes=60)
        if day >= RAJ_FROM:  # Raj and Grace both log Wednesday 11 to Saturday 14
            for member in (world.raj, world.grace):
                await member.slash(world.general, "log", text="an hour", minutes=60)
        day += timedelta(days=1)
    await world.at(DIGEST_MOMENT)
    await tick(world)

    [message] = digest.history()
    main = message.embeds[0]
    # Ada: 2 to 14 March, 13 days in a row. Raj and Grace: 11 to 14 March, 4 days each, so
    # they share 2nd (1, 2, 2), not 2nd and 3rd.
    streaks = field_lines(main, "🔥 Top streaks")
    assert streaks[0] == "**1.** ada — 13 days"
    assert sorted(streaks[1:]) == ["**2.** grace — 4 days", "**2.** raj — 4 days"]
    # In the week (8 to 14 March): Ada 7 posts, Raj 4, Grace 4: 15, by all 3 taking part.
    assert main.description.startswith(
        "**3** of 3 members taking part had a day count this week; 15 posts"
    )
    # The leaderboard, asked at the same moment (Sunday not yet logged, so still open), ranks
    # the same three the same way.
    board = await world.ada.slash(world.general, "leaderboard")
    lines = board.followups[-1].embeds[0].description.splitlines()
    assert lines[0] == "**1.** ada — 13 days"
    assert sorted(lines[1:]) == ["**2.** grace — 4 days", "**2.** raj — 4 days"]


async def test_the_digest_is_posted_once_at_its_moment(world: World) -> None:
    _, digest = await digest_world(world)
    await world.at(DIGEST_MOMENT - timedelta(minutes=1))
    assert await tick(world) == []
    assert digest.history() == []

    await world.at(DIGEST_MOMENT)
    start = len(world.env.http_requests)
    posted = await tick(world)

    assert len(posted) == 1
    [message] = digest.history()
    [request] = posts_to(world, digest.id, start)
    assert request.json["allowed_mentions"] == {"parse": []}
    assert "<@" not in (message.content or "")
    embeds = message.embeds
    assert_within_limits(embeds)
    assert "<@" not in embed_text(embeds)
    await assert_two_charts(message.attachments)
    main = embeds[0]
    assert main.title == WEEK_TITLE
    posts = ADA_IN_WEEK + RAJ_IN_WEEK
    assert main.description.startswith(
        f"**2** of 2 members taking part had a day count this week; {posts} posts in all."
    )
    assert field_lines(main, "🔥 Top streaks") == ["**1.** ada — 13 days", "**2.** raj — 4 days"]
    assert main.image.url == "attachment://digest-board.png"
    assert embeds[1].image.url == "attachment://digest-activity.png"

    await world.later(minutes=1)
    assert await tick(world) == []
    await world.later(hours=5)
    assert await tick(world) == []
    assert len(digest.history()) == 1
    assert len(posts_to(world, digest.id, start)) == 1


async def test_a_digest_missed_by_23_hours_is_still_posted_once(world: World) -> None:
    _, digest = await digest_world(world)
    await world.at(DIGEST_MOMENT + timedelta(hours=23))  # Monday 17:30: the next ISO week

    posted = await tick(world)

    assert len(posted) == 1
    [message] = digest.history()
    assert message.embeds[0].title == WEEK_TITLE
    await world.later(minutes=1)
    assert await tick(world) == []
    assert len(digest.history()) == 1


async def test_a_digest_missed_by_25_hours_is_skipped(world: World) -> None:
    _, digest = await digest_world(world)
    await world.at(DIGEST_MOMENT + timedelta(hours=25))

    assert await tick(world) == []
    await world.later(minutes=1)
    assert await tick(world) == []
    assert digest.history() == []
    assert posts_to(world, digest.id) == []


# --- /digest preview and post-now --------------------------------------------------------


async def test_preview_is_private_and_posts_nothing(world: World) -> None:
    _, digest = await digest_world(world)
    await world.at(DIGEST_MOMENT - timedelta(hours=8))

    shown = await world.grace.slash(world.general, "digest preview")

    assert shown.ephemeral
    moment = int(DIGEST_MOMENT.timestamp())
    # Sunday morning: the week it covers (Sunday 8 to Saturday 14) is over, so no "so far".
    assert shown.response.content == (
        f"Preview: this digest is posted <t:{moment}:f> (<t:{moment}:R>) in {digest.mention}."
    )
    embeds = shown.response.embeds
    assert_within_limits(embeds)
    assert embeds[0].title == WEEK_TITLE
    await assert_two_charts(shown.response.attachments)
    assert digest.history() == []
    assert world.general.history() == []
    assert posts_to(world, digest.id) == []
    # The preview took nothing from the scheduled digest.
    await world.at(DIGEST_MOMENT)
    assert len(await tick(world)) == 1


async def test_only_organizers_can_preview_or_post_now(world: World) -> None:
    _, digest = await digest_world(world)
    for command in ("digest preview", "digest post-now"):
        assert command in world.grace.available_commands(world.general)
        assert command not in world.ada.available_commands(world.general)
        with pytest.raises(simcord.SetupError, match="default-member-permissions"):
            await world.ada.slash(world.general, command)
    # Granted the commands by a server admin, a member is still refused in code.
    synced = await world.bot.tree.fetch_commands(guild=discord.Object(GUILD_ID))
    for command in synced:
        if command.name == "digest":
            world.guild.set_command_permissions(command, {world.ada: True})
    assert "digest preview" in world.ada.available_commands(world.general)
    for command in ("digest preview", "digest post-now"):
        refused = await world.ada.slash(world.general, command)
        assert refused.ephemeral
        assert refused.response.content == (
            "Only organizers (members who can manage this server) can do that."
        )
        assert not refused.response.attachments
    simcord.assert_error(world.env, NotAllowedError)
    assert digest.history() == []


async def test_post_now_without_a_digest_channel_is_refused(world: World) -> None:
    await digest_world(world, channel=False)

    refused = await world.grace.slash(world.general, "digest post-now")

    assert refused.ephemeral
    assert refused.response.content == (
        "ML Club has no digest channel yet: set one with /challenge edit."
    )
    simcord.assert_error(world.env, DaybookError)
    assert [m for c in (world.general, world.progress) for m in c.history()] == []


# --- hidden members ----------------------------------------------------------------------


async def test_hidden_members_are_not_named(world: World) -> None:
    _, digest = await digest_world(world)
    await world.raj.slash(world.general, "settings", visible=False)
    await world.at(DIGEST_MOMENT)
    start = len(world.env.http_requests)

    assert len(await tick(world)) == 1

    [message] = digest.history()
    text = embed_text(message.embeds)
    assert "ada" in text
    assert "raj" not in text
    assert field_lines(message.embeds[0], "🔥 Top streaks") == ["**1.** ada — 13 days"]
    # Nobody looked up Raj's name either (it would only be wanted to show it).
    looked_up = [
        request.path
        for request in world.env.http_requests[start:]
        if request.method == "GET" and "/members/" in request.path
    ]
    assert not any(path.endswith(f"/members/{world.raj.id}") for path in looked_up)


async def test_a_hidden_member_who_left_is_in_no_number(world: World, monkeypatch) -> None:
    # Ada hides and leaves: Raj, the one member left, must not read her posts in the totals
    # ("1 of 1 member logged 11 posts" would tell him she posted 7 times).
    _, digest = await digest_world(world)
    await world.ada.slash(world.general, "settings", visible=False)
    await world.ada.slash(world.general, "leave")
    charts = world.bot.services.charts
    drawn = []
    draw_digest = charts.draw_digest

    async def drawing(digest, names):
        drawn.append(digest)
        return await draw_digest(digest, names)

    monkeypatch.setattr(charts, "draw_digest", drawing)
    await world.at(DIGEST_MOMENT - timedelta(hours=8))

    await world.grace.slash(world.general, "digest post-now")

    [message] = digest.history()
    main = message.embeds[0]
    assert main.description.startswith(
        f"**1** of 1 member taking part had a day count this week; {RAJ_IN_WEEK} posts in all."
    )
    assert "ada" not in embed_text(message.embeds)
    # The chart of members logging each day: Raj alone, Wednesday 11 to Saturday 14 March.
    [shown] = drawn
    assert {day.day: n for day, n in shown.activity if n} == {11: 1, 12: 1, 13: 1, 14: 1}

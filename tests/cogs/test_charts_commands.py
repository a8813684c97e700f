"""Pictures through Discord: /progress and /leaderboard defer, attach a PNG, and rank fairly."""

from __future__ import annotations

import simcord

from bot.errors import DaybookError
from tests.cogs.conftest import World

PNG = b"\x89PNG\r\n\x1a\n"


async def log_days(world: World, members, days: int) -> None:
    """Have each member log `days` consecutive days, starting today; end on the last one."""
    for day in range(days):
        if day:
            await world.later(days=1)
        for member in members:
            await member.slash(world.general, "log", text="studied", minutes=60)


def callbacks_since(world: World, start: int) -> list[dict]:
    return [
        request.json
        for request in world.env.http_requests[start:]
        if request.path.endswith("/callback")
    ]


async def ask(world: World, actor, command: str, /, **options):
    """Run a command; return its result and the interaction callbacks it sent."""
    start = len(world.env.http_requests)
    result = await actor.slash(world.general, command, **options)
    return result, callbacks_since(world, start)


def board_lines(result) -> list[str]:
    return result.response.embeds[0].description.splitlines()


async def test_progress_defers_privately_then_sends_a_heatmap(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.ada], 3)

    result, callbacks = await ask(world, world.ada, "progress")

    assert [callback["type"] for callback in callbacks] == [5]
    assert callbacks[0]["data"]["flags"] & 64  # the defer itself is ephemeral
    assert result.ephemeral
    attachment = result.response.attachments[0]
    assert attachment.filename == "progress.png"
    picture = await attachment.read()
    assert picture.startswith(PNG)
    assert len(picture) > 10_000
    embed = result.response.embeds[0]
    assert embed.image.url == "attachment://progress.png"
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Day"] == "3 of 100"
    assert fields["Current streak"] == "3 days"
    assert fields["Best streak"] == "3 days"


async def test_progress_of_another_member_shows_theirs(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.raj], 2)

    result, _ = await ask(world, world.ada, "progress", member=world.raj)

    embed = result.response.embeds[0]
    assert embed.title.startswith("raj · ML Club")
    assert {field.name: field.value for field in embed.fields}["Day"] == "2 of 100"
    assert (await result.response.attachments[0].read()).startswith(PNG)


async def test_progress_of_a_hidden_member_is_refused_privately(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    await world.raj.slash(world.general, "settings", visible=False)

    result, callbacks = await ask(world, world.ada, "progress", member=world.raj)

    assert [callback["type"] for callback in callbacks] == [5]
    assert result.ephemeral
    assert result.response.content == "There is no progress to show for that member."
    assert not result.response.attachments
    # Asking about someone who never joined reads the same: hiding reveals nothing.
    stranger, _ = await ask(world, world.ada, "progress", member=world.grace)
    assert stranger.response.content == result.response.content
    assert not stranger.response.attachments
    simcord.assert_error(world.env, DaybookError)


async def test_leaderboard_is_public_with_the_top_and_your_own_rank(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj, world.grace):
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.ada], 2)  # Monday and Tuesday
    await world.raj.slash(world.general, "log", text="late start", minutes=60)  # Tuesday
    await world.later(days=1)
    await log_days(world, [world.ada, world.raj], 1)  # Wednesday

    result, callbacks = await ask(world, world.raj, "leaderboard")

    assert [callback["type"] for callback in callbacks] == [5]
    assert not callbacks[0].get("data", {}).get("flags", 0) & 64
    assert not result.ephemeral
    assert board_lines(result) == [
        "**1.** ada — 3 days",
        "**2.** raj — 2 days",
        "**3.** grace — 0 days",
        "",
        "Your rank: 2 of 3 (2 days)",
    ]
    embed = result.response.embeds[0]
    assert embed.title == "ML Club · Current streak"
    assert embed.image.url == "attachment://leaderboard.png"
    attachment = result.response.attachments[0]
    assert attachment.filename == "leaderboard.png"
    assert (await attachment.read()).startswith(PNG)
    assert [m.id for m in world.general.history()] == [result.response.id]


async def test_ties_share_a_rank_in_a_stable_order(world: World) -> None:
    await world.challenge()
    for member in (world.raj, world.ada):
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.raj, world.ada], 2)

    first, _ = await ask(world, world.raj, "leaderboard")
    again, _ = await ask(world, world.ada, "leaderboard")

    # Equal on every key: the same rank, and the earlier Discord account first, every time.
    assert board_lines(first)[:2] == ["**1.** ada — 2 days", "**1.** raj — 2 days"]
    assert board_lines(again)[:2] == board_lines(first)[:2]
    assert board_lines(again)[-1] == "Your rank: 1 of 2 (2 days)"


async def test_a_hidden_member_is_left_off_the_board(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.ada, world.raj], 2)
    await world.raj.slash(world.general, "settings", visible=False)

    hidden, _ = await ask(world, world.raj, "leaderboard")
    shown, _ = await ask(world, world.ada, "leaderboard")

    assert board_lines(hidden) == [
        "**1.** ada — 2 days",
        "",
        "You are not on this board (hidden or not joined).",
    ]
    assert "raj" not in shown.response.embeds[0].description
    assert board_lines(shown)[-1] == "Your rank: 1 of 1 (2 days)"


async def test_consistency_board_shows_percentages(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj, world.grace):
        await member.slash(world.general, "join", timezone="UTC")
    for day in range(4):  # Monday to Thursday
        if day:
            await world.later(days=1)
        await world.ada.slash(world.general, "log", text="studied", minutes=60)
        if day in (0, 2):
            await world.raj.slash(world.general, "log", text="studied", minutes=60)

    result, _ = await ask(world, world.grace, "leaderboard", metric="consistency")

    # Ada: 4 of 4 days. Raj: 2 of 3 (Thursday is still open, so it is left out). Grace: none.
    assert board_lines(result) == [
        "**1.** ada — 100%",
        "**2.** raj — 67%",
        "**3.** grace — 0%",
        "",
        "Your rank: 3 of 3 (0%)",
    ]
    assert result.response.embeds[0].title == "ML Club · Consistency, last 30 days"


async def test_days_board_counts_the_period_asked_for(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.ada], 7)  # Monday 2 to Sunday 8 March
    await world.later(days=1)  # Monday 9: a new week
    await log_days(world, [world.ada, world.raj], 1)

    week, _ = await ask(world, world.ada, "leaderboard", metric="days", period="week")
    ever, _ = await ask(world, world.ada, "leaderboard", metric="days", period="all")

    # One day each this week; Ada's longer streak breaks the tie.
    assert board_lines(week)[:2] == ["**1.** ada — 1 day", "**2.** raj — 1 day"]
    assert week.response.embeds[0].title == "ML Club · Days logged this week"
    assert board_lines(ever)[:2] == ["**1.** ada — 8 days", "**2.** raj — 1 day"]


async def test_board_names_come_from_the_server_escaped_and_ping_nobody(world: World) -> None:
    await world.challenge()
    lin = world.guild.add_member(world.env.create_user("lin"), nick="Lin_the*Great")
    await world.env.settle()
    await lin.slash(world.general, "join", timezone="UTC")
    await log_days(world, [lin], 1)

    start = len(world.env.http_requests)
    result = await world.ada.slash(world.general, "leaderboard")

    assert board_lines(result)[0] == r"**1.** Lin\_the\*Great — 1 day"
    assert board_lines(result)[-1] == "You are not on this board (hidden or not joined)."
    sent = [r for r in world.env.http_requests[start:] if r.path.startswith("/webhooks/")]
    assert sent
    for request in sent:
        assert (request.json or {}).get("allowed_mentions", {"parse": []}) == {"parse": []}


async def test_leaderboard_of_a_server_without_challenge_says_so(world: World) -> None:
    result = await world.ada.slash(world.general, "leaderboard")

    assert "no challenge running" in result.response.content
    simcord.assert_error(world.env, DaybookError)

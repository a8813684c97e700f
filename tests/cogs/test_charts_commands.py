"""Pictures through Discord: /progress and /leaderboard defer, attach a PNG, and rank fairly."""

from __future__ import annotations

import simcord

from bot.errors import DaybookError
from bot.tree import APOLOGY
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


def board(result):
    """Return the public board: the one followup after the caller's private rank."""
    [followup] = result.followups
    assert not followup.ephemeral
    return followup


def board_lines(result) -> list[str]:
    return board(result).embeds[0].description.splitlines()


def own_line(result) -> str:
    """Return the caller's own-rank line: the private answer to the private defer."""
    assert result.ephemeral
    assert not result.response.embeds
    assert not result.response.attachments
    return result.response.content


def says_nothing_of(result, *words: str) -> None:
    """Assert the public board's text names none of `words` about the caller."""
    public = board(result).embeds[0].description
    for word in ("Your rank", "You are not on this board", *words):
        assert word not in public


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


async def test_leaderboard_is_public_and_your_own_rank_is_yours_alone(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj, world.grace):
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.ada], 2)  # Monday and Tuesday
    await world.raj.slash(world.general, "log", text="late start", minutes=60)  # Tuesday
    await world.later(days=1)
    await log_days(world, [world.ada, world.raj], 1)  # Wednesday

    result, callbacks = await ask(world, world.raj, "leaderboard")

    # The defer is private (an error while drawing stays the caller's); the board that
    # follows is public.
    assert [callback["type"] for callback in callbacks] == [5]
    assert callbacks[0]["data"]["flags"] & 64
    assert board_lines(result) == [
        "**1.** ada — 3 days",
        "**2.** raj — 2 days",
        "**3.** grace — 0 days",
    ]
    says_nothing_of(result)
    assert own_line(result) == "Your rank: 2 of 3 (2 days)"
    embed = board(result).embeds[0]
    assert embed.title == "ML Club · Current streak"
    assert embed.image.url == "attachment://leaderboard.png"
    attachment = board(result).attachments[0]
    assert attachment.filename == "leaderboard.png"
    assert (await attachment.read()).startswith(PNG)
    # The channel holds the board and nothing of the caller's own.
    bot_messages = [m for m in world.general.history() if m.author.bot]
    assert [m.id for m in bot_messages] == [board(result).id]


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
    assert own_line(again) == "Your rank: 1 of 2 (2 days)"


async def test_a_hidden_member_is_left_off_the_board(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.ada, world.raj], 2)
    await world.raj.slash(world.general, "settings", visible=False)

    hidden, _ = await ask(world, world.raj, "leaderboard")
    shown, _ = await ask(world, world.ada, "leaderboard")

    # Raj's hidden state is told to Raj alone; the public board is the same for both callers.
    assert board_lines(hidden) == ["**1.** ada — 2 days"]
    says_nothing_of(hidden, "hidden")
    assert own_line(hidden) == "You are not on this board (hidden or not joined)."
    assert "raj" not in board(shown).embeds[0].description
    assert board_lines(shown) == board_lines(hidden)
    # The picture too: no row is marked as the caller's, so both callers get the same chart.
    assert await board(shown).attachments[0].read() == await board(hidden).attachments[0].read()
    assert own_line(shown) == "Your rank: 1 of 1 (2 days)"


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
    ]
    assert own_line(result) == "Your rank: 3 of 3 (0%)"
    assert board(result).embeds[0].title == "ML Club · Consistency, last 30 days"


async def test_days_board_counts_the_period_asked_for(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, [world.ada], 7)  # Monday 2 to Sunday 8 March
    await world.later(days=1)  # Monday 9: a new week
    await log_days(world, [world.ada, world.raj], 1)

    week, _ = await ask(world, world.ada, "leaderboard", metric="days", period="week")
    ever, _ = await ask(world, world.ada, "leaderboard", metric="days", period="all")

    # One day each this week: both show "1 day", so both are 1st (the one tie rule, 1, 1, 3);
    # Ada's longer streak (8 days to Raj's 1) orders her first within the rank.
    assert board_lines(week)[:2] == ["**1.** ada — 1 day", "**1.** raj — 1 day"]
    assert board(week).embeds[0].title == "ML Club · Days logged this week"
    assert board_lines(ever)[:2] == ["**1.** ada — 8 days", "**2.** raj — 1 day"]


async def test_a_member_tied_with_the_tenth_but_left_off_is_told_why(world: World) -> None:
    await world.challenge()
    members = [world.guild.add_member(world.env.create_user(f"m{n:02d}")) for n in range(11)]
    await world.env.settle()
    for member in members:
        await member.slash(world.general, "join", timezone="UTC")
    await log_days(world, members, 1)

    last, _ = await ask(world, members[-1], "leaderboard")
    shown, _ = await ask(world, members[0], "leaderboard")

    # Eleven members with one day each all share 1st; the board names ten (the earlier
    # accounts first), so the eleventh reads "rank 1" and does not find their name. Their own
    # line says why, to them alone; a member on the board reads the plain line.
    assert len(board_lines(last)) == 10
    assert "m10" not in board(last).embeds[0].description
    assert own_line(last) == (
        "Your rank: 1 of 11 (1 day). More members share it than the board has room for: "
        "it names the first 10, and you are not among them."
    )
    says_nothing_of(last)
    assert own_line(shown) == "Your rank: 1 of 11 (1 day)"


async def test_board_names_come_from_the_server_escaped_and_ping_nobody(world: World) -> None:
    await world.challenge()
    lin = world.guild.add_member(world.env.create_user("lin"), nick="Lin_the*Great")
    await world.env.settle()
    await lin.slash(world.general, "join", timezone="UTC")
    await log_days(world, [lin], 1)

    start = len(world.env.http_requests)
    result = await world.ada.slash(world.general, "leaderboard")

    assert board_lines(result)[0] == r"**1.** Lin\_the\*Great — 1 day"
    assert board_lines(result) == [r"**1.** Lin\_the\*Great — 1 day"]
    assert own_line(result) == "You are not on this board (hidden or not joined)."
    sent = [r for r in world.env.http_requests[start:] if r.path.startswith("/webhooks/")]
    assert sent
    for request in sent:
        assert (request.json or {}).get("allowed_mentions", {"parse": []}) == {"parse": []}


async def test_leaderboard_of_a_server_without_challenge_says_so(world: World) -> None:
    result = await world.ada.slash(world.general, "leaderboard")

    assert "no challenge running" in result.response.content
    simcord.assert_error(world.env, DaybookError)


async def test_every_leaderboard_error_is_told_to_the_caller_alone(world: World) -> None:
    # No challenge yet: the mistake is checked before any public answer starts.
    none, callbacks = await ask(world, world.ada, "leaderboard")

    assert [callback["type"] for callback in callbacks] == [4]  # answered, not deferred
    assert callbacks[0]["data"]["flags"] & 64
    assert none.ephemeral
    assert "no challenge running" in none.response.content

    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    nope, callbacks = await ask(world, world.ada, "leaderboard", challenge="nope")

    assert [callback["type"] for callback in callbacks] == [4]
    assert callbacks[0]["data"]["flags"] & 64
    assert nope.ephemeral
    assert nope.response.content.startswith("There is no challenge called 'nope' here")
    assert not nope.followups
    # Nothing of either reached the channel.
    assert [m for m in world.general.history() if m.author.bot] == []
    simcord.assert_error(world.env, DaybookError)


async def test_the_join_day_is_no_miss_for_streak_or_consistency(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")  # Monday, nothing logged
    await world.later(days=1)
    await log_days(world, [world.ada], 2)  # Tuesday and Wednesday

    streak = await world.ada.slash(world.general, "streak")
    board, _ = await ask(world, world.ada, "leaderboard", metric="consistency")

    # The attempt starts on Tuesday, the first post: Monday was no miss ("Misses: 0"), and the
    # share starts there too: Tuesday and Wednesday, 2 of 2 = 100% (not 2 of 3, 67%).
    fields = {field.name: field.value for field in streak.response.embeds[0].fields}
    assert fields["Misses"] == "0"
    assert board_lines(board) == ["**1.** ada — 100%"]
    assert own_line(board) == "Your rank: 1 of 1 (100%)"


async def test_a_crash_while_drawing_the_board_is_told_to_the_caller_alone(
    world: World, monkeypatch
) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")

    async def broken(**_options):
        raise RuntimeError("the chart worker fell over")

    # The failure comes after the answer has started (the defer): it must stay private.
    monkeypatch.setattr(world.bot.services.charts, "draw_leaderboard", broken)
    result, callbacks = await ask(world, world.ada, "leaderboard")

    assert [callback["type"] for callback in callbacks] == [5]
    assert callbacks[0]["data"]["flags"] & 64
    assert result.ephemeral
    assert result.response.content == APOLOGY
    assert all(followup.ephemeral for followup in result.followups)
    assert [m for m in world.general.history() if m.author.bot] == []
    simcord.assert_error(world.env, RuntimeError)

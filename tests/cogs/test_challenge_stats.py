"""/challenge stats and /challenge export through Discord: organizers only, private replies."""

from __future__ import annotations

import csv
import io
import json

import simcord

from bot.errors import NotAllowedError
from tests.cogs.conftest import World

ORGANIZERS_ONLY = "Only organizers (members who can manage this server) can do that."
# Discord's limits on a subcommand (PLATFORM.md): a 1-32 character lower-case name, a
# description of at most 100 characters, and at most 25 subcommands in a group.
NAME_LIMIT = 32
DESCRIPTION_LIMIT = 100
SUBCOMMAND_LIMIT = 25


async def members_logged(world: World) -> None:
    """Ada and Raj join; Ada logs today and tomorrow, Raj today and hides from boards."""
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
        await member.slash(world.general, "log", text="an hour of ML", minutes=60)
    await world.raj.slash(world.general, "settings", visible=False)
    await world.later(days=1)
    await world.ada.slash(world.general, "log", text="=cmd|' /C calc'!A0", minutes=60)


async def test_members_are_refused_stats_and_export_politely_and_privately(world: World) -> None:
    await members_logged(world)
    for command in ("challenge stats", "challenge export"):
        refused = await world.ada.slash(world.general, command)
        assert refused.ephemeral
        assert refused.response.content == ORGANIZERS_ONLY
        assert not refused.response.attachments
    simcord.assert_error(world.env, NotAllowedError)


async def test_stats_are_a_private_text_and_chart(world: World) -> None:
    await members_logged(world)
    shown = await world.grace.slash(world.general, "challenge stats")
    assert shown.ephemeral
    content = shown.response.content
    assert content.startswith("**ML Club** so far:")
    # Day 1: Ada and Raj posted; day 2: Ada. Raj is hidden, and counted.
    assert "- 2 members joined: 2 still in, 0 left." in content
    assert "Counts include members hidden from boards (1 now)" in content
    assert "the most, 2, on Mon 2 Mar." in content
    (chart,) = shown.response.attachments
    assert chart.filename == "stats.png"
    assert (await chart.read()).startswith(b"\x89PNG")
    simcord.assert_no_errors(world.env)


async def test_stats_of_a_challenge_nobody_joined_say_so_without_a_chart(world: World) -> None:
    await world.challenge()
    shown = await world.grace.slash(world.general, "challenge stats")
    assert shown.ephemeral
    assert shown.response.content == (
        "Nobody has joined **ML Club** yet, so there are no stats to show. Members join with /join."
    )
    assert not shown.response.attachments
    simcord.assert_no_errors(world.env)


async def test_export_is_private_files_with_the_hidden_member_marked_and_a_privacy_note(
    world: World,
) -> None:
    await members_logged(world)
    exported = await world.grace.slash(world.general, "challenge export")
    assert exported.ephemeral
    content = exported.response.content
    assert "These files contain members' personal data" in content
    assert "delete them when you are done" in content
    assert "1 member hidden from boards (marked hidden)" in content
    days_file, members_file = exported.response.attachments
    assert (days_file.filename, members_file.filename) == (
        "ml-club-days.csv",
        "ml-club-members.json",
    )
    rows = list(csv.DictReader(io.StringIO((await days_file.read()).decode())))
    hidden = {row["user_id"]: row["hidden"] for row in rows}
    assert hidden == {str(world.ada.id): "no", str(world.raj.id): "yes"}
    assert [(row["date"], row["day"]) for row in rows if row["user_id"] == str(world.ada.id)] == [
        ("2026-03-02", "1"),
        ("2026-03-03", "2"),
    ]
    document = json.loads(await members_file.read())
    texts = [entry["text"] for m in document["members"] for entry in m["entries"]]
    # A post's text goes into the JSON as written; the CSV holds no post text.
    assert "=cmd|' /C calc'!A0" in texts
    simcord.assert_no_errors(world.env)


async def test_a_display_name_that_is_a_formula_is_written_as_text_in_the_csv(
    world: World,
) -> None:
    await world.challenge()
    mallory = world.guild.add_member(world.env.create_user("=HYPERLINK(1)"))
    await world.env.settle()
    await mallory.slash(world.general, "join", timezone="UTC")
    await mallory.slash(world.general, "log", text="an hour", minutes=60)
    # Without the members intent the cache holds few members; this one is in it, as a member
    # the bot has seen would be.
    guild = world.bot.get_guild(world.guild.id)
    assert guild is not None
    guild._add_member(await guild.fetch_member(mallory.id))
    exported = await world.grace.slash(world.general, "challenge export")
    data = await exported.response.attachments[0].read()
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [row["display_name"] for row in rows] == ["'=HYPERLINK(1)"]
    simcord.assert_no_errors(world.env)


async def test_the_new_subcommands_keep_within_discords_limits(world: World) -> None:
    group = next(
        command for command in world.bot.tree.get_commands() if command.name == "challenge"
    )
    subcommands = group.commands  # type: ignore[attr-defined]
    assert len(subcommands) <= SUBCOMMAND_LIMIT
    for command in subcommands:
        if command.name in {"stats", "export"}:
            assert 1 <= len(command.name) <= NAME_LIMIT
            assert command.name == command.name.lower()
            assert len(command.description) <= DESCRIPTION_LIMIT
    assert {"stats", "export"} <= {command.name for command in subcommands}


async def test_stats_say_how_many_days_share_the_most_members(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    # Both log on Mon 2 and Tue 3 Mar; only Ada on Wed 4 Mar: two days share the most, 2.
    for day in range(3):
        await world.ada.slash(world.general, "log", text="an hour of ML", minutes=60)
        if day < 2:
            await world.raj.slash(world.general, "log", text="an hour of ML", minutes=60)
        await world.later(days=1)
    shown = await world.grace.slash(world.general, "challenge stats")
    assert "the most, 2, on 2 days, the latest Tue 3 Mar." in shown.response.content
    simcord.assert_no_errors(world.env)

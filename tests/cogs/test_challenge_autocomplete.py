"""Autocomplete on every `challenge` option: running challenges, within Discord's limits."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from discord import app_commands

from bot.errors import DaybookError
from cogs._ui.challenges import (
    MAX_CHOICE_TEXT,
    MAX_CHOICES,
    any_challenges,
    challenge_choices,
    running_challenges,
)
from tests.cogs.conftest import World


def _within_limits(choices: list[dict[str, Any]]) -> None:
    assert len(choices) <= MAX_CHOICES
    for choice in choices:
        assert 1 <= len(choice["name"]) <= MAX_CHOICE_TEXT
        assert 1 <= len(choice["value"]) <= MAX_CHOICE_TEXT


async def test_the_typed_text_filters_the_running_challenges(world: World) -> None:
    await world.challenge(name="ML Club")
    await world.challenge(name="Art Sprint", preset="66-days-of-data")
    await world.challenge(name="Team Lumen")

    everything = await world.ada.autocomplete(world.general, "join", "challenge", "")
    assert sorted(choice["value"] for choice in everything) == [
        "Art Sprint",
        "ML Club",
        "Team Lumen",
    ]

    # Case-insensitive substring; the names that start with the text come first.
    lum = await world.ada.autocomplete(world.general, "progress", "challenge", "LUM")
    assert [choice["value"] for choice in lum] == ["Team Lumen"]
    m = await world.grace.autocomplete(world.general, "challenge info", "challenge", "m")
    assert [choice["value"] for choice in m] == ["ML Club", "Team Lumen"]
    none = await world.ada.autocomplete(world.general, "log", "challenge", "zzz")
    assert none == []
    for offered in (everything, lum, m):
        _within_limits(offered)
        assert all(choice["name"] == choice["value"] for choice in offered)


async def test_an_ended_challenge_is_not_offered(world: World) -> None:
    await world.challenge(name="ML Club")
    await world.challenge(name="Art Sprint", preset="66-days-of-data")
    await world.bot.services.challenges.end(
        guild_id=world.guild.id, challenge="Art Sprint", now=world.env.now()
    )
    offered = await world.ada.autocomplete(world.general, "leave", "challenge", "")
    assert [choice["value"] for choice in offered] == ["ML Club"]


async def test_a_server_without_challenges_gets_no_choices(world: World) -> None:
    assert await world.ada.autocomplete(world.general, "join", "challenge", "") == []
    assert await world.ada.autocomplete(world.general, "streak", "challenge", "ml") == []


async def test_the_longest_allowed_name_is_offered_whole(world: World) -> None:
    longest = "L" * 99 + "x"
    await world.challenge(name=longest)
    offered = await world.ada.autocomplete(world.general, "join", "challenge", "lx")
    assert [choice["value"] for choice in offered] == [longest]
    _within_limits(offered)


def test_names_over_discords_limit_are_left_out_and_at_most_25_offered() -> None:
    too_long = "Marathon " + "m" * 111  # 120 characters: no choice value may be that long
    assert len(too_long) == 120
    names = [too_long] + [f"Club {n:02}" for n in range(40)] + ["Book club"]
    offered = challenge_choices(names, "CLUB")
    assert len(offered) == MAX_CHOICES
    assert too_long not in [choice.value for choice in offered]
    assert offered[0].value == "Club 00"  # names starting with the text first
    assert all(len(c.name) <= MAX_CHOICE_TEXT and len(c.value) <= MAX_CHOICE_TEXT for c in offered)
    assert challenge_choices([too_long], "mara") == []
    assert [c.value for c in challenge_choices(names, "book")] == ["Book club"]


async def test_outside_a_server_or_on_a_service_error_there_are_no_choices() -> None:
    async def refuse(guild_id: int) -> list[Any]:
        raise DaybookError("the database is away")

    in_dm: Any = SimpleNamespace(guild_id=None, client=None)
    assert await running_challenges(in_dm, "ml") == []
    failing: Any = SimpleNamespace(
        guild_id=1,
        client=SimpleNamespace(services=SimpleNamespace(challenges=SimpleNamespace(active=refuse))),
    )
    assert await running_challenges(failing, "ml") == []


async def test_every_challenge_option_has_the_autocomplete(world: World) -> None:
    with_challenge = []
    for command in world.bot.tree.walk_commands():
        if not isinstance(command, app_commands.Command):
            continue
        parameter = command.get_parameter("challenge")
        if parameter is None:
            continue
        with_challenge.append(command.qualified_name)
        assert parameter.autocomplete, command.qualified_name
        # An export is of a running or an ended challenge; every other command, a running one.
        expected = (
            any_challenges if command.qualified_name == "challenge export" else running_challenges
        )
        assert command._params["challenge"].autocomplete is expected, command.qualified_name
    # The 17 of issue 12, then /help and /challenge milestone-role, then issue 16's
    # /challenge stats and /challenge export.
    assert len(with_challenge) == 21, sorted(with_challenge)
    assert {"help", "challenge milestone-role"} <= set(with_challenge)
    assert {"challenge stats", "challenge export"} <= set(with_challenge)

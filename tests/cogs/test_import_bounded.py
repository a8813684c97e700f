"""/import with hostile files, on simcord: every member gets an answer, nothing wrong is stored.

The reproductions of issue 11, part 1: a 47 KB indented list froze the bot for seconds, a log
dated 0001-01-01 moved a member's start back 25 years.
"""

from __future__ import annotations

from datetime import date

import pytest
import simcord

from bot.errors import DaybookError
from bot.services.parse_worker import ParseBudget, ProcessReader
from tests.cogs.conftest import World


@pytest.fixture
async def joined(world: World) -> World:
    await world.challenge(preset="x-days-of-ml-code")
    await world.ada.slash(world.general, "join", timezone="UTC")
    return world


async def test_a_47_kb_indented_list_gets_its_preview(joined: World) -> None:
    world = joined
    data = b"## Day 1: March 1, 2026\n\n" + (b" " * 400 + b"- Time spent on it\n") * 115

    shown = await world.ada.slash(world.general, "import", attachment=("list.md", data))

    assert shown.acknowledged  # answered within Discord's 3 s, then the preview
    assert shown.response.embeds[0].title == "Import preview: list.md"
    assert "**1 entry**" in shown.response.embeds[0].description
    simcord.assert_no_errors(world.env)


async def test_an_import_dated_0001_never_moves_the_start_back(joined: World) -> None:
    world = joined
    data = b"## 0001-01-01\nSet up the repo\n\n## 2026-03-01\nTrained a model\n"

    shown = await world.ada.slash(world.general, "import", attachment=("log.md", data))
    await world.ada.click(shown.response, label="Import 1 day")

    member = await world.bot.services.participants.mine(
        guild_id=world.guild.id, user_id=world.ada.id, challenge=None
    )
    assert member.start_day == date(2026, 3, 1)  # not 2001-01-01
    entries = await world.bot.services.entries.recent(
        guild_id=world.guild.id, user_id=world.ada.id, challenge=None, limit=10
    )
    assert [entry.local_day for entry in entries] == [date(2026, 3, 1)]
    simcord.assert_no_errors(world.env)


async def test_a_log_of_too_many_lines_is_refused_with_a_sentence(joined: World) -> None:
    world = joined
    data = b"## Day 1: March 1, 2026\n" + b"- a\n" * 60_000

    refused = await world.ada.slash(world.general, "import", attachment=("log.md", data))

    assert "60,001 lines of text" in refused.response.content
    assert "Split it into parts" in refused.response.content
    simcord.assert_error(world.env, DaybookError)


async def test_a_log_that_takes_too_long_is_stopped_and_the_member_told(joined: World) -> None:
    world = joined
    # The bot's reader with a budget of 0.2 s, so that a log within the limits overruns it.
    world.bot.services.logs._reader = ProcessReader(ParseBudget(wall_seconds=0.2))
    # Starting the reader's process is real work outside the simulated clock; on a loaded
    # machine it can take longer than simcord's default 5 s wait for the bot to settle. The
    # budget under test is the reader's 0.2 s, not that wait.
    world.env.settle_timeout = 60.0
    data = ("## Day 1: March 1, 2026\n" + "1. a\n" * 39_000).encode()

    refused = await world.ada.slash(world.general, "import", attachment=("log.md", data))

    assert refused.response.content.startswith("That log took too long to read")
    entries = await world.bot.services.entries.recent(
        guild_id=world.guild.id, user_id=world.ada.id, challenge=None, limit=10
    )
    assert entries == []
    simcord.assert_error(world.env, DaybookError)

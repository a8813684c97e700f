"""Issue 12's change read by an adversary: what a hostile or unlucky input does, contained.

Through simcord: the real bot, members and organizers acting as they would.
"""

from __future__ import annotations

import discord
import pytest
import simcord

from bot.errors import DaybookError
from cogs.log_message import MENU_NAME
from tests.cogs.conftest import GUILD_ID, World
from tests.cogs.test_community import (
    bot_role,
    map_role,
    progress_challenge,
    reach_day_seven,
    role_ids_of,
)

# --- milestone roles ----------------------------------------------------------------------


async def test_a_mapped_role_the_member_already_held_is_not_taken_away(world: World) -> None:
    # A moderator gave Ada "Regulars" long ago; later an organizer maps Day 7 to it. Daybook
    # did not give it, so neither /leave nor a lost attempt may take it.
    await progress_challenge(world)
    regulars = world.guild.create_role("Regulars")
    await world.env.settle()
    await world.bot.http.add_role(GUILD_ID, world.ada.id, regulars.id)
    await map_role(world, "day7", regulars)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await reach_day_seven(world, world.ada)
    assert await world.bot.services.milestones.granted_to(world.ada.id) == []

    await world.ada.slash(world.general, "leave")

    assert regulars.id in role_ids_of(world, world.ada)


async def test_a_role_discord_would_not_take_back_is_taken_back_once_it_can(world: World) -> None:
    # Ada leaves while Daybook lacks Manage Roles (someone edited its role): the removal fails.
    # Daybook must remember the role is its own, and take it back once it may again.
    await progress_challenge(world)
    week = world.guild.create_role("Week one")
    await world.env.settle()
    await map_role(world, "day7", week)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await reach_day_seven(world, world.ada)
    assert week.id in role_ids_of(world, world.ada)
    bot = bot_role(world)
    allowed = world.env.backend.get_role(GUILD_ID, bot.id).permissions
    world.env.backend.edit_role(GUILD_ID, bot.id, {"permissions": 0})
    await world.env.settle()

    await world.ada.slash(world.general, "leave")
    assert week.id in role_ids_of(world, world.ada)  # Discord refused; she keeps it for now

    world.env.backend.edit_role(GUILD_ID, bot.id, {"permissions": allowed})
    await world.env.settle()
    await world.later(hours=1)
    await world.bot.community.sweep(world.env.now())

    assert week.id not in role_ids_of(world, world.ada)
    assert await world.bot.services.milestones.granted_to(world.ada.id) == []


# --- "Log this message" -------------------------------------------------------------------

PICTURE = b"\x89PNG\r\n\x1a\n" + b"\x00" * 500


async def test_a_message_the_menu_refuses_is_never_downloaded(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each file may be 10 MiB and a message carries 10: a member clicking the menu again and
    # again on a message Daybook refuses must not make it read 100 MiB each time.
    await world.challenge(preset="x-days-of-ml-code")
    await world.ada.slash(world.general, "join", timezone="UTC")
    mine = await world.ada.send(world.general, "one post", attachments=[("a.png", PICTURE)])
    await world.ada.context_menu(world.general, MENU_NAME, mine)  # logged: its file is read once
    read = discord.Attachment.read
    reads: list[str] = []

    async def counted(self: discord.Attachment, **options: bool) -> bytes:
        reads.append(self.filename)
        return await read(self, **options)

    monkeypatch.setattr(discord.Attachment, "read", counted)
    theirs = await world.raj.send(world.general, "raj's", attachments=[("b.png", PICTURE)])

    again = await world.ada.context_menu(world.general, MENU_NAME, mine)  # logged before
    stranger = await world.raj.context_menu(world.general, MENU_NAME, theirs)  # not joined
    slash = await world.raj.slash(world.general, "log", text="hi", attachment=("c.png", PICTURE))

    assert "already logged" in again.response.content
    assert stranger.response.content.startswith("You have not joined ML Club yet.")
    assert slash.ephemeral
    assert slash.response.content.startswith("You have not joined ML Club yet.")
    assert reads == []
    simcord.assert_error(world.env, DaybookError)

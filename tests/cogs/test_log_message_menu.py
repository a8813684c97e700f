"""The message menu's "Log this message": one's own message becomes the post for its day."""

from __future__ import annotations

from datetime import date

import simcord

from bot.domain.models import EntrySource
from bot.errors import DaybookError
from cogs.log_message import MENU_NAME, NOT_YOUR_MESSAGE
from tests.cogs.conftest import GUILD_ID, World

PICTURE = b"\x89PNG\r\n\x1a\n" + b"\x00" * 500


async def joined(world: World) -> None:
    # x-days-of-ml-code: any post counts; a day may be logged up to 1 day late.
    await world.challenge(preset="x-days-of-ml-code")
    await world.ada.slash(world.general, "join", timezone="UTC")


async def entries_of(world: World, member: simcord.MemberActor):
    return await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=member.id, challenge=None
    )


async def test_the_menu_item_is_a_guild_only_message_command_with_a_short_name(
    world: World,
) -> None:
    menu = world.bot.tree.get_command(MENU_NAME, type=discord_message_type())
    assert menu is not None
    assert len(MENU_NAME) <= 32  # Discord's limit for a command name
    assert menu.guild_only
    message_menus = world.bot.tree.get_commands(type=discord_message_type())
    assert len(message_menus) <= 5  # Discord allows 5 message menu items per app


def discord_message_type():
    import discord

    return discord.AppCommandType.message


async def test_a_member_logs_their_own_message_with_its_text_and_file(world: World) -> None:
    await joined(world)
    message = await world.ada.send(
        world.general, "Finished the attention chapter", attachments=[("notes.png", PICTURE)]
    )

    logged = await world.ada.context_menu(world.general, MENU_NAME, message)

    assert logged.ephemeral
    assert logged.response.content.startswith("✅ Logged for today, Mon 2 Mar: it counts.")
    assert "📎 Kept 1 file with this post." in logged.response.content
    [entry] = await entries_of(world, world.ada)
    assert entry.text == "Finished the attention chapter"
    assert (entry.message_id, entry.source) == (message.id, EntrySource.COMMAND)
    async with world.bot.database.read() as repos:
        [kept] = (await repos.attachments.for_entries([entry.id]))[entry.id]
        assert (await repos.attachments.data([kept.id]))[kept.id] == PICTURE


async def test_the_post_is_for_the_day_the_message_was_sent(world: World) -> None:
    await joined(world)
    message = await world.ada.send(world.general, "Sunday-ish notes")  # Mon 2 Mar, 12:00 UTC
    await world.later(days=1)  # Tue 3 Mar: Monday may still be logged (1 day late)

    logged = await world.ada.context_menu(world.general, MENU_NAME, message)

    assert logged.response.content.startswith("✅ Logged for Mon 2 Mar: it counts.")
    [entry] = await entries_of(world, world.ada)
    assert entry.local_day == date(2026, 3, 2)


async def test_a_message_outside_the_backfill_window_gets_the_usual_sentence(
    world: World,
) -> None:
    await joined(world)
    message = await world.ada.send(world.general, "old notes")  # Mon 2 Mar
    await world.later(days=3)  # Thu 5 Mar: the earliest day still open is Wed 4 Mar

    refused = await world.ada.context_menu(world.general, MENU_NAME, message)

    assert refused.ephemeral
    [answer] = [refused.response, *refused.followups][-1:]
    assert "lets you log up to 1 day late" in answer.content
    assert await entries_of(world, world.ada) == []
    simcord.assert_error(world.env, DaybookError)


async def test_someone_elses_message_is_refused_politely(world: World) -> None:
    await joined(world)
    message = await world.raj.send(world.general, "raj's own work")

    refused = await world.ada.context_menu(world.general, MENU_NAME, message)

    assert refused.ephemeral
    assert refused.response.content == NOT_YOUR_MESSAGE
    assert await entries_of(world, world.ada) == []
    simcord.assert_error(world.env, DaybookError)


async def test_a_message_logged_twice_is_kept_once(world: World) -> None:
    await joined(world)
    message = await world.ada.send(world.general, "one post")
    await world.ada.context_menu(world.general, MENU_NAME, message)

    again = await world.ada.context_menu(world.general, MENU_NAME, message)

    assert again.ephemeral
    assert "already logged" in again.response.content
    assert len(await entries_of(world, world.ada)) == 1
    simcord.assert_error(world.env, DaybookError)


async def test_what_the_message_mentions_pings_nobody(world: World) -> None:
    await joined(world)
    message = await world.ada.send(world.general, f"@everyone {world.raj.mention} look")
    logged = await world.ada.context_menu(world.general, MENU_NAME, message)
    assert logged.response.message.mentions == []
    assert not logged.response.message.mention_everyone

"""Reminders and nudges for a day logged short of the rules say what is missing, through Discord.

The world starts on Monday 2 March 2026, 12:00 UTC; members live in UTC, remind at 20:30. The
100-days-of-ml-code preset asks for 60 minutes a day; 100-days-of-code adds a link.
"""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from tests.cogs.conftest import World

MONDAY_EVENING = datetime(2026, 3, 2, 20, 31, tzinfo=UTC)


def direct_messages(member) -> list[discord.Message]:
    channel = member.user.dm_channel
    return [] if channel is None else channel.history()


async def test_a_short_day_reminder_says_how_many_minutes_are_missing(world: World) -> None:
    await world.challenge(progress_channel_id=world.progress.id)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "remind", time="20:30", mode="dm")
    await world.ada.slash(world.general, "log", text="a bit of reading", minutes=30)
    await world.at(MONDAY_EVENING)

    await world.bot.tick()
    await world.env.settle()

    # 30 of the 60 minutes logged: 30 more make Monday count. She did log, so never "you
    # haven't logged".
    [message] = direct_messages(world.ada)
    assert message.content == (
        "⏰ **ML Club**: 30 more minutes to count today. Tap **Log today** below to add to your "
        "day, or use `/log` in the server."
    )
    assert [child.label for row in message.components for child in row.children] == ["Log today"]


async def test_a_day_without_its_link_is_reminded_of_the_link(world: World) -> None:
    await world.challenge(preset="100-days-of-code", progress_channel_id=world.progress.id)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "remind", time="20:30", mode="dm")
    await world.ada.slash(world.general, "log", text="an hour of code", minutes=60)
    await world.at(MONDAY_EVENING)

    await world.bot.tick()
    await world.env.settle()

    [message] = direct_messages(world.ada)
    assert message.content.startswith("⏰ **ML Club**: A link to your work to count today.")


async def test_the_channel_reminder_names_what_each_short_day_needs(world: World) -> None:
    await world.challenge(progress_channel_id=world.progress.id)
    for member in (world.ada, world.raj, world.grace):
        await member.slash(world.general, "join", timezone="UTC")
        await member.slash(world.general, "remind", time="20:30", mode="channel")
    # Ada: 40 of 60 minutes (20 more). Raj: nothing. Grace: 60 minutes, her day counts.
    await world.ada.slash(world.general, "log", text="reading", minutes=40)
    await world.grace.slash(world.general, "log", text="a full hour", minutes=60)
    await world.at(MONDAY_EVENING)

    await world.bot.tick()
    await world.env.settle()

    # The channel also holds the check-in lines of the two /logs; the reminder is the last.
    [message] = [m for m in world.progress.history() if m.content.startswith("⏰")]
    # Ada's 40 of 60 minutes are hers alone: the channel says only that today doesn't count.
    assert message.content == (
        "⏰ **ML Club**: today doesn't count yet. Tap **Log today** or use `/log`:\n"
        f"{world.ada.mention} {world.raj.mention}"
    )
    assert sorted(user.id for user in message.mentions) == sorted([world.ada.id, world.raj.id])
    assert direct_messages(world.grace) == []


async def test_the_day_ends_soon_nudge_says_what_a_short_day_needs(world: World) -> None:
    # Nudges 2 hours before the day ends (04:00 the next morning): at 02:00 UTC.
    await world.challenge(progress_channel_id=world.progress.id, nudge_hours=2)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "remind", time="23:30", mode="dm")
    for _ in range(3):  # Monday to Wednesday count: a streak of 3
        await world.ada.slash(world.general, "log", text="an hour", minutes=60)
        await world.later(days=1)
    # Thursday noon: 45 of 60 minutes, 15 more to count.
    await world.ada.slash(world.general, "log", text="most of an hour", minutes=45)
    await world.at(datetime(2026, 3, 6, 2, 1, tzinfo=UTC))

    await world.bot.tick()
    await world.env.settle()

    nudges = [m for m in direct_messages(world.ada) if m.content.startswith("⌛")]
    expected = (
        "⌛ Your 3-day streak in **ML Club** is at risk: your day ends in about 2 hours and "
        "today needs 15 more minutes to count. Tap **Log today** to keep it going."
    )
    assert [m.content for m in nudges] == [expected]

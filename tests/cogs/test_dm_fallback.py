"""A DM reminder that cannot be delivered (DMs closed, 50007) falls back to the channel as the
ordinary reminder: one ping for the member, nobody else pingable, nothing said about DMs.

Issue 12, item 10 (Maya's closed DMs pinged her twice and told the channel they were closed).
"""

from __future__ import annotations

from bot.domain.models import ReminderMode
from tests.cogs.conftest import World
from tests.cogs.test_reminders_cog import (
    MONDAY_EVENING,
    REMINDER_TIME,
    join,
    participant,
    posts_to,
    with_progress_channel,
)


async def test_the_fallback_reminder_pings_once_and_says_nothing_of_dms(world: World) -> None:
    await with_progress_channel(world)
    await join(world, world.ada)
    await world.ada.slash(world.general, "remind", time=REMINDER_TIME, mode="dm")
    dm = world.ada.user.dm_channel
    world.env.inject_error(
        "POST",
        f"/channels/{dm.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
        times=None,
    )
    await world.at(MONDAY_EVENING)
    start = len(world.env.http_requests)

    report = await world.bot.tick_reminders()
    await world.env.settle()

    assert report.moved == 1
    assert dm.history() == []
    [message] = world.progress.history()
    assert message.content.count(world.ada.mention) == 1
    assert message.content.count("<@") == 1  # nobody else is mentioned
    for word in ("DM", "direct message", "closed"):
        assert word not in message.content
    [request] = posts_to(world, world.progress.id, start)
    allowed = request.json["allowed_mentions"]
    assert [int(user) for user in allowed["users"]] == [world.ada.id]
    assert allowed.get("parse", []) == []  # no @everyone, no roles
    assert allowed.get("roles", []) == []
    # Privately, Ada's own settings say where her reminders go now.
    assert (await participant(world, world.ada)).reminder_mode is ReminderMode.CHANNEL
    settings = await world.ada.slash(world.general, "settings")
    assert settings.ephemeral
    assert f"Reminders: in {world.progress.mention} at 20:30 your time" in settings.response.content

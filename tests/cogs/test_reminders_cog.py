"""Reminders through Discord: /remind, the minute tick's channel and direct messages, and the
"Log today" button that opens the /log form (and keeps working after a restart)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from itertools import pairwise

import discord
import simcord

from bot.domain.models import ReminderMode
from bot.errors import DaybookError
from tests.cogs.conftest import GUILD_ID, World

MENTION = re.compile(r"<@!?(\d+)>")
# START is Monday 2 March, 12:00 UTC; members live in UTC and are reminded at 20:30.
REMINDER_TIME = "20:30"
MONDAY_EVENING = datetime(2026, 3, 2, 20, 31, tzinfo=UTC)
TUESDAY_EVENING = datetime(2026, 3, 3, 20, 31, tzinfo=UTC)


# --- helpers -----------------------------------------------------------------------------


async def with_progress_channel(world: World, **settings):
    return await world.challenge(progress_channel_id=world.progress.id, **settings)


async def join(world: World, *members) -> None:
    for member in members:
        joined = await member.slash(world.general, "join", timezone="UTC")
        assert "You joined" in joined.response.content


async def participant(world: World, member):
    return await world.bot.services.participants.mine(
        guild_id=GUILD_ID, user_id=member.id, challenge=None
    )


def posts_to(world: World, channel_id: int, since: int = 0) -> list:
    """The message POSTs the bot attempted in a channel (failed ones too), in order."""
    return [
        request
        for request in world.env.http_requests[since:]
        if request.method == "POST" and request.path == f"/channels/{channel_id}/messages"
    ]


def mentioned(message: discord.Message) -> list[int]:
    return [int(user_id) for user_id in MENTION.findall(message.content)]


def buttons(message: discord.Message) -> dict[str, str]:
    return {
        child.label: child.custom_id
        for row in message.components
        for child in row.children
        if isinstance(child, discord.Button)
    }


# --- /remind ----------------------------------------------------------------------------


async def test_remind_alone_shows_that_reminders_are_off(world: World) -> None:
    await with_progress_channel(world)
    await join(world, world.ada)
    shown = await world.ada.slash(world.general, "remind")
    assert shown.ephemeral
    assert shown.response.content.startswith("🔕 Reminders for **ML Club** are off.")
    stored = await participant(world, world.ada)
    assert (stored.reminder_mode, stored.reminder_time) == (ReminderMode.OFF, None)


async def test_remind_time_turns_on_channel_reminders_then_dm_then_off(world: World) -> None:
    await with_progress_channel(world)
    await join(world, world.ada)

    on = await world.ada.slash(world.general, "remind", time=REMINDER_TIME)
    assert on.ephemeral
    assert "by 20:30 your time (UTC)" in on.response.content
    assert f"remind you in {world.progress.mention}" in on.response.content
    stored = await participant(world, world.ada)
    assert (stored.reminder_mode, stored.reminder_time) == (ReminderMode.CHANNEL, time(20, 30))

    dm = await world.ada.slash(world.general, "remind", mode="dm")
    assert dm.ephemeral
    assert "by 20:30 your time (UTC), I'll remind you by direct message" in dm.response.content
    stored = await participant(world, world.ada)
    assert (stored.reminder_mode, stored.reminder_time) == (ReminderMode.DM, time(20, 30))

    off = await world.ada.slash(world.general, "remind", mode="off")
    assert off.ephemeral
    assert off.response.content.startswith("🔕 Reminders for **ML Club** are off.")
    assert (await participant(world, world.ada)).reminder_mode is ReminderMode.OFF
    shown = await world.ada.slash(world.general, "remind")
    assert shown.response.content == off.response.content


async def test_a_bad_time_is_refused_politely_and_changes_nothing(world: World) -> None:
    await with_progress_channel(world)
    await join(world, world.ada)
    await world.ada.slash(world.general, "remind", time="07:15")
    before = await participant(world, world.ada)
    for bad in ("25:99", "8pm", "20:3"):
        refused = await world.ada.slash(world.general, "remind", time=bad, mode="dm")
        assert refused.ephemeral
        assert refused.response.content == "The reminder time must be written HH:MM, like 20:30."
    simcord.assert_error(world.env, DaybookError)
    after = await participant(world, world.ada)
    assert (after.reminder_mode, after.reminder_time) == (before.reminder_mode, time(7, 15))
    assert after.reminder_mode is ReminderMode.CHANNEL


async def test_channel_mode_needs_a_progress_channel(world: World) -> None:
    await world.challenge()  # no progress channel
    await join(world, world.ada)
    refused = await world.ada.slash(world.general, "remind", time=REMINDER_TIME, mode="channel")
    assert refused.ephemeral
    assert "ML Club has no progress channel for reminders yet; choose dm" in (
        refused.response.content
    )
    simcord.assert_error(world.env, DaybookError)
    assert (await participant(world, world.ada)).reminder_mode is ReminderMode.OFF
    # Without a channel, a time alone means direct messages.
    chosen = await world.ada.slash(world.general, "remind", time=REMINDER_TIME)
    assert "I'll remind you by direct message" in chosen.response.content


async def test_a_member_who_has_not_joined_is_refused(world: World) -> None:
    await with_progress_channel(world)
    refused = await world.raj.slash(world.general, "remind", time=REMINDER_TIME)
    assert refused.ephemeral
    assert "You have not joined ML Club yet" in refused.response.content
    simcord.assert_error(world.env, DaybookError)


# --- the tick: channel reminders ---------------------------------------------------------


async def test_one_channel_message_pings_exactly_the_members_due(world: World) -> None:
    challenge = await with_progress_channel(world)
    await join(world, world.ada, world.raj, world.grace)
    for member in (world.ada, world.raj, world.grace):
        await member.slash(world.general, "remind", time=REMINDER_TIME)
    # Grace's day already counts: nothing to remind her of.
    await world.grace.slash(world.general, "log", text="an hour of ML", minutes=60)
    # Her /log left its public check-in line in the progress channel; the reminder comes after.
    before = len(world.progress.history())
    await world.at(MONDAY_EVENING)
    start = len(world.env.http_requests)

    report = await world.bot.tick_reminders()
    await world.env.settle()

    messages = world.progress.history()
    assert len(messages) == before + 1
    message = messages[-1]
    due = {world.ada.id, world.raj.id}
    assert sorted(mentioned(message)) == sorted(due)
    assert len(message.content) <= 2000
    assert buttons(message) == {"Log today": f"remind:log:{challenge.id}"}
    [request] = posts_to(world, world.progress.id, start)
    allowed = request.json["allowed_mentions"]
    assert allowed["parse"] == []
    assert sorted(allowed["users"]) == sorted(due)
    assert set(allowed) <= {"parse", "users", "replied_user"}
    assert not allowed.get("replied_user")
    assert (report.sent, report.messages, report.failed) == (2, 1, 0)

    again = await world.bot.tick_reminders()
    await world.env.settle()
    assert len(world.progress.history()) == before + 1
    assert posts_to(world, world.progress.id, start) == [request]
    assert again.sent == 0


async def test_a_reminder_goes_out_only_once_its_local_time_has_passed(world: World) -> None:
    await with_progress_channel(world)
    await world.ada.slash(world.general, "join", timezone="Asia/Kolkata")
    await join(world, world.raj)
    for member in (world.ada, world.raj):
        await member.slash(world.general, "remind", time=REMINDER_TIME)
    # 15:01 UTC is 20:31 in Kolkata (+05:30) but 15:01 for Raj in UTC.
    await world.at(datetime(2026, 3, 2, 15, 1, tzinfo=UTC))
    await world.bot.tick_reminders()
    await world.env.settle()
    assert [mentioned(m) for m in world.progress.history()] == [[world.ada.id]]
    await world.at(MONDAY_EVENING)
    await world.bot.tick_reminders()
    await world.env.settle()
    assert [mentioned(m) for m in world.progress.history()] == [[world.ada.id], [world.raj.id]]


async def test_names_in_a_reminder_cannot_ping_everyone_or_a_role(world: World) -> None:
    role = world.guild.create_role("Everybody")
    sneaky = f"@everyone <@&{role.id}> @here"
    await with_progress_channel(world, name=sneaky)
    mallory = world.guild.add_member(world.env.create_user("mallory"), nick="@everyone")
    await world.env.settle()
    await join(world, mallory, world.ada)
    for member in (mallory, world.ada):
        await member.slash(world.general, "remind", time=REMINDER_TIME)
    await world.at(MONDAY_EVENING)
    start = len(world.env.http_requests)

    await world.bot.tick_reminders()
    await world.env.settle()

    [message] = world.progress.history()
    [request] = posts_to(world, world.progress.id, start)
    allowed = request.json["allowed_mentions"]
    assert allowed["parse"] == []  # no "everyone", no "roles"
    assert "roles" not in allowed
    assert sorted(allowed["users"]) == sorted([mallory.id, world.ada.id])
    assert not message.mention_everyone
    assert message.role_mentions == []
    assert sorted(m.id for m in message.mentions) == sorted([mallory.id, world.ada.id])


# --- the tick: direct messages -----------------------------------------------------------


async def test_dm_mode_sends_a_direct_message_with_the_button(world: World) -> None:
    challenge = await with_progress_channel(world)
    await join(world, world.ada)
    await world.ada.slash(world.general, "remind", time=REMINDER_TIME, mode="dm")
    await world.at(MONDAY_EVENING)

    report = await world.bot.tick_reminders()
    await world.env.settle()

    [message] = world.ada.user.dm_channel.history()
    assert "You haven't logged today in **ML Club** yet" in message.content
    assert buttons(message) == {"Log today": f"remind:log:{challenge.id}"}
    assert world.progress.history() == []
    assert (report.sent, report.moved) == (1, 0)
    await world.bot.tick_reminders()
    await world.env.settle()
    assert len(world.ada.user.dm_channel.history()) == 1


async def test_closed_dms_move_the_member_to_the_channel_saying_nothing_of_it(
    world: World,
) -> None:
    await with_progress_channel(world)
    await join(world, world.ada, world.raj)
    await world.ada.slash(world.general, "remind", time=REMINDER_TIME, mode="dm")
    await world.raj.slash(world.general, "remind", time=REMINDER_TIME)
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

    report = await world.bot.tick_reminders()
    await world.env.settle()

    assert dm.history() == []
    [monday] = world.progress.history()
    # Both are reminded alike, once each; nothing public says Ada's DMs are closed.
    assert sorted(mentioned(monday)) == sorted([world.ada.id, world.raj.id])
    assert "DM" not in monday.content
    assert report.moved == 1
    setting = await world.ada.slash(world.general, "remind")
    assert f"I'll remind you in {world.progress.mention}" in setting.response.content
    assert (await participant(world, world.ada)).reminder_mode is ReminderMode.CHANNEL

    await world.at(TUESDAY_EVENING)
    await world.bot.tick_reminders()
    await world.env.settle()

    tuesday = world.progress.history()[-1]
    assert tuesday.id != monday.id
    assert sorted(mentioned(tuesday)) == sorted([world.ada.id, world.raj.id])
    assert "DMs are closed" not in tuesday.content
    assert dm.history() == []


# --- the tick: failures ------------------------------------------------------------------


async def test_a_server_error_is_retried_on_the_next_tick_once(world: World) -> None:
    await with_progress_channel(world)
    await join(world, world.ada, world.raj)
    for member in (world.ada, world.raj):
        await member.slash(world.general, "remind", time=REMINDER_TIME)
    await world.at(MONDAY_EVENING)
    world.env.inject_error("POST", f"/channels/{world.progress.id}/messages", status=500)
    start = len(world.env.http_requests)

    failed = await world.bot.tick_reminders()
    await world.env.settle()

    assert len(posts_to(world, world.progress.id, start)) == 1  # tried, refused
    assert world.progress.history() == []
    assert (failed.sent, failed.failed) == (0, 2)

    await world.later(minutes=1)
    retried = await world.bot.tick_reminders()
    await world.env.settle()
    [message] = world.progress.history()
    assert sorted(mentioned(message)) == sorted([world.ada.id, world.raj.id])
    assert (retried.sent, retried.failed) == (2, 0)

    await world.later(minutes=1)
    await world.bot.tick_reminders()
    await world.env.settle()
    assert len(world.progress.history()) == 1
    assert len(posts_to(world, world.progress.id, start)) == 2


# --- the "Log today" button --------------------------------------------------------------


async def remind_ada_in_the_channel(world: World) -> discord.Message:
    await with_progress_channel(world)
    await join(world, world.ada)
    await world.ada.slash(world.general, "remind", time=REMINDER_TIME)
    await world.at(MONDAY_EVENING)
    await world.bot.tick_reminders()
    await world.env.settle()
    [message] = world.progress.history()
    return message


async def test_log_today_opens_the_form_and_records_the_day(world: World) -> None:
    message = await remind_ada_in_the_channel(world)

    shown = await world.ada.click(message, label="Log today")
    assert shown.modal is not None
    assert shown.modal["title"] == "Log today"
    done = await world.ada.submit_modal(
        shown, {"log:text": "Trained a small model", "log:minutes": "60"}
    )
    assert done.ephemeral
    assert done.response.content.startswith("✅ Logged for today, Mon 2 Mar: it counts.")
    assert "**Day 1 of 100**" in done.response.content

    # A deploy later, on Tuesday, the same old message's button still opens the form.
    await world.at(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    await world.restart()
    again = await world.ada.click(message, label="Log today")
    assert again.modal is not None
    done = await world.ada.submit_modal(again, {"log:text": "Evaluated it", "log:minutes": "60"})
    assert "**Day 2 of 100**" in done.response.content
    streak = await world.ada.slash(world.general, "streak")
    fields = {field.name: field.value for field in streak.response.embeds[0].fields}
    assert fields["Current streak"] == "2 days"


async def test_log_today_refuses_someone_not_taking_part(world: World) -> None:
    message = await remind_ada_in_the_channel(world)

    refused = await world.raj.click(message, label="Log today")

    assert refused.modal is None
    assert refused.ephemeral
    assert "You have not joined ML Club yet" in refused.response.content
    recent = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert recent == []


async def test_log_today_from_a_direct_message_records_the_day(world: World) -> None:
    await with_progress_channel(world)
    await join(world, world.ada)
    await world.ada.slash(world.general, "remind", time=REMINDER_TIME, mode="dm")
    await world.at(MONDAY_EVENING)
    await world.bot.tick_reminders()
    await world.env.settle()
    [message] = world.ada.user.dm_channel.history()

    # In a DM, Ada acts as a user, outside the server.
    shown = await world.ada.user.click(message, label="Log today")
    assert shown.modal is not None
    done = await world.ada.user.submit_modal(
        shown, {"log:text": "From my DMs", "log:minutes": "60"}
    )

    assert "**Day 1 of 100**" in done.response.content
    recent = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert [entry.text for entry in recent] == ["From my DMs"]
    streak = await world.ada.slash(world.general, "streak")
    fields = {field.name: field.value for field in streak.response.embeds[0].fields}
    assert fields["Day"].startswith("1")


async def test_two_members_filling_in_the_form_at_once_each_record_their_day(
    world: World,
) -> None:
    await with_progress_channel(world)
    await join(world, world.ada, world.raj)
    for member in (world.ada, world.raj):
        await member.slash(world.general, "remind", time=REMINDER_TIME)
    await world.at(MONDAY_EVENING)
    await world.bot.tick_reminders()
    await world.env.settle()
    [message] = world.progress.history()

    # The reminder pinged both; both tap Log today before either has sent the form.
    ada_form = await world.ada.click(message, label="Log today")
    raj_form = await world.raj.click(message, label="Log today")
    ada_done = await world.ada.submit_modal(
        ada_form, {"log:text": "Ada's hour", "log:minutes": "60"}
    )
    raj_done = await world.raj.submit_modal(
        raj_form, {"log:text": "Raj's hour", "log:minutes": "60"}
    )

    # Each form reaches its own member: neither is dropped nor recorded for the other.
    for member, done, text in (
        (world.ada, ada_done, "Ada's hour"),
        (world.raj, raj_done, "Raj's hour"),
    ):
        assert done.acknowledged
        assert "**Day 1 of 100**" in done.response.content
        recent = await world.bot.services.entries.recent(
            guild_id=GUILD_ID, user_id=member.id, challenge=None
        )
        assert [entry.text for entry in recent] == [text]


# --- many members --------------------------------------------------------------------------


async def test_many_members_are_split_over_messages_each_within_the_limit(world: World) -> None:
    await with_progress_channel(world)
    services = world.bot.services
    members = [world.guild.add_member(world.env.create_user(f"m{n:03}")) for n in range(120)]
    await world.env.settle()
    for member in members:
        await services.participants.join(
            guild_id=GUILD_ID, user_id=member.id, now=world.env.now(), timezone="UTC"
        )
        await services.reminders.set_reminder(
            guild_id=GUILD_ID,
            user_id=member.id,
            challenge=None,
            reminder_time=time(20, 30),
            mode=ReminderMode.CHANNEL,
        )
    await world.at(MONDAY_EVENING)
    start = len(world.env.http_requests)

    report = await world.bot.tick_reminders()
    await world.env.settle()

    messages = world.progress.history()
    assert len(messages) >= 2
    assert all(len(message.content) <= 2000 for message in messages)
    everyone = [user_id for message in messages for user_id in mentioned(message)]
    assert sorted(everyone) == sorted(member.id for member in members)
    # As few messages as fit: the next message's first member would not have fit the one before.
    for message, after in pairwise(messages):
        assert len(message.content) + len(f" <@{mentioned(after)[0]}>") > 2000
    requests = posts_to(world, world.progress.id, start)
    assert [sorted(r.json["allowed_mentions"]["users"]) for r in requests] == [
        sorted(mentioned(message)) for message in messages
    ]
    assert (report.sent, report.messages) == (120, len(messages))

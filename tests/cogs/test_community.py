"""The community sees progress (issue 12, item 8): public check-ins, milestones, milestone roles.

Through simcord: the real bot, a member typing /log, the progress channel read back. The
challenge is 100-days-of-ml-code unless said otherwise: a day counts with 60 minutes, gaps
pause (never fail); 100-days-of-code fails an attempt on the second miss in a row (kallaway).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import simcord
from simcord.builders import RoleHandle

from bot.errors import DaybookError, InvalidInputError
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from tests.cogs.conftest import GUILD_ID, START, World

ONE_HOUR = "an hour of ML https://github.com/ada/ml"


async def progress_challenge(world: World, preset: str = "100-days-of-ml-code", **settings):
    return await world.challenge(preset=preset, progress_channel_id=world.progress.id, **settings)


def lines(world: World) -> list[str]:
    """Return what the bot posted in the progress channel, oldest first."""
    return [
        message.content
        for message in world.progress.history()
        if message.author.id == world.bot.user.id
    ]


async def log_days_quietly(world: World, member: simcord.MemberActor, days: int) -> None:
    """Log `days` full days, one a day from today, through the service (no public line)."""
    for index in range(days):
        if index:
            await world.later(days=1)
        await world.bot.services.entries.record(
            guild_id=GUILD_ID, user_id=member.id, text=ONE_HOUR, minutes=60, at=world.env.now()
        )


def role_ids_of(world: World, member: simcord.MemberActor) -> list[int]:
    return list(world.env.backend.get_member(GUILD_ID, member.id).role_ids)


def bot_role(world: World):
    [role] = [role for role in world.env.backend.get_guild(GUILD_ID).roles.values() if role.managed]
    return role


# --- the check-in line --------------------------------------------------------------------


async def test_a_log_posts_one_public_line_that_escapes_the_name_and_pings_nobody(
    world: World,
) -> None:
    await progress_challenge(world)
    loud = world.guild.add_member(
        world.env.create_user("loud", global_name="*Lou* @everyone <@&1>")
    )
    await world.env.settle()
    await loud.slash(world.general, "join", timezone="UTC")

    logged = await loud.slash(world.general, "log", text=ONE_HOUR, minutes=60)
    again = await loud.slash(world.general, "log", text=ONE_HOUR, minutes=60)  # the same post

    assert logged.ephemeral
    assert logged.response.content.startswith("✅ Logged for today")
    assert again.response.content.startswith("☑️ Already logged")
    # One line for the one entry; the repeat stored nothing and says nothing in public.
    # Markdown escaped, and '@everyone' broken by a zero-width space: no highlight, no ping
    # ('<@&1>' is no mention at all: Discord ids have 17 to 20 digits).
    assert lines(world) == ["**\\*Lou\\* @\u200beveryone <@&1>** logged Day 1"]
    [message] = [m for m in world.progress.history() if m.author.id == world.bot.user.id]
    stored = world.env.backend.get_message(world.progress.id, message.id)
    assert stored.ping_user_ids == []
    assert stored.ping_role_ids == []
    assert not stored.mention_everyone
    posts = [
        request
        for request in world.env.http_requests
        if request.method == "POST" and request.path == f"/channels/{world.progress.id}/messages"
    ]
    assert [request.json["allowed_mentions"] for request in posts] == [{"parse": []}]


async def test_a_day_that_does_not_count_is_only_a_check_in_and_a_streak_is_said(
    world: World,
) -> None:
    await progress_challenge(world)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await log_days_quietly(world, world.ada, 2)  # Mon 2, Tue 3: Day 2, streak 2
    await world.later(days=1)

    await world.ada.slash(world.general, "log", text="half an hour", minutes=30)  # Wed 4: short
    await world.ada.slash(world.general, "log", text="the other half", minutes=30)  # adds up: 60

    # The short day is nobody's business: no minutes, no "does not count" in public.
    assert lines(world) == ["**ada** checked in", "**ada** logged Day 3 · 3-day streak"]


async def test_a_past_day_says_which_day_it_was(world: World) -> None:
    await progress_challenge(world)  # backfill: one day
    await world.ada.slash(world.general, "join", timezone="UTC", start="2026-03-01")
    await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)  # Mon 2: Day 1

    await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60, day="2026-03-01")

    assert lines(world) == ["**ada** logged Day 1", "**ada** logged Sun 1 Mar · now on Day 2"]


async def test_organizers_turn_check_ins_off_and_hidden_members_are_never_announced(
    world: World,
) -> None:
    await progress_challenge(world)
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
    await world.raj.slash(world.general, "settings", visible=False)
    await world.raj.slash(world.general, "log", text=ONE_HOUR, minutes=60)
    assert lines(world) == []  # Raj hid himself from boards and digests: never announced

    asked = await world.grace.slash(world.general, "challenge edit", announce_checkins=False)
    assert "public check-ins: on → off" in asked.response.content
    await world.grace.click(asked.response, label="Confirm")
    await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)

    assert lines(world) == []
    shown = await world.ada.slash(world.general, "challenge info")
    assert "Public check-ins: off" in shown.response.content


async def test_a_progress_channel_that_refuses_never_fails_the_log(world: World) -> None:
    closed = world.guild.create_text_channel(
        "closed", overwrites={world.bot.user: discord.PermissionOverwrite(send_messages=False)}
    )
    await world.env.settle()
    await world.challenge(progress_channel_id=closed.id)
    await world.ada.slash(world.general, "join", timezone="UTC")

    logged = await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)

    assert logged.response.content.startswith("✅ Logged for today, Mon 2 Mar: it counts.")
    assert closed.history() == []
    # The refusal is the challenge's delivery problem, shown to organizers only.
    organizer = await world.grace.slash(world.general, "challenge info")
    member = await world.ada.slash(world.general, "challenge info")
    assert "⚠️" in organizer.response.content
    assert "Send Messages" in organizer.response.content
    assert "⚠️" not in member.response.content


# --- milestones ---------------------------------------------------------------------------


async def test_day_seven_is_celebrated_once_in_place_of_the_check_in(world: World) -> None:
    await progress_challenge(world)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await log_days_quietly(world, world.ada, 6)  # Mon 2 to Sat 7: Day 6
    await world.later(days=1)

    await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)  # Sun 8: Day 7
    await world.ada.slash(world.general, "log", text="and a bit more", minutes=10)

    # The milestone's line is Sunday's check-in; the second post that day adds no line.
    assert lines(world) == ["🎉 **ada** reached Day 7!"]


async def test_one_line_a_day_checked_in_then_counted(world: World) -> None:
    await progress_challenge(world)
    await world.ada.slash(world.general, "join", timezone="UTC")

    await world.ada.slash(world.general, "log", text="a little reading", minutes=20)  # short
    await world.ada.slash(world.general, "log", text="the rest of the hour", minutes=40)  # 60
    await world.ada.slash(world.general, "log", text="and a bit more", minutes=10)
    await world.ada.slash(world.general, "log", text="still more", minutes=5)

    # Monday: 20 of 60 minutes shows up as a check-in; 20 + 40 makes it count (Day 1); the
    # posts after that change nothing the channel would hear.
    assert lines(world) == ["**ada** checked in", "**ada** logged Day 1"]


async def test_a_finished_round_is_celebrated_and_no_day_beyond_the_target(world: World) -> None:
    challenge = await progress_challenge(world)
    await world.bot.services.challenges.apply_edit(
        guild_id=GUILD_ID,
        challenge_id=challenge.id,
        settings=ChallengeSettingsInput(),
        rules=RulesInput(target_days=7),
    )
    await world.ada.slash(world.general, "join", timezone="UTC")
    await log_days_quietly(world, world.ada, 6)
    await world.later(days=1)

    await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)  # Day 7 of 7

    # Day 7 is this challenge's finish: one line for the finished round, not "reached Day 7".
    assert lines(world) == ["🏁 **ada** finished round 1 of ML Club: Day 7!"]


async def test_a_channel_post_that_reaches_a_milestone_is_celebrated_too(
    world: World, monkeypatch
) -> None:
    # Without the message-content intent no post reaches the bot; drive the cog directly.
    from cogs.posts import PostsCog

    await progress_challenge(world)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await log_days_quietly(world, world.ada, 6)
    await world.later(days=1)
    cog = PostsCog(
        challenges=world.bot.services.challenges,
        participants=world.bot.services.participants,
        entries=world.bot.services.entries,
        send_ledger=world.bot.services.send_ledger,
        clock=world.clock,
        me=lambda: world.bot.user,
        attachments=world.bot.services.attachments,
        community=world.bot.community,
    )
    post = await world.ada.send(world.progress, "an hour of ML, 60 minutes")
    message = await world.bot.get_channel(world.progress.id).fetch_message(post.id)

    await cog.on_message(message)
    await world.env.settle()

    assert lines(world) == ["🎉 **ada** reached Day 7!"]


# --- milestone roles ----------------------------------------------------------------------


async def map_role(world: World, milestone: str, role: RoleHandle, **options):
    return await world.grace.slash(
        world.general, "challenge milestone-role", milestone=milestone, role=role, **options
    )


async def reach_day_seven(world: World, member: simcord.MemberActor) -> None:
    await log_days_quietly(world, member, 6)
    await world.later(days=1)
    await member.slash(world.general, "log", text=ONE_HOUR, minutes=60)


async def test_a_milestone_role_is_granted_and_taken_back_when_the_member_leaves(
    world: World,
) -> None:
    await progress_challenge(world)
    week = world.guild.create_role("Week one")
    await world.env.settle()
    mapped = await map_role(world, "day7", week)
    assert mapped.ephemeral
    assert mapped.response.content.startswith(
        f"✅ Members of **ML Club** who reach Day 7 from now on get <@&{week.id}>."
    )
    await world.ada.slash(world.general, "join", timezone="UTC")

    await reach_day_seven(world, world.ada)
    assert week.id in role_ids_of(world, world.ada)
    info = await world.ada.slash(world.general, "challenge info")
    assert f"Milestone roles: Day 7: <@&{week.id}>" in info.response.content

    await world.ada.slash(world.general, "leave")
    assert week.id not in role_ids_of(world, world.ada)


async def test_a_lost_attempt_takes_its_role_back_and_a_role_given_by_hand_is_kept(
    world: World,
) -> None:
    await progress_challenge(world, preset="100-days-of-code")  # two misses in a row: lost
    week = world.guild.create_role("Week one")
    helper = world.guild.create_role("Helper")
    await world.env.settle()
    await map_role(world, "day7", week)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.bot.http.add_role(GUILD_ID, world.ada.id, helper.id)  # given by a moderator
    await reach_day_seven(world, world.ada)  # Sun 8
    assert week.id in role_ids_of(world, world.ada)

    await world.at(START + timedelta(days=8))  # Mon 9: the first miss is allowed
    await world.bot.tick()
    assert week.id in role_ids_of(world, world.ada)
    await world.at(START + timedelta(days=10))  # Wed 11: Mon 9 and Tue 10 missed in a row
    await world.bot.tick()

    assert week.id not in role_ids_of(world, world.ada)
    assert helper.id in role_ids_of(world, world.ada)


async def test_forget_me_takes_back_every_role_daybook_gave(world: World) -> None:
    await progress_challenge(world)
    week = world.guild.create_role("Week one")
    await world.env.settle()
    await map_role(world, "day7", week)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await reach_day_seven(world, world.ada)
    assert week.id in role_ids_of(world, world.ada)

    asked = await world.ada.slash(world.general, "forget-me")
    await world.ada.click(asked.response, label="Delete everything")

    assert week.id not in role_ids_of(world, world.ada)


async def test_roles_daybook_cannot_or_should_not_give_are_refused_with_the_fix(
    world: World,
) -> None:
    await progress_challenge(world)
    everyone = RoleHandle(world.env, world.guild, world.env.backend.get_role(GUILD_ID, GUILD_ID))
    above = world.guild.create_role("Champions", position=10)
    mods = world.guild.create_role("Mod team", permissions=discord.Permissions(kick_members=True))
    fine = world.guild.create_role("Week one")
    await world.env.settle()

    refusals = [
        await map_role(world, "day7", everyone),
        await map_role(world, "day7", above),
        await map_role(world, "day7", mods),
    ]
    world.env.backend.edit_role(GUILD_ID, bot_role(world).id, {"permissions": 0})
    await world.env.settle()
    refusals.append(await map_role(world, "day7", fine))

    words = [refusal.response.content for refusal in refusals]
    assert all(refusal.ephemeral for refusal in refusals)
    assert words[0] == "Everyone has @everyone already: pick a role members earn."
    assert words[1].startswith("**Champions** is not below my own highest role")
    assert "drag my role above it in Server Settings > Roles" in words[1]
    assert words[2].startswith("**Mod team** carries moderator permissions (kick members)")
    assert words[3].startswith("I need the Manage Roles permission to give **Week one**")
    simcord.assert_error(world.env, InvalidInputError)
    roles = await world.bot.services.milestones.roles(guild_id=GUILD_ID, challenge=None)
    assert roles.roles == {}


async def test_milestones_a_challenge_cannot_reach_are_refused(world: World) -> None:
    await progress_challenge(world, preset="66-days-of-data")
    role = world.guild.create_role("Century")
    await world.env.settle()

    beyond = await map_role(world, "day100", role)
    target = await map_role(world, "day66", role)

    assert beyond.response.content == "ML Club finishes at Day 66, so no one reaches Day 100."
    assert target.response.content == (
        "ML Club finishes at Day 66: pick the finished round for that role."
    )
    simcord.assert_error(world.env, DaybookError)


async def test_a_role_discord_refuses_later_never_fails_the_log(world: World) -> None:
    await progress_challenge(world)
    week = world.guild.create_role("Week one")
    await world.env.settle()
    await map_role(world, "day7", week)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await log_days_quietly(world, world.ada, 6)
    await world.later(days=1)
    # Someone takes Manage Roles away from Daybook after the role was mapped.
    world.env.backend.edit_role(GUILD_ID, bot_role(world).id, {"permissions": 3072})
    await world.env.settle()

    logged = await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)

    assert logged.response.content.startswith("✅ Logged for today, Sun 8 Mar: it counts.")
    assert lines(world) == ["🎉 **ada** reached Day 7!"]
    assert week.id not in role_ids_of(world, world.ada)
    # Nothing is recorded as given, so nothing is ever "taken back" from her.
    assert await world.bot.services.milestones.granted_to(world.ada.id) == []


async def test_the_hourly_sweep_walks_only_once_an_hour(world: World) -> None:
    await progress_challenge(world)
    at = datetime(2026, 3, 2, 13, 5, tzinfo=UTC)
    assert await world.bot.community.sweep(at) == 0
    calls = []

    async def counting(now):
        calls.append(now)
        return []

    world.bot.services.milestones.lost_grants = counting  # type: ignore[method-assign]
    await world.bot.community.sweep(at + timedelta(minutes=30))
    await world.bot.community.sweep(at + timedelta(hours=1))
    assert calls == [at + timedelta(hours=1)]

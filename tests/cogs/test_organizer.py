"""Organizers through Discord: /challenge create, edit (preview, Confirm, Cancel), info, end,
/admin adjust; and members, who read /challenge info but can use none of the rest."""

from __future__ import annotations

from datetime import time

import discord
import pytest
import simcord

from bot.domain.rules import PRESETS, MissedDayPolicy, Rules
from bot.errors import DaybookError, NotAllowedError
from bot.services.settings_input import ChallengeSettingsInput
from tests.cogs.conftest import GUILD_ID, World

ORGANIZER_COMMANDS = (
    "challenge create",
    "challenge edit",
    "challenge info",
    "challenge end",
    "admin adjust",
)


def buttons(message) -> dict[str, str]:
    """Return each button's label and custom id."""
    return {
        component["label"]: component["custom_id"]
        for row in message.components
        for component in row["components"]
    }


def pending_id_of(message) -> int:
    """Return the pending edit a preview's Confirm button stands for."""
    # challenge:edit:yes:<pending>:<owner>
    return int(buttons(message)["Confirm"].split(":")[3])


def fields(result) -> dict[str, str]:
    return {field.name: field.value for field in result.response.embeds[0].fields}


async def stored(world: World, name: str | None = None):
    return await world.bot.services.challenges.get(guild_id=GUILD_ID, challenge=name)


async def log_on(world: World, member, days: list[bool]) -> None:
    """Log a full day for each True, starting today, one day apart; end on the last day."""
    for index, logs in enumerate(days):
        if index:
            await world.later(days=1)
        if logs:
            await member.slash(world.general, "log", text="an hour of ML", minutes=60)


async def second_organizer(world: World) -> simcord.MemberActor:
    mods = world.guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    lin = world.guild.add_member(world.env.create_user("lin"), roles=[mods])
    await world.env.settle()
    return lin


async def public_copy(world: World, view: discord.ui.View) -> discord.Message:
    """Post the buttons of a private reply publicly, so that others can try them."""
    sent = await world.bot.get_channel(world.general.id).send("a copy", view=view)
    await world.env.settle()
    return next(message for message in world.general.history() if message.id == sent.id)


# --- /challenge create -------------------------------------------------------------------


async def test_create_with_every_option_stores_it_and_says_the_rules(world: World) -> None:
    created = await world.grace.slash(
        world.general,
        "challenge create",
        name="Data Club",
        preset="66-days-of-data",
        timezone="Asia/Kolkata",
        progress_channel=world.progress,
        digest_channel=world.general,
        digest_day="Friday",
        digest_time="18:30",
    )
    assert created.ephemeral
    content = created.response.content
    assert content.startswith("✅ Created **Data Club** with the 66-days-of-data preset.")
    assert "• 66 qualifying days finish a round." in content
    assert "• A day counts with at least 5 minutes (on your word if you give none)." in content
    assert f"progress channel: {world.progress.mention}" in content
    assert f"Fridays at 18:30 (Asia/Kolkata) in {world.general.mention}" in content
    challenge = await stored(world)
    assert challenge.name == "Data Club"
    assert challenge.rules == PRESETS["66-days-of-data"]
    assert challenge.timezone == "Asia/Kolkata"
    assert (challenge.progress_channel_id, challenge.digest_channel_id) == (
        world.progress.id,
        world.general.id,
    )
    assert (challenge.digest_weekday, challenge.digest_time) == (4, time(18, 30))


async def test_create_with_only_a_name_uses_the_defaults(world: World) -> None:
    created = await world.grace.slash(world.general, "challenge create", name="ML Club")
    assert "with the 100-days-of-ml-code preset" in created.response.content
    challenge = await stored(world)
    assert challenge.rules == PRESETS["100-days-of-ml-code"]
    assert challenge.timezone == "UTC"
    assert (challenge.digest_weekday, challenge.digest_time) == (0, time(9, 0))
    assert challenge.progress_channel_id is None


async def test_create_custom_starts_from_plain_rules(world: World) -> None:
    created = await world.grace.slash(
        world.general, "challenge create", name="Own rules", preset="custom"
    )
    assert "with custom rules" in created.response.content
    assert (await stored(world)).rules == Rules()


async def test_create_offers_time_zones(world: World) -> None:
    offered = await world.grace.autocomplete(world.general, "challenge create", "timezone", "kolk")
    assert {"name": "Asia/Kolkata", "value": "Asia/Kolkata"} in offered


async def test_create_refuses_bad_input_politely_and_stores_nothing_more(world: World) -> None:
    await world.grace.slash(world.general, "challenge create", name="ML Club")
    zone = await world.grace.slash(
        world.general, "challenge create", name="Zone club", timezone="Mars/Olympus"
    )
    assert zone.ephemeral
    assert "'Mars/Olympus' is not a time zone I know" in zone.response.content
    clock = await world.grace.slash(
        world.general, "challenge create", name="Clock club", digest_time="25:99"
    )
    assert clock.ephemeral
    assert "digest time must be written HH:MM" in clock.response.content
    twin = await world.grace.slash(world.general, "challenge create", name="ml  club")
    assert twin.ephemeral
    assert "already runs a challenge called ml club" in twin.response.content
    simcord.assert_error(world.env, DaybookError)
    assert [c.name for c in await world.bot.services.challenges.active(GUILD_ID)] == ["ML Club"]


async def test_create_offers_only_the_presets_and_weekdays(world: World) -> None:
    with pytest.raises(simcord.OptionError) as refused:
        await world.grace.slash(world.general, "challenge create", name="X", preset="200-days")
    assert refused.value.option == "preset"
    with pytest.raises(simcord.OptionError) as refused:
        await world.grace.slash(world.general, "challenge create", name="X", digest_day="Caturday")
    assert refused.value.option == "digest_day"


# --- /challenge edit ---------------------------------------------------------------------


async def ada_misses_two_days_raj_none(world: World) -> None:
    """Under 100-days-of-ml-code (gaps pause): Ada on Day 3 of attempt 1, Raj on Day 5."""
    await world.challenge(preset="100-days-of-ml-code")
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.raj.slash(world.general, "join", timezone="UTC")
    # Mon 2 to Fri 6 March: Ada misses Wednesday and Thursday.
    for ada_logs in (True, True, False, False, True):
        if ada_logs:
            await world.ada.slash(world.general, "log", text="an hour of ML", minutes=60)
        await world.raj.slash(world.general, "log", text="an hour of ML", minutes=60)
        if world.env.now().day < 6:
            await world.later(days=1)


async def test_edit_previews_who_moves_and_confirm_applies_it(world: World) -> None:
    await ada_misses_two_days_raj_none(world)
    before = await world.ada.slash(world.general, "streak")
    assert fields(before)["Day"].startswith("3")

    asked = await world.grace.slash(world.general, "challenge edit", missed_day_policy="kallaway")

    assert asked.ephemeral
    preview = asked.response.content
    assert preview.startswith("**Edit ML Club?** Nothing changes until you press Confirm")
    assert "• missed-day policy: pause → kallaway" in preview
    assert "**Members who would move: 1 of 2**" in preview
    # Pause: Day 3; the misses ended the Mon-Tue streak, so Friday alone is a streak of 1
    # (best 2). Kallaway: the two misses in a row ended attempt 1; Friday is Day 1 of attempt
    # 2, a streak of 1, and the best streak is still Monday and Tuesday (not shown: unchanged).
    assert f"• {world.ada.mention}: Day 3 → Day 1, streak 1 → 1, attempt 1 → 2" in preview
    assert world.raj.mention not in preview
    assert (await stored(world)).rules.missed_day_policy is MissedDayPolicy.PAUSE

    done = await world.grace.click(asked.response, label="Confirm")

    assert done.response.content.startswith("✅ **ML Club** is updated:")
    assert "• missed-day policy: pause → kallaway" in done.response.content
    assert done.response.components == []
    assert (await stored(world)).rules.missed_day_policy is MissedDayPolicy.KALLAWAY
    after = fields(await world.ada.slash(world.general, "streak"))
    assert after["Day"].startswith("1")
    assert after["Current streak"] == "1 day"
    assert after["Round"] == "1 (attempt 2)"
    assert fields(await world.raj.slash(world.general, "streak"))["Day"].startswith("5")


async def test_cancel_changes_nothing(world: World) -> None:
    await ada_misses_two_days_raj_none(world)
    asked = await world.grace.slash(
        world.general, "challenge edit", missed_day_policy="kallaway", name="Renamed"
    )
    cancelled = await world.grace.click(asked.response, label="Cancel")
    assert cancelled.response.content == "Cancelled: nothing was changed."
    challenge = await stored(world)
    assert challenge.name == "ML Club"
    assert challenge.rules.missed_day_policy is MissedDayPolicy.PAUSE
    assert fields(await world.ada.slash(world.general, "streak"))["Day"].startswith("3")


async def test_only_the_organizer_who_asked_can_confirm(world: World) -> None:
    from cogs._ui.challenge_views import edit_view

    await world.challenge()
    lin = await second_organizer(world)
    asked = await world.grace.slash(world.general, "challenge edit", min_minutes=30)
    # The preview is private to Grace; a public copy lets Lin (an organizer) and Ada try it.
    copy = await public_copy(world, edit_view(pending_id_of(asked.response), world.grace.id))

    for other in (lin, world.ada):
        refused = await other.click(copy, label="Confirm")
        assert refused.ephemeral
        assert "Only the organizer who asked for this" in refused.response.content
        refused = await other.click(copy, label="Cancel")
        assert "Only the organizer who asked for this" in refused.response.content
    assert (await stored(world)).rules.min_minutes == 60

    done = await world.grace.click(asked.response, label="Confirm")
    assert "• minimum minutes: 60 → 30" in done.response.content
    assert (await stored(world)).rules.min_minutes == 30


async def test_confirm_still_works_after_a_restart(world: World) -> None:
    await world.challenge()
    asked = await world.grace.slash(
        world.general, "challenge edit", rest_weekdays="Saturday,Sunday", timezone="Europe/Berlin"
    )
    await world.restart()
    done = await world.grace.click(asked.response, label="Confirm")
    assert "• rest days: none → Saturday, Sunday" in done.response.content
    assert "• time zone: UTC → Europe/Berlin" in done.response.content
    challenge = await stored(world)
    assert challenge.rules.rest_weekdays == frozenset({5, 6})
    assert challenge.timezone == "Europe/Berlin"


async def test_a_preview_older_than_a_day_is_refused(world: World) -> None:
    await world.challenge()
    asked = await world.grace.slash(world.general, "challenge edit", min_minutes=30)
    await world.later(hours=24, minutes=1)
    late = await world.grace.click(asked.response, label="Confirm")
    assert late.response.content.startswith("That preview is more than 24 hours old")
    assert late.response.components == []
    assert (await stored(world)).rules.min_minutes == 60


async def test_a_preview_can_be_confirmed_once(world: World) -> None:
    from cogs._ui.challenge_views import edit_view

    await world.challenge()
    asked = await world.grace.slash(world.general, "challenge edit", backfill_days=3)
    copy = await public_copy(world, edit_view(pending_id_of(asked.response), world.grace.id))
    await world.grace.click(asked.response, label="Confirm")
    again = await world.grace.click(copy, label="Confirm")
    assert again.ephemeral
    assert again.response.content.startswith("That change was already applied.")
    assert (await stored(world)).rules.backfill_days == 3


async def test_confirm_checks_the_edit_again(world: World) -> None:
    await world.challenge()
    asked = await world.grace.slash(world.general, "challenge edit", name="Data Club")
    await world.bot.services.challenges.create(
        guild_id=GUILD_ID, settings=ChallengeSettingsInput(name="data club"), now=world.env.now()
    )
    clash = await world.grace.click(asked.response, label="Confirm")
    assert "already runs a challenge called Data Club" in clash.response.content
    assert (await stored(world, "ML Club")).name == "ML Club"
    kept = await world.grace.click(asked.response, label="Cancel")
    assert kept.response.content == "Cancelled: nothing was changed."


async def test_editing_only_settings_moves_nobody(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    asked = await world.grace.slash(
        world.general,
        "challenge edit",
        name="ML Club 2026",
        progress_channel=world.progress,
        digest_day="Sunday",
        digest_time="20:00",
    )
    preview = asked.response.content
    assert "• name: ML Club → ML Club 2026" in preview
    assert f"• progress channel: not set → {world.progress.mention}" in preview
    assert "• digest: Mondays at 09:00 → Sundays at 20:00" in preview
    assert "The rules stay the same, so no member's day or streak moves." in preview
    await world.grace.click(asked.response, label="Confirm")
    challenge = await stored(world)
    assert (challenge.name, challenge.progress_channel_id) == ("ML Club 2026", world.progress.id)
    assert (challenge.digest_weekday, challenge.digest_time) == (6, time(20, 0))


async def test_a_case_only_rename_is_not_a_clash_with_itself(world: World) -> None:
    await world.challenge()
    asked = await world.grace.slash(world.general, "challenge edit", name="ML club")
    await world.grace.click(asked.response, label="Confirm")
    assert (await stored(world)).name == "ML club"


async def test_rest_days_none_clears_them(world: World) -> None:
    await world.challenge()
    first = await world.grace.slash(world.general, "challenge edit", rest_weekdays="Sat, Sun")
    await world.grace.click(first.response, label="Confirm")
    cleared = await world.grace.slash(world.general, "challenge edit", rest_weekdays="none")
    assert "• rest days: Saturday, Sunday → none" in cleared.response.content
    await world.grace.click(cleared.response, label="Confirm")
    assert (await stored(world)).rules.rest_weekdays == frozenset()


async def test_edit_refuses_impossible_or_empty_edits_politely(world: World) -> None:
    await world.challenge()
    empty = await world.grace.slash(world.general, "challenge edit")
    assert empty.ephemeral
    assert "That leaves ML Club as it is" in empty.response.content
    every_day = await world.grace.slash(
        world.general, "challenge edit", rest_weekdays="Mon,Tue,Wed,Thu,Fri,Sat,Sun"
    )
    assert "At least one weekday must be a working day." in every_day.response.content
    half_freezes = await world.grace.slash(world.general, "challenge edit", freeze_max=2)
    assert "Freezes need both" in half_freezes.response.content
    unknown = await world.grace.slash(world.general, "challenge edit", challenge="Chess")
    assert "There is no challenge called 'Chess' here" in unknown.response.content
    simcord.assert_error(world.env, DaybookError)
    assert (await stored(world)).rules == PRESETS["100-days-of-ml-code"]


# --- /challenge info and end -------------------------------------------------------------


async def test_info_shows_rules_channels_schedule_zone_and_members(world: World) -> None:
    await world.challenge(
        preset="100-days-of-code",
        timezone="Asia/Kolkata",
        progress_channel_id=world.progress.id,
        digest_channel_id=world.general.id,
        digest_day="Friday",
        digest_time="18:30",
    )
    await world.ada.slash(world.general, "join")
    await world.raj.slash(world.general, "join")
    shown = await world.grace.slash(world.general, "challenge info")
    assert shown.ephemeral
    content = shown.response.content
    assert content.startswith("**ML Club** · the 100-days-of-code preset · 2 members")
    assert "Time zone: Asia/Kolkata" in content
    assert f"Progress channel: {world.progress.mention}" in content
    assert f"Digest: Fridays at 18:30 (Asia/Kolkata) in {world.general.mention}" in content
    assert (
        "• A day counts with at least 60 minutes (on your word if you give none) and a link to "
        "your work." in content
    )


async def test_end_asks_first_then_stops_entries(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "log", text="an hour of ML", minutes=60)
    asked = await world.grace.slash(world.general, "challenge end")
    assert asked.ephemeral
    assert asked.response.content.startswith("End **ML Club**?")
    kept = await world.grace.click(asked.response, label="Cancel")
    assert kept.response.content == "Cancelled: the challenge keeps running."
    assert (await stored(world)).is_active

    asked = await world.grace.slash(world.general, "challenge end")
    ended = await world.grace.click(asked.response, label="End the challenge")

    assert ended.response.content.startswith("🏁 **ML Club** has ended.")
    assert await world.bot.services.challenges.active(GUILD_ID) == []
    logged = await world.ada.slash(world.general, "log", text="after the end", minutes=60)
    assert "This server has no challenge running" in logged.response.content
    simcord.assert_error(world.env, DaybookError)


async def test_end_buttons_belong_to_the_organizer_who_asked(world: World) -> None:
    from cogs._ui.challenge_views import end_view

    challenge = await world.challenge()
    lin = await second_organizer(world)
    copy = await public_copy(world, end_view(challenge.id, world.grace.id))
    refused = await lin.click(copy, label="End the challenge")
    assert "Only the organizer who asked for this" in refused.response.content
    assert (await stored(world)).is_active


# --- /admin adjust -----------------------------------------------------------------------


async def test_adjust_count_excuse_and_discount_show_in_the_ledger(world: World) -> None:
    await world.challenge()  # 100-days-of-ml-code: an hour a day, gaps pause
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "log", text="half an hour", minutes=30)  # Mon 2
    await world.later(days=2)  # Tue 3 missed
    await world.ada.slash(world.general, "log", text="not really ML", minutes=60)  # Wed 4
    await world.later(days=1)  # Thu 5

    counted = await world.grace.slash(
        world.general,
        "admin adjust",
        member=world.ada,
        day="2026-03-02",
        kind="count",
        reason="Discord was down",
    )
    assert counted.ephemeral
    content = counted.response.content
    assert content.startswith(f"Adjusted Mon 2 Mar for {world.ada.mention} in **ML Club**")
    assert "the day counts." in content
    assert "Their ledger now says: ✅ `Mon 2 Mar`" in content
    assert "Discord was down" in content

    excused = await world.grace.slash(
        world.general,
        "admin adjust",
        member=world.ada,
        day="2026-03-03",
        kind="excuse",
        reason="in hospital",
    )
    assert "the day is excused." in excused.response.content
    assert "🩹 `Tue 3 Mar` Excused by an organizer: in hospital" in excused.response.content

    discounted = await world.grace.slash(
        world.general,
        "admin adjust",
        member=world.ada,
        day="2026-03-04",
        kind="discount",
        reason="a cooking video",
    )
    assert "the day does not count." in discounted.response.content

    why = await world.ada.slash(world.general, "why")
    lines = why.response.embeds[0].description.splitlines()
    assert lines[0].startswith("✅ `Mon 2 Mar`")
    assert "Discord was down" in lines[0]
    assert lines[1] == "🩹 `Tue 3 Mar` Excused by an organizer: in hospital"
    assert lines[2].startswith("⚠️ `Wed 4 Mar`")
    assert "an organizer did not count this day" in lines[2]
    assert fields(await world.ada.slash(world.general, "streak"))["Day"].startswith("1")


async def test_adjust_refuses_bad_days_and_outsiders_politely(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    future = await world.grace.slash(
        world.general, "admin adjust", member=world.ada, day="2026-03-09", kind="count", reason="x"
    )
    assert "Mon 9 Mar has not started yet for that member" in future.response.content
    garbled = await world.grace.slash(
        world.general, "admin adjust", member=world.ada, day="Monday", kind="count", reason="x"
    )
    assert "must be a date written YYYY-MM-DD" in garbled.response.content
    outsider = await world.grace.slash(
        world.general, "admin adjust", member=world.raj, day="2026-03-02", kind="count", reason="x"
    )
    assert "That member is not taking part in ML Club" in outsider.response.content
    simcord.assert_error(world.env, DaybookError)


# --- members -----------------------------------------------------------------------------


async def test_members_read_the_rules_but_cannot_run_organizer_commands(world: World) -> None:
    await world.challenge()
    for command in ORGANIZER_COMMANDS:
        assert command in world.grace.available_commands(world.general)
    # Discord's default permissions cover a whole command group: /challenge stays visible so
    # members can read /challenge info; its organizer subcommands refuse them in code.
    assert "challenge info" in world.ada.available_commands(world.general)
    assert "admin adjust" not in world.ada.available_commands(world.general)
    refused = [
        await world.ada.slash(world.general, "challenge create", name="Mine"),
        await world.ada.slash(world.general, "challenge edit", min_minutes=1),
        await world.ada.slash(world.general, "challenge end"),
        await world.ada.slash(world.general, "challenge milestone-role", milestone="day7"),
    ]
    for attempt in refused:
        assert attempt.ephemeral
        assert attempt.response.content == (
            "Only organizers (members who can manage this server) can do that."
        )
    simcord.assert_error(world.env, NotAllowedError)
    assert [c.name for c in await world.bot.services.challenges.active(GUILD_ID)] == ["ML Club"]
    assert (await stored(world)).rules.min_minutes == 60
    with pytest.raises(simcord.SetupError, match="default-member-permissions"):
        await world.ada.slash(
            world.general,
            "admin adjust",
            member=world.ada,
            day="2026-03-02",
            kind="count",
            reason="me",
        )


async def test_a_member_granted_the_commands_is_still_refused_in_code(world: World) -> None:
    challenge = await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    synced = await world.bot.tree.fetch_commands(guild=discord.Object(GUILD_ID))
    for command in synced:
        if command.name in ("challenge", "admin"):
            world.guild.set_command_permissions(command, {world.ada: True})
    assert "challenge create" in world.ada.available_commands(world.general)

    attempts = [
        await world.ada.slash(world.general, "challenge create", name="Mine"),
        await world.ada.slash(world.general, "challenge edit", min_minutes=1),
        await world.ada.slash(world.general, "challenge end"),
        await world.ada.slash(
            world.general,
            "admin adjust",
            member=world.ada,
            day="2026-03-02",
            kind="count",
            reason="me",
        ),
    ]

    for attempt in attempts:
        assert attempt.ephemeral
        assert attempt.response.content == (
            "Only organizers (members who can manage this server) can do that."
        )
    simcord.assert_error(world.env, NotAllowedError)
    assert await world.bot.services.challenges.active(GUILD_ID) == [challenge]
    assert (await stored(world)).rules.min_minutes == 60
    ledger = await world.bot.services.progress.ledger(
        guild_id=GUILD_ID, viewer_id=world.ada.id, now=world.env.now()
    )
    assert not ledger.ledger.rows[0].counted


async def test_an_organizer_who_lost_manage_server_cannot_confirm(world: World) -> None:
    await world.challenge()
    mods = world.guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    lin = world.guild.add_member(world.env.create_user("lin"), roles=[mods])
    await world.env.settle()
    asked = await lin.slash(world.general, "challenge edit", min_minutes=5)
    # Before Lin confirms, the server takes the role away (the bot may manage roles).
    await world.bot.http.remove_role(GUILD_ID, lin.id, mods.id)
    await world.env.settle()

    refused = await lin.click(asked.response, label="Confirm")

    assert refused.response.content == (
        "Only organizers (members who can manage this server) can do that."
    )
    assert (await stored(world)).rules.min_minutes == 60
    cancelled = await lin.click(asked.response, label="Cancel")  # cancelling changes nothing
    assert cancelled.response.content == "Cancelled: nothing was changed."

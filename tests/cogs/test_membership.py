"""Members' own settings through Discord: /timezone, /settings, /leave and coming back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import simcord

from bot.errors import DaybookError
from tests.cogs.conftest import GUILD_ID, World

NO_PROGRESS = "There is no progress to show for that member."
LOST = (
    "Your time zone US/Pacific-New is no longer known; set it with /timezone. "
    "Until then your days follow the challenge's time zone."
)


async def test_timezone_change_keeps_the_days_already_logged(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="Asia/Tokyo")
    # 23:30 in Tokyo on Monday 2 March is 14:30 UTC: Monday's post.
    await world.at(datetime(2026, 3, 2, 14, 30, tzinfo=UTC))
    await world.ada.slash(world.general, "log", text="evening session", minutes=60)
    changed = await world.ada.slash(world.general, "timezone", zone="America/Los_Angeles")
    assert changed.ephemeral
    assert "Days you already logged keep their date." in changed.response.content
    why = (await world.ada.slash(world.general, "why")).response.embeds[0].description
    assert "✅ `Mon 2 Mar`" in why
    typo = await world.ada.slash(world.general, "timezone", zone="America/Los_Angles")
    assert "Did you mean America/Los_Angeles" in typo.response.content
    simcord.assert_error(world.env, DaybookError)


async def test_settings_show_and_hide_a_member_on_boards(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    shown = await world.ada.slash(world.general, "settings")
    assert shown.ephemeral
    assert shown.response.content == (
        "**ML Club**: your settings\n"
        "Time zone: UTC (your day ends at 04:00: a post before then counts for the day before)\n"
        "Reminders: off (`/remind` turns them on)\n"
        "Leaderboards and digests: you are shown (`/settings visible:False` hides you)\n"
        "Started: Mon 2 Mar"
    )
    hidden = await world.ada.slash(world.general, "settings", visible=False)
    assert (
        "Leaderboards and digests: you are hidden (`/settings visible:True` shows you)"
        in hidden.response.content
    )
    peek = await world.raj.slash(world.general, "streak", member=world.ada)
    assert peek.ephemeral
    # The same words as for someone who never joined: hiding does not reveal taking part.
    stranger = await world.raj.slash(world.general, "streak", member=world.grace)
    assert peek.response.content == stranger.response.content == NO_PROGRESS
    simcord.assert_error(world.env, DaybookError)


async def test_leave_then_come_back_where_you_were(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "log", text="day one", minutes=60)
    left = await world.ada.slash(world.general, "leave")
    assert "Your days are kept" in left.response.content
    refused = await world.ada.slash(world.general, "log", text="while away", minutes=60)
    assert "You left ML Club" in refused.response.content
    back = await world.ada.slash(world.general, "join")
    assert back.response.content.startswith("Welcome back to **ML Club**")
    streak = await world.ada.slash(world.general, "streak")
    assert streak.response.embeds[0].fields[0].value.startswith("1")
    simcord.assert_error(world.env, DaybookError)


async def test_a_hidden_member_stays_hidden_after_leaving_and_coming_back(world: World) -> None:
    await world.challenge()
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
        await member.slash(world.general, "log", text="an hour of ML", minutes=60)
    await world.ada.slash(world.general, "settings", visible=False)

    await world.ada.slash(world.general, "leave")
    gone = await world.raj.slash(world.general, "why", member=world.ada)
    await world.ada.slash(world.general, "join")
    back = await world.raj.slash(world.general, "why", member=world.ada)

    assert gone.response.content == back.response.content == NO_PROGRESS
    mine = await world.ada.slash(world.general, "settings")
    assert "Leaderboards and digests: you are hidden" in mine.response.content
    board = await world.raj.slash(world.general, "leaderboard")
    lines = board.followups[-1].embeds[0].description
    assert "raj" in lines
    assert "ada" not in lines
    simcord.assert_error(world.env, DaybookError)


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        ("localtime", ""),
        ("posixrules", ""),
        ("Factory", ""),
        ("right/Europe/London", " Did you mean Europe/London?"),
        ("posix/Asia/Tokyo", " Did you mean Asia/Tokyo?"),
        ("US/Pacific-New", " Did you mean America/Los_Angeles?"),
    ],
)
async def test_join_refuses_names_that_are_not_zones_everywhere(
    world: World, zone: str, hint: str
) -> None:
    await world.challenge()

    refused = await world.ada.slash(world.general, "join", timezone=zone)

    assert refused.ephemeral
    assert refused.response.content.startswith(f"'{zone}' is not a time zone I know.")
    assert refused.response.content.endswith("Asia/Kolkata." + hint)
    with pytest.raises(DaybookError):
        await world.bot.services.participants.mine(
            guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
        )
    simcord.assert_error(world.env, DaybookError)


async def test_timezone_autocomplete_offers_only_real_zones(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")

    for typed in ("local", "posix", "right/", "Fact", "Europe/Lon"):
        choices = await world.ada.autocomplete(world.general, "timezone", "zone", typed)
        offered = [choice["value"] for choice in choices]
        assert not any(
            name in ("localtime", "posixrules", "Factory") or name.startswith(("posix", "right/"))
            for name in offered
        ), offered
    london = await world.ada.autocomplete(world.general, "timezone", "zone", "Europe/Lon")
    assert [choice["value"] for choice in london] == ["Europe/London"]


async def test_the_timezone_reply_names_the_zone_as_stored(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")

    changed = await world.ada.slash(world.general, "timezone", zone=" europe/berlin ")

    assert changed.response.content.startswith("Your time zone is now Europe/Berlin in ML Club.")
    mine = await world.bot.services.participants.mine(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert mine.timezone == "Europe/Berlin"


async def lose_zone(world: World, member: simcord.MemberActor, zone: str) -> None:
    """Store a zone this tzdata no longer has, as if tzdata had dropped it since."""
    mine = await world.bot.services.participants.mine(
        guild_id=GUILD_ID, user_id=member.id, challenge=None
    )
    async with world.bot.database.write() as repos:
        await repos.participants.set_timezone(mine.id, zone, world.env.now())


async def test_a_lost_zone_is_told_once_and_the_member_carries_on(world: World) -> None:
    await world.challenge(timezone="Asia/Tokyo")
    await world.ada.slash(world.general, "join", timezone="UTC")
    await lose_zone(world, world.ada, "US/Pacific-New")
    # 20:00 UTC on Monday is 05:00 on Tuesday in Tokyo, the challenge's zone, past the 04:00
    # rollover: Tuesday there (and still Monday in UTC, her zone before).
    await world.at(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))

    logged = await world.ada.slash(world.general, "log", text="an hour of ML", minutes=60)
    again = await world.ada.slash(world.general, "streak")

    assert [followup.content for followup in logged.followups] == [LOST]
    assert logged.followups[0].flags.ephemeral
    assert again.followups == []  # told once
    assert again.response.embeds[0].fields[0].value.startswith("1 ")
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert entry.local_day.isoformat() == "2026-03-03"

    fixed = await world.ada.slash(world.general, "timezone", zone="America/Los_Angeles")
    assert fixed.followups == []
    assert (await world.ada.slash(world.general, "streak")).followups == []
    assert world.env.errors == []


async def test_a_lost_zone_never_stops_the_reminders_of_others(world: World) -> None:
    await world.challenge(progress_channel_id=world.progress.id)
    for member in (world.ada, world.raj):
        await member.slash(world.general, "join", timezone="UTC")
        await member.slash(world.general, "remind", time="20:30")
    await lose_zone(world, world.ada, "right/Europe/London")
    await world.at(datetime(2026, 3, 2, 20, 31, tzinfo=UTC))

    report = await world.bot.tick_reminders()
    await world.env.settle()

    [message] = world.progress.history()
    assert f"<@{world.raj.id}>" in message.content
    assert f"<@{world.ada.id}>" not in message.content  # skipped until she sets a zone
    assert report.sent == 1
    assert world.env.errors == []

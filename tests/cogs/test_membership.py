"""Members' own settings through Discord: /timezone, /settings, /leave and coming back."""

from __future__ import annotations

from datetime import UTC, datetime

import simcord

from bot.errors import DaybookError
from tests.cogs.conftest import World


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
    assert "time zone UTC" in shown.response.content
    assert "shown on leaderboards" in shown.response.content
    hidden = await world.ada.slash(world.general, "settings", visible=False)
    assert "hidden from leaderboards" in hidden.response.content
    peek = await world.raj.slash(world.general, "streak", member=world.ada)
    assert "keeps their progress private" in peek.response.content
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

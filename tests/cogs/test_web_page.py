"""/challenge edit web and /challenge info: an organizer turns a challenge's public page on."""

from __future__ import annotations

import asyncio

import pytest
import simcord

from bot.config import Settings
from bot.errors import DaybookError
from tests._postgres import scratch_url
from tests.cogs.conftest import GUILD_ID, World

WEB_URL = "https://daybook.example.org"


async def stored(world: World):  # type: ignore[no-untyped-def]
    return await world.bot.services.challenges.get(guild_id=GUILD_ID, challenge=None)


async def test_turning_the_page_on_is_refused_when_the_host_serves_none(world: World) -> None:
    await world.challenge()
    refused = await world.grace.slash(world.general, "challenge edit", web=True)
    assert refused.ephemeral
    assert refused.response.content == (
        "This Daybook does not serve public pages: whoever hosts it has not set their address "
        "(DAYBOOK_WEB_URL). Nothing was changed."
    )
    simcord.assert_error(world.env, DaybookError)
    challenge = await stored(world)
    assert (challenge.web_enabled, challenge.web_id) == (False, None)


async def test_only_organizers_turn_the_page_on(world: World) -> None:
    await world.challenge()
    refused = await world.ada.slash(world.general, "challenge edit", web=True)
    assert "Only organizers" in refused.response.content
    simcord.assert_error(world.env, DaybookError)
    assert not (await stored(world)).web_enabled


class TestWithAnAddress:
    @pytest.fixture
    def settings(self, tmp_path) -> Settings:
        return Settings(
            database_url=scratch_url(tmp_path / "daybook.db"),
            dev_guild_id=GUILD_ID,
            web_url=WEB_URL,
        )

    async def test_on_at_once_with_the_address_which_info_shows(self, world: World) -> None:
        await world.challenge()
        turned = await world.grace.slash(world.general, "challenge edit", web=True)
        challenge = await stored(world)
        assert challenge.web_enabled
        assert challenge.web_id is not None
        # At least 128 random bits: 22 URL-safe characters carry 132.
        assert len(challenge.web_id) >= 22
        address = f"{WEB_URL}/c/{challenge.web_id}"
        # No preview to confirm: the page moves nobody's days.
        assert turned.response.components == []
        assert turned.response.content.startswith(f"✅ **ML Club** has a public page: <{address}>")
        info = await world.ada.slash(world.general, "challenge info")
        assert f"Public page: <{address}>" in info.response.content

    async def test_off_and_on_again_keeps_the_address(self, world: World) -> None:
        await world.challenge()
        await world.grace.slash(world.general, "challenge edit", web=True)
        first = (await stored(world)).web_id
        off = await world.grace.slash(world.general, "challenge edit", web=False)
        assert "public page is off" in off.response.content
        # Pages (and browsers) keep a page up to a minute: the reply must not say "now".
        assert "within a minute its address shows nothing" in off.response.content
        info = await world.grace.slash(world.general, "challenge info")
        assert "Public page: off" in info.response.content
        assert first is not None
        assert first not in info.response.content
        await world.grace.slash(world.general, "challenge edit", web=True)
        assert (await stored(world)).web_id == first

    async def test_with_other_changes_the_page_is_in_the_preview(self, world: World) -> None:
        await world.challenge()
        asked = await world.grace.slash(world.general, "challenge edit", web=True, name="ML Club 2")
        assert "• public page: off → on" in asked.response.content
        assert not (await stored(world)).web_enabled
        await world.grace.click(asked.response, label="Confirm")
        challenge = await stored(world)
        assert (challenge.name, challenge.web_enabled) == ("ML Club 2", True)
        assert challenge.web_id is not None


async def test_a_member_s_display_name_is_stored_when_they_use_a_command(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    names = await world.bot.services.names.stored(GUILD_ID, [world.ada.id])
    # Made with env.create_user("ada"): no nickname, no global name, so the username shows.
    assert names == {world.ada.id: "ada"}


async def test_a_member_seen_first_since_an_upgrade_is_named_beside_their_command(
    world: World,
) -> None:
    # Raj joined before names were kept (no interaction stored one); his next command does,
    # in a task beside the command so that it never delays the answer.
    await world.challenge()
    await world.bot.services.participants.join(
        guild_id=GUILD_ID, user_id=world.raj.id, now=world.env.now(), timezone="UTC"
    )
    assert await world.bot.services.names.stored(GUILD_ID, [world.raj.id]) == {
        world.raj.id: "a member"
    }

    answered = await world.raj.slash(world.general, "streak")

    assert answered.ephemeral
    await asyncio.gather(*world.bot.tree._naming)
    assert await world.bot.services.names.stored(GUILD_ID, [world.raj.id]) == {world.raj.id: "raj"}

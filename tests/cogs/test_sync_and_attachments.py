"""Command sync (globally only when the commands change) and posts with attachments."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import simcord

from bot.app import create_bot
from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import DaybookError
from tests._postgres import scratch_url
from tests.cogs.conftest import START, World


def global_syncs(env: simcord.Env) -> int:
    return sum(
        1
        for request in env.http_requests
        if request.method == "PUT"
        and request.path.endswith("/commands")
        and "/guilds/" not in request.path
    )


async def test_global_commands_sync_once_and_not_again_when_unchanged(tmp_path) -> None:
    settings = Settings(database_url=scratch_url(tmp_path / "daybook.db"))
    clock = FixedClock(START)
    with ThreadPoolExecutor(1) as charts:
        async with simcord.run(
            create_bot(settings, clock=clock, chart_executor=charts, run_scheduler=False)
        ) as env:
            guild = env.create_guild("Anywhere")
            channel = guild.create_text_channel("general")
            member = guild.add_member(env.create_user("ada"))
            assert global_syncs(env) == 1
            await env.restart_bot(
                create_bot(settings, clock=clock, chart_executor=charts, run_scheduler=False)
            )
            assert global_syncs(env) == 1  # same commands: nothing to sync
            answered = await member.slash(channel, "streak")  # the synced commands still work
            assert "no challenge running" in answered.response.content
            simcord.assert_error(env, DaybookError)


@pytest.mark.parametrize("text", [None, "my notebook, as a picture"])
async def test_log_with_an_attachment_keeps_it(world: World, text: str | None) -> None:
    await world.challenge(preset="x-days-of-ml-code")
    await world.ada.slash(world.general, "join", timezone="UTC")
    options = {"attachment": ("notebook.png", b"\x89PNG\r\n\x1a\n fake")}
    if text:
        options["text"] = text
    logged = await world.ada.slash(world.general, "log", **options)
    assert logged.response.content.startswith("✅ Logged for today, Mon 2 Mar: it counts.")
    recent = await world.bot.services.entries.recent(
        guild_id=world.guild.id, user_id=world.ada.id, challenge=None
    )
    assert len(recent[0].attachments) == 1
    assert recent[0].attachments[0].endswith("notebook.png")

"""Issue 12's change read by an adversary: channel posts (message content on, a 1 MB allowance)."""

from __future__ import annotations

import pytest

from bot.config import Settings
from tests._postgres import scratch_url
from tests.cogs.conftest import GUILD_ID, World


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        database_url=scratch_url(tmp_path / "daybook.db"),
        dev_guild_id=GUILD_ID,
        message_content=True,
        attachment_quota_mb=1,
    )


def replies(world: World) -> list[str]:
    """Return what the bot wrote in the progress channel, oldest first."""
    return [m.content for m in world.progress.history() if m.author.id == world.bot.user.id]


async def test_a_file_past_the_allowance_is_said_in_public_without_the_members_usage(
    world: World,
) -> None:
    # The reply to a channel post is public: which file was not kept is the member's own news,
    # but how much they keep (0.6 MB of 1.0 MB) is nobody else's.
    await world.challenge(preset="x-days-of-ml-code", progress_channel_id=world.progress.id)
    await world.ada.slash(world.general, "join", timezone="UTC")
    big = b"x" * 600_000
    await world.ada.send(world.progress, "first notebook", attachments=[("first.bin", big)])

    await world.ada.send(world.progress, "second notebook", attachments=[("second.bin", big)])

    [note] = [line for line in replies(world) if "second.bin" in line]
    assert note.startswith("📎 **second.bin** was not kept")
    assert "MB" not in note
    assert "The post itself is logged." in note

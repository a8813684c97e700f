"""Files with posts are kept by Daybook: shown after Discord's link expired, exported, deleted."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import discord
import pytest

from bot.config import Settings
from cogs._ui.views import entry_view
from tests._postgres import scratch_url
from tests.cogs.conftest import GUILD_ID, World
from tests.cogs.test_bad_input import public_copy

PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40  # 10,248 bytes, not text


async def joined(world: World) -> None:
    await world.challenge(preset="x-days-of-ml-code")
    await world.ada.slash(world.general, "join", timezone="UTC")


def expire(world: World, url: str) -> None:
    """Make a CDN URL unreachable, as Discord's signed URLs are after about a day."""
    # simcord's CDN is a dict of URL -> bytes; removing the entry makes the URL answer 404.
    assert world.env.backend.cdn.get(url) is not None
    world.env.backend.cdn._blobs.pop(url)
    assert world.env.backend.cdn.get(url) is None


def sent_bytes(world: World, attachment: discord.Attachment) -> bytes:
    """The bytes of a file the bot uploaded (kept in simcord's CDN under the new message)."""
    data = world.env.backend.cdn.get(attachment.url)
    assert data is not None
    return data


async def log_picture(world: World, name: str = "notebook.png", data: bytes = PICTURE):
    return await world.ada.slash(
        world.general, "log", text="Plotted the loss curve", attachment=(name, data)
    )


async def test_an_attachment_is_still_shown_after_its_cdn_url_would_have_expired(
    world: World,
) -> None:
    await joined(world)
    logged = await log_picture(world)
    assert logged.response.ephemeral
    assert "📎 Kept 1 file with this post." in logged.response.content
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    [url] = entry.attachments
    expire(world, url)
    # The original URL no longer answers: what follows can only come from Daybook's own copy.
    with pytest.raises(discord.NotFound):
        await world.bot.http.get_from_cdn(url)

    await world.later(days=2)
    shown = await world.ada.click(logged.response, label="Files")
    files = shown.response  # the first followup after the defer takes the "thinking" message
    assert shown.ephemeral
    [attachment] = files.attachments
    assert attachment.filename == "notebook.png"
    assert sent_bytes(world, attachment) == PICTURE
    assert attachment.url != url

    why = await world.ada.slash(world.general, "why")
    assert why.response.ephemeral
    [again] = why.response.attachments
    assert sent_bytes(world, again) == PICTURE
    assert "notebook.png" in why.response.content


async def test_why_for_another_member_shows_no_files(world: World) -> None:
    await joined(world)
    await world.raj.slash(world.general, "join", timezone="UTC")
    await log_picture(world)
    why = await world.raj.slash(world.general, "why", member=world.ada)
    assert why.response.attachments == []


async def test_only_the_author_can_ask_for_a_posts_files(world: World) -> None:
    await joined(world)
    await log_picture(world)
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    # The reply is ephemeral; a public copy of its buttons lets another member try (a forgery).
    copy = await public_copy(world, entry_view(entry.id, world.ada.id, files=1))
    refused = await world.raj.click(copy, label="Files")
    assert refused.response.ephemeral
    assert "only its author" in refused.response.content
    assert refused.followups == []


@pytest.fixture
def settings(tmp_path) -> Settings:
    # A 1 MB allowance, so two files of 600 kB pass it.
    return Settings(
        database_url=scratch_url(tmp_path / "daybook.db"),
        dev_guild_id=GUILD_ID,
        attachment_quota_mb=1,
    )


async def test_a_file_past_the_members_allowance_is_not_kept_but_the_post_is(
    world: World,
) -> None:
    await joined(world)
    big = b"x" * 600_000
    first = await log_picture(world, "first.bin", big)
    assert "📎 Kept 1 file" in first.response.content
    second = await log_picture(world, "second.bin", big)
    text = second.response.content
    assert text.startswith("✅ Logged for today")  # the post counts all the same
    # 600,000 bytes used of 1,048,576: the second 600,000 would pass the allowance.
    assert "**second.bin** was not kept: your files in this challenge take 0.6 MB of 1.0 MB" in text
    assert "Delete an older post with files to make room" in text
    assert [c["label"] for c in second.response.components[0]["components"]] == [
        "Edit",
        "Delete",
    ]  # no Files button: nothing was kept
    async with world.bot.database.read() as repos:
        entries = await repos.entries.recent(
            (await repos.participants.challenges_of_user(GUILD_ID, world.ada.id))[0].id, 10
        )
        kept = await repos.attachments.for_entries([entry.id for entry in entries])
    assert sum(len(files) for files in kept.values()) == 1
    assert len(entries) == 2


async def test_a_download_that_fails_keeps_the_post_and_says_so(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await joined(world)

    async def times_out(self: discord.Attachment, **_: object) -> bytes:
        raise TimeoutError

    monkeypatch.setattr(discord.Attachment, "read", times_out)
    logged = await log_picture(world)
    assert logged.response.content.startswith("✅ Logged for today, Mon 2 Mar: it counts.")
    assert "**notebook.png** could not be kept: Discord did not give me the file." in (
        logged.response.content
    )


async def test_the_zip_export_holds_the_kept_files_and_the_json_lists_them(world: World) -> None:
    await joined(world)
    await log_picture(world)
    await log_picture(world, "../../etc/passwd", b"not a password")
    [second, first] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    expire(world, first.attachments[0])
    expire(world, second.attachments[0])

    exported = await world.ada.slash(world.general, "export", format="zip")
    message = exported.response
    assert exported.ephemeral
    assert "2 kept files" in message.content
    [attachment] = message.attachments
    archive = zipfile.ZipFile(io.BytesIO(sent_bytes(world, attachment)))
    day = first.local_day.isoformat()
    names = set(archive.namelist())
    assert f"attachments/{day}/1-notebook.png" in names
    assert f"attachments/{day}/2-passwd" in names  # the folders of the name are dropped
    assert all(not name.startswith("/") and ".." not in name for name in names)
    assert archive.read(f"attachments/{day}/1-notebook.png") == PICTURE
    document = json.loads(archive.read("ml-club-log.json"))
    listed = [file for row in document["entries"] for file in row["attachments"]]
    assert listed[0] == {
        "filename": "notebook.png",
        "size": len(PICTURE),
        "sha256": hashlib.sha256(PICTURE).hexdigest(),
        "path": f"attachments/{day}/1-notebook.png",
    }


async def test_deleting_the_post_deletes_its_files(world: World) -> None:
    await joined(world)
    logged = await log_picture(world)
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    asked = await world.ada.click(logged.response, label="Delete")
    async with world.bot.database.read() as repos:  # asking to confirm deletes nothing yet
        assert list(await repos.attachments.for_entries([entry.id])) == [entry.id]
    await world.ada.click(asked.response, label="Delete")
    async with world.bot.database.read() as repos:
        assert await repos.attachments.for_entries([entry.id]) == {}
        assert await repos.attachments.used_by(entry.participant_id) == 0


async def test_forget_me_deletes_the_files(world: World) -> None:
    await joined(world)
    await log_picture(world)
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    asked = await world.ada.slash(world.general, "forget-me")
    await world.ada.click(asked.response, label="Delete everything")
    async with world.bot.database.read() as repos:
        assert await repos.attachments.for_entries([entry.id]) == {}

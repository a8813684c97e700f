"""Posts in threads of the progress channel, and forum posts of a progress forum, count."""

from __future__ import annotations

import discord
import pytest
import simcord
from simcord.builders import ChannelHandle

from bot.config import Settings
from bot.domain.models import EntrySource
from tests._postgres import scratch_url
from tests.cogs.conftest import GUILD_ID, World

LINKED = "Trained a small CNN on MNIST https://github.com/ada/cnn"
PICTURE = b"\x89PNG\r\n\x1a\n" + b"\x01" * 300


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        database_url=scratch_url(tmp_path / "daybook.db"),
        dev_guild_id=GUILD_ID,
        message_content=True,
    )


async def entries_of(world: World, member: simcord.MemberActor):
    return await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=member.id, challenge=None
    )


async def bot_marks(world: World, channel_id: int, message_id: int) -> list[str]:
    fetched = await world.bot.get_channel(channel_id).fetch_message(message_id)
    return [str(reaction.emoji) for reaction in fetched.reactions if reaction.me]


def member_forum_post(world: World, forum: ChannelHandle, author: simcord.MemberActor, name: str):
    """Open a forum post's thread as a member would (simcord's forum posts are the bot's own)."""
    backend = world.env.backend
    thread = backend.create_thread(forum.id, name, author.id, broadcast=False)
    backend.announce_thread_create(thread)
    return ChannelHandle(world.env, world.guild, thread)


async def test_a_post_in_a_thread_of_the_progress_channel_counts(world: World) -> None:
    await world.challenge(preset="100-days-of-code", progress_channel_id=world.progress.id)
    await world.ada.slash(world.general, "join", timezone="UTC")
    thread = await world.bot.get_channel(world.progress.id).create_thread(
        name="ada's log", type=discord.ChannelType.public_thread
    )
    await world.env.settle()
    [handle] = world.progress.threads
    assert handle.id == thread.id

    post = await world.ada.send(handle, LINKED)

    assert await bot_marks(world, handle.id, post.id) == ["✅"]
    [entry] = await entries_of(world, world.ada)
    assert (entry.source, entry.message_id, entry.channel_id) == (
        EntrySource.CHANNEL,
        post.id,
        handle.id,
    )


async def test_a_thread_of_another_channel_does_not_count(world: World) -> None:
    await world.challenge(preset="100-days-of-code", progress_channel_id=world.progress.id)
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.bot.get_channel(world.general.id).create_thread(
        name="chat", type=discord.ChannelType.public_thread
    )
    await world.env.settle()
    [handle] = world.general.threads
    await world.ada.send(handle, LINKED)
    assert await entries_of(world, world.ada) == []


async def test_a_forum_post_counted(world: World) -> None:
    forum = world.guild.create_forum_channel("progress-forum")
    await world.env.settle()
    await world.challenge(preset="100-days-of-code", progress_channel_id=forum.id)
    await world.ada.slash(world.general, "join", timezone="UTC")
    post_thread = member_forum_post(world, forum, world.ada, "Day 1")
    await world.env.settle()

    post = await world.ada.send(post_thread, LINKED, attachments=[("cnn.png", PICTURE)])
    inside = await world.ada.send(post_thread, "Read about pooling, no link yet")

    assert await bot_marks(world, post_thread.id, post.id) == ["✅"]
    entries = await entries_of(world, world.ada)
    assert sorted(entry.message_id for entry in entries) == sorted([post.id, inside.id])
    assert all(entry.source is EntrySource.CHANNEL for entry in entries)
    # The forum post's file is kept like a top-level post's.
    async with world.bot.database.read() as repos:
        kept = await repos.attachments.for_entries([entry.id for entry in entries])
    [[file]] = kept.values()
    assert (file.filename, file.size) == ("cnn.png", len(PICTURE))


async def test_deleting_a_channel_post_deletes_its_files(world: World) -> None:
    await world.challenge(preset="100-days-of-code", progress_channel_id=world.progress.id)
    await world.ada.slash(world.general, "join", timezone="UTC")
    post = await world.ada.send(world.progress, LINKED, attachments=[("cnn.png", PICTURE)])
    [entry] = await entries_of(world, world.ada)
    async with world.bot.database.read() as repos:
        assert len((await repos.attachments.for_entries([entry.id]))[entry.id]) == 1

    await world.ada.delete(post)

    async with world.bot.database.read() as repos:
        assert await repos.attachments.for_entries([entry.id]) == {}

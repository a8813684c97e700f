"""Posts in the progress channel with message content on: entries, reactions and replies."""

from __future__ import annotations

import asyncio
import logging

import discord
import pytest
import simcord

from bot.config import Settings
from bot.domain.models import Challenge, EntrySource
from tests._postgres import scratch_url
from tests.cogs.conftest import GUILD_ID, World

LINKED = "Trained a small CNN on MNIST https://github.com/ada/cnn"
UNLINKED = "Read about convolutions today"


@pytest.fixture
def message_content() -> bool:
    return True


@pytest.fixture
def settings(tmp_path, message_content) -> Settings:
    return Settings(
        database_url=scratch_url(tmp_path / "daybook.db"),
        dev_guild_id=GUILD_ID,
        message_content=message_content,
    )


async def code_challenge(world: World) -> Challenge:
    """#100DaysOfCode with the progress channel: a post needs a link to count."""
    return await world.challenge(preset="100-days-of-code", progress_channel_id=world.progress.id)


async def joined(world: World, *members: simcord.MemberActor) -> None:
    for member in members:
        await member.slash(world.general, "join", timezone="UTC")


async def bot_marks(world: World, channel: simcord.ChannelHandle, message_id: int) -> list[str]:
    """The reactions the bot itself left on a message (the bot's view: `me` is reliable)."""
    fetched = await world.bot.get_channel(channel.id).fetch_message(message_id)
    return [str(reaction.emoji) for reaction in fetched.reactions if reaction.me]


def replies_to(channel: simcord.ChannelHandle, message_id: int) -> list[discord.Message]:
    return [
        message
        for message in channel.history()
        if message.reference is not None and message.reference.message_id == message_id
    ]


def bot_messages(world: World, channel: simcord.ChannelHandle) -> list[discord.Message]:
    return [message for message in channel.history() if message.author.id == world.bot.user.id]


async def live_entries(world: World, challenge: Challenge) -> int:
    async with world.bot.database.read() as repos:
        return await repos.entries.count_live(challenge.id)


async def test_a_participants_post_is_an_entry_and_gets_a_tick(world: World) -> None:
    await code_challenge(world)
    await joined(world, world.ada)

    post = await world.ada.send(world.progress, LINKED)

    assert await bot_marks(world, world.progress, post.id) == ["✅"]
    assert bot_messages(world, world.progress) == []  # a counted post needs no words
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert (entry.source, entry.message_id, entry.channel_id) == (
        EntrySource.CHANNEL,
        post.id,
        world.progress.id,
    )
    assert entry.text == LINKED
    assert entry.created_at == post.created_at
    assert [link.url for link in entry.links] == ["https://github.com/ada/cnn"]
    streak = await world.ada.slash(world.general, "streak")
    assert streak.response.embeds[0].fields[0].value.startswith("1 ")


async def test_a_post_that_does_not_count_gets_an_hourglass_and_one_reply_a_day(
    world: World,
) -> None:
    await code_challenge(world)
    await joined(world, world.ada)

    first = await world.ada.send(world.progress, UNLINKED)

    assert await bot_marks(world, world.progress, first.id) == ["⏳"]
    [why] = replies_to(world.progress, first.id)
    assert why.content.startswith(
        "⏳ Logged for today, Mon 2 Mar, but it does not count yet.\n"
        "Still needed to count Mon 2 Mar: a link to your work.\n"
        "Add the link (to a commit, a notebook, a post) by editing this post."
    )

    second = await world.ada.send(world.progress, "More reading about pooling")
    assert await bot_marks(world, world.progress, second.id) == ["⏳"]
    assert replies_to(world.progress, second.id) == []
    assert len(bot_messages(world, world.progress)) == 1

    await world.later(days=1)
    third = await world.ada.send(world.progress, "Still no link today")
    assert len(replies_to(world.progress, third.id)) == 1  # a new day, a new explanation


async def test_editing_the_post_edits_the_entry_and_the_reaction_follows(world: World) -> None:
    await code_challenge(world)
    await joined(world, world.ada)
    post = await world.ada.send(world.progress, UNLINKED)
    await world.later(minutes=10)

    await world.ada.edit(post, f"{UNLINKED}: https://github.com/ada/notes")

    assert await bot_marks(world, world.progress, post.id) == ["✅"]
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert entry.text == f"{UNLINKED}: https://github.com/ada/notes"
    assert entry.edited_at is not None
    assert entry.has_link

    await world.ada.edit(post, UNLINKED)  # the link taken out again: back to ⏳, no new reply

    assert await bot_marks(world, world.progress, post.id) == ["⏳"]
    assert len(replies_to(world.progress, post.id)) == 1


async def test_deleting_the_post_deletes_the_entry(world: World) -> None:
    challenge = await code_challenge(world)
    await joined(world, world.ada)
    post = await world.ada.send(world.progress, LINKED)
    assert await live_entries(world, challenge) == 1

    await world.ada.delete(post)

    assert await live_entries(world, challenge) == 0
    streak = await world.ada.slash(world.general, "streak")
    assert streak.response.embeds[0].fields[0].value.startswith("0 ")
    assert streak.response.embeds[0].fields[1].value == "0 days"


async def test_a_moderators_bulk_delete_deletes_the_entries(world: World) -> None:
    challenge = await code_challenge(world)
    await joined(world, world.ada)
    posts = [await world.ada.send(world.progress, f"{LINKED}?day={n}") for n in range(2)]

    await world.bot.get_channel(world.progress.id).delete_messages(
        [discord.Object(post.id) for post in posts]
    )
    await world.env.settle()

    assert await live_entries(world, challenge) == 0


async def test_someone_who_has_not_joined_gets_one_hint_and_nothing_is_stored(
    world: World,
) -> None:
    challenge = await code_challenge(world)

    first = await world.raj.send(world.progress, LINKED)
    second = await world.raj.send(world.progress, "and another one")

    [hint] = replies_to(world.progress, first.id)
    assert hint.content == (
        "Hi! Posts here count once you `/join` ML Club. I did not record this one."
    )
    assert replies_to(world.progress, second.id) == []
    assert await bot_marks(world, world.progress, first.id) == []
    assert await live_entries(world, challenge) == 0

    await joined(world, world.raj)
    third = await world.raj.send(world.progress, LINKED)
    assert await bot_marks(world, world.progress, third.id) == ["✅"]


async def test_an_attachment_alone_is_a_post(world: World) -> None:
    await world.challenge(progress_channel_id=world.progress.id)  # no link needed
    await joined(world, world.ada)

    post = await world.ada.send(world.progress, attachments=[("plot.png", b"\x89PNG fake")])

    assert await bot_marks(world, world.progress, post.id) == ["✅"]
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert entry.text == ""
    assert entry.attachments == (post.attachments[0].url,)


async def test_other_channels_replies_bots_and_webhooks_are_ignored(
    world: World,
) -> None:
    challenge = await code_challenge(world)
    await joined(world, world.ada, world.raj)
    helper = world.guild.add_member(world.env.create_user("helper", bot=True))
    hook = world.guild.create_webhook(world.progress, "CI")
    await world.env.settle()
    post = await world.ada.send(world.progress, LINKED)

    await world.ada.send(world.general, LINKED)  # another channel
    await world.raj.send(world.progress, f"Nice! {LINKED}", reply_to=post)  # a reply
    # (Messages in threads of the progress channel count: tests/cogs/test_threads_and_forums.py.)
    await helper.send(world.progress, LINKED)  # a bot
    await hook.send(LINKED)  # a webhook

    assert await live_entries(world, challenge) == 1
    answered = [
        request.path
        for request in world.env.http_requests
        if "/reactions/" in request.path or request.path.endswith("/messages")
    ]
    # Only the one real post got a reaction; nothing else was reacted or replied to.
    assert answered == [f"/channels/{world.progress.id}/messages/{post.id}/reactions/%E2%9C%85/@me"]


async def test_what_a_post_mentions_pings_nobody(world: World) -> None:
    await code_challenge(world)
    await joined(world, world.ada)
    mods = world.guild.create_role("Mods")
    await world.env.settle()
    loud = f"@everyone {mods.mention} {world.raj.mention} look at this"

    posts = [
        await world.ada.send(world.progress, loud),  # a participant: ⏳ and the explanation
        await world.grace.send(world.progress, loud),  # not joined: the hint
    ]

    sent = [
        request
        for request in world.env.http_requests
        if request.method == "POST" and request.path == f"/channels/{world.progress.id}/messages"
    ]
    assert len(sent) == 2
    for request in sent:
        assert request.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert [int(request.json["message_reference"]["message_id"]) for request in sent] == [
        post.id for post in posts
    ]
    reactions = [request for request in world.env.http_requests if "/reactions/" in request.path]
    assert reactions
    assert all(request.json is None for request in reactions)
    for reply in bot_messages(world, world.progress):
        stored = world.env.backend.get_message(world.progress.id, reply.id)  # private: who pinged
        assert stored.ping_user_ids == []
        assert stored.ping_role_ids == []
        assert not stored.mention_everyone


async def test_a_post_the_service_refuses_gets_a_warning_and_one_reason(
    world: World, monkeypatch
) -> None:
    # Nitro members may write 4,000+ characters; the simulated Discord caps members at 2,000,
    # so the service's limit is lowered to get there.
    monkeypatch.setattr("bot.services.entry_checks.MAX_TEXT", 40)
    challenge = await code_challenge(world)
    await joined(world, world.ada)
    long = "word " * 20

    first = await world.ada.send(world.progress, long)
    second = await world.ada.send(world.progress, long)

    assert await bot_marks(world, world.progress, first.id) == ["⚠️"]
    assert await bot_marks(world, world.progress, second.id) == ["⚠️"]
    [reason] = replies_to(world.progress, first.id)
    assert reason.content.startswith(
        "⚠️ I did not record this post: Your post is 99 characters; the limit is 40."
    )
    assert replies_to(world.progress, second.id) == []
    assert await live_entries(world, challenge) == 0
    assert world.env.errors == []


async def test_an_edit_the_service_refuses_keeps_the_entry(world: World) -> None:
    await code_challenge(world)
    await joined(world, world.ada)
    post = await world.ada.send(world.progress, LINKED)

    await world.ada.edit(post, "")

    assert sorted(await bot_marks(world, world.progress, post.id)) == ["⚠️", "✅"]
    [reason] = replies_to(world.progress, post.id)
    assert reason.content == (
        "⚠️ I kept your post as it was: Write a few words about what you did today."
    )
    [entry] = await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert entry.text == LINKED

    await world.ada.edit(post, f"{LINKED} and more")
    assert await bot_marks(world, world.progress, post.id) == ["✅"]


async def test_a_failure_inside_is_logged_and_the_listener_carries_on(
    world: World, monkeypatch, caplog
) -> None:
    await code_challenge(world)
    await joined(world, world.ada)

    async def broken(**_):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(world.bot.services.entries, "record", broken)
    with caplog.at_level(logging.ERROR, logger="cogs.posts"):
        post = await world.ada.send(world.progress, LINKED)

    assert "channel post" in caplog.text
    assert "database on fire" in caplog.text
    assert world.env.errors == []
    assert await bot_marks(world, world.progress, post.id) == []
    monkeypatch.undo()
    later = await world.ada.send(world.progress, LINKED)
    assert await bot_marks(world, world.progress, later.id) == ["✅"]


async def test_each_challenge_takes_the_posts_of_its_own_channel(world: World) -> None:
    await world.challenge(
        preset="100-days-of-code", name="Code", progress_channel_id=world.progress.id
    )
    data = world.guild.create_text_channel("data-progress")
    await world.env.settle()
    other = await world.challenge(
        preset="66-days-of-data", name="Data", progress_channel_id=data.id
    )
    await world.ada.slash(world.general, "join", timezone="UTC", challenge="Data")

    code_post = await world.ada.send(world.progress, LINKED)
    data_post = await world.ada.send(data, "Cleaned a dataset with pandas")

    assert replies_to(world.progress, code_post.id)[0].content.startswith(
        "Hi! Posts here count once you `/join` Code."
    )
    assert await bot_marks(world, data, data_post.id) == ["✅"]
    assert await live_entries(world, other) == 1


@pytest.mark.parametrize("message_content", [False])
async def test_without_message_content_posts_are_not_read(world: World) -> None:
    challenge = await code_challenge(world)
    await joined(world, world.ada)

    post = await world.ada.send(world.progress, LINKED)

    assert "cogs.posts" not in world.bot.extensions
    assert not world.bot.intents.message_content
    assert await live_entries(world, challenge) == 0
    assert await bot_marks(world, world.progress, post.id) == []
    assert bot_messages(world, world.progress) == []


async def test_a_post_deleted_before_it_was_stored_does_not_count(
    world: World, monkeypatch
) -> None:
    # AutoMod or a moderator deletes the post while the bot is still on its way to storing
    # it: the deletion is handled first and finds nothing; the late write must not land.
    challenge = await code_challenge(world)
    await joined(world, world.ada)
    entries = world.bot.services.entries
    real_record, real_delete = entries.record, entries.delete_message
    deletion_handled = asyncio.Event()

    async def delete_message(**kwargs):
        try:
            return await real_delete(**kwargs)
        finally:
            deletion_handled.set()

    async def record_after_a_deletion(**kwargs):
        # The moderator's deletion reaches the bot before this write does.
        world.env.backend.delete_message(kwargs["channel_id"], kwargs["message_id"])
        world.env._mark_mutation()  # what simcord's own actors do after a change
        await deletion_handled.wait()
        return await real_record(**kwargs)

    monkeypatch.setattr(entries, "delete_message", delete_message)
    monkeypatch.setattr(entries, "record", record_after_a_deletion)
    await world.ada.send(world.progress, LINKED)
    monkeypatch.undo()

    assert deletion_handled.is_set()
    assert await live_entries(world, challenge) == 0
    assert bot_messages(world, world.progress) == []  # no reply to a post that is gone
    assert world.env.errors == []
    streak = await world.ada.slash(world.general, "streak")
    assert streak.response.embeds[0].fields[0].value.startswith("0 ")
    # The tombstone names that one message: the next post counts as usual.
    later = await world.ada.send(world.progress, LINKED)
    assert await bot_marks(world, world.progress, later.id) == ["✅"]
    assert await live_entries(world, challenge) == 1

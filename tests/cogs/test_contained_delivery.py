"""Scheduled sends through Discord, contained: one server, member, zone or send never stops the
others; a send is neither lost nor doubled; a refusal is not retried and its organizer hears
of it once.

Each test starts from a reproduction of issue 11 and asserts the contained outcome. Discord's
nonce de-duplication, lost responses and cancels come from `tests/cogs/discord_model.py`
(simcord models none of them); refusals are simcord's own (an injected 403 or 404, or a
channel whose overwrites deny the bot).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import discord
import pytest
import simcord

from bot.domain.models import Challenge, ReminderMode
from bot.errors import DaybookError
from bot.services.digests import DIGEST, digest_target
from bot.services.reminders import REMINDER
from bot.services.settings_input import ChallengeSettingsInput
from storage import SendStatus
from storage.repositories import participant_target
from tests.cogs.conftest import GUILD_ID, World
from tests.cogs.discord_model import CANCEL_AFTER, CANCEL_BEFORE, LOSE, DiscordModel

OTHER_GUILD = 1_300_000_000_000_000_777
# START is Monday 2 March 2026, 12:00 UTC. Reminders at 20:30 UTC; digests on Sundays at 18:30.
EVENING = datetime(2026, 3, 2, 20, 31, tzinfo=UTC)
DIGEST_MOMENT = datetime(2026, 3, 15, 18, 30, tzinfo=UTC)
WEEK = "2026-W11"
MONDAY = "2026-03-02"


@dataclass
class OtherServer:
    """A second server with its own challenge and a member, which must never be held up."""

    guild: simcord.GuildHandle
    general: simcord.ChannelHandle
    progress: simcord.ChannelHandle
    digest: simcord.ChannelHandle
    lin: simcord.MemberActor
    challenge: Challenge


@pytest.fixture
def discord_model(world: World, monkeypatch) -> DiscordModel:
    return DiscordModel(world.env).install(monkeypatch)


async def other_server(world: World) -> OtherServer:
    guild = world.env.create_guild("Data Club", id=OTHER_GUILD)
    general = guild.create_text_channel("general")
    progress = guild.create_text_channel("progress")
    digest = guild.create_text_channel("digest")
    lin = guild.add_member(world.env.create_user("lin"))
    await world.env.settle()
    # The bot syncs its commands to the development server only: sync them here too.
    world.bot.tree.copy_global_to(guild=discord.Object(OTHER_GUILD))
    await world.bot.tree.sync(guild=discord.Object(OTHER_GUILD))
    await world.env.settle()
    challenge = await world.bot.services.challenges.create(
        guild_id=OTHER_GUILD,
        settings=ChallengeSettingsInput(
            name="Data Club",
            timezone="UTC",
            progress_channel_id=progress.id,
            digest_channel_id=digest.id,
            digest_day="Sunday",
            digest_time="18:30",
        ),
        now=world.env.now(),
    )
    await lin.slash(general, "join", timezone="UTC")
    return OtherServer(guild, general, progress, digest, lin, challenge)


async def our_challenge(world: World, **settings) -> Challenge:
    """ML Club in the first server, created by Grace (the organizer told about problems)."""
    return await world.bot.services.challenges.create(
        guild_id=GUILD_ID,
        settings=ChallengeSettingsInput(
            **{
                "name": "ML Club",
                "timezone": "UTC",
                "progress_channel_id": world.progress.id,
                **settings,
            }
        ),
        now=world.env.now(),
        organizer_id=world.grace.id,
    )


async def remind(world: World, channel: simcord.ChannelHandle, *members, mode="channel") -> None:
    for member in members:
        await member.slash(channel, "join", timezone="UTC")
        await member.slash(channel, "remind", time="20:30", mode=mode)


async def tick_reminders(world: World):
    report = await world.bot.tick_reminders()
    await world.env.settle()
    return report


async def ledger(world: World, kind: str, target: str, period: str):
    async with world.bot.database.read() as repos:
        return (
            await repos.sends.status(kind, target, period),
            await repos.sends.attempts(kind, target, period),
        )


async def member_target(world: World, member, guild_id: int = GUILD_ID) -> str:
    participant = await world.bot.services.participants.mine(
        guild_id=guild_id, user_id=member.id, challenge=None
    )
    return participant_target(participant.id)


def posts_to(world: World, channel_id: int, since: int = 0) -> list:
    return [
        request
        for request in world.env.http_requests[since:]
        if request.method == "POST" and request.path == f"/channels/{channel_id}/messages"
    ]


def dms(member) -> list[discord.Message]:
    return member.user.dm_channel.history()


# --- one server silences every other server's digest --------------------------------------


async def test_a_refused_digest_channel_silences_no_other_server(
    world: World, discord_model: DiscordModel
) -> None:
    # The reproduction: ML Club's digest channel answers 403 (50013). The digest tick raised on
    # it and never reached Data Club's digest; over 26 hours both weeks ended skipped and the
    # refused channel was tried 49 times.
    weekly = world.guild.create_text_channel("weekly")
    ours = await our_challenge(
        world, digest_channel_id=weekly.id, digest_day="Sunday", digest_time="18:30"
    )
    other = await other_server(world)
    refused = True
    discord_model.decide = lambda channel, _: (
        "403:50013" if refused and channel == weekly.id else None
    )
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.at(datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    await world.ada.slash(world.general, "log", text="an hour of ML", minutes=60)
    await other.lin.slash(other.general, "log", text="an hour of pandas", minutes=60)

    posted_at: list[datetime] = []
    moment = DIGEST_MOMENT
    while moment <= DIGEST_MOMENT + timedelta(hours=26):
        await world.at(moment)
        for digest in await world.bot.tick_digests():
            posted_at.append(moment)
            assert digest.challenge.id == other.challenge.id
        await world.env.settle()
        moment += timedelta(minutes=30)

    # Data Club's digest went out at its moment, once.
    assert posted_at == [DIGEST_MOMENT]
    assert len(other.digest.history()) == 1
    assert await ledger(world, DIGEST, digest_target(other.challenge.id), WEEK) == (
        SendStatus.SENT,
        1,
    )
    # ML Club's channel was tried once, not retried, and its week is settled.
    assert len(discord_model.to(weekly.id)) == 1
    assert weekly.history() == []
    assert await ledger(world, DIGEST, digest_target(ours.id), WEEK) == (SendStatus.SKIPPED, 1)
    # Grace, who created ML Club, was told once what to fix.
    [told] = dms(world.grace)
    assert told.content.startswith("⚠️ **ML Club** (ML Club): Daybook cannot post in #weekly:")
    assert (
        "give it View Channel, Send Messages, Embed Links and Attach Files there." in told.content
    )
    info = await world.grace.slash(world.general, "challenge info")
    assert f"⚠️ Daybook cannot post in {weekly.mention}: give it View Channel" in (
        info.response.content
    )

    # Fixed: next week's digest goes out, and the problem is gone.
    refused = False
    await world.at(datetime(2026, 3, 18, 12, 0, tzinfo=UTC))
    await world.ada.slash(world.general, "log", text="more ML", minutes=60)
    await world.at(DIGEST_MOMENT + timedelta(days=7))
    await world.bot.tick_digests()
    await world.env.settle()
    assert len(weekly.history()) == 1
    info = await world.grace.slash(world.general, "challenge info")
    assert "⚠️" not in info.response.content
    assert len(dms(world.grace)) == 1


async def test_a_channel_whose_overwrites_deny_the_bot_is_refused_without_a_request(
    world: World, discord_model: DiscordModel
) -> None:
    # Each 403 counts towards Discord's invalid-request limit: the bot's cached permissions
    # already say no, so it does not ask.
    weekly = world.guild.create_text_channel(
        "weekly",
        overwrites={
            world.bot.user: discord.PermissionOverwrite(embed_links=False, attach_files=False)
        },
    )
    await world.env.settle()
    ours = await our_challenge(
        world, digest_channel_id=weekly.id, digest_day="Sunday", digest_time="18:30"
    )
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.at(datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    await world.ada.slash(world.general, "log", text="an hour of ML", minutes=60)
    start = len(world.env.http_requests)

    await world.at(DIGEST_MOMENT)
    assert await world.bot.tick_digests() == []
    await world.env.settle()

    assert posts_to(world, weekly.id, start) == []
    assert await ledger(world, DIGEST, digest_target(ours.id), WEEK) == (SendStatus.SKIPPED, 1)
    [told] = dms(world.grace)
    assert "Daybook cannot post in #weekly: give it Embed Links and Attach Files there." in (
        told.content
    )


# --- one time zone stops all reminders ---------------------------------------------------


async def test_a_zone_that_cannot_be_loaded_skips_its_member_and_nobody_else(
    world: World, caplog
) -> None:
    # The reproduction: one participant's stored zone cannot be loaded (tzdata dropped
    # US/Pacific-New in 2020b) and the reminder tick raised: nobody anywhere was reminded.
    ours = await our_challenge(world)
    other = await other_server(world)
    await remind(world, world.general, world.ada, world.raj)
    await other.lin.slash(other.general, "remind", time="20:30", mode="channel")
    mine = await world.bot.services.participants.mine(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    async with world.bot.database.write() as repos:
        await repos.participants.set_timezone(mine.id, "US/Pacific-New", world.env.now())
    await world.at(EVENING)

    with caplog.at_level(logging.ERROR, logger="bot.services.reminders"):
        report = await tick_reminders(world)
        again = await tick_reminders(world)

    [ours_message] = world.progress.history()
    assert f"<@{world.raj.id}>" in ours_message.content
    assert f"<@{world.ada.id}>" not in ours_message.content
    [theirs] = other.progress.history()
    assert f"<@{other.lin.id}>" in theirs.content
    assert (report.sent, report.failed) == (2, 0)
    assert again.sent == 0
    skipped = [r.getMessage() for r in caplog.records if "cannot be loaded" in r.getMessage()]
    assert len(skipped) == 1  # once, not every minute
    assert f"member {world.ada.id} (participant {mine.id})" in skipped[0]
    assert f"challenge {ours.id} in guild {GUILD_ID}" in skipped[0]
    assert "'US/Pacific-New'" in skipped[0]


# --- a reminder is neither lost nor doubled ----------------------------------------------


@pytest.mark.parametrize("when", [CANCEL_BEFORE, CANCEL_AFTER])
async def test_a_send_cancelled_after_its_claim_is_sent_once_by_the_next_process(
    world: World, discord_model: DiscordModel, when: str
) -> None:
    # The reproduction: a deploy cancelled the tick mid-send; the claim stayed pending for
    # ever and that day's reminder never went out.
    await our_challenge(world)
    await remind(world, world.general, world.ada)
    target = await member_target(world, world.ada)
    await world.at(EVENING)
    discord_model.fail_next(world.progress.id, when)

    tick = asyncio.ensure_future(world.bot.tick_reminders())
    with pytest.raises(asyncio.CancelledError):
        await tick
    status, _ = await ledger(world, REMINDER, target, MONDAY)
    assert status is SendStatus.FAILED  # given back: due at once, nothing marked sent

    await world.restart()
    await world.later(minutes=1)
    report = await tick_reminders(world)

    assert report.sent == 1
    [message] = world.progress.history()  # once, whether or not the first had gone through
    assert f"<@{world.ada.id}>" in message.content
    assert (await ledger(world, REMINDER, target, MONDAY))[0] is SendStatus.SENT
    first, second = discord_model.to(world.progress.id)
    assert first.nonce == second.nonce is not None
    assert second.outcome == ("returned" if when == CANCEL_AFTER else "created")


async def test_a_reminder_whose_response_was_lost_is_retried_and_posted_once(
    world: World, discord_model: DiscordModel
) -> None:
    # The reproduction: Discord accepted the message but the response was lost (a timeout);
    # it was marked failed and sent again: two reminders.
    await our_challenge(world)
    await remind(world, world.general, world.ada, world.raj)
    target = await member_target(world, world.ada)
    await world.at(EVENING)
    discord_model.fail_next(world.progress.id, LOSE)
    start = len(world.env.http_requests)

    lost = await tick_reminders(world)
    assert (lost.sent, lost.failed) == (0, 2)
    assert (await ledger(world, REMINDER, target, MONDAY))[0] is SendStatus.FAILED
    await world.later(minutes=1)
    retried = await tick_reminders(world)

    assert retried.sent == 2
    [message] = world.progress.history()
    assert {f"<@{world.ada.id}>", f"<@{world.raj.id}>"} <= set(message.content.split())
    assert await ledger(world, REMINDER, target, MONDAY) == (SendStatus.SENT, 2)
    # Both attempts carried the same nonce, with enforce_nonce: Discord returned the first.
    [request] = posts_to(world, world.progress.id, start)
    assert request.json["enforce_nonce"] is True
    assert 1 <= len(request.json["nonce"]) <= 25
    first, second = discord_model.to(world.progress.id)
    assert first.nonce == second.nonce == request.json["nonce"]
    assert (first.outcome, second.outcome) == (LOSE, "returned")


async def test_a_direct_reminder_whose_response_was_lost_is_delivered_once(
    world: World, discord_model: DiscordModel
) -> None:
    await our_challenge(world)
    await remind(world, world.general, world.ada, mode="dm")
    dm = world.ada.user.dm_channel
    await world.at(EVENING)
    discord_model.fail_next(dm.id, LOSE)

    await tick_reminders(world)
    await world.later(minutes=1)
    await tick_reminders(world)
    await world.later(minutes=1)
    await tick_reminders(world)

    assert len(dm.history()) == 1
    assert [a.outcome for a in discord_model.to(dm.id)] == [LOSE, "returned"]


async def test_a_digest_whose_response_was_lost_is_posted_once(
    world: World, discord_model: DiscordModel
) -> None:
    weekly = world.guild.create_text_channel("weekly")
    ours = await our_challenge(
        world, digest_channel_id=weekly.id, digest_day="Sunday", digest_time="18:30"
    )
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.at(datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    await world.ada.slash(world.general, "log", text="an hour of ML", minutes=60)
    discord_model.fail_next(weekly.id, LOSE)

    await world.at(DIGEST_MOMENT)
    assert await world.bot.tick_digests() == []
    await world.later(minutes=1)
    assert len(await world.bot.tick_digests()) == 1
    await world.env.settle()

    [digest] = weekly.history()
    assert len(digest.attachments) == 2
    assert await ledger(world, DIGEST, digest_target(ours.id), WEEK) == (SendStatus.SENT, 2)
    assert [a.outcome for a in discord_model.to(weekly.id)] == [LOSE, "returned"]


# --- permanent errors are not retried; the organizer hears of it once --------------------


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("403:50013", "Daybook cannot post in #progress: give it View Channel and Send Messages"),
        ("403:50001", "Daybook cannot post in #progress: give it View Channel and Send Messages"),
        (
            "404:10003",
            (
                "The progress channel Daybook posted in no longer exists: choose another with "
                "/challenge edit."
            ),
        ),
    ],
)
async def test_a_refused_progress_channel_is_not_retried_and_the_organizer_is_told_once(
    world: World, discord_model: DiscordModel, answer: str, says: str
) -> None:
    # The reproduction: 403 and 404 answers were retried every minute all day, for every
    # batch, and nobody was told.
    await our_challenge(world)
    other = await other_server(world)
    await remind(world, world.general, world.ada)
    await other.lin.slash(other.general, "remind", time="20:30", mode="channel")
    await world.raj.slash(world.general, "join", timezone="UTC")
    await world.raj.slash(world.general, "remind", time="22:00", mode="channel")
    target = await member_target(world, world.ada)
    refused = True
    discord_model.decide = lambda channel, _: (
        answer if refused and channel == world.progress.id else None
    )
    await world.at(EVENING)

    report = await tick_reminders(world)
    for _ in range(60):  # the rest of the hour, a tick a minute
        await world.later(minutes=1)
        await tick_reminders(world)

    assert (report.refused, report.sent) == (1, 1)  # Lin, in the other server, is reminded
    assert len(other.progress.history()) == 1
    assert len(discord_model.to(world.progress.id)) == 1
    assert await ledger(world, REMINDER, target, MONDAY) == (SendStatus.SKIPPED, 1)
    [told] = dms(world.grace)
    assert says in told.content

    # Raj's reminder at 22:00 is a new message: tried once, refused; Grace is not told again.
    await world.at(datetime(2026, 3, 2, 22, 1, tzinfo=UTC))
    await tick_reminders(world)
    await world.later(minutes=5)
    await tick_reminders(world)
    assert len(discord_model.to(world.progress.id)) == 2
    assert len(dms(world.grace)) == 1
    info = await world.grace.slash(world.general, "challenge info")
    assert says.replace("#progress", world.progress.mention) in info.response.content

    # Fixed: Tuesday's reminders go out and the problem clears.
    refused = False
    await world.at(EVENING + timedelta(days=1))
    fixed = await tick_reminders(world)
    assert fixed.sent == 2  # Ada here, Lin in the other server
    [message] = world.progress.history()
    assert f"<@{world.ada.id}>" in message.content
    info = await world.grace.slash(world.general, "challenge info")
    assert "⚠️" not in info.response.content


async def test_a_dm_to_someone_sharing_no_server_is_not_retried(
    world: World, discord_model: DiscordModel
) -> None:
    await our_challenge(world)
    await remind(world, world.general, world.ada, mode="dm")
    target = await member_target(world, world.ada)
    dm = world.ada.user.dm_channel
    discord_model.decide = lambda channel, _: "403:50278" if channel == dm.id else None
    await world.at(EVENING)

    report = await tick_reminders(world)
    for _ in range(10):
        await world.later(minutes=1)
        await tick_reminders(world)

    assert report.refused == 1
    assert len(discord_model.to(dm.id)) == 1
    assert await ledger(world, REMINDER, target, MONDAY) == (SendStatus.SKIPPED, 1)
    mine = await world.bot.services.participants.mine(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert mine.reminder_mode is ReminderMode.OFF
    assert dms(world.grace) == []  # nothing an organizer could fix


async def test_closed_dms_still_move_the_member_to_the_channel(
    world: World, discord_model: DiscordModel
) -> None:
    await our_challenge(world)
    await remind(world, world.general, world.ada, mode="dm")
    dm = world.ada.user.dm_channel
    discord_model.decide = lambda channel, _: "403:50007" if channel == dm.id else None
    await world.at(EVENING)

    report = await tick_reminders(world)

    assert report.moved == 1
    [message] = world.progress.history()
    assert message.content.count(world.ada.mention) == 1
    assert "DM" not in message.content
    assert dms(world.grace) == []


# --- /challenge create and edit check the bot's permissions ------------------------------


async def test_create_refuses_a_channel_the_bot_cannot_post_in_and_says_what_is_missing(
    world: World,
) -> None:
    locked = world.guild.create_text_channel(
        "weekly",
        overwrites={world.bot.user: discord.PermissionOverwrite(attach_files=False)},
    )
    await world.env.settle()

    refused = await world.grace.slash(
        world.general, "challenge create", name="ML Club", digest_channel=locked
    )

    assert refused.ephemeral
    assert refused.response.content == (
        f"Daybook cannot post in {locked.mention}: give it Attach Files there. Nothing was changed."
    )
    simcord.assert_error(world.env, DaybookError)
    assert await world.bot.services.challenges.active(GUILD_ID) == []
    # As a progress channel it is fine: reminders attach no files.
    created = await world.grace.slash(
        world.general, "challenge create", name="ML Club", progress_channel=locked
    )
    assert created.response.content.startswith("✅ Created **ML Club**")


async def test_edit_refuses_a_channel_the_bot_cannot_see(world: World) -> None:
    hidden = world.guild.create_text_channel(
        "hidden",
        overwrites={world.bot.user: discord.PermissionOverwrite(view_channel=False)},
    )
    await world.env.settle()
    await world.grace.slash(world.general, "challenge create", name="ML Club")

    refused = await world.grace.slash(world.general, "challenge edit", progress_channel=hidden)

    assert refused.response.content == (
        f"Daybook cannot post in {hidden.mention}: give it View Channel and Send Messages "
        "there. Nothing was changed."
    )
    simcord.assert_error(world.env, DaybookError)
    [challenge] = await world.bot.services.challenges.active(GUILD_ID)
    assert challenge.progress_channel_id is None


async def test_the_organizer_who_created_or_last_edited_a_challenge_is_the_one_told(
    world: World,
) -> None:
    await world.grace.slash(world.general, "challenge create", name="ML Club")
    [challenge] = await world.bot.services.challenges.active(GUILD_ID)
    async with world.bot.database.read() as repos:
        assert await repos.problems.organizer(challenge.id) == world.grace.id


async def test_a_failing_reminder_tick_does_not_hold_the_digest_tick(
    world: World, monkeypatch, caplog
) -> None:
    weekly = world.guild.create_text_channel("weekly")
    await our_challenge(
        world, digest_channel_id=weekly.id, digest_day="Sunday", digest_time="18:30"
    )
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.at(datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    await world.ada.slash(world.general, "log", text="an hour of ML", minutes=60)

    async def database_gone(*_: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(world.bot.services.delivery, "run", database_gone)
    await world.at(DIGEST_MOMENT)
    await world.bot.tick()
    await world.env.settle()

    assert len(weekly.history()) == 1
    assert "the reminder tick failed" in caplog.text

"""Progress posts written in a challenge's progress channel, when message content is enabled.

bot/app.py loads this extension only when the operator sets DAYBOOK_MESSAGE_CONTENT. A
participant's own message in the progress channel, or in a thread of it (a forum post and the
messages inside it, when the progress channel is a forum), is an entry; Daybook keeps a copy
of its files (Discord's links to them expire); the bot reacts ✅ (the
day counts), ⏳ (it does not count yet) or ⚠️ (not recorded), and explains in a reply at most
once per member and day. Edits and deletions of the message follow the entry. Members who have
not joined get one friendly hint per challenge, and nothing is stored.

Pacing: each event's Discord calls are made one after another, never gathered, and only when
something changes. discord.py tracks each route's rate-limit bucket (reactions are about one per
0.25 s per channel) and waits when a bucket is spent, so a busy channel slows the reactions down
instead of bursting them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.clock import Clock
from bot.community import Community
from bot.domain.models import EntrySource
from bot.errors import DaybookError, NotFoundError
from bot.services.attachments import AttachmentService
from bot.services.challenges import ChallengeService
from bot.services.entries import (
    EntryService,
    MessageLoggedError,
    PostDeletedError,
    RecordedEntry,
)
from bot.services.participants import ParticipantService
from bot.services.send_ledger import Notice, SendLedger
from cogs._ui import embeds
from cogs._ui.attachments import download, files_note, keep_files

if TYPE_CHECKING:
    from bot.client import DaybookBot

log = logging.getLogger(__name__)

COUNTED = "✅"
NOT_YET = "⏳"
REFUSED = "⚠️"
MARKS = (COUNTED, NOT_YET, REFUSED)
"""The reactions this cog leaves; a message carries at most one of the first two."""

WHY_KIND = "post-why"
"""Send-ledger kind: the reply explaining why a post does not count (per member, local day)."""
REFUSED_KIND = "post-refused"
"""Send-ledger kind: the reply saying a post or edit was not recorded (per user, UTC day)."""
HINT_KIND = "post-hint"
"""Send-ledger kind: the hint to someone who has not joined (per user, challenge)."""
FILES_KIND = "post-files"
"""Send-ledger kind: the reply saying a post's file was not kept (per user, message)."""

NO_MENTIONS = discord.AllowedMentions.none()


def is_member_post(message: discord.Message) -> bool:
    """Whether a message could be a progress post: a person's own message in a server channel.

    Messages in threads are posts too (a forum post is a thread whose first message is the
    post); whether the channel, or the thread's parent, is a progress channel is checked later.
    """
    return (
        message.guild is not None
        and not message.author.bot
        and message.webhook_id is None
        # Default only: replies, forwards, thread starters and system messages are not posts.
        and message.type is discord.MessageType.default
        and message.reference is None
    )


def progress_channel_of(channel: object) -> int | None:
    """Return the channel whose posts count: a thread's parent (a forum, say), or the channel."""
    if isinstance(channel, discord.Thread):
        return channel.parent_id
    return getattr(channel, "id", None)


class PostsCog(commands.Cog):
    """Entries from messages in the progress channel."""

    def __init__(
        self,
        *,
        challenges: ChallengeService,
        participants: ParticipantService,
        entries: EntryService,
        attachments: AttachmentService,
        send_ledger: SendLedger,
        clock: Clock,
        me: Callable[[], discord.ClientUser | None],
        community: Community,
    ) -> None:
        self._challenges = challenges
        self._participants = participants
        self._entries = entries
        self._attachments = attachments
        self._send_ledger = send_ledger
        # For events that carry no timestamp (deletions).
        self._clock = clock
        # The bot's own user, known once it has logged in: to remove its own reactions.
        self._me = me
        self._community = community

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Record a participant's post, or give a newcomer the hint."""
        if not is_member_post(message):
            return
        try:
            await self._take_post(message)
        except discord.HTTPException as error:
            log.warning("could not answer post %s: %s", message.id, error)
        except Exception:
            log.exception("channel post %s in channel %s failed", message.id, message.channel.id)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """Follow an edited post: the entry takes the new text and the reaction follows."""
        message = payload.message
        text = payload.data.get("content")
        # Link previews and pins also arrive as updates; only a real edit of a person's text counts.
        if payload.guild_id is None or text is None or message.author.bot:
            return
        if message.edited_at is None:
            return
        if payload.cached_message is not None and payload.cached_message.content == text:
            return
        try:
            await self._follow_edit(message, text, message.edited_at)
        except discord.HTTPException as error:
            log.warning("could not answer the edit of post %s: %s", message.id, error)
        except Exception:
            log.exception("edit of channel post %s failed", message.id)

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        """Delete the entry of a deleted post."""
        if payload.guild_id is None:
            return
        if payload.cached_message is not None and payload.cached_message.author.bot:
            return
        await self._follow_deletes([payload.message_id])

    @commands.Cog.listener()
    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        """Delete the entries of posts a moderator removed in bulk."""
        if payload.guild_id is None:
            return
        await self._follow_deletes(sorted(payload.message_ids))

    async def _take_post(self, message: discord.Message) -> None:
        guild = message.guild
        if guild is None:  # is_member_post lets only server messages through
            return
        channel_id = progress_channel_of(message.channel)
        if channel_id is None:
            return
        challenge = await self._challenges.for_progress_channel(guild.id, channel_id)
        if challenge is None:
            return
        try:
            await self._participants.mine(
                guild_id=guild.id, user_id=message.author.id, challenge=challenge.id
            )
        except NotFoundError:
            hint = Notice(HINT_KIND, f"user:{message.author.id}", f"challenge:{challenge.id}")
            await self._reply_once(hint, message, embeds.post_hint(challenge))
            return
        try:
            result = await self._entries.record(
                guild_id=guild.id,
                user_id=message.author.id,
                text=message.content,
                attachments=tuple(attachment.url for attachment in message.attachments),
                challenge=challenge.id,
                source=EntrySource.CHANNEL,
                message_id=message.id,
                channel_id=message.channel.id,
                at=message.created_at,
            )
        except PostDeletedError:
            # Deleted while it was on its way (AutoMod, a moderator): nothing to count or say.
            log.info("post %s was deleted before it was stored; dropped", message.id)
            return
        except MessageLoggedError:
            # Delivered twice (a resumed gateway session): the first one was recorded.
            log.info("post %s is already an entry; not recorded twice", message.id)
            return
        except DaybookError as error:
            await message.add_reaction(REFUSED)
            await self._reply_once(
                _refused_notice(message.author.id, message.created_at),
                message,
                embeds.post_refused(error.message),
            )
            return
        log.debug("post %s recorded as entry %s", message.id, result.entry.id)
        await message.add_reaction(_mark(result))
        await self._explain(message, result)
        # The post is public already: no check-in line, only a milestone it reached.
        await self._community.after_entry(
            result, name=message.author.display_name, at=message.created_at, checkin=False
        )
        await self._keep_files(message, result)

    async def _keep_files(self, message: discord.Message, result: RecordedEntry) -> None:
        """Keep a copy of the post's files; say so, once, when one could not be kept."""
        if not message.attachments:
            return
        uploads = await download(message.attachments, per_file=self._attachments.per_file)
        report = await keep_files(self._attachments, result, uploads)
        if report is None or not report.refused:
            return
        notice = Notice(FILES_KIND, f"user:{message.author.id}", str(message.id))
        # The reply is public: it says which file was not kept, not how much the member keeps.
        await self._reply_once(notice, message, files_note(report, public=True))

    async def _follow_edit(self, message: discord.Message, text: str, at: datetime) -> None:
        try:
            result = await self._entries.edit_message(message_id=message.id, text=text, at=at)
        except DaybookError as error:
            # The entry keeps its earlier text, so its ✅ or ⏳ stays true; ⚠️ flags the edit.
            await self._show(message, REFUSED, alone=False)
            await self._reply_once(
                _refused_notice(message.author.id, at),
                message,
                embeds.post_refused(error.message, edited=True),
            )
            return
        if result is None:
            return
        await self._show(message, _mark(result))
        await self._explain(message, result)
        await self._community.after_entry(
            result, name=message.author.display_name, at=at, checkin=False
        )

    async def _follow_deletes(self, message_ids: list[int]) -> None:
        for message_id in message_ids:
            try:
                await self._entries.delete_message(message_id=message_id, at=self._clock())
            except Exception:
                log.exception("deleting the entry of post %s failed", message_id)

    async def _explain(self, message: discord.Message, result: RecordedEntry) -> None:
        """Say why a post does not count, the first time that day."""
        if result.counted:
            return
        notice = Notice(
            WHY_KIND,
            f"participant:{result.entry.participant_id}",
            result.entry.local_day.isoformat(),
        )
        await self._reply_once(notice, message, embeds.recorded_message(result))

    async def _reply_once(self, notice: Notice, message: discord.Message, text: str) -> None:
        async def reply() -> None:
            await message.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)

        await self._send_ledger.once(notice, at=message.created_at, send=reply)

    async def _show(self, message: discord.Message, mark: str, *, alone: bool = True) -> None:
        """Put the bot's `mark` on a message; `alone` removes the bot's other marks."""
        me = self._me()
        if me is None:
            return
        # The cache does not know the bot's reactions (no reactions intent): ask Discord.
        current = await message.channel.fetch_message(message.id)
        mine = {str(reaction.emoji) for reaction in current.reactions if reaction.me}
        if alone:
            for old in MARKS:
                if old != mark and old in mine:
                    await current.remove_reaction(old, me)
        if mark not in mine:
            await current.add_reaction(mark)


def _mark(result: RecordedEntry) -> str:
    return COUNTED if result.counted else NOT_YET


def _refused_notice(user_id: int, at: datetime) -> Notice:
    # A refusal has no entry, so no local day: the UTC day is near enough to stop a client that
    # misbehaves from drawing one reply per message.
    return Notice(REFUSED_KIND, f"user:{user_id}", at.date().isoformat())


async def setup(bot: DaybookBot) -> None:
    """Add the cog, built with the services it uses."""
    services = bot.services
    await bot.add_cog(
        PostsCog(
            challenges=services.challenges,
            participants=services.participants,
            entries=services.entries,
            attachments=services.attachments,
            send_ledger=services.send_ledger,
            clock=bot.clock,
            me=lambda: bot.user,
            community=bot.community,
        )
    )

"""What scheduled jobs send through Discord: reminders, digests, and organizers' warnings.

Reminders and nudges, weekly digests, and the organizer's one message about a channel Daybook
cannot post in.
The services decide what is due and keep the send ledger; these classes only turn a decision
into Discord messages. The bot builds one of each around itself (they need its connection), and
its ticks hand them to the services; the digest cog borrows the poster for previews and /digest
post-now.

Every message carries a nonce derived from its ledger key (discord.py then sends
`enforce_nonce`), so a retry of a send whose response was lost returns the first message
instead of posting a second. Every failure goes through `classify`, which tells a passing
failure (retried after a backoff) from a permanent refusal (never retried). A channel whose
cached permissions already show what is missing is refused before any request is made: each
403 counts towards Discord's invalid-request limit (10,000 in 10 minutes bans the IP).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from io import BytesIO

import aiohttp
import discord

from bot.domain.delivery import ChannelRole, Refusal, needed_permissions
from bot.domain.models import Challenge
from bot.pacing import CHANNEL_LIMIT, DIRECT_LIMIT, Pacer
from bot.services.charts import ChartService
from bot.services.delivery import ChannelMessage
from bot.services.digests import Digest, notice_of
from bot.services.failures import DeliveryError, DmsClosedError, SendRefusedError, nonce_of
from bot.services.problems import ProblemNotice
from bot.services.reminders import DueMember
from cogs._ui import digest as digest_text
from cogs._ui import reminders as reminder_text
from cogs._ui.names import Remember, member_names
from cogs._ui.problems import organizer_message

log = logging.getLogger(__name__)

DMS_CLOSED = 50007
"""Discord's "Cannot send messages to this user"."""
DIRECT_BUCKET = "direct"

REFUSALS: dict[tuple[int, int], Refusal] = {
    (403, 50001): Refusal.MISSING_ACCESS,
    (403, 50013): Refusal.MISSING_PERMISSIONS,
    (403, 50278): Refusal.NO_SHARED_SERVER,
    (404, 10003): Refusal.UNKNOWN_CHANNEL,
    (404, 10008): Refusal.UNKNOWN_MESSAGE,
}
"""Discord's (status, JSON code) answers that would be the same on every retry."""
PASSING_ERRORS = (discord.RateLimited, aiohttp.ClientError, TimeoutError, OSError)
"""Failures with no answer from Discord, or a "wait": the send may go through later."""


def classify(
    error: BaseException, *, channel_id: int | None = None
) -> DeliveryError | SendRefusedError | DmsClosedError | None:
    """Return a send's failure as the services know it; None when it is not Discord's doing.

    Passing (retried after a backoff): 429, any 5xx, a timeout, a connection error. Permanent
    (never retried): 401; 403 codes 50001, 50013, 50278; 404 codes 10003, 10008; any other 4xx,
    since the same request would be refused again. 403 code 50007 (DMs closed) has its own
    answer: the member is reminded in the channel. `channel_id` names the guild channel the
    send went to (None for a direct message).
    """
    if isinstance(error, discord.HTTPException):
        detail = f"{error.status} {error.code}: {error.text}"[:300]
        if error.status == 429 or error.status >= 500:
            return DeliveryError(detail)
        if error.status == 403 and error.code == DMS_CLOSED:
            return DmsClosedError(detail)
        refusal = REFUSALS.get((error.status, error.code))
        if refusal is None:
            refusal = Refusal.UNAUTHORIZED if error.status == 401 else Refusal.REJECTED
        return SendRefusedError(refusal, detail, channel_id=channel_id)
    if isinstance(error, PASSING_ERRORS):
        return DeliveryError(f"{type(error).__name__}: {error}"[:300])
    return None


def _failed(error: BaseException, *, channel_id: int | None = None) -> BaseException:
    """Return the exception to raise for a failed send: classified, or the error itself."""
    classified = classify(error, channel_id=channel_id)
    return error if classified is None else classified


def refused_before_sending(
    bot: discord.Client, guild_id: int, channel_id: int, role: ChannelRole
) -> SendRefusedError | None:
    """Return the refusal a send would meet, when the bot's cached permissions already show it.

    Only a clear "no" counts: with no cached server or channel (at start-up, say), the send is
    made and Discord answers.
    """
    guild = bot.get_guild(guild_id)
    if guild is None or guild.unavailable:
        return None
    channel = guild.get_channel_or_thread(channel_id)
    me = guild.me
    if channel is None or me is None:
        return None
    allowed = channel.permissions_for(me)
    missing = [name for name in needed_permissions(frozenset({role})) if not getattr(allowed, name)]
    if not missing:
        return None
    return SendRefusedError(
        Refusal.MISSING_PERMISSIONS,
        f"missing permissions (checked before sending): {', '.join(missing)}",
        channel_id=channel_id,
        missing=missing,
    )


def _channel_bucket(challenge: Challenge) -> str:
    return f"channel:{challenge.progress_channel_id}"


class DiscordTransport:
    """Sends reminders through the bot, paced under Discord's rate limits."""

    def __init__(self, bot: discord.Client, pacer: Pacer) -> None:
        self._bot = bot
        self._pacer = pacer

    def pack(
        self, challenge: Challenge, kind: str, members: Sequence[DueMember]
    ) -> list[tuple[DueMember, ...]]:
        """Split members into as few messages as fit 2,000 characters."""
        return reminder_text.pack(challenge, kind, members)

    async def turn(self, challenge: Challenge, member: DueMember | None) -> None:
        """Wait for a turn in the channel's bucket, or the direct messages' one."""
        if member is None:
            await self._pacer.turn(_channel_bucket(challenge), CHANNEL_LIMIT)
        else:
            await self._pacer.turn(DIRECT_BUCKET, DIRECT_LIMIT)

    async def to_channel(self, message: ChannelMessage) -> None:
        """Post one reminder in the progress channel, pinging exactly its members, once each."""
        challenge = message.challenge
        channel_id = challenge.progress_channel_id
        if channel_id is None:  # the delivery skips such challenges before sending
            raise DeliveryError("the challenge has no progress channel")
        refused = refused_before_sending(
            self._bot, challenge.guild_id, channel_id, ChannelRole.PROGRESS
        )
        if refused is not None:
            raise refused
        channel = self._bot.get_partial_messageable(channel_id)
        self._pacer.sent(_channel_bucket(challenge))
        try:
            await channel.send(
                reminder_text.channel_text(message),
                view=reminder_text.log_today_view(challenge.id),
                allowed_mentions=reminder_text.allowed_mentions(message.members),
                nonce=message.nonce,
            )
        except Exception as error:
            raise _failed(error, channel_id=channel_id) from error

    async def to_member(self, challenge: Challenge, kind: str, member: DueMember) -> None:
        """Send one member their reminder in a direct message."""
        self._pacer.sent(DIRECT_BUCKET)
        try:
            channel = await self._bot.create_dm(discord.Object(member.user_id))
            await channel.send(
                reminder_text.direct_text(challenge, kind, member),
                view=reminder_text.log_today_view(challenge.id),
                nonce=member.nonce(kind),
            )
        except Exception as error:
            raise _failed(error) from error


class DigestPoster:
    """Renders a digest (charts off the event loop) and posts it in its challenge's channel."""

    def __init__(
        self, bot: discord.Client, charts: ChartService, remember: Remember | None = None
    ) -> None:
        self._bot = bot
        self._charts = charts
        self._remember = remember

    async def message(self, digest: Digest) -> tuple[list[discord.Embed], list[discord.File]]:
        """Return the digest's embeds and chart files."""
        guild = self._bot.get_guild(digest.challenge.guild_id)
        names = await member_names(guild, digest_text.listed_ids(digest), remember=self._remember)

        async def lookup(user_ids: Sequence[int]) -> dict[int, str]:
            return {user_id: names[user_id] for user_id in user_ids if user_id in names}

        pictures = await self._charts.draw_digest(digest, lookup)
        files = [
            discord.File(BytesIO(pictures.board), digest_text.BOARD_FILE),
            discord.File(BytesIO(pictures.activity), digest_text.ACTIVITY_FILE),
        ]
        return digest_text.digest_embeds(digest, names), files

    async def post(self, digest: Digest) -> None:
        """Post a digest in its challenge's digest channel (saying so when early); no mentions."""
        challenge = digest.challenge
        channel_id = challenge.digest_channel_id
        if channel_id is None:  # the service never posts without a channel
            raise RuntimeError("a digest needs a digest channel")
        refused = refused_before_sending(
            self._bot, challenge.guild_id, channel_id, ChannelRole.DIGEST
        )
        if refused is not None:
            raise refused
        embeds, files = await self.message(digest)
        channel = self._bot.get_partial_messageable(channel_id)
        try:
            await channel.send(
                digest_text.early_note(digest) if digest.early else None,
                embeds=embeds,
                files=files,
                allowed_mentions=discord.AllowedMentions.none(),
                nonce=notice_of(digest).nonce,
            )
        except Exception as error:
            raise _failed(error, channel_id=channel_id) from error


class ProblemNotifier:
    """Tells an organizer, once, by direct message, what to fix so Daybook can post again."""

    def __init__(self, bot: discord.Client, pacer: Pacer) -> None:
        self._bot = bot
        self._pacer = pacer

    async def tell(self, notice: ProblemNotice) -> bool:
        """Send the organizer their message; False when there is nobody to tell or it failed."""
        if notice.organizer_id is None:
            return False
        problem = notice.problem
        text = organizer_message(notice, self._bot.get_guild(notice.challenge.guild_id))
        await self._pacer.turn(DIRECT_BUCKET, DIRECT_LIMIT)
        self._pacer.sent(DIRECT_BUCKET)
        try:
            channel = await self._bot.create_dm(discord.Object(notice.organizer_id))
            await channel.send(
                text,
                allowed_mentions=discord.AllowedMentions.none(),
                nonce=nonce_of("problem", str(problem.id), problem.since.isoformat()),
            )
        except Exception as error:
            # /challenge info shows the problem anyway; the message is not tried again.
            log.warning(
                "could not tell organizer %s of challenge %s (guild %s) about channel %s: %s",
                notice.organizer_id,
                notice.challenge.id,
                notice.challenge.guild_id,
                problem.channel_id,
                classify(error) or error,
            )
            return False
        return True

"""Delivering reminders and nudges: claim, send, record, through any transport.

The order of each send is what makes it exactly-once: wait for a turn under the rate limits,
claim the members' ledger rows, send (with a nonce from the ledger key), then record the
outcome. A tick cancelled while waiting has claimed nothing; one cancelled mid-send gives its
claims back, due at once; a send that fails for a passing reason is retried after a backoff;
one Discord refuses for good is settled and never retried, and a refused channel becomes the
challenge's delivery problem. Two ticks racing split the members between them, since a
ledger row is claimed once.

Each unit is tried on its own: one member's direct message, one channel message. Whatever one
of them raises is logged with its server, challenge and member, and the tick goes on.

The transport is Discord in the bot (`bot/transport.py`) and a recording fake in tests.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.delivery import Refusal
from bot.domain.models import Challenge, ReminderMode
from bot.services.failures import DeliveryError, DmsClosedError, SendRefusedError, nonce_of
from bot.services.problems import DeliveryProblemService
from bot.services.reminders import DueBatch, DueMember, ReminderService
from bot.services.send_ledger import failure_detail
from storage import SendStatus

__all__ = [
    "ChannelMessage",
    "DeliveryError",
    "DeliveryReport",
    "DmsClosedError",
    "Outcome",
    "ReminderDelivery",
    "SendRefusedError",
    "Transport",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChannelMessage:
    """One channel message and the members it mentions (some may be there as their DMs closed).

    Whose DMs are closed is theirs alone: the message is the same reminder for everyone in it.
    """

    challenge: Challenge
    kind: str
    members: tuple[DueMember, ...]

    @property
    def nonce(self) -> str:
        """Return the message's nonce, from its ledger keys: the same on every attempt."""
        days = sorted({member.day.isoformat() for member in self.members})
        targets = sorted(member.target for member in self.members)
        return nonce_of(self.kind, *days, *targets)


class Transport(Protocol):
    """Where reminders go: Discord in the bot, a recorder in tests."""

    def pack(
        self, challenge: Challenge, kind: str, members: Sequence[DueMember]
    ) -> list[tuple[DueMember, ...]]:
        """Split members into as few channel messages as fit Discord's limits."""
        ...

    async def turn(self, challenge: Challenge, member: DueMember | None) -> None:
        """Wait until a send is allowed: to the challenge's channel, or to `member` directly."""
        ...

    async def to_channel(self, message: ChannelMessage) -> None:
        """Post one reminder message in the challenge's progress channel."""
        ...

    async def to_member(self, challenge: Challenge, kind: str, member: DueMember) -> None:
        """Send one member their reminder directly."""
        ...


class Outcome(enum.Enum):
    """How one direct message went."""

    SENT = "sent"
    FAILED = "failed"
    """Failed for a passing reason: retried after a backoff."""
    REFUSED = "refused"
    """Refused for good: not retried."""
    MOVED = "moved"
    """The member's DMs are closed: reminded in the channel instead, in the same tick."""


@dataclass(slots=True)
class DeliveryReport:
    """What one tick delivered."""

    sent: int = 0
    failed: int = 0
    refused: int = 0
    """Members whose message Discord refused for good (not retried)."""
    skipped: int = 0
    moved: int = 0
    """Members moved to channel reminders because their DMs are closed."""
    messages: int = 0

    def add(self, other: DeliveryReport) -> None:
        """Add another report's counts to this one."""
        self.sent += other.sent
        self.failed += other.failed
        self.refused += other.refused
        self.skipped += other.skipped
        self.moved += other.moved
        self.messages += other.messages


class ReminderDelivery:
    """Runs one tick's reminders and nudges through a transport."""

    def __init__(self, reminders: ReminderService, problems: DeliveryProblemService) -> None:
        self._reminders = reminders
        self._problems = problems

    async def run(self, now: datetime, transport: Transport) -> DeliveryReport:
        """Deliver everything due at `now`; challenges go side by side, each paced on its own."""
        batches = await self._reminders.due(now)
        report = DeliveryReport()
        if not batches:
            return report
        standing = await self._problems.standing_channels()
        results = await asyncio.gather(
            *(self._deliver(batch, now, transport, standing) for batch in batches),
            return_exceptions=True,
        )
        for batch, result in zip(batches, results, strict=True):
            if isinstance(result, BaseException):
                if not isinstance(result, Exception):
                    raise result
                log.error(
                    "delivering %ss of challenge %s (guild %s) failed",
                    batch.kind,
                    batch.challenge.id,
                    batch.challenge.guild_id,
                    exc_info=result,
                )
                continue
            report.add(result)
        if report.sent or report.failed or report.refused:
            log.info(
                "reminders: %s sent in %s messages, %s failed, %s refused, %s skipped, "
                "%s moved to channel",
                report.sent,
                report.messages,
                report.failed,
                report.refused,
                report.skipped,
                report.moved,
            )
        return report

    async def _deliver(
        self,
        batch: DueBatch,
        now: datetime,
        transport: Transport,
        standing: set[tuple[int, int]],
    ) -> DeliveryReport:
        report = DeliveryReport()
        moved: list[DueMember] = []
        for member in batch.by_mode(ReminderMode.DM):
            try:
                outcome = await self._direct(batch, member, now, transport)
                if outcome is Outcome.MOVED:
                    # Their reminders move to the channel, where they are reminded like anyone
                    # there: nothing public says their DMs are closed.
                    await self._reminders.dms_closed(batch.challenge, member, now)
            except Exception:
                _log_unit(batch, member)
                report.failed += 1
                continue
            if outcome is None:
                continue
            if outcome is Outcome.MOVED:
                moved.append(member)
                report.moved += 1
            elif outcome is Outcome.SENT:
                report.sent += 1
                report.messages += 1
            elif outcome is Outcome.REFUSED:
                report.refused += 1
            else:
                report.failed += 1
        channel = [*batch.by_mode(ReminderMode.CHANNEL), *moved]
        if channel:
            try:
                report.add(await self._channel(batch, channel, moved, now, transport, standing))
            except Exception:
                # Packing the messages failed: no claim was taken (moved members' claims go
                # stale and are taken over later); the direct messages above stand.
                _log_unit(batch, None)
                report.failed += len(channel)
        return report

    async def _direct(
        self, batch: DueBatch, member: DueMember, now: datetime, transport: Transport
    ) -> Outcome | None:
        """Send one DM; return how it went, or None when another tick had claimed it."""
        await transport.turn(batch.challenge, member)
        if not await self._reminders.claim(batch.kind, [member], now):
            return None
        try:
            await transport.to_member(batch.challenge, batch.kind, member)
        except asyncio.CancelledError:
            await self._reminders.release(batch.kind, [member], now)
            raise
        except DmsClosedError:
            # The claim stays ours: the member is reminded in the channel in this same tick.
            return Outcome.MOVED
        except SendRefusedError as error:
            await self._reminders.settle(
                batch.kind, [member], now, SendStatus.SKIPPED, failure_detail(error)
            )
            log.warning(
                "%s to member %s of challenge %s (guild %s) refused for good: %s",
                batch.kind,
                member.user_id,
                batch.challenge.id,
                batch.challenge.guild_id,
                error.detail,
            )
            if error.refusal is Refusal.NO_SHARED_SERVER:
                # They left every server the bot is in: nothing will reach them until they
                # come back and turn reminders on again.
                await self._reminders.unreachable(member)
            return Outcome.REFUSED
        except Exception as error:
            await self._reminders.settle(
                batch.kind, [member], now, SendStatus.FAILED, _detail(error)
            )
            return Outcome.FAILED
        await self._reminders.settle(batch.kind, [member], now, SendStatus.SENT)
        return Outcome.SENT

    async def _channel(
        self,
        batch: DueBatch,
        members: list[DueMember],
        moved: list[DueMember],
        now: datetime,
        transport: Transport,
        standing: set[tuple[int, int]],
    ) -> DeliveryReport:
        report = DeliveryReport()
        held = {member.participant_id for member in moved}
        channel_id = batch.challenge.progress_channel_id
        if channel_id is None:
            # Nowhere to post: record the day as skipped rather than re-deciding every tick.
            unclaimed = [m for m in members if m.participant_id not in held]
            won = await self._reminders.claim(batch.kind, unclaimed, now)
            skipped = [*won, *moved]
            await self._reminders.settle(
                batch.kind,
                skipped,
                now,
                SendStatus.SKIPPED,
                "the challenge has no progress channel",
            )
            report.skipped += len(skipped)
            return report
        refused: SendRefusedError | None = None
        for pack in transport.pack(batch.challenge, batch.kind, members):
            try:
                if refused is None:
                    await transport.turn(batch.challenge, None)
                unclaimed = [m for m in pack if m.participant_id not in held]
                claimed = await self._reminders.claim(batch.kind, unclaimed, now)
                mine = held | {member.participant_id for member in claimed}
                ours = tuple(member for member in pack if member.participant_id in mine)
                if not ours:
                    continue
                if refused is not None:
                    # The channel refused this tick's first message: the rest would be too.
                    await self._reminders.settle(
                        batch.kind, ours, now, SendStatus.SKIPPED, failure_detail(refused)
                    )
                    report.refused += len(ours)
                    continue
                message = ChannelMessage(batch.challenge, batch.kind, ours)
                outcome = await self._post(message, now, transport)
            except Exception:
                _log_unit(batch, None)
                report.failed += len(pack)
                continue
            if isinstance(outcome, SendRefusedError):
                refused = outcome
                report.refused += len(ours)
                await self._problems.record(batch.challenge, outcome, now)
            elif outcome is Outcome.FAILED:
                report.failed += len(ours)
            else:
                report.sent += len(ours)
                report.messages += 1
                if (batch.challenge.id, channel_id) in standing:
                    standing.discard((batch.challenge.id, channel_id))
                    await self._problems.cleared(batch.challenge, channel_id)
        return report

    async def _post(
        self, message: ChannelMessage, now: datetime, transport: Transport
    ) -> Outcome | SendRefusedError:
        """Post one claimed channel message and settle its members' claims."""
        kind, members = message.kind, message.members
        try:
            await transport.to_channel(message)
        except asyncio.CancelledError:
            await self._reminders.release(kind, members, now)
            raise
        except SendRefusedError as error:
            await self._reminders.settle(
                kind, members, now, SendStatus.SKIPPED, failure_detail(error)
            )
            log.warning(
                "%ss of challenge %s (guild %s) refused in channel %s: %s",
                kind,
                message.challenge.id,
                message.challenge.guild_id,
                message.challenge.progress_channel_id,
                error.detail,
            )
            return error
        except Exception as error:
            await self._reminders.settle(kind, members, now, SendStatus.FAILED, _detail(error))
            return Outcome.FAILED
        await self._reminders.settle(kind, members, now, SendStatus.SENT)
        return Outcome.SENT


def _log_unit(batch: DueBatch, member: DueMember | None) -> None:
    """Log a unit of a tick that raised: its server, challenge and member (or channel)."""
    challenge = batch.challenge
    if member is None:
        log.exception(
            "%s message in channel %s of challenge %s (guild %s) failed; the tick goes on",
            batch.kind,
            challenge.progress_channel_id,
            challenge.id,
            challenge.guild_id,
        )
    else:
        log.exception(
            "%s to member %s (participant %s) of challenge %s (guild %s) failed; the tick goes on",
            batch.kind,
            member.user_id,
            member.participant_id,
            challenge.id,
            challenge.guild_id,
        )


def _detail(error: Exception) -> str:
    """Describe a failed send for the ledger; an unexpected error is logged in full too."""
    if not isinstance(error, DeliveryError):
        log.error("unexpected error while sending a reminder", exc_info=error)
    return failure_detail(error)

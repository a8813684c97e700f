"""Delivering reminders and nudges: claim, send, record, through any transport.

The order of each send is what makes it exactly-once: wait for a turn under the rate limits,
claim the members' ledger rows, send, then record the outcome. A tick cancelled while waiting
has claimed nothing; a send that fails is recorded as failed and the next tick retries it; two
ticks racing split the members between them, since a ledger row is claimed once.

The transport is Discord in the bot (`cogs/reminders.py`) and a recording fake in tests.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.models import Challenge, ReminderMode
from bot.services.reminders import DueBatch, DueMember, ReminderService
from bot.services.send_ledger import failure_detail
from storage import SendStatus

log = logging.getLogger(__name__)


class DmsClosedError(Exception):
    """The member does not accept direct messages from the bot (Discord error 50007)."""


class DeliveryError(Exception):
    """A send failed (a server error, a channel gone); the next tick may retry it."""


@dataclass(frozen=True, slots=True)
class ChannelMessage:
    """One channel message: the members it mentions, and those told their DMs are closed."""

    challenge: Challenge
    kind: str
    members: tuple[DueMember, ...]
    moved: frozenset[int] = frozenset()
    """Participant ids of members told, once, that their reminders moved here."""


class Transport(Protocol):
    """Where reminders go: Discord in the bot, a recorder in tests."""

    def pack(
        self, challenge: Challenge, kind: str, members: Sequence[DueMember], moved: frozenset[int]
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
    MOVED = "moved"
    """The member's DMs are closed: reminded in the channel instead, in the same tick."""


@dataclass(slots=True)
class DeliveryReport:
    """What one tick delivered."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    moved: int = 0
    """Members moved to channel reminders because their DMs are closed."""
    messages: int = 0

    def add(self, other: DeliveryReport) -> None:
        """Add another report's counts to this one."""
        self.sent += other.sent
        self.failed += other.failed
        self.skipped += other.skipped
        self.moved += other.moved
        self.messages += other.messages


class ReminderDelivery:
    """Runs one tick's reminders and nudges through a transport."""

    def __init__(self, reminders: ReminderService) -> None:
        self._reminders = reminders

    async def run(self, now: datetime, transport: Transport) -> DeliveryReport:
        """Deliver everything due at `now`; challenges go side by side, each paced on its own."""
        batches = await self._reminders.due(now)
        report = DeliveryReport()
        if not batches:
            return report
        results = await asyncio.gather(
            *(self._deliver(batch, now, transport) for batch in batches), return_exceptions=True
        )
        for batch, result in zip(batches, results, strict=True):
            if isinstance(result, BaseException):
                if not isinstance(result, Exception):
                    raise result
                log.error(
                    "delivering %ss of challenge %s failed",
                    batch.kind,
                    batch.challenge.id,
                    exc_info=result,
                )
                continue
            report.add(result)
        if report.sent or report.failed:
            log.info(
                "reminders: %s sent in %s messages, %s failed, %s skipped, %s moved to channel",
                report.sent,
                report.messages,
                report.failed,
                report.skipped,
                report.moved,
            )
        return report

    async def _deliver(
        self, batch: DueBatch, now: datetime, transport: Transport
    ) -> DeliveryReport:
        report = DeliveryReport()
        moved: list[DueMember] = []
        told: set[int] = set()
        for member in batch.by_mode(ReminderMode.DM):
            outcome = await self._direct(batch, member, now, transport)
            if outcome is None:
                continue
            if outcome is Outcome.MOVED:
                moved.append(member)
                report.moved += 1
                if await self._reminders.dms_closed(batch.challenge, member, now):
                    told.add(member.participant_id)
            elif outcome is Outcome.SENT:
                report.sent += 1
                report.messages += 1
            else:
                report.failed += 1
        channel = [*batch.by_mode(ReminderMode.CHANNEL), *moved]
        if channel:
            report.add(await self._channel(batch, channel, moved, frozenset(told), now, transport))
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
        except DmsClosedError:
            # The claim stays ours: the member is reminded in the channel in this same tick.
            return Outcome.MOVED
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
        told: frozenset[int],
        now: datetime,
        transport: Transport,
    ) -> DeliveryReport:
        report = DeliveryReport()
        held = {member.participant_id for member in moved}
        if batch.challenge.progress_channel_id is None:
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
        for pack in transport.pack(batch.challenge, batch.kind, members, told):
            await transport.turn(batch.challenge, None)
            unclaimed = [m for m in pack if m.participant_id not in held]
            claimed = await self._reminders.claim(batch.kind, unclaimed, now)
            mine = held | {member.participant_id for member in claimed}
            ours = tuple(member for member in pack if member.participant_id in mine)
            if not ours:
                continue
            message = ChannelMessage(
                batch.challenge,
                batch.kind,
                ours,
                frozenset(m.participant_id for m in ours if m.participant_id in told),
            )
            try:
                await transport.to_channel(message)
            except Exception as error:
                await self._reminders.settle(
                    batch.kind, ours, now, SendStatus.FAILED, _detail(error)
                )
                report.failed += len(ours)
                continue
            await self._reminders.settle(batch.kind, ours, now, SendStatus.SENT)
            report.sent += len(ours)
            report.messages += 1
        return report


def _detail(error: Exception) -> str:
    """Describe a failed send for the ledger; an unexpected error is logged in full too."""
    if not isinstance(error, DeliveryError):
        log.error("unexpected error while sending a reminder", exc_info=error)
    return failure_detail(error)

"""The send ledger's one protocol: claim a send, make it, record how it went.

Every message or job that must happen at most once per key (a reply, a digest, a daily
checkpoint refresh, a command sync) goes through `SendLedger.once`: it claims the key in the send
ledger, runs the send, and marks it sent. A send that raises is marked failed and retried by a
later claim after a backoff (`bot.services.failures.next_attempt`), unless Discord refused it
for good (`SendRefusedError`): then it is settled as skipped and never retried. Either way the
error goes on to the caller. A send cancelled midway (a shutdown) is marked failed and due at
once, so the next tick (or the next process) makes it; a claim whose job died without a word
is taken over once stale (`storage.repositories.sends.STALE_CLAIM`). A key already claimed
(sent, skipped, or being sent by someone else) is not sent again.

A failure is recorded in one format everywhere, `failure_detail`: "ErrorType: message", cut
to `FAILURE_DETAIL_LIMIT` characters, so the ledger reads the same whichever job wrote it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from bot.services.failures import SendRefusedError, next_attempt, nonce_of
from storage import Database, SendStatus

log = logging.getLogger(__name__)

FAILURE_DETAIL_LIMIT = 500
"""The longest failure description the ledger keeps (an error's text can be a whole response)."""
CANCELLED = "cancelled before it was known to be sent"

Value = TypeVar("Value")


def failure_detail(error: BaseException) -> str:
    """Describe a failed send for the ledger: 'ErrorType: message', at most 500 characters."""
    return f"{type(error).__name__}: {error}"[:FAILURE_DETAIL_LIMIT]


@dataclass(frozen=True, slots=True)
class Notice:
    """One send-ledger key: what kind of message, to whom, for which period."""

    kind: str
    target: str
    period: str

    @property
    def nonce(self) -> str:
        """Return the nonce of this notice's message: the same on every attempt."""
        return nonce_of(self.kind, self.target, self.period)

    @property
    def key(self) -> str:
        """Return the notice's ledger key as one string (for logs and backoff jitter)."""
        return f"{self.kind}/{self.target}/{self.period}"


@dataclass(frozen=True, slots=True)
class Sent(Generic[Value]):
    """A send made just now, with what the send returned."""

    value: Value


class SendLedger:
    """Make each send once: the ledger claims it first, so a second claim finds it taken."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def once(
        self,
        notice: Notice,
        *,
        at: datetime,
        send: Callable[[], Awaitable[Value]],
        backoff: bool = True,
    ) -> Sent[Value] | None:
        """Run `send` unless the notice was claimed already; None when it was (skip it).

        A send that raises is recorded with `failure_detail` (skipped for good when refused,
        failed and retried otherwise: after a backoff, or by the next claim without `backoff`),
        and the error is re-raised.
        """
        async with self._db.write() as repos:
            claimed = await repos.sends.claim(notice.kind, notice.target, notice.period, at)
        if not claimed:
            return None
        try:
            value = await send()
        except asyncio.CancelledError:
            await release(self._db, notice, at)
            raise
        except SendRefusedError as error:
            async with self._db.write() as repos:
                await repos.sends.mark_skipped(
                    notice.kind, notice.target, notice.period, at, failure_detail(error)
                )
            raise
        except Exception as error:
            async with self._db.write() as repos:
                attempts = await repos.sends.attempts(notice.kind, notice.target, notice.period)
                await repos.sends.mark_failed(
                    notice.kind,
                    notice.target,
                    notice.period,
                    at,
                    failure_detail(error),
                    next_attempt_at=next_attempt(at, attempts, notice.key) if backoff else None,
                )
            raise
        async with self._db.write() as repos:
            await repos.sends.mark_sent(notice.kind, notice.target, notice.period, at)
        log.debug("%s sent to %s for %s", notice.kind, notice.target, notice.period)
        return Sent(value)

    async def skip(self, notice: Notice, *, at: datetime, reason: str) -> bool:
        """Record the notice as deliberately not sent, unless it was claimed already.

        Return True when this call settled it (it was new, or its last attempt had failed).
        """
        async with self._db.write() as repos:
            claimed = await repos.sends.claim(notice.kind, notice.target, notice.period, at)
            if not claimed:
                # A failed send waiting out its backoff is settled too: it will not be retried.
                status = await repos.sends.status(notice.kind, notice.target, notice.period)
                claimed = status is SendStatus.FAILED
            if claimed:
                await repos.sends.mark_skipped(
                    notice.kind, notice.target, notice.period, at, reason
                )
        return claimed


async def release(db: Database, notice: Notice, at: datetime) -> None:
    """Give back a claim whose send was cancelled: failed, and due again at once.

    Called while the task is being cancelled: the write is shielded so it completes, and a
    write that cannot complete (the database closing too) leaves the claim to go stale.
    """

    async def write() -> None:
        async with db.write() as repos:
            await repos.sends.mark_failed(
                notice.kind, notice.target, notice.period, at, CANCELLED, next_attempt_at=at
            )

    try:
        await asyncio.shield(write())
    except Exception:
        log.warning("could not release the claim of %s; it goes stale instead", notice.key)

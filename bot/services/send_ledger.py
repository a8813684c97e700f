"""The send ledger's one protocol: claim a send, make it, record how it went.

Every message or job that must happen at most once per key (a reply, a digest, a daily
checkpoint refresh, a command sync) goes through `SendLedger.once`: it claims the key in the send
ledger, runs the send, and marks it sent; a send that raises is marked failed, so the next claim
of the same key retries it, and the error goes on to the caller. A key already claimed (sent,
skipped, or being sent by someone else) is not sent again.

A failure is recorded in one format everywhere, `failure_detail`: "ErrorType: message", cut
to `FAILURE_DETAIL_LIMIT` characters, so the ledger reads the same whichever job wrote it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from storage import Database

log = logging.getLogger(__name__)

FAILURE_DETAIL_LIMIT = 500
"""The longest failure description the ledger keeps (an error's text can be a whole response)."""

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


@dataclass(frozen=True, slots=True)
class Sent(Generic[Value]):
    """A send made just now, with what the send returned."""

    value: Value


class SendLedger:
    """Make each send once: the ledger claims it first, so a second claim finds it taken."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def once(
        self, notice: Notice, *, at: datetime, send: Callable[[], Awaitable[Value]]
    ) -> Sent[Value] | None:
        """Run `send` unless the notice was claimed already; None when it was (skip it).

        A send that raises is marked failed, with `failure_detail`, so a later claim retries
        it, and the error is re-raised.
        """
        async with self._db.write() as repos:
            claimed = await repos.sends.claim(notice.kind, notice.target, notice.period, at)
        if not claimed:
            return None
        try:
            value = await send()
        except Exception as error:
            async with self._db.write() as repos:
                await repos.sends.mark_failed(
                    notice.kind, notice.target, notice.period, at, failure_detail(error)
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
            if claimed:
                await repos.sends.mark_skipped(
                    notice.kind, notice.target, notice.period, at, reason
                )
        return claimed

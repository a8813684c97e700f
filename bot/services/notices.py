"""Messages the bot sends at most once per key, whatever races, restarts or retries happen."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from storage import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Notice:
    """One send-ledger key: what kind of message, to whom, for which period."""

    kind: str
    target: str
    period: str


class NoticeService:
    """Send a notice once: the send ledger claims it first, so a second claim finds it taken."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def once(
        self, notice: Notice, *, at: datetime, send: Callable[[], Awaitable[object]]
    ) -> bool:
        """Run `send` unless the notice went out already; True when it ran now.

        A send that raises is marked failed (so a later claim may retry it) and re-raised.
        """
        async with self._db.write() as repos:
            claimed = await repos.sends.claim(notice.kind, notice.target, notice.period, at)
        if not claimed:
            return False
        try:
            await send()
        except Exception as error:
            async with self._db.write() as repos:
                await repos.sends.mark_failed(
                    notice.kind, notice.target, notice.period, at, repr(error)[:500]
                )
            raise
        async with self._db.write() as repos:
            await repos.sends.mark_sent(notice.kind, notice.target, notice.period, at)
        log.debug("notice %s sent to %s for %s", notice.kind, notice.target, notice.period)
        return True

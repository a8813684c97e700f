"""The send ledger: which scheduled message went out, so every job is safe to run twice."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa

from storage.repositories.base import Repository
from storage.tables import send_ledger


class SendStatus(enum.StrEnum):
    """Where one scheduled send stands."""

    PENDING = "pending"
    """Claimed by a job that is sending it now (or died while doing so: see STALE_CLAIM)."""
    SENT = "sent"
    FAILED = "failed"
    """The last attempt failed for a passing reason; a claim from `next_attempt_at` retries."""
    SKIPPED = "skipped"
    """Not sent, for good: nothing to say, the target is gone, or Discord refused it."""


STALE_CLAIM = timedelta(minutes=10)
"""A claim still pending after this long belongs to a job that died (a crash, a kill -9):
another may take it over. Ten minutes is far above any live send's claim: a claim is taken
just before its one request, and discord.py gives up on a request within about a minute (five
tries, a few seconds apart, each bounded by its HTTP timeout) unless Discord asks it to wait
out a rate limit, which the pacer exists to avoid. Reclaiming a live claim could send twice;
the message's nonce makes even that a no-op for Discord within its de-duplication window."""


def retryable(at: datetime) -> sa.ColumnElement[bool]:
    """Match ledger rows whose send may be claimed again at `at`."""
    return sa.or_(
        sa.and_(
            send_ledger.c.status == SendStatus.FAILED.value,
            sa.or_(send_ledger.c.next_attempt_at.is_(None), send_ledger.c.next_attempt_at <= at),
        ),
        sa.and_(
            send_ledger.c.status == SendStatus.PENDING.value,
            send_ledger.c.updated_at <= at - STALE_CLAIM,
        ),
    )


def _key(kind: str, target: str, period: str) -> sa.ColumnElement[bool]:
    """Match the ledger row of one send."""
    return sa.and_(
        send_ledger.c.kind == kind, send_ledger.c.target == target, send_ledger.c.period == period
    )


class SendLedgerRepository(Repository):
    """One row per (kind, target, period): a reminder, a digest, a milestone post."""

    async def claim(self, kind: str, target: str, period: str, at: datetime) -> bool:
        """Claim a send; True when the caller should send (new, or retrying: see `retryable`)."""
        # Race-safe in both databases: the unique key lets exactly one INSERT through, and the
        # UPDATE's status test is re-checked under the row lock, so one claimant wins either way.
        insert = (
            self._insert(send_ledger)
            .values(
                kind=kind,
                target=target,
                period=period,
                status=SendStatus.PENDING.value,
                attempts=1,
                created_at=at,
                updated_at=at,
            )
            .on_conflict_do_nothing(
                index_elements=[send_ledger.c.kind, send_ledger.c.target, send_ledger.c.period]
            )
        )
        if (await self._connection.execute(insert)).rowcount == 1:
            return True
        retry = (
            send_ledger.update()
            .where(_key(kind, target, period), retryable(at))
            .values(
                status=SendStatus.PENDING.value,
                attempts=send_ledger.c.attempts + 1,
                updated_at=at,
                next_attempt_at=None,
            )
        )
        return (await self._connection.execute(retry)).rowcount == 1

    async def claim_many(
        self, kind: str, targets: Sequence[str], period: str, at: datetime
    ) -> set[str]:
        """Claim one send per target in two statements; return the targets the caller won."""
        if not targets:
            return set()
        rows = [
            {
                "kind": kind,
                "target": target,
                "period": period,
                "status": SendStatus.PENDING.value,
                "attempts": 1,
                "created_at": at,
                "updated_at": at,
            }
            for target in targets
        ]
        # RETURNING after DO NOTHING lists only the rows inserted: the new claims. The rows go
        # as parameters of one statement (SQLAlchemy's insertmanyvalues), not as literal VALUES:
        # the statement is compiled once and cached, where a VALUES list of each size was compiled
        # anew on the event loop (2.5 s of a 6.2 s delivery at 10,000 members, its 283 ms stall).
        insert = (
            self._insert(send_ledger)
            .on_conflict_do_nothing(
                index_elements=[send_ledger.c.kind, send_ledger.c.target, send_ledger.c.period]
            )
            .returning(send_ledger.c.target)
        )
        won = set((await self._connection.execute(insert, rows)).scalars())
        retry = (
            send_ledger.update()
            .where(
                send_ledger.c.kind == kind,
                send_ledger.c.period == period,
                send_ledger.c.target.in_([t for t in targets if t not in won]),
                retryable(at),
            )
            .values(
                status=SendStatus.PENDING.value,
                attempts=send_ledger.c.attempts + 1,
                updated_at=at,
                next_attempt_at=None,
            )
            .returning(send_ledger.c.target)
        )
        if len(won) < len(targets):
            won.update((await self._connection.execute(retry)).scalars())
        return won

    async def mark_many(
        self,
        kind: str,
        targets: Sequence[str],
        period: str,
        at: datetime,
        status: SendStatus,
        detail: str | None = None,
        *,
        next_attempt_at: datetime | None = None,
    ) -> None:
        """Record where claimed sends stand (sent, failed or skipped), in one statement.

        A failed send is retried from `next_attempt_at` (None: at the next claim).
        """
        if not targets:
            return
        changes: dict[str, object] = {
            "status": status.value,
            "updated_at": at,
            "next_attempt_at": next_attempt_at,
        }
        if detail is not None:
            changes["detail"] = detail
        await self._connection.execute(
            send_ledger.update()
            .where(
                send_ledger.c.kind == kind,
                send_ledger.c.period == period,
                send_ledger.c.target.in_(list(targets)),
            )
            .values(**changes)
        )

    async def mark_sent(self, kind: str, target: str, period: str, at: datetime) -> None:
        """Record that a send went out."""
        await self._set_status(kind, target, period, at, SendStatus.SENT, None)

    async def mark_failed(
        self,
        kind: str,
        target: str,
        period: str,
        at: datetime,
        detail: str,
        *,
        next_attempt_at: datetime | None = None,
    ) -> None:
        """Record that a send failed, and why; a claim from `next_attempt_at` may retry it."""
        await self._set_status(
            kind, target, period, at, SendStatus.FAILED, detail, next_attempt_at=next_attempt_at
        )

    async def mark_skipped(
        self, kind: str, target: str, period: str, at: datetime, detail: str | None = None
    ) -> None:
        """Record that a send was deliberately not made."""
        await self._set_status(kind, target, period, at, SendStatus.SKIPPED, detail)

    async def status(self, kind: str, target: str, period: str) -> SendStatus | None:
        """Return where a send stands, or None if it was never claimed."""
        statement = sa.select(send_ledger.c.status).where(_key(kind, target, period))
        value = (await self._connection.execute(statement)).scalar_one_or_none()
        return None if value is None else SendStatus(value)

    async def periods(self, kind: str, target: str, status: SendStatus) -> list[str]:
        """Return the periods of a target's sends of one kind in `status`, oldest first."""
        statement = (
            sa.select(send_ledger.c.period)
            .where(
                send_ledger.c.kind == kind,
                send_ledger.c.target == target,
                send_ledger.c.status == status.value,
            )
            .order_by(send_ledger.c.period)
        )
        return [str(period) for period in (await self._connection.execute(statement)).scalars()]

    async def detail(self, kind: str, target: str, period: str) -> str | None:
        """Return why a send failed or was skipped, as recorded (None if nothing was)."""
        statement = sa.select(send_ledger.c.detail).where(_key(kind, target, period))
        value = (await self._connection.execute(statement)).scalar_one_or_none()
        return None if value is None else str(value)

    async def attempts_many(self, kind: str, targets: Sequence[str], period: str) -> int:
        """Return the most claims any of these sends had (0 if none was ever claimed)."""
        if not targets:
            return 0
        statement = sa.select(sa.func.max(send_ledger.c.attempts)).where(
            send_ledger.c.kind == kind,
            send_ledger.c.period == period,
            send_ledger.c.target.in_(list(targets)),
        )
        value = (await self._connection.execute(statement)).scalar_one_or_none()
        return 0 if value is None else int(value)

    async def next_attempt(self, kind: str, target: str, period: str) -> datetime | None:
        """Return when a failed send may be retried (None: at once, or not failed)."""
        statement = sa.select(send_ledger.c.next_attempt_at).where(_key(kind, target, period))
        value: datetime | None = (await self._connection.execute(statement)).scalar_one_or_none()
        return value

    async def attempts(self, kind: str, target: str, period: str) -> int:
        """Return how many times a send was claimed (0 if never)."""
        statement = sa.select(send_ledger.c.attempts).where(_key(kind, target, period))
        value = (await self._connection.execute(statement)).scalar_one_or_none()
        return 0 if value is None else int(value)

    async def _set_status(
        self,
        kind: str,
        target: str,
        period: str,
        at: datetime,
        status: SendStatus,
        detail: str | None,
        *,
        next_attempt_at: datetime | None = None,
    ) -> None:
        """Set a send's status, creating its row if it was never claimed."""
        attempted = status is not SendStatus.SKIPPED
        insert = self._insert(send_ledger).values(
            kind=kind,
            target=target,
            period=period,
            status=status.value,
            attempts=int(attempted),
            detail=detail,
            created_at=at,
            updated_at=at,
            next_attempt_at=next_attempt_at,
        )
        changes: dict[str, object] = {
            "status": status.value,
            "updated_at": at,
            "next_attempt_at": next_attempt_at,
        }
        if detail is not None:
            changes["detail"] = detail
        await self._connection.execute(
            insert.on_conflict_do_update(
                index_elements=[send_ledger.c.kind, send_ledger.c.target, send_ledger.c.period],
                set_=changes,
            )
        )

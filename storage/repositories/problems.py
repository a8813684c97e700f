"""Delivery problems: the channels Discord refuses, and the organizer told about them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa

from bot.domain.delivery import DeliveryProblem, Refusal
from storage.repositories.base import Repository
from storage.shards import Shards
from storage.tables import challenges, delivery_problems


def _owned(shards: Shards | None) -> sa.ColumnElement[bool]:
    """Match the problems of `shards`' servers (every server's with None)."""
    if shards is None or shards.whole:
        return sa.true()
    owned = sa.select(challenges.c.id).where(shards.owns_column(challenges.c.guild_id))
    return delivery_problems.c.challenge_id.in_(owned)


def _problem(row: sa.Row[tuple[object, ...]]) -> DeliveryProblem:
    missing = str(row.missing)
    return DeliveryProblem(
        id=int(row.id),
        challenge_id=int(row.challenge_id),
        channel_id=int(row.channel_id),
        refusal=Refusal(row.refusal),
        missing=tuple(missing.split(",")) if missing else (),
        since=row.since,
        told_at=row.told_at,
        told_by_dm=bool(row.told_by_dm),
    )


class DeliveryProblemRepository(Repository):
    """One row per refused (challenge, channel); who created or last edited each challenge."""

    async def record(
        self,
        *,
        challenge_id: int,
        channel_id: int,
        refusal: Refusal,
        missing: Sequence[str],
        detail: str,
        at: datetime,
    ) -> bool:
        """Record a refused channel; True when it is new (a standing problem is kept as is)."""
        insert = (
            self._insert(delivery_problems)
            .values(
                challenge_id=challenge_id,
                channel_id=channel_id,
                refusal=refusal.value,
                missing=",".join(missing),
                detail=detail,
                since=at,
            )
            .on_conflict_do_nothing(
                index_elements=[delivery_problems.c.challenge_id, delivery_problems.c.channel_id]
            )
        )
        return (await self._connection.execute(insert)).rowcount == 1

    async def clear(self, challenge_id: int, channel_ids: Iterable[int]) -> int:
        """Forget the problems of these channels of a challenge; return how many were cleared."""
        ids = list(channel_ids)
        if not ids:
            return 0
        statement = delivery_problems.delete().where(
            delivery_problems.c.challenge_id == challenge_id,
            delivery_problems.c.channel_id.in_(ids),
        )
        return int((await self._connection.execute(statement)).rowcount)

    async def clear_except(self, challenge_id: int, channel_ids: Iterable[int]) -> int:
        """Forget the problems of a challenge's channels other than these (no longer used)."""
        statement = delivery_problems.delete().where(
            delivery_problems.c.challenge_id == challenge_id,
            delivery_problems.c.channel_id.not_in(list(channel_ids)),
        )
        return int((await self._connection.execute(statement)).rowcount)

    async def standing(self, shards: Shards | None = None) -> list[DeliveryProblem]:
        """Return the standing problems of `shards`' servers (every server's), oldest first."""
        statement = (
            sa.select(delivery_problems).where(_owned(shards)).order_by(delivery_problems.c.id)
        )
        return [_problem(row) for row in await self._connection.execute(statement)]

    async def of_challenge(self, challenge_id: int) -> list[DeliveryProblem]:
        """Return a challenge's standing problems, oldest first."""
        statement = (
            sa.select(delivery_problems)
            .where(delivery_problems.c.challenge_id == challenge_id)
            .order_by(delivery_problems.c.id)
        )
        return [_problem(row) for row in await self._connection.execute(statement)]

    async def any_untold(self, shards: Shards | None = None) -> bool:
        """Whether some problem of `shards`' servers has not been told to its organizer yet."""
        statement = sa.select(delivery_problems.c.id).where(
            delivery_problems.c.told_at.is_(None), _owned(shards)
        )
        return (await self._connection.execute(statement.limit(1))).first() is not None

    async def claim_untold(
        self, at: datetime, shards: Shards | None = None
    ) -> list[DeliveryProblem]:
        """Mark `shards`' problems nobody was told about as told now; return those won."""
        untold = sa.select(delivery_problems.c.id).where(
            delivery_problems.c.told_at.is_(None), _owned(shards)
        )
        ids = list((await self._connection.execute(untold)).scalars())
        if not ids:
            return []
        # The told_at test is re-checked under the row lock: two ticks racing tell once.
        claim = (
            delivery_problems.update()
            .where(delivery_problems.c.id.in_(ids), delivery_problems.c.told_at.is_(None))
            .values(told_at=at)
            .returning(delivery_problems.c.id)
        )
        won = set((await self._connection.execute(claim)).scalars())
        statement = (
            sa.select(delivery_problems)
            .where(delivery_problems.c.id.in_(won))
            .order_by(delivery_problems.c.id)
        )
        return [_problem(row) for row in await self._connection.execute(statement)]

    async def told_by_dm(self, problem_id: int) -> None:
        """Record that the organizer's direct message about a problem went out."""
        await self._connection.execute(
            delivery_problems.update()
            .where(delivery_problems.c.id == problem_id)
            .values(told_by_dm=True)
        )

    async def set_organizer(self, challenge_id: int, user_id: int) -> None:
        """Remember who created or last edited a challenge (they hear of its problems)."""
        await self._connection.execute(
            challenges.update().where(challenges.c.id == challenge_id).values(organizer_id=user_id)
        )

    async def organizer(self, challenge_id: int) -> int | None:
        """Return who created or last edited a challenge, when known."""
        statement = sa.select(challenges.c.organizer_id).where(challenges.c.id == challenge_id)
        value = (await self._connection.execute(statement)).scalar_one_or_none()
        return None if value is None else int(value)

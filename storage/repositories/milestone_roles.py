"""Milestone roles: the role an organizer gives for a milestone, and the roles Daybook gave."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.domain.milestones import Milestone
from storage.repositories.base import Repository
from storage.shards import Shards
from storage.tables import granted_roles, milestone_roles


@dataclass(frozen=True, slots=True)
class GrantedRole:
    """A role Daybook gave a member for a milestone, in the round and attempt that earned it."""

    id: int
    participant_id: int
    guild_id: int
    user_id: int
    role_id: int
    round: int
    attempt: int


def _granted(row: sa.Row[Any]) -> GrantedRole:
    return GrantedRole(
        id=int(row.id),
        participant_id=int(row.participant_id),
        guild_id=int(row.guild_id),
        user_id=int(row.user_id),
        role_id=int(row.role_id),
        round=int(row.round),
        attempt=int(row.attempt),
    )


class MilestoneRoleRepository(Repository):
    """Which role each milestone gives, and which roles were given to whom."""

    async def set_role(
        self, challenge_id: int, milestone: Milestone, role_id: int, at: datetime
    ) -> None:
        """Give `role_id` for a milestone of a challenge (replacing the role it gave before)."""
        insert = self._insert(milestone_roles).values(
            challenge_id=challenge_id,
            milestone=milestone.value,
            role_id=role_id,
            set_at=at,
        )
        statement = insert.on_conflict_do_update(
            index_elements=[milestone_roles.c.challenge_id, milestone_roles.c.milestone],
            set_={"role_id": role_id, "set_at": at},
        )
        await self._connection.execute(statement)

    async def clear_role(self, challenge_id: int, milestone: Milestone) -> bool:
        """Stop giving a role for a milestone; True when one was set."""
        statement = milestone_roles.delete().where(
            milestone_roles.c.challenge_id == challenge_id,
            milestone_roles.c.milestone == milestone.value,
        )
        return (await self._connection.execute(statement)).rowcount == 1

    async def roles(self, challenge_id: int) -> dict[Milestone, int]:
        """Return the role each milestone of a challenge gives."""
        statement = sa.select(milestone_roles.c.milestone, milestone_roles.c.role_id).where(
            milestone_roles.c.challenge_id == challenge_id
        )
        return {
            Milestone(row.milestone): int(row.role_id)
            for row in await self._connection.execute(statement)
        }

    async def add_grant(
        self,
        *,
        participant_id: int,
        guild_id: int,
        user_id: int,
        role_id: int,
        round_: int,
        attempt: int,
        at: datetime,
    ) -> None:
        """Record a role given; a role given again is now held for the later round and attempt."""
        insert = self._insert(granted_roles).values(
            participant_id=participant_id,
            guild_id=guild_id,
            user_id=user_id,
            role_id=role_id,
            round=round_,
            attempt=attempt,
            granted_at=at,
        )
        statement = insert.on_conflict_do_update(
            index_elements=[granted_roles.c.participant_id, granted_roles.c.role_id],
            set_={"round": round_, "attempt": attempt, "granted_at": at},
        )
        await self._connection.execute(statement)

    async def grants_of_participant(self, participant_id: int) -> list[GrantedRole]:
        """Return the roles given to one participation."""
        statement = (
            sa.select(granted_roles)
            .where(granted_roles.c.participant_id == participant_id)
            .order_by(granted_roles.c.id)
        )
        return [_granted(row) for row in await self._connection.execute(statement)]

    async def grants_of_user(self, user_id: int) -> list[GrantedRole]:
        """Return the roles given to a user, in every server."""
        statement = (
            sa.select(granted_roles)
            .where(granted_roles.c.user_id == user_id)
            .order_by(granted_roles.c.id)
        )
        return [_granted(row) for row in await self._connection.execute(statement)]

    async def all_grants(self, shards: Shards | None = None) -> list[GrantedRole]:
        """Return the roles given in `shards`' servers (every server's with None)."""
        # A few per member who reached a mapped milestone.
        owned = sa.true() if shards is None else shards.owns_column(granted_roles.c.guild_id)
        statement = sa.select(granted_roles).where(owned).order_by(granted_roles.c.id)
        return [_granted(row) for row in await self._connection.execute(statement)]

    async def drop_grants(self, grant_ids: Iterable[int]) -> None:
        """Forget roles given (they were taken away, or are about to be)."""
        ids = list(grant_ids)
        if ids:
            await self._connection.execute(
                granted_roles.delete().where(granted_roles.c.id.in_(ids))
            )

    async def drop_grant(
        self, participant_id: int, role_id: int, round_: int, attempt: int
    ) -> None:
        """Forget one role recorded for a round and attempt (it was not given after all)."""
        statement = granted_roles.delete().where(
            granted_roles.c.participant_id == participant_id,
            granted_roles.c.role_id == role_id,
            granted_roles.c.round == round_,
            granted_roles.c.attempt == attempt,
        )
        await self._connection.execute(statement)

    async def still_held(
        self, guild_id: int, user_id: int, role_id: int, *, excluding: Iterable[int] = ()
    ) -> bool:
        """Whether Daybook gives a user this role by a grant other than those `excluding`."""
        statement = (
            sa.select(granted_roles.c.id)
            .where(
                granted_roles.c.guild_id == guild_id,
                granted_roles.c.user_id == user_id,
                granted_roles.c.role_id == role_id,
            )
            .limit(1)
        )
        ids = list(excluding)
        if ids:
            statement = statement.where(granted_roles.c.id.not_in(ids))
        return (await self._connection.execute(statement)).first() is not None

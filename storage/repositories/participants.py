"""Participants: members in a challenge, their zone history, reminders and departures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa

from bot.domain.models import Participant, ReminderMode
from storage.repositories.base import RecordNotFoundError, Repository
from storage.tables import (
    member_settings,
    participant_zones,
    participants,
    send_ledger,
    standings,
)
from storage.types import optional_text_to_time, optional_time_to_text


def _participant(row: sa.Row[Any]) -> Participant:
    """Build a Participant from a row of the participants table."""
    return Participant(
        id=row.id,
        challenge_id=row.challenge_id,
        user_id=row.user_id,
        timezone=row.timezone,
        start_day=row.start_day,
        initial_day=row.initial_day,
        reminder_time=optional_text_to_time(row.reminder_time),
        reminder_mode=ReminderMode(row.reminder_mode),
        hidden=bool(row.hidden),
        joined_at=row.joined_at,
        left_at=row.left_at,
    )


HIDDEN = sa.func.coalesce(member_settings.c.hidden, sa.false())
"""Whether the member keeps their progress private: their server-wide setting (see
`member_settings`); read with `with_settings` joined in."""


def with_settings(user_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """Return the join condition of a member's settings row in the participant's server."""
    return sa.and_(
        member_settings.c.guild_id == participants.c.guild_id,
        member_settings.c.user_id == user_id,
    )


_MEMBERS = participants.outerjoin(member_settings, with_settings(participants.c.user_id))
_SELECT: sa.Select[Any] = sa.select(*participants.c, HIDDEN.label("hidden")).select_from(_MEMBERS)
"""Participants with their visibility: the base of every read that returns a Participant."""


def participant_target(participant_id: int) -> str:
    """Return the send-ledger target naming one participant."""
    return f"participant:{participant_id}"


def user_target(user_id: int) -> str:
    """Return the send-ledger target naming one Discord user (direct messages)."""
    return f"user:{user_id}"


class ParticipantRepository(Repository):
    """Members taking part in challenges."""

    async def add(
        self,
        *,
        challenge_id: int,
        guild_id: int,
        user_id: int,
        timezone: str,
        start_day: date,
        initial_day: int,
        joined_at: datetime,
    ) -> Participant:
        """Store a new participant and the first entry of their zone history."""
        self._changes.challenges.add(challenge_id)
        statement = (
            participants.insert()
            .values(
                challenge_id=challenge_id,
                guild_id=guild_id,
                user_id=user_id,
                timezone=timezone,
                start_day=start_day,
                initial_day=initial_day,
                joined_at=joined_at,
            )
            .returning(participants.c.id)
        )
        participant_id = (await self._connection.execute(statement)).scalar_one()
        await self._connection.execute(
            participant_zones.insert().values(
                participant_id=participant_id, timezone=timezone, effective_from=joined_at
            )
        )
        added = await self.by_id(participant_id)
        if added is None:  # pragma: no cover - the row was written in this transaction
            raise RecordNotFoundError(f"participant {participant_id}")
        return added

    async def get(self, challenge_id: int, user_id: int) -> Participant | None:
        """Return a member's participation in a challenge, even if they left."""
        statement = _SELECT.where(
            participants.c.challenge_id == challenge_id, participants.c.user_id == user_id
        )
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _participant(row)

    async def by_id(self, participant_id: int) -> Participant | None:
        """Return a participant by id."""
        statement = _SELECT.where(participants.c.id == participant_id)
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _participant(row)

    async def by_ids(self, participant_ids: Sequence[int]) -> list[Participant]:
        """Return the participants with these ids, in id order (unknown ids are left out)."""
        if not participant_ids:
            return []
        statement = _SELECT.where(participants.c.id.in_(list(participant_ids))).order_by(
            participants.c.id
        )
        return [_participant(row) for row in await self._connection.execute(statement)]

    async def active(self, challenge_id: int) -> list[Participant]:
        """Return a challenge's current participants (not those who left), oldest first."""
        statement = _SELECT.where(
            participants.c.challenge_id == challenge_id, participants.c.left_at.is_(None)
        ).order_by(participants.c.id)
        return await self._built(statement, _participant)

    async def set_timezone(self, participant_id: int, timezone: str, at: datetime) -> None:
        """Change a participant's zone from `at` on, keeping the old one in the history."""
        self._changes.members.add(participant_id)
        await self._connection.execute(
            participants.update()
            .where(participants.c.id == participant_id)
            .values(timezone=timezone)
        )
        insert = self._insert(participant_zones).values(
            participant_id=participant_id, timezone=timezone, effective_from=at
        )
        # Two changes at the same instant: the later call wins.
        await self._connection.execute(
            insert.on_conflict_do_update(
                index_elements=[
                    participant_zones.c.participant_id,
                    participant_zones.c.effective_from,
                ],
                set_={"timezone": insert.excluded.timezone},
            )
        )

    async def zone_history(self, participant_id: int) -> list[tuple[datetime, str]]:
        """Return (effective from, zone) pairs, oldest first."""
        statement = (
            sa.select(participant_zones.c.effective_from, participant_zones.c.timezone)
            .where(participant_zones.c.participant_id == participant_id)
            .order_by(participant_zones.c.effective_from, participant_zones.c.id)
        )
        return [
            (row.effective_from, row.timezone) for row in await self._connection.execute(statement)
        ]

    async def set_start(self, participant_id: int, start_day: date, initial_day: int) -> None:
        """Set the first day that may count and its Day N; the cached standing is dropped."""
        self._changes.members.add(participant_id)
        await self._connection.execute(
            participants.update()
            .where(participants.c.id == participant_id)
            .values(start_day=start_day, initial_day=initial_day)
        )
        await self._connection.execute(
            standings.delete().where(standings.c.participant_id == participant_id)
        )

    async def set_reminder(
        self, participant_id: int, reminder_time: time | None, mode: ReminderMode
    ) -> None:
        """Set when and how a participant is reminded."""
        self._changes.members.add(participant_id)
        await self._connection.execute(
            participants.update()
            .where(participants.c.id == participant_id)
            .values(reminder_time=optional_time_to_text(reminder_time), reminder_mode=mode.value)
        )

    async def set_hidden(self, guild_id: int, user_id: int, hidden: bool) -> None:
        """Hide a member from (or show them on) a server's boards and digests, for good.

        The setting belongs to the member in the server, not to a participation: it holds in
        every challenge there, and after they leave.
        """
        rows = await self._connection.execute(
            sa.select(participants.c.id, participants.c.challenge_id).where(
                participants.c.guild_id == guild_id, participants.c.user_id == user_id
            )
        )
        for participant_id, challenge_id in rows:
            self._changes.members.add(participant_id)
            self._changes.owners[participant_id] = challenge_id
        insert = self._insert(member_settings).values(
            guild_id=guild_id, user_id=user_id, hidden=hidden
        )
        await self._connection.execute(
            insert.on_conflict_do_update(
                index_elements=[member_settings.c.guild_id, member_settings.c.user_id],
                set_={"hidden": insert.excluded.hidden},
            )
        )

    async def set_display_names(self, guild_id: int, names: Mapping[int, str]) -> None:
        """Keep members' server display names as Daybook last saw them (for the public page).

        Only the name is written: a member's other settings (hidden) stay as they are. A name
        changes no standing, so no walk is marked stale.
        """
        if not names:
            return
        insert = self._insert(member_settings).values(
            [
                {"guild_id": guild_id, "user_id": user_id, "display_name": name}
                for user_id, name in names.items()
            ]
        )
        await self._connection.execute(
            insert.on_conflict_do_update(
                index_elements=[member_settings.c.guild_id, member_settings.c.user_id],
                set_={"display_name": insert.excluded.display_name},
            )
        )

    async def taking_part(
        self, guild_id: int, user_ids: Sequence[int], *, lock: bool = False
    ) -> frozenset[int]:
        """Return which of these users joined a challenge of the server (and did not forget).

        `lock` (in a write): their participant rows stay as read until the commit, so a
        /forget-me in another process waits for it (PostgreSQL; SQLite has one writer).
        """
        if not user_ids:
            return frozenset()
        # No DISTINCT: PostgreSQL refuses FOR SHARE with it, and the set drops repeats.
        statement = sa.select(participants.c.user_id).where(
            participants.c.guild_id == guild_id, participants.c.user_id.in_(user_ids)
        )
        if lock:
            statement = statement.with_for_update(read=True)
        return frozenset(
            int(user) for user in (await self._connection.execute(statement)).scalars()
        )

    async def display_names(self, guild_id: int, user_ids: Sequence[int]) -> dict[int, str]:
        """Return the stored display names of these members (those with none are left out)."""
        if not user_ids:
            return {}
        statement = sa.select(member_settings.c.user_id, member_settings.c.display_name).where(
            member_settings.c.guild_id == guild_id,
            member_settings.c.user_id.in_(list(user_ids)),
            member_settings.c.display_name.is_not(None),
        )
        return {int(user): str(name) for user, name in await self._connection.execute(statement)}

    async def hidden_ids(self, challenge_id: int) -> frozenset[int]:
        """Return the ids of a challenge's participants, present or past, who are hidden."""
        statement = (
            sa.select(participants.c.id)
            .select_from(_MEMBERS)
            .where(participants.c.challenge_id == challenge_id, HIDDEN)
        )
        return frozenset((await self._connection.execute(statement)).scalars())

    async def leave(self, participant_id: int, at: datetime) -> None:
        """Record that a participant left (leaving twice keeps the first time)."""
        self._changes.members.add(participant_id)
        await self._connection.execute(
            participants.update()
            .where(participants.c.id == participant_id, participants.c.left_at.is_(None))
            .values(left_at=at)
        )

    async def rejoin(self, participant_id: int, at: datetime) -> None:
        """Bring back a participant who left; their entries and history are kept."""
        self._changes.members.add(participant_id)
        # `at` is part of the signature for symmetry with leave(); the schema keeps no rejoin
        # time (joined_at stays the first join, which the day count depends on).
        await self._connection.execute(
            participants.update().where(participants.c.id == participant_id).values(left_at=None)
        )

    async def challenges_of_user(self, guild_id: int, user_id: int) -> list[Participant]:
        """Return a member's participations in a server (including ones they left), oldest first."""
        statement = _SELECT.where(
            participants.c.guild_id == guild_id, participants.c.user_id == user_id
        ).order_by(participants.c.id)
        return [_participant(row) for row in await self._connection.execute(statement)]

    async def forget_user(self, user_id: int) -> int:
        """Delete everything kept about a user in every server; return participations deleted."""
        self._changes.everything = True
        # Entries, adjustments, zones and standings go with the participant rows (ON DELETE
        # CASCADE); the send ledger names participants in text, so it is cleaned up by hand.
        deleted = await self._connection.execute(
            participants.delete()
            .where(participants.c.user_id == user_id)
            .returning(participants.c.id, participants.c.challenge_id)
        )
        ids = []
        for participant_id, challenge_id in deleted:
            ids.append(participant_id)
            # The rows are gone: their challenges are named here, for the versions.
            self._changes.challenges.add(challenge_id)
        await self._connection.execute(
            member_settings.delete().where(member_settings.c.user_id == user_id)
        )
        targets = [participant_target(pid) for pid in ids] + [user_target(user_id)]
        await self._connection.execute(
            send_ledger.delete().where(send_ledger.c.target.in_(targets))
        )
        return len(ids)

    async def everyone(self, challenge_id: int) -> list[Participant]:
        """Return every participant a challenge has had, those who left included, oldest first."""
        statement = _SELECT.where(participants.c.challenge_id == challenge_id).order_by(
            participants.c.id
        )
        return await self._built(statement, _participant)

    async def stored_names(self, challenge_id: int) -> dict[int, str]:
        """Return the server display names Daybook last saw of a challenge's members, by user id."""
        statement = (
            sa.select(participants.c.user_id, member_settings.c.display_name)
            .select_from(_MEMBERS)
            .where(
                participants.c.challenge_id == challenge_id,
                member_settings.c.display_name.is_not(None),
            )
        )
        return {
            int(row.user_id): str(row.display_name)
            for row in await self._connection.execute(statement)
        }

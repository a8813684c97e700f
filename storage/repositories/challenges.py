"""Challenges: what a server runs, with its rules kept as canonical JSON."""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa

from bot.domain.models import Challenge, Participant
from bot.domain.rules import Rules
from storage.repositories.base import RecordNotFoundError, Repository
from storage.repositories.participants import HIDDEN, _participant, with_settings
from storage.repositories.sends import SendStatus
from storage.repositories.standings import StoredStanding, _standing
from storage.shards import Shards
from storage.tables import challenges, member_settings, participants, send_ledger, standings
from storage.types import text_to_time, time_to_text

SCHEDULES_AT_ONCE = 300
"""Digest schedules matched in one statement (three bound values each)."""


class DigestSchedule(NamedTuple):
    """When a challenge's digest is posted: a weekday, a local time, a zone."""

    weekday: int
    at: time
    timezone: str


def _with_schedule(schedules: Sequence[DigestSchedule]) -> sa.ColumnElement[bool]:
    """Match the challenges with one of these digest schedules."""
    return sa.tuple_(
        challenges.c.digest_weekday, challenges.c.digest_time, challenges.c.timezone
    ).in_([(s.weekday, time_to_text(s.at), s.timezone) for s in schedules])


def _challenge(row: sa.Row[Any]) -> Challenge:
    """Build a Challenge from a row of the challenges table."""
    return Challenge(
        id=row.id,
        guild_id=row.guild_id,
        name=row.name,
        rules=Rules.from_dict(json.loads(row.rules_json)),
        timezone=row.timezone,
        preset=row.preset,
        hashtag=row.hashtag,
        progress_channel_id=row.progress_channel_id,
        digest_channel_id=row.digest_channel_id,
        digest_weekday=row.digest_weekday,
        digest_time=text_to_time(row.digest_time),
        nudge_hours=row.nudge_hours,
        created_at=row.created_at,
        ended_at=row.ended_at,
        announce_checkins=bool(row.announce_checkins),
        web_enabled=bool(row.web_enabled),
        web_id=row.web_id,
    )


@dataclass(frozen=True, slots=True)
class MemberContext:
    """A running challenge, with one member's participation in it and their checkpoint."""

    challenge: Challenge
    participant: Participant | None
    standing: StoredStanding | None


_ChallengeRow = namedtuple("_ChallengeRow", [column.name for column in challenges.c])  # type: ignore[misc]
_ParticipantRow = namedtuple(  # type: ignore[misc]
    "_ParticipantRow", [*(column.name for column in participants.c), "hidden"]
)
_StandingRow = namedtuple("_StandingRow", [column.name for column in standings.c])  # type: ignore[misc]
_CHALLENGE_END = len(challenges.c)
_PARTICIPANT_END = _CHALLENGE_END + len(_ParticipantRow._fields)
_STANDING_END = _PARTICIPANT_END + len(standings.c)


def running_for_member(user: sa.ColumnElement[int]) -> sa.FromClause:
    """Return challenges outer-joined with one user's participation, checkpoint and settings.

    Filter it with `running_in` for a guild's running challenges.
    """
    joined = challenges.outerjoin(
        participants,
        sa.and_(participants.c.challenge_id == challenges.c.id, participants.c.user_id == user),
    ).outerjoin(standings, standings.c.participant_id == participants.c.id)
    return joined.outerjoin(member_settings, with_settings(user))


def running_in(guild: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """Return the condition of a guild's running challenges."""
    return sa.and_(challenges.c.guild_id == guild, challenges.c.ended_at.is_(None))


def member_context_columns() -> list[sa.ColumnElement[Any]]:
    """Return the columns `member_context_from` reads: challenge, member, checkpoint."""
    return [
        *(column.label(f"c_{column.name}") for column in challenges.c),
        *(column.label(f"p_{column.name}") for column in participants.c),
        HIDDEN.label("p_hidden"),
        *(column.label(f"s_{column.name}") for column in standings.c),
    ]


def member_context_from(values: Sequence[Any]) -> MemberContext:
    """Build a MemberContext from the values of `member_context_columns`, in order."""
    # Row-like tuples with the tables' column names, for the builders that read rows.
    challenge: Any = _ChallengeRow._make(values[:_CHALLENGE_END])
    member: Any = _ParticipantRow._make(values[_CHALLENGE_END:_PARTICIPANT_END])
    saved: Any = _StandingRow._make(values[_PARTICIPANT_END:_STANDING_END])
    return MemberContext(
        challenge=_challenge(challenge),
        participant=None if member.id is None else _participant(member),
        standing=None if saved.participant_id is None else _standing(saved),
    )


@cache
def _with_member_statement() -> sa.Select[Any]:
    """Return the guild's running challenges joined with one user's participation (built once)."""
    guild = sa.bindparam("guild_id", type_=sa.BigInteger)
    user = sa.bindparam("user_id", type_=sa.BigInteger)
    return (
        sa.select(*member_context_columns())
        .select_from(running_for_member(user))
        .where(running_in(guild))
        .order_by(challenges.c.id)
    )


class ChallengeRepository(Repository):
    """Challenges of every server."""

    async def add(
        self,
        *,
        guild_id: int,
        name: str,
        rules: Rules,
        timezone: str,
        preset: str | None,
        hashtag: str | None,
        progress_channel_id: int | None,
        digest_channel_id: int | None,
        digest_weekday: int,
        digest_time: time,
        created_at: datetime,
        nudge_hours: int | None = None,
        announce_checkins: bool = True,
    ) -> Challenge:
        """Store a new, active challenge."""
        statement = (
            challenges.insert()
            .values(
                guild_id=guild_id,
                name=name,
                rules_json=rules.to_json(),
                timezone=timezone,
                preset=preset,
                hashtag=hashtag,
                progress_channel_id=progress_channel_id,
                digest_channel_id=digest_channel_id,
                digest_weekday=digest_weekday,
                digest_time=time_to_text(digest_time),
                nudge_hours=nudge_hours,
                announce_checkins=announce_checkins,
                created_at=created_at,
            )
            .returning(*challenges.c)
        )
        return _challenge((await self._connection.execute(statement)).one())

    async def get(self, challenge_id: int) -> Challenge | None:
        """Return a challenge by id, ended or not."""
        statement = sa.select(challenges).where(challenges.c.id == challenge_id)
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _challenge(row)

    async def by_web_id(self, web_id: str) -> Challenge | None:
        """Return the challenge whose public page has this address (on or off), or None."""
        statement = sa.select(challenges).where(challenges.c.web_id == web_id)
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _challenge(row)

    async def active_in_guild(self, guild_id: int) -> list[Challenge]:
        """Return a server's active challenges, oldest first."""
        statement = (
            sa.select(challenges)
            .where(challenges.c.guild_id == guild_id, challenges.c.ended_at.is_(None))
            .order_by(challenges.c.id)
        )
        return [_challenge(row) for row in await self._connection.execute(statement)]

    async def in_guild(self, guild_id: int) -> list[Challenge]:
        """Return a server's challenges: the running ones oldest first, then the ended, newest."""
        statement = (
            sa.select(challenges)
            .where(challenges.c.guild_id == guild_id)
            .order_by(
                challenges.c.ended_at.is_not(None), challenges.c.ended_at.desc(), challenges.c.id
            )
        )
        return [_challenge(row) for row in await self._connection.execute(statement)]

    async def active_with_member(self, guild_id: int, user_id: int) -> list[MemberContext]:
        """Return the guild's running challenges with the user's participation, in one query."""
        result = await self._connection.execute(
            _with_member_statement(), {"guild_id": guild_id, "user_id": user_id}
        )
        return [member_context_from(row) for row in result]

    async def all_active(
        self, shards: Shards | None = None, *, schedules: Sequence[DigestSchedule] | None = None
    ) -> list[Challenge]:
        """Return the active challenges of `shards`' servers (every server's), oldest first.

        With `schedules`, only those with one of these digest schedules (a few hundred).
        """
        owned = sa.true() if shards is None else shards.owns_column(challenges.c.guild_id)
        scheduled = sa.true() if schedules is None else _with_schedule(schedules)
        statement = (
            sa.select(challenges)
            .where(challenges.c.ended_at.is_(None), owned, scheduled)
            .order_by(challenges.c.id)
        )
        return [_challenge(row) for row in await self._connection.execute(statement)]

    async def active_unsettled(
        self,
        kind: str,
        target_prefix: str,
        period: str,
        shards: Shards,
        *,
        settled: Sequence[SendStatus] = (SendStatus.SENT,),
        schedules: Sequence[DigestSchedule] | None = None,
    ) -> list[Challenge]:
        """Return `shards`' active challenges whose `kind` for `period` is not `settled`.

        A challenge's ledger target is `target_prefix` and its id (`challenge:12`); with
        `schedules`, only the challenges with one of these digest schedules. A statement (per
        few hundred schedules) for every owned challenge: a tick asks every minute, and once
        the work is done the answer is "none", found in the database, not in Python.
        """
        target = sa.literal(target_prefix) + sa.cast(challenges.c.id, sa.String)
        done = (
            sa.select(sa.literal(1))
            .where(
                send_ledger.c.kind == kind,
                send_ledger.c.target == target,
                send_ledger.c.period == period,
                send_ledger.c.status.in_([status.value for status in settled]),
            )
            .exists()
        )
        unsettled = sa.and_(
            challenges.c.ended_at.is_(None), shards.owns_column(challenges.c.guild_id), ~done
        )
        if schedules is None:
            conditions = [unsettled]
        else:
            conditions = [
                sa.and_(unsettled, _with_schedule(schedules[first : first + SCHEDULES_AT_ONCE]))
                for first in range(0, len(schedules), SCHEDULES_AT_ONCE)
            ]
        found: list[Challenge] = []
        for condition in conditions:
            statement = sa.select(challenges).where(condition).order_by(challenges.c.id)
            found.extend(_challenge(row) for row in await self._connection.execute(statement))
        return found

    async def digest_schedules(self, shards: Shards) -> list[DigestSchedule]:
        """Return the distinct digest schedules of `shards`' active challenges."""
        statement = (
            sa.select(challenges.c.digest_weekday, challenges.c.digest_time, challenges.c.timezone)
            .where(challenges.c.ended_at.is_(None), shards.owns_column(challenges.c.guild_id))
            .distinct()
        )
        return [
            DigestSchedule(row.digest_weekday, text_to_time(row.digest_time), row.timezone)
            for row in await self._connection.execute(statement)
        ]

    async def update(self, challenge: Challenge) -> Challenge:
        """Store a challenge's settings (name, rules, zone, channels, digest schedule)."""
        self._changes.challenges.add(challenge.id)
        statement = (
            challenges.update()
            .where(challenges.c.id == challenge.id)
            .values(
                name=challenge.name,
                rules_json=challenge.rules.to_json(),
                timezone=challenge.timezone,
                preset=challenge.preset,
                hashtag=challenge.hashtag,
                progress_channel_id=challenge.progress_channel_id,
                digest_channel_id=challenge.digest_channel_id,
                digest_weekday=challenge.digest_weekday,
                digest_time=time_to_text(challenge.digest_time),
                nudge_hours=challenge.nudge_hours,
                announce_checkins=challenge.announce_checkins,
                web_enabled=challenge.web_enabled,
                web_id=challenge.web_id,
            )
            .returning(*challenges.c)
        )
        row = (await self._connection.execute(statement)).one_or_none()
        if row is None:
            raise RecordNotFoundError(f"no challenge with id {challenge.id}")
        return _challenge(row)

    async def end(self, challenge_id: int, at: datetime) -> None:
        """Mark a challenge ended (ending it twice keeps the first time)."""
        self._changes.challenges.add(challenge_id)
        statement = (
            challenges.update()
            .where(challenges.c.id == challenge_id, challenges.c.ended_at.is_(None))
            .values(ended_at=at)
        )
        await self._connection.execute(statement)

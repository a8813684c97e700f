"""Members' own use cases: join, leave, time zone, reminders, visibility, forget-me."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import calendar
from bot.domain.models import Challenge, Participant
from bot.domain.rules import MAX_TARGET_DAYS
from bot.errors import ConflictError, InvalidInputError
from bot.services._common import (
    checked_zone,
    find_challenge,
    find_member,
    reread_member,
    today_in,
)
from bot.services.names import NameService
from bot.services.send_ledger import Notice
from bot.wording.dates import day_label
from storage import Database
from storage.repositories import participant_target

log = logging.getLogger(__name__)

LOST_ZONE = "zone-lost"
"""Send-ledger kind: the member was told their stored zone is no longer known (once a zone)."""
MAX_START_BACK_DAYS = 366
"""How far back a member may date their start when joining already underway."""


@dataclass(frozen=True, slots=True)
class LostZone:
    """A member's stored zone that no longer loads, and the key that says they were told."""

    zone: str
    notice: Notice


@dataclass(frozen=True, slots=True)
class ZoneChanged:
    """The result of /timezone: the zone as stored, and the challenges it applies to."""

    zone: str
    challenges: list[Challenge]


@dataclass(frozen=True, slots=True)
class Joined:
    """The result of /join."""

    challenge: Challenge
    participant: Participant
    rejoined: bool


class ParticipantService:
    """Join and leave challenges and keep one's own settings."""

    def __init__(self, db: Database, names: NameService | None = None) -> None:
        self._db = db
        self._names = names

    async def join(
        self,
        *,
        guild_id: int,
        user_id: int,
        now: datetime,
        timezone: str | None = None,
        challenge: str | None = None,
        start: date | None = None,
        day: int | None = None,
    ) -> Joined:
        """Join a challenge (or come back to it), optionally already underway."""
        async with self._db.write() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            zone_name = checked_zone(timezone) if timezone else current.timezone
            if calendar.known_zone(zone_name) is None:
                # The challenge's own zone was stored before zones were checked and is not a
                # real IANA zone: a member must not inherit it.
                raise InvalidInputError(
                    f"{current.name}'s time zone ({zone_name[:64]}) is not one I know, so I "
                    "can't give it to you. Join with your own zone (timezone: Europe/Berlin, "
                    "say); an organizer can fix the challenge's with /challenge edit timezone:."
                )
            today = today_in(zone_name, current, now)
            start_day = self._checked_start(start, today)
            initial_day = self._checked_day(day, current)
            existing = await repos.participants.get(current.id, user_id)
            if existing is not None and existing.is_active:
                raise ConflictError(
                    f"You are already in {current.name}. Change your zone with /timezone."
                )
            if existing is not None:
                await repos.participants.rejoin(existing.id, now)
                if zone_name != existing.timezone:
                    await repos.participants.set_timezone(existing.id, zone_name, now)
                if start is not None or day is not None:
                    await repos.participants.set_start(
                        existing.id,
                        min(start_day, existing.start_day) if start else existing.start_day,
                        initial_day if day is not None else existing.initial_day,
                    )
                participant = await reread_member(repos, existing.id)
                return Joined(current, participant, rejoined=True)
            participant = await repos.participants.add(
                challenge_id=current.id,
                guild_id=guild_id,
                user_id=user_id,
                timezone=zone_name,
                start_day=start_day,
                initial_day=initial_day,
                joined_at=now,
            )
        log.info("user %s joined challenge %s", user_id, current.id)
        return Joined(current, participant, rejoined=False)

    async def leave(
        self, *, guild_id: int, user_id: int, challenge: str | None, now: datetime
    ) -> Challenge:
        """Leave a challenge; the days logged are kept in case the member comes back."""
        async with self._db.write() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, user_id)
            await repos.participants.leave(participant.id, now)
        return current

    async def set_timezone(
        self, *, guild_id: int, user_id: int, timezone: str, now: datetime
    ) -> ZoneChanged:
        """Change the member's zone in every challenge of the server; old days keep their date."""
        zone_name = checked_zone(timezone)
        async with self._db.write() as repos:
            mine = [
                participant
                for participant in await repos.participants.challenges_of_user(guild_id, user_id)
                if participant.is_active
            ]
            if not mine:
                raise InvalidInputError("You have not joined a challenge here yet. Use /join.")
            for participant in mine:
                if participant.timezone != zone_name:
                    await repos.participants.set_timezone(participant.id, zone_name, now)
            challenges = [
                challenge
                for challenge in await repos.challenges.active_in_guild(guild_id)
                if any(participant.challenge_id == challenge.id for participant in mine)
            ]
        return ZoneChanged(zone_name, challenges)

    async def set_hidden(
        self,
        *,
        guild_id: int,
        user_id: int,
        challenge: str | None,
        hidden: bool,
    ) -> Participant:
        """Show or hide the member on the server's boards and digests, in every challenge.

        The choice belongs to the member in the server: it holds after they leave, so a member
        who hid is never published later. `challenge` picks the participation shown back.
        """
        async with self._db.write() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, user_id)
            await repos.participants.set_hidden(guild_id, user_id, hidden)
            return await reread_member(repos, participant.id)

    async def lost_zone(self, *, guild_id: int, user_id: int) -> LostZone | None:
        """Return the member's stored zone that is no longer known here, if there is one.

        Such a member is dated in the challenge's zone meanwhile (`member_zone`); the caller
        tells them once, with the notice as the send-ledger key.
        """
        async with self._db.read() as repos:
            mine = await repos.participants.challenges_of_user(guild_id, user_id)
        for participant in mine:
            if participant.is_active and calendar.known_zone(participant.timezone) is None:
                digest = hashlib.sha256(participant.timezone.encode()).hexdigest()[:16]
                notice = Notice(LOST_ZONE, participant_target(participant.id), f"z:{digest}")
                return LostZone(participant.timezone, notice)
        return None

    async def mine(
        self, *, guild_id: int, user_id: int, challenge: str | int | None
    ) -> Participant:
        """Return the member's own participation in a challenge."""
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            return await find_member(repos, current, user_id)

    async def forget(self, *, user_id: int) -> int:
        """Delete everything Daybook keeps about a user, everywhere; return how many records."""
        async with self._db.write() as repos:
            removed = await repos.participants.forget_user(user_id)
        if self._names is not None:
            # The stored name went with the settings row: a later visit stores it afresh.
            self._names.forget_user(user_id)
        log.info("forgot user %s (%s participations)", user_id, removed)
        return removed

    @staticmethod
    def _checked_start(start: date | None, today: date) -> date:
        if start is None:
            return today
        if start > today:
            raise InvalidInputError(
                f"{day_label(start, near=today)} is in the future; your start can be today at "
                "the latest."
            )
        if (today - start).days > MAX_START_BACK_DAYS:
            raise InvalidInputError("Your start can be at most a year ago.")
        return start

    @staticmethod
    def _checked_day(day: int | None, challenge: Challenge) -> int:
        if day is None:
            return 1
        target = challenge.rules.target_days
        if day < 1 or (target is not None and day > target):
            limit = target if target is not None else MAX_TARGET_DAYS
            raise InvalidInputError(f"The day you are on must be from 1 to {limit}.")
        return day

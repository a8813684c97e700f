"""Lookups and checks every service shares: which challenge, which member, which day."""

from __future__ import annotations

import asyncio
import difflib
import logging
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain import calendar
from bot.domain.models import Challenge, Participant
from bot.errors import InvalidInputError, NotFoundError
from bot.wording.lists import clipped, some_of
from storage import Repositories

log = logging.getLogger(__name__)


def checked_zone(name: str) -> str:
    """Return the canonical IANA name for `name`, or explain that it is not a time zone."""
    try:
        return calendar.canonical_zone(name)
    except calendar.UnknownZoneError:
        pass
    cleaned = name.strip().replace(" ", "_")
    alias = calendar.zone_alias(cleaned)
    close = (
        [alias]
        if alias
        else difflib.get_close_matches(cleaned, calendar.zone_names(), n=3, cutoff=0.6)
    )
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise InvalidInputError(
        f"'{name[:64]}' is not a time zone I know. Use an IANA name such as Europe/Berlin, "
        f"America/New_York or Asia/Kolkata.{hint}"
    )


def member_today(participant: Participant, challenge: Challenge, now: datetime) -> date:
    """Return the member's current local day under the challenge's rollover hour."""
    return today_in(participant.timezone, challenge, now)


def today_in(zone_name: str, challenge: Challenge, now: datetime) -> date:
    """Return the local day a member in `zone_name` is on (before they have joined, say).

    A zone no longer known falls back as `member_zone` says, so this never raises.
    """
    return calendar.local_day(now, member_zone(zone_name, challenge), challenge.rules.rollover_hour)


def member_zone(zone_name: str, challenge: Challenge) -> ZoneInfo:
    """Return a member's zone; one no longer known falls back to the challenge's, then UTC.

    tzdata drops names, and older versions stored host-only ones (`calendar.known_zone`). Such
    a member is dated in the challenge's zone until they choose a zone again with /timezone;
    commands tell them so once (`ParticipantService.lost_zone`), and reminders skip them.
    """
    found = calendar.known_zone(zone_name)
    if found is not None:
        return found
    try:
        return calendar.zone(challenge.timezone)
    except calendar.UnknownZoneError:
        log.warning(
            "challenge %s has a zone that does not load: %r", challenge.id, challenge.timezone
        )
        return ZoneInfo("UTC")


async def reread_member(repos: Repositories, participant_id: int) -> Participant:
    """Read a participation again after changing it, in the same transaction."""
    participant = await repos.participants.by_id(participant_id)
    if participant is None:
        # Only a member forgetting themselves at the same moment (/forget-me) gets here.
        raise NotFoundError("You are no longer taking part in that challenge.")
    return participant


def zone_of(name: str) -> ZoneInfo | None:
    """Return a stored member zone's ZoneInfo; None when it is no longer known (skip them)."""
    return calendar.known_zone(name)


def pick_challenge(challenges: list[Challenge], challenge: str | int | None) -> Challenge:
    """Choose the challenge a command means: the named one, or the server's only one.

    A string is a name, as a member types it (case does not matter): a challenge called "1"
    is that challenge, never the one whose id is 1. Only Daybook's own code, holding a
    challenge it looked up (a channel's, a reminder's), names one by its id, as an int.
    """
    if not challenges:
        raise NotFoundError(
            "This server has no challenge running. An organizer can start one with "
            "/challenge create."
        )
    if isinstance(challenge, int):
        for running in challenges:
            if running.id == challenge:
                return running
        raise NotFoundError("That challenge is not running any more.")
    if challenge:
        wanted = " ".join(challenge.split()).casefold()
        for running in challenges:
            if running.name.casefold() == wanted:
                return running
        raise NotFoundError(
            f"There is no challenge called '{clipped(challenge)}' here. "
            f"Running: {some_of(_names(challenges))}."
        )
    if len(challenges) > 1:
        raise InvalidInputError(
            f"This server runs several challenges ({some_of(_names(challenges))}); pick one "
            "with the challenge option."
        )
    return challenges[0]


async def find_any_challenge(
    repos: Repositories, guild_id: int, challenge: str | None
) -> Challenge:
    """Return the challenge a command means, running or ended (an export after the end).

    A name picks the running challenge of that name, else the latest ended one; no name picks
    what `find_challenge` would, or, with none running, the only (or latest) ended one.
    """
    every = await repos.challenges.in_guild(guild_id)
    running = [found for found in every if found.ended_at is None]
    if challenge:
        wanted = " ".join(challenge.split()).casefold()
        for found in every:  # running first, then the ended, newest first
            if found.name.casefold() == wanted:
                return found
        if not every:
            return pick_challenge(running, challenge)  # words "no challenge running"
        raise NotFoundError(
            f"There is no challenge called '{clipped(challenge)}' here, running or ended. "
            f"Challenges: {some_of(_names(every))}."
        )
    if running or not every:
        return pick_challenge(running, None)
    return every[0]  # none running: the one that ended last


def _names(challenges: list[Challenge]) -> list[str]:
    return [challenge.name for challenge in challenges]


async def find_challenge(
    repos: Repositories, guild_id: int, challenge: str | int | None
) -> Challenge:
    """Return the active challenge a command means in a server (see `pick_challenge`)."""
    return pick_challenge(await repos.challenges.active_in_guild(guild_id), challenge)


async def find_member(
    repos: Repositories, challenge: Challenge, user_id: int, *, yourself: bool = True
) -> Participant:
    """Return a member's active participation, or explain why there is none."""
    return checked_member(
        challenge, await repos.participants.get(challenge.id, user_id), yourself=yourself
    )


def checked_member(
    challenge: Challenge, participant: Participant | None, *, yourself: bool = True
) -> Participant:
    """Return the participation if it is active, or explain why there is none."""
    if participant is not None and participant.is_active:
        return participant
    if not yourself:
        raise NotFoundError(f"That member is not taking part in {challenge.name}.")
    if participant is None:
        raise NotFoundError(f"You have not joined {challenge.name} yet. Use /join to take part.")
    raise NotFoundError(f"You left {challenge.name}. Use /join to come back; your days are kept.")


BREATHE_SECONDS = 0.01
"""How long a long loop on the event loop (a walk, a digest) may hold it before letting other
work run: members' commands should not wait for a server's worth of Python."""


class Breather:
    """Lets the event loop run something else once a walk has held it `BREATHE_SECONDS`."""

    __slots__ = ("_due",)

    def __init__(self) -> None:
        self._due = time.perf_counter() + BREATHE_SECONDS

    async def __call__(self) -> None:
        """Yield to the event loop if the walk has held it long enough."""
        if time.perf_counter() >= self._due:
            await asyncio.sleep(0)
            self._due = time.perf_counter() + BREATHE_SECONDS

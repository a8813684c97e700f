"""Lookups and checks every service shares: which challenge, which member, which day."""

from __future__ import annotations

import difflib
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain import calendar
from bot.domain.models import Challenge, Participant
from bot.errors import InvalidInputError, NotFoundError
from bot.wording.lists import clipped, some_of
from storage import Repositories


def checked_zone(name: str) -> str:
    """Return the canonical IANA name for `name`, or explain that it is not a time zone."""
    cleaned = name.strip().replace(" ", "_")
    try:
        calendar.zone(cleaned)
    except calendar.UnknownZoneError:
        pass
    else:
        return cleaned
    by_fold = {zone.casefold(): zone for zone in calendar.zone_names()}
    if cleaned.casefold() in by_fold:
        return by_fold[cleaned.casefold()]
    close = difflib.get_close_matches(cleaned, calendar.zone_names(), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise InvalidInputError(
        f"'{name[:64]}' is not a time zone I know. Use an IANA name such as Europe/Berlin, "
        f"America/New_York or Asia/Kolkata.{hint}"
    )


def member_today(participant: Participant, challenge: Challenge, now: datetime) -> date:
    """Return the member's current local day under the challenge's rollover hour."""
    return today_in(participant.timezone, challenge, now)


def today_in(zone_name: str, challenge: Challenge, now: datetime) -> date:
    """Return the local day a member in `zone_name` is on (before they have joined, say)."""
    return calendar.local_day(now, zone_of(zone_name), challenge.rules.rollover_hour)


async def reread_member(repos: Repositories, participant_id: int) -> Participant:
    """Read a participation again after changing it, in the same transaction."""
    participant = await repos.participants.by_id(participant_id)
    if participant is None:
        # Only a member forgetting themselves at the same moment (/forget-me) gets here.
        raise NotFoundError("You are no longer taking part in that challenge.")
    return participant


def zone_of(name: str) -> ZoneInfo:
    """Return a stored zone name's ZoneInfo."""
    return calendar.zone(name)


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

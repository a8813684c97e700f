"""Delivery problems: a channel Discord refuses is recorded once, and its organizer told once.

A send refused for good in a challenge's progress or digest channel (missing permissions or
access, a deleted channel) is recorded against the challenge. The problem stands until a later
send to that channel succeeds or an organizer edits the challenge's channels; meanwhile the
organizer who created or last edited the challenge is told once, by direct message, and
`/challenge info` shows it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.domain.delivery import ChannelRole, DeliveryProblem
from bot.domain.models import Challenge
from bot.services.failures import SendRefusedError
from storage import Database
from storage.shards import Shards

log = logging.getLogger(__name__)


def roles_of(challenge: Challenge, channel_id: int) -> frozenset[ChannelRole]:
    """Return what a challenge uses a channel for (both, when one channel does both)."""
    roles: set[ChannelRole] = set()
    if challenge.progress_channel_id == channel_id:
        roles.add(ChannelRole.PROGRESS)
    if challenge.digest_channel_id == channel_id:
        roles.add(ChannelRole.DIGEST)
    return frozenset(roles)


@dataclass(frozen=True, slots=True)
class ProblemNotice:
    """A problem to tell an organizer about: the challenge, the problem, and whom to tell."""

    challenge: Challenge
    problem: DeliveryProblem
    organizer_id: int | None

    @property
    def roles(self) -> frozenset[ChannelRole]:
        """Return what the refused channel is used for."""
        return roles_of(self.challenge, self.problem.channel_id)


class DeliveryProblemService:
    """Records refused channels, clears them when sends there succeed, and tells organizers."""

    def __init__(self, db: Database, *, shards: Shards | None = None) -> None:
        self._db = db
        self._shards = shards or Shards.every()
        """The servers whose organizers this process tells: its shards' own."""

    async def standing_channels(self) -> set[tuple[int, int]]:
        """Return the (challenge, channel) pairs of this process's servers with a problem."""
        async with self._db.read() as repos:
            standing = await repos.problems.standing(self._shards)
            return {(p.challenge_id, p.channel_id) for p in standing}

    async def stands(self, challenge_id: int, channel_id: int) -> bool:
        """Whether a challenge's channel has a standing problem (any server's)."""
        return any(p.channel_id == channel_id for p in await self.of_challenge(challenge_id))

    async def record(self, challenge: Challenge, error: SendRefusedError, now: datetime) -> bool:
        """Record a refused channel of a challenge; True when the problem is new."""
        if error.channel_id is None or not error.channel_problem:
            return False
        async with self._db.write() as repos:
            if await repos.challenges.get(challenge.id) is None:
                return False  # deleted meanwhile: nobody left to tell
            new = await repos.problems.record(
                challenge_id=challenge.id,
                channel_id=error.channel_id,
                refusal=error.refusal,
                missing=error.missing,
                detail=error.detail,
                at=now,
            )
        if new:
            log.warning(
                "challenge %s (guild %s): channel %s refused (%s); the organizer will be told",
                challenge.id,
                challenge.guild_id,
                error.channel_id,
                error.detail,
            )
        return new

    async def cleared(self, challenge: Challenge, channel_id: int) -> None:
        """Forget a channel's problem: a send there has just succeeded."""
        async with self._db.write() as repos:
            if await repos.problems.clear(challenge.id, [channel_id]):
                log.info(
                    "challenge %s (guild %s): channel %s works again",
                    challenge.id,
                    challenge.guild_id,
                    channel_id,
                )

    async def of_challenge(self, challenge_id: int) -> list[DeliveryProblem]:
        """Return a challenge's standing problems."""
        async with self._db.read() as repos:
            return await repos.problems.of_challenge(challenge_id)

    async def claim_untold(self, now: datetime) -> list[ProblemNotice]:
        """Take the problems nobody was told about yet; each is handed out once, ever.

        The caller tells the organizer and calls `told_by_dm` when the message went out; a
        problem whose message failed is left to the line `/challenge info` shows.
        """
        async with self._db.read() as repos:
            # Read first: every tick asks, and there is almost never anything to tell.
            if not await repos.problems.any_untold(self._shards):
                return []
        notices: list[ProblemNotice] = []
        async with self._db.write() as repos:
            for problem in await repos.problems.claim_untold(now, self._shards):
                challenge = await repos.challenges.get(problem.challenge_id)
                if challenge is None:
                    continue
                organizer = await repos.problems.organizer(challenge.id)
                notices.append(ProblemNotice(challenge, problem, organizer))
        return notices

    async def told_by_dm(self, problem: DeliveryProblem) -> None:
        """Record that the organizer's direct message about a problem went out."""
        async with self._db.write() as repos:
            await repos.problems.told_by_dm(problem.id)

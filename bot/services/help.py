"""What /help needs: the server's challenges, and where the asking member stands in each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.engine import Summary
from bot.domain.models import Challenge, Participant
from bot.services._common import pick_challenge
from bot.services.standings import walk_one
from storage import Database

MAX_SHOWN = 5
"""Challenges /help describes at once; a server running more is told to name one."""


@dataclass(frozen=True, slots=True)
class ChallengeHelp:
    """One challenge, with the member's participation and standing when they take part."""

    challenge: Challenge
    participant: Participant | None
    """The member's participation (None: never joined); it may be one they left."""
    summary: Summary | None
    """Their standing today, while they take part."""

    @property
    def joined(self) -> bool:
        """Whether the member takes part now."""
        return self.participant is not None and self.participant.is_active


@dataclass(frozen=True, slots=True)
class HelpPage:
    """The challenges /help describes (none: the server runs none), and how many run."""

    challenges: tuple[ChallengeHelp, ...]
    running: int


class HelpService:
    """Reads what /help says; changes nothing."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def page(
        self, *, guild_id: int, user_id: int, challenge: str | None, now: datetime
    ) -> HelpPage:
        """Return the named challenge, or the server's running ones (up to MAX_SHOWN)."""
        async with self._db.read() as repos:
            contexts = await repos.challenges.active_with_member(guild_id, user_id)
            running = [context.challenge for context in contexts]
            if challenge:
                # An unknown name is told which challenges run, as every command does.
                wanted = pick_challenge(running, challenge)
                contexts = [c for c in contexts if c.challenge.id == wanted.id]
            shown: list[ChallengeHelp] = []
            for context in contexts[:MAX_SHOWN]:
                participant = context.participant
                summary = None
                if participant is not None and participant.is_active:
                    walk = await walk_one(
                        repos, context.challenge, participant, now, standing=context.standing
                    )
                    summary = walk.summary
                shown.append(ChallengeHelp(context.challenge, participant, summary))
        return HelpPage(tuple(shown), len(running))

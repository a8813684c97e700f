"""Use cases that cogs and scheduled jobs call; no Discord here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.challenges import ChallengeService
from bot.services.entries import EntryService
from bot.services.participants import ParticipantService
from bot.services.progress import ProgressService
from bot.services.walk_cache import WalkCache
from storage import Database


@dataclass(frozen=True, slots=True)
class Services:
    """Every service, as cogs and jobs receive them."""

    challenges: ChallengeService
    participants: ParticipantService
    entries: EntryService
    progress: ProgressService

    @classmethod
    def build(cls, db: Database) -> Services:
        """Wire every service to one database."""
        walks = WalkCache()
        db.add_listener(walks.apply)
        return cls(
            challenges=ChallengeService(db),
            participants=ParticipantService(db),
            entries=EntryService(db),
            progress=ProgressService(db, walks),
        )

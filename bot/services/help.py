"""What /help needs: the server's challenges, and where the asking member stands in each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.engine import Summary, judge
from bot.domain.models import AdjustmentKind, Challenge, DayFacts, Participant
from bot.domain.reasons import Shortfall
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
    today_needs: tuple[Shortfall, ...] = ()
    """What the day they logged today still needs to count (empty: nothing logged, or it counts)."""
    rest_today: bool = False
    """Today is a rest day: it keeps their streak without a post."""
    excused_today: bool = False
    """An organizer excused today: it keeps their streak without a post."""

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
                if participant is None or not participant.is_active:
                    shown.append(ChallengeHelp(context.challenge, participant, None))
                    continue
                walk = await walk_one(
                    repos, context.challenge, participant, now, standing=context.standing
                )
                # Today's own verdict, as the reminders read it: a short day is told what it
                # lacks, and a rest day that it needs nothing.
                facts = walk.facts.get(walk.today, DayFacts(walk.today))
                verdict = judge(context.challenge.rules, facts)
                excused = facts.adjustment is AdjustmentKind.EXCUSE
                needs = verdict.still_needs
                shown.append(
                    ChallengeHelp(
                        context.challenge,
                        participant,
                        walk.summary,
                        today_needs=() if verdict.qualifies else needs,
                        rest_today=verdict.neutral and not excused,
                        excused_today=verdict.neutral and excused,
                    )
                )
        return HelpPage(tuple(shown), len(running))

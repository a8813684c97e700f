"""Reading a member's standing: summary, ledger, and the challenge's leaderboards."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from bot.domain import leaderboard
from bot.domain.engine import Ledger, Summary, consistency, counted_between
from bot.domain.leaderboard import CONSISTENCY_DAYS, Contender, Metric, Period, Placing
from bot.domain.models import Challenge, Participant
from bot.errors import NotFoundError
from bot.services._common import (
    checked_member,
    find_challenge,
    member_today,
    pick_challenge,
)
from bot.services.send_ledger import Notice, SendLedger
from bot.services.standings import (
    YIELD_EVERY,
    MemberWalk,
    save_checkpoints,
    walk_all,
    walk_history,
    walk_one,
)
from bot.services.walk_cache import CachedChallenge, WalkCache
from storage import Database, Repositories, SendStatus, StoredStanding

log = logging.getLogger(__name__)

NO_PROGRESS_TO_SHOW = "There is no progress to show for that member."
"""What others are told about a member who is hidden, has left, or never joined: the same."""
REFRESH_BATCH = 500
"""Members whose checkpoints are refreshed in one write transaction."""
CHECKPOINT_KIND = "checkpoints"
"""The send-ledger kind of a challenge's daily checkpoint refresh."""


@dataclass(frozen=True, slots=True)
class Standing:
    """A member's summary in a challenge."""

    challenge: Challenge
    participant: Participant
    summary: Summary


@dataclass(frozen=True, slots=True)
class MemberLedger:
    """A member's ledger in a challenge."""

    challenge: Challenge
    participant: Participant
    ledger: Ledger


@dataclass(frozen=True, slots=True)
class Board:
    """A ranked leaderboard, with the viewer's own place when they are on it."""

    challenge: Challenge
    metric: Metric
    period: Period
    placings: tuple[Placing, ...]
    viewer: Placing | None

    def top(self, count: int = 10) -> tuple[Placing, ...]:
        """Return the first `count` placings."""
        return self.placings[:count]


class ProgressService:
    """Day N, streaks, the ledger and leaderboards, all derived from entries."""

    def __init__(self, db: Database, walks: WalkCache, ledger: SendLedger) -> None:
        self._db = db
        self._walks = walks
        self._ledger = ledger

    async def summary(
        self,
        *,
        guild_id: int,
        viewer_id: int,
        member_id: int | None = None,
        challenge: str | None = None,
        now: datetime,
    ) -> Standing:
        """Return a member's summary (the viewer's own by default)."""
        async with self._db.read() as repos:
            current, participant, standing = await self._visible_member(
                repos, guild_id, challenge, viewer_id, member_id
            )
            walk = await walk_one(repos, current, participant, now, standing=standing)
        return Standing(current, participant, walk.summary)

    async def ledger(
        self,
        *,
        guild_id: int,
        viewer_id: int,
        member_id: int | None = None,
        challenge: str | None = None,
        now: datetime,
    ) -> MemberLedger:
        """Return a member's day-by-day ledger of their current attempt."""
        async with self._db.read() as repos:
            current, participant, _ = await self._visible_member(
                repos, guild_id, challenge, viewer_id, member_id
            )
            facts = await repos.entries.day_facts(participant.id)
        today = member_today(participant, current, now)
        history = walk_history(
            current.rules,
            participant.start_day,
            participant.initial_day,
            facts,
            today,
            explain=True,
        )
        return MemberLedger(current, participant, history.latest_attempt())

    async def challenge_for(self, *, guild_id: int, challenge: str | None = None) -> Challenge:
        """Return the challenge a command means, or raise the sentence why there is none.

        Cheap (one read, no walks): a public command asks this before it answers publicly,
        so a mistake ("There is no challenge called 'nope' here") is told to the caller alone.
        """
        async with self._db.read() as repos:
            return await find_challenge(repos, guild_id, challenge)

    async def leaderboard(
        self,
        *,
        guild_id: int,
        viewer_id: int,
        metric: Metric = Metric.STREAK,
        period: Period = Period.ALL,
        challenge: str | None = None,
        now: datetime,
    ) -> Board:
        """Rank the challenge's visible members."""
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            walks = await self.walks_in(repos, current, now)
        placings = leaderboard.rank(
            (contender(current, walk, period, metric) for walk in walks), metric
        )
        viewer = next((p for p in placings if p.contender.user_id == viewer_id), None)
        return Board(current, metric, period, tuple(placings), viewer)

    async def walks_in(
        self, repos: Repositories, challenge: Challenge, now: datetime
    ) -> list[MemberWalk]:
        """Return every current member's walk through their today, from the walk cache."""
        seen = self._walks.generation(challenge.id)
        cached = self._walks.get(challenge)
        if cached is None:
            participants = await repos.participants.active(challenge.id)
            walks = await walk_all(repos, challenge, participants, now, whole_challenge=True)
            self._walks.put(challenge, participants, walks, seen)
            return walks
        return await self._cached_walks(repos, challenge, cached, now, seen)

    async def _cached_walks(
        self,
        repos: Repositories,
        challenge: Challenge,
        cached: CachedChallenge,
        now: datetime,
        seen: tuple[int, int],
    ) -> list[MemberWalk]:
        """Reuse the members' cached walks, walking again those whose day has moved on."""
        todays: dict[str, date] = {}
        stale = []
        for index, participant in enumerate(cached.participants):
            if index % YIELD_EVERY == YIELD_EVERY - 1:
                await asyncio.sleep(0)  # a server's worth of checks: let commands in between
            today = todays.get(participant.timezone)
            if today is None:
                today = member_today(participant, challenge, now)
                todays[participant.timezone] = today
            walk = cached.walks.get(participant.id)
            if walk is None or walk.today != today:
                stale.append(participant)
        if stale:
            fresh = await walk_all(repos, challenge, stale, now)
            self._walks.update(challenge.id, fresh, seen)
            by_id = {walk.participant.id: walk for walk in fresh}
            return [
                by_id.get(participant.id) or cached.walks[participant.id]
                for participant in cached.participants
            ]
        return [cached.walks[participant.id] for participant in cached.participants]

    async def refresh_checkpoints(self, *, challenge_id: int, now: datetime) -> int:
        """Move every member's checkpoint up to the last closed day; return how many moved.

        Run by the scheduler, in batches, each batch reading and writing under the writer lock
        so no entry can slip between the walk and the checkpoint it leaves.
        """
        async with self._db.read() as repos:
            challenge = await repos.challenges.get(challenge_id)
            participants = await repos.participants.active(challenge_id) if challenge else []
        if challenge is None:
            return 0
        saved = 0
        for first in range(0, len(participants), REFRESH_BATCH):
            batch = participants[first : first + REFRESH_BATCH]
            # Facts and checkpoints are read and written under the writer lock, so no entry
            # can land between the walk and the checkpoint it leaves. A member whose start
            # moved meanwhile gets a checkpoint with a stale fingerprint, which reads ignore.
            async with self._db.write() as repos:
                walks = await walk_all(repos, challenge, batch, now)
                saved += await save_checkpoints(repos, challenge, walks, now)
        log.info("refreshed %s checkpoints of challenge %s", saved, challenge_id)
        return saved

    async def refresh_due_checkpoints(self, *, now: datetime) -> int:
        """Refresh each running challenge's checkpoints once per UTC day; safe to call often.

        The send ledger claims the day first, so two ticks (or a restart) never refresh twice,
        and a refresh that failed is retried after a backoff. Each challenge is refreshed on its
        own: one that fails is logged and the others are refreshed.
        """
        period = now.date().isoformat()
        async with self._db.read() as repos:
            challenges = []
            for challenge in await repos.challenges.all_active():
                # Read first: the tick runs every minute, and a day's refresh is done once.
                target = f"challenge:{challenge.id}"
                if await repos.sends.status(CHECKPOINT_KIND, target, period) is not SendStatus.SENT:
                    challenges.append(challenge)
        refreshed = 0
        for challenge in challenges:
            notice = Notice(CHECKPOINT_KIND, f"challenge:{challenge.id}", period)
            try:
                sent = await self._ledger.once(
                    notice,
                    at=now,
                    send=partial(self.refresh_checkpoints, challenge_id=challenge.id, now=now),
                )
            except Exception:
                log.exception(
                    "checkpoint refresh of challenge %s (guild %s) failed; the tick goes on",
                    challenge.id,
                    challenge.guild_id,
                )
                continue
            if sent is not None:
                refreshed += sent.value
        return refreshed

    @staticmethod
    async def _visible_member(
        repos: Repositories,
        guild_id: int,
        challenge: str | None,
        viewer_id: int,
        member_id: int | None,
    ) -> tuple[Challenge, Participant, StoredStanding | None]:
        """Find the challenge and the member asked about (the viewer by default), in one query.

        Others see a member's progress only as `shown_to_others` allows; otherwise they get
        the same sentence whether the member is hidden, gone or never joined.
        """
        wanted = viewer_id if member_id is None else member_id
        yourself = wanted == viewer_id
        contexts = await repos.challenges.active_with_member(guild_id, wanted)
        current = pick_challenge([context.challenge for context in contexts], challenge)
        context = next(c for c in contexts if c.challenge.id == current.id)
        if not yourself and not shown_to_others(context.participant):
            raise NotFoundError(NO_PROGRESS_TO_SHOW)
        participant = checked_member(current, context.participant)
        return current, participant, context.standing


def shown_to_others(participant: Participant | None) -> bool:
    """The one visibility rule: others see a member's progress while they take part, unhidden.

    Hidden is the member's own choice in the server (`/settings`), kept after they leave.
    Every public surface (boards, digests, /streak, /why and /progress of others) names and
    counts only the members this passes: a count that includes a hidden member (or the posts of
    one who left) can give them away.
    """
    return participant is not None and participant.is_active and not participant.hidden


def contender(
    challenge: Challenge, walk: MemberWalk, period: Period, metric: Metric = Metric.STREAK
) -> Contender:
    """Return a member's leaderboard numbers from their walk (only what the board ranks by)."""
    summary = walk.summary
    today = walk.today
    in_period = consistency_share = 0.0
    recent_days = 0
    if metric is Metric.DAYS:
        first = leaderboard.period_start(period, today)
        in_period = (
            summary.qualifying_days if first is None else counted_between(walk.state, first, today)
        )
    elif metric is Metric.CONSISTENCY:
        window_start = today - timedelta(days=CONSISTENCY_DAYS - 1)
        recent_days = counted_between(walk.state, window_start, today)
        consistency_share = consistency(
            challenge.rules, walk.state, walk.participant.start_day, today, CONSISTENCY_DAYS
        )
    return Contender(
        participant_id=walk.participant.id,
        user_id=walk.participant.user_id,
        current_streak=summary.current_streak,
        best_streak=summary.best_streak,
        day_number=summary.day_number,
        days_in_period=int(in_period),
        consistency=consistency_share,
        recent_days=recent_days,
        hidden=not shown_to_others(walk.participant),
    )

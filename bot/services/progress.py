"""Reading a member's standing: summary, ledger, and the challenge's leaderboards."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from operator import attrgetter

from bot.domain import leaderboard
from bot.domain.engine import Ledger, LedgerDay, Summary, WalkState, advance, summarize
from bot.domain.leaderboard import Contender, Metric, Period, Placing
from bot.domain.models import Challenge, DayFacts, Participant
from bot.domain.rules import Rules
from bot.domain.tally import Tally, tally_at
from bot.errors import NotFoundError
from bot.services._common import (
    checked_member,
    find_challenge,
    member_today,
    pick_challenge,
    today_in,
)
from bot.services.send_ledger import Notice, SendLedger
from bot.services.standings import (
    YIELD_EVERY,
    MemberWalk,
    save_checkpoints,
    walk_all,
    walk_from_checkpoints,
    walk_history,
    walk_one,
)
from bot.services.walk_cache import CachedChallenge, Checked, WalkCache
from storage import Database, Repositories, StoredStanding
from storage.shards import Shards

log = logging.getLogger(__name__)

NO_PROGRESS_TO_SHOW = "There is no progress to show for that member."
"""What others are told about a member who is hidden, has left, or never joined: the same."""
REFRESH_BATCH = 500
"""Members whose checkpoints are refreshed in one write transaction."""
CHECKPOINT_KIND = "checkpoints"
"""The send-ledger kind of a challenge's daily checkpoint refresh."""
CHECKPOINT_TARGET = "challenge:"
"""A challenge's send-ledger target for its refresh: this and its id."""
LEADERS = 10
"""Placings a board builds: its top ten (the viewer's own is built besides)."""
WALK_SLICE = 2000
"""Members walked together for the walk cache: few statements, and a bounded peak of walks."""
RESUME_SHARE = 4
"""Stale members are resumed from their checkpoints with two reads of the whole challenge
(`walk_from_checkpoints`) once they are at least 1/4 of it; fewer are walked by id."""
CHECK_YIELD_EVERY = 5000
"""Cached members checked between two chances for the event loop: a check is a dict lookup
and a comparison (under a millisecond per thousand), a walk is far more (`YIELD_EVERY`)."""
BY_IDS_AT_MOST = 1000
"""Members re-read by id in one statement; more stale members than a few of these are read
with the whole challenge's (a day rolling over in a big zone), which is one statement."""


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
    """A ranked leaderboard's head, with the viewer's own place when they are on it."""

    challenge: Challenge
    metric: Metric
    period: Period
    leaders: tuple[Placing, ...]
    """The first `LEADERS` placings, best first."""
    viewer: Placing | None
    ranked: int
    """How many members are on the board."""

    def top(self, count: int = LEADERS) -> tuple[Placing, ...]:
        """Return the first `count` placings (at most `LEADERS`)."""
        return self.leaders[:count]


class ProgressService:
    """Day N, streaks, the ledger and leaderboards, all derived from entries."""

    def __init__(
        self,
        db: Database,
        walks: WalkCache,
        ledger: SendLedger,
        *,
        shards: Shards | None = None,
    ) -> None:
        self._db = db
        self._walks = walks
        self._ledger = ledger
        self._shards = shards or Shards.every()
        """The servers whose checkpoints this process's daily refresh keeps: its shards' own."""

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
        ledger = latest_ledger(
            current.rules, participant.start_day, participant.initial_day, facts, today
        )
        return MemberLedger(current, participant, ledger)

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
        """Rank the challenge's visible members: their top ten and the viewer's place."""
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            members = await self.tallies_in(repos, current, now)
        visible = [member for member in members if member.visible]
        mine = next((member for member in visible if member.user_id == viewer_id), None)
        key = _DAYS_KEYS[period] if metric is Metric.DAYS else _KEYS[metric]
        ranked = leaderboard.top(visible, metric, LEADERS, key, mine)

        def placing(rank: int, value: float, member: Tally) -> Placing:
            return Placing(rank, contender(member, metric, int(value)), value)

        return Board(
            current,
            metric,
            period,
            tuple(placing(*row) for row in ranked.leaders),
            placing(*ranked.viewer) if ranked.viewer else None,
            len(visible),
        )

    async def tallies_in(
        self, repos: Repositories, challenge: Challenge, now: datetime
    ) -> list[Tally]:
        """Return every current member's tally through their today, from the walk cache.

        What changed since the cache's version is read first, in the same snapshot as the rest:
        a write committed by any process before this read began is honoured.
        """
        stamp = await repos.versions.since(challenge.id, self._walks.held(challenge.id))
        if not self._walks.sync(challenge.id, stamp):
            # This snapshot is older than the cache: walk it whole, store nothing.
            participants = await repos.participants.active(challenge.id)
            return await _walked_tallies(repos, challenge, participants, now, resume=True)
        seen = self._walks.generation(challenge.id)
        cached = self._walks.get(challenge)
        if cached is None:
            participants = await repos.participants.active(challenge.id)
            members = await _walked_tallies(repos, challenge, participants, now, resume=True)
            self._walks.put(challenge, members, seen, stamp.version)
            if len(members) == len(participants):
                zone_days = {member.zone: member.today for member in members}
                self._walks.check(challenge.id, Checked(seen, zone_days, members))
            return members
        return await self._cached_tallies(repos, challenge, cached, now, seen)

    async def _cached_tallies(
        self,
        repos: Repositories,
        challenge: Challenge,
        cached: CachedChallenge,
        now: datetime,
        seen: int,
    ) -> list[Tally]:
        """Reuse the members' cached tallies, walking again those whose day has moved on."""
        checked = cached.checked
        if checked is not None and checked.generation == seen:
            days = checked.zone_days
            if all(today_in(zone, challenge, now).toordinal() == days[zone] for zone in days):
                return checked.tallies
        todays: dict[str, int] = {}
        stale = []
        tallies = cached.tallies
        for index, participant_id in enumerate(cached.members):
            if index % CHECK_YIELD_EVERY == CHECK_YIELD_EVERY - 1:
                await asyncio.sleep(0)  # a server's worth of checks: let commands in between
            member = tallies.get(participant_id)
            if member is None:
                stale.append(participant_id)
                continue
            today = todays.get(member.zone)
            if today is None:
                today = today_in(member.zone, challenge, now).toordinal()
                todays[member.zone] = today
            if member.today != today:
                stale.append(participant_id)
        if not stale:
            members = [tallies[participant_id] for participant_id in cached.members]
            self._walks.check(challenge.id, Checked(seen, todays, members))
            return members
        participants = await _participants(repos, challenge, stale)
        resume = len(stale) * RESUME_SHARE >= len(cached.members)
        walked = await _walked_tallies(repos, challenge, participants, now, resume=resume)
        fresh = {member.participant_id: member for member in walked}
        self._walks.update(challenge.id, list(fresh.values()), seen)
        members = [
            found
            for participant_id in cached.members
            if (found := fresh.get(participant_id) or tallies.get(participant_id)) is not None
        ]
        if len(members) == len(cached.members):
            # Walked with the same `now`: a fresh member's day is their zone's.
            for member in fresh.values():
                todays.setdefault(member.zone, member.today)
            self._walks.check(challenge.id, Checked(seen, todays, members))
        return members

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
        """Refresh each owned running challenge's checkpoints once per UTC day; call it often.

        The send ledger claims the day first, so two ticks (or a restart) never refresh twice,
        and a refresh that failed is retried after a backoff. Each challenge is refreshed on its
        own: one that fails is logged and the others are refreshed.
        """
        period = now.date().isoformat()
        async with self._db.read() as repos:
            # Read first, in one statement: the tick runs every minute, and a day's refresh is
            # done once, so after it this finds nothing.
            challenges = await repos.challenges.active_unsettled(
                CHECKPOINT_KIND, CHECKPOINT_TARGET, period, self._shards
            )
        refreshed = 0
        for challenge in challenges:
            notice = Notice(CHECKPOINT_KIND, f"{CHECKPOINT_TARGET}{challenge.id}", period)
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


def latest_ledger(
    rules: Rules,
    start_day: date,
    initial_day: int,
    facts: Mapping[date, DayFacts],
    today: date,
) -> Ledger:
    """Return the ledger of a member's latest attempt, explaining only that attempt's days.

    Explaining a day (its reasons, its row) costs several times folding it, and a chart or
    /progress shows the latest attempt alone: the days before it are folded without rows. When
    the explained days hold no attempt's beginning (an attempt that began before the state's
    own start), the whole history is explained, as before.
    """
    start = WalkState.start(start_day, initial_day)
    state, _ = advance(rules, start, facts, today, today=today)
    began = state.attempt_start
    if began is not None and start.through < began <= today:
        before, _ = advance(rules, start, facts, began - timedelta(days=1))
        after, rows = advance(rules, before, facts, today, today=today, explain=True)
        begin = max((index for index, row in enumerate(rows) if row.begins), default=None)
        if begin is not None:
            return Ledger(rows=tuple(rows[begin:]), summary=summarize(rules, after, today))
    history = walk_history(rules, start_day, initial_day, facts, today, explain=True)
    return history.latest_attempt()


def explained_since(
    rules: Rules,
    start_day: date,
    initial_day: int,
    facts: Mapping[date, DayFacts],
    first: date,
    today: date,
) -> list[LedgerDay]:
    """Return the ledger rows of a member's days from `first` (or today, if earlier) to today.

    The days before are folded without rows; none of them is today, so the state they leave is
    the one the whole explained walk has there, and the rows after are the same.
    """
    start = WalkState.start(start_day, initial_day)
    before, _ = advance(rules, start, facts, min(first, today) - timedelta(days=1))
    _, rows = advance(rules, before, facts, today, today=today, explain=True)
    return rows


def shown_to_others(participant: Participant | None) -> bool:
    """The one visibility rule: others see a member's progress while they take part, unhidden.

    Hidden is the member's own choice in the server (`/settings`), kept after they leave.
    Every public surface (boards, digests, /streak, /why and /progress of others) names and
    counts only the members this passes: a count that includes a hidden member (or the posts of
    one who left) can give them away.
    """
    return participant is not None and participant.is_active and not participant.hidden


def contender(member: Tally, metric: Metric, days_in_period: int = 0) -> Contender:
    """Return a member's leaderboard numbers (only what the board ranks by) from their tally."""
    consistent = metric is Metric.CONSISTENCY
    return Contender(
        participant_id=member.participant_id,
        user_id=member.user_id,
        current_streak=member.streak,
        best_streak=member.best,
        day_number=member.day_number,
        days_in_period=days_in_period if metric is Metric.DAYS else 0,
        consistency=member.consistency if consistent else 0.0,
        recent_days=member.recent_days if consistent else 0,
        hidden=not member.visible,
    )


def tally_of(challenge: Challenge, walk: MemberWalk, shared: dict[int, int] | None = None) -> Tally:
    """Return the tally of a member's walk (what the walk cache keeps of it)."""
    return _tally(challenge, walk.participant, walk.state, shared)


def _tally(
    challenge: Challenge,
    participant: Participant,
    state: WalkState,
    shared: dict[int, int] | None = None,
) -> Tally:
    """Return the tally of a member's state walked through their today (`state.through`)."""
    return tally_at(
        challenge.rules,
        state,
        state.through,
        participant_id=participant.id,
        user_id=participant.user_id,
        visible=shown_to_others(participant),
        # One string per zone, not per member: a server's members share a few dozen zones.
        zone=sys.intern(participant.timezone),
        joined_at=participant.joined_at,
        start_day=participant.start_day,
        shared=shared,
    )


async def _walked_tallies(
    repos: Repositories,
    challenge: Challenge,
    participants: list[Participant],
    now: datetime,
    *,
    resume: bool,
) -> list[Tally]:
    """Walk the members and keep their tallies, letting the loop in between.

    With `resume` (a board after a start, a big zone's day rolling over), members resume from
    their checkpoints with two reads in all (`walk_from_checkpoints`); the others are walked a slice
    at a time: a walk (its state and the facts it read) is a few kilobytes, and walking a server
    of 100,000 at once would hold a few hundred megabytes at its peak; a slice holds a tenth.
    """
    shared: dict[int, int] = {}
    by_id: dict[int, Tally] = {}
    rest = participants
    if resume:

        def keep(participant: Participant, state: WalkState) -> None:
            by_id[participant.id] = _tally(challenge, participant, state, shared)

        rest = await walk_from_checkpoints(repos, challenge, participants, now, keep)
        if not rest:
            return [by_id[participant.id] for participant in participants]
    for first in range(0, len(rest), WALK_SLICE):
        walks = await walk_all(repos, challenge, rest[first : first + WALK_SLICE], now)
        for index, walk in enumerate(walks):
            if index % YIELD_EVERY == YIELD_EVERY - 1:
                await asyncio.sleep(0)
            by_id[walk.participant.id] = tally_of(challenge, walk, shared)
    return [by_id[participant.id] for participant in participants]


async def _participants(
    repos: Repositories, challenge: Challenge, wanted: list[int]
) -> list[Participant]:
    """Return the current members with these ids, in the challenge's order (oldest first)."""
    if len(wanted) > BY_IDS_AT_MOST * 4:
        ids = frozenset(wanted)
        active = await repos.participants.active(challenge.id)
        return [participant for participant in active if participant.id in ids]
    found: list[Participant] = []
    for first in range(0, len(wanted), BY_IDS_AT_MOST):
        found += await repos.participants.by_ids(wanted[first : first + BY_IDS_AT_MOST])
    # Left members stay out, as `participants.active` leaves them out of a cold board.
    return sorted((p for p in found if p.is_active), key=lambda participant: participant.id)


_KEYS: dict[Metric, Callable[[Tally], tuple[float, ...]]] = {
    Metric.STREAK: attrgetter("streak_key"),
    Metric.CONSISTENCY: attrgetter("consistency_key"),
}
"""The boards' keys kept in each tally (greatest first, the lower user id first among equals)."""
_DAYS_KEYS: dict[Period, Callable[[Tally], tuple[float, ...]]] = {
    Period.WEEK: lambda m: (m.week_days, m.streak, m.best, -m.user_id),
    Period.MONTH: lambda m: (m.month_days, m.streak, m.best, -m.user_id),
    Period.ALL: lambda m: (m.qualifying, m.streak, m.best, -m.user_id),
}
"""A 'days logged' board's key per period (built per board: it is three boards' worth)."""

"""Walking members' days with a checkpoint cache, for one member or a whole server.

The engine is a fold over days, so its state after a day nobody can change any more (older
than the backfill window) is a checkpoint: a later walk resumes from it and reads only the few
days since. Checkpoints live in the `standings` table; storage drops a member's checkpoint the
moment an entry or adjustment touches a day it covers, and a checkpoint whose fingerprint (rules,
start, engine version) no longer matches is ignored. Deleting every checkpoint changes nothing
but speed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import EllipsisType

from bot.domain.engine import (
    Ledger,
    LedgerDay,
    Summary,
    WalkState,
    advance,
    advance_classes,
    classify,
    fingerprint,
    summarize,
)
from bot.domain.models import Challenge, DayFacts, Participant
from bot.domain.rules import Rules
from bot.services._common import Breather, member_today
from storage import Repositories, StoredStanding
from storage.repositories.day_rows import ClassifiedDays

log = logging.getLogger(__name__)

COLD_BATCH = 500
"""Members without a checkpoint whose whole histories are read and walked together: decoding a
batch's days is one stretch of the event loop, kept to a few milliseconds."""
WARM_BATCH = 2000
"""Members with a checkpoint whose days since are read and walked together (a few days each)."""
YIELD_EVERY = 200
"""Members walked between two chances for the event loop to run something else: a walk of a
whole server is pure Python, and members' commands should not wait for all of it."""


@dataclass(frozen=True, slots=True)
class MemberWalk:
    """A member walked through their today."""

    participant: Participant
    today: date
    state: WalkState
    rules: Rules
    checkpoint: WalkState | None
    """A newer checkpoint worth saving, if the walk passed one."""
    facts: Mapping[date, DayFacts]
    """The day facts the walk read (every day after its starting checkpoint); empty for the
    walks of `walk_all`, which reads each day's class only."""

    @property
    def summary(self) -> Summary:
        """The member's summary on `today` (worked out on each read: a board needs none)."""
        return summarize(self.rules, self.state, self.today)


def checkpoint_day(challenge: Challenge, today: date) -> date:
    """Return the last day a member can no longer change by logging late."""
    return today - timedelta(days=challenge.rules.backfill_days + 1)


@dataclass(frozen=True, slots=True)
class HistoryWalk:
    """A member's days folded through the engine up to their today."""

    state: WalkState
    summary: Summary
    checkpoint: WalkState | None
    """The state at the checkpoint day, when the walk passed it (worth saving)."""
    rows: tuple[LedgerDay, ...]
    """One ledger row per day walked, when the walk was asked to explain; else empty."""

    def latest_attempt(self) -> Ledger:
        """Return the ledger of the member's latest attempt (walk with `explain`)."""
        begin = max((index for index, row in enumerate(self.rows) if row.begins), default=0)
        return Ledger(rows=self.rows[begin:], summary=self.summary)


def walk_history(
    rules: Rules,
    start_day: date,
    initial_day: int,
    facts: Mapping[date, DayFacts],
    today: date,
    *,
    resume: WalkState | None = None,
    checkpoint_at: date | None = None,
    explain: bool = False,
) -> HistoryWalk:
    """Walk a member's days through the engine to `today`: the one walk every service uses.

    The walk starts at the member's start, or resumes from a checkpoint (`resume`); `facts`
    must hold every day it walks. With `checkpoint_at` (a day before today), the state on that
    day is returned too, as a checkpoint. With `explain`, a ledger row per day walked as well.
    """
    state = resume or WalkState.start(start_day, initial_day)
    if not explain:
        days = classified(rules, facts)
        state, checkpoint = advance_classes(
            rules, state, days, today, today=today, checkpoint_at=checkpoint_at
        )
        return HistoryWalk(state, summarize(rules, state, today), checkpoint, ())
    return HistoryWalk(*_explained(rules, state, facts, today, checkpoint_at))


def classified(rules: Rules, facts: Mapping[date, DayFacts]) -> list[int]:
    """Return days' facts as the sorted `ordinal * 4 + class` ints `advance_classes` folds."""
    days = [
        day.toordinal() * 4 + classify(rules, day, day_facts) for day, day_facts in facts.items()
    ]
    days.sort()
    return days


def _explained(
    rules: Rules,
    state: WalkState,
    facts: Mapping[date, DayFacts],
    today: date,
    checkpoint_at: date | None,
) -> tuple[WalkState, Summary, WalkState | None, tuple[LedgerDay, ...]]:
    """Walk from `state` to `today` day by day with ledger rows (see `walk_history`)."""
    checkpoint = None
    rows: list[LedgerDay] = []
    if checkpoint_at is not None and state.through < checkpoint_at < today:
        state, rows = advance(rules, state, facts, checkpoint_at, explain=True)
        checkpoint = state
    state, last = advance(rules, state, facts, today, today=today, explain=True)
    return state, summarize(rules, state, today), checkpoint, (*rows, *last)


_NO_FACTS: Mapping[date, DayFacts] = {}


def _walk_days(
    challenge: Challenge,
    participant: Participant,
    today: date,
    days: Sequence[int],
    cached: WalkState | None,
    facts: Mapping[date, DayFacts] = _NO_FACTS,
) -> MemberWalk:
    """Walk one member to `today` over their classified days (see `walk_member`)."""
    rules = challenge.rules
    state = cached or WalkState.start(participant.start_day, participant.initial_day)
    state, checkpoint = advance_classes(
        rules, state, days, today, today=today, checkpoint_at=checkpoint_day(challenge, today)
    )
    return MemberWalk(
        participant=participant,
        today=today,
        state=state,
        rules=rules,
        checkpoint=checkpoint,
        facts=facts,
    )


def walk_member(
    challenge: Challenge,
    participant: Participant,
    today: date,
    facts: Mapping[date, DayFacts],
    cached: WalkState | None,
) -> MemberWalk:
    """Walk one member to `today`, resuming from their checkpoint when there is one.

    `facts` must hold every day after the checkpoint (or every day, without one).
    """
    days = classified(challenge.rules, facts)
    return _walk_days(challenge, participant, today, days, cached, facts)


def usable_checkpoint(
    challenge: Challenge, participant: Participant, today: date, standing: StoredStanding | None
) -> WalkState | None:
    """Return the member's cached state if it still describes their history, else None."""
    if standing is None or standing.through_day >= today:
        return None
    key = fingerprint(challenge.rules, participant.start_day, participant.initial_day)
    if standing.fingerprint != key:
        return None
    try:
        return WalkState.unpack(standing.state_json)
    except (ValueError, TypeError, KeyError, IndexError):
        # A checkpoint this engine cannot read is only a cache miss.
        log.warning("unreadable checkpoint of participant %s ignored", participant.id)
        return None


async def walk_one(
    repos: Repositories,
    challenge: Challenge,
    participant: Participant,
    now: datetime,
    *,
    standing: StoredStanding | EllipsisType | None = ...,
) -> MemberWalk:
    """Walk one member through their today, reading only what the checkpoint lacks.

    Pass `standing` when it was already read in this transaction (None for "there is none").
    The walk keeps the day facts it read: the caller words the member's day from them.
    """
    today = member_today(participant, challenge, now)
    if isinstance(standing, EllipsisType):
        standing = await repos.standings.get(participant.id)
    cached = usable_checkpoint(challenge, participant, today, standing)
    since = cached.through + timedelta(days=1) if cached else None
    facts = await repos.entries.day_facts(participant.id, since=since)
    return walk_member(challenge, participant, today, facts, cached)


def members_todays(
    challenge: Challenge, participants: Sequence[Participant], now: datetime
) -> list[date]:
    """Return each member's local today, in order (each zone's today worked out once)."""
    todays: dict[str, date] = {}
    found: list[date] = []
    for participant in participants:
        today = todays.get(participant.timezone)
        if today is None:
            today = todays[participant.timezone] = member_today(participant, challenge, now)
        found.append(today)
    return found


async def walk_all(
    repos: Repositories,
    challenge: Challenge,
    participants: list[Participant],
    now: datetime,
    *,
    whole_challenge: bool = False,
) -> list[MemberWalk]:
    """Walk the given members of a challenge through their today, with as few reads as possible.

    With `whole_challenge`, the members are all of its members and checkpoints are read by
    challenge.
    Each day is read as its class under the rules only (`repos.day_rows`): the walks carry no
    day facts.
    """
    rules = challenge.rules
    breathe = Breather()
    standings = (
        await repos.standings.for_challenge(challenge.id)
        if whole_challenge
        else await repos.standings.for_participants([p.id for p in participants])
    )
    cached: dict[int, WalkState] = {}
    cold: list[int] = []
    their_today: dict[int, date] = {}
    for participant, today in zip(
        participants, members_todays(challenge, participants, now), strict=True
    ):
        await breathe()
        their_today[participant.id] = today
        state = usable_checkpoint(challenge, participant, today, standings.get(participant.id))
        if state is None:
            cold.append(participant.id)
        else:
            cached[participant.id] = state
    walks: dict[int, MemberWalk] = {}
    by_id = {participant.id: participant for participant in participants}
    nothing: list[int] = []
    # Members with a checkpoint need only the days since; members without one their whole
    # history. Both are read and walked a batch at a time, so no read, decode or fold holds the
    # event loop for long and memory holds two batches' histories (the one walked, the one
    # read ahead), never the server's.
    warm = list(cached)

    async def recent(batch: list[int]) -> ClassifiedDays:
        since = min(cached[participant_id].through for participant_id in batch)
        return await repos.day_rows.for_participants(rules, batch, since + timedelta(days=1))

    async def history(batch: list[int]) -> ClassifiedDays:
        return await repos.day_rows.for_participants(rules, batch)

    for members, size, read in ((warm, WARM_BATCH, recent), (cold, COLD_BATCH, history)):
        batches = [members[first : first + size] for first in range(0, len(members), size)]
        async with aclosing(_read_ahead(batches, read)) as reads:
            async for batch, days in reads:
                for participant_id in batch:
                    await breathe()
                    walks[participant_id] = _walk_days(
                        challenge,
                        by_id[participant_id],
                        their_today[participant_id],
                        days.get(participant_id, nothing),
                        cached.get(participant_id),
                    )
    return [walks[participant.id] for participant in participants]


RESUME_LAG_DAYS = 7
"""How far behind the newest checkpoint one may be and still be resumed by
`walk_from_checkpoints`: its one read spans the days since the oldest it resumes."""


async def walk_from_checkpoints(
    repos: Repositories,
    challenge: Challenge,
    participants: Sequence[Participant],
    now: datetime,
    keep: Callable[[Participant, WalkState], None],
) -> list[Participant]:
    """Walk through their today every member whose checkpoint is recent, with two reads in all.

    Each member walked is handed to `keep` with their state at once, so a server's states are
    never all alive together (100,000 of them, each read and walked, held 150 MB more at the
    peak). Returns the members left for `walk_all`: no usable checkpoint, or one far behind
    the others. The checkpoints are read by challenge and the days since them in one range
    read, where `walk_all` reads both a batch of members at a time: this is the first board
    after a start, every member resuming from the daily job's checkpoints. No newer checkpoint
    comes out (a board stores none).
    """
    rules = challenge.rules
    breathe = Breather()
    standings = await repos.standings.for_challenge(challenge.id)
    their_today = members_todays(challenge, participants, now)
    # The days to read, from the stored days alone (a checkpoint is decoded once, below): an
    # unusable checkpoint counted here only widens the read.
    stored = [
        standing.through_day
        for participant, today in zip(participants, their_today, strict=True)
        if (standing := standings.get(participant.id)) is not None and standing.through_day < today
    ]
    if not stored:
        return list(participants)
    oldest = max(stored) - timedelta(days=RESUME_LAG_DAYS)
    since = min(through for through in stored if through >= oldest)
    del stored
    recent = await repos.standings.days_since(challenge.id, rules, since + timedelta(days=1))
    rest: list[Participant] = []
    nothing: list[int] = []
    for participant, today in zip(participants, their_today, strict=True):
        await breathe()
        standing = standings.pop(participant.id, None)
        state = usable_checkpoint(challenge, participant, today, standing)
        if state is None or state.through < since:
            rest.append(participant)
            continue
        days = recent.pop(participant.id, nothing)
        state, _ = advance_classes(rules, state, days, today, today=today)
        keep(participant, state)
    return rest


async def _read_ahead(
    batches: list[list[int]], read: Callable[[list[int]], Awaitable[ClassifiedDays]]
) -> AsyncGenerator[tuple[list[int], ClassifiedDays], None]:
    """Yield each batch with its days, reading the next batch while the caller walks this one.

    The SQL of a read runs on the driver's side (aiosqlite's thread, which SQLite steps without
    the GIL; PostgreSQL's server) while the event loop folds the batch before it, so a cold
    walk costs about the larger of the two rather than their sum. The caller must yield to the
    event loop as it walks (`Breather`), which is when the read moves on, and close the
    generator (`aclosing`), so a read still running ends before the transaction it runs in.
    """
    if not batches:
        return
    ahead = asyncio.ensure_future(read(batches[0]))
    try:
        for index, batch in enumerate(batches):
            days = await ahead
            if index + 1 < len(batches):
                ahead = asyncio.ensure_future(read(batches[index + 1]))
            yield batch, days
    finally:
        if not ahead.done():
            # The caller stopped early (an error, a cancel): the read must be over before the
            # transaction it runs in ends. Statements run to their end even when cancelled.
            ahead.cancel()
            await asyncio.wait([ahead])
        if not ahead.cancelled():
            # Seen here, so asyncio does not log it as never retrieved; the caller's own
            # error is the one that propagates.
            ahead.exception()


async def save_checkpoints(
    repos: Repositories, challenge: Challenge, walks: list[MemberWalk], now: datetime
) -> int:
    """Store the newer checkpoints the walks passed; return how many were stored.

    Call it in the same write transaction that read the facts, so no entry can slip in between.
    """
    rows = [
        StoredStanding(
            participant_id=walk.participant.id,
            fingerprint=fingerprint(
                challenge.rules, walk.participant.start_day, walk.participant.initial_day
            ),
            through_day=walk.checkpoint.through,
            state_json=walk.checkpoint.pack(),
        )
        for walk in walks
        if walk.checkpoint is not None
    ]
    if rows:
        await repos.standings.put_many(rows, updated_at=now)
    return len(rows)

"""Walking members' days with a checkpoint cache, for one member or a whole server.

The engine is a fold over days, so its state after a day nobody can change any more (older
than the backfill window) is a checkpoint: a later walk resumes from it and reads only the few
days since. Checkpoints live in the `standings` table; storage drops a member's checkpoint the
moment an entry or adjustment touches a day it covers, and a checkpoint whose fingerprint (rules,
start, engine version) no longer matches is ignored. Deleting every checkpoint changes nothing
but speed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain import calendar
from bot.domain.engine import Summary, WalkState, advance, fingerprint, summarize
from bot.domain.models import Challenge, DayFacts, Participant
from storage import Repositories, Standing

BULK_COLD_THRESHOLD = 50
"""Above this many members without a checkpoint, read the whole challenge in one query."""


@dataclass(frozen=True, slots=True)
class MemberWalk:
    """A member walked through their today."""

    participant: Participant
    today: date
    state: WalkState
    summary: Summary
    checkpoint: WalkState | None
    """A newer checkpoint worth saving, if the walk passed one."""
    facts: Mapping[date, DayFacts]
    """The day facts the walk read (every day after its starting checkpoint)."""


def checkpoint_day(challenge: Challenge, today: date) -> date:
    """Return the last day a member can no longer change by logging late."""
    return today - timedelta(days=challenge.rules.backfill_days + 1)


def walk_member(
    challenge: Challenge,
    participant: Participant,
    today: date,
    facts: Mapping[date, DayFacts],
    standing: Standing | None,
) -> MemberWalk:
    """Walk one member to `today`, resuming from their checkpoint when it is still valid.

    `facts` must hold every day after the checkpoint (or every day, without one).
    """
    rules = challenge.rules
    state = usable_checkpoint(challenge, participant, today, standing)
    if state is None:
        state = WalkState.start(participant.start_day, participant.initial_day)
    checkpoint = None
    closed = checkpoint_day(challenge, today)
    if closed > state.through:
        state, _ = advance(rules, state, facts, closed)
        checkpoint = state
    state, _ = advance(rules, state, facts, today, today=today)
    return MemberWalk(
        participant=participant,
        today=today,
        state=state,
        summary=summarize(rules, state, today),
        checkpoint=checkpoint,
        facts=facts,
    )


def usable_checkpoint(
    challenge: Challenge, participant: Participant, today: date, standing: Standing | None
) -> WalkState | None:
    """Return the member's cached state if it still describes their history, else None."""
    if standing is None or standing.through_day >= today:
        return None
    key = fingerprint(challenge.rules, participant.start_day, participant.initial_day)
    if standing.fingerprint != key:
        return None
    return WalkState.from_json(standing.state_json)


async def walk_one(
    repos: Repositories, challenge: Challenge, participant: Participant, now: datetime
) -> MemberWalk:
    """Walk one member through their today, reading only what the checkpoint lacks."""
    today = calendar.local_day(
        now, calendar.zone(participant.timezone), challenge.rules.rollover_hour
    )
    standing = await repos.standings.get(participant.id)
    cached = usable_checkpoint(challenge, participant, today, standing)
    since = cached.through + timedelta(days=1) if cached else None
    facts = await repos.entries.day_facts(participant.id, since=since)
    return walk_member(challenge, participant, today, facts, standing if cached else None)


async def walk_all(
    repos: Repositories, challenge: Challenge, participants: list[Participant], now: datetime
) -> list[MemberWalk]:
    """Walk every given member of a challenge through their today, with as few reads as possible."""
    rollover = challenge.rules.rollover_hour
    todays: dict[str, date] = {}
    standings = await repos.standings.for_challenge(challenge.id)
    warm: dict[int, WalkState] = {}
    cold: list[Participant] = []
    member_today: dict[int, date] = {}
    for participant in participants:
        today = todays.get(participant.timezone)
        if today is None:
            today = calendar.local_day(now, calendar.zone(participant.timezone), rollover)
            todays[participant.timezone] = today
        member_today[participant.id] = today
        state = usable_checkpoint(challenge, participant, today, standings.get(participant.id))
        if state is None:
            cold.append(participant)
        else:
            warm[participant.id] = state
    facts: dict[int, dict[date, DayFacts]] = {}
    if len(cold) > BULK_COLD_THRESHOLD:
        earliest = min(participant.start_day for participant in cold)
        since = min([earliest, *(state.through + timedelta(days=1) for state in warm.values())])
        facts = await repos.entries.day_facts_for_challenge(challenge.id, since=since)
    else:
        if warm:
            since = min(state.through for state in warm.values()) + timedelta(days=1)
            facts = await repos.entries.day_facts_for_challenge(challenge.id, since=since)
        for participant in cold:
            facts[participant.id] = await repos.entries.day_facts(participant.id)
    empty: dict[date, DayFacts] = {}
    return [
        walk_member(
            challenge,
            participant,
            member_today[participant.id],
            facts.get(participant.id, empty),
            standings.get(participant.id) if participant.id in warm else None,
        )
        for participant in participants
    ]


async def save_checkpoints(
    repos: Repositories, challenge: Challenge, walks: list[MemberWalk], now: datetime
) -> int:
    """Store the newer checkpoints the walks passed; return how many were stored.

    Call it in the same write transaction that read the facts, so no entry can slip in between.
    """
    rows = [
        Standing(
            participant_id=walk.participant.id,
            fingerprint=fingerprint(
                challenge.rules, walk.participant.start_day, walk.participant.initial_day
            ),
            through_day=walk.checkpoint.through,
            state_json=walk.checkpoint.to_json(),
        )
        for walk in walks
        if walk.checkpoint is not None
    ]
    if rows:
        await repos.standings.put_many(rows, updated_at=now)
    return len(rows)

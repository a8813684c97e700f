"""What a member's new post means for the community: a check-in, a milestone, a role.

A post logged with /log gets a short public line in the challenge's progress channel, and the
post that lands a member on a milestone (Day 7, 25, 50, 66, 100, a finished round) is
celebrated there, once per member, round and attempt. Organizers may map a milestone to a role:
Daybook gives it when the milestone is reached and keeps a record of every role it gave, so
that it takes away only those: when the member leaves, forgets themselves, or loses the attempt
that earned it. Members who hid themselves from boards and digests are never announced and get
no roles (a role is public too).

No Discord here: the caller posts and grants (bot/community.py), keyed by the notices below in
the send ledger, so each happens once whatever retries or restarts do.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.engine import Summary
from bot.domain.milestones import Milestone, Reached, lost, reachable, reached_by
from bot.domain.models import Challenge, Entry, EntrySource, Participant
from bot.errors import InvalidInputError
from bot.services._common import find_challenge
from bot.services.entries import RecordedEntry
from bot.services.send_ledger import Notice
from bot.services.standings import walk_all
from bot.wording.milestones import milestone_name
from storage import Database, GrantedRole, Repositories
from storage.repositories import participant_target
from storage.shards import Shards

log = logging.getLogger(__name__)

CHECKIN_KIND = "checkin"
"""Send-ledger kind: the public line of one /log post (per participant, entry)."""
MILESTONE_KIND = "milestone"
"""Send-ledger kind: the public line of one milestone (per participant, round, attempt)."""
ROLE_KIND = "milestone-role"
"""Send-ledger kind: giving a milestone's role (per participant, round, attempt, milestone)."""


@dataclass(frozen=True, slots=True)
class Celebration:
    """What one new post means for the community, decided from the member's walk."""

    challenge: Challenge
    participant: Participant
    entry: Entry
    summary: Summary
    counted: bool
    is_today: bool
    reached: Reached | None
    """The milestone this post landed the member on, if any."""
    role_id: int | None
    """The role the milestone gives, when an organizer mapped one."""
    lost: tuple[GrantedRole, ...]
    """Roles Daybook gave in an attempt that has since been lost: to be taken away."""

    @property
    def public(self) -> bool:
        """Whether anything may be said in public: the challenge announces, the member shows."""
        return (
            self.challenge.announce_checkins
            and self.challenge.progress_channel_id is not None
            and not self.participant.hidden
        )

    @property
    def checkin_notice(self) -> Notice:
        """Return the send-ledger key of this post's public line.

        One line a day and state: the day's first post says "checked in" (or "logged Day N"),
        the post that makes it count says "logged Day N", and more posts that day say nothing.
        """
        state = "counted" if self.counted else "posted"
        period = f"{self.entry.local_day.isoformat()}:{state}"
        return Notice(CHECKIN_KIND, participant_target(self.participant.id), period)

    def milestone_notice(self, reached: Reached) -> Notice:
        """Return the send-ledger key of a milestone's public line."""
        return Notice(MILESTONE_KIND, participant_target(self.participant.id), reached.key)

    def role_notice(self, reached: Reached) -> Notice:
        """Return the send-ledger key of giving a milestone's role."""
        return Notice(ROLE_KIND, participant_target(self.participant.id), reached.key)


@dataclass(frozen=True, slots=True)
class MilestoneRoles:
    """A challenge's milestone roles, and the milestones its members can reach."""

    challenge: Challenge
    roles: dict[Milestone, int]
    reachable: tuple[Milestone, ...]


class MilestoneService:
    """Milestones reached, the roles organizers map to them, and the roles Daybook gave."""

    def __init__(self, db: Database, *, shards: Shards | None = None) -> None:
        self._db = db
        self._shards = shards or Shards.every()
        """The servers whose lost roles this process sweeps: its shards' own."""

    async def celebration(self, result: RecordedEntry) -> Celebration:
        """Return what a recorded post means for the community (nothing is changed)."""
        async with self._db.read() as repos:
            participant = await repos.participants.by_id(result.entry.participant_id)
            roles = await repos.milestone_roles.roles(result.challenge.id)
            grants = await repos.milestone_roles.grants_of_participant(result.entry.participant_id)
        if participant is None:  # forgotten between the write and now
            raise InvalidInputError("That member is no longer taking part.")
        summary = result.summary
        reached = None
        if result.entry.source is not EntrySource.IMPORT and not result.already_logged:
            # An import of old days is history, not news: it celebrates nothing.
            reached = reached_by(
                result.challenge.rules, summary, result.entry.local_day, counted=result.counted
            )
        role_id = None if reached is None else roles.get(reached.milestone)
        return Celebration(
            challenge=result.challenge,
            participant=participant,
            entry=result.entry,
            summary=summary,
            counted=result.counted,
            is_today=result.is_today,
            reached=reached,
            role_id=role_id,
            lost=tuple(grant for grant in grants if lost(grant.round, grant.attempt, summary)),
        )

    async def record_grant(self, celebration: Celebration, role_id: int, at: datetime) -> None:
        """Remember a role given for a milestone, so that only Daybook's roles are taken back."""
        reached = celebration.reached
        if reached is None:
            return
        participant = celebration.participant
        async with self._db.write() as repos:
            if await repos.participants.by_id(participant.id) is None:
                return  # forgotten meanwhile: nothing may be kept about them
            await repos.milestone_roles.add_grant(
                participant_id=participant.id,
                guild_id=celebration.challenge.guild_id,
                user_id=participant.user_id,
                role_id=role_id,
                round_=reached.round,
                attempt=reached.attempt,
                at=at,
            )

    async def gave(self, *, guild_id: int, user_id: int, role_id: int) -> bool:
        """Whether Daybook holds a record of giving a user this role (in any challenge)."""
        async with self._db.read() as repos:
            return await repos.milestone_roles.still_held(guild_id, user_id, role_id)

    async def drop_grant(self, celebration: Celebration, role_id: int) -> None:
        """Forget a role recorded for this milestone that Discord did not give after all."""
        reached = celebration.reached
        if reached is None:
            return
        async with self._db.write() as repos:
            await repos.milestone_roles.drop_grant(
                celebration.participant.id, role_id, reached.round, reached.attempt
            )

    async def to_take_back(self, grants: Sequence[GrantedRole]) -> list[GrantedRole]:
        """Return the roles among `grants` to take away: one per role, none still earned.

        A role mapped in two challenges stays while another participation still earns it.
        Nothing is forgotten here: `forget_grants` does that once Discord took the roles back.
        """
        if not grants:
            return []
        ids = [grant.id for grant in grants]
        async with self._db.read() as repos:
            return [
                grant
                for grant in _one_per_role(grants)
                if not await repos.milestone_roles.still_held(
                    grant.guild_id, grant.user_id, grant.role_id, excluding=ids
                )
            ]

    async def forget_grants(self, grants: Sequence[GrantedRole]) -> None:
        """Forget roles given: they were taken back, or another challenge still earns them."""
        if grants:
            async with self._db.write() as repos:
                await repos.milestone_roles.drop_grants(grant.id for grant in grants)

    async def granted_in(
        self, *, guild_id: int, user_id: int, challenge_id: int
    ) -> list[GrantedRole]:
        """Return the roles Daybook gave a member in one challenge."""
        async with self._db.read() as repos:
            participant = await repos.participants.get(challenge_id, user_id)
            if participant is None:
                return []
            grants = await repos.milestone_roles.grants_of_participant(participant.id)
        return [grant for grant in grants if grant.guild_id == guild_id]

    async def granted_to(self, user_id: int) -> list[GrantedRole]:
        """Return the roles Daybook gave a user, in every server."""
        async with self._db.read() as repos:
            return await repos.milestone_roles.grants_of_user(user_id)

    async def lost_grants(self, now: datetime) -> list[GrantedRole]:
        """Return roles given in this process's servers in attempts since lost, or to leavers.

        Walks only the members holding a role Daybook gave: a handful per challenge.
        """
        async with self._db.read() as repos:
            grants = await repos.milestone_roles.all_grants(self._shards)
            if not grants:
                return []
            by_participant: dict[int, list[GrantedRole]] = defaultdict(list)
            for grant in grants:
                by_participant[grant.participant_id].append(grant)
            members = await repos.participants.by_ids(list(by_participant))
            stale: list[GrantedRole] = []
            by_challenge: dict[int, list[Participant]] = defaultdict(list)
            for participant in members:
                if participant.is_active:
                    by_challenge[participant.challenge_id].append(participant)
                else:
                    stale.extend(by_participant[participant.id])
            for challenge_id, participants in by_challenge.items():
                challenge = await repos.challenges.get(challenge_id)
                if challenge is None or not challenge.is_active:
                    continue  # an ended challenge keeps what its members earned
                for walk in await walk_all(repos, challenge, participants, now):
                    stale.extend(
                        grant
                        for grant in by_participant[walk.participant.id]
                        if lost(grant.round, grant.attempt, walk.summary)
                    )
        return stale

    async def roles(self, *, guild_id: int, challenge: str | int | None) -> MilestoneRoles:
        """Return a challenge's milestone roles."""
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            return await _roles_of(repos, current)

    async def set_role(
        self,
        *,
        guild_id: int,
        challenge: str | None,
        milestone: str,
        role_id: int | None,
        now: datetime,
    ) -> MilestoneRoles:
        """Give `role_id` for a milestone from now on, or stop giving one (None).

        The caller checks first that Daybook can give the role in Discord. Roles already given
        stay with their members until Daybook would take them back anyway.
        """
        wanted = _milestone(milestone)
        async with self._db.write() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            if role_id is None:
                await repos.milestone_roles.clear_role(current.id, wanted)
            else:
                if wanted not in reachable(current.rules):
                    raise InvalidInputError(_unreachable(current, wanted))
                await repos.milestone_roles.set_role(current.id, wanted, role_id, now)
            return await _roles_of(repos, current)


async def _roles_of(repos: Repositories, challenge: Challenge) -> MilestoneRoles:
    roles = await repos.milestone_roles.roles(challenge.id)
    return MilestoneRoles(challenge, roles, reachable(challenge.rules))


def _milestone(value: str) -> Milestone:
    try:
        return Milestone(value)
    except ValueError:
        choices = ", ".join(milestone_name(m) for m in Milestone)
        raise InvalidInputError(f"Pick one of the milestones offered: {choices}.") from None


def _unreachable(challenge: Challenge, milestone: Milestone) -> str:
    target = challenge.rules.target_days
    if milestone is Milestone.FINISHED:
        return f"{challenge.name} is open-ended: no round finishes, so no one reaches that."
    if target is not None and milestone.day == target:
        return f"{challenge.name} finishes at Day {target}: pick the finished round for that role."
    reach = milestone_name(milestone)
    return f"{challenge.name} finishes at Day {target}, so no one reaches {reach}."


def _one_per_role(grants: Sequence[GrantedRole]) -> list[GrantedRole]:
    """Return one grant per (server, user, role): a role is taken away once."""
    seen: dict[tuple[int, int, int], GrantedRole] = {}
    for grant in grants:
        seen.setdefault((grant.guild_id, grant.user_id, grant.role_id), grant)
    return list(seen.values())

"""What organizer commands need around ChallengeService: edits confirmed later, ending, info.

An edit is previewed first and kept as a pending edit; a button confirms it, possibly after a
restart, so the pending edit lives in the database, not in memory. Confirming re-validates the
organizer's input against the challenge as it is then and applies it in the same transaction
that marks the pending edit confirmed: a double click applies it once (and the second click is
told so), a failure applies nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.domain.delivery import DeliveryProblem
from bot.domain.engine import LedgerDay, Summary
from bot.domain.milestones import Milestone
from bot.domain.models import Adjustment, AdjustmentKind, Challenge
from bot.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from bot.services._common import find_challenge, member_today
from bot.services.challenges import ChallengeService, RuleChangePreview
from bot.services.inputs import is_storable_id
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from bot.services.standings import walk_history
from storage import Database, Resolution

log = logging.getLogger(__name__)

EDIT_LIFETIME = timedelta(hours=24)
"""How long a previewed edit can still be confirmed."""


class EditExpiredError(InvalidInputError):
    """The preview is older than EDIT_LIFETIME; the organizer should preview again."""


ALREADY = {
    Resolution.CONFIRMED: (
        "That change was already applied. /challenge info shows the challenge as it is now."
    ),
    Resolution.CANCELLED: "That change was already cancelled: nothing was changed.",
}
"""What a second click on Confirm or Cancel is told, by what the first one did."""
GONE = (
    "That preview is no longer kept (previews last 24 hours). "
    "Use /challenge edit to preview the edit again."
)


@dataclass(frozen=True, slots=True)
class ProposedEdit:
    """A previewed edit, stored until the organizer confirms or cancels it."""

    id: int
    preview: RuleChangePreview
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class AppliedEdit:
    """A confirmed edit: the challenge before and after."""

    before: Challenge
    after: Challenge


@dataclass(frozen=True, slots=True)
class ChallengeInfo:
    """A challenge with how many members take part, and the channels Daybook cannot post in."""

    challenge: Challenge
    members: int
    problems: tuple[DeliveryProblem, ...] = ()
    """Only for organizers: members are never shown them."""
    roles: Mapping[Milestone, int] = field(default_factory=dict)
    """The role each milestone gives."""
    for_organizer: bool = True


@dataclass(frozen=True, slots=True)
class AdjustedDay:
    """An organizer's correction and what the member's ledger now says about that day."""

    challenge: Challenge
    user_id: int
    adjustment: Adjustment
    row: LedgerDay
    summary: Summary


class OrganizerService:
    """Organizers' confirmations and lookups (the caller checks that the user is an organizer)."""

    def __init__(self, db: Database, challenges: ChallengeService) -> None:
        self._db = db
        self._challenges = challenges

    async def propose_edit(
        self,
        *,
        guild_id: int,
        organizer_id: int,
        challenge: str | None,
        settings: ChallengeSettingsInput,
        rules: RulesInput,
        now: datetime,
    ) -> ProposedEdit:
        """Preview an edit and keep it for the organizer to confirm within EDIT_LIFETIME."""
        preview = await self._challenges.preview_edit(
            guild_id=guild_id, challenge=challenge, settings=settings, rules=rules, now=now
        )
        if preview.after == preview.before:
            raise InvalidInputError(
                f"That leaves {preview.before.name} as it is: give at least one new value."
            )
        async with self._db.write() as repos:
            # Housekeeping: nobody can confirm an expired edit, so there is no reason to keep it.
            await repos.pending_edits.delete_created_before(now - EDIT_LIFETIME)
            pending = await repos.pending_edits.add(
                challenge_id=preview.before.id,
                organizer_id=organizer_id,
                settings=settings.given(),
                rules=rules.given(),
                created_at=now,
            )
        return ProposedEdit(pending.id, preview, pending.created_at + EDIT_LIFETIME)

    async def confirm_edit(
        self, *, guild_id: int, pending_id: int, organizer_id: int, now: datetime
    ) -> AppliedEdit:
        """Apply a pending edit that its organizer confirmed, once."""
        applied: AppliedEdit | None = None
        async with self._db.write() as repos:
            pending = (
                await repos.pending_edits.get(pending_id) if is_storable_id(pending_id) else None
            )
            if pending is None:
                raise NotFoundError(GONE)
            if pending.organizer_id != organizer_id:
                raise NotAllowedError("Only the organizer who previewed that edit can confirm it.")
            if pending.resolution is not None:
                raise ConflictError(ALREADY[pending.resolution])
            if now - pending.created_at <= EDIT_LIFETIME:
                before = await repos.challenges.get(pending.challenge_id)
                if before is None:
                    raise NotFoundError("That challenge no longer exists.")
                after = await ChallengeService.save_edit(
                    repos,
                    guild_id=guild_id,
                    challenge_id=pending.challenge_id,
                    settings=ChallengeSettingsInput.from_given(pending.settings),
                    rules=RulesInput.from_given(pending.rules),
                    organizer_id=organizer_id,
                )
                applied = AppliedEdit(before, after)
                # Kept, marked, until it expires: a second click is told it was applied.
                await repos.pending_edits.resolve(pending_id, Resolution.CONFIRMED)
            else:
                await repos.pending_edits.delete(pending_id)
        if applied is None:
            # Raised after the commit, so the expired edit is gone for good.
            raise EditExpiredError(
                "That preview is more than 24 hours old, so nothing was changed. "
                "Use /challenge edit to preview the edit again."
            )
        log.info("pending edit %s applied to challenge %s", pending_id, applied.after.id)
        return applied

    async def cancel_edit(self, *, pending_id: int, organizer_id: int) -> None:
        """Cancel a pending edit (an expired one is gone already, which is fine).

        A second click, on Cancel or on Confirm, is told what the first one did.
        """
        async with self._db.write() as repos:
            pending = (
                await repos.pending_edits.get(pending_id) if is_storable_id(pending_id) else None
            )
            if pending is None:
                return
            if pending.organizer_id != organizer_id:
                raise NotAllowedError("Only the organizer who previewed that edit can cancel it.")
            if pending.resolution is not None:
                raise ConflictError(ALREADY[pending.resolution])
            await repos.pending_edits.resolve(pending_id, Resolution.CANCELLED)

    async def info(
        self, *, guild_id: int, challenge: str | None, for_organizer: bool = True
    ) -> ChallengeInfo:
        """Return a running challenge with its member count and milestone roles.

        Anyone may read it; only organizers get the delivery problems, which are theirs to fix.
        """
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            members = len(await repos.participants.active(current.id))
            problems = await repos.problems.of_challenge(current.id) if for_organizer else []
            roles = await repos.milestone_roles.roles(current.id)
        return ChallengeInfo(current, members, tuple(problems), roles, for_organizer)

    async def end(self, *, guild_id: int, challenge_id: int, now: datetime) -> Challenge:
        """End a challenge an organizer confirmed ending; everything logged is kept."""
        async with self._db.write() as repos:
            current = (
                await repos.challenges.get(challenge_id) if is_storable_id(challenge_id) else None
            )
            if current is None or current.guild_id != guild_id:
                raise NotFoundError("That challenge no longer exists.")
            if not current.is_active:
                raise InvalidInputError(f"{current.name} has already ended.")
            await repos.challenges.end(challenge_id, now)
            ended = await repos.challenges.get(challenge_id)
        log.info("challenge %s ended", challenge_id)
        return current if ended is None else ended

    async def adjust(
        self,
        *,
        guild_id: int,
        organizer_id: int,
        member_id: int,
        day: date,
        kind: AdjustmentKind,
        reason: str,
        challenge: str | None,
        now: datetime,
    ) -> AdjustedDay:
        """Correct one member's day and return what their ledger now says about it."""
        adjustment = await self._challenges.adjust(
            guild_id=guild_id,
            organizer_id=organizer_id,
            member_id=member_id,
            day=day,
            kind=kind,
            reason=reason,
            challenge=challenge,
            now=now,
        )
        async with self._db.read() as repos:
            participant = await repos.participants.by_id(adjustment.participant_id)
            current = (
                None
                if participant is None
                else await repos.challenges.get(participant.challenge_id)
            )
            facts = await repos.entries.day_facts(adjustment.participant_id)
        if participant is None or current is None:  # pragma: no cover - just written
            raise NotFoundError("That member is no longer taking part.")
        # The whole history, not the ledger's latest attempt: the day may be in an earlier one.
        today = member_today(participant, current, now)
        history = walk_history(
            current.rules,
            participant.start_day,
            participant.initial_day,
            facts,
            today,
            explain=True,
        )
        row = next(row for row in history.rows if row.day == day)
        return AdjustedDay(current, member_id, adjustment, row, history.summary)

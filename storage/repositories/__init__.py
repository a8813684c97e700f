"""Repositories: one method per query, each returning domain objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.changes import Changes
from storage.repositories.adjustments import AdjustmentRepository
from storage.repositories.attachments import AttachmentRepository
from storage.repositories.base import RecordNotFoundError
from storage.repositories.challenges import ChallengeRepository, MemberContext
from storage.repositories.day_rows import ClassifiedDays, DayRowRepository
from storage.repositories.entries import EntryRepository
from storage.repositories.heartbeats import Heartbeat, HeartbeatRepository
from storage.repositories.import_plans import ImportPlanRepository, PlannedDay, StoredImportPlan
from storage.repositories.milestone_roles import GrantedRole, MilestoneRoleRepository
from storage.repositories.participants import (
    ParticipantRepository,
    participant_target,
    user_target,
)
from storage.repositories.pending_edits import PendingEdit, PendingEditRepository, Resolution
from storage.repositories.problems import DeliveryProblemRepository
from storage.repositories.reminders import Recipient, ReminderRepository, ReminderSetting
from storage.repositories.sends import SendLedgerRepository, SendStatus
from storage.repositories.standings import StandingRepository, StoredStanding
from storage.repositories.tombstones import TombstoneRepository
from storage.repositories.versions import ChangeVersionRepository, Stamp

if TYPE_CHECKING:
    from storage.aio import AsyncConnection

__all__ = [
    "AdjustmentRepository",
    "AttachmentRepository",
    "ChallengeRepository",
    "ChangeVersionRepository",
    "ClassifiedDays",
    "DayRowRepository",
    "DeliveryProblemRepository",
    "EntryRepository",
    "GrantedRole",
    "Heartbeat",
    "HeartbeatRepository",
    "ImportPlanRepository",
    "MemberContext",
    "MilestoneRoleRepository",
    "ParticipantRepository",
    "PendingEdit",
    "PendingEditRepository",
    "PlannedDay",
    "Recipient",
    "RecordNotFoundError",
    "ReminderRepository",
    "ReminderSetting",
    "Repositories",
    "Resolution",
    "SendLedgerRepository",
    "SendStatus",
    "Stamp",
    "StandingRepository",
    "StoredImportPlan",
    "StoredStanding",
    "TombstoneRepository",
    "participant_target",
    "user_target",
]


@dataclass(frozen=True, slots=True)
class Repositories:
    """Every repository, bound to one transaction's connection."""

    challenges: ChallengeRepository
    participants: ParticipantRepository
    entries: EntryRepository
    adjustments: AdjustmentRepository
    standings: StandingRepository
    sends: SendLedgerRepository
    pending_edits: PendingEditRepository
    import_plans: ImportPlanRepository
    reminders: ReminderRepository
    tombstones: TombstoneRepository
    problems: DeliveryProblemRepository
    attachments: AttachmentRepository
    milestone_roles: MilestoneRoleRepository
    day_rows: DayRowRepository
    versions: ChangeVersionRepository
    heartbeats: HeartbeatRepository

    @classmethod
    def bound_to(cls, connection: AsyncConnection, changes: Changes | None = None) -> Repositories:
        """Build the bundle on a connection (inside the transaction `Database` opened)."""
        noted = Changes() if changes is None else changes
        return cls(
            challenges=ChallengeRepository(connection, noted),
            participants=ParticipantRepository(connection, noted),
            entries=EntryRepository(connection, noted),
            adjustments=AdjustmentRepository(connection, noted),
            standings=StandingRepository(connection, noted),
            sends=SendLedgerRepository(connection, noted),
            pending_edits=PendingEditRepository(connection, noted),
            import_plans=ImportPlanRepository(connection, noted),
            reminders=ReminderRepository(connection, noted),
            tombstones=TombstoneRepository(connection, noted),
            problems=DeliveryProblemRepository(connection, noted),
            attachments=AttachmentRepository(connection, noted),
            milestone_roles=MilestoneRoleRepository(connection, noted),
            day_rows=DayRowRepository(connection, noted),
            versions=ChangeVersionRepository(connection, noted),
            heartbeats=HeartbeatRepository(connection, noted),
        )

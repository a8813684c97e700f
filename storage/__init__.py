"""Persistence: SQLAlchemy Core over aiosqlite or asyncpg, returning domain objects."""

from storage.changes import ChangeListener, Changes
from storage.database import Database, UnsupportedDatabaseError, backup
from storage.migrate import current_revision, migrate
from storage.repositories import (
    MemberContext,
    PendingEdit,
    Recipient,
    RecordNotFoundError,
    ReminderSetting,
    Repositories,
    Resolution,
    SendStatus,
    StoredStanding,
)

__all__ = [
    "ChangeListener",
    "Changes",
    "Database",
    "MemberContext",
    "PendingEdit",
    "Recipient",
    "RecordNotFoundError",
    "ReminderSetting",
    "Repositories",
    "Resolution",
    "SendStatus",
    "StoredStanding",
    "UnsupportedDatabaseError",
    "backup",
    "current_revision",
    "migrate",
]

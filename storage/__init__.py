"""Persistence: SQLAlchemy Core over aiosqlite or asyncpg, returning domain objects."""

from storage.backups import (
    BackupRefusedError,
    BackupSourceMissingError,
    BackupTargetIsDirectoryError,
    BackupTargetIsLiveError,
    PgDumpFailedError,
    PgDumpMissingError,
    backup,
    backup_database,
)
from storage.changes import ChangeListener, Changes
from storage.database import Database, UnsupportedDatabaseError
from storage.migrate import (
    DatabaseMissingError,
    DatabaseRefusedError,
    ForeignDatabaseError,
    UnknownRevisionError,
    current_revision,
    describe,
    migrate,
    migrate_at_start,
)
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
    "BackupRefusedError",
    "BackupSourceMissingError",
    "BackupTargetIsDirectoryError",
    "BackupTargetIsLiveError",
    "ChangeListener",
    "Changes",
    "Database",
    "DatabaseMissingError",
    "DatabaseRefusedError",
    "ForeignDatabaseError",
    "MemberContext",
    "PendingEdit",
    "PgDumpFailedError",
    "PgDumpMissingError",
    "Recipient",
    "RecordNotFoundError",
    "ReminderSetting",
    "Repositories",
    "Resolution",
    "SendStatus",
    "StoredStanding",
    "UnknownRevisionError",
    "UnsupportedDatabaseError",
    "backup",
    "backup_database",
    "current_revision",
    "describe",
    "migrate",
    "migrate_at_start",
]

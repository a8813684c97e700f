"""Nudges: a challenge's "day ends soon" hours, and an index for the reminder tick.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


NUDGE_CHECK = "nudge_hours IS NULL OR (nudge_hours >= 1 AND nudge_hours <= 12)"


def upgrade() -> None:
    """Add challenges.nudge_hours and the index the reminder tick reads by."""
    # Not a batch (copy-and-rename) alteration: with foreign keys on, dropping the old
    # challenges table would cascade into every participant. SQLite adds a checked column
    # in place.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE challenges ADD COLUMN nudge_hours SMALLINT "
            f"CONSTRAINT ck_challenges_nudge_hours CHECK ({NUDGE_CHECK})"
        )
    else:
        op.add_column("challenges", sa.Column("nudge_hours", sa.SmallInteger(), nullable=True))
        op.create_check_constraint("ck_challenges_nudge_hours", "challenges", NUDGE_CHECK)
    op.create_index(
        "ix_participants_reminders",
        "participants",
        ["challenge_id", "timezone", "reminder_time"],
        sqlite_where=sa.text("reminder_mode != 'off' AND left_at IS NULL"),
        postgresql_where=sa.text("reminder_mode != 'off' AND left_at IS NULL"),
    )


def downgrade() -> None:
    """Drop the index and the column."""
    op.drop_index("ix_participants_reminders", table_name="participants")
    op.drop_column("challenges", "nudge_hours")

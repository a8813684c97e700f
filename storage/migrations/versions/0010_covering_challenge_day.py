"""The challenge-day index covers who posted: the digest's activity is read from the index alone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ix_entries_live_challenge_day"
_LIVE = sa.text("deleted_at IS NULL")
"""Partial on both backends, as 0001 made it (alembic's comparison does not see a WHERE)."""


def upgrade() -> None:
    """Rebuild the challenge-day index with participant_id and deleted_at after its columns."""
    op.drop_index(_NAME, table_name="entries")
    op.create_index(
        _NAME,
        "entries",
        ["challenge_id", "local_day", "participant_id", "deleted_at"],
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )


def downgrade() -> None:
    """Rebuild the challenge-day index on (challenge_id, local_day) alone."""
    op.drop_index(_NAME, table_name="entries")
    op.create_index(
        _NAME,
        "entries",
        ["challenge_id", "local_day"],
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )

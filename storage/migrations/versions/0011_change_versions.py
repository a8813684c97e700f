"""Change versions and the change log: every process's caches check them at each read.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create change_versions and change_log (empty: every cache starts at version 0)."""
    op.create_table(
        "change_versions",
        sa.Column("challenge_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("reset_at", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name="fk_change_versions_challenge_id_challenges",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("challenge_id", name="pk_change_versions"),
    )
    op.create_table(
        "change_log",
        sa.Column("challenge_id", sa.Integer, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("participant_id", sa.Integer, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name="fk_change_log_challenge_id_challenges",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("challenge_id", "version", "participant_id", name="pk_change_log"),
    )


def downgrade() -> None:
    """Drop the change log and the change versions."""
    op.drop_table("change_log")
    op.drop_table("change_versions")

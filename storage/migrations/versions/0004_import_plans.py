"""Import plans: an /import preview kept in the database until its Confirm button is pressed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the import_plans table and the index its clean-up deletes by."""
    op.create_table(
        "import_plans",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("start_day", sa.Date(), nullable=False),
        sa.Column("initial_day", sa.Integer(), nullable=False),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("days_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_plans")),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_import_plans_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_import_plans_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token", name=op.f("uq_import_plans_token")),
        sa.CheckConstraint(
            "expires_at > created_at", name=op.f("ck_import_plans_expires_after_created")
        ),
        sa.CheckConstraint("initial_day >= 1", name=op.f("ck_import_plans_initial_day")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_import_plans_expires_at", "import_plans", ["expires_at"])


def downgrade() -> None:
    """Drop the import_plans table."""
    op.drop_index("ix_import_plans_expires_at", table_name="import_plans")
    op.drop_table("import_plans")

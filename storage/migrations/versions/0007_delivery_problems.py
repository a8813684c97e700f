"""Delivery problems: channels Discord refuses, who to tell, and when a failed send is retried.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add challenges.organizer_id, send_ledger.next_attempt_at and delivery_problems."""
    # Plain ADD COLUMNs (nullable, no constraint): SQLite alters both tables in place, so no
    # copy-and-rename that would cascade through the challenges' foreign keys.
    op.add_column("challenges", sa.Column("organizer_id", sa.BigInteger(), nullable=True))
    op.add_column("send_ledger", sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
    op.create_table(
        "delivery_problems",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("refusal", sa.String(30), nullable=False),
        sa.Column("missing", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("told_at", sa.DateTime(), nullable=True),
        sa.Column("told_by_dm", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_problems")),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_delivery_problems_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "challenge_id", "channel_id", name=op.f("uq_delivery_problems_challenge_id_channel_id")
        ),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Drop the table and the two columns."""
    op.drop_table("delivery_problems")
    op.drop_column("send_ledger", "next_attempt_at")
    op.drop_column("challenges", "organizer_id")

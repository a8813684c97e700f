"""Public check-ins and milestone roles.

- `challenges.announce_checkins`: an organizer setting, on for every challenge (existing ones
  too): a member's /log and milestones get a short public line in the progress channel.
- `milestone_roles`: the role an organizer gives for a milestone of a challenge.
- `granted_roles`: the roles Daybook gave, so it takes away only roles it gave.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the setting (on) and the two role tables."""
    # A plain ADD COLUMN with a constant default: SQLite alters the table in place, so no
    # copy-and-rename that would cascade through the challenges' foreign keys.
    op.add_column(
        "challenges",
        sa.Column("announce_checkins", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.create_table(
        "milestone_roles",
        sa.Column("challenge_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("milestone", sa.String(10), nullable=False),
        sa.Column("role_id", sa.BigInteger(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_milestone_roles_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("challenge_id", "milestone", name=op.f("pk_milestone_roles")),
    )
    op.create_table(
        "granted_roles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role_id", sa.BigInteger(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_granted_roles")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_granted_roles_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "participant_id", "role_id", name=op.f("uq_granted_roles_participant_id_role_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_granted_roles_user_id", "granted_roles", ["user_id"])


def downgrade() -> None:
    """Drop the two tables and the column."""
    op.drop_index("ix_granted_roles_user_id", table_name="granted_roles")
    op.drop_table("granted_roles")
    op.drop_table("milestone_roles")
    op.drop_column("challenges", "announce_checkins")

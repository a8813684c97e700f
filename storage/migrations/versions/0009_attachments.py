"""Attachments: Daybook's own copy of each post's files (Discord's URLs expire).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add entry_attachments."""
    op.create_table(
        "entry_attachments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("filename", sa.String(100), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_attachments")),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["entries.id"],
            name=op.f("fk_entry_attachments_entry_id_entries"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "entry_id", "position", name=op.f("uq_entry_attachments_entry_id_position")
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_entry_attachments_position")),
        sa.CheckConstraint("size >= 0", name=op.f("ck_entry_attachments_size")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Drop entry_attachments (the files go with it)."""
    op.drop_table("entry_attachments")

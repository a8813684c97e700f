"""Resolutions: a confirmed or cancelled preview is kept (until it expires) with its outcome.

A second click on Confirm or Cancel then gets the honest answer ("already applied", "already
cancelled") instead of finding nothing and guessing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESOLUTION_CHECK = "resolution IS NULL OR resolution IN ('confirmed', 'cancelled')"
TABLES = ("pending_edits", "import_plans")


def upgrade() -> None:
    """Add a checked, nullable `resolution` to pending_edits and import_plans."""
    for table in TABLES:
        name = f"ck_{table}_resolution"
        # Not a batch (copy-and-rename) alteration: SQLite adds a checked column in place,
        # and copying would cascade deletes through the foreign keys (see 0003).
        if op.get_bind().dialect.name == "sqlite":
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN resolution VARCHAR(16) "
                f"CONSTRAINT {name} CHECK ({RESOLUTION_CHECK})"
            )
        else:
            op.add_column(table, sa.Column("resolution", sa.String(16), nullable=True))
            op.create_check_constraint(name, table, RESOLUTION_CHECK)


def downgrade() -> None:
    """Drop the columns (resolved previews are then indistinguishable from open ones)."""
    for table in TABLES:
        if op.get_bind().dialect.name != "sqlite":
            op.drop_constraint(f"ck_{table}_resolution", table, type_="check")
        op.drop_column(table, "resolution")

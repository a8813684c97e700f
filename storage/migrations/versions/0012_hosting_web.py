"""The public web page, stored display names and the processes' heartbeats (issue 16).

- `challenges.web_enabled` (off for every challenge, existing ones too) and `challenges.web_id`,
  the page's unguessable address, made the first time an organizer turns the page on.
- `member_settings.display_name`: the member's server name as Daybook last saw it, for a page
  served by a process without a gateway (`daybook web`).
- `heartbeats`: each bot process's last minute tick and whether its gateway is up, read by
  `daybook health` (the Docker HEALTHCHECK).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns (plain ADD COLUMNs: SQLite alters in place) and the heartbeats table."""
    op.add_column(
        "challenges",
        sa.Column("web_enabled", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("challenges", sa.Column("web_id", sa.String(32), nullable=True))
    op.create_index("ux_challenges_web_id", "challenges", ["web_id"], unique=True)
    op.add_column("member_settings", sa.Column("display_name", sa.String(100), nullable=True))
    op.create_table(
        "heartbeats",
        sa.Column("process", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ticked_at", sa.DateTime(), nullable=True),
        sa.Column("gateway_up", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("gateway_changed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("process", name=op.f("pk_heartbeats")),
    )


def downgrade() -> None:
    """Drop the table, the columns and the index."""
    op.drop_table("heartbeats")
    op.drop_column("member_settings", "display_name")
    op.drop_index("ux_challenges_web_id", table_name="challenges")
    op.drop_column("challenges", "web_id")
    op.drop_column("challenges", "web_enabled")

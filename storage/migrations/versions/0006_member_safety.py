"""Member safety: visibility that outlives membership, message tombstones, canonical zones.

- `member_settings`: a member's visibility in a server, apart from their participations (it
  used to be `participants.hidden`, lost with the participation's relevance once they left).
  A member hidden in any challenge of a server is hidden in all of it: privacy wins.
- `message_tombstones`: channel posts deleted before their entry was stored.
- Stored zones are made canonical where tzdata says what they stand for ('right/Europe/London'
  and 'posix/Europe/London' are 'Europe/London'; 'US/Pacific-New' was a link to
  'America/Los_Angeles' until tzdata 2020b). Names with no such answer ('localtime', say) are
  left alone: the bot reports them to their member at run time.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import available_timezones

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here rather than imported: a migration must mean the same thing forever.
_FOLDERS = ("posix/", "right/")
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
_RETIRED = {
    "US/Pacific-New": "America/Los_Angeles",
    "Canada/East-Saskatchewan": "America/Regina",
}
_ZONE_COLUMNS = (("challenges", "timezone"), ("participants", "timezone"))
_ZONE_HISTORY = ("participant_zones", "timezone")


def _canonical(name: str, zones: frozenset[str]) -> str | None:
    """Return the real zone a stored name stands for, when it is not one itself."""
    if name in zones:
        return None
    cleaned = name
    for folder in _FOLDERS:
        if cleaned.startswith(folder):
            cleaned = cleaned[len(folder) :]
    cleaned = _RETIRED.get(cleaned, cleaned)
    return cleaned if cleaned != name and cleaned in zones else None


def _canonicalise_zones() -> None:
    """Rewrite stored zones that stand for a real zone; leave the others for the run-time report."""
    bind = op.get_bind()
    zones = frozenset(
        name
        for name in available_timezones()
        if name not in _NOT_ZONES and not name.startswith(_FOLDERS)
    )
    for name, column in (*_ZONE_COLUMNS, _ZONE_HISTORY):
        table = sa.table(name, sa.column(column, sa.String()))
        stored = bind.execute(sa.select(table.c[column]).distinct()).scalars()
        for zone in list(stored):
            found = _canonical(zone, zones)
            if found is not None:
                bind.execute(table.update().where(table.c[column] == zone).values({column: found}))


def upgrade() -> None:
    """Create member_settings (filled from participants.hidden) and message_tombstones."""
    op.create_table(
        "member_settings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_member_settings")),
    )
    op.get_bind().execute(
        sa.text(
            "INSERT INTO member_settings (guild_id, user_id, hidden) "
            "SELECT guild_id, user_id, :hidden FROM participants WHERE hidden "
            "GROUP BY guild_id, user_id"
        ).bindparams(sa.bindparam("hidden", True, type_=sa.Boolean()))
    )
    # In place on SQLite (3.35+): a copy-and-rename of participants, with foreign keys on,
    # would cascade into every entry.
    op.drop_column("participants", "hidden")
    op.create_table(
        "message_tombstones",
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_message_tombstones")),
    )
    op.create_index(
        "ix_message_tombstones_deleted_at", "message_tombstones", ["deleted_at"], unique=False
    )
    _canonicalise_zones()


def downgrade() -> None:
    """Put visibility back on participants and drop the new tables (zones stay canonical)."""
    op.drop_index("ix_message_tombstones_deleted_at", table_name="message_tombstones")
    op.drop_table("message_tombstones")
    op.add_column(
        "participants",
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.get_bind().execute(
        sa.text(
            "UPDATE participants SET hidden = :hidden WHERE EXISTS (SELECT 1 FROM member_settings "
            "WHERE member_settings.guild_id = participants.guild_id "
            "AND member_settings.user_id = participants.user_id AND member_settings.hidden)"
        ).bindparams(sa.bindparam("hidden", True, type_=sa.Boolean()))
    )
    op.drop_table("member_settings")

"""Initial schema: challenges, participants, zones, entries, adjustments, standings, sends.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "deleted_at IS NULL"


def upgrade() -> None:
    """Create every table and index of the first release."""
    op.create_table(
        "challenges",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("preset", sa.String(40), nullable=True),
        sa.Column("hashtag", sa.String(100), nullable=True),
        sa.Column("rules_json", sa.Text(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("progress_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("digest_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("digest_weekday", sa.SmallInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("digest_time", sa.String(5), nullable=False, server_default="09:00"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenges")),
        sa.CheckConstraint(
            "digest_weekday >= 0 AND digest_weekday <= 6",
            name=op.f("ck_challenges_digest_weekday"),
        ),
        sa.CheckConstraint(
            "length(digest_time) = 5 AND substr(digest_time, 3, 1) = ':'",
            name=op.f("ck_challenges_digest_time"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ux_challenges_active_name",
        "challenges",
        ["guild_id", "name"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )

    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("start_day", sa.Date(), nullable=False),
        sa.Column("initial_day", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("reminder_time", sa.String(5), nullable=True),
        sa.Column("reminder_mode", sa.String(10), nullable=False, server_default="off"),
        sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_participants_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "challenge_id", "user_id", name=op.f("uq_participants_challenge_id_user_id")
        ),
        sa.CheckConstraint(
            "initial_day >= 1 AND initial_day <= 1000", name=op.f("ck_participants_initial_day")
        ),
        sa.CheckConstraint(
            "reminder_time IS NULL OR "
            "(length(reminder_time) = 5 AND substr(reminder_time, 3, 1) = ':')",
            name=op.f("ck_participants_reminder_time"),
        ),
        sa.CheckConstraint(
            "reminder_mode IN ('channel', 'dm', 'off')", name=op.f("ck_participants_reminder_mode")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_participants_guild_id_user_id", "participants", ["guild_id", "user_id"])

    op.create_table(
        "participant_zones",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("effective_from", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_zones")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_zones_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "participant_id",
            "effective_from",
            name=op.f("uq_participant_zones_participant_id_effective_from"),
        ),
        sqlite_autoincrement=True,
    )

    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_day", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("words", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("has_link", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("tags_json", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("links_json", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("attachments_json", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("import_key", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entries")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_entries_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_entries_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("message_id", name=op.f("uq_entries_message_id")),
        sa.UniqueConstraint(
            "participant_id", "import_key", name=op.f("uq_entries_participant_id_import_key")
        ),
        sa.CheckConstraint("length(text) <= 4000", name=op.f("ck_entries_text_length")),
        sa.CheckConstraint(
            "minutes IS NULL OR (minutes >= 0 AND minutes <= 1440)",
            name=op.f("ck_entries_minutes"),
        ),
        sa.CheckConstraint("words >= 0", name=op.f("ck_entries_words")),
        sa.CheckConstraint(
            "source IN ('command', 'channel', 'import')", name=op.f("ck_entries_source")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_entries_live_day_facts",
        "entries",
        ["participant_id", "local_day", "minutes", "words", "has_link", "source", "deleted_at"],
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )
    op.create_index(
        "ix_entries_live_challenge_day",
        "entries",
        ["challenge_id", "local_day"],
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )

    op.create_table(
        "adjustments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("organizer_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjustments")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_adjustments_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "kind IN ('count', 'excuse', 'discount')", name=op.f("ck_adjustments_kind")
        ),
        sa.CheckConstraint("length(reason) >= 1", name=op.f("ck_adjustments_reason_length")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_adjustments_participant_id_day", "adjustments", ["participant_id", "day"])

    op.create_table(
        "standings",
        sa.Column("participant_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("through_day", sa.Date(), nullable=False),
        sa.Column("state_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_standings")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_standings_participant_id_participants"),
            ondelete="CASCADE",
        ),
    )

    op.create_table(
        "send_ledger",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_ledger")),
        sa.UniqueConstraint(
            "kind", "target", "period", name=op.f("uq_send_ledger_kind_target_period")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'skipped')", name=op.f("ck_send_ledger_status")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_send_ledger_attempts")),
    )


def downgrade() -> None:
    """Drop everything the upgrade created."""
    op.drop_table("send_ledger")
    op.drop_table("standings")
    op.drop_index("ix_adjustments_participant_id_day", table_name="adjustments")
    op.drop_table("adjustments")
    op.drop_index("ix_entries_live_challenge_day", table_name="entries")
    op.drop_index("ix_entries_live_day_facts", table_name="entries")
    op.drop_table("entries")
    op.drop_table("participant_zones")
    op.drop_index("ix_participants_guild_id_user_id", table_name="participants")
    op.drop_table("participants")
    op.drop_index("ux_challenges_active_name", table_name="challenges")
    op.drop_table("challenges")

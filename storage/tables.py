"""The schema: SQLAlchemy Core tables, portable between SQLite and PostgreSQL.

Invariants live here (unique keys, foreign keys, checks) so that no code path can break them.
Every change to this module needs a new Alembic revision in `storage/migrations/versions/`
(the test suite compares the migrated schema with this metadata).
"""

from __future__ import annotations

import sqlalchemy as sa

from storage.types import UTCDateTime

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

# Partial indexes name their condition once, as `sqlite_where`: `postgresql_where` is added by
# `add_postgresql_options()` when a PostgreSQL engine is made, because naming any `postgresql_*`
# option loads that whole dialect (about 0.2 s), which a bot on SQLite never needs.

# sqlite_autoincrement: SQLite's AUTOINCREMENT never hands out the id of a deleted row again, so
# an id kept elsewhere (a button's custom_id, a send-ledger target) never points at another row.


def _hh_mm(column: str) -> str:
    """Return a portable CHECK expression for an HH:MM text column."""
    return f"length({column}) = 5 AND substr({column}, 3, 1) = ':'"


challenges = sa.Table(
    "challenges",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guild_id", sa.BigInteger, nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("preset", sa.String(40), nullable=True),
    sa.Column("hashtag", sa.String(100), nullable=True),
    sa.Column("rules_json", sa.Text, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("progress_channel_id", sa.BigInteger, nullable=True),
    sa.Column("digest_channel_id", sa.BigInteger, nullable=True),
    sa.Column("digest_weekday", sa.SmallInteger, nullable=False, server_default=sa.text("0")),
    sa.Column("digest_time", sa.String(5), nullable=False, server_default="09:00"),
    sa.Column("nudge_hours", sa.SmallInteger, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=True),
    # Who created or last edited the challenge: the organizer told about delivery problems.
    sa.Column("organizer_id", sa.BigInteger, nullable=True),
    # Whether a member's /log and milestones get a short public line in the progress channel.
    sa.Column("announce_checkins", sa.Boolean, nullable=False, server_default=sa.true()),
    # The public web page (issue 16): off until an organizer turns it on. `web_id` is the page's
    # unguessable address, made the first time it is turned on and kept, so the URL is stable.
    sa.Column("web_enabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("web_id", sa.String(32), nullable=True),
    sa.CheckConstraint("digest_weekday >= 0 AND digest_weekday <= 6", name="digest_weekday"),
    sa.CheckConstraint(_hh_mm("digest_time"), name="digest_time"),
    sa.CheckConstraint(
        "nudge_hours IS NULL OR (nudge_hours >= 1 AND nudge_hours <= 12)", name="nudge_hours"
    ),
    sa.Index("ux_challenges_web_id", "web_id", unique=True),
    sa.Index(
        "ux_challenges_active_name",
        "guild_id",
        "name",
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
    ),
    sqlite_autoincrement=True,
)

participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "challenge_id",
        sa.Integer,
        sa.ForeignKey("challenges.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("guild_id", sa.BigInteger, nullable=False),
    sa.Column("user_id", sa.BigInteger, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("start_day", sa.Date, nullable=False),
    sa.Column("initial_day", sa.Integer, nullable=False, server_default=sa.text("1")),
    sa.Column("reminder_time", sa.String(5), nullable=True),
    sa.Column("reminder_mode", sa.String(10), nullable=False, server_default="off"),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.Column("left_at", UTCDateTime, nullable=True),
    sa.UniqueConstraint("challenge_id", "user_id"),
    sa.CheckConstraint("initial_day >= 1 AND initial_day <= 1000", name="initial_day"),
    sa.CheckConstraint(
        f"reminder_time IS NULL OR ({_hh_mm('reminder_time')})", name="reminder_time"
    ),
    sa.CheckConstraint("reminder_mode IN ('channel', 'dm', 'off')", name="reminder_mode"),
    sa.Index("ix_participants_guild_id_user_id", "guild_id", "user_id"),
    # The reminder tick reads members with reminders on, by challenge, zone and time.
    sa.Index(
        "ix_participants_reminders",
        "challenge_id",
        "timezone",
        "reminder_time",
        sqlite_where=sa.text("reminder_mode != 'off' AND left_at IS NULL"),
    ),
    sqlite_autoincrement=True,
)

member_settings = sa.Table(
    "member_settings",
    metadata,
    # A member's own choices in a server, kept apart from their participations so that they
    # outlive them: a member who hid and then left stays hidden in every digest and board.
    sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
    # The member's server display name as Daybook last saw it (a command, a post, a board it
    # drew), for the public page served without a gateway. Gone with /forget-me.
    sa.Column("display_name", sa.String(100), nullable=True),
)

participant_zones = sa.Table(
    "participant_zones",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "participant_id",
        sa.Integer,
        sa.ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("effective_from", UTCDateTime, nullable=False),
    sa.UniqueConstraint("participant_id", "effective_from"),
    sqlite_autoincrement=True,
)

entries = sa.Table(
    "entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "participant_id",
        sa.Integer,
        sa.ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "challenge_id",
        sa.Integer,
        sa.ForeignKey("challenges.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("user_id", sa.BigInteger, nullable=False),
    sa.Column("local_day", sa.Date, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("minutes", sa.Integer, nullable=True),
    sa.Column("words", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("has_link", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("tags_json", sa.Text, nullable=False, server_default="[]"),
    sa.Column("links_json", sa.Text, nullable=False, server_default="[]"),
    sa.Column("attachments_json", sa.Text, nullable=False, server_default="[]"),
    sa.Column("source", sa.String(10), nullable=False),
    sa.Column("message_id", sa.BigInteger, nullable=True),
    sa.Column("channel_id", sa.BigInteger, nullable=True),
    sa.Column("import_key", sa.String(64), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("edited_at", UTCDateTime, nullable=True),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
    sa.UniqueConstraint("message_id"),
    sa.UniqueConstraint("participant_id", "import_key"),
    sa.CheckConstraint("length(text) <= 4000", name="text_length"),
    sa.CheckConstraint("minutes IS NULL OR (minutes >= 0 AND minutes <= 1440)", name="minutes"),
    sa.CheckConstraint("words >= 0", name="words"),
    sa.CheckConstraint("source IN ('command', 'channel', 'import')", name="source"),
    # Covering index: day facts are answered from the index alone, without the rows' text.
    # deleted_at (always NULL in it) is listed too: without it SQLite 3.40 still reads every
    # row to test the WHERE, and the plan is "USING INDEX" rather than "USING COVERING INDEX".
    sa.Index(
        "ix_entries_live_day_facts",
        "participant_id",
        "local_day",
        "minutes",
        "words",
        "has_link",
        "source",
        "deleted_at",
        sqlite_where=sa.text("deleted_at IS NULL"),
    ),
    # A challenge's live posts by day, and who posted (the digest's daily activity, the first
    # board's days since the checkpoints, the reminders' totals of today), from the index alone:
    # participant_id makes it covering for them, and deleted_at is listed for the reason above.
    sa.Index(
        "ix_entries_live_challenge_day",
        "challenge_id",
        "local_day",
        "participant_id",
        "deleted_at",
        sqlite_where=sa.text("deleted_at IS NULL"),
    ),
    sqlite_autoincrement=True,
)

NEW_ENTRY_COLUMNS = tuple(
    column.name for column in entries.c if column.name not in {"id", "edited_at", "deleted_at"}
)
"""The columns a new entry is written with: the database gives its id, and it is neither edited
nor deleted yet (the record's own insert and the benches' raw-driver baselines use these)."""

adjustments = sa.Table(
    "adjustments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "participant_id",
        sa.Integer,
        sa.ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("organizer_id", sa.BigInteger, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("kind IN ('count', 'excuse', 'discount')", name="kind"),
    sa.CheckConstraint("length(reason) >= 1", name="reason_length"),
    sa.Index("ix_adjustments_participant_id_day", "participant_id", "day"),
    sqlite_autoincrement=True,
)

standings = sa.Table(
    "standings",
    metadata,
    sa.Column(
        "participant_id",
        sa.Integer,
        sa.ForeignKey("participants.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("through_day", sa.Date, nullable=False),
    sa.Column("state_json", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

send_ledger = sa.Table(
    "send_ledger",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("target", sa.String(64), nullable=False),
    sa.Column("period", sa.String(20), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # When a failed send may be tried again (exponential backoff); None: at once.
    sa.Column("next_attempt_at", UTCDateTime, nullable=True),
    sa.UniqueConstraint("kind", "target", "period"),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'skipped')", name="status"),
    sa.CheckConstraint("attempts >= 0", name="attempts"),
)

RESOLUTION_CHECK = "resolution IS NULL OR resolution IN ('confirmed', 'cancelled')"

pending_edits = sa.Table(
    "pending_edits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "challenge_id",
        sa.Integer,
        sa.ForeignKey("challenges.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("organizer_id", sa.BigInteger, nullable=False),
    # The organizer's input as given (None for "unchanged" left out); re-validated on confirm.
    sa.Column("settings_json", sa.Text, nullable=False),
    sa.Column("rules_json", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # Set when the organizer confirmed or cancelled it; kept until it expires, so a second
    # click is told what happened.
    sa.Column("resolution", sa.String(16), nullable=True),
    sa.CheckConstraint(RESOLUTION_CHECK, name="resolution"),
    sqlite_autoincrement=True,
)

import_plans = sa.Table(
    "import_plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # The name on the Confirm button (random, so a button never answers for another plan).
    sa.Column("token", sa.String(32), nullable=False),
    sa.Column("guild_id", sa.BigInteger, nullable=False),
    sa.Column(
        "challenge_id",
        sa.Integer,
        sa.ForeignKey("challenges.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "participant_id",
        sa.Integer,
        sa.ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("user_id", sa.BigInteger, nullable=False),
    # Where the member's start moves to, and the local day the plan was worked out on.
    sa.Column("start_day", sa.Date, nullable=False),
    sa.Column("initial_day", sa.Integer, nullable=False),
    sa.Column("today", sa.Date, nullable=False),
    # The days to store, oldest first, as one JSON list: a single row to write and read back,
    # even for the largest plan (5,000 days, a few MB at most).
    sa.Column("days_json", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    # Set when the member confirmed or cancelled it (the days are then dropped); kept until it
    # expires, so a second click is told what happened.
    sa.Column("resolution", sa.String(16), nullable=True),
    sa.UniqueConstraint("token"),
    sa.CheckConstraint(RESOLUTION_CHECK, name="resolution"),
    sa.CheckConstraint("expires_at > created_at", name="expires_after_created"),
    sa.CheckConstraint("initial_day >= 1", name="initial_day"),
    sa.Index("ix_import_plans_expires_at", "expires_at"),
    sqlite_autoincrement=True,
)

message_tombstones = sa.Table(
    "message_tombstones",
    metadata,
    # A channel post deleted before its entry was stored: the late write finds it here and is
    # dropped. Kept a day (a write is late by seconds), removed by the next deletion after that.
    sa.Column("message_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("deleted_at", UTCDateTime, nullable=False),
    sa.Index("ix_message_tombstones_deleted_at", "deleted_at"),
)

delivery_problems = sa.Table(
    "delivery_problems",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "challenge_id",
        sa.Integer,
        sa.ForeignKey("challenges.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # The channel Discord refused: a challenge's progress or digest channel.
    sa.Column("channel_id", sa.BigInteger, nullable=False),
    sa.Column("refusal", sa.String(30), nullable=False),
    # The permissions found missing, comma-separated ("" when Discord did not say which).
    sa.Column("missing", sa.String(200), nullable=False),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("since", UTCDateTime, nullable=False),
    # When the organizer was told (by DM, or left to /challenge info when that failed).
    sa.Column("told_at", UTCDateTime, nullable=True),
    sa.Column("told_by_dm", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("challenge_id", "channel_id"),
    sqlite_autoincrement=True,
)

entry_attachments = sa.Table(
    "entry_attachments",
    metadata,
    # Daybook's own copy of a post's files: Discord's attachment URLs expire. Kept in the
    # database, which backups copy and every process shares; deleted with the entry's row.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "entry_id",
        sa.Integer,
        sa.ForeignKey("entries.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("position", sa.SmallInteger, nullable=False),
    sa.Column("filename", sa.String(100), nullable=False),
    sa.Column("content_type", sa.String(100), nullable=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.UniqueConstraint("entry_id", "position"),
    sa.CheckConstraint("position >= 0", name="position"),
    sa.CheckConstraint("size >= 0", name="size"),
    sqlite_autoincrement=True,
)

milestone_roles = sa.Table(
    "milestone_roles",
    metadata,
    # The role an organizer gives for a milestone of a challenge (one role per milestone).
    sa.Column(
        "challenge_id",
        sa.Integer,
        sa.ForeignKey("challenges.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("milestone", sa.String(10), primary_key=True),
    sa.Column("role_id", sa.BigInteger, nullable=False),
    sa.Column("set_at", UTCDateTime, nullable=False),
)

granted_roles = sa.Table(
    "granted_roles",
    metadata,
    # Roles Daybook gave a member for a milestone: the only roles it ever takes away again.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "participant_id",
        sa.Integer,
        sa.ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("guild_id", sa.BigInteger, nullable=False),
    sa.Column("user_id", sa.BigInteger, nullable=False),
    sa.Column("role_id", sa.BigInteger, nullable=False),
    # The round and attempt it was earned in: an attempt that is lost takes its roles along.
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("granted_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("participant_id", "role_id"),
    sa.Index("ix_granted_roles_user_id", "user_id"),
    sqlite_autoincrement=True,
)


def add_postgresql_options() -> None:
    """Give every partial index its condition on PostgreSQL too (the same as on SQLite)."""
    for table in metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is not None:
                index.dialect_kwargs["postgresql_where"] = where


# What changed, by challenge, for the caches of every process (storage.versions): a version
# bumped by each write transaction that changed the challenge, and which members' days changed
# at which version. A cache checks them in the same snapshot as its read.
change_versions = sa.Table(
    "change_versions",
    metadata,
    sa.Column(
        "challenge_id",
        sa.Integer,
        sa.ForeignKey("challenges.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("version", sa.BigInteger, nullable=False),
    # A cache holding an older version drops the whole challenge: its settings or members
    # changed then, or the log before it was pruned.
    sa.Column("reset_at", sa.BigInteger, nullable=False),
)

change_log = sa.Table(
    "change_log",
    metadata,
    sa.Column(
        "challenge_id",
        sa.Integer,
        sa.ForeignKey("challenges.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("version", sa.BigInteger, primary_key=True),
    # No foreign key: a forgotten member's rows stay until pruned, naming nobody.
    sa.Column("participant_id", sa.Integer, primary_key=True, autoincrement=False),
)


# Each bot process's liveness, for `daybook health` (the Docker HEALTHCHECK): written by the
# scheduler's minute tick and when the gateway connects or drops. One row a process, keyed by
# the shards it runs ("all" for a whole bot in one process).
heartbeats = sa.Table(
    "heartbeats",
    metadata,
    sa.Column("process", sa.String(64), primary_key=True),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("ticked_at", UTCDateTime, nullable=True),
    sa.Column("gateway_up", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("gateway_changed_at", UTCDateTime, nullable=True),
    sa.Column("version", sa.String(40), nullable=False),
)

"""Schema migrations, run programmatically: the bot at start and `daybook migrate` call them.

`migrate` creates or upgrades the database: it is what an operator runs on purpose.
`migrate_at_start` is what the bot runs when it starts, and it never replaces a database
silently: it creates one only where none ever was (a first start), and refuses to start when a
SQLite file Daybook created is missing or empty, when the database holds tables but not
Daybook's, or when it is at a revision this version does not know.

How it knows a SQLite database existed before: a marker file beside it (`daybook.db.created`
beside `daybook.db`), written when Daybook creates or first upgrades the database, and the
SQLite journal files a database leaves beside itself. A data folder that merely holds other
files is not taken as a sign: the database may share its folder (a project folder, the demo's).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from storage.database import create_engine, is_sqlite_memory, normalise_url, prepare_sqlite_file

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (and through it Mako and Pygments) is imported inside the functions that migrate: the
# bot imports this module at every start, and it migrates once.

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

MARKER_SUFFIX = ".created"
MIGRATION_LOCK = 0x6461_7962_6F6F_6B00  # "daybook\0": PostgreSQL's advisory lock key for migrating
# What SQLite leaves beside a database file: a sign that one was there.
_SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
_MARKER_TEXT = (
    "Daybook created or upgraded the database {name} in this folder.\n"
    "While this file is here and {name} is missing or empty, `daybook run` refuses to start\n"
    "rather than begin again on an empty database. Restore {name} from a backup, or run\n"
    "`daybook migrate` to create a new one (it rewrites this file).\n"
)


class DatabaseRefusedError(Exception):
    """Start-up found a database it must not create over or upgrade; subclasses say why."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class DatabaseMissingError(DatabaseRefusedError):
    """A SQLite file Daybook created (as `evidence` shows) is missing or empty."""

    def __init__(self, location: str, evidence: Path, since: datetime | None) -> None:
        super().__init__(location)
        self.evidence = evidence
        self.since = since


class ForeignDatabaseError(DatabaseRefusedError):
    """The database holds tables, but not Daybook's: some other application's, or a wrong URL."""

    def __init__(self, location: str, tables: tuple[str, ...]) -> None:
        super().__init__(location)
        self.tables = tables


class UnknownRevisionError(DatabaseRefusedError):
    """The database is at a revision these migrations do not define (a newer Daybook's)."""

    def __init__(self, location: str, revision: str) -> None:
        super().__init__(location)
        self.revision = revision


@dataclass(frozen=True)
class _Place:
    """Where the database is: the URL shown to operators and, for SQLite, the file."""

    location: str
    file: Path | None

    @classmethod
    def of(cls, url: URL) -> _Place:
        """Return the place of a parsed URL."""
        return cls(describe(url), sqlite_file(url))


def describe(url: str | URL) -> str:
    """Return where a database is, for operators: a SQLite file's path, or the URL sans password."""
    parsed = normalise_url(url)
    file = sqlite_file(parsed)
    if file is not None:
        return str(file)
    return parsed.render_as_string(hide_password=True)


def sqlite_file(url: URL) -> Path | None:
    """Return the absolute path of a SQLite database file; None for memory or other databases."""
    if url.get_backend_name() != "sqlite" or is_sqlite_memory(url) or not url.database:
        return None
    return Path(url.database).expanduser().absolute()


def marker_path(file: Path) -> Path:
    """Return the marker file that records Daybook created the database `file`."""
    return file.with_name(file.name + MARKER_SUFFIX)


def alembic_config(url: str | URL | None = None) -> Config:
    """Return an Alembic configuration for Daybook's migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        # ConfigParser reads "%" as interpolation; URLs escape passwords with it.
        rendered = normalise_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def _revision(connection: Connection) -> str | None:
    """Return the revision the connected database is at."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(
    connection: Connection, place: _Place, *, starting: bool
) -> tuple[tuple[str, ...], str | None]:
    """Check and upgrade the connected database; return its revisions before and after."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    if connection.dialect.name == "postgresql":
        # Several processes of one deployment start together and each upgrades at start: one
        # upgrades while the others wait here, then find the schema at head. Without the lock
        # they ran the same CREATE TABLEs at once and all but one crashed. Held until commit.
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    revisions = MigrationContext.configure(connection).get_current_heads()
    known = {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }
    for revision in revisions:
        if revision not in known:
            raise UnknownRevisionError(place.location, revision)
    if starting and not revisions:
        tables = tuple(sorted(sa.inspect(connection).get_table_names()))
        if tables:
            raise ForeignDatabaseError(place.location, tables)
        # An empty file where Daybook created a database was replaced: not a first start. (Only
        # the marker counts here: this connection has just made SQLite's journal files.)
        _refuse_if_marked(place)
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    return revisions, _revision(connection)


def _refuse_if_marked(place: _Place) -> None:
    """Raise DatabaseMissingError if the marker shows Daybook created a database file here."""
    if place.file is None:
        return
    marker = marker_path(place.file)
    if marker.exists():
        since = datetime.fromtimestamp(marker.stat().st_mtime, UTC)
        raise DatabaseMissingError(place.location, marker, since)


def _refuse_if_one_existed(place: _Place) -> None:
    """Raise DatabaseMissingError if a database file was here before (marker or journals)."""
    _refuse_if_marked(place)
    if place.file is None:
        return
    for suffix in _SQLITE_SIDECARS:
        leftover = place.file.with_name(place.file.name + suffix)
        if leftover.exists():
            raise DatabaseMissingError(place.location, leftover, None)


async def migrate(url: str | URL) -> str:
    """Bring the database at `url` to the newest schema (creating it) and return the revision."""
    return await _migrate(normalise_url(url), starting=False)


async def migrate_at_start(url: str | URL) -> str:
    """Upgrade the database at `url` as the bot starts; create one only on a first start.

    Raises a DatabaseRefusedError, and changes nothing, when the database is not one to create
    or upgrade here (see the module's docstring).
    """
    return await _migrate(normalise_url(url), starting=True)


async def _migrate(parsed: URL, *, starting: bool) -> str:
    """Upgrade (or create) the database; at start, refuse what `migrate_at_start` refuses."""
    place = _Place.of(parsed)
    if starting and place.file is not None and not place.file.exists():
        _refuse_if_one_existed(place)
    prepare_sqlite_file(parsed)
    engine = create_engine(parsed, writer=True)
    try:
        # One transaction for every pending revision: a failed upgrade changes nothing.
        async with engine.begin() as connection:
            before, revision = await connection.run_sync(_upgrade, place, starting=starting)
    finally:
        await engine.dispose()
    if revision is None:  # pragma: no cover - only if the migrations folder were empty
        raise RuntimeError("the migrations produced no revision")
    if place.file is not None:
        _mark(place.file, rewrite=not before)
    # One INFO line when something changed, none when nothing did: the bot migrates at every
    # start, and `daybook migrate` prints its own result. (Alembic's lines show at DEBUG.)
    if not before:
        log.info("created the database's tables at %s (revision %s)", place.location, revision)
    elif before != (revision,):
        log.info("database upgraded from %s to %s", ", ".join(before), revision)
    else:
        log.debug("database schema at revision %s, the newest", revision)
    return revision


def _mark(file: Path, *, rewrite: bool) -> None:
    """Write the marker beside a database file (a new database's replaces an old marker)."""
    marker = marker_path(file)
    if marker.exists() and not rewrite:
        return
    try:
        marker.write_text(_MARKER_TEXT.format(name=file.name), encoding="utf-8")
    except OSError as error:
        # Not fatal: without it, a missing file is taken for a first start, as before.
        log.warning("could not write %s (%s)", marker, error.strerror or error)


async def current_revision(url: str | URL) -> str | None:
    """Return the revision the database at `url` is at; None when it was never migrated."""
    parsed = normalise_url(url)
    if _missing_sqlite_file(parsed):
        return None  # do not create an empty file just to look at it
    engine = create_engine(parsed, writer=False)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_revision)
    finally:
        await engine.dispose()


def _missing_sqlite_file(url: URL) -> bool:
    """Whether a URL names a SQLite database file that does not exist."""
    if url.get_backend_name() != "sqlite" or is_sqlite_memory(url):
        return False
    return not url.database or not Path(url.database).expanduser().exists()


def known_revision(revision: str) -> bool:
    """Whether this version's migrations define `revision` (a newer Daybook's is unknown)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return any(script.revision == revision for script in scripts.walk_revisions())


def head_revision() -> str:
    """Return the newest revision the migrations define."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - only if the migrations folder were empty
        raise RuntimeError("no migrations found")
    return head

"""Backups: a consistent copy of the live database, written whole or not at all.

SQLite is copied online with `VACUUM INTO` (one snapshot while writes carry on); PostgreSQL is
dumped with `pg_dump` (custom format: restore with `pg_restore`). Either way the copy is written
under a temporary `.partial` name and renamed when whole, and the temporary file is removed if
anything fails, so a failed backup leaves nothing behind and never touches an older copy.
Refusals come first and change nothing: a folder as the target, the live database as the
target, a source that holds no Daybook database.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

from storage.database import Database, UnsupportedDatabaseError, is_sqlite_memory, normalise_url
from storage.migrate import MARKER_SUFFIX, current_revision, describe, sqlite_file

log = logging.getLogger(__name__)

# The live database's own files: none of them may be overwritten by its copy.
_LIVE_SUFFIXES = ("", "-wal", "-shm", "-journal", MARKER_SUFFIX)
# asyncpg's name for a libpq connection parameter that pg_dump knows by another.
_LIBPQ_NAMES = {"ssl": "sslmode"}


class BackupRefusedError(Exception):
    """The backup was refused before anything was written; subclasses say why."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class BackupTargetIsDirectoryError(BackupRefusedError):
    """The target is a folder; a backup is one file."""


class BackupTargetIsLiveError(BackupRefusedError):
    """The target is the live database itself (or one of its files), after resolving links."""


class BackupTargetNotAFileError(BackupRefusedError):
    """The target exists and is not a plain file (a device, a pipe, a link): never replaced."""


class BackupWriteError(Exception):
    """The copy could not be written where it was asked for (`detail` says why)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class BackupSourceMissingError(BackupRefusedError):
    """There is no Daybook database where the settings point (`path` is where it looked)."""

    def __init__(self, path: Path, location: str) -> None:
        super().__init__(path)
        self.location = location


class PgDumpMissingError(Exception):
    """A PostgreSQL backup needs `pg_dump`, and it is not on PATH."""


class PgDumpFailedError(Exception):
    """`pg_dump` ran and failed; `detail` is what it said last."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


async def backup_database(url: str | URL, path: str | os.PathLike[str]) -> Path:
    """Back up the Daybook database at `url` to the file `path` (replacing it); return it."""
    parsed = normalise_url(url)
    location = describe(parsed)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and is_sqlite_memory(parsed):
        raise UnsupportedDatabaseError("an in-memory SQLite database has nothing to back up")
    if backend not in {"sqlite", "postgresql"}:
        raise UnsupportedDatabaseError(f"backups cover SQLite and PostgreSQL, not {backend}")
    target = _target(path, sqlite_file(parsed))
    # Looked at before opening: opening a missing SQLite file would create an empty one.
    if await current_revision(parsed) is None:
        raise BackupSourceMissingError(target, location)
    if backend == "postgresql":
        return await _pg_dump(parsed, target)
    db = await Database.open(parsed)
    try:
        return await backup(db, target)
    finally:
        await db.close()


async def backup(db: Database, path: str | os.PathLike[str]) -> Path:
    """Write a consistent copy of a live SQLite database to `path` (replacing it) and return it."""
    live = sqlite_file(db.url)
    if db.dialect != "sqlite" or live is None:
        raise UnsupportedDatabaseError(
            "backup() copies SQLite database files only; back up PostgreSQL with pg_dump."
        )
    target = _target(path, live)
    partial = _partial(target)
    try:
        # VACUUM INTO cannot run inside a transaction, so it goes straight to a reader's raw
        # aiosqlite connection (isolation_level None: no implicit BEGIN). It copies one snapshot
        # while writes carry on. The reader pool is this module's to borrow: same package.
        async with db._reader.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            if driver is None:  # pragma: no cover - only after the connection was invalidated
                raise RuntimeError("the database connection is closed")
            # query_only also forbids writing the copy; lift it for this statement only.
            await driver.execute("PRAGMA query_only=OFF")
            try:
                await driver.execute("VACUUM INTO ?", (str(partial),))
            except sqlite3.Error as error:
                # SQLite names the copy it could not open or write: the target's fault, not
                # the live database's.
                raise BackupWriteError(target, str(error)) from error
            finally:
                await driver.execute("PRAGMA query_only=ON")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    log.info("backed up database to %s", target)
    return target


def _target(path: str | os.PathLike[str], live: Path | None) -> Path:
    """Return the backup's absolute path, refusing what must never be replaced.

    That is a folder, the live database's own files, and a device, a pipe or a link.
    """
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise BackupTargetIsDirectoryError(target)
    if live is not None:
        resolved = target.resolve()
        for suffix in _LIVE_SUFFIXES:
            own = live.with_name(live.name + suffix)
            if resolved == own.resolve() or (
                target.exists() and own.exists() and target.samefile(own)
            ):
                raise BackupTargetIsLiveError(target)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        # os.replace would put a regular file where a device (/dev/null), a pipe or a link
        # was: as root, `backup /dev/null` would destroy the device.
        raise BackupTargetNotAFileError(target)
    return target


def _partial(target: Path) -> Path:
    """Return the temporary name the copy is written under, its folder ready and the name free."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    return partial


async def _pg_dump(url: URL, target: Path) -> Path:
    """Dump a PostgreSQL database with pg_dump to `target` (custom format)."""
    program = shutil.which("pg_dump")
    if program is None:
        raise PgDumpMissingError
    # libpq reads the password from the environment: it stays off the command line (and ps).
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    query = {_LIBPQ_NAMES.get(name, name): value for name, value in url.query.items()}
    dsn = url.set(drivername="postgresql", password=None, query=query)
    partial = _partial(target)
    try:
        process = await asyncio.create_subprocess_exec(
            program,
            "--format=custom",
            f"--file={partial}",
            f"--dbname={dsn.render_as_string(hide_password=False)}",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        _, errors = await process.communicate()
        if process.returncode != 0:
            said = errors.decode("utf-8", "replace").strip().splitlines()
            raise PgDumpFailedError(said[-1] if said else f"exit status {process.returncode}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    log.info("backed up database to %s with pg_dump", target)
    return target

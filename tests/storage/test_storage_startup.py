"""The database is never replaced silently: what `migrate_at_start` creates, upgrades and refuses,
and backups that refuse a folder, the live file or a missing source, and leave nothing behind."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage import (
    BackupSourceMissingError,
    BackupTargetIsDirectoryError,
    BackupTargetIsLiveError,
    DatabaseMissingError,
    ForeignDatabaseError,
    PgDumpFailedError,
    PgDumpMissingError,
    UnknownRevisionError,
    backup_database,
    current_revision,
    migrate,
    migrate_at_start,
)
from storage.database import create_engine
from storage.migrate import head_revision, marker_path


def file_of(url: str) -> Path:
    return Path(url.removeprefix("sqlite+aiosqlite:///"))


async def execute(url: str, *statements: str) -> None:
    engine = create_engine(url, writer=True)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = create_engine(url, writer=False)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------
# Start-up: create only on a first start
# ------------------------------------------------------------------------------------------


async def test_a_first_start_on_an_empty_database_creates_it(database_url):
    assert await migrate_at_start(database_url) == head_revision()

    assert {"challenges", "participants", "entries"} <= await table_names(database_url)


@pytest.mark.sqlite_only
async def test_a_first_start_marks_the_file_and_a_restart_keeps_the_mark(database_url):
    database = file_of(database_url)

    await migrate_at_start(database_url)
    marker = marker_path(database)
    assert marker.name == "daybook.db.created"
    assert marker.exists()
    written = marker.stat().st_mtime_ns

    assert await migrate_at_start(database_url) == head_revision()
    assert marker.stat().st_mtime_ns == written


@pytest.mark.sqlite_only
async def test_a_deleted_database_file_is_refused_and_not_recreated(database_url):
    database = file_of(database_url)
    await migrate_at_start(database_url)
    for path in database.parent.glob("daybook.db*"):
        if path.name != "daybook.db.created":
            path.unlink()

    with pytest.raises(DatabaseMissingError) as refused:
        await migrate_at_start(database_url)

    assert refused.value.location == str(database)
    assert refused.value.evidence == marker_path(database)
    assert refused.value.since is not None
    assert not database.exists()


@pytest.mark.sqlite_only
async def test_an_emptied_database_file_is_refused(database_url):
    database = file_of(database_url)
    await migrate_at_start(database_url)
    for path in database.parent.glob("daybook.db-*"):
        path.unlink()
    database.write_bytes(b"")  # truncated, or a new empty file mounted in its place

    with pytest.raises(DatabaseMissingError):
        await migrate_at_start(database_url)

    assert await table_names(database_url) == set()


@pytest.mark.sqlite_only
async def test_a_missing_file_whose_journal_is_left_is_refused(database_url):
    # No marker (a database from before markers), but SQLite's write-ahead log is still there.
    database = file_of(database_url)
    database.parent.mkdir(parents=True)
    journal = database.with_name("daybook.db-wal")
    journal.write_bytes(b"left over")

    with pytest.raises(DatabaseMissingError) as refused:
        await migrate_at_start(database_url)

    assert refused.value.evidence == journal
    assert refused.value.since is None
    assert not database.exists()


@pytest.mark.sqlite_only
async def test_an_empty_file_without_a_mark_is_a_first_start(database_url):
    # `touch daybook.db` before bind-mounting it into a container.
    database = file_of(database_url)
    database.parent.mkdir(parents=True)
    database.write_bytes(b"")

    assert await migrate_at_start(database_url) == head_revision()
    assert marker_path(database).exists()


@pytest.mark.sqlite_only
async def test_migrate_creates_a_new_database_after_a_loss_and_start_accepts_it(database_url):
    database = file_of(database_url)
    await migrate(database_url)
    old_mark = marker_path(database).stat().st_mtime_ns
    for path in database.parent.glob("daybook.db-*"):
        path.unlink()
    database.unlink()

    assert await migrate(database_url) == head_revision()  # the operator's explicit choice

    assert database.exists()
    assert marker_path(database).stat().st_mtime_ns >= old_mark
    assert await migrate_at_start(database_url) == head_revision()


@pytest.mark.sqlite_only
async def test_a_database_from_before_the_marks_is_adopted(database_url):
    database = file_of(database_url)
    await migrate(database_url)
    marker_path(database).unlink()

    assert await migrate_at_start(database_url) == head_revision()

    assert marker_path(database).exists()


async def test_a_database_with_other_tables_is_refused_at_start_and_left_alone(database_url):
    if database_url.startswith("sqlite"):
        file_of(database_url).parent.mkdir(parents=True)
    await execute(database_url, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")

    with pytest.raises(ForeignDatabaseError) as refused:
        await migrate_at_start(database_url)

    assert refused.value.tables == ("invoices",)
    assert await table_names(database_url) == {"invoices"}


async def test_migrate_adds_daybooks_tables_beside_others_when_asked(database_url):
    if database_url.startswith("sqlite"):
        file_of(database_url).parent.mkdir(parents=True)
    await execute(database_url, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")

    assert await migrate(database_url) == head_revision()

    assert {"invoices", "challenges", "alembic_version"} <= await table_names(database_url)


async def test_a_revision_this_version_does_not_know_is_refused(database_url):
    await migrate(database_url)
    await execute(database_url, "UPDATE alembic_version SET version_num = '0099_from_the_future'")

    for run in (migrate_at_start, migrate):
        with pytest.raises(UnknownRevisionError) as refused:
            await run(database_url)
        assert refused.value.revision == "0099_from_the_future"
    assert await current_revision(database_url) == "0099_from_the_future"


# ------------------------------------------------------------------------------------------
# Backups
# ------------------------------------------------------------------------------------------


async def test_backup_refuses_a_directory_and_leaves_nothing_in_it(database_url, tmp_path):
    await migrate(database_url)
    folder = tmp_path / "backups"
    folder.mkdir()

    with pytest.raises(BackupTargetIsDirectoryError):
        await backup_database(database_url, folder)

    assert list(folder.iterdir()) == []
    assert not (tmp_path / "backups.partial").exists()


@pytest.mark.sqlite_only
async def test_backup_of_a_missing_database_refuses_and_creates_nothing(database_url, tmp_path):
    target = tmp_path / "copy.db"

    with pytest.raises(BackupSourceMissingError) as refused:
        await backup_database(database_url, target)

    assert refused.value.location == str(file_of(database_url))
    assert not file_of(database_url).exists()
    assert not target.exists()
    assert not target.with_name("copy.db.partial").exists()


@pytest.mark.sqlite_only
async def test_backup_of_a_file_with_no_daybook_database_refuses(database_url, tmp_path):
    file_of(database_url).parent.mkdir(parents=True)
    await execute(database_url, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")

    with pytest.raises(BackupSourceMissingError):
        await backup_database(database_url, tmp_path / "copy.db")

    assert not (tmp_path / "copy.db").exists()


@pytest.mark.sqlite_only
async def test_backup_refuses_the_live_database_by_any_name(database_url, tmp_path):
    await migrate(database_url)
    database = file_of(database_url)
    before = digest(database)
    link = tmp_path / "link.db"
    link.symlink_to(database)
    elsewhere = tmp_path / "data" / ".." / "data" / "daybook.db"

    for target in (database, link, elsewhere, database.with_name("daybook.db-wal")):
        with pytest.raises(BackupTargetIsLiveError):
            await backup_database(database_url, target)

    assert digest(database) == before
    assert sorted(path.name for path in database.parent.iterdir() if "partial" in path.name) == []


@pytest.mark.sqlite_only
async def test_a_failed_backup_leaves_no_partial_file_and_the_old_copy_whole(
    database_url, tmp_path, monkeypatch
):
    await migrate(database_url)
    target = tmp_path / "copy.db"
    target.write_bytes(b"last week's backup")

    def disk_full(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("storage.backups.os.replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        await backup_database(database_url, target)

    assert target.read_bytes() == b"last week's backup"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["copy.db", "data"]


@pytest.mark.sqlite_only
async def test_backup_copies_a_sqlite_database(database_url, tmp_path):
    await migrate(database_url)
    await execute(
        database_url,
        "INSERT INTO challenges (id, guild_id, name, rules_json, timezone, digest_weekday, "
        "digest_time, created_at) VALUES (1, 5, 'Club', '{}', 'UTC', 0, '09:00', "
        "'2026-03-02 12:00:00')",
    )

    written = await backup_database(database_url, tmp_path / "nested" / "copy.db")

    assert written == tmp_path / "nested" / "copy.db"
    with sqlite3.connect(written) as copy:
        assert copy.execute("SELECT name FROM challenges").fetchall() == [("Club",)]


@pytest.mark.postgres_only
async def test_processes_starting_together_on_an_empty_database_all_start(database_url):
    # A deployment's processes start at once (issue 15): each migrates at start, one at a time
    # (PostgreSQL's advisory lock), and the later ones find the schema already at head.
    revisions = await asyncio.gather(*(migrate_at_start(database_url) for _ in range(3)))
    assert revisions == [head_revision()] * 3
    assert await current_revision(database_url) == head_revision()


@pytest.mark.postgres_only
async def test_backup_of_postgresql_is_a_pg_dump_that_restores_the_rows(database_url, tmp_path):
    await migrate(database_url)
    await execute(
        database_url,
        "INSERT INTO challenges (id, guild_id, name, rules_json, timezone, digest_weekday, "
        "digest_time, created_at) VALUES (1, 5, 'Pg Club Backup', '{}', 'UTC', 0, '09:00', "
        "'2026-03-02 12:00:00')",
    )
    target = tmp_path / "daybook.dump"

    written = await backup_database(database_url, target)

    assert written == target
    assert target.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    pg_restore = shutil.which("pg_restore")
    assert pg_restore is not None
    script = await asyncio.to_thread(
        subprocess.run,
        [pg_restore, "--file=-", str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "CREATE TABLE public.challenges" in script.stdout
    assert "Pg Club Backup" in script.stdout
    assert not (tmp_path / "daybook.dump.partial").exists()


@pytest.mark.postgres_only
async def test_backup_of_postgresql_without_pg_dump_says_so(database_url, tmp_path, monkeypatch):
    await migrate(database_url)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    with pytest.raises(PgDumpMissingError):
        await backup_database(database_url, tmp_path / "daybook.dump")

    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres_only
async def test_a_failing_pg_dump_leaves_nothing_behind(database_url, tmp_path, monkeypatch):
    await migrate(database_url)
    tools = tmp_path / "tools"
    tools.mkdir()
    fake = tools / "pg_dump"
    # Writes half a dump to its --file, then fails as a version mismatch would.
    fake.write_text(
        "#!/bin/sh\n"
        'for arg; do case "$arg" in --file=*) echo half > "${arg#--file=}";; esac; done\n'
        "echo 'pg_dump: error: aborting because of server version mismatch' >&2\n"
        "exit 1\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    target = tmp_path / "daybook.dump"

    with pytest.raises(PgDumpFailedError) as failed:
        await backup_database(database_url, target)

    assert failed.value.detail == "pg_dump: error: aborting because of server version mismatch"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tools"]

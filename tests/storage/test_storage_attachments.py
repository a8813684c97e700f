"""Kept files: stored with their bytes, counted per member, deleted with the entry or member."""

from __future__ import annotations

import asyncio
import hashlib

from alembic import command

from storage import Database, current_revision, migrate
from storage.database import normalise_url, prepare_sqlite_file
from storage.migrate import alembic_config, head_revision
from tests.storage.conftest import T0, Seed

BLOB = bytes(range(256)) * 8  # every byte value, NUL included: stored as bytes, not text


async def keep(database: Database, entry_id: int, position: int, data: bytes = BLOB) -> int:
    async with database.write() as repos:
        kept = await repos.attachments.add(
            entry_id=entry_id,
            position=position,
            filename=f"file{position}.bin",
            content_type="application/octet-stream",
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
        )
    return kept.id


async def test_a_file_comes_back_byte_for_byte_and_counts_for_its_member(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    ada, raj = await seed.participant(challenge), await seed.participant(challenge)
    entry = await seed.entry(ada)
    other = await seed.entry(raj)
    first = await keep(database, entry.id, 0)
    await keep(database, entry.id, 1, b"small")
    await keep(database, other.id, 0)
    async with database.read() as repos:
        listed = await repos.attachments.for_entries([entry.id])
        assert [f.filename for f in listed[entry.id]] == ["file0.bin", "file1.bin"]
        assert listed[entry.id][0].size == len(BLOB)
        assert (await repos.attachments.data([first]))[first] == BLOB
        assert await repos.attachments.used_by(ada.id) == len(BLOB) + len(b"small")


async def test_a_deleted_entrys_files_do_not_count_and_forgetting_a_member_removes_them(
    database: Database, seed: Seed
) -> None:
    challenge = await seed.challenge()
    ada = await seed.participant(challenge, user_id=7)
    gone, kept = await seed.entry(ada), await seed.entry(ada)
    await keep(database, gone.id, 0)
    await keep(database, kept.id, 0)
    async with database.write() as repos:
        await repos.entries.soft_delete(gone.id, T0)
        assert await repos.attachments.delete_for_entry(gone.id) == 1
        assert await repos.attachments.used_by(ada.id) == len(BLOB)
        await repos.participants.forget_user(7)
    async with database.read() as repos:
        # The foreign keys cascade: participant -> entries -> kept files.
        assert await repos.attachments.for_entries([gone.id, kept.id]) == {}


async def test_0009_upgrades_and_downgrades_cleanly(database_url: str) -> None:
    config = alembic_config(database_url)
    prepare_sqlite_file(normalise_url(database_url))
    await migrate(database_url)
    await asyncio.to_thread(command.downgrade, config, "0007")
    assert await current_revision(database_url) == "0007"
    await migrate(database_url)
    assert await current_revision(database_url) == head_revision()

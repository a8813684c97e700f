"""Kept files: Daybook's own copy of each post's attachments, with their bytes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from bot.domain.attachments import KeptFile
from storage.repositories.base import Repository
from storage.tables import entries, entry_attachments

_META = (
    entry_attachments.c.id,
    entry_attachments.c.entry_id,
    entry_attachments.c.position,
    entry_attachments.c.filename,
    entry_attachments.c.content_type,
    entry_attachments.c.size,
    entry_attachments.c.sha256,
)
"""Every column but the bytes: listing files never reads them."""


def _kept(row: Any) -> KeptFile:
    return KeptFile(
        id=row.id,
        entry_id=row.entry_id,
        position=row.position,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
    )


class AttachmentRepository(Repository):
    """Files kept with entries."""

    async def add(
        self,
        *,
        entry_id: int,
        position: int,
        filename: str,
        content_type: str | None,
        data: bytes,
        sha256: str,
    ) -> KeptFile:
        """Keep one file of an entry."""
        statement = (
            entry_attachments.insert()
            .values(
                entry_id=entry_id,
                position=position,
                filename=filename,
                content_type=content_type,
                size=len(data),
                data=data,
                sha256=sha256,
            )
            .returning(entry_attachments.c.id)
        )
        file_id = (await self._connection.execute(statement)).scalar_one()
        return KeptFile(file_id, entry_id, position, filename, content_type, len(data), sha256)

    async def for_entries(self, entry_ids: Sequence[int]) -> dict[int, list[KeptFile]]:
        """Return the files kept with each of the entries (those with any), in order."""
        if not entry_ids:
            return {}
        statement = (
            sa.select(*_META)
            .where(entry_attachments.c.entry_id.in_(list(entry_ids)))
            .order_by(entry_attachments.c.entry_id, entry_attachments.c.position)
        )
        found: dict[int, list[KeptFile]] = {}
        for row in await self._connection.execute(statement):
            found.setdefault(row.entry_id, []).append(_kept(row))
        return found

    async def data(self, file_ids: Sequence[int]) -> dict[int, bytes]:
        """Return the bytes of the given files, by file id."""
        if not file_ids:
            return {}
        statement = sa.select(entry_attachments.c.id, entry_attachments.c.data).where(
            entry_attachments.c.id.in_(list(file_ids))
        )
        return {row.id: bytes(row.data) for row in await self._connection.execute(statement)}

    async def used_by(self, participant_id: int) -> int:
        """Return the bytes a participant's kept files take (live entries only)."""
        statement = (
            sa.select(sa.func.coalesce(sa.func.sum(entry_attachments.c.size), 0))
            .select_from(entry_attachments.join(entries))
            .where(entries.c.participant_id == participant_id, entries.c.deleted_at.is_(None))
        )
        return int((await self._connection.execute(statement)).scalar_one())

    async def delete_for_entry(self, entry_id: int) -> int:
        """Delete the files kept with an entry; return how many."""
        result = await self._connection.execute(
            entry_attachments.delete()
            .where(entry_attachments.c.entry_id == entry_id)
            .returning(entry_attachments.c.id)
        )
        return len(list(result.scalars()))

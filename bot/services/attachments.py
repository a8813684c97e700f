"""Keeping a copy of each post's files, and giving them back when Discord's URLs have expired.

Discord's attachment URLs are signed and stop working after about a day, so Daybook keeps the
bytes itself, in the database (which backups copy and every process shares). The cog downloads
the files (Discord-facing I/O stays in cogs) and hands them here; this service decides, under
the per-file cap and the member's total in the challenge, which are kept. A file not kept
never stops the post from being logged.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.attachments import (
    FileOutcome,
    KeepReport,
    KeptFile,
    admit,
    safe_filename,
)
from bot.errors import NotAllowedError, NotFoundError
from bot.services._common import find_challenge, find_member
from bot.services.inputs import is_storable_id
from storage import Database

log = logging.getLogger(__name__)

REQUEST_HEADROOM = 64 * 1024
"""Bytes of a reply's upload that its message, embed and multipart framing may take."""

PER_FILE_LIMIT = 10 * 1024 * 1024 - REQUEST_HEADROOM
"""The largest file kept: Discord's default upload limit (10 MiB), which every server allows,
less what the reply around it takes (the limit is on the whole request), so a kept file can
always be sent back."""
DEFAULT_QUOTA_MB = 50
"""A member's kept files in one challenge, in MB, unless the operator says otherwise."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One file of a post as the cog got it: its bytes, or None when Discord did not give them."""

    filename: str
    content_type: str | None
    size: int
    """The size Discord declared (the bytes' own length when they were read)."""
    data: bytes | None


@dataclass(frozen=True, slots=True)
class ShownFile:
    """A kept file with its bytes, ready to send again, and the day of its post."""

    day: date
    file: KeptFile
    data: bytes


class AttachmentService:
    """Files kept with members' posts."""

    def __init__(self, db: Database, *, quota: int, per_file: int = PER_FILE_LIMIT) -> None:
        self._db = db
        self.quota = quota
        """Bytes a member's kept files may take in one challenge."""
        self.per_file = per_file
        """Bytes one kept file may take."""

    async def keep(self, *, entry_id: int, uploads: Sequence[Upload]) -> KeepReport:
        """Keep what fits of a post's files; say what became of each."""
        async with self._db.write() as repos:
            entry = await repos.entries.get(entry_id)
            if entry is None or entry.deleted_at is not None:
                # Deleted while its files were downloading: nothing to keep them with.
                raise NotFoundError("That post was deleted meanwhile; its files were not kept.")
            existing = await repos.attachments.for_entries([entry_id])
            start = len(existing.get(entry_id, []))
            used = await repos.attachments.used_by(entry.participant_id)
            sizes = [None if upload.data is None else len(upload.data) for upload in uploads]
            decisions = admit(sizes, used=used, quota=self.quota, per_file=self.per_file)
            outcomes = []
            position = start
            for upload, refusal in zip(uploads, decisions, strict=True):
                name = safe_filename(upload.filename)
                if refusal is None and upload.data is not None:
                    await repos.attachments.add(
                        entry_id=entry_id,
                        position=position,
                        filename=name,
                        content_type=upload.content_type[:100] if upload.content_type else None,
                        data=upload.data,
                        sha256=hashlib.sha256(upload.data).hexdigest(),
                    )
                    position += 1
                    used += len(upload.data)
                size = upload.size if upload.data is None else len(upload.data)
                outcomes.append(FileOutcome(name, size, refusal))
        kept = sum(1 for outcome in outcomes if outcome.kept)
        log.info("entry %s: kept %s of %s files", entry_id, kept, len(outcomes))
        return KeepReport(tuple(outcomes), used=used, quota=self.quota, per_file=self.per_file)

    async def files_of(self, *, entry_id: int, user_id: int) -> list[ShownFile]:
        """Return the files kept with one of the member's own live posts, with their bytes."""
        async with self._db.read() as repos:
            entry = await repos.entries.get(entry_id) if is_storable_id(entry_id) else None
            if entry is None or entry.deleted_at is not None:
                raise NotFoundError("That post no longer exists.")
            if entry.user_id != user_id:
                raise NotAllowedError("That post is not yours; only its author can see its files.")
            files = (await repos.attachments.for_entries([entry_id])).get(entry_id, [])
            data = await repos.attachments.data([file.id for file in files])
        return [ShownFile(entry.local_day, file, data[file.id]) for file in files]

    async def recent_files(
        self,
        *,
        guild_id: int,
        user_id: int,
        challenge: str | None,
        first: date,
        last: date,
        limit: int,
        max_bytes: int,
    ) -> tuple[list[ShownFile], int]:
        """Return the member's newest kept files of `first`..`last` that fit one message.

        At most `limit` files of at most `max_bytes` together, newest first; the second value
        is how many more were kept in those days.
        """
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, user_id)
            posts = await repos.entries.between(participant.id, first, last)
            kept = await repos.attachments.for_entries([post.id for post in posts])
            days = {post.id: post.local_day for post in posts}
            newest = [
                file for post in reversed(posts) for file in kept.get(post.id, [])
            ]  # posts are oldest first
            chosen: list[KeptFile] = []
            total = 0
            for file in newest:
                if len(chosen) < limit and total + file.size <= max_bytes:
                    chosen.append(file)
                    total += file.size
            data = await repos.attachments.data([file.id for file in chosen])
        shown = [ShownFile(days[file.entry_id], file, data[file.id]) for file in chosen]
        return shown, len(newest) - len(shown)

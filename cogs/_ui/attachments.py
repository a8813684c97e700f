"""Files with posts: downloading them from Discord, saying what was kept, and sending them back.

Discord's attachment URLs are signed and expire after about a day, so Daybook keeps its own
copy when the post is made and, later, sends the kept bytes again as files: never the old URL.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING

import discord
from discord.utils import escape_markdown

from bot.domain.attachments import FileRefusal, KeepReport
from bot.errors import DaybookError
from bot.services.attachments import REQUEST_HEADROOM, AttachmentService, ShownFile, Upload
from bot.services.entries import RecordedEntry
from cogs._ui.bounds import MAX_CONTENT, clip
from cogs._ui.embeds import plural, short_day
from cogs._ui.owned import EntryButton

if TYPE_CHECKING:
    from bot.client import DaybookBot

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 30.0
"""Seconds one file may take to come from Discord before it is given up (the post is kept)."""
MAX_FILES_PER_MESSAGE = 10
"""Discord takes at most 10 files in one message."""


def upload_budget(interaction: discord.Interaction[DaybookBot]) -> int:
    """Return how many bytes of files one reply may carry in this server."""
    return max(interaction.filesize_limit - REQUEST_HEADROOM, 0)


def batches(shown: Sequence[ShownFile], budget: int) -> list[list[ShownFile]]:
    """Split files into messages of at most 10 files and `budget` bytes, in order."""
    groups: list[list[ShownFile]] = []
    current: list[ShownFile] = []
    total = 0
    for item in shown:
        if current and (len(current) == MAX_FILES_PER_MESSAGE or total + item.file.size > budget):
            groups.append(current)
            current, total = [], 0
        current.append(item)
        total += item.file.size
    if current:
        groups.append(current)
    return groups


def megabytes(size: int) -> str:
    """Return a size as '12.3 MB' (MB of 1,048,576 bytes, as Discord counts them)."""
    return f"{size / 1024 / 1024:.1f} MB"


async def download(attachments: Sequence[discord.Attachment], *, per_file: int) -> list[Upload]:
    """Read a post's files from Discord, side by side; a file too large is not read at all.

    Each read waits at most DOWNLOAD_TIMEOUT; one that fails (a timeout, a 404) comes back
    without bytes, and the others are kept all the same. Other members' commands run meanwhile.
    """

    async def one(attachment: discord.Attachment) -> Upload:
        content_type = attachment.content_type
        if attachment.size > per_file:
            return Upload(attachment.filename, content_type, attachment.size, None)
        try:
            data = await asyncio.wait_for(attachment.read(), DOWNLOAD_TIMEOUT)
        except (TimeoutError, discord.HTTPException) as error:
            log.warning("could not download attachment %s: %s", attachment.id, error)
            return Upload(attachment.filename, content_type, attachment.size, None)
        return Upload(attachment.filename, content_type, len(data), data)

    return list(await asyncio.gather(*(one(attachment) for attachment in attachments)))


async def keep_files(
    attachments: AttachmentService, result: RecordedEntry, uploads: Sequence[Upload]
) -> KeepReport | None:
    """Keep a logged post's files; None when there were none or the post was a repeat."""
    if not uploads or result.already_logged:
        return None
    try:
        return await attachments.keep(entry_id=result.entry.id, uploads=uploads)
    except DaybookError as error:
        log.info("files of entry %s not kept: %s", result.entry.id, error.message)
        return None


def files_note(report: KeepReport | None, *, public: bool = False) -> str:
    """Return the lines saying which files were kept and why any were not ('' for no files).

    `public`: a reply in the channel, which says nothing of how much the member has kept.
    """
    if report is None or not report.outcomes:
        return ""
    kept = [outcome for outcome in report.outcomes if outcome.kept]
    lines = []
    if kept:
        lines.append(f"📎 Kept {plural(len(kept), 'file')} with this post.")
    for outcome in report.refused:
        name = f"**{escape_markdown(clip(outcome.filename, 80))}**"
        if outcome.refusal is FileRefusal.TOO_LARGE:
            lines.append(
                f"📎 {name} was not kept: it is {megabytes(outcome.size)}, and I keep files of up "
                f"to {megabytes(report.per_file)}. The post itself is logged."
            )
        elif outcome.refusal is FileRefusal.OVER_QUOTA and public:
            lines.append(
                f"📎 {name} was not kept: it would pass your allowance for kept files in this "
                "challenge. Delete an older post with files to make room. The post itself is "
                "logged."
            )
        elif outcome.refusal is FileRefusal.OVER_QUOTA:
            lines.append(
                f"📎 {name} was not kept: your files in this challenge take "
                f"{megabytes(report.used)} of {megabytes(report.quota)}, and it is "
                f"{megabytes(outcome.size)}. Delete an older post with files to make room. "
                "The post itself is logged."
            )
        else:
            lines.append(
                f"📎 {name} could not be kept: Discord did not give me the file. "
                "The post itself is logged."
            )
    return "\n".join(lines)


def with_note(message: str, report: KeepReport | None) -> str:
    """Return a reply with the files' note under it, within Discord's 2,000 characters."""
    note = files_note(report)
    return clip(f"{message}\n{note}" if note else message, MAX_CONTENT)


def as_files(shown: Sequence[ShownFile]) -> list[discord.File]:
    """Return kept files as uploads, each under its own name."""
    return [discord.File(BytesIO(item.data), item.file.filename) for item in shown]


def kept_count(report: KeepReport | None) -> int:
    """How many files a post keeps."""
    return 0 if report is None else sum(1 for outcome in report.outcomes if outcome.kept)


class EntryFilesButton(EntryButton, template=r"entry:files:(?P<entry>[0-9]+):(?P<owner>[0-9]+)"):
    """Send a post's kept files again (Discord's own links to them expire)."""

    action = "files"
    label = "Files"
    emoji = "📎"

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Send the kept files, privately, from Daybook's own copy."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        shown = await interaction.client.services.attachments.files_of(
            entry_id=self.entry_id, user_id=interaction.user.id
        )
        if not shown:
            await interaction.followup.send(
                "This post has no files kept with it any more.", ephemeral=True
            )
            return
        # A kept file fits the 10 MiB every server takes, with the request around it; several
        # go in as few messages as Discord's limits allow.
        for group in batches(shown, upload_budget(interaction)):
            await interaction.followup.send(
                files_message(group, 0), files=as_files(group), ephemeral=True
            )


def files_message(shown: Sequence[ShownFile], more: int) -> str:
    """Say which kept files are attached below, by day."""
    names = ", ".join(
        f"{escape_markdown(clip(item.file.filename, 60))} ({short_day(item.day)})" for item in shown
    )
    text = f"📎 Your kept {'file' if len(shown) == 1 else 'files'}: {names}."
    if more:
        text += (
            f" {plural(more, 'more file')} from these days did not fit in this message; "
            "`/export format:zip` holds them all."
        )
    return clip(text, MAX_CONTENT)

"""Files kept with posts: what is kept, what is refused and why, and safe names for an archive.

Daybook keeps its own copy of a post's files when it is posted, because Discord's attachment
URLs are signed and expire (about a day). The rules here are pure: which files fit the caps,
and how a member-chosen file name becomes a path that cannot escape an export's folder.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MAX_FILENAME = 100
"""The longest file name kept (Discord's own names are rarely longer)."""


class FileRefusal(enum.StrEnum):
    """Why a file of a post was not kept (the post itself is still logged)."""

    TOO_LARGE = "too-large"
    """Larger than one file may be."""
    OVER_QUOTA = "over-quota"
    """The member's files in the challenge would pass their total."""
    UNREADABLE = "unreadable"
    """Discord did not give the file back (a timeout, a 404)."""


@dataclass(frozen=True, slots=True)
class KeptFile:
    """A file kept with an entry (its bytes are read separately: they may be large)."""

    id: int
    entry_id: int
    position: int
    """Its place among the entry's files, from 0."""
    filename: str
    content_type: str | None
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What became of one file of a post."""

    filename: str
    size: int
    refusal: FileRefusal | None = None

    @property
    def kept(self) -> bool:
        """Whether Daybook keeps its own copy."""
        return self.refusal is None


@dataclass(frozen=True, slots=True)
class KeepReport:
    """What became of a post's files, and the member's use of their allowance after it."""

    outcomes: tuple[FileOutcome, ...]
    used: int
    """Bytes the member's kept files take in the challenge, these included."""
    quota: int
    per_file: int

    @property
    def refused(self) -> tuple[FileOutcome, ...]:
        """The files not kept."""
        return tuple(outcome for outcome in self.outcomes if not outcome.kept)


def admit(
    sizes: Sequence[int | None], *, used: int, quota: int, per_file: int
) -> list[FileRefusal | None]:
    """Decide, in order, which files are kept: None keeps one; a size of None was unreadable.

    A file too large for the cap, or one that would pass the member's total, is refused; a
    smaller file after it may still fit.
    """
    decisions: list[FileRefusal | None] = []
    total = used
    for size in sizes:
        if size is None:
            decisions.append(FileRefusal.UNREADABLE)
        elif size > per_file:
            decisions.append(FileRefusal.TOO_LARGE)
        elif total + size > quota:
            decisions.append(FileRefusal.OVER_QUOTA)
        else:
            decisions.append(None)
            total += size
    return decisions


def safe_filename(name: str) -> str:
    """Return a file name that is only a name: no folders, no control characters, not hidden."""
    # The last part of either kind of path: "../../etc/passwd" and "C:\\x\\y.png" lose folders.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        "_" if unicodedata.category(char).startswith("C") or char in '<>:"|?*' else char
        for char in base
    ).strip()
    cleaned = cleaned.lstrip(".").strip()
    if len(cleaned) > MAX_FILENAME:
        stem, dot, suffix = cleaned.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            cleaned = stem[: MAX_FILENAME - len(suffix) - 1] + "." + suffix
        else:
            cleaned = cleaned[:MAX_FILENAME]
    return cleaned or "file"


def archive_paths(files: Sequence[tuple[date, str]]) -> list[str]:
    """Return each file's path in an export archive: attachments/<day>/<n>-<name>, all unique.

    `n` counts a day's files from 1 in the order given, so two files of the same name on one
    day still get two paths.
    """
    counts: dict[date, int] = {}
    seen: set[str] = set()
    paths = []
    for day, name in files:
        counts[day] = counts.get(day, 0) + 1
        path = f"attachments/{day.isoformat()}/{counts[day]}-{safe_filename(name)}"
        while path.casefold() in seen:  # only if a name repeats after cleaning: never in practice
            counts[day] += 1
            path = f"attachments/{day.isoformat()}/{counts[day]}-{safe_filename(name)}"
        seen.add(path.casefold())
        paths.append(path)
    return paths

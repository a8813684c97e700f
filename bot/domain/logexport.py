"""Writing a member's posts back out: the classic Markdown log, JSON, CSV, and a zip with files.

The Markdown follows the #100DaysOfCode template (a title with the challenge and round, then
``### R{round}D{day}: {Month D, YYYY}`` per day) and is written so that `parse_log` reads it back
to the same days, day numbers, text and tags: a member's line that Markdown would read as a
heading, an HTML block or a setext underline gets a backslash, which the parser removes.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import logparse
from bot.domain.content import extract_links, extract_tags
from bot.domain.models import Link


@dataclass(frozen=True, slots=True)
class ExportAttachment:
    """A file kept with a post, as an export lists it."""

    filename: str
    size: int
    sha256: str
    path: str
    """Where the file sits inside the zip export."""


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """One post as exported."""

    day: date
    text: str
    tags: tuple[str, ...]
    links: tuple[Link, ...]
    minutes: int | None
    source: str
    created_at: datetime
    files: tuple[ExportAttachment, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportDay:
    """A logged day: its posts and what the ledger made of it."""

    day: date
    round: int
    day_number: int | None
    """Day N when the day counted; None when it did not."""
    entries: tuple[ExportEntry, ...]

    @property
    def text(self) -> str:
        """The day's posts, one paragraph each."""
        return "\n\n".join(clean_text(entry.text) for entry in self.entries if entry.text.strip())

    @property
    def tags(self) -> tuple[str, ...]:
        """The day's tags, in order of appearance."""
        return tuple(dict.fromkeys(tag for entry in self.entries for tag in entry.tags))

    @property
    def links(self) -> tuple[Link, ...]:
        """The day's links, in order of appearance."""
        return tuple({link.url: link for entry in self.entries for link in entry.links}.values())

    @property
    def minutes(self) -> int | None:
        """The minutes stated across the day's posts; None when none stated any."""
        stated = [entry.minutes for entry in self.entries if entry.minutes is not None]
        return sum(stated) if stated else None


def clean_text(text: str) -> str:
    """Return a post's text as a log holds it: no trailing spaces, no blank edges."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _escaped(text: str) -> str:
    return "\n".join(
        "\\" + line if logparse.needs_escape(line) else line for line in text.split("\n")
    )


def to_markdown(challenge: str, days: Sequence[ExportDay]) -> str:
    """Return the days as a classic #100DaysOfCode log."""
    rounds = sorted({day.round for day in days}) or [1]
    which = f"Round {rounds[0]}" if len(rounds) == 1 else f"Rounds {rounds[0]}\u2013{rounds[-1]}"
    parts = [f"# {challenge} \u2014 {which}", ""]
    for day in days:
        when = logparse.long_date(day.day)
        heading = f"R{day.round}D{day.day_number}: {when}" if day.day_number else when
        parts.append(f"### {heading}")
        parts.append("")
        text = day.text
        if text:
            parts.append(_escaped(text))
            parts.append("")
        extra_tags = [tag for tag in day.tags if tag not in extract_tags(text)]
        if extra_tags:
            parts.append(f"Tags: {', '.join(extra_tags)}")
        in_text = {link.url for link in extract_links(text)}
        extra_links = [link.url for link in day.links if link.url not in in_text]
        if extra_links:
            parts.append(f"Links: {' '.join(extra_links)}")
        if extra_tags or extra_links:
            parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"


def _rows(days: Sequence[ExportDay]) -> list[dict[str, object]]:
    return [
        {
            "date": day.day.isoformat(),
            "round": day.round,
            "day": day.day_number,
            "counted": day.day_number is not None,
            "text": clean_text(entry.text),
            "minutes": entry.minutes,
            "tags": list(entry.tags),
            "links": [{"url": link.url, "kind": link.kind.value} for link in entry.links],
            "source": entry.source,
            "posted_at": entry.created_at.isoformat(),
            "attachments": [
                {"filename": f.filename, "size": f.size, "sha256": f.sha256, "path": f.path}
                for f in entry.files
            ],
        }
        for day in days
        for entry in day.entries
    ]


def to_json(challenge: str, days: Sequence[ExportDay], exported_at: datetime) -> str:
    """Return every post as JSON, one object a post, with its day's standing."""
    document = {
        "challenge": challenge,
        "exported_at": exported_at.isoformat(),
        "entries": _rows(days),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(days: Sequence[ExportDay]) -> str:
    """Return every post as CSV, one row a post (tags and links separated by spaces)."""
    buffer = io.StringIO()
    columns = ["date", "round", "day", "counted", "minutes", "tags", "links", "source", "text"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for day in days:
        for entry in day.entries:
            writer.writerow(
                {
                    "date": day.day.isoformat(),
                    "round": day.round,
                    "day": "" if day.day_number is None else day.day_number,
                    "counted": day.day_number is not None,
                    "minutes": "" if entry.minutes is None else entry.minutes,
                    "tags": " ".join(entry.tags),
                    "links": " ".join(link.url for link in entry.links),
                    "source": entry.source,
                    "text": clean_text(entry.text),
                }
            )
    return buffer.getvalue()


def to_zip(
    documents: Sequence[tuple[str, str]], files: Sequence[tuple[str, bytes]], made_at: datetime
) -> bytes:
    """Return a zip of text documents (name, text) and files (path inside the zip, bytes).

    The paths come from `bot.domain.attachments.archive_paths`: relative, without "..", unique.
    """
    stamp = (max(made_at.year, 1980), made_at.month, made_at.day, made_at.hour, made_at.minute, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in documents:
            archive.writestr(zipfile.ZipInfo(name, stamp), text.encode(), zipfile.ZIP_DEFLATED)
        for path, data in files:
            # Pictures and archives are compressed already: storing them saves the time.
            archive.writestr(zipfile.ZipInfo(path, stamp), data, zipfile.ZIP_STORED)
    return buffer.getvalue()

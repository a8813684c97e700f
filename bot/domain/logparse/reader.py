"""Reading a log from end to end: `decode_log` (bytes to text) and `parse_log` (text to entries).

The four passes the package's docstring describes, run in order; import them from the package.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from bot.domain.logparse.checks import (
    LogTooLongError,
    LogTooManyLinesError,
    NewestFirst,
    NotALogError,
    NotALogReason,
    ParseWarning,
    check_entries,
)
from bot.domain.logparse.durations import spell_fractions
from bot.domain.logparse.entries import Draft, date_drafts, finish, with_body
from bot.domain.logparse.model import LogEntry, ParsedLog
from bot.domain.logparse.phrases import TEMPLATE_LINK
from bot.domain.logparse.structure import cut_blank_runs, entry_ends, find_markers, header_round


def decode_log(data: bytes) -> str:
    """Return a file's text; raise NotALogError for binary or undecodable files."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise NotALogError(NotALogReason.BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotALogError(NotALogReason.NOT_UTF8) from None


def _template_sample(entry: LogEntry) -> bool:
    """Whether an entry is the template's sample left in: every link of it is a placeholder."""
    return bool(entry.links) and all(TEMPLATE_LINK.match(link.url) for link in entry.links)


def parse_log(
    text: str,
    *,
    year: int | None = None,
    start: date | None = None,
    limit: int | None = None,
    max_lines: int | None = None,
) -> ParsedLog:
    """Read a log; raise NotALogError when it has no entries at all.

    `year` dates entries whose dates lack one when the file gives no other clue; `start` dates
    a log without dates: Day N falls on start + N - 1. With `limit`, a log of more entries
    raises LogTooLongError as soon as its entries are counted, before they are read. With
    `max_lines`, a log of more lines of text (blank lines aside) raises LogTooManyLinesError
    before Markdown is read: the block parser's time and memory grow with the lines.

    Every step is linear in the text (tests/domain/test_logparse_hostile.py holds it to that).
    """
    text, source_line = cut_blank_runs(text.replace("\r\n", "\n").replace("\r", "\n"))
    raw_lines = text.split("\n")
    if max_lines is not None:
        written = sum(1 for line in raw_lines if line and not line.isspace())
        if written > max_lines:
            raise LogTooManyLinesError(written, max_lines)
    lines = [
        unicodedata.normalize("NFKC", spell_fractions(line)).replace("\n", " ")
        for line in raw_lines
    ]
    markers, hidden, outline = find_markers(lines)
    if not markers:
        raise NotALogError(NotALogReason.NO_ENTRIES)
    if limit is not None and len(markers) > limit:
        raise LogTooLongError(len(markers), limit)
    for marker in markers:
        marker.source = source_line(marker.line)
    warnings: list[ParseWarning] = []
    header = [line for number, line in enumerate(lines[: markers[0].line]) if not hidden[number]]
    title = next((line.lstrip("#").strip() for line in header if line.startswith("#")), "")
    round_in_header = header_round(header)
    ends = entry_ends(markers, lines, outline)
    drafts = [
        with_body(Draft(marker, end), raw_lines, lines, hidden, source_line)
        for marker, end in zip(markers, ends, strict=True)
    ]
    reverse = date_drafts(drafts, header, year, start, warnings)
    entries = [finish(draft, round_in_header) for draft in drafts]
    entries = [entry for entry in entries if not _template_sample(entry)]
    if not entries:
        raise NotALogError(NotALogReason.NO_ENTRIES)
    if reverse:
        entries.reverse()
        warnings.append(NewestFirst())
    places = [index for index, entry in enumerate(entries) if entry.dates]
    dated = sorted((entries[index] for index in places), key=lambda entry: entry.dates[0])
    for index, entry in zip(places, dated, strict=True):
        entries[index] = entry
    entries = check_entries(entries, warnings)
    return ParsedLog(
        entries=tuple(entries), warnings=tuple(warnings), title=title, reversed=reverse
    )

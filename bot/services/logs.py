"""Bringing a member's hand-kept log in, and taking their posts back out as one.

Importing is two steps. `plan_import` reads the file and works out, without writing anything,
what would be stored and what the member's standing would be afterwards: the preview. The
member confirms, and `run_import` stores the plan in batches (one transaction each), skipping
whatever is already there, so a second import of the same file, or a retry after a crash,
stores nothing twice. An imported day is keyed by its date: Daybook keeps at most one imported
entry a day, and never touches a day the member already posted on.

Between the two steps the plan waits in the database (`hold`, then `take` when a button is
pressed), so a preview can still be confirmed after the bot restarts.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain import logexport
from bot.domain.attachments import KeptFile, archive_paths
from bot.domain.content import count_words
from bot.domain.engine import LedgerDay, Summary
from bot.domain.logparse import LogTooLongError, LogTooManyLinesError, NotALogError
from bot.domain.models import Challenge, DayFacts, Entry, EntrySource, Link, Participant
from bot.domain.rules import MAX_TARGET_DAYS
from bot.errors import ConflictError, DaybookError, InvalidInputError, NotAllowedError
from bot.services._common import find_challenge, find_member, member_today
from bot.services.entries import MAX_TEXT
from bot.services.parse_worker import (
    REFUSALS,
    LogReader,
    ParseOptions,
    ParseOverrunError,
    ProcessReader,
    parse_upload,
)
from bot.services.standings import walk_history
from bot.wording.logs import refusal_text
from storage import Database, Repositories, Resolution
from storage.repositories import PlannedDay
from storage.shards import Shards

if TYPE_CHECKING:
    # The reader itself loads on first use (bot.domain.logparse): only /import needs it.
    from bot.domain.logparse import LogEntry, ParsedLog

log = logging.getLogger(__name__)

MAX_LOG_BYTES = 2 * 1024 * 1024
"""The largest log file accepted (2 MB)."""
MAX_LOG_ENTRIES = 5000
"""The most entries one import may hold."""
MAX_LOG_LINES = 40_000
"""The most lines of text (blank lines aside) one import may hold: a 2 MB log of real entries
has about 35,000; reading Markdown costs time and memory by the line (docs/performance.md)."""
IMPORT_BATCH = 250
"""Days stored per transaction; the progress message moves on after each batch."""
EXPORT_FORMATS = ("markdown", "json", "csv", "zip")
PREVIEW_LIFETIME = timedelta(hours=24)
"""How long an import preview can be confirmed (its plan waits in the database meanwhile)."""

Progress = Callable[[int, int], Awaitable[None]]


def import_key(day: date) -> str:
    """Return the key of the imported entry of a day (one a day, whatever file it came from)."""
    return f"log:{day.isoformat()}"


@dataclass(frozen=True, slots=True)
class ImportDay:
    """What one imported day will hold: the log's entries of that date, merged."""

    day: date
    text: str
    minutes: int | None
    tags: tuple[str, ...]
    links: tuple[Link, ...]
    day_number: int | None
    """The Day N the log gave it, if any."""

    @property
    def key(self) -> str:
        """The entry's import key."""
        return import_key(self.day)


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would do; nothing is stored until it is run."""

    challenge: Challenge
    participant: Participant
    parsed: ParsedLog
    days: tuple[ImportDay, ...]
    """The days to store, oldest first."""
    already_imported: tuple[date, ...]
    """Days an earlier import already brought in (left as they are)."""
    conflicts: tuple[date, ...]
    """Days the member already posted on in Daybook (their posts win; the log's are left out)."""
    not_counted: int
    """Entries left out because they are stubs or say no progress was made."""
    undated: int
    """Entries without a date, left out."""
    future: tuple[date, ...]
    """Dates after the member's today, left out."""
    would_count: int
    """How many of the days to store count under the challenge's rules."""
    before: Summary
    after: Summary
    start_day: date
    """The member's first day after the import."""
    initial_day: int
    today: date

    @property
    def first(self) -> date | None:
        """The first date found in the log."""
        dates = [day for entry in self.parsed.entries for day in entry.dates]
        return min(dates) if dates else None

    @property
    def last(self) -> date | None:
        """The last date found in the log."""
        dates = [day for entry in self.parsed.entries for day in entry.dates]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class HeldImport:
    """A plan taken back for its Confirm or Cancel: what storing it needs, as it was kept."""

    challenge: Challenge
    participant: Participant
    days: tuple[ImportDay, ...]
    """The days to store, oldest first."""
    start_day: date
    """The member's first day after the import."""
    initial_day: int
    today: date
    """The member's local day when the plan was worked out."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import stored."""

    stored: int
    skipped: int
    """Days left out at the last moment: imported meanwhile, or posted on meanwhile."""
    summary: Summary


@dataclass(frozen=True, slots=True)
class ExportFile:
    """An export, ready to attach."""

    filename: str
    data: bytes
    days: int
    entries: int
    today: date
    """The member's local day the export runs to."""
    files: int = 0
    """Kept files inside (a zip export)."""


class ImportExpiredError(DaybookError):
    """The preview being confirmed is gone: older than PREVIEW_LIFETIME."""


ALREADY_TAKEN = {
    Resolution.CONFIRMED: "That import was already confirmed: its days are stored.",
    Resolution.CANCELLED: "That import was already cancelled: nothing was imported.",
}
"""What a second click on an import's Confirm or Cancel is told, by what the first one did."""


class LogService:
    """Importing logs and exporting posts."""

    def __init__(
        self, db: Database, reader: LogReader | None = None, *, shards: Shards | None = None
    ) -> None:
        self._db = db
        self._reader = reader or ProcessReader()
        self._shards = shards or Shards.every()
        """The servers whose expired previews this process's housekeeping drops."""

    async def drop_expired(self, *, now: datetime) -> int:
        """Delete this process's servers' import previews nobody can confirm any more.

        They hold a member's log; the other processes drop their own servers'.
        """
        async with self._db.write() as repos:
            return await repos.import_plans.delete_expired(now, self._shards)

    async def hold(self, plan: ImportPlan, *, now: datetime) -> str:
        """Keep a previewed plan for its confirmation; return the token that names it."""
        token = secrets.token_hex(8)
        async with self._db.write() as repos:
            # Housekeeping: nobody can confirm an expired plan, so there is no reason to keep it.
            await repos.import_plans.delete_expired(now)
            await repos.import_plans.add(
                token=token,
                guild_id=plan.challenge.guild_id,
                challenge_id=plan.challenge.id,
                participant_id=plan.participant.id,
                user_id=plan.participant.user_id,
                start_day=plan.start_day,
                initial_day=plan.initial_day,
                today=plan.today,
                days=[_planned(day) for day in plan.days],
                created_at=now,
                expires_at=now + PREVIEW_LIFETIME,
            )
        return token

    async def take(
        self, token: str, *, user_id: int, now: datetime, confirm: bool = True
    ) -> HeldImport:
        """Return a kept plan for its Confirm (or Cancel); a plan is taken once.

        The plan stays, marked and without its days, until it expires, so a second click is
        told what the first one did.
        """
        held: HeldImport | None = None
        async with self._db.write() as repos:
            stored = await repos.import_plans.get(token)
            if stored is not None and now < stored.expires_at:
                if stored.user_id != user_id:
                    raise NotAllowedError("Only the member who imported this log can confirm it.")
                if stored.resolution is not None:
                    raise ConflictError(ALREADY_TAKEN[stored.resolution])
                # The foreign keys take a plan away with its challenge or member, so both are
                # there; marking it is what makes a second click find it taken.
                challenge = await repos.challenges.get(stored.challenge_id)
                participant = await repos.participants.by_id(stored.participant_id)
                resolution = Resolution.CONFIRMED if confirm else Resolution.CANCELLED
                taken = await repos.import_plans.resolve(token, resolution)
                if taken and challenge is not None and participant is not None:
                    held = HeldImport(
                        challenge=challenge,
                        participant=participant,
                        days=tuple(_import_day(day) for day in stored.days),
                        start_day=stored.start_day,
                        initial_day=stored.initial_day,
                        today=stored.today,
                    )
            elif stored is not None:
                await repos.import_plans.delete(token)
        if held is None:
            # Raised after the commit, so an expired plan is gone for good.
            raise ImportExpiredError(
                "This import preview has expired (previews last 24 hours). "
                "Run /import again; nothing was stored."
            )
        return held

    async def plan_import(
        self,
        *,
        guild_id: int,
        user_id: int,
        data: bytes,
        now: datetime,
        year: int | None = None,
        start: date | None = None,
        challenge: str | None = None,
    ) -> ImportPlan:
        """Read a log and work out what importing it would change; store nothing.

        Reading a long log takes a second or more of pure Python: it runs in a worker process
        with a budget (bot/services/parse_worker.py), so the bot keeps answering everyone
        else meanwhile, and a log that costs too much is stopped and refused.
        """
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, user_id)  # refused before the work
            facts = await repos.entries.day_facts(participant.id)
            keys = await repos.entries.import_keys(participant.id)
        # What changes meanwhile is caught when the plan is run: it checks every day again.
        options = _upload_options(data, year, start)
        try:
            parsed = await self._reader.read(data, options)
        except REFUSALS as refusal:
            raise _refused(refusal) from None
        except ParseOverrunError as overrun:
            raise _overran(overrun) from None
        today = member_today(participant, current, now)
        return await asyncio.to_thread(_plan, current, participant, parsed, facts, keys, today)

    async def run_import(
        self, plan: ImportPlan | HeldImport, *, now: datetime, progress: Progress | None = None
    ) -> ImportResult:
        """Store a plan's days in batches; days that turned up meanwhile are skipped."""
        participant = plan.participant
        stored = skipped = 0
        total = len(plan.days)
        for begin in range(0, max(total, 1), IMPORT_BATCH):
            batch = plan.days[begin : begin + IMPORT_BATCH]
            async with self._db.write() as repos:
                if begin == 0:
                    await _move_start(repos, plan)
                added, missed = await _store(repos, plan, batch, now)
            stored += added
            skipped += missed
            if progress is not None:
                await progress(min(begin + IMPORT_BATCH, total), total)
        async with self._db.read() as repos:
            facts = await repos.entries.day_facts(participant.id)
            member = await repos.participants.by_id(participant.id)
        member = member or participant
        # The standing as of the click, which may come up to a day after the preview.
        today = member_today(member, plan.challenge, now)
        summary, _ = _walk(plan.challenge, member.start_day, member.initial_day, facts, today)
        log.info(
            "imported %s days (%s skipped) for participant %s", stored, skipped, participant.id
        )
        return ImportResult(stored=stored, skipped=skipped, summary=summary)

    async def export(
        self,
        *,
        guild_id: int,
        user_id: int,
        fmt: str,
        now: datetime,
        challenge: str | None = None,
    ) -> ExportFile:
        """Return the member's posts in a challenge as a file: Markdown, JSON, CSV, or a zip.

        The zip holds the Markdown log, the JSON (which lists each kept file) and the files
        Daybook kept with the posts, under attachments/<day>/.
        """
        if fmt not in EXPORT_FORMATS:
            raise InvalidInputError(f"Export as one of {', '.join(EXPORT_FORMATS)}.")
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, user_id)
            today = member_today(participant, current, now)
            entries = await repos.entries.between(participant.id, date(1970, 1, 1), today)
            facts = await repos.entries.day_facts(participant.id)
            kept = await repos.attachments.for_entries([entry.id for entry in entries])
            data = (
                await repos.attachments.data([f.id for files in kept.values() for f in files])
                if fmt == "zip"
                else {}
            )
        if not entries:
            raise InvalidInputError(
                f"You have no posts in {current.name} yet; there is nothing to export."
            )
        days = export_days(current, participant, entries, facts, today, kept)
        stem = _slug(current.name) or "daybook"
        if fmt == "zip":
            documents = [
                (f"{stem}-log.md", logexport.to_markdown(current.name, days)),
                (f"{stem}-log.json", logexport.to_json(current.name, days, now)),
            ]
            paths = file_paths(entries, kept)
            files = sorted((paths[file_id], blob) for file_id, blob in data.items())
            archive = await asyncio.to_thread(logexport.to_zip, documents, files, now)
            return ExportFile(
                filename=f"{stem}-log.zip",
                data=archive,
                days=len(days),
                entries=len(entries),
                today=today,
                files=len(files),
            )
        if fmt == "markdown":
            text, filename = logexport.to_markdown(current.name, days), f"{stem}-log.md"
        elif fmt == "json":
            text, filename = logexport.to_json(current.name, days, now), f"{stem}-log.json"
        else:
            text, filename = logexport.to_csv(days), f"{stem}-log.csv"
        return ExportFile(
            filename=filename,
            data=text.encode(),
            days=len(days),
            entries=len(entries),
            today=today,
        )


def read_log(data: bytes, *, year: int | None = None, start: date | None = None) -> ParsedLog:
    """Check a file's size and read it as a log here, or explain politely why it is not one."""
    options = _upload_options(data, year, start)
    try:
        return parse_upload(data, options)
    except REFUSALS as refusal:
        raise _refused(refusal) from None


def _upload_options(data: bytes, year: int | None, start: date | None) -> ParseOptions:
    """Check what came with an upload; return how to read it."""
    if len(data) > MAX_LOG_BYTES:
        raise InvalidInputError(
            f"That file is larger than 2 MB ({len(data):,} bytes); a log can be at most 2 MB "
            f"({MAX_LOG_BYTES:,} bytes). "
            "Split it into parts and import them one by one."
        )
    if year is not None and not 1970 <= year <= 2100:
        raise InvalidInputError("The year must be between 1970 and 2100.")
    if start is not None and not date(1970, 1, 1) <= start <= date(2100, 12, 31):
        raise InvalidInputError("The start must be a date between 1970 and 2100.")
    return ParseOptions(year=year, start=start, limit=MAX_LOG_ENTRIES, max_lines=MAX_LOG_LINES)


def _refused(
    refusal: NotALogError | LogTooLongError | LogTooManyLinesError,
) -> InvalidInputError:
    """Say why a file was not read."""
    return InvalidInputError(refusal_text(refusal))


def _overran(overrun: ParseOverrunError) -> InvalidInputError:
    """Say that reading a file was stopped; nothing was stored."""
    if overrun.resource == "memory":
        return InvalidInputError(
            "That log needs more memory to read than one import may use, so I stopped "
            "reading it; nothing was stored. Split it into parts and import them one by one."
        )
    return InvalidInputError(
        "That log took too long to read, so I stopped reading it; nothing was stored. "
        "Split it into parts and import them one by one."
    )


def _plan(
    challenge: Challenge,
    participant: Participant,
    parsed: ParsedLog,
    facts: Mapping[date, DayFacts],
    keys: set[str],
    today: date,
) -> ImportPlan:
    by_day: dict[date, list[LogEntry]] = defaultdict(list)
    not_counted = undated = 0
    for entry in parsed.entries:
        if not entry.dates:
            undated += 1
        elif not entry.counts:
            not_counted += 1
        else:
            for day in entry.dates:
                by_day[day].append(entry)
    days: list[ImportDay] = []
    already: list[date] = []
    conflicts: list[date] = []
    future: list[date] = []
    for day in sorted(by_day):
        if import_key(day) in keys:
            already.append(day)
        elif day > today:
            future.append(day)
        elif day in facts and facts[day].entries:
            conflicts.append(day)
        else:
            days.append(_merge(day, by_day[day]))
    start_day, initial_day = participant.start_day, participant.initial_day
    if days and days[0].day < start_day:
        start_day = days[0].day
        initial_day = _first_day_number(challenge, days[0].day_number)
    before, _ = _walk(challenge, participant.start_day, participant.initial_day, facts, today)
    combined = dict(facts)
    for planned in days:
        combined[planned.day] = _facts_of(planned)
    after, rows = _walk(challenge, start_day, initial_day, combined, today)
    new = {day.day for day in days}
    return ImportPlan(
        challenge=challenge,
        participant=participant,
        parsed=parsed,
        days=tuple(days),
        already_imported=tuple(already),
        conflicts=tuple(conflicts),
        not_counted=not_counted,
        undated=undated,
        future=tuple(future),
        would_count=sum(1 for row in rows if row.counted and row.day in new),
        before=before,
        after=after,
        start_day=start_day,
        initial_day=initial_day,
        today=today,
    )


def _first_day_number(challenge: Challenge, number: int | None) -> int:
    """Return the Day N the log's first imported day continues at, if the challenge allows it.

    A log that starts at Day 66 continues at 66; a number the challenge cannot hold (past its
    target, or past any challenge's length) is a different count, so numbering starts at Day 1.
    """
    limit = challenge.rules.target_days or MAX_TARGET_DAYS
    return number if number is not None and 1 <= number <= limit else 1


def _merge(day: date, entries: list[LogEntry]) -> ImportDay:
    """Merge the log's entries of one date into the one entry Daybook will keep."""
    text = "\n\n".join(entry.text for entry in entries if entry.text)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rstrip() + "\u2026"
    shares = [entry.minutes // len(entry.dates) for entry in entries if entry.minutes is not None]
    numbers = [
        entry.days[entry.dates.index(day)] if len(entry.days) == len(entry.dates) else entry.day
        for entry in entries
    ]
    return ImportDay(
        day=day,
        text=text,
        minutes=min(sum(shares), 24 * 60) if shares else None,
        tags=tuple(dict.fromkeys(tag for entry in entries for tag in entry.tags))[:20],
        links=tuple({link.url: link for entry in entries for link in entry.links}.values()),
        day_number=next((number for number in numbers if number is not None), None),
    )


def _planned(day: ImportDay) -> PlannedDay:
    """Return a planned day as storage keeps it."""
    return PlannedDay(
        day=day.day,
        text=day.text,
        minutes=day.minutes,
        tags=day.tags,
        links=day.links,
        day_number=day.day_number,
    )


def _import_day(day: PlannedDay) -> ImportDay:
    """Return a kept day as the import stores it."""
    return ImportDay(
        day=day.day,
        text=day.text,
        minutes=day.minutes,
        tags=day.tags,
        links=day.links,
        day_number=day.day_number,
    )


def _facts_of(day: ImportDay) -> DayFacts:
    return DayFacts(
        day=day.day,
        entries=1,
        minutes=day.minutes,
        unstated=int(day.minutes is None),
        words=count_words(day.text),
        has_link=bool(day.links),
        imported=1,
    )


def _walk(
    challenge: Challenge,
    start_day: date,
    initial_day: int,
    facts: Mapping[date, DayFacts],
    today: date,
) -> tuple[Summary, list[LedgerDay]]:
    """Walk a member's whole history to today: their summary and a ledger row a day."""
    history = walk_history(challenge.rules, start_day, initial_day, facts, today, explain=True)
    return history.summary, list(history.rows)


async def _move_start(repos: Repositories, plan: ImportPlan | HeldImport) -> None:
    """Move the member's start to the first imported day when it is earlier."""
    current = await repos.participants.by_id(plan.participant.id)
    if current is not None and plan.start_day < current.start_day:
        await repos.participants.set_start(current.id, plan.start_day, plan.initial_day)


async def _store(
    repos: Repositories,
    plan: ImportPlan | HeldImport,
    batch: tuple[ImportDay, ...],
    now: datetime,
) -> tuple[int, int]:
    """Store one batch in the current transaction; return (stored, skipped)."""
    if not batch:
        return 0, 0
    participant = plan.participant
    keys = await repos.entries.import_keys(participant.id)
    posted = {
        entry.local_day
        for entry in await repos.entries.between(participant.id, batch[0].day, batch[-1].day)
    }
    stored = skipped = 0
    for day in batch:
        if day.key in keys or day.day in posted:
            skipped += 1
            continue
        await repos.entries.add(
            participant_id=participant.id,
            challenge_id=plan.challenge.id,
            user_id=participant.user_id,
            local_day=day.day,
            timezone=participant.timezone,
            text=day.text,
            minutes=day.minutes,
            words=count_words(day.text),
            tags=day.tags,
            links=day.links,
            attachments=(),
            source=EntrySource.IMPORT,
            created_at=now,
            import_key=day.key,
            # The batch is oldest first: dropping the checkpoints from its first day on covers
            # every later day of the batch too.
            invalidate=stored == 0,
        )
        stored += 1
    return stored, skipped


def file_paths(entries: list[Entry], kept: Mapping[int, list[KeptFile]]) -> dict[int, str]:
    """Return each kept file's path in the zip export, by file id (posts oldest first)."""
    placed = [
        (file.id, entry.local_day, file.filename)
        for entry in sorted(entries, key=lambda e: (e.local_day, e.created_at, e.id))
        for file in kept.get(entry.id, [])
    ]
    paths = archive_paths([(day, name) for _, day, name in placed])
    return {file_id: path for (file_id, _, _), path in zip(placed, paths, strict=True)}


def export_days(
    challenge: Challenge,
    participant: Participant,
    entries: list[Entry],
    facts: Mapping[date, DayFacts],
    today: date,
    kept: Mapping[int, list[KeptFile]] | None = None,
) -> list[logexport.ExportDay]:
    """Group posts by day, with the round and Day N the ledger gave each day, and their files."""
    _, rows = _walk(challenge, participant.start_day, participant.initial_day, facts, today)
    ledger = {row.day: row for row in rows}
    kept = kept or {}
    paths = file_paths(entries, kept)
    by_day: dict[date, list[logexport.ExportEntry]] = defaultdict(list)
    for entry in entries:
        files = tuple(
            logexport.ExportAttachment(f.filename, f.size, f.sha256, paths[f.id])
            for f in kept.get(entry.id, [])
        )
        by_day[entry.local_day].append(
            logexport.ExportEntry(
                day=entry.local_day,
                text=entry.text,
                tags=entry.tags,
                links=entry.links,
                minutes=entry.minutes,
                source=entry.source.value,
                created_at=entry.created_at,
                files=files,
            )
        )
    days = []
    for day in sorted(by_day):
        row = ledger.get(day)
        days.append(
            logexport.ExportDay(
                day=day,
                round=row.round if row is not None else 1,
                day_number=row.day_number if row is not None and row.counted else None,
                entries=tuple(by_day[day]),
            )
        )
    return days


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60]

"""A challenge's data for its organizers (/challenge export): every member's days and posts.

Hidden members are included, marked hidden: the files go to organizers alone, who run the
challenge. Names come from the caller (the server's member cache), else from the display name
Daybook last saw; services know no names of their own.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import challengeexport, logexport
from bot.domain.challengeexport import ExportedMember
from bot.domain.models import AdjustmentKind, Challenge, DayFacts, Entry, Participant
from bot.errors import InvalidInputError
from bot.services._common import find_any_challenge, member_today
from bot.services.standings import walk_history
from storage import Database

CachedNames = Callable[[Sequence[int]], Awaitable[Mapping[int, str]]]
"""Return the display names the caller knows for these user ids (without asking Discord)."""


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """One file to attach."""

    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ChallengeExport:
    """The files of a challenge's export, and what they hold."""

    challenge: Challenge
    files: tuple[ExportedFile, ...]
    members: int
    hidden: int
    days: int
    """Rows of the CSV: member-days with posts or a ruling."""
    entries: int
    zipped: bool
    """Whether the two files were put in one zip to fit the upload limit."""

    @property
    def size(self) -> int:
        """Bytes of every file together."""
        return sum(len(file.data) for file in self.files)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60] or "challenge"


class ExportService:
    """Writes a challenge's members, days and posts out as CSV and JSON."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def export(
        self,
        *,
        guild_id: int,
        challenge: str | None = None,
        now: datetime,
        names: CachedNames,
        limit: int,
    ) -> ChallengeExport:
        """Return the challenge's CSV and JSON, zipped when together they pass `limit` bytes.

        Raises the polite sentence when nobody has joined, or when even the zip is too big.
        """
        async with self._db.read() as repos:
            # Ended challenges too: the end is when organizers most want their data out.
            current = await find_any_challenge(repos, guild_id, challenge)
            everyone = await repos.participants.everyone(current.id)
            if not everyone:
                raise InvalidInputError(
                    f"Nobody has joined {current.name} yet; there is nothing to export."
                )
            stored = await repos.participants.stored_names(current.id)
            facts = await repos.entries.day_facts_for_challenge(current.id, date.min)
            posts = await repos.entries.of_challenge(current.id)
        known = await names([participant.user_id for participant in everyone])
        by_member: dict[int, list[Entry]] = {}
        for entry in posts:
            by_member.setdefault(entry.participant_id, []).append(entry)
        # Walking every member's history is the engine's work for a few hundred milliseconds
        # at a thousand members: done in a thread, so the event loop goes on meanwhile.
        written = await asyncio.to_thread(
            _documents,
            current,
            everyone,
            {p.user_id: known.get(p.user_id) or stored.get(p.user_id, "") for p in everyone},
            facts,
            by_member,
            now,
        )
        csv_text, json_text, rows = written
        stem = _slug(current.name)
        files: tuple[ExportedFile, ...] = (
            ExportedFile(f"{stem}-days.csv", csv_text.encode()),
            ExportedFile(f"{stem}-members.json", json_text.encode()),
        )
        zipped = False
        if sum(len(file.data) for file in files) > limit:
            archive = await asyncio.to_thread(
                logexport.to_zip,
                [(f"{stem}-days.csv", csv_text), (f"{stem}-members.json", json_text)],
                [],
                now,
            )
            files = (ExportedFile(f"{stem}-export.zip", archive),)
            zipped = True
            if len(archive) > limit:
                raise InvalidInputError(too_large(current.name, len(archive), limit))
        return ChallengeExport(
            challenge=current,
            files=files,
            members=len(everyone),
            hidden=sum(participant.hidden for participant in everyone),
            days=rows,
            entries=len(posts),
            zipped=zipped,
        )


def too_large(challenge: str, size: int, limit: int) -> str:
    """Say that even the zipped export cannot be attached here."""
    return (
        f"Sorry: {challenge}'s export is {size / 1024 / 1024:.1f} MB even zipped, more than "
        f"I can attach in this server ({limit / 1024 / 1024:.1f} MB). Nothing was changed. "
        "The host can copy the data from Daybook's database backup instead."
    )


def _documents(
    challenge: Challenge,
    everyone: list[Participant],
    names: Mapping[int, str],
    facts: Mapping[int, Mapping[date, DayFacts]],
    posts: Mapping[int, list[Entry]],
    now: datetime,
) -> tuple[str, str, int]:
    """Walk each member's days and write the CSV and the JSON; return them and the CSV's rows."""
    members = []
    rows = 0
    for participant in everyone:
        days = facts.get(participant.id, {})
        today = member_today(participant, challenge, now)
        history = walk_history(
            challenge.rules,
            participant.start_day,
            participant.initial_day,
            days,
            today,
            explain=True,
        )
        rulings: dict[date, AdjustmentKind | None] = {
            day: day_facts.adjustment for day, day_facts in days.items()
        }
        exported = challengeexport.exported_days(history.rows, rulings)
        rows += len(exported)
        members.append(
            ExportedMember(
                participant,
                names.get(participant.user_id, ""),
                exported,
                tuple(posts.get(participant.id, [])),
            )
        )
    csv_text = challengeexport.to_csv(members)
    json_text = challengeexport.to_json(challenge.name, challenge.timezone, members, now)
    return csv_text, json_text, rows

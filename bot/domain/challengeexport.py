"""A whole challenge written out for its organizers: a CSV of members' days, a JSON of everything.

Pure. The CSV has one row per member per local day with posts or an organizer's ruling; the
JSON has every participant (hidden ones too, marked) with their settings, days and posts. A CSV
cell that a spreadsheet would run as a formula (one starting with = + - @, a tab or a carriage
return) is written with a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.domain.engine import LedgerDay
from bot.domain.models import AdjustmentKind, Entry, Participant

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)."""
CSV_COLUMNS = (
    "user_id",
    "display_name",
    "hidden",
    "date",
    "round",
    "day",
    "counted",
    "status",
    "ruling",
    "minutes",
    "posts",
)


@dataclass(frozen=True, slots=True)
class ExportedDay:
    """One local day of a member's, with posts or a ruling, and what the ledger made of it."""

    row: LedgerDay
    ruling: AdjustmentKind | None


@dataclass(frozen=True, slots=True)
class ExportedMember:
    """A participant, their name as the server shows it, their days and their posts."""

    participant: Participant
    name: str
    days: tuple[ExportedDay, ...]
    entries: tuple[Entry, ...]


def spreadsheet_safe(value: str) -> str:
    """Return a CSV cell a spreadsheet shows as text: a leading apostrophe before a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def to_csv(members: Sequence[ExportedMember]) -> str:
    """Return one row per member per day with posts or a ruling (Day N only on counted days)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for member in members:
        for day in member.days:
            row = day.row
            writer.writerow(
                [
                    member.participant.user_id,
                    spreadsheet_safe(member.name),
                    "yes" if member.participant.hidden else "no",
                    row.day.isoformat(),
                    row.round,
                    row.day_number if row.counted else "",
                    "yes" if row.counted else "no",
                    row.status.value,
                    "" if day.ruling is None else day.ruling.value,
                    "" if row.minutes is None else row.minutes,
                    row.entries,
                ]
            )
    return buffer.getvalue()


def to_json(
    challenge: str, zone: str, members: Sequence[ExportedMember], exported_at: datetime
) -> str:
    """Return every participant with their settings, days and posts, as JSON (a member a line).

    Not indented: Python's JSON encoder runs in C only without indentation, and a thousand
    members' year of posts took seconds more indented. A member a line still reads in an editor.
    """
    head = json.dumps(
        {"challenge": challenge, "time_zone": zone, "exported_at": exported_at.isoformat()},
        ensure_ascii=False,
    )
    lines = ",\n".join(json.dumps(_member(member), ensure_ascii=False) for member in members)
    return f'{head[:-1]}, "members": [\n{lines}\n]}}\n'


def _member(member: ExportedMember) -> dict[str, object]:
    participant = member.participant
    return {
        "user_id": str(participant.user_id),
        "participant_id": participant.id,
        "display_name": member.name,
        "hidden": participant.hidden,
        "time_zone": participant.timezone,
        "joined_at": _when(participant.joined_at),
        "left_at": _when(participant.left_at),
        "start_day": participant.start_day.isoformat(),
        "initial_day": participant.initial_day,
        "reminder": {
            "mode": participant.reminder_mode.value,
            "time": _clock(participant.reminder_time),
        },
        "days": [_day(day) for day in member.days],
        "entries": [_entry(entry) for entry in member.entries],
    }


def _day(day: ExportedDay) -> dict[str, object]:
    row = day.row
    return {
        "date": row.day.isoformat(),
        "round": row.round,
        "day": row.day_number if row.counted else None,
        "counted": row.counted,
        "status": row.status.value,
        "ruling": None if day.ruling is None else day.ruling.value,
        "minutes": row.minutes,
        "posts": row.entries,
    }


def _entry(entry: Entry) -> dict[str, object]:
    return {
        "date": entry.local_day.isoformat(),
        "text": entry.text,
        "minutes": entry.minutes,
        "tags": list(entry.tags),
        "links": [{"url": link.url, "kind": link.kind.value} for link in entry.links],
        "posted_at": entry.created_at.isoformat(),
        "edited_at": _when(entry.edited_at),
        "source": entry.source.value,
    }


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _clock(moment: time | None) -> str | None:
    return None if moment is None else moment.strftime("%H:%M")


def exported_days(
    rows: Sequence[LedgerDay], facts_days: dict[date, AdjustmentKind | None]
) -> tuple[ExportedDay, ...]:
    """Keep the ledger rows of the days with posts or a ruling (`facts_days`: day to ruling)."""
    return tuple(ExportedDay(row, facts_days[row.day]) for row in rows if row.day in facts_days)

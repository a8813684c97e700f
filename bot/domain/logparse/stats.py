"""What the engine makes of a log that was read: its days, streaks and Day N under some rules.

The days of a log's entries become the engine's day facts as imported days (`day_facts`): an
entry that does not count (a stub, a day of no progress) or has no date adds nothing, and a
multi-day entry's minutes are shared between its days. `summarize_log` walks them with the
engine under some rules (`daybook import-log` reports a log with it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.domain.content import count_words
from bot.domain.engine import WalkState, advance, summarize
from bot.domain.logparse.model import LogEntry, ParsedLog
from bot.domain.models import DayFacts
from bot.domain.rules import Rules


@dataclass(frozen=True, slots=True)
class LogStats:
    """A log's totals, with the streaks and Day N the engine derives under some rules."""

    entries: int
    days_logged: int
    first_date: date | None
    last_date: date | None
    best_streak: int
    current_streak: int
    day_number: int


def day_facts(entries: Iterable[LogEntry]) -> dict[date, DayFacts]:
    """Return what each logged date holds, as the engine reads days (imported entries)."""
    per_day: dict[date, list[tuple[int | None, int, bool]]] = defaultdict(list)
    for entry in entries:
        if not entry.counts or not entry.dates:
            continue
        share = None if entry.minutes is None else entry.minutes // len(entry.dates)
        words = count_words(entry.text)
        for day in entry.dates:
            per_day[day].append((share, words, bool(entry.links)))
    facts: dict[date, DayFacts] = {}
    for day, items in per_day.items():
        stated = [minutes for minutes, _, _ in items if minutes is not None]
        facts[day] = DayFacts(
            day=day,
            entries=len(items),
            minutes=sum(stated) if stated else None,
            unstated=len(items) - len(stated),
            words=sum(words for _, words, _ in items),
            has_link=any(link for _, _, link in items),
            imported=len(items),
        )
    return facts


def summarize_log(parsed: ParsedLog, rules: Rules, today: date | None = None) -> LogStats:
    """Count a log's days and walk it under `rules` as of `today` (default: its last date)."""
    facts = day_facts(parsed.entries)
    dates = sorted(facts)
    first = dates[0] if dates else None
    last = dates[-1] if dates else None
    best = current = number = 0
    if first is not None:
        until = today or last or first
        if until >= first:
            state, _ = advance(rules, WalkState.start(first), facts, until, today=until)
            summary = summarize(rules, state, until)
            best, current, number = (
                summary.best_streak,
                summary.current_streak,
                summary.day_number,
            )
    return LogStats(
        entries=len(parsed.entries),
        days_logged=len(dates),
        first_date=first,
        last_date=last,
        best_streak=best,
        current_streak=current,
        day_number=number,
    )

"""Play the scripted community through Daybook's services and write what happened.

Nothing leaves the machine: the database is a file in the output folder and time is the
script's own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.demo.script import GUILD_ID, MEMBERS, ORGANIZER, Act, Action, build_script
from bot.domain.leaderboard import Metric
from bot.errors import DaybookError
from bot.services import Services
from storage import Database, migrate


@dataclass
class Transcript:
    """What the demo saw, in order, as Markdown lines."""

    lines: list[str] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    def event(self, action: Action, outcome: str) -> None:
        """Record one action and its outcome."""
        stamp = action.at.strftime("%Y-%m-%d %H:%M UTC")
        note = f" *({action.note})*" if action.note else ""
        self.lines.append(
            f"- `{stamp}` **{action.member.name}** {action.act.value}: {outcome}{note}"
        )

    def heading(self, text: str) -> None:
        """Start a section."""
        self.lines.extend(["", f"## {text}", ""])


def run_demo(out: Path) -> Path:
    """Play the script into a fresh database under `out`; return the transcript's path."""
    out.mkdir(parents=True, exist_ok=True)
    database_file = out / "demo.db"
    for stale in out.glob("demo.db*"):
        stale.unlink()
    lines = asyncio.run(play(f"sqlite+aiosqlite:///{database_file}"))
    path = out / "transcript.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def play(url: str) -> list[str]:
    """Play the whole script against the database at `url`; return the transcript lines."""
    await migrate(url)
    db = await Database.open(url)
    try:
        services = Services.build(db)
        transcript = Transcript(names={m.user_id: m.name for m in (*MEMBERS, ORGANIZER)})
        transcript.lines.append("# Daybook demo: a scripted community")
        transcript.heading("What happened")
        for action in build_script():
            transcript.event(action, await _play(services, action, transcript))
    finally:
        await db.close()
    return transcript.lines


async def _play(services: Services, action: Action, transcript: Transcript) -> str:
    """Carry out one action and describe its outcome in a sentence."""
    options = action.options
    user = action.member.user_id
    try:
        return await _dispatch(services, action, options, user, transcript)
    except DaybookError as error:
        return f"refused politely: \u201c{error.message}\u201d"


async def _dispatch(
    services: Services,
    action: Action,
    options: dict[str, object],
    user: int,
    transcript: Transcript,
) -> str:
    at = action.at
    if action.act is Act.CREATE:
        challenge = await services.challenges.create(guild_id=GUILD_ID, settings=options, now=at)
        return f"created {challenge.name} ({challenge.preset}): " + " ".join(
            challenge.rules.describe()
        )
    if action.act is Act.JOIN:
        joined = await services.participants.join(
            guild_id=GUILD_ID, user_id=user, now=at, timezone=str(options["timezone"])
        )
        return f"joined {joined.challenge.name} in {joined.participant.timezone}"
    if action.act is Act.TIMEZONE:
        await services.participants.set_timezone(
            guild_id=GUILD_ID, user_id=user, timezone=str(options["zone"]), now=at
        )
        return f"time zone set to {options['zone']}"
    if action.act is Act.LEAVE:
        challenge = await services.participants.leave(
            guild_id=GUILD_ID, user_id=user, challenge=None, now=at
        )
        return f"left {challenge.name}"
    if action.act is Act.LOG:
        minutes = options.get("minutes")
        day = options.get("day")
        recorded = await services.entries.record(
            guild_id=GUILD_ID,
            user_id=user,
            text=str(options["text"]),
            minutes=int(minutes) if isinstance(minutes, int) else None,
            day=date.fromisoformat(day) if isinstance(day, str) else None,
            at=at,
        )
        summary = recorded.summary
        verdict = (
            "counted"
            if recorded.counted
            else "not counted yet: missing " + ", ".join(recorded.verdict.shortfalls)
        )
        return (
            f"logged for {recorded.entry.local_day.isoformat()} \u2192 {verdict}; "
            f"Day {summary.day_number}, streak {summary.current_streak}"
        )
    if action.act is Act.STREAK:
        standing = await services.progress.summary(guild_id=GUILD_ID, viewer_id=user, now=at)
        s = standing.summary
        return (
            f"Day {s.day_number} (calendar day {s.calendar_day}), current streak "
            f"{s.current_streak}, best {s.best_streak}, misses {s.misses_used}, "
            f"projected end {s.projected_end}"
        )
    if action.act is Act.WHY:
        ledger = await services.progress.ledger(guild_id=GUILD_ID, viewer_id=user, now=at)
        rows = ledger.ledger.rows[-7:]
        return "last days:" + "".join(
            f"\n    - {row.day.isoformat()} {row.status.value}: {row.reason}" for row in rows
        )
    if action.act is Act.LEADERBOARD:
        metric = Metric(str(options.get("metric", "streak")))
        board = await services.progress.leaderboard(
            guild_id=GUILD_ID, viewer_id=user, metric=metric, now=at
        )
        places = [
            f"{p.rank}. {transcript.names.get(p.contender.user_id, p.contender.user_id)} "
            f"({_value(metric, p.value)})"
            for p in board.top()
        ]
        return f"{metric.value} leaderboard: " + ", ".join(places)
    raise AssertionError(action.act)


def _value(metric: Metric, value: float) -> str:
    if metric is Metric.CONSISTENCY:
        return f"{value:.0%}"
    return str(int(value))

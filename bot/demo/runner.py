"""`daybook demo`: play the scripted community through the real bot on a simulated Discord."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.demo.script import MEMBERS, START, WEEKS
from bot.wording import demo as wording

if TYPE_CHECKING:
    from bot.demo.discord_runner import SetUp, WeekPlayed

ABOUT_SECONDS = 40
"""How long the demo takes, said before it starts. Measured with `time ./run daybook demo` on
the development machine (2 cores shared with other work): 40 and 42 s while it was lightly
loaded (load average 1 to 1.6), 72 to 87 s while it was busy with other work (load 5 to 6). The
lines per week then say how long is left at the pace measured as it plays."""


def _quiet_discord(record: logging.LogRecord) -> bool:
    """Let through discord.py's errors only."""
    return not record.name.startswith("discord") or record.levelno >= logging.ERROR


class _Teller:
    """Words the demo's progress as it plays, with the real time it has taken and will take."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self._began = time.perf_counter()  # not time.monotonic: simcord simulates that one
        self._playing_since: float | None = None

    def _elapsed(self) -> float:
        return time.perf_counter() - self._began

    def set_up(self, set_up: SetUp) -> None:
        """Say the challenge is set up; the weeks' pace is timed from here."""
        elapsed = self._elapsed()
        self._playing_since = elapsed
        self._say(
            wording.set_up(
                first=set_up.first, last=set_up.last, joined=set_up.joined, elapsed=elapsed
            )
        )

    def week(self, week: WeekPlayed) -> None:
        """Say what a week held, and about how long the weeks left will take at this pace."""
        elapsed = self._elapsed()
        left = None
        if week.number < WEEKS:
            # Starting the bot and setting up is done once; the weeks take about as long each.
            playing = elapsed - (self._playing_since or 0.0)
            left = playing / week.number * (WEEKS - week.number)
        self._say(
            wording.week(
                number=week.number,
                weeks=WEEKS,
                first=week.first,
                last=week.last,
                posts=week.posts,
                reminders=week.reminders,
                digests=week.digests,
                elapsed=elapsed,
                left=left,
            )
        )


def run_demo(
    out: Path, database_url: str | None = None, progress: Callable[[str], None] | None = None
) -> Path:
    """Play the script into a fresh folder `out`; return the transcript's path.

    `progress` receives a line saying what the demo plays and about how long it takes, then a
    line when the challenge is set up and one per simulated week.
    """
    say = progress or (lambda _line: None)
    say(
        wording.starting(
            weeks=WEEKS,
            first=START,
            last=START + timedelta(weeks=WEEKS, days=-1),
            members=len(MEMBERS),
            seconds=ABOUT_SECONDS,
        )
    )
    teller = _Teller(say)
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("demo.db*"), *out.glob("*.png"), *out.glob("transcript.md")]:
        stale.unlink()
    # discord.py warns about voice support and simcord's own bookkeeping; the demo's story is
    # its transcript. (A filter, since discord.py's loggers are reconfigured as the bot starts.)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_quiet_discord)
    # Imported here: simcord builds a probe client when imported, which logs those warnings.
    from bot.demo.discord_runner import play_on_simcord

    transcript = asyncio.run(
        play_on_simcord(out, database_url, on_set_up=teller.set_up, on_week=teller.week)
    )
    path = out / "transcript.md"
    path.write_text("\n".join(transcript.lines) + "\n", encoding="utf-8")
    return path

"""What a log-reading worker process runs: read one upload within a budget, send back the result.

Kept apart from bot.services (whose package imports the storage layer and SQLAlchemy): a fresh
worker imports this module, the domain and nothing more, so it starts in a fraction of a
second. The bot's side, which starts, waits for and stops the workers, is
bot/services/parse_worker.py.
"""

from __future__ import annotations

import math
import os
import traceback
from dataclasses import dataclass
from datetime import date
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from bot.domain import logparse
from bot.domain.logparse import LogTooLongError, LogTooManyLinesError, NotALogError

if TYPE_CHECKING:
    from bot.domain.logparse import ParsedLog

REFUSALS = (NotALogError, LogTooLongError, LogTooManyLinesError)
"""What reading a file may answer instead of a log: each is worded for the member."""


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What reading one upload needs besides its bytes."""

    year: int | None = None
    start: date | None = None
    limit: int | None = None
    """The most entries accepted (LogTooLongError beyond)."""
    max_lines: int | None = None
    """The most lines of text accepted (LogTooManyLinesError beyond)."""


@dataclass(frozen=True, slots=True)
class ParseBudget:
    """What one reading may spend before it is stopped."""

    cpu_seconds: float = 10.0
    """CPU time (whole seconds count: RLIMIT_CPU is in seconds). A 2 MB log takes about 1 s."""
    memory_bytes: int = 768 * 1024 * 1024
    """Address space on top of what the process holds when it starts reading."""
    wall_seconds: float = 30.0
    """How long the bot waits for the answer, whatever the process is doing."""


def parse_upload(data: bytes, options: ParseOptions) -> ParsedLog:
    """Decode and read an uploaded file: what a worker runs."""
    # The reader (its vocabulary, dateparser's data, markdown-it) loads here, on first use: the
    # bot imports this module at start and reads logs only in its workers and on /import.
    return logparse.parse_log(
        logparse.decode_log(data),
        year=options.year,
        start=options.start,
        limit=options.limit,
        max_lines=options.max_lines,
    )


def work(sender: Connection, budget: ParseBudget, data: bytes, options: ParseOptions) -> None:
    """Read one upload within the budget and send back what came of it (in the worker)."""
    _limit_self(budget)
    outcome: tuple[str, object]
    out_of_memory = False
    try:
        outcome = ("parsed", parse_upload(data, options))
    except MemoryError:
        # Answered after the handler: the traceback holds the reading's frames (and memory).
        out_of_memory = True
    except REFUSALS as refusal:
        outcome = ("refused", refusal)
    except Exception:  # a bug: the bot logs it with the traceback
        outcome = ("failed", traceback.format_exc())
    if out_of_memory:
        outcome = ("overrun", "memory")
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("overrun", "memory"))
    finally:
        sender.close()


def _limit_self(budget: ParseBudget) -> None:
    """Set this process's CPU-time and address-space limits (where the platform has them)."""
    try:
        import resource
    except ImportError:  # not a Unix: the parent's wall clock is the only limit
        return
    seconds = max(1, math.ceil(budget.cpu_seconds))
    # Past the soft limit the kernel sends SIGXCPU (which ends the process); past the hard
    # one, SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    held = _address_space()
    if held is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = held + budget.memory_bytes
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    """Return this process's address space in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")

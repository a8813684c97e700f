"""Reading an uploaded log in a process of its own, within a budget of CPU time and memory.

Why a process: reading a log is pure Python (regular expressions and markdown-it hold the GIL
while they run), so in a thread a slow log would still stall the bot's event loop; and only a
process can be stopped part-way. Each log is read in a fresh process, which first limits itself
(RLIMIT_CPU: the kernel stops it after that much CPU time; RLIMIT_AS: an allocation past the
budget raises MemoryError), while the bot waits for it on a thread, at most a wall-clock
timeout, then kills it. The process comes from multiprocessing's fork server where there is
one (the bot runs threads, so a plain fork of it is not safe), else it is spawned; what it runs
is bot/parse_child.py, which imports the domain and nothing of the services.

`InProcessReader` reads in a thread of the calling process instead: for tests whose point is
not the process, and for one-shot tools.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import select
import sys
import time
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Protocol

from bot.domain import logparse
from bot.parse_child import REFUSALS, ParseBudget, ParseOptions, parse_upload, work

if TYPE_CHECKING:
    from bot.domain.logparse import ParsedLog

__all__ = [
    "REFUSALS",
    "InProcessReader",
    "LogReader",
    "ParseBudget",
    "ParseOptions",
    "ParseOverrunError",
    "ProcessReader",
    "parse_upload",
]

log = logging.getLogger(__name__)


class ParseOverrunError(Exception):
    """Reading a log ran out of its budget, and the worker was stopped."""

    def __init__(self, resource: str) -> None:
        super().__init__(resource)
        self.resource = resource
        """"time" or "memory"."""

    def __reduce__(self) -> tuple[type[ParseOverrunError], tuple[str]]:
        """Pickle with the resource (for symmetry with the refusals a worker sends back)."""
        return type(self), (self.resource,)


class LogReader(Protocol):
    """Something that reads an uploaded file as a log."""

    async def read(self, data: bytes, options: ParseOptions) -> ParsedLog:
        """Return the log, or raise one of REFUSALS or ParseOverrunError."""
        ...


class InProcessReader:
    """Reads in a thread of this process: no budget, no process to start."""

    async def read(self, data: bytes, options: ParseOptions) -> ParsedLog:
        """Read on a worker thread."""
        return await asyncio.to_thread(parse_upload, data, options)


def worker_context() -> BaseContext:
    """Return the fork server's context where there is one, else spawn's.

    The fork server is shared with the chart pool (bot/charts/pool.py), which sets what it
    preloads; reading needs nothing preloaded.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class ProcessReader:
    """Reads each log in a fresh process with a budget; killed and reported when it overruns."""

    def __init__(
        self,
        budget: ParseBudget | None = None,
        *,
        concurrency: int = 2,
        context: BaseContext | None = None,
    ) -> None:
        self.budget = budget or ParseBudget()
        self._context = context
        # At most this many readers at once: each is a process with its own budget, and the
        # machine has few cores; the rest wait their turn.
        self._slots = asyncio.Semaphore(concurrency)

    async def read(self, data: bytes, options: ParseOptions) -> ParsedLog:
        """Read in a new process; raise ParseOverrunError when it runs out of budget."""
        async with self._slots:
            return await self._read(data, options)

    async def _read(self, data: bytes, options: ParseOptions) -> ParsedLog:
        context = self._context or worker_context()
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(  # type: ignore[attr-defined]
            target=work,
            args=(sender, self.budget, data, options),
            name="daybook-log-reader",
            daemon=True,
        )
        try:
            # Starting pickles the upload to the new process: off the event loop.
            await asyncio.to_thread(process.start)
            sender.close()  # the child holds its own end; EOF then means it is gone
            outcome = await asyncio.to_thread(_receive, receiver, self.budget.wall_seconds)
        finally:
            sender.close()
            receiver.close()
            # Also after an answer: the worker has nothing left to do but exit.
            if process.is_alive():
                process.kill()
            await asyncio.to_thread(_reap, process)
        return _result(outcome, process.exitcode)


def _receive(receiver: Connection, timeout: float) -> tuple[str, object] | None:
    """Wait (on a thread) for the worker's answer; None if it timed out or died silently."""
    try:
        if not _readable(receiver, timeout):
            return None
        answer: tuple[str, object] = receiver.recv()
    except (EOFError, OSError):
        return None
    return answer


def _readable(receiver: Connection, timeout: float) -> bool:
    """Whether the pipe has something to read (or was closed) within `timeout` seconds.

    The deadline is kept with perf_counter and select, not `Connection.poll`: that one counts
    with time.monotonic, which a simulated Discord (simcord) turns into its virtual clock, and
    the wait would then never end.
    """
    if sys.platform == "win32":
        return receiver.poll(timeout)
    deadline = time.perf_counter() + timeout
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return False
        try:
            ready, _, _ = select.select([receiver], [], [], remaining)
        except InterruptedError:
            continue
        if ready:
            return True


def _reap(process: multiprocessing.process.BaseProcess) -> None:
    if process.pid is not None:  # it started
        process.join(5)


def _result(outcome: tuple[str, object] | None, exitcode: int | None) -> ParsedLog:
    """Turn what a worker sent (or did not) into the log, a refusal or an overrun."""
    if outcome is None:
        # Stopped by RLIMIT_CPU (SIGXCPU; SIGKILL past the hard limit) or by us at the timeout
        # (SIGKILL); a silent death of any other kind is treated the same: it cost too much.
        log.warning("log reader stopped (exit code %s)", exitcode)
        raise ParseOverrunError("time")
    kind, value = outcome
    if kind == "parsed" and isinstance(value, logparse.ParsedLog):
        return value
    if kind == "refused" and isinstance(value, REFUSALS):
        raise value
    if kind == "overrun" and isinstance(value, str):
        log.warning("log reader ran out of %s", value)
        raise ParseOverrunError(value)
    raise RuntimeError(f"the log reader failed: {value}")

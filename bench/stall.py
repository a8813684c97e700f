"""How long the event loop stalls, and (while it does) where the main thread is.

A probe task sleeps a millisecond again and again and notes how late it wakes; a sampler thread
notes the main thread's frames while the probe is overdue.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

PROBE_PERIOD = 0.001
SAMPLE_EVERY = 0.005
STALL_SAMPLE_AFTER = 0.02
"""The stall sampler (--profile) samples once the loop has not run for this long."""
ROOT = Path(__file__).resolve().parent.parent
"""The repository: samples name files relative to it."""
PROJECT = frozenset({"bot", "storage", "cogs"})


@dataclass(slots=True)
class Probe:
    """Wakes every PROBE_PERIOD and notes how late it woke: the loop's stalls."""

    wakes: list[tuple[float, float]] = field(default_factory=list)
    """(instant the stall began, its length in seconds) of each wake."""
    last_wake: float = field(default_factory=time.perf_counter)

    @property
    def worst_ms(self) -> float:
        """The longest stall, in milliseconds."""
        return max((late for _, late in self.wakes), default=0.0) * 1000

    def worst_in(self, start: float, end: float) -> float:
        """The longest stall that began between `start` and `end`, in milliseconds."""
        return max((late for at, late in self.wakes if start <= at < end), default=0.0) * 1000

    async def run(self, stop: asyncio.Event) -> None:
        """Sleep PROBE_PERIOD again and again until stopped."""
        while not stop.is_set():
            slept = time.perf_counter()
            await asyncio.sleep(PROBE_PERIOD)
            self.last_wake = time.perf_counter()
            gap = self.last_wake - slept
            self.wakes.append((slept + PROBE_PERIOD, max(0.0, gap - PROBE_PERIOD)))


@contextlib.asynccontextmanager
async def probing() -> AsyncIterator[Probe]:
    """Run a stall probe for the duration of the block."""
    probe, stop = Probe(), asyncio.Event()
    task = asyncio.create_task(probe.run(stop))
    await asyncio.sleep(0)
    try:
        yield probe
    finally:
        stop.set()
        await task


class StallSampler:
    """While the loop is stalled, note where the main thread is: a thread sampling every 5 ms.

    A stall is the probe not having woken for STALL_SAMPLE_AFTER. Each sample names the
    innermost frame of Daybook's own code (bot/, storage/, cogs/) and the innermost frame of
    all; pure Python lets this thread in at each GIL switch (5 ms), a garbage collection does
    not (its pause shows as fewer samples than its length).
    """

    def __init__(self, probe: Probe) -> None:
        self.probe = probe
        self.samples: Counter[tuple[str, str]] = Counter()
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)

    def __enter__(self) -> StallSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            if time.perf_counter() - self.probe.last_wake < STALL_SAMPLE_AFTER:
                continue
            frame = sys._current_frames().get(self._main or 0)
            if frame is not None:
                self.samples[where(frame)] += 1

    def top(self, count: int) -> list[str]:
        """Return the most sampled lines of the use case, and within each the functions."""
        total = sum(self.samples.values())
        lines: Counter[str] = Counter()
        for (line, _), n in self.samples.items():
            lines[line] += n
        out = [f"{total} samples"]
        for line, n in lines.most_common(count):
            out.append(f"{n / total:4.0%} {line}")
            inner = Counter({fn: k for (at, fn), k in self.samples.items() if at == line})
            out.extend(f"       {k / total:4.0%} in {fn}" for fn, k in inner.most_common(3))
        return out


def where(frame: FrameType) -> tuple[str, str]:
    """Return (the use case's line, the innermost Daybook function) a sample stands in.

    The use case is the outermost frame in bot/services/ (here DigestService.preview); its
    line is the deepest frame in the same file, so a sample inside a helper it calls (the walk,
    a repository) is counted against the statement of the use case that called it.
    """
    services: list[tuple[str, str]] = []
    inner = "(outside Daybook)"
    current: FrameType | None = frame
    while current is not None:
        path = Path(current.f_code.co_filename)
        if path.is_relative_to(ROOT):
            shown = str(path.relative_to(ROOT))
            if inner == "(outside Daybook)" and path.relative_to(ROOT).parts[0] in PROJECT:
                inner = f"{shown} {current.f_code.co_name}"
            if shown.startswith("bot/services/"):
                services.append((shown, f"{shown}:{current.f_lineno} {current.f_code.co_name}"))
        current = current.f_back
    if not services:
        return "(no service)", inner
    use_case = services[-1][0]
    return next(line for file, line in services if file == use_case), inner


async def probe_stalls(stop: asyncio.Event, period: float = 0.005) -> float:
    """Sleep `period` again and again until stopped; return the worst lateness in ms."""
    worst = 0.0
    while not stop.is_set():
        due = time.perf_counter() + period
        await asyncio.sleep(period)
        worst = max(worst, time.perf_counter() - due)
    return worst * 1000

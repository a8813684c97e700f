"""CPU profiles of a benchmark's phases (cProfile on the main thread's CPU clock)."""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import time
from collections.abc import Iterator
from pathlib import Path

from bench.report import say


@contextlib.contextmanager
def profiled(directory: Path | None, name: str) -> Iterator[None]:
    """Profile the block with cProfile when a directory is given, and print its hot spots.

    The timer is the thread's CPU clock, so time spent waiting for aiosqlite's worker thread
    does not drown the Python that matters; the wall-clock figures come from the timed runs.
    """
    if directory is None:
        yield
        return
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"{name}.prof"
        profile.dump_stats(target)
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(r"/(bot|storage)/", 20)
        say(f"--- CPU profile of {name} ({target}) ---\n{text.getvalue()}")


@contextlib.contextmanager
def printed_profile(enabled: bool, name: str) -> Iterator[None]:
    """cProfile the block on the main thread's CPU clock and print its hot spots to stderr."""
    if not enabled:
        yield
        return
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats("tottime").print_stats(12)
        stats.sort_stats("cumulative").print_stats(r"/(bot|storage|cogs)/", 18)
        say(f"--- CPU profile of {name} (main thread) ---\n{text.getvalue()}")

"""The worker processes that draw charts, so the event loop never waits for matplotlib."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import ParamSpec, TypeVar

from bot.charts import jobs

CHART_WORKERS = 2
"""Processes drawing charts: a render takes about 100 ms, so two keep up with a busy server."""

P = ParamSpec("P")
T = TypeVar("T")


def chart_pool(workers: int = CHART_WORKERS) -> ProcessPoolExecutor:
    """Return a process pool for drawing charts, each worker drawing once as it starts.

    Where there is a fork server (Linux, macOS), it imports the drawing code once and forks
    each worker from there: a worker starts in milliseconds, sharing matplotlib's memory with
    the others. (A plain fork of the bot, which runs threads, is not safe.) Elsewhere: spawn.
    """
    context: BaseContext
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")
        # The main module too: else every worker would run it again (a fork-server default).
        server.set_forkserver_preload(
            [
                "__main__",
                "bot.charts.heatmap",
                "bot.charts.leaderboard",
                "bot.charts.weekly",
                "bot.charts.activity",
            ]
        )
        context = server
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=jobs.warm_up)


class ChartPool(Executor):
    """A bot's own chart workers: a `chart_pool()` made on first use, shut down with the bot.

    Made on first use, not when the bot is built: a process pool takes semaphores and may start
    multiprocessing's resource tracker, which a bot that is built and never started (a test
    listing its commands) should not leave behind.
    """

    def __init__(self, workers: int = CHART_WORKERS) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        # Charts are submitted from worker threads (see ChartService), so two could race here.
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        """Whether the process pool exists (a chart was drawn or the workers were warmed)."""
        return self._pool is not None

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run `fn` in a worker process, making the pool first if need be."""
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if self._pool is None:
                self._pool = chart_pool(self.workers)
            pool = self._pool
        return pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the workers (if they ever started); no chart can be submitted afterwards."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)

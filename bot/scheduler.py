"""The one scheduler: two minute ticks that ask the services what is due; the database decides.

The scheduler holds no per-member jobs and no state worth keeping: every scheduled decision is
made by the bot's ticks from the database and the clock, and each is safe to run twice. The
reminder tick runs at the top of each minute; the digest tick (weekly digests and the daily
checkpoint refresh) half a minute later, as its own loop, so a long wave of paced reminders
never holds a digest back.

Each tick is a loop that sleeps until the next wall-clock minute (plus its offset), working out
the wait afresh each time and sleeping on the event loop's monotonic clock. So a wall clock
that steps back (an NTP correction, a resumed VM) never delays a tick by more than a minute.
APScheduler, used before, keeps each job's next run as a wall-clock instant and waited out the
whole step: 150 s back meant no tick for two and a half minutes. A tick that runs long is not
doubled (the loop waits for it), and the next one does the work of any minute it missed, since
each tick looks at what is due. A tick that raises is logged, and the next minute runs again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

REMINDER_JOB = "daybook.reminders"
DIGEST_JOB = "daybook.digests"
REMINDER_OFFSET = 0.0
DIGEST_OFFSET = 30.0
"""Seconds past the minute each tick runs at."""
PERIOD = 60.0
MIN_GAP = 10.0
"""Seconds a run is kept from the previous one: a loop that woke a hair before the minute (the
wall and monotonic clocks drift apart) or a wall clock stepped back by a few seconds does not
run the same minute twice in a row; the next minute runs instead."""
STOP_TIMEOUT = 10.0
"""Seconds a stopping scheduler waits for a cancelled tick to give back its claims."""

Job = Callable[[], Awaitable[object]]


class MinuteLoop:
    """Runs one job every minute at `offset` seconds past the wall-clock minute."""

    def __init__(
        self,
        name: str,
        job: Job,
        *,
        offset: float = 0.0,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.name = name
        self._job = job
        self._offset = offset % PERIOD
        self._wall = wall
        self._monotonic = monotonic
        self._sleep = sleep
        self._last_run: float | None = None
        """When the last run started, on the monotonic clock."""

    def wait(self) -> float:
        """Return the seconds until the next run: never more than a minute (plus MIN_GAP)."""
        wait = (self._offset - self._wall()) % PERIOD
        if self._last_run is not None and self._monotonic() + wait - self._last_run < MIN_GAP:
            wait += PERIOD
        return wait

    async def run_once(self) -> None:
        """Run the job now; a failure is logged, never raised (the next minute runs again)."""
        self._last_run = self._monotonic()
        try:
            await self._job()
        except Exception:
            log.exception("scheduled job %s failed; the next minute runs it again", self.name)

    async def run_forever(self) -> None:
        """Sleep until each minute's run and run it, until cancelled."""
        while True:
            await self._sleep(self.wait())
            await self.run_once()


class Scheduler:
    """The bot's minute loops, started once per process and stopped when the bot closes."""

    def __init__(self, loops: list[MinuteLoop]) -> None:
        self.loops = loops
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        """Whether the loops are running."""
        return any(not task.done() for task in self._tasks)

    @property
    def job_names(self) -> set[str]:
        """Return the names of the scheduled jobs."""
        return {loop.name for loop in self.loops}

    def start(self) -> None:
        """Start every loop on the running event loop."""
        if self.running:
            return
        self._tasks = [
            asyncio.create_task(loop.run_forever(), name=loop.name) for loop in self.loops
        ]

    async def stop(self) -> None:
        """Cancel the loops, giving a tick in progress a moment to give back its claims."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=STOP_TIMEOUT)


def build_scheduler(*, reminders: Job, digests: Job) -> Scheduler:
    """Return an unstarted scheduler: reminders at the top of each minute, digests at :30."""
    return Scheduler(
        [
            MinuteLoop(REMINDER_JOB, reminders, offset=REMINDER_OFFSET),
            MinuteLoop(DIGEST_JOB, digests, offset=DIGEST_OFFSET),
        ]
    )

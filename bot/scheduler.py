"""The one scheduler: a minute tick that asks the services what is due; the database decides.

APScheduler holds no per-member jobs and no state worth keeping: every scheduled decision is
made by `bot.tick()` from the database and the clock, and each is safe to run twice. The job
defaults are set on purpose (APScheduler's own drop a run that is even a second late).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)

TICK_JOB = "daybook.tick"
MISFIRE_GRACE_SECONDS = 300
"""A tick late by up to five minutes (a busy loop, a slow start) still runs; later ones are
logged as missed, and the next tick does their work, since each tick looks at what is due."""


def build_scheduler() -> AsyncIOScheduler:
    """Return an unstarted scheduler with Daybook's job defaults."""
    return AsyncIOScheduler(
        timezone=UTC,
        job_defaults={
            # Several runs due at once (after a pause) become one: a tick catches up by itself.
            "coalesce": True,
            # A tick still running when the next is due is not doubled.
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )


def schedule_ticks(scheduler: AsyncIOScheduler, tick: Callable[[], Awaitable[None]]) -> None:
    """Run `tick` at the start of every minute (UTC), and log runs that were missed or failed."""
    scheduler.add_job(
        tick,
        CronTrigger(second=0, timezone=UTC),
        id=TICK_JOB,
        name="every scheduled check",
        replace_existing=True,
    )
    scheduler.add_listener(_report, EVENT_JOB_MISSED | EVENT_JOB_ERROR)


def _report(event: JobExecutionEvent) -> None:
    if event.exception is not None:
        log.error("scheduled job %s failed", event.job_id, exc_info=event.exception)
    else:
        log.warning(
            "scheduled job %s missed its run at %s (more than %s s late); the next tick catches up",
            event.job_id,
            event.scheduled_run_time,
            MISFIRE_GRACE_SECONDS,
        )

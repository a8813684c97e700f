"""The one scheduler: two minute ticks that ask the services what is due; the database decides.

APScheduler holds no per-member jobs and no state worth keeping: every scheduled decision is
made by the bot's ticks from the database and the clock, and each is safe to run twice. The
reminder tick runs at the top of each minute; the digest tick (weekly digests and the daily
checkpoint refresh) half a minute later, as its own job, so a long wave of paced reminders
never holds a digest back. The job defaults are set on purpose (APScheduler's own drop a run
that is even a second late).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)

REMINDER_JOB = "daybook.reminders"
DIGEST_JOB = "daybook.digests"
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


def schedule_ticks(
    scheduler: AsyncIOScheduler,
    *,
    reminders: Callable[[], Awaitable[object]],
    digests: Callable[[], Awaitable[object]],
) -> None:
    """Run the reminder tick every minute and the digest tick half a minute later (UTC)."""
    scheduler.add_job(
        reminders,
        CronTrigger(second=0, timezone=UTC),
        id=REMINDER_JOB,
        name="reminders and nudges",
        replace_existing=True,
    )
    scheduler.add_job(
        digests,
        CronTrigger(second=30, timezone=UTC),
        id=DIGEST_JOB,
        name="weekly digests and checkpoints",
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

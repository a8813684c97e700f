"""The one scheduler: a minute tick with deliberate job defaults, started once by the bot."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import simcord
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.triggers.cron import CronTrigger

from bot.app import create_bot
from bot.clock import FixedClock
from bot.config import Settings
from bot.scheduler import (
    DIGEST_JOB,
    MISFIRE_GRACE_SECONDS,
    REMINDER_JOB,
    _report,
    build_scheduler,
    schedule_ticks,
)


async def nothing() -> None:
    return None


async def test_two_ticks_run_every_minute_with_deliberate_defaults() -> None:
    scheduler = build_scheduler()
    schedule_ticks(scheduler, reminders=nothing, digests=nothing)
    scheduler.start(paused=True)  # APScheduler applies the job defaults when it starts
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {REMINDER_JOB, DIGEST_JOB}
    seconds = {}
    for job in jobs.values():
        assert isinstance(job.trigger, CronTrigger)
        fields = {
            name: str(job.trigger.fields[CronTrigger.FIELD_NAMES.index(name)])
            for name in ("second", "minute", "hour")
        }
        seconds[job.id] = fields["second"]
        assert (fields["minute"], fields["hour"]) == ("*", "*")  # every minute
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS >= 60
    assert seconds == {REMINDER_JOB: "0", DIGEST_JOB: "30"}
    scheduler.shutdown(wait=False)


def test_missed_and_failed_runs_are_logged(caplog) -> None:
    when = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        _report(JobExecutionEvent(EVENT_JOB_MISSED, REMINDER_JOB, "default", when))
        _report(
            JobExecutionEvent(
                EVENT_JOB_ERROR, REMINDER_JOB, "default", when, exception=ValueError("x")
            )
        )
    messages = [record.getMessage() for record in caplog.records]
    assert any("missed its run" in message for message in messages)
    assert any("failed" in message for message in messages)


async def test_the_bot_starts_its_scheduler_once_and_stops_it(tmp_path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'daybook.db'}", dev_guild_id=1
    )
    with ThreadPoolExecutor(1) as charts:
        bot = create_bot(
            settings, clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC)), chart_executor=charts
        )
        async with simcord.run(bot) as env:
            env.create_guild(id=1)
            scheduler = bot.scheduler
            assert scheduler is not None
            assert scheduler.running
            assert {job.id for job in scheduler.get_jobs()} == {REMINDER_JOB, DIGEST_JOB}
        await bot.close()  # what `daybook run` does on SIGTERM
        assert bot.scheduler is None
        assert not scheduler.running

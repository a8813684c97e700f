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
from bot.scheduler import MISFIRE_GRACE_SECONDS, TICK_JOB, _report, build_scheduler, schedule_ticks


async def nothing() -> None:
    return None


async def test_the_tick_runs_every_minute_with_deliberate_defaults() -> None:
    scheduler = build_scheduler()
    schedule_ticks(scheduler, nothing)
    scheduler.start(paused=True)  # APScheduler applies the job defaults when it starts
    (job,) = scheduler.get_jobs()
    assert job.id == TICK_JOB
    assert isinstance(job.trigger, CronTrigger)
    assert str(job.trigger.fields[CronTrigger.FIELD_NAMES.index("second")]) == "0"
    assert job.coalesce is True
    assert job.max_instances == 1
    assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS >= 60
    scheduler.shutdown(wait=False)


def test_missed_and_failed_runs_are_logged(caplog) -> None:
    when = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        _report(JobExecutionEvent(EVENT_JOB_MISSED, TICK_JOB, "default", when))
        _report(
            JobExecutionEvent(EVENT_JOB_ERROR, TICK_JOB, "default", when, exception=ValueError("x"))
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
            assert [job.id for job in scheduler.get_jobs()] == [TICK_JOB]
        await bot.close()  # what `daybook run` does on SIGTERM
        assert bot.scheduler is None
        assert not scheduler.running

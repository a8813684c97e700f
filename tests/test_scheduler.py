"""The one scheduler: two minute ticks on the wall clock's minute, robust to the wall clock
stepping back, started once by the bot and stopped when it closes.

Time is fake: a wall clock (which a test can step) and a monotonic clock that only the fake
`sleep` moves, as the event loop's timers do.
"""

from __future__ import annotations

import itertools
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
import simcord

from bot.app import create_bot
from bot.clock import FixedClock
from bot.config import Settings
from bot.scheduler import (
    DIGEST_JOB,
    DIGEST_OFFSET,
    MIN_GAP,
    PERIOD,
    REMINDER_JOB,
    MinuteLoop,
)
from tests._postgres import scratch_url

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC).timestamp()


class StopLoopError(Exception):
    """Ends a loop under test after enough sleeps."""


@dataclass
class FakeTime:
    """A monotonic clock moved only by `sleep`, and a wall clock that can also be stepped."""

    wall_at_start: float
    sleeps_left: int = 1000
    monotonic_now: float = 5000.0
    step: float = 0.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.monotonic_now

    def wall(self) -> float:
        return self.wall_at_start + (self.monotonic_now - 5000.0) + self.step

    async def sleep(self, seconds: float) -> None:
        if self.sleeps_left == 0:
            raise StopLoopError
        self.sleeps_left -= 1
        assert seconds >= 0
        self.slept.append(seconds)
        self.monotonic_now += seconds


@dataclass
class Runs:
    """A job that notes the monotonic and wall instants it ran at."""

    time: FakeTime
    monotonic: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    async def __call__(self) -> None:
        self.monotonic.append(self.time.monotonic())
        self.wall.append(self.time.wall())


async def run_loop(time: FakeTime, runs: Runs, *, offset: float = 0.0, sleeps: int) -> MinuteLoop:
    time.sleeps_left = sleeps
    loop = MinuteLoop(
        "job", runs, offset=offset, wall=time.wall, monotonic=time.monotonic, sleep=time.sleep
    )
    with pytest.raises(StopLoopError):
        await loop.run_forever()
    return loop


async def test_the_tick_runs_at_the_top_of_every_minute() -> None:
    time = FakeTime(wall_at_start=NOON + 12.5)
    runs = Runs(time)
    await run_loop(time, runs, sleeps=5)
    assert runs.wall == [NOON + 60 * n for n in range(1, 6)]


async def test_the_digest_tick_runs_half_a_minute_later() -> None:
    time = FakeTime(wall_at_start=NOON + 12.5)
    runs = Runs(time)
    await run_loop(time, runs, offset=DIGEST_OFFSET, sleeps=3)
    assert runs.wall == [NOON + 30, NOON + 90, NOON + 150]


@pytest.mark.parametrize("step_back", [150.0, 3600.0, 61.0, 30.0])
async def test_a_wall_clock_stepping_back_never_holds_the_tick_for_more_than_a_minute(
    step_back: float,
) -> None:
    # The issue: with the wall clock stepped back 150 s, APScheduler did not tick for at least
    # two minutes. Here every wait is worked out afresh from the wall clock's minute.
    time = FakeTime(wall_at_start=NOON)
    stepped_at: list[float] = []

    async def job() -> None:
        runs.monotonic.append(time.monotonic())
        if len(runs.monotonic) == 3:
            time.step -= step_back  # just after the third run, as NTP would
            stepped_at.append(time.monotonic())

    runs = Runs(time)
    await run_loop(time, job, sleeps=12)  # type: ignore[arg-type]
    gaps = [later - earlier for earlier, later in itertools.pairwise(runs.monotonic)]
    assert len(runs.monotonic) == 12
    # At most a minute apart, or a few seconds more when the step lands just before a minute
    # already run (that minute is not run twice in a row).
    assert max(gaps) <= PERIOD + MIN_GAP
    after = [moment for moment in runs.monotonic if moment > stepped_at[0]]
    assert after[0] - stepped_at[0] <= PERIOD + MIN_GAP
    if step_back == 150.0:
        assert after[0] - stepped_at[0] == 30.0  # the wall clock's next minute, 30 s away


async def test_a_wall_clock_stepping_back_a_few_seconds_does_not_run_a_minute_twice() -> None:
    time = FakeTime(wall_at_start=NOON - 0.5)
    runs = Runs(time)

    async def job() -> None:
        await runs()
        if len(runs.monotonic) == 1:
            time.step -= 3.0  # the wall clock goes back over the minute just run

    await run_loop(time, job, sleeps=3)  # type: ignore[arg-type]
    gaps = [later - earlier for earlier, later in itertools.pairwise(runs.monotonic)]
    assert all(MIN_GAP <= gap <= PERIOD + MIN_GAP for gap in gaps)


async def test_a_loop_woken_a_hair_early_waits_for_the_next_minute() -> None:
    time = FakeTime(wall_at_start=NOON - 0.001)  # the timer fired a millisecond early
    runs = Runs(time)
    loop = MinuteLoop("job", runs, wall=time.wall, monotonic=time.monotonic, sleep=time.sleep)
    await loop.run_once()
    assert loop.wait() == pytest.approx(PERIOD + 0.001)


async def test_a_wall_clock_stepping_forward_runs_at_the_next_minute() -> None:
    time = FakeTime(wall_at_start=NOON)
    runs = Runs(time)

    async def job() -> None:
        await runs()
        if len(runs.monotonic) == 2:
            time.step += 3 * 3600 + 20  # a resumed VM: three hours and 20 s later

    await run_loop(time, job, sleeps=4)  # type: ignore[arg-type]
    gaps = [later - earlier for earlier, later in itertools.pairwise(runs.monotonic)]
    assert gaps == [60.0, 40.0, 60.0]
    assert all(moment % 60 == pytest.approx(0) for moment in runs.wall)


async def test_a_tick_that_raises_is_logged_and_the_next_minute_runs(caplog) -> None:
    time = FakeTime(wall_at_start=NOON + 1)
    calls: list[float] = []

    async def flaky() -> None:
        calls.append(time.wall())
        if len(calls) == 1:
            raise ValueError("the database went away")

    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        await run_loop(time, flaky, sleeps=2)  # type: ignore[arg-type]
    assert calls == [NOON + 60, NOON + 120]
    assert "scheduled job job failed" in caplog.text


async def test_the_bot_starts_its_scheduler_once_and_stops_it(tmp_path) -> None:
    settings = Settings(database_url=scratch_url(tmp_path / "daybook.db"), dev_guild_id=1)
    with ThreadPoolExecutor(1) as charts:
        bot = create_bot(
            settings, clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC)), chart_executor=charts
        )
        async with simcord.run(bot) as env:
            env.create_guild(id=1)
            scheduler = bot.scheduler
            assert scheduler is not None
            assert scheduler.running
            assert scheduler.job_names == {REMINDER_JOB, DIGEST_JOB}
        await bot.close()  # what `daybook run` does on SIGTERM
        assert bot.scheduler is None
        assert not scheduler.running

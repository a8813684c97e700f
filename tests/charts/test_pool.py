"""The bot's own chart workers: made on first use, gone for good once shut down."""

from __future__ import annotations

import os

import pytest

from bot.charts import jobs
from bot.charts.pool import ChartPool


def test_the_pool_starts_on_first_use_and_refuses_work_after_shutdown() -> None:
    pool = ChartPool(workers=1)
    assert not pool.started  # building a bot starts no process
    try:
        worker = pool.submit(jobs.worker_id).result(timeout=120)
        assert pool.started
        assert worker != os.getpid()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    assert not pool.started
    with pytest.raises(RuntimeError, match="after shutdown"):
        pool.submit(jobs.worker_id)


def test_shutting_down_an_unused_pool_starts_nothing() -> None:
    pool = ChartPool()
    pool.shutdown()
    assert not pool.started

"""The fleet builder (`bench.fleet`) and the multi-process bench (`bench.processes`), tiny.

Runs on PostgreSQL only (`.ci/postgres ./run pytest tests/test_bench_fleet.py`): the scratch
database of DAYBOOK_TEST_POSTGRES_URL is emptied and a fleet of a few servers built into it.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg  # type: ignore[import-untyped]
import pytest

from bench import fleet, processes
from bench.synthetic import pg_dsn
from bench.world import NOW, TODAY
from bot.services import Services
from bot.services.reminders import REMINDER
from storage import Database
from storage.shards import shard_of
from tests._postgres import POSTGRES_URL, empty_postgres

pytestmark = pytest.mark.postgres_only

SERVERS, MEMBERS, DAYS = 8, 6, 3


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    """A fleet of 8 servers of 6 members, 3 days of posts, in the scratch database."""
    asyncio.run(empty_postgres(POSTGRES_URL))
    return asyncio.run(fleet.build_fleet(POSTGRES_URL, SERVERS, MEMBERS, DAYS, seed=3))


async def fetch(statement: str) -> list[Any]:
    connection = await asyncpg.connect(pg_dsn(POSTGRES_URL))
    try:
        return list(await connection.fetch(statement))
    finally:
        await connection.close()


async def due_reminders(at: Any) -> list[Any]:
    db = await Database.open(POSTGRES_URL)
    try:
        batches = await Services.build(db).reminders.due(at)
    finally:
        await db.close()
    return [member for batch in batches if batch.kind == REMINDER for member in batch.members]


def test_each_server_is_its_own_challenge_spread_evenly_over_the_shards(
    built: dict[str, Any],
) -> None:
    rows = asyncio.run(fetch("SELECT guild_id FROM challenges"))
    shards = Counter(shard_of(row["guild_id"], fleet.SHARD_COUNT) for row in rows)

    assert len({row["guild_id"] for row in rows}) == SERVERS
    assert shards == dict.fromkeys(range(fleet.SHARD_COUNT), SERVERS // fleet.SHARD_COUNT)
    members = asyncio.run(fetch("SELECT count(*) AS n FROM participants"))
    assert members[0]["n"] == built["members"] == SERVERS * MEMBERS


def test_posts_cover_the_last_days_and_today_up_to_now(built: dict[str, Any]) -> None:
    (row,) = asyncio.run(
        fetch("SELECT min(local_day) AS first, max(created_at) AS last, count(*) AS n FROM entries")
    )

    assert row["n"] == built["entries"] > 0
    assert row["first"] >= TODAY - timedelta(days=DAYS)
    assert row["last"] < NOW.replace(tzinfo=None)


def test_a_minute_before_now_every_reminder_due_was_sent(built: dict[str, Any]) -> None:
    assert built["servers"] == SERVERS
    assert asyncio.run(due_reminders(NOW - timedelta(minutes=1))) == []


def test_at_now_only_the_minutes_wave_is_due(built: dict[str, Any]) -> None:
    due = asyncio.run(due_reminders(NOW))
    settings = {
        row["id"]: (row["timezone"], row["reminder_time"])
        for row in asyncio.run(fetch("SELECT id, timezone, reminder_time FROM participants"))
    }

    for member in due:
        zone, at = settings[member.participant_id]
        assert at == f"{NOW.astimezone(ZoneInfo(zone)):%H:%M}"


@pytest.mark.parametrize("every_server", [True, False])
def test_the_processes_split_the_shards_and_record_through_the_stack(
    built: dict[str, Any], every_server: bool
) -> None:
    assert built["entries"] > 0
    args = argparse.Namespace(decisions=2, records=5, seed=1)
    dsn = pg_dsn(POSTGRES_URL)
    before = asyncio.run(processes.max_entry_id(dsn))
    postmaster = asyncio.run(processes.postmaster_pid(dsn))
    assert postmaster > 0

    config = processes.run_config(POSTGRES_URL, 2, args, postmaster, every_server=every_server)

    assert processes.layout(2) == [[0, 1], [2, 3]]
    assert [report["records"] for report in config.log.reports] == [5, 5]
    reports = config.decide.reports
    assert [len(report["runs_ms"]) for report in reports] == [2, 2]
    if every_server or not processes.filtered():
        # Every process decides for every server: the same members, half of them not its own.
        assert reports[0]["found"] == reports[1]["found"] > 0
        assert reports[0]["servers"] == reports[1]["servers"]
    else:
        # Each process decides for its own servers only.
        assert [report["foreign"] for report in reports] == [0, 0]
        assert sum(report["servers"] for report in reports) > 0
    # The configuration's entries are gone again: the next starts from the same rows.
    assert asyncio.run(processes.max_entry_id(dsn)) == before

"""How the hot queries run: how many statements, and which indexes SQLite picks for them."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from storage import migrate
from storage.database import normalise_url, prepare_sqlite_file
from storage.migrate import alembic_config

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
D0 = date(2026, 3, 2)

# Statement counts, query plans and write locks, all read from the SQLite file itself.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def statements(database):
    """Collect the SQL the reader connections send, with its parameters."""
    seen: list[tuple[str, tuple]] = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, tuple(parameters)))

    engine = database._reader.sync_engine
    sa.event.listen(engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", record)


def plan(path, statement, parameters):
    with sqlite3.connect(path) as connection:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
    return " | ".join(row[-1] for row in rows)


async def test_challenge_day_facts_take_two_indexed_queries(
    database, seed, challenge, statements, tmp_path
):
    people = [await seed.participant(challenge) for _ in range(5)]
    for person in people:
        await seed.entry(person, D0)
        await seed.entry(person, D0 + timedelta(days=1))
    statements.clear()

    async with database.read() as repos:
        facts = await repos.entries.day_facts_for_challenge(challenge.id, since=D0)

    assert len(facts) == 5
    assert len(statements) == 2  # one for entries, one for adjustments, whatever the size
    database_file = tmp_path / "data" / "daybook.db"
    entries_plan, adjustments_plan = (plan(database_file, *s) for s in statements)
    assert "ix_entries_live_challenge_day" in entries_plan
    assert "ix_adjustments_participant_id_day" in adjustments_plan
    assert "SCAN adjustments" not in adjustments_plan


async def test_member_day_facts_come_from_the_covering_index(
    database, seed, participant, statements, tmp_path
):
    await seed.entry(participant, D0)

    async with database.read() as repos:
        await repos.entries.day_facts(participant.id, since=D0)

    assert len(statements) == 1  # entries and adjustments in one round trip
    (member_plan,) = (plan(tmp_path / "data" / "daybook.db", *s) for s in statements)
    assert "USING COVERING INDEX ix_entries_live_day_facts" in member_plan
    assert "USING INDEX ix_adjustments_participant_id_day" in member_plan


async def test_write_transactions_take_the_write_lock_up_front(database, tmp_path):
    # BEGIN IMMEDIATE: another connection cannot start writing even before this one wrote.
    other = sqlite3.connect(tmp_path / "data" / "daybook.db", timeout=0, isolation_level=None)
    try:
        async with database.write():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


async def test_the_digest_activity_is_read_from_the_challenge_day_index_alone(
    database, seed, challenge, statements, tmp_path
):
    # Who posted on each day of eight weeks: the members come from the index (participant_id
    # is in it), not from a lookup of every post's row (ten times the time at 10,000 members).
    people = [await seed.participant(challenge) for _ in range(3)]
    for person in people:
        await seed.entry(person, D0)
    statements.clear()

    async with database.read() as repos:
        activity = await repos.entries.daily_activity(
            challenge.id, D0, D0 + timedelta(days=55), [p.id for p in people]
        )

    assert activity == {D0: (3, 3)}
    (activity_plan,) = (plan(tmp_path / "data" / "daybook.db", *s) for s in statements)
    assert "USING COVERING INDEX ix_entries_live_challenge_day" in activity_plan


async def test_0010_rebuilds_the_challenge_day_index_and_downgrades_cleanly(
    database_url: str,
) -> None:
    config = alembic_config(database_url)
    prepare_sqlite_file(normalise_url(database_url))
    await migrate(database_url)
    await asyncio.to_thread(command.downgrade, config, "0009")
    assert index_columns(database_url) == ["challenge_id", "local_day"]
    await migrate(database_url)
    assert index_columns(database_url) == [
        "challenge_id",
        "local_day",
        "participant_id",
        "deleted_at",
    ]


def index_columns(database_url: str) -> list[str]:
    path = normalise_url(database_url).database
    with sqlite3.connect(path) as connection:
        rows = connection.execute("PRAGMA index_info('ix_entries_live_challenge_day')").fetchall()
    return [row[2] for row in sorted(rows)]

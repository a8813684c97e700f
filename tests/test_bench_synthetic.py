"""The synthetic server's PostgreSQL build (COPY) makes the same server as the SQLite build.

Runs on PostgreSQL only (`.ci/postgres ./run pytest tests/test_bench_synthetic.py`): the scratch
database of DAYBOOK_TEST_POSTGRES_URL is emptied and rebuilt by `bench.synthetic.build_postgres`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from bench import synthetic
from bench.world import sqlite_url
from storage import migrate, tables
from storage.aio import create_async_engine
from tests._postgres import POSTGRES_URL, empty_postgres

pytestmark = pytest.mark.postgres_only

MEMBERS = 40
SEED = 7


def ordered(table: sa.Table) -> sa.Select[Any]:
    """Return a SELECT of a whole table in a fixed order (its primary key, else every column)."""
    keys = list(table.primary_key.columns) or list(table.columns)
    return sa.select(table).order_by(*keys)


def sqlite_contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every Daybook table's rows in a SQLite file, read through the tables' types."""
    engine = sa.create_engine(sqlite_url(path, "pysqlite"))
    try:
        with engine.connect() as connection:
            return {
                table.name: [tuple(row) for row in connection.execute(ordered(table))]
                for table in tables.metadata.sorted_tables
            }
    finally:
        engine.dispose()


async def postgres_contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Return every Daybook table's rows in a PostgreSQL database, read through its types."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table.name: [tuple(row) for row in (await connection.execute(ordered(table))).all()]
                for table in tables.metadata.sorted_tables
            }
    finally:
        await engine.dispose()


async def schema_objects(url: str) -> tuple[set[str], set[str], int]:
    """Return the public schema's index and constraint definitions, and entries' next id."""
    connection = await asyncpg.connect(synthetic.pg_dsn(url))
    try:
        indexes = await connection.fetch(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
        )
        constraints = await connection.fetch(
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' || "
            "pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace"
        )
        next_id = await connection.fetchval(
            "SELECT nextval(pg_get_serial_sequence('entries', 'id'))"
        )
    finally:
        await connection.close()
    return {row[0] for row in indexes}, {row[0] for row in constraints}, next_id


def test_the_postgres_build_holds_the_same_rows_as_the_sqlite_build(tmp_path: Path) -> None:
    path = tmp_path / "server.db"
    built = synthetic.build(path, MEMBERS, SEED, log=False)
    asyncio.run(empty_postgres(POSTGRES_URL))
    copied = asyncio.run(synthetic.build_postgres(POSTGRES_URL, MEMBERS, SEED, log=False))

    assert copied.entries == built.entries > MEMBERS * 30
    expected = sqlite_contents(path)
    found = asyncio.run(postgres_contents(POSTGRES_URL))
    assert len(expected["participants"]) == MEMBERS
    assert len(expected["entries"]) == built.entries
    for name, rows in expected.items():
        assert found[name] == rows, name


def test_the_postgres_build_restores_every_index_and_constraint_it_drops() -> None:
    asyncio.run(empty_postgres(POSTGRES_URL))
    asyncio.run(migrate(POSTGRES_URL))
    migrated_indexes, migrated_constraints, _ = asyncio.run(schema_objects(POSTGRES_URL))
    asyncio.run(empty_postgres(POSTGRES_URL))
    built = asyncio.run(synthetic.build_postgres(POSTGRES_URL, 5, SEED, log=False))

    indexes, constraints, next_id = asyncio.run(schema_objects(POSTGRES_URL))
    assert any("ix_entries_live_day_facts" in index for index in migrated_indexes)
    assert any("FOREIGN KEY" in constraint for constraint in migrated_constraints)
    assert indexes == migrated_indexes
    assert constraints == migrated_constraints
    # The ids were given by the build: a later insert gets the next one, as on SQLite.
    assert next_id == built.entries + 1

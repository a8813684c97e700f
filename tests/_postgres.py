"""Which database backend the storage and service tests run on, and the PostgreSQL scratch helper.

Set DAYBOOK_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/daybook_test, a
scratch database: its public schema is dropped before every test) to run the storage and service
suites on PostgreSQL; `.ci/postgres CMD...` starts a throwaway server and sets it for CMD. Without
it they run on SQLite files. Tests marked `sqlite_only` or `postgres_only` are deselected (not
skipped) on the other backend: see `pytest_collection_modifyitems` in tests/conftest.py.
"""

from __future__ import annotations

import os

from storage.aio import create_async_engine

POSTGRES_URL = os.environ.get("DAYBOOK_TEST_POSTGRES_URL", "")
BACKEND = "postgresql" if POSTGRES_URL else "sqlite"

# The marker that keeps a test to one backend, by backend.
ONLY_MARKERS = {"sqlite": "sqlite_only", "postgresql": "postgres_only"}


async def empty_postgres(url: str) -> None:
    """Drop everything in the scratch PostgreSQL database."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        await engine.dispose()

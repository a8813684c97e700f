"""Which database backend the tests run on, and the scratch PostgreSQL helpers.

Set DAYBOOK_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/daybook_test, a
scratch database whose contents every test replaces) to run the suite on PostgreSQL;
`.ci/postgres CMD...` starts a throwaway server and sets it for CMD. Without it the tests run on
SQLite files. Tests marked `sqlite_only` or `postgres_only` are deselected (not skipped) on the
other backend, and counted: see tests/conftest.py.

Every test that wants a migrated database starts from `scratch_url` / `reset_postgres`: the
schema is migrated once per session and then only emptied between tests (DELETE from every table,
children first, and every sequence restarted: on tables this small a third of TRUNCATE's time,
which makes new files for every table and index), much quicker than migrating every time. A test
that changed the schema (a migration test, a foreign table) is noticed by the schema's
fingerprint, and the next reset migrates afresh. Tests of migrations start from `empty_postgres`.
"""

from __future__ import annotations

import asyncio
import graphlib
import os
import threading
from pathlib import Path
from typing import Any

POSTGRES_URL = os.environ.get("DAYBOOK_TEST_POSTGRES_URL", "")
BACKEND = "postgresql" if POSTGRES_URL else "sqlite"

# The marker that keeps a test to one backend, by backend.
ONLY_MARKERS = {"sqlite": "sqlite_only", "postgresql": "postgres_only"}

# Everything in the public schema that a test could change: columns (with types, defaults and
# nullability), indexes, constraints, triggers, functions and sequences; one md5 of them all.
_FINGERPRINT = r"""
SELECT md5(coalesce(string_agg(item, E'\n' ORDER BY item), '')) FROM (
    SELECT 'column ' || c.relname || '.' || a.attname || ' '
        || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' '
        || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS item
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
        AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' '
        || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'sequence ' || relname FROM pg_class
    WHERE relnamespace = 'public'::regnamespace AND relkind = 'S'
) AS schema_items
"""

_TABLES = """
SELECT oid::regclass::text FROM pg_class
WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
    AND relname <> 'alembic_version'
"""

# Each foreign key as (the table that refers, the table it refers to).
_REFERENCES = """
SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
WHERE contype = 'f' AND connamespace = 'public'::regnamespace
"""

_SEQUENCES = """
SELECT oid::regclass::text FROM pg_class
WHERE relnamespace = 'public'::regnamespace AND relkind = 'S'
"""


LOCK_TIMEOUT = "20s"
"""How long the helpers wait for a lock: a connection a test left open in a transaction would
make DROP SCHEMA or DELETE wait forever (and CI with it)."""


class _Migrated:
    """What the session's migrated schema looks like: its fingerprint, revision and tables."""

    fingerprint: str | None = None
    revision: str | None = None
    empty_it: str = ""


def _driver_url(url: str) -> str:
    """Return `url` as asyncpg's own connect() takes it."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _connect(url: str) -> Any:
    """Return an asyncpg connection that gives up on a lock held by a leaked connection."""
    import asyncpg

    return await asyncpg.connect(_driver_url(url), server_settings={"lock_timeout": LOCK_TIMEOUT})


async def empty_postgres(url: str = POSTGRES_URL) -> None:
    """Drop everything in the scratch PostgreSQL database (for tests that migrate it)."""
    connection = await _connect(url)
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    finally:
        await connection.close()


async def _revision(connection: Any) -> str | None:
    """Return the alembic revision the connected database is at, or None."""
    if await connection.fetchval("SELECT to_regclass('public.alembic_version')") is None:
        return None
    value = await connection.fetchval("SELECT string_agg(version_num, ',') FROM alembic_version")
    return str(value) if value is not None else None


async def reset_postgres(url: str = POSTGRES_URL) -> str:
    """Leave the scratch database at the newest schema with every table empty; return its URL."""
    from storage import migrate

    connection = await _connect(url)
    try:
        if _Migrated.fingerprint is not None:
            fingerprint = await connection.fetchval(_FINGERPRINT)
            revision = await _revision(connection)
            if (fingerprint, revision) == (_Migrated.fingerprint, _Migrated.revision):
                await connection.execute(_Migrated.empty_it)
                return url
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    finally:
        await connection.close()
    await migrate(url)
    connection = await _connect(url)
    try:
        _Migrated.fingerprint = await connection.fetchval(_FINGERPRINT)
        _Migrated.revision = await _revision(connection)
        tables = [row[0] for row in await connection.fetch(_TABLES)]
        references = [(row[0], row[1]) for row in await connection.fetch(_REFERENCES)]
        sequences = [row[0] for row in await connection.fetch(_SEQUENCES)]
        _Migrated.empty_it = _emptying(tables, references, sequences)
    finally:
        await connection.close()
    return url


def _emptying(tables: list[str], references: list[tuple[str, str]], sequences: list[str]) -> str:
    """Return SQL deleting every row (referring tables first) and restarting every sequence."""
    referred_by: dict[str, set[str]] = {table: set() for table in tables}
    for child, parent in references:
        if child != parent:  # a table's rows referring to each other go in one DELETE
            referred_by.setdefault(parent, set()).add(child)
    order = graphlib.TopologicalSorter(referred_by).static_order()
    # The names are the catalog's own (regclass text, quoted where they need it).
    deletes = [f"DELETE FROM {table};" for table in order if table in tables]  # noqa: S608
    restarts = [f"ALTER SEQUENCE {sequence} RESTART;" for sequence in sorted(sequences)]
    return "\n".join([*deletes, *restarts])


def run_apart(coroutine: Any) -> Any:
    """Run a coroutine to completion on a loop of its own in another thread; return its result.

    For sync fixtures: they may be called while a test's event loop is set (or running), which
    asyncio.run would refuse or disturb.
    """
    result: list[Any] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as error:  # handed to the caller's thread, which raises it
            failure.append(error)

    thread = threading.Thread(target=run, name="scratch-postgres")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


def scratch_url(file: Path) -> str:
    """Return the SQLite URL of `file`, or on PostgreSQL the scratch database, reset."""
    if POSTGRES_URL:
        return str(run_apart(reset_postgres(POSTGRES_URL)))
    return f"sqlite+aiosqlite:///{file}"

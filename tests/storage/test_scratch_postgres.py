"""The scratch PostgreSQL helpers: a leaked transaction fails the next test, never hangs it."""

from __future__ import annotations

import asyncio

import pytest

from tests import _postgres
from tests._postgres import POSTGRES_URL, empty_postgres, reset_postgres


@pytest.mark.postgres_only
async def test_dropping_the_schema_gives_up_on_a_leaked_transaction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # DROP SCHEMA waits for every lock on its tables: a connection some test left open in a
    # transaction would stop the whole run for good (CI has no per-test timeout).
    import asyncpg

    monkeypatch.setattr(_postgres, "LOCK_TIMEOUT", "200ms", raising=False)
    await reset_postgres(POSTGRES_URL)
    leaked = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await leaked.execute("BEGIN; LOCK TABLE challenges IN ACCESS SHARE MODE")
        with pytest.raises(asyncpg.LockNotAvailableError):
            await asyncio.wait_for(empty_postgres(POSTGRES_URL), timeout=10)
    finally:
        await leaked.close()

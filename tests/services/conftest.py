"""Services on a real, migrated database, driven by a fixed clock.

A SQLite file per test, or the scratch PostgreSQL database (migrated once, emptied before every
test) when DAYBOOK_TEST_POSTGRES_URL is set: see tests/_postgres.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.domain.models import Challenge
from bot.services import Services
from bot.services.settings_input import ChallengeSettingsInput
from storage import Database, migrate
from tests._postgres import POSTGRES_URL, reset_postgres

GUILD = 1001
ORGANIZER = 2000
ADA = 2001
RAJ = 2002
MAYA = 2003


@pytest.fixture
async def database(tmp_path) -> AsyncIterator[Database]:
    if POSTGRES_URL:
        url = await reset_postgres(POSTGRES_URL)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'daybook.db'}"
        await migrate(url)
    db = await Database.open(url)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
def services(database: Database) -> Services:
    return Services.build(database)


@pytest.fixture
def clock() -> FixedClock:
    # Monday 2026-03-02, 12:00 UTC.
    return FixedClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))


async def make_challenge(
    services: Services, clock: FixedClock, preset: str = "100-days-of-code", **settings
) -> Challenge:
    return await services.challenges.create(
        guild_id=GUILD,
        settings=ChallengeSettingsInput(**{"name": "ML Club", "preset": preset, **settings}),
        now=clock(),
    )

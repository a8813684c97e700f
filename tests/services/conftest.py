"""Services on a real, migrated SQLite file, driven by a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.domain.models import Challenge
from bot.services import Services
from storage import Database, migrate

GUILD = 1001
ORGANIZER = 2000
ADA = 2001
RAJ = 2002
MAYA = 2003


@pytest.fixture
async def database(tmp_path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'daybook.db'}"
    await migrate(url)
    db = await Database.open(url)
    yield db
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
        settings={"name": "ML Club", "preset": preset, **settings},
        now=clock(),
    )

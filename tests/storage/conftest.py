"""Storage fixtures: a real SQLite file per test, migrated by the production `migrate()`.

The seeded rows use T0 = 2026-03-02 12:00 UTC and D0 = 2026-03-02 (a Monday).

Set DAYBOOK_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/daybook_test,
a scratch database: emptied before every test, see tests/_postgres.py), or run through
`.ci/postgres ./run pytest tests/storage`, to run the same suite on PostgreSQL; tests of SQLite
specifics (PRAGMAs, query plans, file backups) are marked `sqlite_only` and then deselected, and
`postgres_only` ones are deselected on SQLite (tests/_postgres.py, tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from bot.domain.models import Challenge, Entry, EntrySource, Participant
from bot.domain.rules import PRESETS
from storage import Database, Repositories, migrate
from tests._postgres import POSTGRES_URL, empty_postgres, reset_postgres

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
D0 = date(2026, 3, 2)
GUILD = 1_000_000_000_000_000_001


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """An empty database, for tests of migrations and start-up: nothing is created yet."""
    if POSTGRES_URL:
        await empty_postgres(POSTGRES_URL)
        return POSTGRES_URL
    # A folder that does not exist yet: migrate() and Database.open() create it.
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'daybook.db'}"


@pytest.fixture
async def migrated_url(tmp_path: Path) -> str:
    """A database at the newest schema with no rows (PostgreSQL: migrated once, then emptied)."""
    if POSTGRES_URL:
        return await reset_postgres(POSTGRES_URL)
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'daybook.db'}"
    await migrate(url)
    return url


@pytest.fixture
async def database(migrated_url: str) -> AsyncIterator[Database]:
    db = await Database.open(migrated_url)
    try:
        yield db
    finally:
        await db.close()


def challenge_columns(name: str) -> dict[str, Any]:
    """Return the columns of a 100 Days of Code challenge in GUILD, as `challenges.add` wants."""
    return {
        "guild_id": GUILD,
        "name": name,
        "rules": PRESETS["100-days-of-code"],
        "timezone": "Europe/Berlin",
        "preset": "100-days-of-code",
        "hashtag": "#100DaysOfCode",
        "progress_channel_id": 501,
        "digest_channel_id": 502,
        "digest_weekday": 0,
        "digest_time": time(9, 0),
        "created_at": T0,
    }


class Seed:
    """Write the rows a test needs, each in its own committed transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._users = 100

    async def challenge(self, name: str = "100 Days of Code", **changes: Any) -> Challenge:
        values = {**challenge_columns(name), **changes}
        async with self.db.write() as repos:
            return await repos.challenges.add(**values)

    async def participant(
        self, challenge: Challenge, user_id: int | None = None, **changes: Any
    ) -> Participant:
        if user_id is None:
            self._users += 1
            user_id = self._users
        values: dict[str, Any] = {
            "challenge_id": challenge.id,
            "guild_id": challenge.guild_id,
            "user_id": user_id,
            "timezone": "Asia/Kolkata",
            "start_day": D0,
            "initial_day": 1,
            "joined_at": T0,
        }
        values.update(changes)
        async with self.db.write() as repos:
            return await repos.participants.add(**values)

    async def entry(self, participant: Participant, day: date = D0, **changes: Any) -> Entry:
        async with self.db.write() as repos:
            return await self.add_entry(repos, participant, day, **changes)

    @staticmethod
    async def add_entry(
        repos: Repositories, participant: Participant, day: date = D0, **changes: Any
    ) -> Entry:
        """Add an entry with plausible defaults through an open transaction."""
        values: dict[str, Any] = {
            "participant_id": participant.id,
            "challenge_id": participant.challenge_id,
            "user_id": participant.user_id,
            "local_day": day,
            "timezone": participant.timezone,
            "text": f"Day {(day - D0).days + 1}: worked on the parser",
            "minutes": 60,
            "words": 5,
            "tags": (),
            "links": (),
            "attachments": (),
            "source": EntrySource.COMMAND,
            "created_at": datetime.combine(day, time(18, 0), UTC),
        }
        values.update(changes)
        return await repos.entries.add(**values)


@pytest.fixture
def seed(database: Database) -> Seed:
    return Seed(database)


@pytest.fixture
async def challenge(seed: Seed) -> Challenge:
    return await seed.challenge()


@pytest.fixture
async def participant(seed: Seed, challenge: Challenge) -> Participant:
    return await seed.participant(challenge)

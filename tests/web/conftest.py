"""The public pages on a real, migrated database, through aiohttp's own test client."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import FixedClock
from bot.domain.models import Challenge
from bot.services import Services
from bot.services.digests import DIGEST, digest_target
from bot.services.settings_input import ChallengeSettingsInput
from bot.web.app import PublicSite, WebLimits
from storage import Database
from tests.services import conftest as services_conftest

# The services' fixtures: a migrated database (SQLite, or PostgreSQL's scratch one) and the
# services on it, shared rather than written again.
database = services_conftest.database
services = services_conftest.services

GUILD = 1001
ORGANIZER = 2000
ADA = 2001
RAJ = 2002
MAYA = 2003
"""Hides herself."""
MALLORY = 2004
"""Her display name is markup."""
QUIET = 2005
"""Takes part, but Daybook never saw their name."""
START = date(2026, 3, 2)  # a Monday
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC)


NOW = evening(START + timedelta(days=9))
"""Wednesday 2026-03-11, evening: ten days after the start."""


@dataclass
class Ticker:
    """A monotonic clock the test moves: time never passes by itself."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Reads:
    """Counts the read transactions the pages open."""

    count: int = 0
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def limits() -> WebLimits:
    return WebLimits()


@pytest.fixture
async def client(
    services: Services, ticker: Ticker, limits: WebLimits
) -> AsyncIterator[TestClient[object, object]]:
    async with served(services, ticker, limits, trust_proxy=False) as test_client:
        yield test_client


@pytest.fixture
async def proxied(
    services: Services, ticker: Ticker, limits: WebLimits
) -> AsyncIterator[TestClient[object, object]]:
    """A client of the pages behind a reverse proxy Daybook trusts (DAYBOOK_WEB_TRUST_PROXY)."""
    async with served(services, ticker, limits, trust_proxy=True) as test_client:
        yield test_client


@contextlib.asynccontextmanager
async def served(
    services: Services, ticker: Ticker, limits: WebLimits, *, trust_proxy: bool
) -> AsyncIterator[TestClient[object, object]]:
    """Serve the public pages on a test server, at a fixed time and on the test's ticker."""
    site = PublicSite(
        services.public,
        services.charts,
        now=FixedClock(NOW),
        limits=limits,
        monotonic=ticker,
        trust_proxy=trust_proxy,
    )
    async with TestClient(TestServer(site.application())) as test_client:
        yield test_client


async def log_days(services: Services, user: int, offsets: list[int]) -> None:
    for offset in offsets:
        await services.entries.record(
            guild_id=GUILD,
            user_id=user,
            text="an hour of work",
            minutes=60,
            at=evening(START + timedelta(days=offset)),
        )


async def community(services: Services, *, web: bool = True) -> Challenge:
    """A challenge with five members: one hidden, one with a hostile name, one never named."""
    clock = FixedClock(evening(START) - timedelta(hours=8))
    challenge = await services.challenges.create(
        guild_id=GUILD,
        settings=ChallengeSettingsInput(name="ML <Club>", preset="x-days-of-ml-code"),
        now=clock(),
    )
    for user in (ADA, RAJ, MAYA, MALLORY, QUIET):
        await services.participants.join(guild_id=GUILD, user_id=user, now=clock(), timezone="UTC")
    await log_days(services, ADA, list(range(10)))  # streak 10
    await log_days(services, RAJ, [0, 1, 2, 3, 4, 5, 7, 8, 9])  # streak 3, best 6
    await log_days(services, MAYA, list(range(10)))  # streak 10, but hidden
    await log_days(services, MALLORY, [7, 8, 9])  # streak 3, best 3
    await log_days(services, QUIET, [9])  # streak 1
    await services.participants.set_hidden(
        guild_id=GUILD, user_id=MAYA, challenge=None, hidden=True
    )
    await services.names.remember(
        GUILD, {ADA: "Ada Lovelace", RAJ: "Raj", MAYA: "Maya Secret", MALLORY: HOSTILE}
    )
    if web:
        challenge = await services.challenges.set_web(
            guild_id=GUILD, challenge=None, enabled=True, organizer_id=ORGANIZER
        )
    return challenge


async def posted_digest(database: Database, challenge: Challenge, week: str) -> None:
    """Record in the send ledger that a week's digest was posted."""
    target = digest_target(challenge.id)
    async with database.write() as repos:
        await repos.sends.claim(DIGEST, target, week, NOW)
        await repos.sends.mark_sent(DIGEST, target, week, NOW)

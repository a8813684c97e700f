"""A reminder DM's "Log today" for another process's server, and /forget-me in DMs, on shard 0.

Discord brings every direct message to the process running shard 0 (A), whatever server it is
about. The member's server is on shard 1, run by process B, which shares the PostgreSQL
database: B's services stand beside A's bot here, on a `Database` of their own. A answers the
DM log with the member's Day N and streak, as the database has them (the day before was logged
through B); B's very next leaderboard and summary (/leaderboard, /stats) show the new day, and
after /forget-me in A's DMs, B's next leaderboard no longer ranks the member.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time

import pytest
import pytest_asyncio

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.models import ReminderMode
from bot.errors import DaybookError
from bot.services import Services
from bot.services.settings_input import ChallengeSettingsInput
from cogs._ui.reminders import log_today_view
from storage import Database
from storage.shards import Shards, shard_of
from tests._postgres import POSTGRES_URL, empty_postgres

pytestmark = pytest.mark.postgres_only

SERVER = (1_001 << 22) | 7  # shard 1 of 2: process B's
MONDAY = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
MONDAY_EVENING = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
TUESDAY_REMINDER = datetime(2026, 3, 3, 20, 31, tzinfo=UTC)
TUESDAY_LATER = datetime(2026, 3, 3, 21, 0, tzinfo=UTC)
WORK = "an hour on attention https://github.com/a/b"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest_asyncio.fixture
async def settings() -> Settings:
    await empty_postgres(POSTGRES_URL)
    return Settings(database_url=POSTGRES_URL, shard_count=2, shard_ids=[0])


@pytest_asyncio.fixture
async def process_b(simcord_env) -> AsyncIterator[Services]:
    """Process B (shard 1 of 2): its own database object and services on the same database."""
    db = await Database.open(POSTGRES_URL)
    try:
        yield Services.build(db, shards=Shards.of(2, [1]))
    finally:
        await db.close()
        # simcord's shutdown does not close A's bot: give its shards back for the next test's.
        claims = simcord_env.bot.shard_claims
        if claims is not None:
            await claims.close()


async def test_a_dm_log_for_another_shards_server_is_right_there_and_seen_by_its_owner(
    simcord_env, process_b: Services, clock: FixedClock
) -> None:
    assert shard_of(SERVER, 2) == 1
    env = simcord_env
    await env.advance_time((MONDAY - env.now()).total_seconds())
    guild = env.create_guild("Shard one's server", id=SERVER)
    channel = guild.create_text_channel("progress")
    user = env.create_user("dana")
    guild.add_member(user)
    await env.settle()
    challenge = await process_b.challenges.create(
        guild_id=SERVER,
        settings=ChallengeSettingsInput(
            name="Club", preset="100-days-of-code", timezone="UTC", progress_channel_id=channel.id
        ),
        now=MONDAY,
    )
    await process_b.participants.join(guild_id=SERVER, user_id=user.id, timezone="UTC", now=MONDAY)
    await process_b.reminders.set_reminder(
        guild_id=SERVER,
        user_id=user.id,
        challenge=None,
        reminder_time=time(20, 30),
        mode=ReminderMode.DM,
    )
    # Day 1 through B (a /log in the server), and B's board is warm with it.
    await process_b.entries.record(
        guild_id=SERVER, user_id=user.id, text=WORK, minutes=60, at=MONDAY_EVENING
    )
    board = await process_b.progress.leaderboard(
        guild_id=SERVER, viewer_id=user.id, now=MONDAY_EVENING
    )
    assert [(p.contender.user_id, p.contender.current_streak) for p in board.leaders] == [
        (user.id, 1)
    ]

    # Tuesday's reminder DM (sent by B), as Discord shows it: its button reaches A.
    await env.advance_time((TUESDAY_REMINDER - env.now()).total_seconds())
    clock.set(TUESDAY_REMINDER)
    backend = env.backend
    dm = backend.get_dm_channel(user.id)
    backend.create_message(
        dm.id,
        backend.bot_user.id,
        "Reminder: log today's work",
        components=log_today_view(challenge.id).to_components(),
        broadcast=False,
    )
    shown = await user.click(user.dm_channel.history()[-1], label="Log today")
    assert shown.modal is not None, shown.response
    done = await user.submit_modal(
        shown,
        {"log:text": "logged from my DMs", "log:minutes": "60", "log:link": "https://x.dev/a"},
    )
    reply = done.response.content or ""
    assert "it counts" in reply, reply
    assert "**Day 2 of 100** · streak 2 (best 2)" in reply, reply

    # B's very next reads: the board (cached in B) and the summary.
    board = await process_b.progress.leaderboard(
        guild_id=SERVER, viewer_id=user.id, now=TUESDAY_LATER
    )
    assert [(p.contender.user_id, p.contender.current_streak) for p in board.leaders] == [
        (user.id, 2)
    ]
    standing = await process_b.progress.summary(
        guild_id=SERVER, viewer_id=user.id, now=TUESDAY_LATER
    )
    assert (standing.summary.day_number, standing.summary.current_streak) == (2, 2)

    # /forget-me in DMs (A): B's next board ranks nobody, and B knows no such member.
    asked = await user.slash("forget-me")
    await user.click(asked.response, label="Delete everything")
    board = await process_b.progress.leaderboard(
        guild_id=SERVER, viewer_id=user.id, now=TUESDAY_LATER
    )
    assert board.leaders == ()
    with pytest.raises(DaybookError):
        await process_b.progress.summary(guild_id=SERVER, viewer_id=user.id, now=TUESDAY_LATER)

"""Every shard in exactly one process, one count everywhere: claimed on PostgreSQL at start.

Each `ShardClaims` stands for one process (a connection of its own), as each Daybook process of
a deployment holds one from its start to its end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot.app import create_bot
from bot.cli import _refusal
from bot.config import Settings
from storage.database import normalise_url
from storage.sessions import lock_session
from storage.shard_claims import ShardClaims, ShardsTakenError
from storage.shards import Shards
from tests._postgres import POSTGRES_URL, empty_postgres

pytestmark = pytest.mark.postgres_only

WHERE = "postgresql+asyncpg://postgres@db/daybook"


@pytest.fixture
async def claims() -> AsyncIterator[list[ShardClaims]]:
    made: list[ShardClaims] = []
    yield made
    for claim in made:
        await claim.close()


async def started(claims: list[ShardClaims], count: int, ids: list[int]) -> ShardClaims:
    """A process that claimed `ids` of `count` (raises ShardsTakenError when refused)."""
    claim = ShardClaims(normalise_url(POSTGRES_URL), WHERE)
    claims.append(claim)
    await claim.claim(Shards.of(count, ids))
    return claim


async def test_a_shard_runs_in_one_process_only(claims: list[ShardClaims]) -> None:
    first = await started(claims, 4, [0, 1])
    await started(claims, 4, [2])

    with pytest.raises(ShardsTakenError) as refused:
        await started(claims, 4, [1, 2, 3])
    assert (refused.value.taken, refused.value.counts) == ([1, 2], [])

    await first.close()  # the process stopped: its shards are free again
    await started(claims, 4, [0, 1, 3])


async def test_a_refused_process_holds_nothing(claims: list[ShardClaims]) -> None:
    await started(claims, 2, [0])
    with pytest.raises(ShardsTakenError):
        await started(claims, 2, [0, 1])

    await started(claims, 2, [1])  # shard 1 was not kept by the refused process


async def test_every_process_counts_the_same_shards(claims: list[ShardClaims]) -> None:
    old = await started(claims, 2, [0])

    # Raising the count to 4 with the old process still running: refused, though shard 3 is free.
    with pytest.raises(ShardsTakenError) as refused:
        await started(claims, 4, [3])
    assert (refused.value.taken, refused.value.counts) == ([], [2])

    await old.close()
    await started(claims, 4, [3])
    await started(claims, 4, [0])


async def test_the_bot_claims_its_shards_before_it_reaches_discord(
    claims: list[ShardClaims],
) -> None:
    await empty_postgres(POSTGRES_URL)
    await started(claims, 2, [1])
    bot = create_bot(
        Settings(database_url=POSTGRES_URL, shard_count=2, shard_ids=[0, 1]),
        chart_executor=ThreadPoolExecutor(1),
        run_scheduler=False,
    )
    try:
        with pytest.raises(ShardsTakenError) as refused:
            await bot.setup_hook()  # raised before the cogs, the command sync or the gateway
    finally:
        await bot.database.close()
    assert refused.value.taken == [1]


def test_the_refusal_is_a_sentence_naming_the_settings() -> None:
    taken = ShardsTakenError(WHERE, Shards.of(4, [1, 2]), [2], [])
    counted = ShardsTakenError(WHERE, Shards.of(4, [3]), [], [2])

    assert _refusal(taken) == (
        "not starting DAYBOOK_SHARD_IDS=1,2 of DAYBOOK_SHARD_COUNT=4: shard 2 already runs in"
        f" another process on the database at {WHERE}. Every shard runs in exactly one process,"
        " and every process has the same DAYBOOK_SHARD_COUNT: fix the settings, or stop every"
        " process before changing the count (if that process has just stopped, start this one"
        " again in a minute)."
    )
    assert _refusal(counted).startswith(
        "not starting DAYBOOK_SHARD_IDS=3 of DAYBOOK_SHARD_COUNT=4: other processes count 2"
        f" shards on the database at {WHERE}."
    )


async def test_a_lock_session_asks_the_server_to_drop_a_silent_client_within_a_minute() -> None:
    # A host that vanished sends no close: without keepalive probes PostgreSQL keeps its
    # session, and so its shard claims, for the operating system's default of two hours.
    engine, connection = await lock_session(normalise_url(POSTGRES_URL))
    try:
        shown = {
            name: (await connection.execute(sa.text(f"SHOW {name}"))).scalar_one()
            for name in ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count")
        }
    finally:
        await connection.close()
        await engine.dispose()

    idle, interval, count = (int(str(shown[name]).removesuffix("s")) for name in shown)
    # 0 means "the operating system's default" (two hours idle on Linux), not "at once".
    assert min(idle, interval, count) > 0
    assert idle + interval * count <= 60

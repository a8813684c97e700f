"""Which servers a process owns: Discord's shard formula, in Python and in SQL on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from storage import Database
from storage.aio import create_async_engine
from storage.shards import Shards, shard_of

# Discord's documented rule (its docs' "Sharding"): shard_id = (guild_id >> 22) % num_shards.
SNOWFLAKES = st.integers(min_value=0, max_value=2**63 - 1)


@given(SNOWFLAKES, st.integers(min_value=1, max_value=4096))
def test_shard_of_is_discords_formula(guild_id: int, count: int) -> None:
    assert shard_of(guild_id, count) == (guild_id // 2**22) % count


def test_a_real_server_id_lands_on_the_shard_its_timestamp_gives() -> None:
    # 81384788765712384 (Discord API server): 81384788765712384 / 2**22 = 19403645698.002, so its
    # timestamp part is 19403645698, which is 2 modulo 16 (19403645698 = 16 * 1212727856 + 2).
    assert shard_of(81384788765712384, 16) == 2
    assert shard_of(81384788765712384, 1) == 0


def test_every_shard_owns_everything_and_costs_no_condition() -> None:
    shards = Shards.every(4)
    assert shards.whole
    assert shards.runs_first
    assert all(shards.owns(guild) for guild in (0, 1 << 22, 3 << 22, 2**63 - 1))
    assert str(shards.owns_column(sa.column("guild_id", sa.BigInteger))) == "true"


def test_some_shards_own_only_their_servers() -> None:
    shards = Shards.of(3, [1, 2])
    assert not shards.whole
    assert not shards.runs_first
    assert [shards.owns(n << 22) for n in range(6)] == [False, True, True, False, True, True]


def test_impossible_shard_sets_are_refused() -> None:
    for count, ids in ((0, [0]), (2, []), (2, [2]), (2, [-1])):
        try:
            Shards.of(count, ids)
        except ValueError:
            continue
        raise AssertionError(f"Shards.of({count}, {ids}) was accepted")


async def test_the_sql_condition_picks_what_owns_picks(
    database: Database, database_url: str
) -> None:
    # `database`: the file exists and is migrated (SQLite) or the scratch schema is clean.
    guilds = [0, 1, 5 << 22, (7 << 22) + 5, 1_300_000_000_000_000_000, 81384788765712384, 2**63 - 1]
    table = sa.table("owned_guilds", sa.column("guild_id", sa.BigInteger))
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(
                "CREATE TEMPORARY TABLE owned_guilds (guild_id BIGINT)"
            )
            await connection.execute(table.insert(), [{"guild_id": guild} for guild in guilds])
            for shards in (
                Shards.of(5, [1, 3]),
                Shards.of(16, [0]),
                Shards.of(3, [2]),
                Shards.every(2),
            ):
                query = sa.select(table.c.guild_id).where(shards.owns_column(table.c.guild_id))
                found = sorted((await connection.execute(query)).scalars())
                assert found == sorted(guild for guild in guilds if shards.owns(guild)), shards
    finally:
        await engine.dispose()

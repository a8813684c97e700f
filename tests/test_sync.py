"""Command sync: once per deployment, from the process running shard 0 (global or dev server)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import discord
import pytest

from bot.services.send_ledger import SendLedger
from bot.sync import sync_commands
from storage import Database, migrate
from storage.shards import Shards
from tests._postgres import POSTGRES_URL, empty_postgres

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DEV_GUILD = 1_300_000_000_000_000_000


class Tree:
    """Records what a command tree was asked to sync (and to copy to a server)."""

    def __init__(self) -> None:
        self.synced: list[int | None] = []
        self.copied: list[int] = []

    def get_commands(self) -> list[Any]:
        return []

    def copy_global_to(self, *, guild: discord.abc.Snowflake) -> None:
        self.copied.append(guild.id)

    async def sync(self, *, guild: discord.abc.Snowflake | None = None) -> list[Any]:
        self.synced.append(None if guild is None else guild.id)
        return []


@pytest.fixture
async def ledger(tmp_path) -> AsyncIterator[SendLedger]:
    if POSTGRES_URL:
        await empty_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'daybook.db'}"
    await migrate(url)
    db = await Database.open(url)
    try:
        yield SendLedger(db)
    finally:
        await db.close()


@pytest.mark.parametrize("dev_guild_id", [None, DEV_GUILD])
async def test_a_process_without_shard_zero_syncs_nothing_and_says_why(
    ledger: SendLedger, dev_guild_id: int | None, caplog
) -> None:
    tree = Tree()
    caplog.set_level(logging.INFO, logger="bot.sync")

    synced = await sync_commands(
        tree,  # type: ignore[arg-type]
        ledger=ledger,
        dev_guild_id=dev_guild_id,
        now=NOW,
        shards=Shards.of(4, [1, 3]),
    )

    assert not synced
    assert tree.synced == tree.copied == []
    [line] = [r for r in caplog.records if r.name == "bot.sync"]
    assert line.levelno == logging.INFO
    assert "shard 0 is another process's" in line.getMessage()


async def test_the_process_with_shard_zero_syncs_global_commands_once(ledger: SendLedger) -> None:
    tree = Tree()
    first = Shards.of(4, [0, 2])

    synced = await sync_commands(tree, ledger=ledger, dev_guild_id=None, now=NOW, shards=first)  # type: ignore[arg-type]
    again = await sync_commands(tree, ledger=ledger, dev_guild_id=None, now=NOW, shards=first)  # type: ignore[arg-type]

    assert (synced, again) == (True, False)  # the same commands: not again
    assert tree.synced == [None]


async def test_the_process_with_shard_zero_syncs_the_development_server(
    ledger: SendLedger,
) -> None:
    tree = Tree()

    synced = await sync_commands(
        tree,  # type: ignore[arg-type]
        ledger=ledger,
        dev_guild_id=DEV_GUILD,
        now=NOW,
        shards=Shards.of(2, [0]),
    )

    assert synced
    assert tree.copied == tree.synced == [DEV_GUILD]


async def test_one_process_running_every_shard_syncs(ledger: SendLedger) -> None:
    tree = Tree()

    assert await sync_commands(tree, ledger=ledger, dev_guild_id=None, now=NOW)  # type: ignore[arg-type]
    assert tree.synced == [None]

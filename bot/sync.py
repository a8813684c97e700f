"""Slash-command sync: to the development server at every start, globally only on a change.

Discord rate-limits global syncs and takes a while to spread them, so the commands' digest is
claimed in the send ledger first (`SendLedger.once`): a restart with the same commands syncs
nothing, and a failed sync is retried at the next start.

A deployment split over several processes syncs from one of them: the process running shard 0.
The commands are the deployment's, not a process's, so the others have nothing to add.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

import discord
from discord import app_commands

from bot.services.send_ledger import Notice, SendLedger
from storage.shards import Shards

log = logging.getLogger(__name__)

SYNC_KIND = "command-sync"


async def sync_commands(
    tree: app_commands.CommandTree[Any],
    *,
    ledger: SendLedger,
    dev_guild_id: int | None,
    now: datetime,
    shards: Shards | None = None,
) -> bool:
    """Sync to the development server every start; globally only when the commands changed.

    Only from the process running shard 0 of `shards` (every shard by default). Return
    whether the commands were sent to Discord.
    """
    if shards is not None and not shards.runs_first:
        log.info(
            "not syncing commands: shard 0 is another process's, which syncs them "
            "(this process runs shards %s of %s)",
            sorted(shards.ids),
            shards.count,
        )
        return False
    if dev_guild_id is not None:
        guild = discord.Object(dev_guild_id)
        tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
        log.info("synced %s commands to development server %s", len(synced), dev_guild_id)
        return True
    payload = [command.to_dict(tree) for command in tree.get_commands()]
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]
    notice = Notice(SYNC_KIND, "global", digest)
    # No backoff: a sync that failed is retried by the very next start.
    sent = await ledger.once(notice, at=now, send=tree.sync, backoff=False)
    if sent is None:
        log.info("global commands unchanged (%s); not syncing", digest)
        return False
    log.info("synced %s global commands (%s)", len(sent.value), digest)
    return True

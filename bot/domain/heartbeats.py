"""A bot process's heartbeat and the key it is filed under: values `daybook health` judges.

Pure, so the health check can read a heartbeat without importing the storage layer (it runs
every minute beside the bot, and SQLAlchemy's import is most of its cost).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

KEY_LIMIT = 64
"""The `heartbeats.process` column's length."""


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """What one bot process last said about itself."""

    process: str
    started_at: datetime
    ticked_at: datetime | None
    """The start of the scheduler's last minute tick; None before the first."""
    gateway_up: bool
    """Whether every shard of the process was connected to Discord's gateway."""
    gateway_changed_at: datetime | None
    """When `gateway_up` last changed; None while it has not since the start."""
    version: str


def process_key(count: int, ids: Collection[int]) -> str:
    """Return the stable key of the process running shards `ids` of `count` (≤ 64 characters).

    "all" for a process running every shard; else its shards as ranges ("shards 0,2-5 of 16");
    a list too long for the column is named by its count and a digest of the ids instead.
    """
    shards = sorted(set(ids))
    if len(shards) == count:
        return "all"
    key = f"shards {_ranges(shards)} of {count}"
    if len(key) <= KEY_LIMIT:
        return key
    digest = hashlib.sha256(",".join(map(str, shards)).encode()).hexdigest()[:16]
    return f"{len(shards)} shards of {count} #{digest}"


def _ranges(ids: list[int]) -> str:
    """Return sorted ids as comma-separated ranges: [0, 2, 3, 4, 5] -> "0,2-5"."""
    parts: list[str] = []
    start = previous = ids[0]
    for shard in [*ids[1:], None]:
        if shard is not None and shard == previous + 1:
            previous = shard
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if shard is not None:
            start = previous = shard
    return ",".join(parts)

"""Change notes between processes over PostgreSQL's LISTEN/NOTIFY.

Each write transaction that changed something sends its `Changes` with `pg_notify` inside the
transaction, so PostgreSQL delivers it at the commit (and never after a rollback); every process
listens on a dedicated connection and hands the notes of other processes to its own listeners.
A note is at most `MAX_PAYLOAD` bytes: a bigger one is sent coarser (challenges only, then
"everything"). A listener connection that is lost may have missed notes, so the process drops
everything it caches and listens again.

A note reaches the other processes some time after the commit: a read there in that window
still answers from its cache. And PostgreSQL takes a global lock at the commit of every
transaction that notified, so notifying writers commit one at a time across the cluster.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL

from storage.changes import Changes

log = logging.getLogger(__name__)

CHANNEL = "daybook_changes"
MAX_PAYLOAD = 7900
"""PostgreSQL refuses payloads of 8000 bytes or more; some room is kept for the envelope."""
RECONNECT_S = (0.5, 1.0, 2.0, 5.0)
"""Waits between attempts to listen again after the connection was lost (the last repeats)."""


def payload(changes: Changes, sender: str) -> str:
    """Return the note of a transaction's changes, coarsened to fit a NOTIFY."""
    exact = {
        "p": sender,
        "c": sorted(changes.challenges),
        "m": sorted(changes.members),
        "e": sorted(changes.entries),
        "a": changes.everything,
    }
    text = json.dumps(exact, separators=(",", ":"))
    if len(text) <= MAX_PAYLOAD:
        return text
    # Members' ids alone cannot be turned into challenges here: too many, and the note says
    # "everything" (each process drops its whole cache once).
    return json.dumps({"p": sender, "c": [], "m": [], "e": [], "a": True})


def parse(text: str) -> tuple[str, Changes]:
    """Return a note's sender and changes."""
    note = json.loads(text)
    changes = Changes(
        entries=set(note["e"]),
        members=set(note["m"]),
        challenges=set(note["c"]),
        everything=bool(note["a"]),
    )
    return str(note["p"]), changes


NOTIFY = sa.select(sa.func.pg_notify(sa.bindparam("channel"), sa.bindparam("payload")))


class ChangeFeed:
    """Other processes' change notes, heard on a dedicated PostgreSQL connection."""

    def __init__(self, url: URL, deliver: Callable[[Changes], None]) -> None:
        self.sender = uuid.uuid4().hex
        """This process's name in its notes: its own notes come back and are skipped."""
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._deliver = deliver
        self._connection: Any = None
        self._lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen, and keep listening (again after any loss) until `close`."""
        await self._listen()
        self._task = asyncio.create_task(self._keep_listening())

    async def _listen(self) -> None:
        import asyncpg  # type: ignore[import-untyped]  # the postgres extra's driver

        self._lost.clear()
        connection = await asyncpg.connect(self._dsn)
        connection.add_termination_listener(lambda _connection: self._lost.set())
        await connection.add_listener(CHANNEL, self._heard)
        self._connection = connection

    def _heard(self, _connection: Any, _pid: int, _channel: str, text: str) -> None:
        try:
            sender, changes = parse(text)
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable change note ignored; dropping every cache")
            self._deliver(Changes(everything=True))
            return
        if sender != self.sender:
            self._deliver(changes)

    async def _keep_listening(self) -> None:
        while True:
            await self._lost.wait()
            # Notes sent while nobody listened are gone: forget everything they could name.
            self._deliver(Changes(everything=True))
            log.warning("change-note connection lost; listening again")
            for attempt in range(1_000_000):
                try:
                    await self._listen()
                    break
                except Exception:
                    await asyncio.sleep(RECONNECT_S[min(attempt, len(RECONNECT_S) - 1)])
            # Notes sent between the loss and the new LISTEN were missed too.
            self._deliver(Changes(everything=True))

    async def close(self) -> None:
        """Stop listening."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

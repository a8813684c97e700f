"""What the public pages keep in memory: rendered bodies for a short while, a few hundred."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Clock = Callable[[], float]
"""Seconds from some fixed point (`time.monotonic`); tests pass their own."""


@dataclass(frozen=True, slots=True)
class Body:
    """A rendered response body, its type and its entity tag."""

    data: bytes
    content_type: str
    etag: str
    """A strong entity tag, quoted: the body's hash."""


def body(data: bytes, content_type: str) -> Body:
    """Return a body with its entity tag."""
    return Body(data, content_type, '"' + hashlib.sha256(data).hexdigest()[:32] + '"')


class PageCache:
    """Bodies by path for `ttl` seconds, the `entries` most recently used at most.

    Two visitors asking for the same missing path at once share one rendering (a page and
    its charts are asked for together), rather than each drawing the chart again.
    """

    def __init__(self, *, ttl: float, entries: int, clock: Clock) -> None:
        self._ttl = ttl
        self._entries = entries
        self._clock = clock
        self._bodies: OrderedDict[str, tuple[float, Body]] = OrderedDict()
        self._making: dict[str, asyncio.Future[Body]] = {}

    def __len__(self) -> int:
        return len(self._bodies)

    def fresh_for(self, path: str) -> float | None:
        """Return the seconds the body kept for `path` stays fresh, or None when none is kept."""
        kept = self._bodies.get(path)
        if kept is None:
            return None
        return max(0.0, kept[0] - self._clock())

    async def get(self, path: str, make: Callable[[], Awaitable[Body]]) -> Body:
        """Return the body kept for `path`, or make it (an exception is passed on, not kept)."""
        kept = self._bodies.get(path)
        now = self._clock()
        if kept is not None and kept[0] > now:
            self._bodies.move_to_end(path)
            return kept[1]
        making = self._making.get(path)
        if making is not None:
            return await asyncio.shield(making)
        future: asyncio.Future[Body] = asyncio.get_running_loop().create_future()
        self._making[path] = future
        try:
            made = await make()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as error:
            future.set_exception(error)
            # Nobody else may be waiting: mark the exception retrieved so it is not logged.
            future.exception()
            raise
        finally:
            del self._making[path]
        future.set_result(made)
        self._bodies[path] = (self._clock() + self._ttl, made)
        self._bodies.move_to_end(path)
        while len(self._bodies) > self._entries:
            self._bodies.popitem(last=False)
        return made

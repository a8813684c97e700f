"""Pacing sends under Discord's rate limits, so scheduled messages never provoke a 429.

Discord publishes a global limit (50 requests a second) and, per route, limits it does not
publish but reports in headers; posting in a channel is observed at 5 messages per 5 seconds.
discord.py waits when a bucket runs out, but only after the fact (and a global 429 blocks every
request): a wave of reminders at the top of an hour is better spaced before it is sent.

Each bucket is a sliding window of the last `limit` send times, reserved in advance: a caller
is given the earliest instant its bucket and the global window allow, and sleeps until then;
just before the request goes out it says so (`sent`), and the window counts from then.
Time is injected (`monotonic`, `sleep`), so tests and benchmarks run on a virtual clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `count` sends in any `seconds` seconds."""

    count: int
    seconds: float


CHANNEL_LIMIT = Limit(5, 5.0)
"""Messages in one channel: the observed per-channel bucket."""
DIRECT_LIMIT = Limit(5, 1.0)
"""Direct messages (each opens a DM channel first): PLATFORM.md advises 5-10 a second."""
GLOBAL_LIMIT = Limit(45, 1.0)
"""Every request: Discord allows 50 a second; the rest is left to commands and buttons."""
MARGIN = 0.05
"""Seconds added to each wait, for the clock skew between the bot and Discord."""


class _Window:
    """A sliding window of reserved send instants."""

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.sent: deque[float] = deque(maxlen=limit.count)

    def earliest(self, now: float) -> float:
        """Return the first instant a new send fits the window."""
        if len(self.sent) < self.limit.count:
            return now
        return max(now, self.sent[0] + self.limit.seconds + MARGIN)


class Pacer:
    """Hands out send turns: per bucket (a channel, direct messages) and overall."""

    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        overall: Limit = GLOBAL_LIMIT,
    ) -> None:
        self._monotonic = monotonic
        self._sleep = sleep
        self._overall = _Window(overall)
        self._buckets: dict[str, _Window] = {}
        self._lock = asyncio.Lock()

    async def turn(self, bucket: str, limit: Limit) -> None:
        """Wait for a turn to send in `bucket`; the turn is taken when this returns."""
        async with self._lock:
            window = self._buckets.get(bucket)
            if window is None:
                window = self._buckets[bucket] = _Window(limit)
            now = self._monotonic()
            at = max(window.earliest(now), self._overall.earliest(now))
            # Reserved now, before sleeping: a caller arriving meanwhile queues behind it.
            window.sent.append(at)
            self._overall.sent.append(at)
        wait = at - self._monotonic()
        if wait > 0:
            await self._sleep(wait)

    def sent(self, bucket: str) -> None:
        """Note that the send of the turn last taken in `bucket` goes out now.

        A turn is reserved before the sender's own bookkeeping (a ledger claim, a garbage
        collection); if that made the send later than its turn, the window counts from when it
        really went out, so the next turns keep their distance. Sends in one bucket are made
        one after another, so the last turn taken is the caller's.
        """
        window = self._buckets.get(bucket)
        if window is not None and window.sent:
            window.sent[-1] = max(window.sent[-1], self._monotonic())

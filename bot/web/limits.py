"""Per-visitor rate limiting: a token bucket per client address, in bounded memory."""

from __future__ import annotations

import math
from collections import OrderedDict

from bot.web.cache import Clock


class RateLimiter:
    """Lets each client `burst` requests at once, then `rate` a second.

    At most `clients` buckets are kept; the least recently seen go first (a client forgotten
    starts again with a full bucket, which is the most it could have had anyway).
    """

    def __init__(self, *, burst: int, rate: float, clients: int, clock: Clock) -> None:
        self._burst = float(burst)
        self._rate = rate
        self._clients = clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, client: str) -> int:
        """Take a token for `client`: 0 if allowed, else the seconds until one is there."""
        now = self._clock()
        tokens, seen = self._buckets.get(client, (self._burst, now))
        tokens = min(self._burst, tokens + (now - seen) * self._rate)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            wait = 0
        else:
            self._buckets[client] = (tokens, now)
            wait = max(1, math.ceil((1 - tokens) / self._rate))
        self._buckets.move_to_end(client)
        while len(self._buckets) > self._clients:
            self._buckets.popitem(last=False)
        return wait

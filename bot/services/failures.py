"""How a scheduled send fails, and what follows: a retry after a backoff, or never again.

The transport (`bot/transport.py`) turns Discord's answers into these exceptions, in one
classification function; the services only tell them apart:

- `DeliveryError`: a passing failure (429, 5xx, a timeout, a lost connection). The ledger marks
  the send failed and it is retried from `next_attempt`: exponential backoff with jitter.
- `SendRefusedError`: a permanent refusal (401; 403 codes 50001, 50013, 50278; 404 codes
  10003, 10008; any other 4xx). The send is settled as skipped and never retried; a refused
  channel becomes the challenge's delivery problem, and its organizer hears of it once.
- `DmsClosedError`: the member's DMs are closed (50007): reminded in the channel instead.

Every scheduled message carries a `nonce` derived from its ledger key: when a send whose
response was lost is retried, Discord finds the nonce and returns the first message instead of
posting a second one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.domain.delivery import CHANNEL_REFUSALS, Refusal

FIRST_RETRY = timedelta(minutes=1)
"""The quick retries' delay: the next minute's tick."""
QUICK_RETRIES = 3
"""Retries made a minute apart before the backoff grows. A send whose response was lost may have
been posted; its retries carry the same nonce, which Discord de-duplicates only for "the past
few minutes": the first four attempts fall within three minutes. A send whose response was lost
and whose next three retries fail too may be posted twice; that is the nonce's limit."""
LONGEST_RETRY = timedelta(hours=1)
"""Backoff stops growing here: a failing send is still tried every hour or so, all day."""
NONCE_LENGTH = 25
"""Discord's longest nonce (a string of at most 25 characters)."""


class DeliveryError(Exception):
    """A send failed for a passing reason (a server error, a timeout); retried after a backoff."""


class DmsClosedError(Exception):
    """The member does not accept direct messages from the bot (Discord error 50007)."""


class SendRefusedError(Exception):
    """Discord refused a send for good: retrying the same message would be refused again."""

    def __init__(
        self,
        refusal: Refusal,
        detail: str,
        *,
        channel_id: int | None = None,
        missing: Sequence[str] = (),
    ) -> None:
        super().__init__(detail)
        self.refusal = refusal
        self.detail = detail
        self.channel_id = channel_id
        """The refused guild channel (None for a direct message)."""
        self.missing = tuple(missing)
        """The permissions the bot lacks there, when known."""

    @property
    def channel_problem(self) -> bool:
        """Whether an organizer can fix this in the server (a channel's access or existence)."""
        return self.channel_id is not None and self.refusal in CHANNEL_REFUSALS


def _fraction(key: str) -> float:
    """Return a number in [0, 1) that depends only on `key`."""
    digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32


def next_attempt(now: datetime, attempts: int, key: str) -> datetime:
    """Return when a send that failed on its `attempts`-th try may be tried again.

    The delay is FIRST_RETRY for the first QUICK_RETRIES retries, then doubles with each attempt
    up to LONGEST_RETRY, and is spread
    over its upper half by the key ("equal jitter"): a wave of sends that failed together (a
    Discord outage at the top of an hour) is retried spread out, not as a second wave. The
    spread comes from the key and the attempt, not a random generator, so it is reproducible.
    """
    doublings = min(max(attempts, QUICK_RETRIES) - QUICK_RETRIES, 16)
    delay = min(LONGEST_RETRY, FIRST_RETRY * 2**doublings)
    spread: timedelta = delay * (0.5 + 0.5 * _fraction(f"{key}#{attempts}"))
    return now + spread


def nonce_of(*parts: str) -> str:
    """Return the deterministic nonce of a message with this ledger key (25 characters)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return digest[:NONCE_LENGTH]

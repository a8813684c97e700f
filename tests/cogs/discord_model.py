"""What simcord does not model of Discord's message creation, added for the delivery tests.

simcord ignores a message's `nonce` and `enforce_nonce` (simcord/http/_helpers.py lists them
as ignored), and its injected faults fail a request *before* the message exists. Discord's
documentation of Create Message says of `enforce_nonce`: "If true and nonce is present, it will
be checked for uniqueness in the past few minutes. If another message was created by the same
author with the same nonce, that message will be returned and no new message will be created."
The window is not published ("a few minutes"); the model keeps a nonce for three minutes, the
least "a few" can mean, so a test passing here does not lean on a generous guess.

`DiscordModel` wraps discord.py's `HTTPClient.send_message` (simcord serves everything below
it): it returns the first message for a repeated nonce, counts the messages Discord created per
nonce, and can lose a response after the message was created (a timeout) or cancel the sending
task before or after (a shutdown mid-send).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import discord
import simcord

WINDOW = timedelta(minutes=3)
"""How long the model remembers a nonce: Discord says "the past few minutes"."""

LOSE = "lose"
"""Create the message, then fail as if the response never came back (a timeout)."""
CANCEL_BEFORE = "cancel-before"
"""Cancel the sending task before the request reaches Discord."""
CANCEL_AFTER = "cancel-after"
"""Cancel the sending task after Discord created the message."""


def nonce_of(params: Any) -> str | None:
    """Return the nonce a send carries (in the JSON body, or in payload_json with files)."""
    payload = params.payload
    if payload is None and params.multipart:
        for part in params.multipart:
            if part.get("name") == "payload_json":
                payload = json.loads(part["value"])
    if not payload or not payload.get("enforce_nonce"):
        return None
    nonce = payload.get("nonce")
    return None if nonce is None else str(nonce)


@dataclass
class Attempt:
    """One send the bot made: where, with which nonce, and what the model did with it."""

    channel_id: int
    nonce: str | None
    outcome: str
    """'created', 'returned' (an earlier message, by its nonce), or a fault's name."""
    at: datetime


@dataclass
class DiscordModel:
    """Discord's nonce de-duplication on top of simcord, with lost responses and cancels."""

    env: simcord.Env
    faults: dict[int, list[str]] = field(default_factory=dict)
    """Per channel, the faults the next sends there meet, in order."""
    decide: Callable[[int, str | None], str | None] | None = None
    """Called for every send without a queued fault: a fault's name, an HTTP error ('403:50013',
    '503:0'), or None for a normal send."""
    attempts: list[Attempt] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    """Messages Discord created, per nonce."""
    _seen: dict[tuple[int, str], tuple[datetime, Any]] = field(default_factory=dict)

    def install(self, monkeypatch: Any) -> DiscordModel:
        """Wrap `HTTPClient.send_message` for the rest of the test."""
        original = discord.http.HTTPClient.send_message
        model = self

        async def send_message(http: Any, channel_id: Any, *, params: Any) -> Any:
            return await model._send(original, http, int(channel_id), params)

        monkeypatch.setattr(discord.http.HTTPClient, "send_message", send_message)
        return self

    def fail_next(self, channel_id: int, *faults: str) -> None:
        """Queue faults for the next sends to a channel."""
        self.faults.setdefault(channel_id, []).extend(faults)

    def to(self, channel_id: int) -> list[Attempt]:
        """Return the sends made to a channel."""
        return [attempt for attempt in self.attempts if attempt.channel_id == channel_id]

    async def _send(self, original: Any, http: Any, channel_id: int, params: Any) -> Any:
        nonce = nonce_of(params)
        now = self.env.now()
        queued = self.faults.get(channel_id)
        fault = queued.pop(0) if queued else None
        if fault is None and self.decide is not None:
            fault = self.decide(channel_id, nonce)
        if fault == CANCEL_BEFORE:
            self.attempts.append(Attempt(channel_id, nonce, fault, now))
            raise asyncio.CancelledError
        if fault is not None and ":" in fault:
            # An error answer: nothing is created (simcord raises it as Discord would answer).
            status, code = (int(part) for part in fault.split(":"))
            self.attempts.append(Attempt(channel_id, nonce, fault, now))
            self.env.inject_error(
                "POST",
                f"/channels/{channel_id}/messages",
                status=status,
                code=code,
                message=f"injected {fault}",
            )
            return await original(http, channel_id, params=params)
        earlier = None if nonce is None else self._seen.get((channel_id, nonce))
        if earlier is not None and now - earlier[0] <= WINDOW:
            data = earlier[1]
            outcome = "returned"
        else:
            data = await original(http, channel_id, params=params)
            outcome = "created"
            if nonce is not None:
                self.created[nonce] += 1
                self._seen[(channel_id, nonce)] = (now, data)
        self.attempts.append(Attempt(channel_id, nonce, fault or outcome, now))
        if fault == LOSE:
            raise TimeoutError("the response was lost")
        if fault == CANCEL_AFTER:
            raise asyncio.CancelledError
        return data

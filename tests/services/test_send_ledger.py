"""The send ledger's one protocol, on real storage: claim, send, record; once per key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import Services
from bot.services.send_ledger import FAILURE_DETAIL_LIMIT, Notice, failure_detail
from storage import Database, SendStatus

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
HELLO = Notice("hello", "user:1", "2026-03-02")


class Sender:
    """A send that records each call, and fails while `failing` is set."""

    def __init__(self, failing: Exception | None = None) -> None:
        self.calls = 0
        self.failing = failing

    async def __call__(self) -> str:
        self.calls += 1
        if self.failing is not None:
            raise self.failing
        return f"message {self.calls}"


async def stored(database: Database, notice: Notice) -> tuple[SendStatus | None, int, str | None]:
    async with database.read() as repos:
        key = (notice.kind, notice.target, notice.period)
        return (
            await repos.sends.status(*key),
            await repos.sends.attempts(*key),
            await repos.sends.detail(*key),
        )


async def test_a_send_runs_once_and_is_marked_sent(services: Services, database: Database) -> None:
    send = Sender()
    first = await services.send_ledger.once(HELLO, at=T0, send=send)
    second = await services.send_ledger.once(HELLO, at=T0 + timedelta(minutes=1), send=send)
    assert first is not None
    assert first.value == "message 1"
    assert second is None
    assert send.calls == 1
    assert await stored(database, HELLO) == (SendStatus.SENT, 1, None)


async def test_a_failed_send_is_recorded_in_the_one_format_and_retried_by_the_next_claim(
    services: Services, database: Database
) -> None:
    send = Sender(failing=RuntimeError("HTTP 503"))
    with pytest.raises(RuntimeError, match="HTTP 503"):
        await services.send_ledger.once(HELLO, at=T0, send=send)
    assert await stored(database, HELLO) == (SendStatus.FAILED, 1, "RuntimeError: HTTP 503")

    send.failing = None
    retried = await services.send_ledger.once(HELLO, at=T0 + timedelta(minutes=5), send=send)
    assert retried is not None
    assert retried.value == "message 2"
    status, attempts, _ = await stored(database, HELLO)
    assert (status, attempts) == (SendStatus.SENT, 2)
    assert await services.send_ledger.once(HELLO, at=T0 + timedelta(minutes=6), send=send) is None
    assert send.calls == 2


async def test_other_keys_are_independent(services: Services) -> None:
    send = Sender()
    await services.send_ledger.once(HELLO, at=T0, send=send)
    tomorrow = Notice(HELLO.kind, HELLO.target, "2026-03-03")
    someone_else = Notice(HELLO.kind, "user:2", HELLO.period)
    assert await services.send_ledger.once(tomorrow, at=T0, send=send) is not None
    assert await services.send_ledger.once(someone_else, at=T0, send=send) is not None
    assert send.calls == 3


async def test_a_skipped_notice_is_never_sent(services: Services, database: Database) -> None:
    send = Sender()
    assert await services.send_ledger.skip(HELLO, at=T0, reason="nothing to say") is True
    assert await services.send_ledger.skip(HELLO, at=T0, reason="again") is False
    assert await services.send_ledger.once(HELLO, at=T0, send=send) is None
    assert send.calls == 0
    assert await stored(database, HELLO) == (SendStatus.SKIPPED, 1, "nothing to say")


async def test_a_failed_send_can_be_skipped_instead_of_retried(
    services: Services, database: Database
) -> None:
    with pytest.raises(ValueError, match="gone"):
        await services.send_ledger.once(HELLO, at=T0, send=Sender(failing=ValueError("gone")))
    assert await services.send_ledger.skip(HELLO, at=T0, reason="the channel is gone") is True
    status, _, detail = await stored(database, HELLO)
    assert (status, detail) == (SendStatus.SKIPPED, "the channel is gone")


def test_the_failure_format_names_the_error_and_is_cut_to_a_fixed_length() -> None:
    assert failure_detail(ConnectionError("reset by peer")) == "ConnectionError: reset by peer"
    assert failure_detail(TimeoutError()) == "TimeoutError: "
    long = failure_detail(RuntimeError("x" * 2000))
    assert len(long) == FAILURE_DETAIL_LIMIT
    assert long.startswith("RuntimeError: xxx")

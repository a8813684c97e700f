"""`daybook run`'s ending, end to end, against a local fake of Discord's HTTP API: a refused
token ends with exactly one line on stderr, no traceback, and status 0, the status Docker's
`restart: on-failure` does not restart on (so a bad token is no crash loop); a SIGTERM while
starting ends with 143 (128 + SIGTERM) and no failure line."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import discord
import pytest
from aiohttp import web

from bot.cli import main
from bot.wording import operator as wording
from tests._postgres import POSTGRES_URL, empty_postgres, run_apart

TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2Nw.fake.token-for-tests"


@contextmanager
def serve(app: web.Application, monkeypatch) -> Iterator[asyncio.AbstractEventLoop]:  # type: ignore[no-untyped-def]
    """Serve `app` on 127.0.0.1 from a thread, as discord.py's Discord, until the test ends."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    try:
        yield loop
    finally:
        # Cleaned up on its own loop, so requests still open end there, then the loop stops.
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture
def discord_refusing_the_token(monkeypatch) -> Iterator[list[str]]:
    """A Discord answering as it does to a token it does not know; yields the paths asked."""
    asked: list[str] = []

    async def unauthorized(request: web.Request) -> web.Response:
        asked.append(request.path)
        # Discord's body for a bad token (the API's 401 on GET /users/@me).
        return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)

    app = web.Application()
    app.router.add_get("/api/v10/users/@me", unauthorized)
    app.router.add_get("/api/v10/gateway/bot", unauthorized)  # a sharded login may ask it
    with serve(app, monkeypatch):
        yield asked


@pytest.fixture
def discord_where_docker_stops_the_bot(monkeypatch) -> Iterator[None]:
    """A Discord that accepts the token; the bot's next request brings a SIGTERM (docker stop)
    and is not answered while the test runs, as if the stop came while the bot was starting."""
    never = asyncio.Event()

    async def accepted(request: web.Request) -> web.Response:
        user = {
            "id": "1456074443980800000",
            "username": "daybook",
            "discriminator": "0",
            "avatar": None,
            "bot": True,
        }
        # discord.py reads JSON only under exactly this content type (no charset).
        return web.Response(body=json.dumps(user).encode(), content_type="application/json")

    async def stopped_meanwhile(request: web.Request) -> web.Response:
        os.kill(os.getpid(), signal.SIGTERM)  # handled by `daybook run`'s signal handler
        await never.wait()  # until the test is over
        return web.Response(status=503)

    app = web.Application()
    app.router.add_get("/api/v10/users/@me", accepted)
    app.router.add_route("*", "/api/v10/{anything:.*}", stopped_meanwhile)
    with serve(app, monkeypatch) as loop:
        yield
        loop.call_soon_threadsafe(never.set)


@pytest.fixture
def environment(bare_settings, monkeypatch, tmp_path) -> None:
    """Only the settings a host sets: the token and an existing, migrated database."""
    if POSTGRES_URL:
        run_apart(empty_postgres(POSTGRES_URL))
        url = POSTGRES_URL
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'daybook.db'}"
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", url)
    monkeypatch.setenv("DAYBOOK_DISCORD_TOKEN", TOKEN)
    # discord.py warns of missing voice libraries once per process, as a client is built: armed
    # again here, so the test shows bot.log's filter drops them rather than an earlier test.
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)


@pytest.mark.parametrize("shard_count", [None, "2"], ids=["one-process", "sharded"])
def test_a_refused_token_ends_with_one_line_and_status_0(
    environment, discord_refusing_the_token, monkeypatch, capsys, shard_count
) -> None:
    assert main(["migrate"]) == 0  # the bot ran here before: its database is there
    capsys.readouterr()
    if shard_count is not None:
        monkeypatch.setenv("DAYBOOK_SHARD_COUNT", shard_count)

    status = main(["run"])  # at the default log level, INFO, through bot.log's handler

    captured = capsys.readouterr()
    assert status == 0
    assert captured.out == ""
    assert captured.err == (f"daybook: {wording.stopped_for_good(wording.LOGIN_REFUSED)}\n")
    assert "Traceback" not in captured.err
    assert TOKEN not in captured.err
    assert discord_refusing_the_token == ["/api/v10/users/@me"]  # refused at the first request


def test_a_stop_while_starting_ends_with_143_and_no_failure_line(
    environment, discord_where_docker_stops_the_bot, capsys
) -> None:
    assert main(["migrate"]) == 0
    capsys.readouterr()

    status = main(["run"])

    # 128 + SIGTERM, as a shell reports it: never 0, the status that says "stopped for good".
    assert status == 128 + signal.SIGTERM == 143
    captured = capsys.readouterr()
    assert "daybook: " not in captured.err  # the request the stop cut short is no failure
    assert "Traceback" not in captured.err

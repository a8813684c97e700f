"""What a visitor of a challenge's public page sees, and what they never see."""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.clock import FixedClock
from bot.services import Services
from bot.services.public import member_key
from bot.services.settings_input import ChallengeSettingsInput
from bot.web.app import MAX_BODY, MAX_LINE, SECURITY_HEADERS, PublicSite, WebLimits
from bot.web.server import IDLE_SECONDS, WebServer
from bot.web.style import STYLESHEET_PATH
from storage import Database
from tests.web.conftest import (
    ADA,
    GUILD,
    HOSTILE,
    MAYA,
    NOW,
    ORGANIZER,
    Ticker,
    community,
    posted_digest,
)

Client = TestClient[Any, Any]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LAST_WEEK = "{}-W{:02d}".format(*date(2026, 3, 9).isocalendar()[:2])
"""The ISO week of Monday 2026-03-09: its Monday digest reports on 2-8 March."""


def cells(page: str) -> list[tuple[str, str, str, str, str]]:
    """Return the board table's rows: rank, name, streak, best, day (the text only)."""
    rows = re.findall(
        r'<tr><td class="num">(\d+)</td><th scope="row"><a href="[^"]+">(.*?)</a></th>'
        r'<td class="num">(.*?)</td><td class="num">(.*?)</td><td class="num">(.*?)</td></tr>',
        page,
    )
    return [tuple(row) for row in rows]


async def test_visitor_sees_the_board_ranked_as_the_leaderboard_ranks(
    services: Services, client: Client
) -> None:
    challenge = await community(services)
    response = await client.get(f"/c/{challenge.web_id}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = await response.text()
    assert page.startswith("<!doctype html>")
    assert '<html lang="en">' in page
    assert "<h1>ML &lt;Club&gt;</h1>" in page
    # Streaks 10, 3 (best 6), 3 (best 3), 1: equal streaks share rank 2, the better best first.
    # Raj's one miss pauses his count (x-days-of-ml-code): nine days logged, Day 9.
    # Maya (streak 10) is hidden; the member never seen is "a member", never a number.
    assert cells(page) == [
        ("1", "Ada Lovelace", "10", "10", "10"),
        ("2", "Raj", "3", "6", "9"),
        (
            "2",
            HOSTILE.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;"),
            "3",
            "3",
            "3",
        ),
        ("4", "a member", "1", "1", "1"),
    ]
    assert "4 members on the board" in page
    assert "<caption>" in page
    assert 'scope="col"' in page
    image = re.search(r'<img src="([^"]+)" alt="([^"]+)"', page)
    assert image is not None
    assert image.group(1) == f"/c/{challenge.web_id}/board.png"
    assert image.group(2).startswith(
        "Bar chart of the current streaks of the top 4 members: 1. Ada"
    )
    png = await client.get(image.group(1))
    assert png.status == 200
    assert png.headers["Content-Type"] == "image/png"
    assert (await png.read()).startswith(PNG_MAGIC)
    assert f'href="/c/{challenge.web_id}/digests"' in page
    assert str(ADA) not in page


async def test_member_page_shows_day_and_streaks_with_the_heatmap(
    services: Services, client: Client
) -> None:
    challenge = await community(services)
    assert challenge.web_id is not None
    board = await (await client.get(f"/c/{challenge.web_id}")).text()
    link = re.search(r'<a href="(/c/[^"]+/m/[^"]+)">Ada Lovelace</a>', board)
    assert link is not None
    page = await (await client.get(link.group(1))).text()
    assert "<h1>Ada Lovelace</h1>" in page
    assert "Day <strong>10</strong>" in page
    assert "Current streak <strong>10 days</strong>" in page
    assert str(ADA) not in link.group(1)
    heatmap = await client.get(f"{link.group(1)}/heatmap.png")
    assert heatmap.status == 200
    assert (await heatmap.read()).startswith(PNG_MAGIC)


async def test_hidden_member_appears_nowhere_and_their_page_is_the_one_404(
    services: Services, database: Database, client: Client
) -> None:
    challenge = await community(services)
    web_id = challenge.web_id
    assert web_id is not None
    await posted_digest(database, challenge, LAST_WEEK)
    seen = ""
    for path in (f"/c/{web_id}", f"/c/{web_id}/digests", f"/c/{web_id}/digests/{LAST_WEEK}"):
        response = await client.get(path)
        assert response.status == 200, path
        seen += await response.text()
    assert "Maya" not in seen
    assert "Secret" not in seen
    # Her page's address, made as any member's is, answers what an unknown page answers.
    maya = await services.participants.mine(guild_id=GUILD, user_id=MAYA, challenge=None)
    async with await_404(client, f"/c/{web_id}/m/{member_key(web_id, maya.id)}") as hidden:
        pass
    async with await_404(client, f"/c/{web_id}/m/AAAAAAAAAAAAAAAA") as unknown:
        pass
    assert hidden == unknown


@asynccontextmanager
async def await_404(client: Client, path: str):  # type: ignore[no-untyped-def]
    response = await client.get(path)
    assert response.status == 404, path
    headers = {k: v for k, v in response.headers.items() if k != "Date"}
    yield (await response.read(), headers)


async def test_unknown_disabled_and_ended_pages_answer_byte_identical_404s(
    services: Services, client: Client
) -> None:
    challenge = await community(services)
    web_id = challenge.web_id
    assert web_id is not None
    answers = []
    async with await_404(client, "/c/" + "x" * 32) as unknown:
        answers.append(unknown)
    async with await_404(client, "/c/<script>") as odd:
        answers.append(odd)
    await services.challenges.set_web(
        guild_id=GUILD, challenge=None, enabled=False, organizer_id=ORGANIZER
    )
    async with await_404(client, f"/c/{web_id}/digests") as disabled:
        answers.append(disabled)
    again = await services.challenges.set_web(
        guild_id=GUILD, challenge=None, enabled=True, organizer_id=ORGANIZER
    )
    assert again.web_id == web_id  # the address is kept
    await services.challenges.end(guild_id=GUILD, challenge=None, now=NOW)
    async with await_404(client, f"/c/{web_id}/m/AAAAAAAAAAAAAAAA") as ended:
        answers.append(ended)
    async with await_404(client, "/nothing/here") as elsewhere:
        answers.append(elsewhere)
    assert all(answer == answers[0] for answer in answers)
    assert "ML" not in answers[0][0].decode()


async def test_front_page_lists_nothing(services: Services, client: Client) -> None:
    await community(services)
    page = await (await client.get("/")).text()
    assert "ML" not in page
    assert "/c/" not in page


async def test_every_status_carries_the_security_headers(
    services: Services, client: Client, limits: WebLimits
) -> None:
    challenge = await community(services)
    page = await client.get(f"/c/{challenge.web_id}")
    responses = [
        page,
        await client.get(f"/c/{challenge.web_id}", headers={"If-None-Match": page.headers["ETag"]}),
        await client.get("/c/unknown"),
        await client.post(f"/c/{challenge.web_id}", data=b"x"),
        await client.get("/static/daybook.css"),
    ]
    for _ in range(limits.burst):
        last = await client.get("/")
    responses.append(last)
    assert [r.status for r in responses] == [200, 304, 404, 405, 404, 429]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (response.status, name)
        assert response.headers["Server"] == "Daybook"
    assert "default-src 'none'" in SECURITY_HEADERS["Content-Security-Policy"]
    assert responses[3].headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("limits", [WebLimits(burst=3, rate=0.5)])
async def test_a_visitor_gets_429_after_the_burst_and_again_once_it_refills(
    services: Services, client: Client, ticker: Ticker, limits: WebLimits
) -> None:
    await community(services)
    statuses = [(await client.get("/")).status for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = await client.get("/")
    # Half a token a second: the next whole token is two seconds away.
    assert refused.headers["Retry-After"] == "2"
    assert "Too many requests" in await refused.text()
    ticker.now += 2
    assert (await client.get("/")).status == 200


@pytest.mark.parametrize("limits", [WebLimits(burst=2, rate=0.01)])
async def test_behind_a_trusted_proxy_each_forwarded_visitor_has_a_bucket(
    proxied: Client,
) -> None:
    one = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}
    two = {"X-Forwarded-For": "203.0.113.9, 198.51.100.2"}
    assert [(await proxied.get("/", headers=one)).status for _ in range(3)] == [200, 200, 429]
    # The last hop is the visitor (a proxy appends the address it saw): another bucket.
    assert (await proxied.get("/", headers=two)).status == 200


async def test_a_cached_page_is_served_without_reading_and_304_when_unchanged(
    services: Services, database: Database, client: Client, ticker: Ticker, monkeypatch
) -> None:
    challenge = await community(services)
    path = f"/c/{challenge.web_id}"
    reads = 0
    original = database.read

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal reads
        reads += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(database, "read", counted)
    first = await client.get(path)
    assert first.status == 200
    assert reads > 0
    assert first.headers["Cache-Control"] == "public, max-age=60"
    after_first = reads
    second = await client.get(path)
    assert await second.read() == await first.read()
    assert reads == after_first
    unchanged = await client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status == 304
    assert await unchanged.read() == b""
    assert reads == after_first
    # A minute later the page is read again (and still the same page: nothing changed).
    ticker.now += 61
    third = await client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert reads > after_first
    assert third.status == 304


async def test_digest_archive_lists_posted_weeks_with_their_charts(
    services: Services, database: Database, client: Client
) -> None:
    challenge = await community(services)
    web_id = challenge.web_id
    listing = await (await client.get(f"/c/{web_id}/digests")).text()
    assert "No weekly digest has been posted yet." in listing
    await posted_digest(database, challenge, LAST_WEEK)
    week = await client.get(f"/c/{web_id}/digests/{LAST_WEEK}")
    assert week.status == 200
    page = await week.text()
    # The Monday digest of 9 March reports on Monday 2 to Sunday 8 March.
    assert "<h1>Week of Mon 2 \u2013 Sun 8 Mar</h1>" in page  # an en dash, as the digest
    assert "Ada Lovelace" in page
    for chart in ("board.png", "activity.png"):
        png = await client.get(f"/c/{web_id}/digests/{LAST_WEEK}/{chart}")
        assert png.status == 200
        assert (await png.read()).startswith(PNG_MAGIC)
    # A week whose digest was not posted is not there.
    assert (await client.get(f"/c/{web_id}/digests/2026-W12")).status == 404
    assert (await client.get(f"/c/{web_id}/digests/2026-W99")).status == 404


async def test_the_server_refuses_an_overlong_address_and_a_body(services: Services) -> None:
    site = PublicSite(services.public, services.charts, now=FixedClock(NOW))
    server = WebServer(site, host="127.0.0.1", port=0)
    port = await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{port}"
            async with session.get(f"{base}/c/" + "a" * (MAX_LINE + 1)) as refused:
                assert refused.status in (400, 414)
            async with session.get(f"{base}/") as fine:
                assert fine.status == 200
                assert fine.headers["Server"] == "Daybook"
            async with session.post(f"{base}/", data=b"x" * (MAX_BODY + 1)) as posted:
                assert posted.status == 405
    finally:
        await server.stop()


async def test_a_member_who_joins_later_gets_a_page_and_keys_stay_in_their_challenge(
    services: Services, client: Client
) -> None:
    challenge = await community(services)
    web_id = challenge.web_id
    assert web_id is not None
    ada = await services.participants.mine(guild_id=GUILD, user_id=ADA, challenge=None)
    assert (await client.get(f"/c/{web_id}/m/{member_key(web_id, ada.id)}")).status == 200
    # Another server's challenge with its own page: Ada's key means nothing there.
    other = await services.challenges.create(
        guild_id=GUILD + 1, settings=ChallengeSettingsInput(name="Chess"), now=NOW
    )
    other = await services.challenges.set_web(
        guild_id=GUILD + 1, challenge=None, enabled=True, organizer_id=ORGANIZER
    )
    assert other.web_id is not None
    elsewhere = await client.get(f"/c/{other.web_id}/m/{member_key(web_id, ada.id)}")
    assert elsewhere.status == 404
    late = 2099
    await services.participants.join(guild_id=GUILD, user_id=late, now=NOW, timezone="UTC")
    await services.names.remember(GUILD, {late: "Late Lee"})
    newcomer = await services.participants.mine(guild_id=GUILD, user_id=late, challenge=None)
    page = await client.get(f"/c/{web_id}/m/{member_key(web_id, newcomer.id)}")
    assert page.status == 200
    assert "<h1>Late Lee</h1>" in await page.text()


async def test_a_browser_keeps_a_page_no_longer_than_the_server_still_would(
    services: Services, client: Client, ticker: Ticker, limits: WebLimits
) -> None:
    # The README promises a change (hiding, a page turned off) shows within `ttl`: a browser
    # told a full `ttl` for a page the server has kept a while would show it for longer.
    challenge = await community(services)
    path = f"/c/{challenge.web_id}"
    first = await client.get(path)
    assert first.headers["Cache-Control"] == f"public, max-age={int(limits.ttl)}"
    ticker.now += 45
    later = await client.get(path)
    assert later.headers["Cache-Control"] == f"public, max-age={int(limits.ttl) - 45}"
    unchanged = await client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status == 304
    assert unchanged.headers["Cache-Control"] == f"public, max-age={int(limits.ttl) - 45}"
    # The stylesheet is named by its content: kept for good, whatever the pages' age.
    sheet = await client.get(STYLESHEET_PATH)
    assert "immutable" in sheet.headers["Cache-Control"]


@pytest.mark.parametrize("limits", [WebLimits(burst=2, rate=0.01)])
async def test_an_ipv6_visitor_has_one_bucket_for_their_whole_64(proxied: Client) -> None:
    # A provider gives one subscriber a /64: new addresses from it are the same visitor.
    statuses = [
        (await proxied.get("/", headers={"X-Forwarded-For": f"2001:db8:1:2::{n:x}"})).status
        for n in range(1, 4)
    ]
    assert statuses == [200, 200, 429]
    # Another /64 is another visitor; an IPv4 address, even written as IPv6, is itself.
    other = {"X-Forwarded-For": "2001:db8:1:3::1"}
    assert (await proxied.get("/", headers=other)).status == 200
    mapped = [
        (await proxied.get("/", headers={"X-Forwarded-For": hop})).status
        for hop in ("203.0.113.7", "::ffff:203.0.113.7", "203.0.113.7")
    ]
    assert mapped == [200, 200, 429]
    assert (await proxied.get("/", headers={"X-Forwarded-For": "203.0.113.8"})).status == 200


async def test_a_connection_that_never_finishes_its_request_is_closed(
    services: Services,
) -> None:
    # Slowloris: half a request, then nothing. aiohttp alone keeps it an hour; the server
    # closes it once it has idled `idle` seconds (a tenth here; IDLE_SECONDS in production).
    assert IDLE_SECONDS <= 60
    site = PublicSite(services.public, services.charts, now=FixedClock(NOW))
    server = WebServer(site, host="127.0.0.1", port=0, idle=0.1)
    port = await server.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: daybook\r\n")
        await writer.drain()
        # Waits for the server's close, not for time: without the limit this read never ends.
        assert await asyncio.wait_for(reader.read(), timeout=30) == b""
        writer.close()
    finally:
        await server.stop()

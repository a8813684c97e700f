"""The public pages' web application: routes, caching, rate limiting and security headers.

Every response, whatever its status, carries the same security headers (`SECURITY_HEADERS`).
Whatever is not there answers the one 404 page, byte for byte: an unknown address, a page
turned off, an ended challenge, a hidden, departed or forgotten member.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from aiohttp import web

from bot.domain import calendar, schedule
from bot.errors import NotFoundError
from bot.services.charts import ChartService
from bot.services.public import PublicPageService
from bot.web import charts as pictures
from bot.web import pages
from bot.web.cache import Body, Clock, PageCache, body
from bot.web.limits import RateLimiter
from bot.web.style import STYLESHEET_BYTES, STYLESHEET_PATH

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), "
        "payment=(), usb=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
"""Sent with every response: no script, no frames, nothing but this site's own images."""
SERVER = "Daybook"
"""The Server header: no versions."""
HTML = "text/html; charset=utf-8"
PNG = "image/png"
CSS = "text/css; charset=utf-8"
READS = frozenset({"GET", "HEAD"})
MAX_BODY = 1024
"""Bytes of request body accepted (a read sends none)."""
MAX_LINE = 2048
"""Bytes of a request line or a header line."""
NO_STORE = "no-store"


@dataclass(frozen=True, slots=True)
class WebLimits:
    """How long pages are kept, and how fast one visitor may ask."""

    ttl: float = 60.0
    """Seconds a rendered page or chart is served from memory (and may be cached by browsers)."""
    entries: int = 512
    """Rendered pages and charts kept at most."""
    burst: int = 60
    """Requests a visitor may make at once (a page is 3 or 4: the page, its style, charts)."""
    rate: float = 2.0
    """Requests a second a visitor may make after the burst."""
    clients: int = 10_000
    """Visitors whose buckets are kept at most."""


class PublicSite:
    """The public pages, served from the services; `application()` builds the aiohttp app."""

    def __init__(
        self,
        public: PublicPageService,
        charts: ChartService,
        *,
        now: Callable[[], datetime],
        trust_proxy: bool = False,
        limits: WebLimits | None = None,
        monotonic: Clock = time.monotonic,
    ) -> None:
        self._public = public
        self._charts = charts
        self._now = now
        self._trust_proxy = trust_proxy
        self.limits = limits or WebLimits()
        self.cache = PageCache(ttl=self.limits.ttl, entries=self.limits.entries, clock=monotonic)
        self.limiter = RateLimiter(
            burst=self.limits.burst,
            rate=self.limits.rate,
            clients=self.limits.clients,
            clock=monotonic,
        )

    def application(self) -> web.Application:
        """Return the aiohttp application of the public pages."""
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_BODY)
        app.on_response_prepare.append(_secure)
        routes = [
            ("/", self._index),
            (STYLESHEET_PATH, self._stylesheet),
            ("/c/{web_id}", self._board),
            ("/c/{web_id}/board.png", self._board_png),
            ("/c/{web_id}/m/{key}", self._member),
            ("/c/{web_id}/m/{key}/heatmap.png", self._heatmap_png),
            ("/c/{web_id}/digests", self._digests),
            ("/c/{web_id}/digests/{week}", self._digest),
            ("/c/{web_id}/digests/{week}/board.png", self._digest_board_png),
            ("/c/{web_id}/digests/{week}/activity.png", self._digest_activity_png),
        ]
        for path, handler in routes:
            app.router.add_get(path, _served(handler, max_age=self._max_age))
        return app

    def _max_age(self, path: str) -> int:
        """Return the seconds a browser or proxy may keep `path`: what is left of its freshness.

        A fixed `ttl` would stack on the server's own: a page kept here for 59 seconds, then
        by the browser for 60 more, would show a hidden member or a page turned off for two
        minutes, when the README promises one.
        """
        left = self.cache.fresh_for(path)
        return int(self.limits.ttl) if left is None else math.floor(left)

    def client_of(self, request: web.BaseRequest) -> str:
        """Return the visitor's bucket: the peer's address, or behind a trusted proxy its last hop.

        An IPv6 visitor is their /64 (`rate_key`).
        """
        if self._trust_proxy:
            forwarded = request.headers.getall("X-Forwarded-For", [])
            hops = [hop.strip() for line in forwarded for hop in line.split(",") if hop.strip()]
            if hops:
                return rate_key(hops[-1])
        return rate_key(request.remote or "unknown")

    @web.middleware
    async def _guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Refuse what is not a read, limit each visitor's rate, answer every failure."""
        if request.method not in READS:
            return _page(405, pages.not_allowed_page(), Allow="GET, HEAD")
        wait = self.limiter.take(self.client_of(request))
        if wait:
            return _page(429, pages.too_many_page(wait), **{"Retry-After": str(wait)})
        try:
            return await handler(request)
        except NotFoundError:
            return not_found()
        except web.HTTPException as error:
            if error.status == 404:
                return not_found()
            if error.status == 405:
                return _page(405, pages.not_allowed_page(), Allow="GET, HEAD")
            raise
        except Exception:
            log.exception("the public page %s failed", request.path)
            return _page(500, _broken_page())

    async def _kept(self, request: web.Request, make: Callable[[], Awaitable[Body]]) -> Body:
        return await self.cache.get(request.path, make)

    async def _index(self, request: web.Request) -> Body:
        return body(pages.index_page(), HTML)

    async def _stylesheet(self, request: web.Request) -> Body:
        return body(STYLESHEET_BYTES, CSS)

    async def _board(self, request: web.Request) -> Body:
        web_id = request.match_info["web_id"]

        async def make() -> Body:
            board = await self._public.board(web_id, self._now())
            return body(pages.board_page(board, web_id), HTML)

        return await self._kept(request, make)

    async def _board_png(self, request: web.Request) -> Body:
        web_id = request.match_info["web_id"]

        async def make() -> Body:
            board = await self._public.board(web_id, self._now())
            return body(await pictures.board_png(self._charts, board), PNG)

        return await self._kept(request, make)

    async def _member(self, request: web.Request) -> Body:
        web_id, key = request.match_info["web_id"], request.match_info["key"]

        async def make() -> Body:
            member = await self._public.member(web_id, key, self._now())
            return body(pages.member_page(member, web_id), HTML)

        return await self._kept(request, make)

    async def _heatmap_png(self, request: web.Request) -> Body:
        web_id, key = request.match_info["web_id"], request.match_info["key"]

        async def make() -> Body:
            member = await self._public.member(web_id, key, self._now())
            return body(await pictures.heatmap_png(self._charts, member), PNG)

        return await self._kept(request, make)

    async def _digests(self, request: web.Request) -> Body:
        web_id = request.match_info["web_id"]

        async def make() -> Body:
            challenge, weeks = await self._public.weeks(web_id)
            tz = calendar.known_zone(challenge.timezone) or calendar.known_zone("UTC")
            listed = []
            for week in weeks:
                year, number = week.split("-W")
                monday = date.fromisocalendar(int(year), int(number), 1)
                if tz is not None:
                    slot = schedule.digest_slot(
                        monday, challenge.digest_weekday, challenge.digest_time, tz
                    )
                    listed.append((week, slot.first_day, slot.last_day))
            return body(pages.digests_page(challenge, web_id, listed), HTML)

        return await self._kept(request, make)

    async def _digest(self, request: web.Request) -> Body:
        web_id, week = request.match_info["web_id"], request.match_info["week"]

        async def make() -> Body:
            shown = await self._public.digest(web_id, week, self._now())
            return body(pages.digest_page(shown, web_id), HTML)

        return await self._kept(request, make)

    async def _digest_board_png(self, request: web.Request) -> Body:
        return await self._digest_png(request, board=True)

    async def _digest_activity_png(self, request: web.Request) -> Body:
        return await self._digest_png(request, board=False)

    async def _digest_png(self, request: web.Request, *, board: bool) -> Body:
        web_id, week = request.match_info["web_id"], request.match_info["week"]

        async def make() -> Body:
            shown = await self._public.digest(web_id, week, self._now())
            # Only the chart asked for: the page's other image is its own request.
            draw = pictures.digest_board_png if board else pictures.digest_activity_png
            return body(await draw(self._charts, shown), PNG)

        return await self._kept(request, make)


def rate_key(address: str) -> str:
    """Return the rate limit's key of an address: an IPv6 one's /64, an IPv4 one as it is.

    One IPv6 subscriber gets a whole /64 (2**64 addresses) from their provider: a bucket per
    address would let one visitor past the limit, and push everyone else's buckets out.
    """
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _served(
    make: Callable[[web.Request], Awaitable[Body]], *, max_age: Callable[[str], int]
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap a body maker as a handler: cache headers, and 304 when the visitor has it."""

    async def handler(request: web.Request) -> web.StreamResponse:
        made = await make(request)
        # Named by content, the stylesheet never changes; a page changes within `ttl`.
        immutable = request.path == STYLESHEET_PATH
        cache = (
            "public, max-age=31536000, immutable"
            if immutable
            else f"public, max-age={max_age(request.path)}"
        )
        headers = {"ETag": made.etag, "Cache-Control": cache}
        if _matches(request.headers.get("If-None-Match", ""), made.etag):
            return web.Response(status=304, headers=headers)
        return web.Response(body=made.data, headers={**headers, "Content-Type": made.content_type})

    return handler


def _matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names this entity tag (weakly, as RFC 9110 says)."""
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def _page(status: int, data: bytes, **headers: str) -> web.Response:
    return web.Response(
        status=status,
        body=data,
        headers={"Content-Type": HTML, "Cache-Control": NO_STORE, **headers},
    )


def not_found() -> web.Response:
    """Return the one 404: the same body and headers for everything that is not there."""
    return _page(404, pages.not_found_page())


def _broken_page() -> bytes:
    return pages.document(
        "Something went wrong",
        "<h1>Something went wrong</h1><p>It has been logged. Please try again later.</p>",
    )


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    """Put the security headers on every response, and a Server header without versions."""
    response.headers.update(SECURITY_HEADERS)
    response.headers["Server"] = SERVER

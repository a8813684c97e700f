"""Serving the public pages: an aiohttp server on a host and port, started and stopped."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.services.charts import ChartService
from bot.services.public import PublicPageService
from bot.web.app import MAX_LINE, PublicSite

log = logging.getLogger(__name__)

SHUTDOWN_SECONDS = 5.0
"""How long requests in progress may finish when the server stops."""
IDLE_SECONDS = 15.0
"""How long a connection may wait for its (next) request to arrive whole.

aiohttp's own default is an hour: a visitor opening connections and sending half a request on
each (slowloris) would hold them all that long, and in the bot's process every one is a file
descriptor the bot's Discord and database connections need too.
"""


class WebServer:
    """The public pages on `host`:`port` (port 0: any free port, see `port` once started)."""

    def __init__(
        self, site: PublicSite, *, host: str, port: int, idle: float = IDLE_SECONDS
    ) -> None:
        self._site = site
        self._host = host
        self._port = port
        self._idle = idle
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        """The port it listens on, once started."""

    async def start(self) -> int:
        """Listen, and return the port; raise OSError when the address cannot be had."""
        runner = web.AppRunner(
            self._site.application(),
            access_log=None,
            shutdown_timeout=SHUTDOWN_SECONDS,
            keepalive_timeout=self._idle,
            # Bounded requests: a page's address and its headers are short.
            max_line_size=MAX_LINE,
            max_field_size=MAX_LINE,
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        sockets = [address for address in runner.addresses if isinstance(address, tuple)]
        self.port = int(sockets[0][1]) if sockets else self._port
        log.info("public pages served on %s:%s", self._host, self.port)
        return self.port

    async def stop(self) -> None:
        """Stop listening and let the requests in progress finish (a few seconds at most)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


def public_server(
    public: PublicPageService,
    charts: ChartService,
    *,
    now: Callable[[], datetime],
    host: str,
    port: int,
    trust_proxy: bool,
) -> WebServer:
    """Return the public pages' server, reading through these services (not started)."""
    site = PublicSite(public, charts, now=now, trust_proxy=trust_proxy)
    return WebServer(site, host=host, port=port)

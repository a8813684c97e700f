"""The browser tests start the real bot on simcord, as tests/cogs do, with its web server on."""

from __future__ import annotations

from tests.cogs.conftest import chart_executor, clock, simcord_bot, world

__all__ = ["chart_executor", "clock", "simcord_bot", "world"]

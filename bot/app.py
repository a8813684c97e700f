"""Composition root: settings, database, services and the bot, wired in one place.

`create_bot(settings, clock=...)` builds everything the bot needs and hands it over, without
logging in or touching the database (SQLAlchemy connects on first use); the bot upgrades and
opens the database when it starts (see `bot.client`).
"""

from __future__ import annotations

from concurrent.futures import Executor

from bot.charts.pool import ChartPool
from bot.client import DaybookBot, ShardedDaybookBot
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.log import silence_voice_warnings
from bot.pacing import Pacer
from bot.services import Services
from cogs import CHANNEL_EXTENSION, EXTENSIONS
from cogs._ui.persistent import PERSISTENT_ITEMS
from storage import Database


def extensions_for(settings: Settings) -> tuple[str, ...]:
    """Return the extensions the bot loads: channel posts only with message content."""
    if settings.message_content:
        return (*EXTENSIONS, CHANNEL_EXTENSION)
    return EXTENSIONS


def create_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
    chart_executor: Executor | None = None,
    run_scheduler: bool = True,
) -> DaybookBot:
    """Build the bot without logging in; `clock` drives every scheduled decision.

    Charts render in `chart_executor`; None means a process pool of the bot's own, shut down
    when the bot closes. Its workers start in the background when the bot connects to Discord
    (a bot driven by a simulated Discord never connects: they start on its first chart).

    With `run_scheduler`, the bot starts its scheduler when it starts: `tick()` every minute.
    The scheduler sleeps in real time, so a bot driven by a simulated clock runs without it
    and has its `tick()` called directly.
    """
    silence_voice_warnings()  # discord.py warns as the client is built; Daybook has no voice
    database = Database.create(settings.database_url)
    own_pool = None
    if chart_executor is None:
        chart_executor = own_pool = ChartPool()
    services = Services.build(
        database,
        chart_executor=chart_executor,
        attachment_quota_mb=settings.attachment_quota_mb,
        shards=settings.shards(),
    )
    kind = ShardedDaybookBot if settings.shard_count is not None else DaybookBot
    return kind(
        settings,
        clock=clock or system_clock,
        database=database,
        services=services,
        pacer=Pacer(),
        extensions=extensions_for(settings),
        persistent_items=PERSISTENT_ITEMS,
        chart_pool=own_pool,
        run_scheduler=run_scheduler,
    )

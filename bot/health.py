"""`daybook health`, Docker's check: is this container's bot process ticking and connected?

It reads the process's heartbeat row (`bot.heartbeat` writes it) and judges it against the
clock. Light on purpose: it runs every 30 seconds beside the bot, so it imports no Discord and
no charts, opens one connection for one read, and never migrates or creates a database.

Limits:
- TICK_LATE: the scheduler beats twice a minute (reminders at :00, digests at :30), so a
  healthy process's last beat is under 60 seconds old even when one loop is busy with a long
  wave. Three minutes allows a slow tick or two, a garbage collection or a small clock step,
  yet tells of a stuck event loop or a dead database within a few checks.
- GATEWAY_GRACE: a dropped connection usually resumes within seconds, and a fresh login waits
  its identify turn (five seconds a shard per bucket, shared across processes). Two minutes
  keeps such blips and discord.py's retry backoff healthy; a longer outage is reported. No
  grace before the first connection: a starting process is unhealthy until every shard is in,
  which Docker shows as "starting" during the HEALTHCHECK's start period (see the Dockerfile).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot import clock as clocks
from bot.wording import health as wording

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.config import Settings
    from storage.repositories.heartbeats import Heartbeat

TICK_LATE = timedelta(minutes=3)
GATEWAY_GRACE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Healthy or not, and the one line saying why."""

    healthy: bool
    line: str

    @property
    def status(self) -> int:
        """The exit status Docker reads: 0 healthy, 1 unhealthy."""
        return 0 if self.healthy else 1


def assess(heartbeat: Heartbeat | None, now: datetime) -> Verdict:
    """Judge a process's heartbeat at `now`."""
    if heartbeat is None:
        return Verdict(healthy=False, line=wording.NO_HEARTBEAT)
    reasons: list[str] = []
    ticked = heartbeat.ticked_at
    if now - (ticked or heartbeat.started_at) > TICK_LATE:
        if ticked is None:
            reasons.append(wording.never_ticked(now, heartbeat.started_at))
        else:
            reasons.append(wording.tick_late(now, ticked))
    # Down since the last change, or since the start when it never connected.
    ever = heartbeat.gateway_changed_at is not None
    since = heartbeat.gateway_changed_at or heartbeat.started_at
    gateway = ""
    if heartbeat.gateway_up:
        gateway = wording.gateway_connected()
    elif not ever or now - since > GATEWAY_GRACE:
        # Not connected yet since the start is unhealthy at once: Docker shows "starting" for
        # as long as its start period lasts, and a success would end that period early.
        reasons.append(wording.gateway_down(now, since, ever=ever))
    else:
        gateway = wording.gateway_reconnecting(now, since)
    if reasons:
        return Verdict(healthy=False, line=wording.unhealthy(reasons))
    return Verdict(healthy=True, line=wording.healthy(now, ticked, heartbeat.started_at, gateway))


async def check(settings: Settings, clock: Clock | None = None) -> Verdict:
    """Read this process's heartbeat (keyed by the settings' shards) and judge it."""
    from storage.database import normalise_url
    from storage.health import HealthDatabaseMissingError, read_heartbeat
    from storage.migrate import describe
    from storage.repositories.heartbeats import process_key

    try:
        heartbeat = await read_heartbeat(settings.database_url, process_key(settings.shards()))
    except HealthDatabaseMissingError as error:
        return Verdict(healthy=False, line=wording.database_missing(error.location))
    except Exception as error:
        location = describe(normalise_url(settings.database_url))
        return Verdict(healthy=False, line=wording.database_unreadable(location, _said(error)))
    return assess(heartbeat, (clock or clocks.system_clock)())


def _said(error: BaseException) -> str:
    """Return the first line of what an error says (the driver's own words if wrapped)."""
    original = getattr(error, "orig", None)
    text = str(original if isinstance(original, BaseException) else error).strip()
    return text.splitlines()[0] if text else type(error).__name__

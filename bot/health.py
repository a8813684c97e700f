"""`daybook health`, Docker's check: is this container's bot process ticking and connected?

It reads the process's heartbeat row (`bot.heartbeat` writes it) and judges it against the
clock. Light on purpose: it runs every minute beside the bot, so it imports no Discord and
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

import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from bot import clock as clocks
from bot.domain.heartbeats import Heartbeat, process_key
from bot.wording import health as wording

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.config import Settings

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

    shards = settings.shards()
    try:
        heartbeat = await read_heartbeat(
            settings.database_url, process_key(shards.count, shards.ids)
        )
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


def quick_check(
    environ: Mapping[str, str] | None = None,
    env_file: Path = Path(".env"),
    clock: Clock | None = None,
) -> Verdict | None:
    """Judge the heartbeat of a bot on a SQLite file without the settings' or storage's imports.

    Docker runs the check every minute, and importing pydantic-settings and SQLAlchemy is most
    of its cost (bench/health.py). This path reads only the variables it needs, in the common
    case of a container (the environment, no .env file, a plain SQLite file, every shard in the
    one process), and the row with the standard library's sqlite3, read-only. Anything else (a
    .env file, PostgreSQL, an odd URL or setting, a missing file, a read that fails) returns
    None: `check` then reads it the full way, which also words what is wrong. The other
    settings are not checked here: the bot refuses to start on a bad one in this same
    environment (the container's), so no heartbeat could be fresh.
    """
    environ = os.environ if environ is None else environ
    try:
        if env_file.exists():
            return None  # pydantic-settings reads it; mirroring its rules is not worth the risk
    except OSError:
        return None  # a folder the check may not look into: `check` words it
    values = {
        name.upper(): value
        for name, value in environ.items()
        if value and name[:8].upper() == "DAYBOOK_"
    }
    path = _sqlite_path(values.get("DAYBOOK_DATABASE_URL", DEFAULT_DATABASE_URL))
    shards = _whole_count(values.get("DAYBOOK_SHARD_IDS"), values.get("DAYBOOK_SHARD_COUNT"))
    if path is None or shards is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        heartbeat = _read_sqlite(path, process_key(shards, range(shards)))
    except (OSError, sqlite3.Error, TypeError, ValueError):
        # A path the OS refuses (too long, no permission) or a row unlike the bot's: `check` says.
        return None
    return assess(heartbeat, (clock or clocks.system_clock)())


DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/daybook.db"
"""bot/config.py's default, repeated here so the quick path imports no settings (a test checks)."""
# The drivers the bot opens a SQLite file with (storage.database picks aiosqlite for "sqlite");
# no surrounding whitespace, which SQLAlchemy keeps (another file) or refuses (a leading space).
_SQLITE_URL = re.compile(r"sqlite(?:\+aiosqlite)?:///(?P<path>[^?#%\s](?:[^?#%]*[^?#%\s])?)")
_WHOLE_NUMBER = re.compile(r"\s*[0-9]+\s*")
"""What pydantic reads as an int (str.isdigit also passes "²" and other scripts' digits)."""


def _sqlite_path(url: str) -> Path | None:
    """Return the file a plain SQLite URL names; None for anything else (left to `check`)."""
    match = _SQLITE_URL.fullmatch(url)
    if match is None or match["path"] == ":memory:":
        return None
    return Path(match["path"]).expanduser()


def _whole_count(ids: str | None, count: str | None) -> int | None:
    """Return the shard count when this process runs every shard; None when it may not."""
    if count is None:
        return 1 if ids is None else None
    if not _WHOLE_NUMBER.fullmatch(count) or int(count) < 1:
        return None
    if ids is None:
        return int(count)
    # As bot/config.py splits it: one pair of brackets at most.
    text = ids.strip().removeprefix("[").removesuffix("]")
    named = [part.strip() for part in text.split(",") if part.strip()]
    if not all(_WHOLE_NUMBER.fullmatch(part) for part in named):
        return None
    return int(count) if {int(part) for part in named} == set(range(int(count))) else None


def _read_sqlite(path: Path, process: str) -> Heartbeat | None:
    """Read one process's heartbeat row from a SQLite file, read-only (never creating it)."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        row = connection.execute(
            "SELECT process, started_at, ticked_at, gateway_up, gateway_changed_at, version"
            " FROM heartbeats WHERE process = ?",
            (process,),
        ).fetchone()
    finally:
        connection.close()
    if row is None:
        return None
    return Heartbeat(
        process=row[0],
        started_at=_utc(row[1]),
        ticked_at=None if row[2] is None else _utc(row[2]),
        gateway_up=bool(row[3]),
        gateway_changed_at=None if row[4] is None else _utc(row[4]),
        version=row[5],
    )


def _utc(stored: str) -> datetime:
    """Read a datetime as storage.types.UTCDateTime stores it in SQLite: naive, in UTC."""
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)

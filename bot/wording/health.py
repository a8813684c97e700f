"""What `daybook health` prints: one line, starting "healthy:" or "unhealthy:", saying why.

Docker keeps the line in the container's health log (`docker inspect`), so it names times in
UTC and spans in words a host reads at a glance.
"""

from __future__ import annotations

from datetime import datetime, timedelta

NO_HEARTBEAT = "unhealthy: no heartbeat yet: the bot has not started against this database"


def healthy(now: datetime, ticked_at: datetime | None, started_at: datetime, gateway: str) -> str:
    """The process is well: when it last ticked (or started), and the gateway's state."""
    if ticked_at is None:
        return f"healthy: started {span(now - started_at)} ago, no tick yet, {gateway}"
    return f"healthy: ticked {span(now - ticked_at)} ago, {gateway}"


def gateway_connected() -> str:
    """The gateway part of a healthy line: connected."""
    return "gateway connected"


def gateway_reconnecting(now: datetime, since: datetime) -> str:
    """The gateway part of a healthy line: dropped, but for less than the grace period."""
    return f"gateway reconnecting (down {span(now - since)})"


def tick_late(now: datetime, ticked_at: datetime) -> str:
    """The scheduler's last tick is older than the limit."""
    return f"the scheduler last ticked {span(now - ticked_at)} ago (at {at(ticked_at, now)})"


def never_ticked(now: datetime, started_at: datetime) -> str:
    """The scheduler has not ticked since the start, which is older than the limit."""
    return (
        f"the scheduler has not ticked since the bot started at {at(started_at, now)}"
        f" ({span(now - started_at)} ago)"
    )


def gateway_down(now: datetime, since: datetime, *, ever: bool) -> str:
    """The gateway has been down longer than the grace period."""
    if not ever:
        return (
            f"the gateway has not connected since the bot started at {at(since, now)}"
            f" ({span(now - since)})"
        )
    return f"the gateway has been down since {at(since, now)} ({span(now - since)})"


def unhealthy(reasons: list[str]) -> str:
    """The line for a process with something wrong: every reason, in one line."""
    return "unhealthy: " + "; ".join(reasons)


def database_missing(location: str) -> str:
    """There is no database file where the settings point."""
    return (
        f"unhealthy: there is no database at {location} (the health check never creates one):"
        " check DAYBOOK_DATABASE_URL and the volume mount"
    )


def database_unreadable(location: str, detail: str) -> str:
    """The database could not be read."""
    return f"unhealthy: cannot read the heartbeat from the database at {location} ({detail})"


def settings_invalid(problems: tuple[str, ...]) -> str:
    """The settings cannot be read, so there is no process to look for."""
    return "unhealthy: the settings are invalid: " + "; ".join(problems)


def span(delta: timedelta) -> str:
    """Return a time span in words: "20 s", "4 minutes", "3 hours", "2 days"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 120 * 60:
        return f"{seconds // 60} minutes"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} hours"
    return f"{seconds // 86400} days"


def at(moment: datetime, now: datetime) -> str:
    """Return a UTC time of day, with its date when it is not today's."""
    if moment.date() == now.date():
        return f"{moment:%H:%M} UTC"
    return f"{moment:%Y-%m-%d %H:%M} UTC"

"""The synthetic server's fixed facts: its ids, its zones, its year and its "now".

Shared by the generator (`bench.synthetic`) and every benchmark that measures its server.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

GUILD_ID = 880_000_000_000_000_001
ORGANIZER_ID = 880_000_000_000_000_002
CHANNEL_ID = 880_000_000_000_000_003
CHALLENGE_NAME = "ML Club"
PRESET = "100-days-of-ml-code"
YEAR_START = date(2026, 1, 1)
TODAY = date(2026, 12, 31)
"""Every member's local day at NOW: the year's entries run up to the day before."""
NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
"""The fixed "now" of every measurement: 12:00 UTC is 31 December in all six zones."""
ZONES: tuple[tuple[str, float], ...] = (
    ("UTC", 0.12),
    ("Europe/Berlin", 0.24),
    ("America/New_York", 0.22),
    ("Asia/Kolkata", 0.22),
    ("Asia/Tokyo", 0.10),
    ("Australia/Sydney", 0.10),
)
DISCORD_EPOCH_MS = 1_420_070_400_000
ROLLOVER_HOUR = 4


def sqlite_url(path: Path, driver: str = "aiosqlite") -> str:
    """Return the SQLAlchemy URL of a SQLite file."""
    return f"sqlite+{driver}:///{path}"

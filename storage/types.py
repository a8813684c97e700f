"""Column types and value conversions shared by the tables and the repositories."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class UTCDateTime(sa.TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC; naive input is refused, output is aware UTC."""

    impl = sa.DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to naive UTC for storage."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: storage needs aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Mark a stored naive UTC datetime as UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def time_to_text(value: time) -> str:
    """Store a wall-clock time as HH:MM (seconds are not kept)."""
    return value.strftime("%H:%M")


def text_to_time(value: str) -> time:
    """Read an HH:MM wall-clock time."""
    return time.fromisoformat(value)


def optional_time_to_text(value: time | None) -> str | None:
    """Store an optional wall-clock time as HH:MM."""
    return None if value is None else time_to_text(value)


def optional_text_to_time(value: str | None) -> time | None:
    """Read an optional HH:MM wall-clock time."""
    return None if value is None else text_to_time(value)


def dump_json(value: Any) -> str:
    """Serialise a JSON column's value (keys in order, non-ASCII kept)."""
    return json.dumps(value, sort_keys=False, ensure_ascii=False)


def load_strings(text: str) -> tuple[str, ...]:
    """Read a JSON list of strings."""
    return tuple(str(item) for item in json.loads(text))


def dump_strings(values: Iterable[str]) -> str:
    """Serialise a sequence of strings as a JSON list."""
    return dump_json(list(values))

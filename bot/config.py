"""Operator settings from DAYBOOK_* environment variables or a .env file.

Nothing is read at import time: the command line builds them once with `load_settings()`, which
words each bad setting in one line, and tests build `Settings(database_url=...)` with keyword
arguments, which win over the environment.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.shards import Shards

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Values never repeated back in an error: they may hold a secret (a token, a database password).
_SECRET_FIELDS = frozenset({"discord_token", "database_url"})
_SHOWN_VALUE = 60
# What pydantic's error types mean for a value read from the environment.
_TYPE_PROBLEMS = {
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "list_type": "must be a list of numbers separated by commas",
}


class ConfigError(Exception):
    """A setting is missing or unusable for what the operator asked to do."""


class SettingsError(ConfigError):
    """Settings that cannot be read; `problems` has one line per bad setting, naming it."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def load_settings() -> Settings:
    """Read DAYBOOK_* variables and .env into Settings; SettingsError names each bad one."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(tuple(_problem(detail) for detail in error.errors())) from None
    except (OSError, UnicodeDecodeError) as error:
        # A .env that cannot be read (permissions, not UTF-8) is a settings problem too.
        raise SettingsError((f"cannot read the settings file .env: {error}",)) from None


def _problem(detail: Any) -> str:
    """Word one pydantic error as `DAYBOOK_NAME=value: what it must be`."""
    message = str(detail["msg"]).removeprefix("Value error, ")
    if detail["type"] == "greater_than":
        message = f"must be greater than {detail['ctx']['gt']}"
    elif detail["type"] in _TYPE_PROBLEMS:
        message = _TYPE_PROBLEMS[detail["type"]]
    elif detail["type"] != "value_error":
        message = message[:1].lower() + message[1:]
    location = detail["loc"]
    if not location:
        return message  # a rule across settings: its message names them
    field = str(location[0])
    variable = f"DAYBOOK_{field.upper()}"
    if field in _SECRET_FIELDS or not isinstance(detail["input"], str):
        return f"{variable}: {message}"
    value = _shown(detail["input"])
    if len(location) > 1:
        return f"{variable} contains {value}: {message}"
    return f"{variable}={value}: {message}"


def _shown(value: str) -> str:
    """Return a value as the operator typed it: quoted if it has spaces or odd characters, cut."""
    if len(value) > _SHOWN_VALUE:
        value = value[: _SHOWN_VALUE - 1] + "\u2026"
    if value and value.isprintable() and " " not in value:
        return value
    return repr(value)


class Settings(BaseSettings):
    """Everything an operator can configure; see .env.example for one line per setting."""

    model_config = SettingsConfigDict(
        env_prefix="DAYBOOK_",
        env_file=".env",
        env_file_encoding="utf-8",
        # `DAYBOOK_DEV_GUILD_ID=` in a .env file means "not set", not "parse '' as an int".
        env_ignore_empty=True,
        extra="ignore",
    )

    discord_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///./data/daybook.db"
    dev_guild_id: int | None = Field(default=None, gt=0)
    message_content: bool = False
    log_level: str = "INFO"
    # NoDecode: read "0,1,2" as written, rather than requiring JSON ("[0, 1, 2]") from operators.
    shard_ids: Annotated[list[int] | None, NoDecode] = None
    shard_count: int | None = Field(default=None, gt=0)
    # Files Daybook keeps a copy of, per member and challenge (Discord's own URLs expire).
    attachment_quota_mb: int = Field(default=50, ge=0, le=10_000)
    # The public web pages (issue 16). `web_url` is where visitors reach them (shown in
    # /challenge info); `web_port` serves them from this bot process (`daybook web` serves them
    # from a process of their own); `web_trust_proxy` reads the visitor's address from the
    # X-Forwarded-For a reverse proxy in front of Daybook adds.
    web_url: str | None = None
    web_port: int | None = Field(default=None, ge=1, le=65535)
    web_host: str = "127.0.0.1"
    web_trust_proxy: bool = False

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        """Normalise the level name to upper case and reject names logging does not know."""
        name = value.strip().upper()
        # logging's aliases (WARN, FATAL) still work; the message names the five levels.
        if name not in logging.getLevelNamesMapping() or name == "NOTSET":
            msg = f"must be one of {', '.join(LOG_LEVELS)}"
            raise ValueError(msg)
        return name

    @field_validator("web_url")
    @classmethod
    def _web_base(cls, value: str | None) -> str | None:
        """Accept an http(s) address with no query or fragment; drop a trailing slash."""
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            msg = "must be the address visitors use, like https://daybook.example.org"
            raise ValueError(msg)
        if parts.query or parts.fragment:
            msg = "must be a plain address, without ? or #"
            raise ValueError(msg)
        return value.strip().rstrip("/")

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_shard_ids(cls, value: object) -> object:
        """Accept "0,1,2" and "[0, 1, 2]" from the environment as well as a real list."""
        if isinstance(value, str):
            text = value.strip().removeprefix("[").removesuffix("]")
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _shards_fit_count(self) -> Self:
        """Require SHARD_COUNT with SHARD_IDS, and every id below it."""
        if self.shard_ids is None:
            return self
        if self.shard_count is None:
            msg = "DAYBOOK_SHARD_IDS needs DAYBOOK_SHARD_COUNT (the total number of shards)"
            raise ValueError(msg)
        if not self.shard_ids:
            # "," or " ": accepted as a list, it would fail later, after the database was opened.
            msg = (
                "DAYBOOK_SHARD_IDS names no shard: list the shards this process runs (like 0,1), "
                f"or leave it unset to run all {self.shard_count} here"
            )
            raise ValueError(msg)
        bad = sorted({shard for shard in self.shard_ids if not 0 <= shard < self.shard_count})
        if bad:
            # Discord numbers shards from 0: "1,2" of 2 is the usual slip.
            named = ", ".join(str(shard) for shard in bad)
            msg = (
                f"DAYBOOK_SHARD_IDS names shard{'s' if len(bad) > 1 else ''} {named}, but "
                f"DAYBOOK_SHARD_COUNT={self.shard_count} numbers them 0 to {self.shard_count - 1}"
            )
            raise ValueError(msg)
        if len(set(self.shard_ids)) < self.shard_count and _is_sqlite(self.database_url):
            # Some of the shards here means other processes run the rest: they must share the
            # one database, and a SQLite file has a single writer, in a single process.
            msg = (
                f"DAYBOOK_SHARD_IDS runs {len(set(self.shard_ids))} of {self.shard_count} shards, "
                "so other processes run the rest, and they must share one PostgreSQL database: "
                "set DAYBOOK_DATABASE_URL=postgresql+asyncpg://... (a SQLite file serves one "
                "process; leave DAYBOOK_SHARD_IDS unset to run every shard here)"
            )
            raise ValueError(msg)
        return self

    def shards(self) -> Shards:
        """Return the shards this process runs: every one of one shard when sharding is unset."""
        count = self.shard_count or 1
        if self.shard_ids is None:
            return Shards.every(count)
        return Shards.of(count, self.shard_ids)

    def require_token(self) -> str:
        """Return the Discord bot token, or raise ConfigError explaining how to set it."""
        token = self.discord_token.get_secret_value().strip() if self.discord_token else ""
        if not token:
            msg = (
                "No Discord bot token: set DAYBOOK_DISCORD_TOKEN in the environment or in .env "
                "(see .env.example). `daybook demo` runs without one."
            )
            raise ConfigError(msg)
        return token


def _is_sqlite(url: str) -> bool:
    """Whether a database URL names SQLite (`sqlite:///…`, `sqlite+aiosqlite:///…`)."""
    scheme = url.strip().split(":", 1)[0]
    return scheme.split("+", 1)[0].lower() == "sqlite"

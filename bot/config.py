"""Operator settings from DAYBOOK_* environment variables or a .env file.

Nothing is read at import time: the composition root builds `Settings()` once, and tests build
`Settings(database_url=...)` with keyword arguments, which win over the environment.
"""

from __future__ import annotations

import logging
from typing import Annotated, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ConfigError(Exception):
    """A setting is missing or unusable for what the operator asked to do."""


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

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        """Normalise the level name to upper case and reject names logging does not know."""
        name = value.strip().upper()
        if name not in logging.getLevelNamesMapping() or name == "NOTSET":
            choices = "DEBUG, INFO, WARNING, ERROR, CRITICAL"
            msg = f"unknown log level {value!r}; use one of {choices}"
            raise ValueError(msg)
        return name

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
        bad = [shard for shard in self.shard_ids if not 0 <= shard < self.shard_count]
        if bad:
            msg = f"shard ids {bad} are outside 0..{self.shard_count - 1} (DAYBOOK_SHARD_COUNT)"
            raise ValueError(msg)
        return self

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

"""Process-wide logging setup, called once by the composition root."""

from __future__ import annotations

import logging
import sys

_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
_HANDLER_NAME = "daybook"

_QUIET_LOGGERS = ("discord.http", "alembic")
"""Libraries that are chatty at INFO: every HTTP request, every migration's set-up (storage.migrate
logs the upgrade it made itself, in one line). Alembic's own lines come back at DEBUG."""

_LOUD_AT_DEBUG = frozenset({"alembic"})

VOICE_WARNINGS = (
    "PyNaCl is not installed, voice will NOT be supported",
    "davey is not installed, voice will NOT be supported",
)
"""What discord.py warns once per process as a client is built; Daybook never uses voice."""


def _not_about_voice(record: logging.LogRecord) -> bool:
    """Drop discord.py's warnings that the voice libraries are missing, and nothing else."""
    return not (record.levelno == logging.WARNING and record.msg in VOICE_WARNINGS)


def configure_logging(level: str) -> None:
    """Send log records at `level` and above to stderr; calling it again replaces the setup."""
    name = level.strip().upper()
    if name not in logging.getLevelNamesMapping():
        msg = f"unknown log level {level!r}"
        raise ValueError(msg)

    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()

    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(name)

    debugging = logging.getLevelNamesMapping()[name] <= logging.DEBUG
    for quiet in _QUIET_LOGGERS:
        loud = debugging and quiet in _LOUD_AT_DEBUG
        logging.getLogger(quiet).setLevel(logging.NOTSET if loud else logging.WARNING)
    silence_voice_warnings()


def silence_voice_warnings() -> None:
    """Filter discord.py's "voice will NOT be supported" warnings out (idempotent)."""
    # A filter on the logger that emits them (discord.client), not on a handler: it holds
    # whatever handlers discord.py or a test adds, and lets the logger's other warnings through.
    client = logging.getLogger("discord.client")
    if _not_about_voice not in client.filters:
        client.addFilter(_not_about_voice)

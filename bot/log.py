"""Process-wide logging setup, called once by the composition root."""

from __future__ import annotations

import logging
import sys

_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
_HANDLER_NAME = "daybook"

# Libraries that are chatty at INFO: every HTTP request, every migration's set-up
# (storage.migrate logs the upgrades it made itself).
_QUIET_LOGGERS = ("discord.http", "alembic")


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

    for quiet in _QUIET_LOGGERS:
        logging.getLogger(quiet).setLevel(logging.WARNING)

"""configure_logging sets the level once, idempotently, and quiets chatty libraries."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.log import configure_logging


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger and the quietened loggers back as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("discord.http", "alembic")}
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


def ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if h.get_name() == "daybook"]


def test_sets_the_root_level_and_quiets_libraries() -> None:
    configure_logging("debug")

    assert logging.getLogger().level == logging.DEBUG
    assert logging.getLogger("discord.http").level == logging.WARNING
    assert logging.getLogger("alembic").level == logging.WARNING
    assert not logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)
    assert logging.getLogger("bot.services").isEnabledFor(logging.DEBUG)


def test_calling_twice_keeps_one_handler() -> None:
    configure_logging("INFO")
    configure_logging("WARNING")

    assert len(ours()) == 1
    assert logging.getLogger().level == logging.WARNING


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="log level"):
        configure_logging("LOUD")


def test_records_reach_stderr_with_the_logger_name(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")

    logging.getLogger("bot.test").info("posted %s entries", 3)
    logging.getLogger("discord.http").info("GET /gateway")

    err = capsys.readouterr().err
    assert "INFO" in err
    assert "bot.test: posted 3 entries" in err
    assert "GET /gateway" not in err

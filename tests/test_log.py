"""configure_logging sets the level once, idempotently, and quiets chatty libraries."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest.mock import patch

import discord
import pytest

from bot.app import create_bot
from bot.config import Settings
from bot.log import configure_logging


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger and the quietened loggers back as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("discord.http", "alembic")}
    client = logging.getLogger("discord.client")
    filters = list(client.filters)
    yield
    client.filters[:] = filters
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
    configure_logging("info")

    assert logging.getLogger().level == logging.INFO
    assert logging.getLogger("discord.http").level == logging.WARNING
    assert logging.getLogger("alembic").level == logging.WARNING
    assert not logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)
    assert logging.getLogger("bot.services").isEnabledFor(logging.INFO)


def test_at_debug_alembic_speaks_and_discord_http_stays_quiet() -> None:
    configure_logging("debug")

    assert logging.getLogger().level == logging.DEBUG
    assert logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)
    assert logging.getLogger("discord.http").level == logging.WARNING
    assert logging.getLogger("bot.services").isEnabledFor(logging.DEBUG)

    configure_logging("info")  # and quiet again when the level is set back
    assert not logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)


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


# ------------------------------------------------------------------------------------------
# discord.py's voice warnings
# ------------------------------------------------------------------------------------------


@pytest.fixture
def voice_warned_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py warns once per process: make the next client warn again."""
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)


def build_bot(tmp_path: Path) -> None:
    """Build the real bot offline, as `daybook run` does before logging in."""
    with ThreadPoolExecutor(1) as charts:
        create_bot(
            Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'daybook.db'}"),
            chart_executor=charts,
            run_scheduler=False,
        )


def test_building_the_bot_logs_no_voice_warning(
    tmp_path: Path, voice_warned_again: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")

    build_bot(tmp_path)

    assert "voice will NOT be supported" not in capsys.readouterr().err


def test_without_the_filter_discord_py_would_warn(
    tmp_path: Path, voice_warned_again: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # The check above could fail: with the filter removed, the same build warns twice.
    configure_logging("INFO")
    client = logging.getLogger("discord.client")
    for installed in list(client.filters):
        client.removeFilter(installed)
    with patch("bot.app.silence_voice_warnings"):
        build_bot(tmp_path)

    err = capsys.readouterr().err
    assert "WARNING  discord.client: PyNaCl is not installed, voice will NOT be supported" in err
    assert "WARNING  discord.client: davey is not installed, voice will NOT be supported" in err


def test_other_discord_warnings_still_come_through(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    configure_logging("INFO")  # installed once however often it is called
    client = logging.getLogger("discord.client")
    names = [getattr(installed, "__name__", "") for installed in client.filters]
    assert names.count("_not_about_voice") == 1

    client.warning("PyNaCl is not installed, voice will NOT be supported")
    client.warning("Shard ID %s has stopped responding to the gateway.", 0)
    client.info("closing the client")  # an INFO line of its own, not one bot.cli drops

    err = capsys.readouterr().err
    assert "voice" not in err
    assert "Shard ID 0 has stopped responding to the gateway." in err
    assert "closing the client" in err

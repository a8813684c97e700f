"""The `daybook` command line: run refuses politely without a token; migrate and backup work."""

from __future__ import annotations

import sqlite3

import pytest

from bot.cli import main


@pytest.fixture
def database_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'daybook.db'}"
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", url)
    monkeypatch.delenv("DAYBOOK_DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return url


def test_run_without_a_token_says_how_to_set_one(database_url, capsys) -> None:
    assert main(["run"]) == 2
    error = capsys.readouterr().err
    assert "DAYBOOK_DISCORD_TOKEN" in error
    assert "daybook demo" in error


def test_migrate_creates_the_database_and_backup_copies_it(database_url, tmp_path, capsys) -> None:
    assert main(["migrate"]) == 0
    assert "Database is at revision" in capsys.readouterr().out
    copy = tmp_path / "backup.db"
    assert main(["backup", str(copy)]) == 0
    with sqlite3.connect(copy) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"challenges", "participants", "entries"} <= tables

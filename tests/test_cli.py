"""The `daybook` command line: run refuses politely without a token; migrate and backup work."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

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


# ------------------------------------------------------------------------------------------
# import-log
# ------------------------------------------------------------------------------------------

LOGS = Path(__file__).parent / "fixtures" / "logs"
ROGER = LOGS / "rogerthat39__100-days-of-code__log.md"


def test_import_log_json_has_exactly_the_documented_shape(capsys) -> None:
    assert main(["import-log", str(ROGER), "--json"]) == 0

    printed = json.loads(capsys.readouterr().out)

    assert set(printed) == {"entries", "stats", "warnings"}
    assert set(printed["entries"][0]) == {
        "dates", "day", "round", "heading", "text", "minutes", "tags", "links", "flags"
    }  # fmt: skip
    assert set(printed["stats"]) == {
        "entries", "days_logged", "first_date", "last_date", "best_streak", "current_streak",
        "day_number",
    }  # fmt: skip
    # rogerthat39: 100 entries on 100 consecutive days, 2018-11-24 to 2019-03-03 (INDEX.md #15).
    assert printed["stats"] == {
        "entries": 100,
        "days_logged": 100,
        "first_date": "2018-11-24",
        "last_date": "2019-03-03",
        "best_streak": 100,
        "current_streak": 100,
        "day_number": 100,
    }
    assert printed["entries"][0]["dates"] == ["2018-11-24"]
    assert printed["entries"][0]["day"] == 1
    assert [entry["day"] for entry in printed["entries"]] == list(range(1, 101))


def test_import_log_counts_streaks_as_of_today_under_the_rules(capsys) -> None:
    # Four days after the last entry: under x-days-of-ml-code a miss resets the streak.
    assert main(["import-log", str(ROGER), "--json", "--today", "2019-03-07"]) == 0
    stats = json.loads(capsys.readouterr().out)["stats"]
    assert (stats["current_streak"], stats["best_streak"]) == (0, 100)


def test_import_log_dates_an_undated_log_from_start(capsys) -> None:
    ruhisoni = LOGS / "ruhisoni__66DaysOfData__README.md"
    assert main(["import-log", str(ruhisoni), "--json", "--start", "2023-05-01"]) == 0
    printed = json.loads(capsys.readouterr().out)
    # Ten filled rows (Day 1-10) and the empty |11||| placeholder, which is flagged.
    assert printed["stats"]["days_logged"] == 10
    assert printed["stats"]["first_date"] == "2023-05-01"
    assert printed["entries"][10]["flags"] == ["empty", "inferred-date"]


def test_import_log_prints_a_readable_summary(capsys) -> None:
    assert main(["import-log", str(LOGS / "madifz__100-days-of-code__r4-log.md")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("madifz__100-days-of-code__r4-log.md: 68 entries")
    assert "Warnings:" in out


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"Just a shopping list: milk, eggs.", "No log entries found"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ],
)
def test_import_log_exits_2_with_one_line_on_a_file_that_is_not_a_log(
    tmp_path, capsys, content, says
) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(content)

    assert main(["import-log", str(path)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert says in captured.err
    assert captured.err.count("\n") == 1


def test_import_log_refuses_a_missing_file_and_bad_options(tmp_path, capsys) -> None:
    assert main(["import-log", str(tmp_path / "missing.md")]) == 2
    assert "cannot read" in capsys.readouterr().err
    for bad in (["--year", "19"], ["--start", "yesterday"], ["--rules", "nope"]):
        with pytest.raises(SystemExit) as exited:
            main(["import-log", str(ROGER), *bad])
        assert exited.value.code == 2

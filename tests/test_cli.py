"""The `daybook` command line: each refusal or failure is one line on stderr (exit 2 for usage
and settings, 1 for failures; `run` exits 0 after a refusal a restart cannot mend) and no
traceback; migrate and backup work, quietly."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import discord
import pytest
import simcord

from bot.app import create_bot
from bot.cli import build_parser, main
from bot.config import Settings
from bot.wording import operator as wording
from storage import DatabaseMissingError, migrate
from storage.database import create_engine
from tests._postgres import POSTGRES_URL, empty_postgres, run_apart

FAKE_TOKEN = "fake-token-for-tests-0123456789"
STOPPED_FOR_GOOD = (
    "Daybook has stopped for good (a restart cannot mend this): fix it, then start it again.\n"
)
LEVEL_PROBLEM = (
    "daybook: DAYBOOK_LOG_LEVEL=verbose: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL\n"
)


@pytest.fixture
def database_url(tmp_path, monkeypatch) -> str:
    """Put an empty database (a SQLite file not made yet, or PostgreSQL's) in the environment."""
    for name in list(os.environ):
        if name.upper().startswith("DAYBOOK_"):
            monkeypatch.delenv(name)
    if POSTGRES_URL:
        run_apart(empty_postgres(POSTGRES_URL))
        url = POSTGRES_URL
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'daybook.db'}"
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return url


# The tests that read, break or remove Daybook's SQLite file itself, its marker beside it, or a
# file copy of it: what they check has no PostgreSQL counterpart, or its own postgres_only test
# at the end of this file.
SQLITE_FILE = pytest.mark.sqlite_only(reason="checks Daybook's SQLite file, its marker or copy")


@pytest.fixture
def database(database_url, tmp_path) -> Path:
    """The SQLite file of `database_url` (tests using it are marked SQLITE_FILE)."""
    return tmp_path / "data" / "daybook.db"


def one_line(text: str) -> str:
    """The single line a failure prints, checked to be single and free of tracebacks."""
    assert text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


def run_failure(text: str) -> str:
    """The one `daybook:` line `run` ends with, after its log lines; and no traceback."""
    assert "Traceback" not in text
    ours = [line for line in text.splitlines() if line.startswith("daybook: ")]
    assert len(ours) == 1, text
    assert text.endswith(ours[0] + "\n")
    return ours[0]


VERSIONS = Path(__file__).resolve().parents[1] / "storage" / "migrations" / "versions"


def test_run_without_a_token_says_how_to_set_one(database_url, capsys) -> None:
    # Status 0: a restart cannot mend it, so `restart: on-failure` does not loop on it.
    assert main(["run"]) == 0
    error = one_line(capsys.readouterr().err)
    assert "DAYBOOK_DISCORD_TOKEN" in error
    assert "daybook demo" in error
    assert error.endswith(STOPPED_FOR_GOOD)


@SQLITE_FILE
def test_migrate_creates_the_database_and_backup_copies_it(
    database_url, database, tmp_path, capsys
) -> None:
    # The newest revision is the highest-numbered migration file's.
    newest = max(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")).name[:4]
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out == (
        f"Created Daybook's tables in {database}: the database is at revision {newest}.\n"
    )
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out == (
        f"Database is at revision {newest}, the newest: nothing to do.\n"
    )
    copy = tmp_path / "backup.db"
    assert main(["backup", str(copy)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"Backed up to {copy}.\n"
    assert captured.err == ""  # quiet at the default level: no alembic or database INFO lines
    with sqlite3.connect(copy) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"challenges", "participants", "entries"} <= tables


def test_the_log_level_set_on_purpose_is_kept_for_one_shot_commands(
    database_url, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DAYBOOK_LOG_LEVEL", "info")
    assert main(["migrate"]) == 0
    assert "storage.migrate: created the database's tables at " in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# Quiet at the default level: alembic's lines only at DEBUG, one line of ours when upgraded
# ------------------------------------------------------------------------------------------


def daybook(*args: str, cwd: Path, level: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `daybook ARGS` in a fresh interpreter (the environment's DAYBOOK_ settings kept)."""
    environment = dict(os.environ)
    environment.pop("DAYBOOK_LOG_LEVEL", None)
    if level is not None:
        environment["DAYBOOK_LOG_LEVEL"] = level
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_migrate_and_backup_print_only_their_result_and_alembic_speaks_at_debug(
    database_url, tmp_path
) -> None:
    created = daybook("migrate", cwd=tmp_path)
    assert created.returncode == 0
    assert created.stdout.count("\n") == 1
    assert created.stderr == ""
    copy = daybook("backup", str(tmp_path / "copy.db"), cwd=tmp_path)
    assert copy.returncode == 0
    assert copy.stdout.count("\n") == 1
    assert copy.stderr == ""

    if POSTGRES_URL:
        run_apart(empty_postgres(POSTGRES_URL))
    else:
        shutil.rmtree(tmp_path / "data")
    debugging = daybook("migrate", cwd=tmp_path, level="DEBUG")
    assert debugging.returncode == 0
    assert debugging.stdout.count("\n") == 1
    assert "INFO     alembic.runtime.migration: Running upgrade  -> 0001" in debugging.stderr


def at_revision(url: str, revision: str) -> None:
    """Make the database at `url` as that revision of Daybook left it."""
    from alembic import command

    from storage.database import normalise_url, prepare_sqlite_file
    from storage.migrate import alembic_config

    prepare_sqlite_file(normalise_url(url))
    command.upgrade(alembic_config(url), revision)


def our_log_lines(text: str) -> list[str]:
    """The log records of a run (not its final `daybook:` line)."""
    return [line for line in text.splitlines() if not line.startswith("daybook: ")]


def test_run_logs_one_line_when_it_upgrades_and_none_when_nothing_changed(
    database_url, token, refusing_discord, monkeypatch, capsys
) -> None:
    previous = sorted(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))[-2].name[:4]
    newest = max(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")).name[:4]
    at_revision(database_url, previous)
    # discord.py warns of missing voice libraries once per process, as a client is built.
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)

    assert main(["run"]) == 0  # upgraded, then the token is refused: stopped for good

    lines = our_log_lines(capsys.readouterr().err)
    about_the_database = [line for line in lines if "database" in line]
    assert len(about_the_database) == 1, lines
    assert about_the_database[0].endswith(
        f"INFO     storage.migrate: database upgraded from {previous} to {newest}"
    )
    assert not [line for line in lines if "alembic" in line or "voice" in line], lines

    assert main(["run"]) == 0
    lines = our_log_lines(capsys.readouterr().err)
    assert not [line for line in lines if "database" in line or "alembic" in line], lines


# ------------------------------------------------------------------------------------------
# --version and --help
# ------------------------------------------------------------------------------------------


def test_version_prints_the_packages_version(capsys) -> None:
    with open(Path(__file__).resolve().parents[1] / "pyproject.toml", "rb") as file:
        declared = tomllib.load(file)["project"]["version"]
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"daybook {declared}\n"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Every subcommand's parser, as `daybook` builds them (later commands included)."""
    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def test_help_lists_every_command_with_its_summary(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the summaries
    commands = subcommands()
    assert {"run", "migrate", "backup", "invite", "demo", "import-log"} <= set(commands)
    for name in commands:
        assert re.search(rf" {re.escape(name)} \w", out), name


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_each_commands_help_says_what_it_needs_prints_and_exits_with(name, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    usage, description, *_ = out.split("\n\n")
    assert usage.startswith(f"usage: daybook {name}")
    assert description.endswith(".")  # the summary as a sentence
    for heading in ("needs:", "prints:", "exit status:", "example:"):
        assert f"\n{heading}" in out or out.startswith(heading), (name, heading)
    needs = out.split("needs:")[1].split("\n")[0]
    assert re.search(r"token|database|network|nothing", needs), needs
    example = out.split("example:\n")[1].strip()
    assert f"daybook {name}" in example


# ------------------------------------------------------------------------------------------
# Settings errors: one line naming the variable, for every subcommand
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["migrate"], ["backup", "copy.db"], ["import-log", "log.md"], ["demo"]],
    ids=lambda argv: argv[0],
)
def test_a_bad_setting_is_one_line_naming_it_for_every_subcommand(
    database_url, monkeypatch, capsys, argv
) -> None:
    monkeypatch.setenv("DAYBOOK_LOG_LEVEL", "verbose")
    monkeypatch.setenv("DAYBOOK_DISCORD_TOKEN", FAKE_TOKEN)

    assert main(argv) == 2

    captured = capsys.readouterr()
    assert captured.err == LEVEL_PROBLEM
    assert captured.out == ""
    assert not Path("copy.db").exists()
    assert not Path("data").exists()  # nothing was created before the settings were read


def test_run_with_bad_settings_says_so_in_one_line_and_stops_for_good(
    database_url, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DAYBOOK_LOG_LEVEL", "verbose")
    monkeypatch.setenv("DAYBOOK_DEV_GUILD_ID", "my-server")
    monkeypatch.setenv("DAYBOOK_DISCORD_TOKEN", FAKE_TOKEN)

    assert main(["run"]) == 0

    assert capsys.readouterr().err == (
        "daybook: DAYBOOK_DEV_GUILD_ID=my-server: must be a whole number; "
        + LEVEL_PROBLEM.removeprefix("daybook: ").removesuffix("\n")
        + " "
        + STOPPED_FOR_GOOD
    )
    assert not Path("data").exists()


def test_each_bad_setting_gets_its_own_line(database_url, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DAYBOOK_LOG_LEVEL", "verbose")
    monkeypatch.setenv("DAYBOOK_DEV_GUILD_ID", "my-server")

    assert main(["migrate"]) == 2

    assert capsys.readouterr().err == (
        "daybook: DAYBOOK_DEV_GUILD_ID=my-server: must be a whole number\n" + LEVEL_PROBLEM
    )


def test_demo_with_a_bad_setting_prints_no_traceback_end_to_end(tmp_path) -> None:
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("DAYBOOK_")
    }
    environment["DAYBOOK_LOG_LEVEL"] = "verbose"

    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 2
    assert result.stderr == LEVEL_PROBLEM
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------
# run: a missing database, a refused token, no network
# ------------------------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def token(monkeypatch) -> str:
    monkeypatch.setenv("DAYBOOK_DISCORD_TOKEN", FAKE_TOKEN)
    return FAKE_TOKEN


@pytest.fixture
def offline(monkeypatch) -> None:
    """Discord is unreachable: nothing listens where the bot would connect."""
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port()}/api/v10")


@pytest.fixture
def refusing_discord(monkeypatch) -> Iterator[list[str]]:
    """A local Discord that answers 401 to every request; yields the paths asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            # Discord's answer to GET /users/@me with a token it does not know.
            asked.append(self.path)
            body = json.dumps({"message": "401: Unauthorized", "code": 0}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(
        discord.http.Route, "BASE", f"http://127.0.0.1:{server.server_address[1]}/api/v10"
    )
    try:
        yield asked
    finally:
        server.shutdown()
        server.server_close()


def test_run_with_a_refused_token_says_so_in_one_line(
    database_url, token, refusing_discord, capsys
) -> None:
    assert main(["run"]) == 0

    error = run_failure(capsys.readouterr().err)
    assert error.startswith("daybook: Discord refused the token in DAYBOOK_DISCORD_TOKEN")
    assert error.endswith(STOPPED_FOR_GOOD.removesuffix("\n"))
    assert refusing_discord == ["/api/v10/users/@me"]
    assert FAKE_TOKEN not in error


def test_run_without_a_network_says_discord_cannot_be_reached(
    database_url, token, offline, capsys
) -> None:
    assert main(["run"]) == 1

    error = run_failure(capsys.readouterr().err)
    assert error.startswith("daybook: cannot reach Discord (")
    assert "check the network connection" in error


@SQLITE_FILE
def test_run_refuses_to_start_when_the_database_it_created_is_gone(
    database_url, database, token, refusing_discord, capsys
) -> None:
    assert main(["migrate"]) == 0
    for path in database.parent.glob("daybook.db*"):
        if path.name != "daybook.db.created":
            path.unlink()
    capsys.readouterr()

    assert main(["run"]) == 0

    error = run_failure(capsys.readouterr().err)
    assert f"there is no Daybook database at {database}" in error
    assert "run `daybook migrate` to create a new one" in error
    assert not database.exists()
    assert refusing_discord == []  # refused before logging in


@SQLITE_FILE
def test_run_on_a_first_start_creates_the_database(
    database_url, database, token, refusing_discord, capsys
) -> None:
    # A fresh data folder is a first start: the database is made, then the token is refused.
    assert main(["run"]) == 0

    assert "refused the token" in capsys.readouterr().err
    assert database.exists()
    assert database.with_name("daybook.db.created").exists()


@SQLITE_FILE
async def test_the_bot_itself_refuses_a_missing_database_as_it_starts(tmp_path) -> None:
    # However the bot is started (here on simcord), its setup_hook does not recreate the file.
    database = tmp_path / "daybook.db"
    url = f"sqlite+aiosqlite:///{database}"
    await migrate(url)
    for path in tmp_path.glob("daybook.db*"):
        if path.name != "daybook.db.created":
            path.unlink()
    with ThreadPoolExecutor(1) as charts:
        bot = create_bot(Settings(database_url=url), chart_executor=charts, run_scheduler=False)
        with pytest.raises(DatabaseMissingError):
            async with simcord.run(bot):
                pass

    assert not database.exists()


# ------------------------------------------------------------------------------------------
# backup and migrate refusals
# ------------------------------------------------------------------------------------------


def test_backup_to_a_directory_is_refused_and_leaves_no_partial(
    database_url, tmp_path, capsys
) -> None:
    assert main(["migrate"]) == 0
    folder = tmp_path / "backups"
    folder.mkdir()
    capsys.readouterr()

    assert main(["backup", str(folder)]) == 2

    error = one_line(capsys.readouterr().err)
    assert error.startswith(f"daybook: {folder} is a directory; give a file path")
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "backups.partial").exists()


def test_backup_onto_a_device_a_pipe_or_a_link_is_refused_and_replaces_nothing(
    database_url, tmp_path, capsys
) -> None:
    assert main(["migrate"]) == 0
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    kept = tmp_path / "kept.txt"
    kept.write_text("mine")
    link = tmp_path / "link.db"
    link.symlink_to(kept)
    capsys.readouterr()

    for target in (Path("/dev/null"), pipe, link):
        assert main(["backup", str(target)]) == 2
        error = one_line(capsys.readouterr().err)
        assert error.startswith(f"daybook: {target} is not a plain file")
    assert Path("/dev/null").is_char_device()
    assert pipe.is_fifo()
    assert link.is_symlink()
    assert kept.read_text() == "mine"


@SQLITE_FILE
def test_a_backup_sqlite_cannot_write_names_the_copy_not_the_database(
    database_url, tmp_path, capsys
) -> None:
    assert main(["migrate"]) == 0
    capsys.readouterr()
    target = Path("/proc/daybook-backup.db")  # a folder nobody can create a file in

    assert main(["backup", str(target)]) == 1

    error = one_line(capsys.readouterr().err)
    assert error.startswith(f"daybook: cannot write the backup {target}")


@SQLITE_FILE
def test_backup_of_a_missing_database_is_refused_and_creates_nothing(
    database_url, database, tmp_path, capsys
) -> None:
    copy = tmp_path / "copy.db"

    assert main(["backup", str(copy)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"there is no Daybook database at {database} to back up" in one_line(captured.err)
    assert not database.exists()
    assert not copy.exists()


@SQLITE_FILE
def test_backup_onto_the_live_database_is_refused_and_changes_nothing(
    database_url, database, tmp_path, capsys
) -> None:
    assert main(["migrate"]) == 0
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    link = tmp_path / "latest.db"
    link.symlink_to(database)
    capsys.readouterr()

    for target in (database, Path("data/daybook.db"), link):
        assert main(["backup", str(target)]) == 2
        assert "is the live database itself" in one_line(capsys.readouterr().err)

    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert not list(tmp_path.rglob("*.partial"))


def test_backup_that_cannot_be_written_is_one_line_exit_1(database_url, tmp_path, capsys) -> None:
    assert main(["migrate"]) == 0
    (tmp_path / "notes").write_text("a file, not a folder", encoding="utf-8")
    capsys.readouterr()

    assert main(["backup", str(tmp_path / "notes" / "copy.db")]) == 1

    error = one_line(capsys.readouterr().err)
    assert error.startswith(f"daybook: cannot write the backup {tmp_path / 'notes' / 'copy.db'}: ")
    assert (tmp_path / "notes").read_text(encoding="utf-8") == "a file, not a folder"


@SQLITE_FILE
def test_migrate_refuses_a_revision_it_does_not_know(database_url, database, capsys) -> None:
    assert main(["migrate"]) == 0
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_future'")
    capsys.readouterr()

    assert main(["migrate"]) == 2

    error = one_line(capsys.readouterr().err)
    assert f"the database at {database} is at revision 0099_future" in error


@SQLITE_FILE
def test_an_unreadable_database_is_one_line_exit_1(database_url, database, capsys) -> None:
    database.parent.mkdir()
    database.write_bytes(b"this is not a SQLite database, just text " * 100)

    assert main(["migrate"]) == 1

    error = one_line(capsys.readouterr().err)
    assert error.startswith(f"daybook: cannot use the database at {database}: ")
    assert "not a database" in error


def test_an_unexpected_failure_is_one_line_with_where_to_look(
    database_url, monkeypatch, capsys
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("the parser exploded")

    monkeypatch.setattr("bot.cli._import_log", broken)

    assert main(["import-log", "log.md"]) == 1

    error = one_line(capsys.readouterr().err)
    assert "`daybook import-log` failed (RuntimeError: the parser exploded)" in error
    assert "DAYBOOK_LOG_LEVEL=DEBUG" in error


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


def test_import_log_json_prints_warnings_as_objects_with_their_sentence(tmp_path, capsys) -> None:
    path = tmp_path / "log.md"
    path.write_text("## Day 1: March 1, 2024\nRead\n## Day 4: March 4, 2024\nRead\n")

    assert main(["import-log", str(path), "--json"]) == 0

    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert warnings == [
        {
            "kind": "day-jump",
            "line": 3,
            "previous": 1,
            "day": 4,
            "text": "Line 3: the day number jumps from 1 to 4.",
        }
    ]


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


# ------------------------------------------------------------------------------------------
# PostgreSQL (run by `.ci/postgres ./run pytest ... tests/test_cli.py`)
# ------------------------------------------------------------------------------------------


@pytest.mark.postgres_only
def test_migrate_and_backup_work_on_postgresql(database_url, monkeypatch, tmp_path, capsys) -> None:
    asyncio.run(empty_postgres(POSTGRES_URL))
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", POSTGRES_URL)
    dump = tmp_path / "daybook.dump"

    assert main(["migrate"]) == 0
    assert main(["backup", str(dump)]) == 0

    captured = capsys.readouterr()
    assert captured.out.endswith(f"Backed up to {dump}.\n")
    assert captured.err == ""
    pg_restore = shutil.which("pg_restore")
    assert pg_restore is not None
    listing = subprocess.run(
        [pg_restore, "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE public challenges" in listing
    assert "TABLE DATA public alembic_version" in listing


@pytest.mark.postgres_only
def test_run_refuses_a_postgresql_database_with_other_tables(
    database_url, token, refusing_discord, monkeypatch, capsys
) -> None:
    asyncio.run(empty_postgres(POSTGRES_URL))
    asyncio.run(execute(POSTGRES_URL, "CREATE TABLE invoices (id integer PRIMARY KEY)"))
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", POSTGRES_URL)

    assert main(["run"]) == 0

    error = run_failure(capsys.readouterr().err)
    assert "holds tables that are not Daybook's (invoices)" in error
    assert refusing_discord == []


async def execute(url: str, statement: str) -> None:
    engine = create_engine(url, writer=True)
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def test_a_refusal_lists_a_few_foreign_tables_then_how_many_more() -> None:
    tables = ["accounts", "invoices", "orders", "payments", "refunds"]

    line = wording.database_foreign("/data/daybook.db", tables)

    assert "(accounts, invoices, orders and 2 more)" in line
    assert "(accounts, invoices)" in wording.database_foreign("/data/daybook.db", tables[:2])


def test_import_log_refuses_a_file_over_2_mb_without_reading_it_all(capsys) -> None:
    assert main(["import-log", "/dev/zero"]) == 2
    assert "larger than 2 MB" in capsys.readouterr().err


def test_import_log_applies_the_line_limit(tmp_path, capsys) -> None:
    path = tmp_path / "long.md"
    path.write_text("- Day 1\n" * 50_000)
    assert main(["import-log", str(path)]) == 2
    assert "lines of text" in capsys.readouterr().err


def test_import_log_prints_no_control_characters_from_the_file(tmp_path, capsys) -> None:
    path = tmp_path / "log.md"
    path.write_text("## Day 1: 2024-03-01 \x1b]0;pwned\x07 \x9b2J\nDid things\n")
    assert main(["import-log", str(path)]) == 0
    assert main(["import-log", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert not any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in out)

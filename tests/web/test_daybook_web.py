"""`daybook web`: the public pages in a process of their own, reading the bot's database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.cli import main

SQLITE_ONLY = pytest.mark.sqlite_only(reason="starts the command on a SQLite file of its own")


@pytest.fixture
def environment(bare_settings: Path, monkeypatch) -> dict[str, str]:
    """A clean environment naming a SQLite file the bot made (`daybook migrate` here)."""
    url = f"sqlite+aiosqlite:///{bare_settings / 'daybook.db'}"
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", url)
    assert main(["migrate"]) == 0
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DAYBOOK_")},
        "DAYBOOK_DATABASE_URL": url,
    }


@SQLITE_ONLY
def test_a_port_in_use_is_one_line_and_exit_2(environment, capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["web", "--host", "127.0.0.1", "--port", str(port)])
    assert status == 2
    err = capsys.readouterr().err
    # Said in words (what to change), not as the OS's "[Errno 98] error while attempting...".
    assert err == (
        f"daybook: cannot serve the public pages on 127.0.0.1:{port}: another program listens "
        f"on port {port}; pick another with --port\n"
    )


@SQLITE_ONLY
def test_an_address_this_machine_does_not_have_is_one_line_and_exit_2(environment, capsys) -> None:
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    status = main(["web", "--host", "192.0.2.1", "--port", "8080"])
    assert status == 2
    err = capsys.readouterr().err
    assert err == (
        "daybook: cannot serve the public pages on 192.0.2.1:8080: this machine has no address "
        "192.0.2.1; use 127.0.0.1 or 0.0.0.0 (every address)\n"
    )


def test_a_port_out_of_range_is_refused_by_the_parser(environment, capsys) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["web", "--port", "70000"])
    assert refused.value.code == 2
    assert "'70000' is not a port number from 1 to 65535" in capsys.readouterr().err


@SQLITE_ONLY
def test_it_serves_the_front_page_and_stops_cleanly_on_sigterm(
    environment: dict[str, str], tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--port", str(port)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once it listens
        assert line == f"daybook: public pages on http://127.0.0.1:{port} (Ctrl-C stops)\n"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.status == 200
            assert response.headers["Server"] == "Daybook"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert process.stderr is not None
        assert process.stderr.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@SQLITE_ONLY
def test_it_neither_creates_nor_upgrades_a_database(
    bare_settings, tmp_path, monkeypatch, capsys
) -> None:
    from storage.migrate import head_revision
    from tests.test_cli import at_revision

    mistyped = tmp_path / "daybok.db"
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", f"sqlite+aiosqlite:///{mistyped}")

    assert main(["web", "--port", "8080"]) == 2
    assert not mistyped.exists()  # no empty database made at a mistyped path
    assert "there is no Daybook database at" in capsys.readouterr().err

    older = tmp_path / "daybook.db"
    url = f"sqlite+aiosqlite:///{older}"
    at_revision(url, "0011")
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", url)
    assert main(["web", "--port", "8080"]) == 2
    err = capsys.readouterr().err
    assert f"is at revision 0011, not {head_revision()}" in err
    assert err.count("\n") == 1


@SQLITE_ONLY
def test_a_database_a_newer_version_upgraded_says_so(environment, tmp_path, capsys) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "daybook.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_future'")
    capsys.readouterr()

    assert main(["web", "--port", "8080"]) == 2

    err = capsys.readouterr().err
    # Not "start this version's bot on it, or run daybook migrate": both refuse such a database.
    assert "daybook migrate" not in err
    assert "is at revision 0099_future, which this version of Daybook does not know" in err
    assert err.count("\n") == 1

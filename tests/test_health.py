"""`daybook health`: one line and status 0 when the process ticks and is connected, 1 (with
the reason) when its tick is late, its gateway down past the grace period, it never started,
or there is no database; light, and never creating or migrating anything."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import clock as clocks
from bot.cli import main
from bot.clock import FixedClock
from bot.config import Settings
from bot.health import GATEWAY_GRACE, TICK_LATE, assess, check, quick_check
from storage import Database, migrate
from storage.repositories.heartbeats import Heartbeat
from tests._postgres import POSTGRES_URL, reset_postgres, run_apart

NOW = datetime(2026, 12, 5, 12, 7, tzinfo=UTC)
STARTED = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)


def beat(**changes: object) -> Heartbeat:
    """A process that started an hour ago, ticked 20 s ago, and is connected since it started."""
    fields: dict[str, object] = {
        "process": "all",
        "started_at": STARTED,
        "ticked_at": NOW - timedelta(seconds=20),
        "gateway_up": True,
        "gateway_changed_at": STARTED + timedelta(seconds=5),
        "version": "1.0",
    }
    fields.update(changes)
    return Heartbeat(**fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------
# the verdict, from a heartbeat and the time
# ------------------------------------------------------------------------------------------


def test_a_recent_tick_and_a_connected_gateway_are_healthy() -> None:
    verdict = assess(beat(), NOW)

    assert verdict.healthy
    assert verdict.status == 0
    assert verdict.line == "healthy: ticked 20 s ago, gateway connected"


def test_a_tick_older_than_the_limit_is_unhealthy_and_says_when() -> None:
    ticked = datetime(2026, 12, 5, 12, 3, tzinfo=UTC)  # 4 minutes before NOW
    assert NOW - ticked > TICK_LATE

    verdict = assess(beat(ticked_at=ticked), NOW)

    assert verdict.status == 1
    assert verdict.line == "unhealthy: the scheduler last ticked 4 minutes ago (at 12:03 UTC)"


def test_a_tick_just_within_the_limit_is_still_healthy() -> None:
    verdict = assess(beat(ticked_at=NOW - TICK_LATE), NOW)

    assert verdict.healthy
    assert verdict.line == "healthy: ticked 3 minutes ago, gateway connected"


def test_a_gateway_down_past_the_grace_period_is_unhealthy() -> None:
    down = datetime(2026, 12, 5, 12, 4, tzinfo=UTC)  # 3 minutes before NOW
    assert NOW - down > GATEWAY_GRACE

    verdict = assess(beat(gateway_up=False, gateway_changed_at=down), NOW)

    assert verdict.status == 1
    assert verdict.line == "unhealthy: the gateway has been down since 12:04 UTC (3 minutes)"


def test_a_short_gateway_blip_is_healthy() -> None:
    verdict = assess(beat(gateway_up=False, gateway_changed_at=NOW - timedelta(seconds=8)), NOW)

    assert verdict.healthy
    assert verdict.line == "healthy: ticked 20 s ago, gateway reconnecting (down 8 s)"


def test_both_problems_are_named_in_one_line() -> None:
    verdict = assess(
        beat(ticked_at=NOW - timedelta(days=2), gateway_up=False, gateway_changed_at=None),
        NOW,
    )

    assert verdict.line.count("\n") == 0
    assert verdict.line == (
        "unhealthy: the scheduler last ticked 2 days ago (at 2026-12-03 12:07 UTC);"
        " the gateway has not connected since the bot started at 11:00 UTC (67 minutes)"
    )


def test_a_starting_process_is_unhealthy_until_its_gateway_connects() -> None:
    # No grace before the first connection: Docker shows "starting" meanwhile (start period).
    connecting = beat(
        started_at=NOW - timedelta(seconds=40),
        ticked_at=None,
        gateway_up=False,
        gateway_changed_at=None,
    )
    connected = beat(
        started_at=NOW - timedelta(seconds=40),
        ticked_at=None,
        gateway_changed_at=NOW - timedelta(seconds=10),
    )

    assert assess(connecting, NOW).line == (
        "unhealthy: the gateway has not connected since the bot started at 12:06 UTC (40 s)"
    )
    assert assess(connected, NOW).line == (
        "healthy: started 40 s ago, no tick yet, gateway connected"
    )


def test_a_process_that_never_ticks_is_late_counted_from_its_start() -> None:
    late = beat(started_at=NOW - timedelta(minutes=5), ticked_at=None)

    assert assess(late, NOW).line == (
        "unhealthy: the scheduler has not ticked since the bot started at 12:02 UTC (5 minutes ago)"
    )


def test_no_heartbeat_is_unhealthy() -> None:
    verdict = assess(None, NOW)

    assert verdict.status == 1
    assert verdict.line == (
        "unhealthy: no heartbeat yet: the bot has not started against this database"
    )


# ------------------------------------------------------------------------------------------
# reading this process's row from the database
# ------------------------------------------------------------------------------------------


@pytest.fixture
def url(tmp_path) -> str:
    """A migrated, empty database: SQLite, or PostgreSQL's scratch one."""
    if POSTGRES_URL:
        return run_apart(reset_postgres(POSTGRES_URL))
    found = f"sqlite+aiosqlite:///{tmp_path / 'daybook.db'}"
    asyncio.run(migrate(found))
    return found


def write(url: str, process: str, ticked: datetime) -> None:
    async def go() -> None:
        database = await Database.open(url)
        try:
            async with database.write() as repos:
                await repos.heartbeats.started(process, STARTED, "1.0")
                await repos.heartbeats.ticked(process, ticked)
                await repos.heartbeats.gateway(process, up=True, at=STARTED)
        finally:
            await database.close()

    run_apart(go())


def test_check_reads_this_process_s_row_and_no_other(url) -> None:
    write(url, "shards 0 of 2", NOW - timedelta(seconds=20))  # an earlier, sharded deployment
    whole = Settings(database_url=url)

    assert run_apart(check(whole, FixedClock(NOW))).line == (
        "unhealthy: no heartbeat yet: the bot has not started against this database"
    )
    write(url, "all", NOW - timedelta(seconds=20))
    assert run_apart(check(whole, FixedClock(NOW))).line == (
        "healthy: ticked 20 s ago, gateway connected"
    )


@pytest.mark.postgres_only(reason="several processes share only PostgreSQL")
def test_check_reads_the_row_of_this_process_s_shards(url) -> None:
    write(url, "shards 1 of 2", NOW - timedelta(seconds=20))
    write(url, "shards 0 of 2", NOW - timedelta(hours=1))
    one = Settings(database_url=url, shard_count=2, shard_ids="1")
    zero = Settings(database_url=url, shard_count=2, shard_ids="0")

    assert run_apart(check(one, FixedClock(NOW))).line == (
        "healthy: ticked 20 s ago, gateway connected"
    )
    assert run_apart(check(zero, FixedClock(NOW))).line == (
        "unhealthy: the scheduler last ticked 60 minutes ago (at 11:07 UTC)"
    )


@pytest.fixture
def environment(bare_settings) -> None:
    """No DAYBOOK_* settings but the test's, no stray .env."""


@pytest.mark.parametrize(
    ("ticked", "status", "line"),
    [
        (NOW - timedelta(seconds=20), 0, "healthy: ticked 20 s ago, gateway connected\n"),
        (
            NOW - timedelta(minutes=4),
            1,
            "unhealthy: the scheduler last ticked 4 minutes ago (at 12:03 UTC)\n",
        ),
    ],
)
def test_daybook_health_prints_the_verdict_and_exits_with_its_status(
    url, environment, monkeypatch, capsys, ticked, status, line
) -> None:
    write(url, "all", ticked)
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", url)
    monkeypatch.setattr(clocks, "system_clock", FixedClock(NOW))

    assert main(["health"]) == status

    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (line, "")


@pytest.mark.sqlite_only(reason="a SQLite file that is not there")
def test_daybook_health_on_a_missing_database_is_unhealthy_and_creates_nothing(
    environment, monkeypatch, tmp_path, capsys
) -> None:
    folder = tmp_path / "data"
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", f"sqlite:///{folder / 'daybook.db'}")

    assert main(["health"]) == 1

    assert capsys.readouterr().out == (
        f"unhealthy: there is no database at {folder / 'daybook.db'} (the health check never"
        " creates one): check DAYBOOK_DATABASE_URL and the volume mount\n"
    )
    assert not folder.exists()


@pytest.mark.sqlite_only(reason="an unmigrated SQLite file")
def test_daybook_health_never_migrates(environment, monkeypatch, tmp_path, capsys) -> None:
    import sqlite3

    file = tmp_path / "old.db"
    with sqlite3.connect(file) as connection:
        connection.execute("CREATE TABLE challenges (id INTEGER PRIMARY KEY)")
    before = file.read_bytes()
    monkeypatch.setenv("DAYBOOK_DATABASE_URL", f"sqlite:///{file}")

    assert main(["health"]) == 1

    out = capsys.readouterr().out
    assert out.startswith(f"unhealthy: cannot read the heartbeat from the database at {file} (")
    assert "no such table: heartbeats" in out
    assert file.read_bytes() == before
    assert not file.with_name("old.db.created").exists()


def test_unreadable_settings_are_unhealthy_with_status_1_not_docker_s_reserved_2(
    environment, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DAYBOOK_LOG_LEVEL", "verbose")

    assert main(["health"]) == 1

    out = capsys.readouterr().out
    assert out.startswith("unhealthy: the settings are invalid: DAYBOOK_LOG_LEVEL=verbose")
    assert out.count("\n") == 1


@pytest.mark.sqlite_only(reason="the light path is the same on both; one run is enough")
def test_the_health_check_loads_no_discord_no_charts_and_no_migrations(tmp_path) -> None:
    # A fresh interpreter, as Docker starts one every minute.
    probe = (
        "import sys\n"
        "from bot.cli import main\n"
        "status = main(['health'])\n"
        "heavy = ('discord', 'matplotlib', 'alembic', 'numpy', 'PIL', 'simcord',"
        " 'sqlalchemy', 'pydantic_settings')\n"
        "print(status, sorted(name for name in heavy if name in sys.modules))\n"
    )
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DAYBOOK_")
    }
    environment["DAYBOOK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'daybook.db'}"
    asyncio.run(migrate(environment["DAYBOOK_DATABASE_URL"]))  # the bot's, never the check's
    (tmp_path / "daybook.db.created").unlink()
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
    )

    # Unhealthy (no heartbeat yet), answered by the quick path: no SQLAlchemy, no settings.
    assert result.stdout.splitlines() == [
        "unhealthy: no heartbeat yet: the bot has not started against this database",
        "1 []",
    ]


@pytest.mark.sqlite_only(reason="the quick path reads SQLite files only")
@pytest.mark.parametrize(
    ("ticked", "up", "changed"),
    [
        (NOW - timedelta(seconds=20), True, STARTED),
        (NOW - timedelta(minutes=4), True, STARTED),
        (NOW - timedelta(seconds=20), False, NOW - timedelta(minutes=3)),
        (NOW - timedelta(seconds=20), False, NOW - timedelta(seconds=30)),
        (None, False, None),
    ],
)
def test_the_quick_path_judges_as_the_full_path_does(url, ticked, up, changed) -> None:
    async def go() -> None:
        database = await Database.open(url)
        try:
            async with database.write() as repos:
                await repos.heartbeats.started("all", STARTED, "1.0")
                if ticked is not None:
                    await repos.heartbeats.ticked("all", ticked)
                if changed is not None:
                    await repos.heartbeats.gateway("all", up=up, at=changed)
        finally:
            await database.close()

    run_apart(go())
    environ = {"DAYBOOK_DATABASE_URL": url, "HOME": "/nowhere"}
    quick = quick_check(environ, Path("/nonexistent/.env"), FixedClock(NOW))
    full = run_apart(check(Settings(database_url=url), FixedClock(NOW)))

    assert quick == full


@pytest.mark.sqlite_only(reason="the quick path reads SQLite files only")
@pytest.mark.parametrize(
    "environ",
    [
        {"DAYBOOK_DATABASE_URL": "postgresql+asyncpg://daybook@localhost/daybook"},
        {"DAYBOOK_DATABASE_URL": "sqlite:///daybook.db?mode=ro"},  # a query: the full parser's
        {"DAYBOOK_DATABASE_URL": "sqlite:///:memory:"},
        {"DAYBOOK_DATABASE_URL": "sqlite:///missing.db"},  # the full path words it
        {"DAYBOOK_SHARD_COUNT": "2", "DAYBOOK_SHARD_IDS": "0"},  # refused on SQLite
        {"DAYBOOK_SHARD_COUNT": "two"},
        {"DAYBOOK_SHARD_IDS": "0"},  # ids without a count
    ],
)
def test_the_quick_path_leaves_anything_unusual_to_the_full_path(
    environ, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert quick_check(environ, tmp_path / ".env", FixedClock(NOW)) is None


@pytest.mark.sqlite_only(reason="the quick path reads SQLite files only")
def test_the_quick_path_steps_aside_for_a_dot_env_file(url, tmp_path) -> None:
    write(url, "all", NOW - timedelta(seconds=20))
    dot_env = tmp_path / ".env"
    dot_env.write_text("DAYBOOK_SHARD_COUNT=1\n", encoding="utf-8")

    assert quick_check({"DAYBOOK_DATABASE_URL": url}, dot_env, FixedClock(NOW)) is None
    assert quick_check({"DAYBOOK_DATABASE_URL": url}, tmp_path / "none", FixedClock(NOW)) == (
        run_apart(check(Settings(database_url=url), FixedClock(NOW)))
    )


@pytest.mark.sqlite_only(reason="the quick path reads SQLite files only")
@pytest.mark.parametrize(
    "changes",
    [
        # SQLAlchemy keeps the spaces (another file, or no URL at all): the quick path must not
        # strip them and read the healthy file beside it.
        {"DAYBOOK_DATABASE_URL": "{url} "},
        {"DAYBOOK_DATABASE_URL": "{url}\n"},
        {"DAYBOOK_DATABASE_URL": " {url}"},
        # A synchronous driver: the bot and the full path cannot open it with asyncio.
        {"DAYBOOK_DATABASE_URL": "{pysqlite}"},
        # Digits Python's int() reads and pydantic refuses (or int() itself refuses).
        {"DAYBOOK_DATABASE_URL": "{url}", "DAYBOOK_SHARD_COUNT": "\u0661"},
        {"DAYBOOK_DATABASE_URL": "{url}", "DAYBOOK_SHARD_COUNT": "\u00b2"},
        {
            "DAYBOOK_DATABASE_URL": "{url}",
            "DAYBOOK_SHARD_COUNT": "1",
            "DAYBOOK_SHARD_IDS": "\u0660",
        },
        {"DAYBOOK_DATABASE_URL": "{url}", "DAYBOOK_SHARD_COUNT": "1", "DAYBOOK_SHARD_IDS": "[[0]]"},
        # A path the OS refuses to look at: the full path words it, never a traceback.
        {"DAYBOOK_DATABASE_URL": "{too_long}"},
    ],
)
def test_the_quick_path_never_answers_where_the_settings_read_otherwise(
    url, tmp_path, changes
) -> None:
    write(url, "all", NOW - timedelta(seconds=20))
    names = {
        "url": url,
        "pysqlite": url.replace("sqlite+aiosqlite:", "sqlite+pysqlite:"),
        "too_long": f"sqlite:///{tmp_path / ('a' * 300)}.db",
    }
    environ = {name: value.format(**names) for name, value in changes.items()}
    assert (
        quick_check({"DAYBOOK_DATABASE_URL": url}, tmp_path / "none", FixedClock(NOW)) is not None
    )

    assert quick_check(environ, tmp_path / "none", FixedClock(NOW)) is None


@pytest.mark.sqlite_only(reason="the quick path reads SQLite files only")
def test_the_quick_path_steps_aside_for_a_row_it_cannot_read(tmp_path) -> None:
    import sqlite3

    file = tmp_path / "daybook.db"
    connection = sqlite3.connect(file)
    connection.execute(
        "CREATE TABLE heartbeats (process, started_at, ticked_at, gateway_up,"
        " gateway_changed_at, version)"
    )
    connection.execute("INSERT INTO heartbeats VALUES ('all', 1, NULL, 1, NULL, '1.0')")
    connection.commit()
    connection.close()
    environ = {"DAYBOOK_DATABASE_URL": f"sqlite:///{file}"}

    assert quick_check(environ, tmp_path / "none", FixedClock(NOW)) is None

"""Where a benchmark's synthetic server lives: a SQLite file or a PostgreSQL database.

Every bench takes `--database-url`: a SQLite URL names the server's file (built there once per
member count, seed and `BUILD_VERSION`, never modified: each run works on a copy), and a
PostgreSQL URL names a database on the cluster to administer from (the server is built into a
database of its own, `daybook_bench_<members>_<seed>_v<BUILD_VERSION>`, and each run works on a
`CREATE DATABASE ... TEMPLATE` copy, dropped afterwards). Each backend also offers the raw
driver's baseline (stdlib `sqlite3` with Daybook's PRAGMAs; `asyncpg`), query plans
(`EXPLAIN QUERY PLAN`; `EXPLAIN`) and the versions line.
"""

from __future__ import annotations

import abc
import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg  # type: ignore[import-untyped]
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.report import say
from bench.synthetic import BUILD_VERSION
from bench.world import sqlite_url
from storage import current_revision, migrate, tables
from storage.migrate import head_revision

ROOT = Path(__file__).resolve().parent.parent

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
)
"""Daybook's own PRAGMAs (storage.database), so the raw driver runs as the stack does."""

RAW_COLUMNS = tables.NEW_ENTRY_COLUMNS
"""The entries columns a recorded post fills: what the raw driver inserts."""


def backend_for(url: str) -> Backend:
    """Return the backend a `--database-url` names."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database:
            raise SystemExit("--database-url: a SQLite URL must name a file")
        # absolute(), not resolve(): a symlinked server file is read through, and a rebuild
        # replaces the link, never the file it points at.
        return SqliteBackend(Path(parsed.database).absolute())
    if parsed.get_backend_name() == "postgresql":
        return PostgresBackend(parsed.set(drivername="postgresql+asyncpg"))
    raise SystemExit(f"--database-url: no benchmark backend for {parsed.get_backend_name()!r}")


def raw_value(value: Any) -> Any:
    """Return a row value as the drivers take it: datetimes as naive UTC (as UTCDateTime does)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def sqlite_value(value: Any) -> Any:
    """Return a row value as SQLAlchemy's SQLite dialect stores it (text dates, 0/1 booleans)."""
    value = raw_value(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall and main-thread CPU seconds of a batch of operations."""

    wall: float
    cpu: float

    def __add__(self, other: Timing) -> Timing:
        """Add two timings."""
        return Timing(self.wall + other.wall, self.cpu + other.cpu)


ZERO = Timing(0.0, 0.0)


class RawDriver(abc.ABC):
    """The raw driver's own single-row INSERT and COMMIT: the floor under any write."""

    @abc.abstractmethod
    async def insert_each(self, rows: list[dict[str, Any]]) -> Timing:
        """Insert each row in its own committed transaction; delete them again (untimed)."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Close the connection."""


class SqliteRaw(RawDriver):
    """Stdlib `sqlite3`, autocommit off, `BEGIN IMMEDIATE` ... `COMMIT` per row."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in SQLITE_PRAGMAS:
            self.connection.execute(pragma)
        placeholders = ", ".join("?" * len(RAW_COLUMNS))
        self.sql = f"INSERT INTO entries ({', '.join(RAW_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608

    async def insert_each(self, rows: list[dict[str, Any]]) -> Timing:
        """Insert each row in its own committed transaction; delete them again (untimed)."""
        connection = self.connection
        (mark,) = connection.execute("SELECT max(id) FROM entries").fetchone()
        values = [tuple(sqlite_value(row[column]) for column in RAW_COLUMNS) for row in rows]
        started, cpu = time.perf_counter(), time.thread_time()
        for params in values:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(self.sql, params)
            connection.execute("COMMIT")
        timing = Timing(time.perf_counter() - started, time.thread_time() - cpu)
        connection.execute("DELETE FROM entries WHERE id > ?", (mark,))
        return timing

    async def close(self) -> None:
        """Close the connection."""
        self.connection.close()


class PostgresRaw(RawDriver):
    """`asyncpg`, one transaction per row."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection
        placeholders = ", ".join(f"${n}" for n in range(1, len(RAW_COLUMNS) + 1))
        self.sql = f"INSERT INTO entries ({', '.join(RAW_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608

    async def insert_each(self, rows: list[dict[str, Any]]) -> Timing:
        """Insert each row in its own committed transaction; delete them again (untimed)."""
        connection = self.connection
        mark = await connection.fetchval("SELECT max(id) FROM entries")
        values = [tuple(raw_value(row[column]) for column in RAW_COLUMNS) for row in rows]
        started, cpu = time.perf_counter(), time.thread_time()
        for params in values:
            async with connection.transaction():
                await connection.execute(self.sql, *params)
        timing = Timing(time.perf_counter() - started, time.thread_time() - cpu)
        await connection.execute("DELETE FROM entries WHERE id > $1", mark)
        return timing

    async def close(self) -> None:
        """Close the connection."""
        await self.connection.close()


class Backend(abc.ABC):
    """A database system the benches run on."""

    name = ""

    @abc.abstractmethod
    def ensure_server(self, members: int, seed: int) -> dict[str, Any]:
        """Build the synthetic server unless it is already there; return its build record."""

    @abc.abstractmethod
    def working_copy(self, scratch: Path) -> contextlib.AbstractContextManager[tuple[str, float]]:
        """Copy the built server for one run: yield (its URL, seconds the copy took)."""

    @abc.abstractmethod
    async def raw_driver(self, url: str) -> RawDriver:
        """Open the raw driver on a working copy."""

    @abc.abstractmethod
    async def explain(self, url: str, statement: str, parameters: Any) -> list[str]:
        """Return the query plan of one statement on a working copy, a line per step."""

    @abc.abstractmethod
    async def versions(self, url: str) -> str:
        """Return the database, driver and library versions, for the report."""

    def _upgraded(self, url: str) -> bool:
        """Migrate a stored server built by older code to this code's schema; say if it did.

        A new migration (an index, say) changes no synthetic row, so the server is upgraded in
        place once rather than built again: the benches measure the schema the bot would run.
        """
        if asyncio.run(current_revision(url)) == head_revision():
            return False
        say(f"migrating the stored server to revision {head_revision()} (once) ...")
        asyncio.run(migrate(url))
        return True

    def _child_build(self, url: str, members: int, seed: int) -> dict[str, Any]:
        """Build the server in a child process (its peak memory is its own); return its record."""
        command = [sys.executable, "-m", "bench.synthetic", "--database-url", url]
        command += ["--members", str(members), "--seed", str(seed)]
        # From the repository root, where `bench` is a package, wherever the benchmark was run.
        output = subprocess.run(  # noqa: S603
            command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT
        ).stdout
        built: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
        return {**built, "version": BUILD_VERSION, "seed": seed}


def machine() -> str:
    """Return the machine half of the versions line."""
    return f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}"


class SqliteBackend(Backend):
    """A SQLite file: built once in place, copied for each run."""

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def meta(self) -> Path:
        """The file that records what the built database holds."""
        return self.path.with_name(self.path.name + ".meta.json")

    def reusable(self, members: int, seed: int) -> dict[str, Any] | None:
        """Return the build record if the file holds the wanted server untouched, else None."""
        if not self.path.exists() or not self.meta.exists():
            return None
        record: dict[str, Any] = json.loads(self.meta.read_text())
        wanted = {"version": BUILD_VERSION, "members": members, "seed": seed}
        if any(record.get(key) != value for key, value in wanted.items()):
            return None
        if record.get("bytes") != self.path.stat().st_size:
            return None
        return record

    def ensure_server(self, members: int, seed: int) -> dict[str, Any]:
        """Build the synthetic server into the file unless it is already there."""
        record = self.reusable(members, seed)
        if record is not None:
            say(f"reusing {self.path} ({record['entries']:,} entries)")
            if self._upgraded(sqlite_url(self.path)):
                # The working copy is the main file alone: nothing may stay in the WAL.
                with contextlib.closing(sqlite3.connect(self.path)) as connection:
                    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                record["bytes"] = self.path.stat().st_size
                self.meta.write_text(json.dumps(record, indent=2) + "\n")
            return {**record, "reused": True}
        if self.path.exists() and not os.access(self.path.parent, os.W_OK):
            raise SystemExit(f"{self.path} holds another server and its folder is read-only")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        say(f"building a server of {members:,} members into {self.path} (a child process) ...")
        record = self._child_build(sqlite_url(self.path), members, seed)
        record["bytes"] = self.path.stat().st_size
        self.meta.unlink(missing_ok=True)  # a link to another server's record stays untouched
        self.meta.write_text(json.dumps(record, indent=2) + "\n")
        return {**record, "reused": False}

    @contextlib.contextmanager
    def working_copy(self, scratch: Path) -> Iterator[tuple[str, float]]:
        """Copy the (checkpointed, closed) file into the scratch folder."""
        target = scratch / "work.db"
        started = time.perf_counter()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.path, target)
        yield sqlite_url(target), time.perf_counter() - started

    async def raw_driver(self, url: str) -> RawDriver:
        """Open stdlib `sqlite3` on the working copy."""
        return SqliteRaw(Path(make_url(url).database or ""))

    async def explain(self, url: str, statement: str, parameters: Any) -> list[str]:
        """Return SQLite's EXPLAIN QUERY PLAN of one statement (read-only connection)."""
        connection = sqlite3.connect(f"file:{make_url(url).database}?mode=ro", uri=True)
        try:
            plan = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return [str(row[3]) for row in plan]
        except sqlite3.Error as error:
            return [f"(no plan: {error})"]
        finally:
            connection.close()

    async def versions(self, url: str) -> str:
        """Return the versions line."""
        return (
            f"{machine()}, SQLite {sqlite3.sqlite_version}, SQLAlchemy {sa.__version__}, "
            f"aiosqlite {aiosqlite.__version__}"
        )


class PostgresBackend(Backend):
    """A PostgreSQL cluster: the server built into a database of its own, copied by template."""

    name = "postgresql"

    def __init__(self, url: sa.URL) -> None:
        self.url = url
        self.server = ""

    def dsn(self, database: str | None = None) -> str:
        """Return asyncpg's DSN for a database of the cluster (the URL's own by default)."""
        url = self.url.set(drivername="postgresql")
        if database is not None:
            url = url.set(database=database)
        return url.render_as_string(hide_password=False)

    def url_of(self, database: str) -> str:
        """Return the SQLAlchemy URL of a database of the cluster."""
        return self.url.set(database=database).render_as_string(hide_password=False)

    async def _admin(self, *statements: str) -> list[Any]:
        """Run statements on the URL's own database (outside any transaction); return rows."""
        connection = await asyncpg.connect(self.dsn())
        try:
            results = []
            for statement in statements:
                results.append(await connection.fetch(statement))
            return results
        finally:
            await connection.close()

    async def _record(self, database: str) -> dict[str, Any] | None:
        """Return the build record kept in a built database, or None if the build is not there."""
        (exists,) = await self._admin(
            f"SELECT 1 FROM pg_database WHERE datname = '{database}'"  # noqa: S608
        )
        if not exists:
            return None
        connection = await asyncpg.connect(self.dsn(database))
        try:
            text = await connection.fetchval(
                "SELECT record FROM bench_build WHERE version = $1", BUILD_VERSION
            )
        except asyncpg.UndefinedTableError:
            return None
        finally:
            await connection.close()
        return None if text is None else dict(json.loads(text))

    def ensure_server(self, members: int, seed: int) -> dict[str, Any]:
        """Build the server into `daybook_bench_<members>_<seed>_v<version>` unless it is there."""
        database = f"daybook_bench_{members}_{seed}_v{BUILD_VERSION}"
        self.server = database
        record = asyncio.run(self._record(database))
        if record is not None:
            say(f"reusing PostgreSQL database {database} ({record['entries']:,} entries)")
            self._upgraded(self.url_of(database))
            return {**record, "reused": True}
        say(f"building a server of {members:,} members into PostgreSQL database {database} ...")
        asyncio.run(
            self._admin(
                f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
                f'CREATE DATABASE "{database}"',
            )
        )
        record = self._child_build(self.url_of(database), members, seed)
        asyncio.run(self._keep_record(database, record))
        return {**record, "reused": False}

    async def _keep_record(self, database: str, record: dict[str, Any]) -> None:
        """Store the build record in the built database, and its size."""
        connection = await asyncpg.connect(self.dsn(database))
        try:
            record["bytes"] = await connection.fetchval(
                "SELECT pg_database_size(current_database())"
            )
            await connection.execute(
                "CREATE TABLE bench_build (version integer PRIMARY KEY, record text NOT NULL)"
            )
            await connection.execute(
                "INSERT INTO bench_build VALUES ($1, $2)", BUILD_VERSION, json.dumps(record)
            )
        finally:
            await connection.close()

    @contextlib.contextmanager
    def working_copy(self, scratch: Path) -> Iterator[tuple[str, float]]:
        """Copy the built database by template; drop the copy afterwards."""
        work = f"daybook_work_{os.getpid()}"
        started = time.perf_counter()
        ((version,),) = asyncio.run(self._admin("SHOW server_version_num"))
        # PostgreSQL 15 copies a template through the WAL by default, block by block: the
        # files' copy is about twice as fast here (2.4-3.7 s against 6-8 s at 10,000 members).
        strategy = " STRATEGY FILE_COPY" if int(version[0]) >= 150000 else ""
        asyncio.run(
            self._admin(
                f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)',
                f'CREATE DATABASE "{work}" TEMPLATE "{self.server}"{strategy}',
            )
        )
        try:
            yield self.url_of(work), time.perf_counter() - started
        finally:
            asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)'))

    async def raw_driver(self, url: str) -> RawDriver:
        """Open `asyncpg` on the working copy."""
        return PostgresRaw(await asyncpg.connect(self.dsn(make_url(url).database)))

    async def explain(self, url: str, statement: str, parameters: Any) -> list[str]:
        """Return PostgreSQL's EXPLAIN of one statement."""
        connection = await asyncpg.connect(self.dsn(make_url(url).database))
        try:
            rows = await connection.fetch(f"EXPLAIN {statement}", *(parameters or ()))
            return [str(row[0]) for row in rows]
        except (asyncpg.PostgresError, asyncpg.InterfaceError, TypeError, ValueError) as error:
            return [f"(no plan: {type(error).__name__}: {error})"]
        finally:
            await connection.close()

    async def versions(self, url: str) -> str:
        """Return the versions line."""
        connection = await asyncpg.connect(self.dsn(make_url(url).database))
        try:
            server = await connection.fetchval("SHOW server_version")
        finally:
            await connection.close()
        return (
            f"{machine()}, PostgreSQL {server}, SQLAlchemy {sa.__version__}, "
            f"asyncpg {asyncpg.__version__}"
        )


# ---------------------------------------------------------------------------------------------
# The command line every bench shares
# ---------------------------------------------------------------------------------------------

PERF_DOCS = ROOT / "docs" / "perf"
"""Where `--markdown` writes by default: docs/perf/<bench>-<backend>.md."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --database-url, --db, --members, --quick, --seed, --markdown and --json."""
    parser.add_argument(
        "--database-url",
        help="where the synthetic server lives: a SQLite file URL (built there once, reused, "
        "never modified) or a PostgreSQL URL (the server is built into a database of its own "
        "on that cluster). Default: a SQLite file in a temporary folder, rebuilt every run",
    )
    parser.add_argument(
        "--db", type=Path, help="same as --database-url sqlite+aiosqlite:///DB (kept for habit)"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 members: a smoke run")
    parser.add_argument("--members", type=int, help="the number of members (overrides --quick)")
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument(
        "--markdown",
        nargs="?",
        const="",
        metavar="PATH",
        help="also write the tables as Markdown (default PATH: docs/perf/<bench>-<backend>.md)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the costs as JSON")


def database_url(args: argparse.Namespace, scratch: Path, members: int) -> str:
    """Return the server's URL the command line asks for."""
    if args.database_url and args.db:
        raise SystemExit("give --database-url or --db, not both")
    if args.database_url:
        return str(args.database_url)
    if args.db:
        return sqlite_url(args.db.resolve())
    return sqlite_url(scratch / f"server-{members}.db")


def markdown_path(args: argparse.Namespace, bench: str, backend: Backend) -> Path | None:
    """Return where to write the Markdown tables, if asked to."""
    if args.markdown is None:
        return None
    if args.markdown:
        return Path(args.markdown)
    return PERF_DOCS / f"{bench}-{backend.name}.md"


@dataclass(frozen=True, slots=True)
class Run:
    """One bench run's database: the backend, its working copy, and how the server came to be."""

    backend: Backend
    url: str
    """The working copy's URL."""
    build: dict[str, Any]
    copy_s: float


@contextlib.contextmanager
def prepared(args: argparse.Namespace, members: int, prefix: str) -> Iterator[Run]:
    """Build (or reuse) the server the command line names and yield a working copy of it."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        scratch = Path(folder)
        backend = backend_for(database_url(args, scratch, members))
        build = backend.ensure_server(members, args.seed)
        with backend.working_copy(scratch) as (url, copy_s):
            yield Run(backend, url, build, copy_s)

"""The `daybook` command line: migrate, back up, read a log, and play the offline demo."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import logging
import re
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, SettingsError, load_settings
from bot.log import configure_logging
from bot.wording import operator as wording

if TYPE_CHECKING:
    from bot.domain.logparse import LogStats, ParsedLog
    from storage import DatabaseRefusedError

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="daybook", description="Daybook: a Discord bot for daily learning challenges."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="play a scripted community offline (no token, no network)"
    )
    demo.add_argument(
        "--out", type=Path, default=Path("demo-output"), help="folder for the results"
    )
    commands.add_parser("run", help="run the bot (needs DAYBOOK_DISCORD_TOKEN)")
    commands.add_parser("migrate", help="create or upgrade the database schema")
    backup = commands.add_parser(
        "backup", help="copy the database consistently, online (PostgreSQL: with pg_dump)"
    )
    backup.add_argument("path", type=Path, help="file to write the copy to (replaced if there)")
    _add_import_log(commands)
    _add_web(commands)
    return parser


def _iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2024-03-01") from None


def _year(value: str) -> int:
    if not value.isdigit() or not 1970 <= int(value) <= 2100:
        raise argparse.ArgumentTypeError(f"{value!r} is not a year between 1970 and 2100")
    return int(value)


def _add_import_log(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from bot.domain.rules import PRESETS

    read = commands.add_parser(
        "import-log",
        help="show what Daybook understands of a Markdown challenge log (stores nothing)",
    )
    read.add_argument("file", type=Path, help="the log: Markdown or plain text")
    read.add_argument("--year", type=_year, help="year of dates written without one")
    read.add_argument(
        "--start", type=_iso_day, help="first day of an undated log (Day N = start + N - 1)"
    )
    read.add_argument(
        "--rules",
        choices=sorted(PRESETS),
        default="x-days-of-ml-code",
        help="challenge rules for the streaks and Day N (default: %(default)s)",
    )
    read.add_argument(
        "--today", type=_iso_day, help="the day to count streaks to (default: the last date)"
    )
    read.add_argument("--json", action="store_true", help="print JSON instead of a summary")


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number from 1 to 65535")
    return int(value)


def _add_web(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    web = commands.add_parser(
        "web",
        help="serve the challenges' public pages from a process of their own (no token needed)",
        description=(
            "Serve the public pages of the challenges whose organizers turned them on "
            "(/challenge edit web:True), reading the same database as the bot. For deployments "
            "that run the bot in several processes; a single bot can serve them itself with "
            "DAYBOOK_WEB_PORT. Plain HTTP: put a reverse proxy with TLS in front."
        ),
    )
    web.add_argument(
        "--host", help="address to listen on (default: DAYBOOK_WEB_HOST, else 127.0.0.1)"
    )
    web.add_argument(
        "--port", type=_port, help="port to listen on (default: DAYBOOK_WEB_PORT, else 8080)"
    )


WEB_PORT = 8080
"""`daybook web`'s port when neither --port nor DAYBOOK_WEB_PORT says."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `daybook` command; return its exit status (2: usage or settings, 1: failure)."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        for problem in error.problems:
            print(f"daybook: {problem}", file=sys.stderr)
        return 2
    # The bot logs its work at INFO; the one-shot commands print their result, and routine
    # INFO lines (alembic's, the database's) would drown it, so they default to warnings.
    level = settings.log_level
    if args.command != "run" and "log_level" not in settings.model_fields_set:
        level = "WARNING"
    configure_logging(level)
    try:
        return _dispatch(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        # The last line of defence: one line for the operator, the traceback at DEBUG.
        log.debug("daybook %s failed", args.command, exc_info=True)
        return _fail(wording.unexpected(args.command, type(error).__name__, _said(error)), 1)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one subcommand."""
    if args.command == "demo":
        return _demo(args.out)
    if args.command == "run":
        try:
            token = settings.require_token()
        except ConfigError as error:
            return _fail(str(error), 2)
        return asyncio.run(_run(settings, token))
    if args.command == "migrate":
        return asyncio.run(_migrate(settings.database_url))
    if args.command == "backup":
        return asyncio.run(_backup(settings.database_url, args.path))
    if args.command == "import-log":
        return _import_log(args)
    if args.command == "web":
        return asyncio.run(_web(settings, args.host, args.port))
    return _fail(f"unknown command {args.command!r}", 2)  # argparse lets no other through


def _fail(line: str, status: int) -> int:
    """Print one line to stderr and return the exit status."""
    print(f"daybook: {line}", file=sys.stderr)
    return status


def _said(error: BaseException) -> str:
    """Return the first line of what an error says (a database driver's own words if wrapped)."""
    original = getattr(error, "orig", None)  # SQLAlchemy wraps the driver's error
    text = str(original if isinstance(original, BaseException) else error).strip()
    return text.splitlines()[0] if text else ""


def _refusal(error: DatabaseRefusedError) -> str:
    """Word why the database was refused."""
    from storage import DatabaseMissingError, ForeignDatabaseError, UnknownRevisionError
    from storage.shard_claims import ShardsTakenError

    if isinstance(error, DatabaseMissingError):
        return wording.database_missing(error.location, str(error.evidence), error.since)
    if isinstance(error, ForeignDatabaseError):
        return wording.database_foreign(error.location, error.tables)
    if isinstance(error, UnknownRevisionError):
        return wording.database_unknown_revision(error.location, error.revision)
    if isinstance(error, ShardsTakenError):
        shards = error.shards
        return wording.shards_taken(
            error.location, sorted(shards.ids), shards.count, error.taken, error.counts
        )
    return wording.database_failed(error.location, str(error))


DEMO_MISSING = (
    "daybook: the demo is not part of this installation (it needs a clone of the repository and"
    " its `demo` extra, simcord), so run it from a clone with `./run daybook demo`."
)


def _demo(out: Path) -> int:
    """Play the offline demo; exit 2 with one sentence when the `demo` extra is not installed."""
    # Looked up, not imported: importing simcord has side effects (a probe client, warnings)
    # that run_demo silences first. The wheel and the image leave out bot/demo as well.
    if importlib.util.find_spec("simcord") is None or importlib.util.find_spec("bot.demo") is None:
        print(DEMO_MISSING, file=sys.stderr)
        return 2
    from bot.demo.runner import run_demo

    transcript = run_demo(out)
    print(f"Demo finished. Transcript: {transcript}")
    print(f"Everything the demo wrote is in {transcript.parent.resolve()}/")
    return 0


def _import_log(args: argparse.Namespace) -> int:
    """Print what a log says; exit 2 with one line when the file is not a log."""
    from bot.domain.logparse import (
        LogTooLongError,
        LogTooManyLinesError,
        NotALogError,
        decode_log,
        parse_log,
        summarize_log,
    )
    from bot.domain.rules import preset
    from bot.services.logs import MAX_LOG_BYTES, MAX_LOG_ENTRIES, MAX_LOG_LINES
    from bot.wording.logs import log_as_dict, refusal_text

    name = _printable(str(args.file))
    try:
        with args.file.open("rb") as file:
            data = file.read(MAX_LOG_BYTES + 1)  # never more: /dev/zero is a file too
    except OSError as error:
        return _fail(f"cannot read {name}: {_printable(str(error.strerror or error))}", 2)
    if len(data) > MAX_LOG_BYTES:
        return _fail(
            f"{name} is larger than 2 MB; a log can be at most 2 MB ({MAX_LOG_BYTES:,} bytes)", 2
        )
    try:
        parsed = parse_log(
            decode_log(data),
            year=args.year,
            start=args.start,
            limit=MAX_LOG_ENTRIES,
            max_lines=MAX_LOG_LINES,
        )
    except (NotALogError, LogTooLongError, LogTooManyLinesError) as error:
        return _fail(refusal_text(error, name), 2)
    stats = summarize_log(parsed, preset(args.rules), args.today)
    if args.json:
        # json.dumps escapes C0 controls but not DEL or C1 (\x80-\x9f): those are escaped too.
        print(
            _C1.sub(
                lambda m: f"\\u{ord(m.group()):04x}",
                json.dumps(log_as_dict(parsed, stats), ensure_ascii=False, indent=2),
            )
        )
    else:
        print(_printable(_describe_log(args.file.name, parsed, stats, args.rules)))
    return 0


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters a file may hold that would reach the terminal raw (ESC sets its title)."""
_C1 = re.compile(r"[\x7f-\x9f]")


def _printable(text: str) -> str:
    """Return text for a terminal: every control character but newline and tab as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _describe_log(name: str, parsed: ParsedLog, stats: LogStats, rules: str) -> str:
    """Return a log's summary for a terminal: totals, one line an entry, then warnings."""
    from bot.wording.logs import warning_text

    span = (
        f"{stats.first_date.isoformat()} to {stats.last_date.isoformat()}"
        if stats.first_date and stats.last_date
        else "no dates"
    )
    flagged = Counter(flag for entry in parsed.entries for flag in entry.flags)
    lines = [
        f"{name}: {stats.entries} entries, {stats.days_logged} days logged ({span}).",
        (
            f"Under {rules}: Day {stats.day_number}, current streak {stats.current_streak}, "
            f"best streak {stats.best_streak}."
        ),
    ]
    if flagged:
        lines.append("Flagged: " + ", ".join(f"{n} {flag}" for flag, n in sorted(flagged.items())))
    lines.append("")
    for entry in parsed.entries:
        when = entry.dates[0].isoformat() if entry.dates else "(no date)"
        if len(entry.dates) > 1:
            when += f" +{len(entry.dates) - 1}"
        marks = f"  [{', '.join(sorted(entry.flags))}]" if entry.flags else ""
        heading = entry.heading if len(entry.heading) <= 60 else entry.heading[:59] + "\u2026"
        lines.append(f"  {when:<16} {heading}{marks}")
    if parsed.warnings:
        lines.append("")
        lines.append("Warnings:")
        lines.extend(f"  - {warning_text(warning)}" for warning in parsed.warnings)
    return "\n".join(lines)


async def _run(settings: Settings, token: str) -> int:
    """Run the bot until it is stopped (Ctrl-C, or SIGTERM from Docker); return the status."""
    import aiohttp
    import discord

    from bot.app import create_bot
    from storage import DatabaseRefusedError, describe, migrate_at_start

    # Checked before logging in, so a missing database is reported without reaching Discord;
    # the bot's setup_hook checks again (a no-op by then) for any other way of starting it.
    try:
        await migrate_at_start(settings.database_url)
    except DatabaseRefusedError as error:
        return _fail(_refusal(error), 2)
    except Exception as error:
        log.debug("could not open the database", exc_info=True)
        return _fail(wording.database_failed(describe(settings.database_url), _said(error)), 1)
    bot = create_bot(settings)
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGTERM, signal.SIGINT):
        # Close cleanly (database included) when the container or the terminal asks.
        loop.add_signal_handler(stop, lambda: asyncio.ensure_future(bot.close()))
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        log.debug("Discord refused the token", exc_info=True)
        return _fail(wording.LOGIN_REFUSED, 2)
    except discord.PrivilegedIntentsRequired:
        log.debug("Discord refused the intents", exc_info=True)
        return _fail(wording.INTENT_REFUSED, 2)
    except DatabaseRefusedError as error:
        return _fail(_refusal(error), 2)
    except discord.HTTPException as error:
        log.debug("Discord answered an error", exc_info=True)
        return _fail(wording.discord_failed(error.status, error.text or str(error)), 1)
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        # No network, no DNS, a firewall: aiohttp's connection errors are OSErrors.
        log.debug("could not reach Discord", exc_info=True)
        return _fail(wording.discord_unreachable(_said(error) or type(error).__name__), 1)
    return 0


async def _web(settings: Settings, host: str | None, port: int | None) -> int:
    """Serve the public pages until stopped (Ctrl-C, SIGTERM); a bad address exits 2."""
    from bot.charts.pool import ChartPool
    from bot.clock import system_clock
    from bot.services import Services
    from bot.web.server import public_server
    from storage import Database, DatabaseRefusedError, describe, migrate_at_start

    host = host or settings.web_host
    port = port or settings.web_port or WEB_PORT
    try:
        await migrate_at_start(settings.database_url)
    except DatabaseRefusedError as error:
        return _fail(_refusal(error), 2)
    except Exception as error:
        log.debug("could not open the database", exc_info=True)
        return _fail(wording.database_failed(describe(settings.database_url), _said(error)), 1)
    database = Database.create(settings.database_url)
    pool = ChartPool()
    services = Services.build(database, chart_executor=pool)
    server = public_server(
        services.public,
        services.charts,
        now=system_clock,
        host=host,
        port=port,
        trust_proxy=settings.web_trust_proxy,
    )
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop, stopped.set)
    try:
        await database.connect()
        try:
            await server.start()
        except OSError as error:
            # A port in use, an address this machine does not have, a name that resolves to none.
            log.debug("could not listen", exc_info=True)
            return _fail(f"cannot serve the public pages on {host}:{port}: {_said(error)}", 2)
        print(f"daybook: public pages on http://{host}:{server.port} (Ctrl-C stops)", flush=True)
        await stopped.wait()
    finally:
        await server.stop()
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
        await database.close()
    return 0


async def _migrate(url: str) -> int:
    """Create or upgrade the database and say which it did."""
    from storage import DatabaseRefusedError, current_revision, describe, migrate

    location = describe(url)
    try:
        before = await current_revision(url)
        after = await migrate(url)
    except DatabaseRefusedError as error:
        return _fail(_refusal(error), 2)
    except Exception as error:
        log.debug("migrate failed", exc_info=True)
        return _fail(wording.database_failed(location, _said(error)), 1)
    print(wording.migrated(location, before, after))
    return 0


async def _backup(url: str, path: Path) -> int:
    """Back up the database to `path`; refusals exit 2, failures 1, and leave nothing behind."""
    from storage import (
        BackupSourceMissingError,
        BackupTargetIsDirectoryError,
        BackupTargetIsLiveError,
        BackupTargetNotAFileError,
        BackupWriteError,
        PgDumpFailedError,
        PgDumpMissingError,
        UnsupportedDatabaseError,
        backup_database,
        describe,
    )

    try:
        written = await backup_database(url, path)
    except BackupTargetIsDirectoryError:
        return _fail(wording.backup_is_directory(str(path)), 2)
    except BackupTargetIsLiveError:
        return _fail(wording.backup_is_live(str(path)), 2)
    except BackupTargetNotAFileError:
        return _fail(wording.backup_not_a_file(str(path)), 2)
    except BackupWriteError as error:
        return _fail(wording.backup_unwritable(str(path), error.detail), 1)
    except BackupSourceMissingError as error:
        return _fail(wording.backup_source_missing(error.location), 2)
    except UnsupportedDatabaseError as error:
        return _fail(str(error), 2)
    except PgDumpMissingError:
        return _fail(wording.PG_DUMP_MISSING, 1)
    except PgDumpFailedError as error:
        return _fail(wording.pg_dump_failed(error.detail), 1)
    except OSError as error:
        log.debug("backup failed", exc_info=True)
        if error.filename is not None:  # the copy's side: a folder that cannot be made, a full disk
            return _fail(wording.backup_unwritable(str(path), error.strerror or str(error)), 1)
        return _fail(wording.database_failed(describe(url), _said(error)), 1)
    except Exception as error:
        log.debug("backup failed", exc_info=True)
        return _fail(wording.database_failed(describe(url), _said(error)), 1)
    print(wording.backed_up(str(written)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

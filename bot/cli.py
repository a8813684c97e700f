"""The `daybook` command line: migrate, back up, read a log, and play the offline demo."""

from __future__ import annotations

import argparse
import asyncio
import errno
import importlib.util
import json
import logging
import re
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from bot.log import configure_logging
from bot.wording import operator as wording

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.domain.logparse import LogStats, ParsedLog
    from storage import DatabaseRefusedError

log = logging.getLogger(__name__)


EXIT_STATUSES = "0 done; 1 failed (one line on stderr says why); 2 usage, settings or refused"
"""The statuses every command shares; a command's help says what they mean for it."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of every subcommand."""
    from bot.version import version

    parser = argparse.ArgumentParser(
        prog="daybook",
        description="Daybook: a Discord bot for daily learning challenges.",
        epilog=(
            "Settings come from the environment or a .env file (see .env.example):\n"
            "DAYBOOK_DISCORD_TOKEN, DAYBOOK_DATABASE_URL, DAYBOOK_LOG_LEVEL and more.\n"
            "`daybook COMMAND --help` says what a command needs, prints and exits with."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"daybook {version()}", help="print the version"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(commands)
    _add_migrate(commands)
    _add_backup(commands)
    _add_invite(commands)
    _add_demo(commands)
    _add_import_log(commands)
    _add_health(commands)
    _add_web(commands)
    return parser


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""What a subcommand's `_add_NAME(commands)` receives."""


def add_command(
    commands: Commands,
    name: str,
    *,
    summary: str,
    does: str,
    needs: str,
    prints: str,
    exits: str,
    example: str,
) -> argparse.ArgumentParser:
    """Add a subcommand whose --help says what it does, needs, prints and exits with.

    Every command is added through here, from its own `_add_NAME(commands)` called in
    build_parser. `summary` is its line in `daybook --help`: a phrase, no full stop. `does` is
    a few sentences, with line breaks where they should be (the help is printed as written).
    `needs` names which of a token, the database and the network it uses, or "nothing".
    """
    return commands.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}.\n\n{does}",
        epilog=(
            f"needs:        {needs}\n"
            f"prints:       {prints}\n"
            f"exit status:  {exits}\n\n"
            f"example:\n  {example}"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_run(commands: Commands) -> None:
    add_command(
        commands,
        "run",
        summary="run the bot (needs DAYBOOK_DISCORD_TOKEN)",
        does=(
            "Upgrades the database if this version of Daybook needs it, logs in to Discord and\n"
            "runs until stopped (Ctrl-C, or SIGTERM from Docker). It refuses to start on a\n"
            "database that went missing, belongs to something else or is from a newer Daybook."
        ),
        needs="the token, the database and the network (Discord)",
        prints="its log on stderr, at DAYBOOK_LOG_LEVEL (INFO unless set)",
        exits=(
            "for a restart policy such as Docker's `restart: on-failure`:\n"
            "  0    stopped for good: something a restart cannot mend (Discord refused the\n"
            "       token or the privileged intents, the settings are invalid, the database\n"
            "       was refused); the last line says what to fix\n"
            "  1    a failure a restart may mend (no network, Discord unavailable, the\n"
            "       database unreachable, shards still held by a process that is going away)\n"
            "  130  stopped by Ctrl-C (SIGINT)\n"
            "  143  stopped by SIGTERM (`docker stop`, or the host shutting down; not 0, so\n"
            "       that a stop is never taken for a refusal)"
        ),
        example="DAYBOOK_DISCORD_TOKEN=... daybook run",
    )


def _add_migrate(commands: Commands) -> None:
    add_command(
        commands,
        "migrate",
        summary="create or upgrade the database schema",
        does=(
            "Creates Daybook's tables in a new database, or upgrades an existing one to this\n"
            "version's schema, in one transaction (a failed upgrade changes nothing). `run`\n"
            "upgrades at start too; this upgrades on purpose, e.g. right after a backup."
        ),
        needs="the database (DAYBOOK_DATABASE_URL); no token, no network",
        prints="one line: what it did and the revision the database is at",
        exits=EXIT_STATUSES
        + "\n              (2: a database from a newer Daybook, or not Daybook's)",
        example="daybook migrate",
    )


def _add_backup(commands: Commands) -> None:
    backup = add_command(
        commands,
        "backup",
        summary="copy the database consistently, online (PostgreSQL: with pg_dump)",
        does=(
            "Copies the database while the bot runs: SQLite with VACUUM INTO (a database file),\n"
            "PostgreSQL with pg_dump (a custom-format archive: restore it with pg_restore).\n"
            "The copy is written under a temporary name and renamed when whole: a failed\n"
            "backup leaves nothing behind and never touches an older copy."
        ),
        needs="the database; pg_dump on the PATH for PostgreSQL; no token, no network",
        prints="one line: where the copy is",
        exits=EXIT_STATUSES + "\n              (2: PATH is a folder or the live database)",
        example="daybook backup backups/daybook-$(date +%F).db",
    )
    backup.add_argument("path", type=Path, help="file to write the copy to (replaced if there)")


def _add_invite(commands: Commands) -> None:
    invite = add_command(
        commands,
        "invite",
        summary="print the address that adds the bot to a server, and why it needs each permission",
        does=(
            "Prints the OAuth2 address (scopes bot and applications.commands) that adds this\n"
            "bot to a server with exactly the permissions Daybook uses, then each one and why.\n"
            "Open it as someone with Manage Server on that server.\n\n"
            "The application id is --client-id, or else read from DAYBOOK_DISCORD_TOKEN: a bot\n"
            "token starts with the bot user's id, and that is the application id for every\n"
            "application made since 2016. If Discord says the application is unknown, give\n"
            "--client-id (the Developer Portal shows it as Application ID).\n\n"
            "Read Message History, Add Reactions and Send Messages in Threads are asked for only\n"
            "when DAYBOOK_MESSAGE_CONTENT is on (Daybook then reads the progress channel and\n"
            "answers posts there). Manage Roles is asked for unless --no-roles: milestone roles\n"
            "(/challenge milestone-role) need it, and Daybook gives only roles below its own\n"
            "that carry no moderator permissions."
        ),
        needs="the token or --client-id; no database, no network",
        prints="the address, then one line per permission: its name and why Daybook needs it",
        exits="0 printed; 2 no token and no --client-id, or an id that is not one",
        example="daybook invite --client-id 123456789012345678 --no-roles",
    )
    invite.add_argument(
        "--client-id", metavar="ID", help="the application id (default: read from the token)"
    )
    invite.add_argument(
        "--no-roles",
        action="store_true",
        help="leave out Manage Roles (Daybook then cannot give milestone roles)",
    )


def _add_demo(commands: Commands) -> None:
    demo = add_command(
        commands,
        "demo",
        summary="play a scripted community offline (no token, no network)",
        does=(
            "Plays four weeks of a scripted community (an organizer and four members in\n"
            "different time zones) through the real bot on a simulated Discord: posts,\n"
            "reminders across daylight-saving changes, weekly digests, an imported log,\n"
            "mistakes and their answers. Simulated time does not wait: the first line says\n"
            "about how long it takes. It writes a transcript and every chart the bot sent into\n"
            "OUT, replacing an earlier demo's files there."
        ),
        needs="nothing: no token, no network; its own database file in OUT",
        prints="what it plays and about how long it takes, a line per week, where it wrote",
        exits="0 done; 1 failed; 2 a bad setting, or the demo is not part of this installation",
        example="./run daybook demo --out demo-output",
    )
    demo.add_argument(
        "--out", type=Path, default=Path("demo-output"), help="folder for the results"
    )


def _add_health(commands: Commands) -> None:
    add_command(
        commands,
        "health",
        summary="say whether the bot is ticking and connected (Docker's health check)",
        does=(
            "Reads the heartbeat the bot started with the same settings writes to the database\n"
            "(its scheduler's last minute tick, and whether its Discord gateway is connected)\n"
            "and prints one line saying why it is healthy or not. Unhealthy when the last tick\n"
            f"is over {_minutes('TICK_LATE')} minutes old, or the gateway has been down over "
            f"{_minutes('GATEWAY_GRACE')} minutes.\n"
            "It never creates or upgrades the database."
        ),
        needs="the database; no token, no network",
        prints="one line: healthy or unhealthy, and why",
        exits="0 healthy; 1 unhealthy, or the settings or the database cannot be read",
        example="docker exec daybook daybook health",
    )


def _minutes(name: str) -> int:
    """Return one of bot.health's limits in whole minutes, for the help text."""
    from bot import health

    limit: timedelta = getattr(health, name)
    return int(limit.total_seconds() // 60)


def _iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2024-03-01") from None


def _year(value: str) -> int:
    if not value.isdigit() or not 1970 <= int(value) <= 2100:
        raise argparse.ArgumentTypeError(f"{value!r} is not a year between 1970 and 2100")
    return int(value)


def _add_import_log(commands: Commands) -> None:
    from bot.domain.rules import PRESETS

    read = add_command(
        commands,
        "import-log",
        summary="show what Daybook understands of a Markdown challenge log (stores nothing)",
        does=(
            "Reads a log kept before Daybook (a #100DaysOfCode log.md, say) the way /import\n"
            "does: each entry's date and heading, the streaks it makes under the rules, and\n"
            "what it could not read. Nothing is stored: members bring their log in with\n"
            "/import in Discord. At most 2 MB."
        ),
        needs="nothing: no token, no database, no network",
        prints="a summary and one line per entry (or JSON with --json), then warnings",
        exits="0 read; 2 the file cannot be read, is too large or is not a log",
        example="daybook import-log log.md --year 2024 --rules 100-days-of-code",
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


def _add_web(commands: Commands) -> None:
    web = add_command(
        commands,
        "web",
        summary="serve the challenges' public pages from a process of their own (no token needed)",
        does=(
            "Serves the public pages of the challenges whose organizers turned them on\n"
            "(/challenge edit web:True), reading the same database as the bot: a page per\n"
            "challenge with its leaderboard, each visible member's heatmap and the digest\n"
            "archive. For deployments that run the bot in several processes; a single bot can\n"
            "serve them itself with DAYBOOK_WEB_PORT. Plain HTTP: put a reverse proxy with TLS\n"
            "in front, and set DAYBOOK_WEB_URL to the address visitors use."
        ),
        needs="the database; no token; a free port",
        prints="one line when it listens, then its log on stderr",
        exits="0 stopped (Ctrl-C or SIGTERM); 1 failed; 2 a bad setting, a port in use or an\n"
        "              address it cannot listen on",
        example="daybook web --host 0.0.0.0 --port 8080",
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
    """Run the `daybook` command; return its exit status (2: usage or settings, 1: failure).

    `run` and `health` differ: see `daybook run --help` and `daybook health --help`.
    """
    args = build_parser().parse_args(argv)
    if args.command == "health":
        # Docker runs it every minute: answered without the settings' and SQLAlchemy's imports
        # where it can be (bot/health.py `quick_check`), which are most of its cost.
        from bot.health import quick_check

        verdict = quick_check()
        if verdict is not None:
            print(verdict.line)
            return verdict.status
    # Imported here, not at the top: `daybook health` above does without it.
    from bot.config import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        return _settings_refused(args.command, error.problems)
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


def _settings_refused(command: str, problems: tuple[str, ...]) -> int:
    """Say what is wrong with the settings; return the status `command` ends with."""
    if command == "health":
        # Docker reserves status 2 of a health check: unreadable settings are unhealthy.
        from bot.wording.health import settings_invalid

        print(settings_invalid(problems))
        return 1
    if command == "run":
        # One line, and status 0: restarting cannot mend a setting (see `daybook run --help`).
        return _fail(wording.stopped_for_good("; ".join(problems)), STOPPED_FOR_GOOD)
    for problem in problems:
        print(f"daybook: {problem}", file=sys.stderr)
    return 2


STOPPED_FOR_GOOD = 0
"""`daybook run`'s status after a refusal a restart cannot mend: Docker's `on-failure` restart
policy restarts only on a non-zero status, so the bot does not loop on, say, a refused token."""
MAY_MEND = 1
"""`daybook run`'s status after a failure a restart may mend: `on-failure` restarts it."""


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one subcommand."""
    from bot.config import ConfigError

    if args.command == "demo":
        return _demo(args.out)
    if args.command == "run":
        try:
            token = settings.require_token()
        except ConfigError as error:
            return _fail(wording.stopped_for_good(str(error)), STOPPED_FOR_GOOD)
        return asyncio.run(_run(settings, token))
    if args.command == "health":
        return asyncio.run(_health(settings))
    if args.command == "migrate":
        return asyncio.run(_migrate(settings.database_url))
    if args.command == "backup":
        return asyncio.run(_backup(settings.database_url, args.path))
    if args.command == "import-log":
        return _import_log(args)
    if args.command == "invite":
        return _invite(settings, args.client_id, roles=not args.no_roles)
    if args.command == "web":
        return asyncio.run(_web(settings, args.host, args.port))
    return _fail(f"unknown command {args.command!r}", 2)  # argparse lets no other through


def _fail(line: str, status: int) -> int:
    """Print one line to stderr and return the exit status."""
    print(f"daybook: {line}", file=sys.stderr)
    return status


def _cannot_listen(host: str, port: int, error: OSError) -> str:
    """Word why `daybook web` cannot listen: a port in use or a foreign address, in words."""
    where = f"cannot serve the public pages on {host}:{port}"
    if error.errno == errno.EADDRINUSE:
        return f"{where}: another program listens on port {port}; pick another with --port"
    if error.errno == errno.EADDRNOTAVAIL:
        return (
            f"{where}: this machine has no address {host}; use 127.0.0.1 or 0.0.0.0 (every address)"
        )
    return f"{where}: {_said(error)}"


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


def _invite(settings: Settings, client_id: str | None, *, roles: bool) -> int:
    """Print the invite address and each permission it asks for; no network."""
    from bot.invite import (
        ClientIdError,
        client_id_from_token,
        invite_url,
        needed,
        parse_client_id,
        permissions_of,
    )

    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    try:
        if client_id is not None:
            application = parse_client_id(client_id)
        elif token:
            application = client_id_from_token(token)
        else:
            return _fail(wording.INVITE_NEEDS_ID, 2)
    except ClientIdError as error:
        return _fail(_printable(str(error)), 2)
    wanted = needed(channel_posts=settings.message_content, roles=roles)
    permissions = permissions_of(wanted)
    print("Open this address to add Daybook to a server where you have Manage Server:")
    print(invite_url(application, permissions))
    print()
    print(f"It asks for these permissions (together, the number {permissions.value}):")
    width = max(len(item.label) for item in wanted) + 1
    for item in wanted:
        print(f"  {item.label + ':':<{width}} {item.why}")
    if settings.message_content:
        print()
        print(wording.INVITE_INTENT_NOTE)
    return 0


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

    transcript = run_demo(out, progress=lambda line: print(line, flush=True))
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
    from bot.app import create_bot
    from storage import DatabaseRefusedError, describe, migrate_at_start

    # Checked before logging in, so a missing database is reported without reaching Discord;
    # the bot's setup_hook checks again (a no-op by then) for any other way of starting it.
    try:
        await migrate_at_start(settings.database_url)
    except DatabaseRefusedError as error:
        return _database_refused(error)
    except Exception as error:
        log.debug("could not open the database", exc_info=True)
        location = describe(settings.database_url)
        return _fail(wording.database_failed(location, _said(error)), MAY_MEND)
    # discord.py announces "logging in using static token" before Discord has answered: a
    # refused token would end with that line and ours. Its gateway lines say when it is in.
    logging.getLogger("discord.client").addFilter(_not_logging_in)
    bot = create_bot(settings)
    loop = asyncio.get_running_loop()
    stopped_by: list[signal.Signals] = []
    closing: list[asyncio.Future[None]] = []  # held, so the task is not collected mid-close

    def stop(signum: signal.Signals) -> None:
        # Close cleanly (database included) when the container or the terminal asks.
        stopped_by.append(signum)
        closing.append(asyncio.ensure_future(bot.close()))

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop, signum)
    try:
        async with bot:
            await bot.start(token)
    except Exception as error:
        if stopped_by:
            # Asked to stop while starting: whatever the interrupted start raised (a request
            # cut short: "Connector is closed") is not a failure to report.
            log.debug("stopped while starting", exc_info=True)
            return 128 + stopped_by[0]
        return _start_failed(error)
    # Stopped by a signal: the shell's 128 + its number, never 0, which says "stopped for
    # good". SIGTERM is also how Docker stops containers when its host shuts down: Docker's own
    # start (moby's restore) restarts an `on-failure` container whose status was not 0, while
    # `docker stop` keeps it stopped (restarts skip a container stopped by hand).
    return 128 + stopped_by[0] if stopped_by else 0


def _start_failed(error: Exception) -> int:
    """Say why the bot could not start and return the status; re-raise what is unexpected."""
    import aiohttp
    import discord

    from storage import DatabaseRefusedError

    if isinstance(error, discord.LoginFailure):
        log.debug("Discord refused the token", exc_info=error)
        return _fail(wording.stopped_for_good(wording.LOGIN_REFUSED), STOPPED_FOR_GOOD)
    if isinstance(error, discord.PrivilegedIntentsRequired):
        log.debug("Discord refused the intents", exc_info=error)
        return _fail(wording.stopped_for_good(wording.INTENT_REFUSED), STOPPED_FOR_GOOD)
    if isinstance(error, DatabaseRefusedError):
        return _database_refused(error)
    if isinstance(error, discord.HTTPException):
        log.debug("Discord answered an error", exc_info=error)
        return _fail(wording.discord_failed(error.status, error.text or str(error)), MAY_MEND)
    if isinstance(error, aiohttp.ClientError | OSError | TimeoutError):
        # No network, no DNS, a firewall: aiohttp's connection errors are OSErrors.
        log.debug("could not reach Discord", exc_info=error)
        detail = _said(error) or type(error).__name__
        return _fail(wording.discord_unreachable(detail), MAY_MEND)
    raise error  # main's last line of defence words it (status 1: a restart may mend it)


def _not_logging_in(record: logging.LogRecord) -> bool:
    """Drop discord.py's "logging in" line, and nothing else."""
    return record.msg != "logging in using static token"


def _database_refused(error: DatabaseRefusedError) -> int:
    """End `run` on a refused database: for good, unless another process holds the shards."""
    from storage.shard_claims import ShardsTakenError

    if isinstance(error, ShardsTakenError):
        # The other process may be going away (a redeploy): starting again may succeed.
        return _fail(_refusal(error), MAY_MEND)
    return _fail(wording.stopped_for_good(_refusal(error)), STOPPED_FOR_GOOD)


async def _health(settings: Settings) -> int:
    """Print whether this process's bot is healthy; 0 when it is, 1 when not."""
    from bot.health import check

    verdict = await check(settings)
    print(verdict.line)
    return verdict.status


async def _web(settings: Settings, host: str | None, port: int | None) -> int:
    """Serve the public pages until stopped (Ctrl-C, SIGTERM); a bad address exits 2."""
    from bot.charts.pool import ChartPool
    from bot.clock import system_clock
    from bot.services import Services
    from bot.web.server import public_server
    from storage import Database, current_revision, describe
    from storage.migrate import head_revision, known_revision

    host = host or settings.web_host
    port = port or settings.web_port or WEB_PORT
    location = describe(settings.database_url)
    # Only read: the bot creates and upgrades its database. A page server that did either could
    # make an empty file at a mistyped path, or upgrade the schema under bots of the old version.
    try:
        revision = await current_revision(settings.database_url)
    except Exception as error:
        log.debug("could not open the database", exc_info=True)
        return _fail(wording.database_failed(location, _said(error)), 1)
    if revision is not None and not known_revision(revision):
        # A newer bot upgraded it: this version's bot and `daybook migrate` refuse it too.
        return _fail(wording.database_unknown_revision(location, revision), 2)
    if revision != head_revision():
        return _fail(wording.web_database_not_ready(location, revision, head_revision()), 2)
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
            return _fail(_cannot_listen(host, port, error), 2)
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

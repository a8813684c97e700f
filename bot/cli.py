"""The `daybook` command line: migrate, back up, read a log, and play the offline demo."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings
from bot.log import configure_logging

if TYPE_CHECKING:
    from bot.domain.logparse import LogStats, ParsedLog


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
    backup = commands.add_parser("backup", help="copy the SQLite database consistently, online")
    backup.add_argument("path", type=Path, help="file to write the copy to")
    _add_import_log(commands)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `daybook` command; return its exit status."""
    args = build_parser().parse_args(argv)
    settings = Settings()
    # The demo's story is its transcript; routine INFO lines would drown it.
    demo_level = "WARNING" if "log_level" not in settings.model_fields_set else settings.log_level
    configure_logging(demo_level if args.command == "demo" else settings.log_level)
    if args.command == "demo":
        return _demo(args.out)
    if args.command == "run":
        try:
            token = settings.require_token()
        except ConfigError as error:
            print(f"daybook: {error}", file=sys.stderr)
            return 2
        asyncio.run(_run(settings, token))
        return 0
    if args.command == "migrate":
        from storage import migrate

        revision = asyncio.run(migrate(settings.database_url))
        print(f"Database is at revision {revision}.")
        return 0
    if args.command == "backup":
        return asyncio.run(_backup(settings.database_url, args.path))
    if args.command == "import-log":
        return _import_log(args)
    raise AssertionError(args.command)


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
    from bot.domain.logparse import NotALogError, decode_log, parse_log, summarize_log
    from bot.domain.rules import preset
    from bot.wording.logs import NOT_A_LOG, log_as_dict

    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"daybook: cannot read {args.file}: {error.strerror or error}", file=sys.stderr)
        return 2
    try:
        parsed = parse_log(decode_log(data), year=args.year, start=args.start)
    except NotALogError as error:
        print(f"daybook: {args.file} is not a log: {NOT_A_LOG[error.reason]}", file=sys.stderr)
        return 2
    stats = summarize_log(parsed, preset(args.rules), args.today)
    if args.json:
        print(json.dumps(log_as_dict(parsed, stats), ensure_ascii=False, indent=2))
    else:
        print(_describe_log(args.file.name, parsed, stats, args.rules))
    return 0


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


async def _run(settings: Settings, token: str) -> None:
    """Run the bot until it is stopped (Ctrl-C, or SIGTERM from Docker)."""
    from bot.app import create_bot

    bot = create_bot(settings)
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGTERM, signal.SIGINT):
        # Close cleanly (database included) when the container or the terminal asks.
        loop.add_signal_handler(stop, lambda: asyncio.ensure_future(bot.close()))
    async with bot:
        await bot.start(token)


async def _backup(url: str, path: Path) -> int:
    from storage import Database, backup

    db = await Database.open(url)
    try:
        await backup(db, path)
    finally:
        await db.close()
    print(f"Backed up to {path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

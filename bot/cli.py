"""The `daybook` command line: migrate, back up, and play the offline demo."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.log import configure_logging


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `daybook` command; return its exit status."""
    args = build_parser().parse_args(argv)
    settings = Settings()
    # The demo's story is its transcript; routine INFO lines would drown it.
    demo_level = "WARNING" if "log_level" not in settings.model_fields_set else settings.log_level
    configure_logging(demo_level if args.command == "demo" else settings.log_level)
    if args.command == "demo":
        from bot.demo.runner import run_demo

        transcript = run_demo(args.out)
        print(f"Demo finished. Transcript: {transcript}")
        print(f"Everything the demo wrote is in {transcript.parent.resolve()}/")
        return 0
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
    raise AssertionError(args.command)


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

"""`daybook demo`: play the scripted community through the real bot on a simulated Discord."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path


def _quiet_discord(record: logging.LogRecord) -> bool:
    """Let through discord.py's errors only."""
    return not record.name.startswith("discord") or record.levelno >= logging.ERROR


def run_demo(out: Path, database_url: str | None = None) -> Path:
    """Play the script into a fresh folder `out`; return the transcript's path."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("demo.db*"), *out.glob("*.png"), *out.glob("transcript.md")]:
        stale.unlink()
    # discord.py warns about voice support and simcord's own bookkeeping; the demo's story is
    # its transcript. (A filter, since discord.py's loggers are reconfigured as the bot starts.)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_quiet_discord)
    # Imported here: simcord builds a probe client when imported, which logs those warnings.
    from bot.demo.discord_runner import play_on_simcord

    transcript = asyncio.run(play_on_simcord(out, database_url))
    path = out / "transcript.md"
    path.write_text("\n".join(transcript.lines) + "\n", encoding="utf-8")
    return path

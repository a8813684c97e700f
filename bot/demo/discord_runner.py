"""Play the scripted community through the real bot on a simulated Discord (simcord).

Nothing leaves the machine: simcord runs the real discord.py against an in-memory Discord, the
database is a file in the output folder, and time is the script's own (simulated Discord's clock
dates every interaction, and the bot's clock follows it). The transcript shows what each member
typed and what the bot answered; every picture the bot sent is saved beside it.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.app import create_bot
from bot.clock import FixedClock
from bot.config import Settings
from bot.demo.script import GUILD_ID, MEMBERS, ORGANIZER, Act, Action, build_script
from bot.errors import DaybookError

SHOWN_OPTION = 60
"""Longer option values are cut in the transcript."""

COMMANDS: dict[Act, str] = {
    Act.CREATE: "challenge create",
    Act.JOIN: "join",
    Act.TIMEZONE: "timezone",
    Act.LOG: "log",
    Act.LEAVE: "leave",
    Act.STREAK: "streak",
    Act.WHY: "why",
    Act.PROGRESS: "progress",
    Act.LEADERBOARD: "leaderboard",
}


@dataclass
class DemoTranscript:
    """The demo's story as Markdown, and the pictures it saved."""

    out: Path
    lines: list[str] = field(default_factory=list)
    pictures: list[Path] = field(default_factory=list)

    def heading(self, text: str) -> None:
        """Start a section."""
        self.lines.extend(["", f"## {text}", ""])

    def typed(self, action: Action, command: str, options: dict[str, Any]) -> None:
        """Record what a member typed."""
        shown = " ".join(f"{name}:{_short(value)}" for name, value in options.items())
        stamp = action.at.strftime("%a %d %b %H:%M UTC")
        note = f" — *{action.note}*" if action.note else ""
        typed = f"/{command} {shown}".rstrip()
        self.lines.append(f"- `{stamp}` **{action.member.name}** `{typed}`{note}")

    async def answered(self, result: simcord.InteractionResult, stem: str) -> None:
        """Record the bot's answer: text, embeds, and pictures saved to files."""
        messages = [m for m in (result.response, *result.followups) if m is not None]
        if result.modal is not None:
            self.lines.append(f"  - opens the form “{result.modal['title']}”")
        for message in messages:
            private = " (only they see it)" if message.ephemeral else ""
            if message.content:
                self.lines.append(f"  - bot{private}:")
                self.lines.append(_quote(message.content, indent="  "))
            for embed in message.embeds:
                self.lines.append(f"  - bot{private}, card: **{embed.title or ''}**")
                if embed.description:
                    self.lines.append(_quote(embed.description, indent="    "))
                for item in embed.fields:
                    self.lines.append(f"    - {item.name}: {item.value}")
            for attachment in message.attachments:
                path = self.out / f"{stem}-{attachment.filename}"
                path.write_bytes(await attachment.read())
                self.pictures.append(path)
                self.lines.append(f"  - picture: [{path.name}]({path.name})")


def _short(value: object) -> str:
    text = f"#{value.name}" if isinstance(value, simcord.ChannelHandle) else str(value)
    return f"“{text[:SHOWN_OPTION]}…”" if len(text) > SHOWN_OPTION else text


def _quote(text: str, indent: str = "") -> str:
    return "\n".join(f"{indent}  > {line}".rstrip() for line in text.splitlines())


def _stem(index: int, action: Action) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", action.member.name.lower()).strip("-")
    return f"{index:03d}-{name}-{action.act.value}"


async def play_on_simcord(out: Path) -> DemoTranscript:
    """Play the whole script through the bot on simulated Discord; return the transcript."""
    script = build_script()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{out / 'demo.db'}", dev_guild_id=GUILD_ID
    )
    clock = FixedClock(script[0].at - timedelta(minutes=5))
    transcript = DemoTranscript(out)
    transcript.lines.append("# Daybook demo: a scripted community on a simulated Discord")
    transcript.lines.append("")
    transcript.lines.append(
        "The real bot, the real discord.py, a simulated Discord (simcord): what members typed "
        "and what Daybook answered. Times are UTC; each member posts in their own zone."
    )
    # simcord freezes time.monotonic in the bot's threads, which stalls a process pool's start,
    # so the demo renders its charts on threads.
    charts = ThreadPoolExecutor(2, thread_name_prefix="demo-charts")
    bot = create_bot(settings, clock=clock, chart_executor=charts, run_scheduler=False)
    try:
        async with simcord.run(bot, check_errors=False) as env:
            await env.advance_time((clock() - env.now()).total_seconds())
            guild = env.create_guild("Daybook demo", id=GUILD_ID)
            channel = guild.create_text_channel("progress")
            organizers = guild.create_role(
                "Organizers", permissions=discord.Permissions(manage_guild=True)
            )
            actors = {
                member.user_id: guild.add_member(
                    env.create_user(member.name.split()[0].lower()),
                    roles=[organizers] if member is ORGANIZER else [],
                )
                for member in (ORGANIZER, *MEMBERS)
            }
            await env.settle()
            transcript.heading("What happened")
            for index, action in enumerate(script):
                await env.advance_time(max(0.0, (action.at - env.now()).total_seconds()))
                clock.set(action.at)
                command = COMMANDS[action.act]
                options = _options(action, channel)
                transcript.typed(action, command, options)
                result = await actors[action.member.user_id].slash(channel, command, **options)
                await transcript.answered(result, _stem(index, action))
            unexpected = [error for error in env.errors if not _is_users_mistake(error)]
    finally:
        charts.shutdown(wait=True)
    if unexpected:
        raise RuntimeError(f"the demo hit {len(unexpected)} unexpected error(s): {unexpected!r}")
    return transcript


def _options(action: Action, channel: simcord.ChannelHandle) -> dict[str, Any]:
    options = dict(action.options)
    if action.act is Act.CREATE:
        options["progress_channel"] = channel
    return options


def _is_users_mistake(error: BaseException) -> bool:
    original = getattr(error, "original", error)
    return isinstance(original, DaybookError)

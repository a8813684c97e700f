"""Play the scripted community through the real bot on a simulated Discord (simcord).

Nothing leaves the machine: simcord runs the real discord.py against an in-memory Discord, the
database is a file in the output folder, and time is the script's own (simulated Discord's clock
dates every interaction, and the bot's clock follows it). The transcript shows what each member
typed and what the bot answered; every picture the bot sent is saved beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.app import create_bot
from bot.clock import FixedClock
from bot.config import Settings
from bot.demo.script import (
    GUILD_ID,
    MAYA,
    MEMBERS,
    MILESTONE_ROLE_NAME,
    ORGANIZER,
    START,
    WEEKS,
    Act,
    Action,
    build_script,
    local_day,
)
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
    Act.REMIND: "remind",
    Act.DIGEST_PREVIEW: "digest preview",
    Act.HELP: "help",
    Act.MILESTONE_ROLE: "challenge milestone-role",
    Act.STATS: "challenge stats",
}
TICK = timedelta(minutes=30)
"""How often the demo runs the scheduler's ticks (the bot runs them every minute; the
script's reminders and digests all fall on the hour or half hour)."""
ROLLOVER_HOUR = 4
"""The script's challenge's rollover (its preset's): a post before 04:00 is the day before's."""
DMS_CLOSE_ON = 21
"""The day of the run when Maya closes her DMs (her reminders move to the channel)."""


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

    def public(self, where: str, messages: list[discord.Message]) -> None:
        """Record what the bot said for everyone after a member's action (a check-in)."""
        for message in messages:
            self.lines.append(f"  - {where}, for everyone:")
            self.lines.append(_quote(message.content, indent="  "))

    async def posted(self, at: datetime, where: str, message: discord.Message, stem: str) -> None:
        """Record a message the bot sent on its own (a reminder, a digest)."""
        stamp = at.strftime("%a %d %b %H:%M UTC")
        self.lines.append(f"- `{stamp}` **Daybook** posts {where}:")
        if message.content:
            self.lines.append(_quote(message.content, indent="  "))
        for embed in message.embeds:
            self.lines.append(f"  - card: **{embed.title or ''}**")
            if embed.description:
                self.lines.append(_quote(embed.description, indent="    "))
            for item in embed.fields:
                value = (item.value or "").replace("\n", "; ")
                self.lines.append(f"    - {item.name}: {value}")
        buttons = [
            child.label
            for row in message.components
            for child in getattr(row, "children", [])
            if getattr(child, "label", None)
        ]
        if buttons:
            self.lines.append(f"  - buttons: {', '.join(f'[{label}]' for label in buttons)}")
        for attachment in message.attachments:
            path = self.out / f"{stem}-{attachment.filename}"
            path.write_bytes(await attachment.read())
            self.pictures.append(path)
            self.lines.append(f"  - picture: [{path.name}]({path.name})")


@dataclass
class WeekPlayed:
    """One week of the challenge as played: what members posted and what the bot sent."""

    number: int
    first: date
    last: date
    posts: int = 0
    """Members' /log commands and Log today forms for the week's days (each member's own day,
    which runs to 04:00: a post at 01:30 is the day before's)."""
    reminders: int = 0
    """Members reminded on the week's days (UTC: when the scheduler sent them)."""
    digests: int = 0
    """Digests posted for this week (on the Monday after it)."""


@dataclass(frozen=True)
class SetUp:
    """The days before the challenge's first: the organizer sets it up and members join."""

    first: date
    last: date
    joined: int


class Progress:
    """Counts the demo's weeks as they are played, and tells each once its digest is out."""

    def __init__(
        self,
        script: list[Action],
        on_set_up: Callable[[SetUp], None] | None,
        on_week: Callable[[WeekPlayed], None] | None,
    ) -> None:
        before = [action for action in script if local_day(action.member, action.at) < START]
        self.set_up = SetUp(
            first=min(local_day(action.member, action.at) for action in before)
            if before
            else START,
            last=START - timedelta(days=1),
            joined=sum(1 for action in before if action.act is Act.JOIN),
        )
        self.weeks = [
            WeekPlayed(n + 1, START + timedelta(weeks=n), START + timedelta(weeks=n, days=6))
            for n in range(WEEKS)
        ]
        self._set_up_left = len(before)
        self._on_set_up = on_set_up
        self._on_week = on_week
        self._started = False
        self._told = 0

    def _week_of(self, day: date) -> WeekPlayed | None:
        index = (day - START).days // 7
        return self.weeks[index] if 0 <= index < len(self.weeks) else None

    def action(self, action: Action) -> None:
        """Count an action about to be played (telling the set-up once the first day comes)."""
        day = local_day(action.member, action.at)
        if day < START:
            self._set_up_left -= 1
        elif not self._started and self._set_up_left <= 0:
            # Told once every set-up action is played: in UTC order, an evening in New York
            # before the first day comes after a morning in Tokyo on it.
            self._started = True
            if self._on_set_up is not None:
                self._on_set_up(self.set_up)
        if action.act in (Act.LOG, Act.LOG_TODAY):
            week = self._week_of(local_day(action.member, action.at, ROLLOVER_HOUR))
            if week is not None:
                week.posts += 1

    def tick(self, at: datetime, reminded: int, digests: int) -> None:
        """Count a scheduler tick's sends, and tell the weeks whose digest is out by `at`."""
        week = self._week_of(at.date())
        if week is not None:
            week.reminders += reminded
        # A digest on a Monday is the week that ended the day before.
        digested = self._week_of(at.date() - timedelta(days=1))
        if digested is not None:
            digested.digests += digests
        while self._told < len(self.weeks):
            told = self.weeks[self._told]
            if at < _digest_after(datetime.combine(told.last, time(), UTC)):
                break
            self._tell(told)

    def finish(self) -> None:
        """Tell what was not told yet (nothing, when the script runs to the last digest)."""
        if not self._started:
            self._started = True
            if self._on_set_up is not None:
                self._on_set_up(self.set_up)
        for week in self.weeks[self._told :]:
            self._tell(week)

    def _tell(self, week: WeekPlayed) -> None:
        self._told += 1
        if self._on_week is not None:
            self._on_week(week)


def _short(value: object) -> str:
    if isinstance(value, simcord.ChannelHandle):
        text = f"#{value.name}"
    elif isinstance(value, simcord.RoleHandle):
        text = f"@{value.name}"
    else:
        text = str(value)
    return f"“{text[:SHOWN_OPTION]}…”" if len(text) > SHOWN_OPTION else text


def _quote(text: str, indent: str = "") -> str:
    return "\n".join(f"{indent}  > {line}".rstrip() for line in text.splitlines())


def _stem(index: int, action: Action) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", action.member.name.lower()).strip("-")
    return f"{index:03d}-{name}-{action.act.value}"


async def play_on_simcord(
    out: Path,
    database_url: str | None = None,
    *,
    on_set_up: Callable[[SetUp], None] | None = None,
    on_week: Callable[[WeekPlayed], None] | None = None,
) -> DemoTranscript:
    """Play the whole script through the bot on simulated Discord; return the transcript.

    `on_set_up` is called when the challenge's first day comes, `on_week` when each week's
    digest is out (the Monday after it), for the command line to say how far it is.
    """
    script = build_script()
    progress = Progress(script, on_set_up, on_week)
    # A file in the output folder unless told otherwise (the tests' PostgreSQL run).
    url = database_url or f"sqlite+aiosqlite:///{out / 'demo.db'}"
    settings = Settings(database_url=url, dev_guild_id=GUILD_ID)
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
            digests = guild.create_text_channel("digest")
            organizers = guild.create_role(
                "Organizers", permissions=discord.Permissions(manage_guild=True)
            )
            week_one = guild.create_role(MILESTONE_ROLE_NAME)
            actors = {
                member.user_id: guild.add_member(
                    env.create_user(member.name.split()[0].lower()),
                    roles=[organizers] if member is ORGANIZER else [],
                )
                for member in (ORGANIZER, *MEMBERS)
            }
            await env.settle()
            watch = Watcher(env, transcript, {"in #progress": channel, "in #digest": digests})
            for member in MEMBERS:
                watch.places[f"to {member.name} by DM"] = actors[member.user_id].user.dm_channel
            transcript.heading("What happened")
            ticks = Ticks(bot, clock, env, watch, _next_tick(script[0].at), progress)
            for index, action in enumerate(script):
                await ticks.run_until(action.at)
                progress.action(action)
                if action.at.date() >= START + timedelta(days=DMS_CLOSE_ON) and not ticks.closed:
                    ticks.closed = True
                    dm = actors[MAYA.user_id].user.dm_channel
                    env.inject_error(
                        "POST",
                        f"/channels/{dm.id}/messages",
                        status=403,
                        code=50007,
                        message="Cannot send messages to this user",
                        times=None,
                    )
                    transcript.lines.append(
                        f"- *Maya closes her direct messages (from {action.at:%a %d %b}).*"
                    )
                await env.advance_time(max(0.0, (action.at - env.now()).total_seconds()))
                clock.set(action.at)
                actor = actors[action.member.user_id]
                if action.act is Act.LOG_TODAY:
                    await _log_today(action, actor, watch, transcript, _stem(index, action))
                elif action.act is Act.IMPORT:
                    await _import(action, actor, channel, transcript, _stem(index, action))
                else:
                    command = COMMANDS[action.act]
                    options = _options(action, channel, digests, week_one)
                    transcript.typed(action, command, options)
                    result = await actor.slash(channel, command, **options)
                    await transcript.answered(result, _stem(index, action))
                # The public line a /log leaves in #progress (a check-in or a milestone).
                await env.settle()
                transcript.public("in #progress", watch.fresh("in #progress"))
            # On to the Monday after the last day, for the last weekly digest.
            last_day = datetime.combine(START + timedelta(weeks=WEEKS) - timedelta(days=1), time())
            await ticks.run_until(max(script[-1].at, _digest_after(last_day.replace(tzinfo=UTC))))
            unexpected = [error for error in env.errors if not _is_users_mistake(error)]
            progress.finish()
    finally:
        charts.shutdown(wait=True)
    if unexpected:
        raise RuntimeError(f"the demo hit {len(unexpected)} unexpected error(s): {unexpected!r}")
    return transcript


def _options(
    action: Action,
    channel: simcord.ChannelHandle,
    digests: simcord.ChannelHandle,
    role: simcord.RoleHandle,
) -> dict[str, Any]:
    options = dict(action.options)
    if action.act is Act.CREATE:
        options["progress_channel"] = channel
        options["digest_channel"] = digests
    if action.act is Act.MILESTONE_ROLE:
        options["role"] = role
    return options


def _next_tick(after: datetime) -> datetime:
    """Return the first half hour at or after `after`."""
    tick = after.replace(minute=0, second=0, microsecond=0)
    while tick < after:
        tick += TICK
    return tick


def _digest_after(last: datetime) -> datetime:
    """Return 09:30 UTC on the Monday after `last` (the digest is 09:00 London, GMT or BST)."""
    days = 7 - last.weekday()
    return (last + timedelta(days=days)).replace(hour=9, minute=30, second=0, microsecond=0)


class Watcher:
    """Finds what the bot posted on its own since the last look, and writes it down."""

    def __init__(
        self, env: simcord.Env, transcript: DemoTranscript, places: dict[str, Any]
    ) -> None:
        self.env = env
        self.transcript = transcript
        self.places = places
        self.seen: set[int] = set()
        self.count = 0
        self.latest: dict[str, discord.Message] = {}
        user = env.bot.user
        if user is None:  # pragma: no cover - simcord logs the bot in before anything runs
            raise RuntimeError("the bot is not logged in")
        self.bot_id = user.id

    async def look(self, at: datetime) -> None:
        """Record every new message the bot posted."""
        for where, place in self.places.items():
            for message in place.history():
                if message.id in self.seen:
                    continue
                self.seen.add(message.id)
                if message.author.id != self.bot_id or message.interaction_metadata:
                    continue
                self.count += 1
                self.latest[where] = message
                await self.transcript.posted(at, where, message, f"auto-{self.count:03d}")

    def fresh(self, where: str) -> list[discord.Message]:
        """Return the bot's own new messages in one place (not answers), marking all seen."""
        found = []
        for message in self.places[where].history():
            if message.id in self.seen:
                continue
            self.seen.add(message.id)
            if message.author.id == self.bot_id and not message.interaction_metadata:
                found.append(message)
        return found

    def mark_seen(self) -> None:
        """Treat everything posted so far as seen (answers to commands are recorded as such)."""
        for place in self.places.values():
            self.seen.update(message.id for message in place.history())


class Ticks:
    """Runs the scheduler's two ticks every half hour of simulated time, as the bot would."""

    def __init__(
        self,
        bot: Any,
        clock: FixedClock,
        env: simcord.Env,
        watch: Watcher,
        next_tick: datetime,
        progress: Progress,
    ) -> None:
        self.bot = bot
        self.clock = clock
        self.env = env
        self.watch = watch
        self.next = next_tick
        self.progress = progress
        self.closed = False

    async def run_until(self, until: datetime) -> None:
        """Tick at every half hour up to `until`."""
        while self.next <= until:
            await self.env.advance_time(max(0.0, (self.next - self.env.now()).total_seconds()))
            self.clock.set(self.next)
            self.watch.mark_seen()
            report = await self.bot.tick_reminders()
            digests = await self.bot.tick_digests()
            if report.sent or report.failed or digests:
                await self.env.settle()
                await self.watch.look(self.next)
            self.progress.tick(self.next, report.sent, len(digests))
            self.next += TICK


async def _log_today(
    action: Action,
    actor: Any,
    watch: Watcher,
    transcript: DemoTranscript,
    stem: str,
) -> None:
    """Click Log today on the member's latest reminder in the channel, and fill in the form."""
    reminder = watch.latest["in #progress"]
    stamp = action.at.strftime("%a %d %b %H:%M UTC")
    transcript.lines.append(
        f"- `{stamp}` **{action.member.name}** clicks [Log today] on the reminder — *{action.note}*"
    )
    form = await actor.click(reminder, label="Log today")
    await transcript.answered(form, f"{stem}-form")
    values = {"log:text": action.options["text"], "log:minutes": action.options["minutes"]}
    shown = ", ".join(f"{value}" for value in values.values())
    transcript.lines.append(f"  - fills in: {shown}")
    done = await actor.submit_modal(form, values)
    await transcript.answered(done, stem)


async def _import(
    action: Action,
    actor: Any,
    channel: simcord.ChannelHandle,
    transcript: DemoTranscript,
    stem: str,
) -> None:
    """Attach a log to /import, read the preview, and confirm it."""
    match action.options["attachment"]:
        case (str() as filename, bytes() as data):
            pass
        case other:
            raise TypeError(f"an /import attachment is (file name, bytes), not {other!r}")
    transcript.typed(action, "import", {"attachment": filename})
    preview = await actor.slash(channel, "import", attachment=(filename, data))
    await transcript.answered(preview, f"{stem}-preview")
    buttons = [c for row in preview.response.components for c in row["components"]]
    label = next(button["label"] for button in buttons if button["label"].startswith("Import"))
    transcript.lines.append(f"- **{action.member.name}** clicks [{label}]")
    done = await actor.click(preview.response, label=label)
    await transcript.answered(done, stem)


def _is_users_mistake(error: BaseException) -> bool:
    original = getattr(error, "original", error)
    return isinstance(original, DaybookError)

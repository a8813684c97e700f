"""One Daybook process of a sharded deployment, on its own simulated Discord, driven over pipes.

    python -m tests.multiprocess.child NAME POSTGRES_URL

NAME is a process of `tests.multiprocess.world.PROCESSES`. The child builds the real bot
(`create_bot` with the process's shards, a fixed clock, charts on threads, no scheduler) on a
simcord environment holding every server of the deployment with the same ids as the others
(REST reaches every server; the gateway brings the process only its shards' servers, and
direct messages to shard 0's process), then obeys one JSON command a line on stdin and
answers each with one JSON line on stdout:

    {"op": "setup"}                                  challenges, joins, reminders; their ids
    {"op": "at", "t": ISO}                           move time to t, run the scheduler's tick
    {"op": "log", "guild": G, "user": U}             /log in the server's general channel
    {"op": "dm_log", "user": U, "content": C, "components": [...]}
                                                     the reminder DM as Discord shows it, then
                                                     its "Log today" button and the form
    {"op": "forget", "user": U}                      /forget-me in DMs, then "Delete everything"
    {"op": "board", "guild": G}                      /leaderboard metric:days; its lines
    {"op": "quit"}

Every answer carries the REST requests the bot made since the previous answer (`requests`), so
the parent sees each send as it happens (a process killed later keeps its record), and the
errors the bot logged meanwhile (`errors`). Nothing else is written to stdout: the protocol
has the real stdout to itself, and everything else goes to stderr.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TextIO

import simcord
from simcord.backend.models.user import User

from bot.app import create_bot
from bot.client import DaybookBot
from bot.clock import FixedClock
from bot.config import Settings
from bot.services.settings_input import ChallengeSettingsInput
from tests.multiprocess import world
from tests.multiprocess.world import Server

CHALLENGE_PRESET = "100-days-of-ml-code"
LOG_MINUTES = 60


class ErrorLog(logging.Handler):
    """Keeps the errors the bot logs, for the next answer."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" [{type(error).__name__}: {error}]"
        self.records.append(f"{record.name}: {text}")


def fixed_user(env: simcord.Env, user_id: int, name: str) -> simcord.UserHandle:
    """A simulated user with a chosen id (simcord picks ids itself; a restart needs the same)."""
    backend = env.backend
    user = User(id=backend.reserve_id(user_id), name=name)
    backend.users[user.id] = user
    return simcord.UserHandle(env, user)


def fixed_channel(
    env: simcord.Env, guild: simcord.GuildHandle, name: str, channel_id: int
) -> simcord.ChannelHandle:
    """A text channel with a chosen id: the database keeps channel ids across restarts."""
    backend = env.backend
    backend.reserve_id(channel_id)
    # simcord's builder takes no id: its one snowflake() call returns the reserved one.
    backend.snowflake = lambda: channel_id  # type: ignore[method-assign]
    try:
        return guild.create_text_channel(name)
    finally:
        del backend.snowflake


class Child:
    """The process's bot, its simulated Discord, and the commands it obeys."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.shards = world.PROCESSES[name]
        self.servers = world.servers_of(name)
        self.clock = FixedClock(world.START)
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=url,
            shard_count=world.SHARD_COUNT,
            shard_ids=list(self.shards),
        )
        self.executor = ThreadPoolExecutor(2, thread_name_prefix="charts")
        self.bot = create_bot(
            self.settings, clock=self.clock, chart_executor=self.executor, run_scheduler=False
        )
        # Commands are synced once for the whole deployment (by shard 0's process, and only on
        # a change): each simulated Discord resolves them from the bot's own tree instead.
        self.env = simcord.Env(self.bot, strict_sync=False, check_errors=False)
        self.errors = ErrorLog()
        self.members: dict[tuple[int, int], simcord.MemberActor] = {}
        self.general: dict[int, simcord.ChannelHandle] = {}
        self.users: dict[int, simcord.UserHandle] = {}
        self._seen_requests = 0
        self._seen_errors = 0
        self._seen_bot_errors = 0

    @property
    def daybook(self) -> DaybookBot:
        return self.env.bot  # type: ignore[return-value]

    async def start(self) -> None:
        """Start the bot, then build the deployment's Discord as it is at the week's start."""
        logging.getLogger().addHandler(self.errors)
        await self.env.start()
        await self.env.advance_time((world.START - self.env.now()).total_seconds())
        # Every server, as on Discord: REST reaches them all, while the gateway brings this
        # process only its own shards' servers (simcord routes events by shard) and every DM
        # (shard 0). A process that posts in a server it does not own succeeds, as it would in
        # production, and the parent sees it in the requests.
        for server in world.SERVERS:
            self._build(server)
        await self.env.settle()

    def _build(self, server: Server) -> None:
        guild = self.env.create_guild(server.name, id=server.guild_id)
        self.general[server.guild_id] = fixed_channel(self.env, guild, "general", server.general)
        fixed_channel(self.env, guild, "progress", server.progress)
        fixed_channel(self.env, guild, "digest", server.digest)
        for member in server.members:
            user = self.users.get(member.user_id)
            if user is None:
                user = self.users[member.user_id] = fixed_user(
                    self.env, member.user_id, member.name
                )
            self.members[server.guild_id, member.user_id] = guild.add_member(user)

    # --- commands --------------------------------------------------------------------------

    async def setup(self) -> dict[str, Any]:
        """Create each server's challenge; every member joins and turns reminders on."""
        challenges: dict[str, int] = {}
        for server in self.servers:
            challenge = await self.daybook.services.challenges.create(
                guild_id=server.guild_id,
                settings=ChallengeSettingsInput(
                    name=server.name,
                    preset=CHALLENGE_PRESET,
                    timezone="UTC",
                    progress_channel_id=server.progress,
                    digest_channel_id=server.digest,
                    digest_day=server.digest_day,
                    digest_time=server.digest_time,
                ),
                now=self.env.now(),
            )
            challenges[str(server.guild_id)] = challenge.id
            general = self.general[server.guild_id]
            for member in server.members:
                actor = self.members[server.guild_id, member.user_id]
                joined = await actor.slash(general, "join", timezone="UTC")
                _expect("You joined", joined.response.content)
                reminded = await actor.slash(
                    general, "remind", time=world.REMINDER_TIME, mode=member.reminder_mode
                )
                _expect("I'll remind you", reminded.response.content)
        return {"challenges": challenges}

    async def at(self, moment: datetime) -> dict[str, Any]:
        """Move time to `moment` and run one minute of the scheduler."""
        ahead = (moment - self.env.now()).total_seconds()
        if ahead > 0:
            await self.env.advance_time(ahead)
        self.clock.set(moment)
        await self.daybook.tick()
        await self.env.settle()
        return {}

    async def log(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """Post /log as a member in their server's general channel."""
        actor = self.members[guild_id, user_id]
        done = await actor.slash(
            self.general[guild_id], "log", text="an hour of study", minutes=LOG_MINUTES
        )
        return {"reply": _reply_text(done)}

    async def dm_log(
        self, user_id: int, content: str, components: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Show the member the reminder DM another process sent, and log through its button.

        Discord is one: a DM the owner's process sent is in the member's DMs wherever the
        interaction lands. Each process has its own simulated Discord, so the message is put
        in this one as Discord would show it (it is no send of this process's bot).
        """
        user = self.users[user_id]
        backend = self.env.backend
        channel = backend.get_dm_channel(user_id)
        backend.create_message(
            channel.id, backend.bot_user.id, content, components=components, broadcast=False
        )
        message = user.dm_channel.history()[-1]
        shown = await user.click(message, label="Log today")
        if shown.modal is None:
            return {"reply": _reply_text(shown), "modal": False}
        done = await user.submit_modal(
            shown, {"log:text": "logged from my DMs", "log:minutes": str(LOG_MINUTES)}
        )
        return {"reply": _reply_text(done), "modal": True}

    async def forget(self, user_id: int) -> dict[str, Any]:
        """Run /forget-me in DMs and confirm it."""
        user = self.users[user_id]
        asked = await user.slash("forget-me")
        done = await user.click(asked.response, label="Delete everything")
        return {"reply": _reply_text(done)}

    async def board(self, guild_id: int) -> dict[str, Any]:
        """Ask /leaderboard (days, all time) in the server; return its lines."""
        server = next(s for s in self.servers if s.guild_id == guild_id)
        asker = self.members[guild_id, server.members[0].user_id]
        shown = await asker.slash(self.general[guild_id], "leaderboard", metric="days")
        embeds = [embed for followup in shown.followups for embed in followup.embeds]
        if not embeds:
            return {"lines": None, "reply": _reply_text(shown)}
        return {"lines": (embeds[-1].description or "").splitlines()}

    # --- answers ---------------------------------------------------------------------------

    def news(self) -> dict[str, Any]:
        """The requests and logged errors since the previous answer."""
        requests = self.env.http_requests[self._seen_requests :]
        self._seen_requests += len(requests)
        errors = self.errors.records[self._seen_errors :]
        self._seen_errors += len(errors)
        bot_errors = self.env.errors[self._seen_bot_errors :]
        self._seen_bot_errors += len(bot_errors)
        return {
            "now": self.env.now().isoformat(),
            "requests": [self._request(entry) for entry in requests],
            "errors": errors + [f"{type(e).__name__}: {e}" for e in bot_errors],
        }

    def _request(self, entry: simcord.HttpLogEntry) -> dict[str, Any]:
        body = entry.json if isinstance(entry.json, dict) else {}
        seen: dict[str, Any] = {"method": entry.method, "path": entry.path}
        parts = entry.path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "channels" and parts[1].isdigit():
            channel = self.env.backend.channels.get(int(parts[1]))
            if channel is not None and channel.guild_id is None:
                seen["dm_to"] = list(channel.recipient_ids or [])
        if "content" in body:
            seen["content"] = body.get("content") or ""
        if body.get("components"):
            seen["components"] = body["components"]
            seen["custom_ids"] = _custom_ids(body["components"])
        if body.get("embeds"):
            seen["embed_text"] = "\n".join(_embed_text(embed) for embed in body["embeds"])
        if body.get("recipient_id") is not None:
            seen["recipient_id"] = int(body["recipient_id"])
        return seen


def _custom_ids(components: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for component in components:
        if component.get("custom_id"):
            found.append(component["custom_id"])
        found.extend(_custom_ids(component.get("components") or []))
    return found


def _embed_text(embed: dict[str, Any]) -> str:
    parts = [embed.get("title") or "", embed.get("description") or ""]
    for field in embed.get("fields") or []:
        parts += [field.get("name") or "", field.get("value") or ""]
    parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def _reply_text(result: simcord.InteractionResult) -> str:
    messages = [m for m in (result.response, *result.followups) if m is not None]
    texts = []
    for message in messages:
        texts.append(message.content or "")
        texts.extend(embed.description or "" for embed in message.embeds)
    return "\n".join(texts)


def _expect(wanted: str, got: str) -> None:
    if wanted not in got:
        raise RuntimeError(f"expected {wanted!r} in the reply, got {got!r}")


async def serve(child: Child, requests: TextIO, answers: TextIO) -> None:
    """Obey commands until "quit" or the end of input."""
    loop = asyncio.get_running_loop()
    with child.env.time_context():
        while True:
            line = await loop.run_in_executor(None, requests.readline)
            if not line:
                return
            command = json.loads(line)
            op = command.pop("op")
            answer: dict[str, Any] = {"op": op}
            try:
                if op == "quit":
                    answer.update(child.news())
                    _write(answers, answer | {"ok": True})
                    return
                answer["result"] = await _run(child, op, command)
                answer["ok"] = True
            except Exception as error:
                answer["ok"] = False
                answer["error"] = "".join(traceback.format_exception(error))
            answer.update(child.news())
            _write(answers, answer)


async def _run(child: Child, op: str, command: dict[str, Any]) -> dict[str, Any]:
    if op == "setup":
        return await child.setup()
    if op == "at":
        return await child.at(datetime.fromisoformat(command["t"]))
    if op == "log":
        return await child.log(int(command["guild"]), int(command["user"]))
    if op == "dm_log":
        return await child.dm_log(int(command["user"]), command["content"], command["components"])
    if op == "forget":
        return await child.forget(int(command["user"]))
    if op == "board":
        return await child.board(int(command["guild"]))
    raise ValueError(f"unknown op {op!r}")


def _write(answers: TextIO, answer: dict[str, Any]) -> None:
    answers.write(json.dumps(answer) + "\n")
    answers.flush()


async def main(name: str, url: str) -> None:
    """Start the process's bot and serve the parent until it says quit."""
    # The protocol keeps the real stdout; anything else printed goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    child = Child(name, url)
    try:
        await child.start()
    except Exception as error:
        _write(
            answers,
            {"op": "start", "ok": False, "error": "".join(traceback.format_exception(error))},
        )
        raise
    _write(answers, {"op": "start", "ok": True} | child.news())
    try:
        await serve(child, sys.stdin, answers)
    finally:
        with child.env.time_context():
            await child.env.shutdown()
        child.executor.shutdown(wait=True)


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s"
    )
    asyncio.run(main(sys.argv[1], sys.argv[2]))

"""Three Daybook processes sharing one PostgreSQL through a simulated week (issue 15, item 4).

Each process (tests/multiprocess/child.py, a real OS process) runs two of six shards on its own
simulated Discord holding only its servers; the test drives all three in lockstep, a tick every
30 simulated minutes (time is simulated, never slept), and records every REST request each
bot makes as it happens. Writes for one server arrive through two processes (its owner's
/log, and the "Log today" button of a reminder DM, which reaches shard 0's process). C is
killed with SIGKILL on Thursday evening and started again on the same database three hours
later. What the week's plan (tests/multiprocess/world.py) makes due is worked out from the rules,
not from a run:

- every reminder and every digest due in the week is sent exactly once, by its server's owner;
- no process sends to, or reads, a server it does not own;
- a /forget-me made in one process is honoured by the others at their next read;
- nothing is lost: every post made through either process is stored, and counted on the
  owner's board.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from storage.aio import create_async_engine
from storage.tables import challenges, entries
from tests._postgres import POSTGRES_URL, empty_postgres
from tests.multiprocess import world
from tests.multiprocess.world import DM_WRITER, ROAMER, Server

pytestmark = pytest.mark.postgres_only

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0
"""Seconds for a process to start (import, migrate, build its Discord) and for setup."""
ANSWER_TIMEOUT = 60.0
"""Seconds for any other answer: a tick with digests and charts takes well under one."""
STOP_TIMEOUT = 20.0
"""Seconds for a process to quit when asked, before it is killed."""
REMINDER_MARK = "⏰"
BOARD_LINE = re.compile(r"^\*\*(\d+)\.\*\* (.+) — (\d+) days?$")


class ChildFailedError(AssertionError):
    """A child process did not answer, or answered with an error."""


@dataclass
class Sent:
    """One REST request a process's bot made, and when (simulated time)."""

    process: str
    moment: datetime
    request: dict[str, Any]
    acting_for: int | None = None
    """The server of the interaction the process was answering, if it was answering one."""


class Process:
    """One child process and the pipe protocol to it; every read has a timeout."""

    def __init__(self, name: str, url: str, logs: Path, generation: int) -> None:
        self.name = name
        self.log_path = logs / f"{name}-{generation}.log"
        self._stderr = self.log_path.open("w", encoding="utf-8")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "tests.multiprocess.child", name, url],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def send(self, op: str, **fields: Any) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write(json.dumps({"op": op, **fields}, default=str) + "\n")
        self.popen.stdin.flush()

    def answer(self, timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise ChildFailedError(
                f"{self.name} did not answer in {timeout} s{self._tail()}"
            ) from None
        if line is None:
            raise ChildFailedError(f"{self.name} exited ({self.popen.poll()}){self._tail()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def kill(self) -> None:
        """SIGKILL: no goodbye, nothing flushed, connections dropped."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=30)
        self._stderr.close()

    def stop(self) -> None:
        """Ask the process to quit (its bot and database close); kill it if it does not."""
        try:
            self.send("quit")
            self.popen.wait(timeout=STOP_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def _tail(self) -> str:
        self._stderr.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return f"; its stderr ends:\n{text[-3000:]}"


class Deployment:
    """The three processes, driven in lockstep, and everything their bots did."""

    def __init__(self, url: str, logs: Path) -> None:
        self.url = url
        self.logs = logs
        self.live: dict[str, Process] = {}
        self.generations: dict[str, int] = defaultdict(int)
        self.sent: list[Sent] = []
        self.errors: list[str] = []
        self.challenges: dict[int, int] = {}
        """Challenge id by server id."""
        self.now = world.START

    def start(self, *names: str) -> None:
        """Start processes at once (each migrates the database at start), and wait for them."""
        started = []
        for name in names:
            self.generations[name] += 1
            process = Process(name, self.url, self.logs, self.generations[name])
            self.live[name] = process
            started.append(process)
        for process in started:
            self._take(process, process.answer(START_TIMEOUT))

    def kill(self, name: str) -> None:
        self.live.pop(name).kill()

    def stop_all(self) -> None:
        for name in list(self.live):
            self.live.pop(name).stop()

    def ask(
        self,
        name: str,
        op: str,
        timeout: float = ANSWER_TIMEOUT,
        acting_for: int | None = None,
        **fields: Any,
    ) -> Any:
        """Have a process do one thing; `acting_for` is the server of the interaction, if any."""
        process = self.live[name]
        process.send(op, **fields)
        return self._take(process, process.answer(timeout), acting_for)

    def tick(self, moment: datetime) -> None:
        """Every live process moves to `moment` and ticks, at the same time (one database)."""
        self.now = moment
        for process in self.live.values():
            process.send("at", t=moment.isoformat())
        for process in list(self.live.values()):
            self._take(process, process.answer())

    def _take(self, process: Process, answer: dict[str, Any], acting_for: int | None = None) -> Any:
        moment = datetime.fromisoformat(answer["now"]) if "now" in answer else self.now
        for request in answer.get("requests", []):
            self.sent.append(Sent(process.name, moment, request, acting_for))
        self.errors.extend(f"{process.name}: {error}" for error in answer.get("errors", []))
        if not answer.get("ok"):
            raise ChildFailedError(
                f"{process.name} failed {answer.get('op')}: {answer.get('error')}"
            )
        return answer.get("result")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    asyncio.run(empty_postgres(POSTGRES_URL))
    running = Deployment(POSTGRES_URL, tmp_path)
    try:
        yield running
    finally:
        running.stop_all()


# --- reading what the bots sent --------------------------------------------------------------


def channel_of(request: dict[str, Any]) -> int | None:
    parts = request["path"].strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "channels" and parts[1].isdigit():
        return int(parts[1])
    return None


def guild_in_path(request: dict[str, Any]) -> int | None:
    parts = request["path"].strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "guilds" and parts[1].isdigit():
        return int(parts[1])
    return None


def is_message(request: dict[str, Any]) -> bool:
    return (
        request["method"] == "POST"
        and re.fullmatch(r"/channels/\d+/messages", request["path"]) is not None
    )


def challenge_in(request: dict[str, Any]) -> int | None:
    for custom_id in request.get("custom_ids", []):
        found = re.fullmatch(r"remind:log:(\d+)", custom_id)
        if found:
            return int(found[1])
    return None


def server_by_id(guild_id: int) -> Server:
    return next(server for server in world.SERVERS if server.guild_id == guild_id)


def about_server(sent: Sent, challenge_servers: dict[int, int]) -> int | None:
    """The server a request is about, when it names one (a channel, a guild, a challenge)."""
    request = sent.request
    channel = channel_of(request)
    if channel is not None:
        server = world.server_of_channel(channel)
        if server is not None:
            return server.guild_id
    guild = guild_in_path(request)
    if guild is not None:
        return guild
    challenge = challenge_in(request)
    if challenge is not None:
        return challenge_servers.get(challenge)
    return None


def reminders(
    deployment: Deployment, challenge_servers: dict[int, int]
) -> dict[tuple[int, int, date], list[str]]:
    """Who tried to remind whom of which day: (server, member, day) -> the processes."""
    found: dict[tuple[int, int, date], list[str]] = defaultdict(list)
    for sent in deployment.sent:
        request = sent.request
        if not is_message(request) or not request.get("content", "").startswith(REMINDER_MARK):
            continue
        day = world.local_day(sent.moment)
        if "dm_to" in request or channel_of(request) not in {s.progress for s in world.SERVERS}:
            challenge = challenge_in(request)
            guild = challenge_servers.get(challenge) if challenge is not None else None
            for user in request.get("dm_to", [request.get("recipient_id")]):
                found[guild or 0, user or 0, day].append(sent.process)
            continue
        server = world.server_of_channel(channel_of(request) or 0)
        assert server is not None
        for user in re.findall(r"<@!?(\d+)>", request["content"]):
            found[server.guild_id, int(user), day].append(sent.process)
    return found


def board_rows(lines: list[str] | None) -> dict[str, int]:
    rows: dict[str, int] = {}
    for line in lines or []:
        matched = BOARD_LINE.match(line)
        if matched:
            rows[matched[2]] = int(matched[3])
    return rows


async def stored_days(url: str) -> dict[tuple[int, int], list[date]]:
    """Every stored post's day, by (server, member), read straight from PostgreSQL."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                sa.select(challenges.c.guild_id, entries.c.user_id, entries.c.local_day)
                .select_from(entries.join(challenges, challenges.c.id == entries.c.challenge_id))
                .order_by(entries.c.local_day)
            )
            rows = result.all()
    finally:
        await engine.dispose()
    days: dict[tuple[int, int], list[date]] = defaultdict(list)
    for guild_id, user_id, day in rows:
        days[guild_id, user_id].append(day)
    return days


# --- the week ----------------------------------------------------------------------------------


def test_a_week_of_three_processes_on_one_postgres(deployment: Deployment) -> None:
    problems: list[str] = []
    boards: dict[str, dict[str, int]] = {}

    def board(label: str, guild_id: int) -> dict[str, int]:
        owner = server_by_id(guild_id).owner
        result = deployment.ask(owner, "board", acting_for=guild_id, guild=guild_id)
        rows = board_rows(result["lines"])
        boards[label] = rows
        return rows

    # All three at once on an empty database, as a deployment starts.
    deployment.start(*world.PROCESSES)
    for name in world.PROCESSES:
        result = deployment.ask(name, "setup", timeout=START_TIMEOUT)
        deployment.challenges.update(
            {int(guild): challenge for guild, challenge in result["challenges"].items()}
        )
    challenge_servers = {challenge: guild for guild, challenge in deployment.challenges.items()}
    assert len(challenge_servers) == len(world.SERVERS)

    dm_logged: list[date] = []
    writer_server = world.DM_WRITER_SERVER
    moment = world.START
    while moment < world.END:
        moment += world.STEP
        if moment == world.RESTART_AT:
            deployment.start(world.KILLED)
        seen = len(deployment.sent)
        deployment.tick(moment)

        if moment.hour == world.LOG_HOUR and moment.minute == 0:
            for server in world.SERVERS:
                for member in server.members:
                    if member.logs_in_server(moment.date()):
                        deployment.ask(
                            server.owner,
                            "log",
                            acting_for=server.guild_id,
                            guild=server.guild_id,
                            user=member.user_id,
                        )

        if moment == world.FORGET_AT:
            for server in world.ROAMER_SERVERS:
                rows = board(f"before-forget-{server.name}", server.guild_id)
                assert ROAMER.name in rows, f"the roamer is on {server.name}'s board: {rows}"
            deployment.ask(world.DM_PROCESS, "forget", user=ROAMER.user_id)
            for server in world.ROAMER_SERVERS:
                rows = board(f"after-forget-{server.name}", server.guild_id)
                if ROAMER.name in rows:
                    problems.append(
                        f"{server.owner} still ranks the roamer on {server.name}'s board after "
                        f"/forget-me in {world.DM_PROCESS}: {rows}"
                    )

        # The DM writer's reminder: on a DM-log day, log through its button, in A's process.
        for sent in deployment.sent[seen:]:
            request = sent.request
            if (
                is_message(request)
                and request.get("dm_to") == [DM_WRITER.user_id]
                and request.get("content", "").startswith(REMINDER_MARK)
                and world.local_day(sent.moment) in world.DM_LOG_DAYS
                and world.local_day(sent.moment) not in dm_logged
            ):
                day = world.local_day(sent.moment)
                owner_up = writer_server.owner in deployment.live
                before = board(f"before-dm-{day}", writer_server.guild_id) if owner_up else {}
                result = deployment.ask(
                    world.DM_PROCESS,
                    "dm_log",
                    acting_for=writer_server.guild_id,
                    user=DM_WRITER.user_id,
                    content=request["content"],
                    components=request["components"],
                )
                dm_logged.append(day)
                if not result.get("modal"):
                    problems.append(f"Log today in DMs on {day} opened no form: {result}")
                if not owner_up:
                    continue  # only when another process sent the reminder: counted below
                after = board(f"after-dm-{day}", writer_server.guild_id)
                if after.get(DM_WRITER.name) != len(dm_logged):
                    problems.append(
                        f"{writer_server.owner}'s board after the DM log of {day} shows the "
                        f"writer with {after.get(DM_WRITER.name)} days, not {len(dm_logged)} "
                        f"(before it: {before.get(DM_WRITER.name)})"
                    )

        if moment == world.KILL_AT:
            deployment.kill(world.KILLED)

    final = {
        server.guild_id: board(f"final-{server.name}", server.guild_id) for server in world.SERVERS
    }
    deployment.stop_all()

    # 1. No process sends to, or touches, a server it does not own, save the server of an
    # interaction it answers (a DM's "Log today" for another shard's server reaches A, which
    # records the post and may post its public check-in line: REST reaches every server).
    for sent in deployment.sent:
        guild = about_server(sent, challenge_servers)
        if (
            guild is not None
            and server_by_id(guild).owner != sent.process
            and guild != sent.acting_for
        ):
            problems.append(
                f"{sent.process} at {sent.moment:%a %H:%M} touched {server_by_id(guild).name} "
                f"(owned by {server_by_id(guild).owner}): {sent.request['method']} "
                f"{sent.request['path']}"
            )
        elif guild is None and channel_of(sent.request) is not None and "dm_to" not in sent.request:
            problems.append(
                f"{sent.process} at {sent.moment:%a %H:%M} used a channel it does not have: "
                f"{sent.request['method']} {sent.request['path']}"
            )

    # 2. Every reminder due in the week, once, by its owner; no other reminder.
    due = {
        (server.guild_id, member.user_id, day): server.owner
        for server in world.SERVERS
        for member in server.members
        for day in member.reminded_days()
    }
    tried = reminders(deployment, challenge_servers)
    for key, owner in sorted(due.items()):
        if tried.get(key) != [owner]:
            problems.append(
                f"reminder {_key(key)}: sent by {tried.get(key, [])}, not once by {owner}"
            )
    for key, senders in sorted(tried.items()):
        if key not in due:
            problems.append(f"reminder {_key(key)} was not due, yet sent by {senders}")

    # 3. Every digest, once, by its owner, naming members it knows.
    for server in world.SERVERS:
        posted = [
            sent
            for sent in deployment.sent
            if is_message(sent.request) and channel_of(sent.request) == server.digest
        ]
        senders = [sent.process for sent in posted]
        if senders != [server.owner]:
            problems.append(
                f"digest of {server.name}: sent by {senders}, not once by {server.owner}"
            )
        for sent in posted:
            if sent.moment < server.digest_moment():
                problems.append(f"digest of {server.name} posted early, at {sent.moment}")
            if "a former member" in sent.request.get("embed_text", ""):
                problems.append(f"digest of {server.name} by {sent.process} names a former member")

    # 4. Nothing lost: every post stored, and counted on the owner's final board.
    stored = asyncio.run(stored_days(deployment.url))
    for server in world.SERVERS:
        for member in server.members:
            expected = list(member.counted_days())
            if stored.get((server.guild_id, member.user_id), []) != expected:
                problems.append(
                    f"{member.name} in {server.name}: stored days "
                    f"{stored.get((server.guild_id, member.user_id), [])}, expected {expected}"
                )
            shown = final[server.guild_id].get(member.name)
            if expected and shown != len(expected):
                problems.append(
                    f"{member.name} in {server.name}: {shown} days on the final board, "
                    f"expected {len(expected)}"
                )
        if ROAMER.name in final[server.guild_id]:
            problems.append(f"the forgotten roamer is on {server.name}'s final board")
    if dm_logged != list(world.DM_LOG_DAYS):
        problems.append(f"the DM writer logged through DMs on {dm_logged}, not {world.DM_LOG_DAYS}")

    errors = sorted(set(deployment.errors))
    if errors:
        problems.append(f"{len(deployment.errors)} errors logged, {len(errors)} distinct:")
        problems.extend(f"  {error[:300]}" for error in errors[:15])
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def _key(key: tuple[int, int, date]) -> str:
    guild, user, day = key
    server = next((s for s in world.SERVERS if s.guild_id == guild), None)
    member = next((m for s in world.SERVERS for m in s.members if m.user_id == user), None)
    return f"{server.name if server else guild}/{member.name if member else user}/{day:%a %d}"

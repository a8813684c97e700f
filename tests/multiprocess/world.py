"""The deployment the three-process test runs: servers, members, what they do, and when.

Plain data, shared by the parent test (which derives what is due from it) and the child
runner (which builds its part of simulated Discord from it). Every id is fixed here, so a
process restarted mid-week rebuilds the same servers, channels and members, and a member has
the same id in every process's simulated Discord.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum

SHARD_COUNT = 6
PROCESSES: dict[str, tuple[int, ...]] = {"A": (0, 1), "B": (2, 3), "C": (4, 5)}
"""Which shards each process runs; A runs shard 0, so direct messages reach A."""
DM_PROCESS = "A"

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
"""Monday 2 March, 06:00 UTC: everyone's Monday has begun (the presets roll over at 04:00)."""
END = START + timedelta(days=7)
"""Monday 9 March, 06:00 UTC: after Sunday's reminders, before Monday's."""
DAYS = tuple(START.date() + timedelta(days=n) for n in range(7))
"""The members' local days of the week, Monday 2 to Sunday 8 March (everyone lives in UTC)."""
STEP = timedelta(minutes=30)
ROLLOVER_HOUR = 4
"""The preset's rollover: a post before 04:00 counts for the day before."""
REMINDER_TIME = "20:30"
LOG_HOUR = 9
"""Members who log do it at 09:00, well before their reminder."""

KILLED = "C"
KILL_AT = datetime(2026, 3, 5, 19, 0, tzinfo=UTC)
"""Thursday 19:00: C is killed (SIGKILL) after its tick, before its reminders and a digest."""
RESTART_AT = datetime(2026, 3, 5, 22, 0, tzinfo=UTC)
"""Thursday 22:00: C starts again on the same database and catches up."""
FORGET_AT = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
"""Wednesday 12:00: the roamer runs /forget-me in direct messages (A's process)."""
DM_LOG_DAYS = (date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 6))
"""The DM writer logs through the reminder's "Log today" in DMs on Tuesday, Thursday and Friday."""

_GUILD_BASE_MS = 120_000_000_000  # a 2018 timestamp, far from anything simcord allocates in 2026
_USER_BASE_MS = 130_000_000_000
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Habit(Enum):
    """How a member takes part over the week."""

    STEADY = "steady"
    """Logs every day at 09:00 in the server."""
    ALTERNATE = "alternate"
    """Logs at 09:00 on Monday, Wednesday, Friday and Sunday."""
    IDLE = "idle"
    """Never logs."""
    ROAMER = "roamer"
    """Logs every day in two servers (of B and C) until /forget-me, then is gone."""
    DM_WRITER = "dm-writer"
    """Never logs in the server; logs from the reminder's DM button (handled by A) some days."""


@dataclass(frozen=True)
class Member:
    """One member of one server."""

    user_id: int
    name: str
    habit: Habit
    reminder_mode: str
    """"channel" or "dm"."""

    def logs_in_server(self, day: date) -> bool:
        """Whether the member posts /log in the server on `day` (at 09:00)."""
        if self.habit is Habit.STEADY:
            return True
        if self.habit is Habit.ALTERNATE:
            return day.weekday() % 2 == 0
        if self.habit is Habit.ROAMER:
            return day <= FORGET_AT.date()
        return False

    def counted_days(self) -> tuple[date, ...]:
        """The days of the week that count for the member by the week's end."""
        if self.habit is Habit.ROAMER:
            return ()  # forgotten
        if self.habit is Habit.DM_WRITER:
            return DM_LOG_DAYS
        return tuple(day for day in DAYS if self.logs_in_server(day))

    def reminded_days(self) -> tuple[date, ...]:
        """The days the member is due a reminder: their day does not count at 20:30."""
        if self.habit is Habit.ROAMER:
            return ()  # logs at 09:00 while a member, and is gone afterwards
        # The DM writer logs only after the reminder, from its button.
        return tuple(day for day in DAYS if not self.logs_in_server(day))


@dataclass(frozen=True)
class Server:
    """One server (a Discord guild) running one challenge."""

    guild_id: int
    shard: int
    name: str
    digest_day: str
    digest_time: str
    members: tuple[Member, ...]

    @property
    def owner(self) -> str:
        """The process running this server's shard."""
        return next(name for name, shards in PROCESSES.items() if self.shard in shards)

    @property
    def general(self) -> int:
        return self.guild_id + 1

    @property
    def progress(self) -> int:
        return self.guild_id + 2

    @property
    def digest(self) -> int:
        return self.guild_id + 3

    @property
    def organizer(self) -> int:
        return self.guild_id + 4

    @property
    def channels(self) -> tuple[int, ...]:
        return (self.general, self.progress, self.digest)

    def digest_moment(self) -> datetime:
        """When this week's digest is due (every challenge runs in UTC)."""
        day = DAYS[_WEEKDAYS.index(self.digest_day)]
        hour, minute = map(int, self.digest_time.split(":"))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _guild_id(shard: int, index: int) -> int:
    milliseconds = _GUILD_BASE_MS + SHARD_COUNT * index + shard  # base is a multiple of 6
    return milliseconds << 22


def _user_id(n: int) -> int:
    return (_USER_BASE_MS + n) << 22


ROAMER = Member(_user_id(0), "roamer", Habit.ROAMER, "channel")
DM_WRITER = Member(_user_id(1), "writer", Habit.DM_WRITER, "dm")

# Digests spread over the week, so some fall before C's kill, one while it is down (Thursday
# 21:00, caught up at the restart) and some after.
_DIGESTS = {
    (0, 0): ("Tuesday", "18:30"),
    (0, 1): ("Saturday", "18:30"),
    (1, 0): ("Wednesday", "18:30"),
    (1, 1): ("Sunday", "18:30"),
    (2, 0): ("Thursday", "18:30"),
    (2, 1): ("Friday", "18:30"),
    (3, 0): ("Tuesday", "21:00"),
    (3, 1): ("Saturday", "21:00"),
    (4, 0): ("Tuesday", "18:30"),
    (4, 1): ("Thursday", "21:00"),
    (5, 0): ("Friday", "09:30"),
    (5, 1): ("Sunday", "18:30"),
}


def _servers() -> tuple[Server, ...]:
    servers: list[Server] = []
    n = 2
    for shard in range(SHARD_COUNT):
        for index in range(2):
            tag = f"s{shard}{index}"
            members = [
                Member(_user_id(n), f"{tag}-steady", Habit.STEADY, "channel"),
                Member(_user_id(n + 1), f"{tag}-alternate", Habit.ALTERNATE, "channel"),
                Member(
                    _user_id(n + 2), f"{tag}-idle", Habit.IDLE, "dm" if index == 0 else "channel"
                ),
            ]
            n += 3
            if (shard, index) in ((2, 0), (4, 0)):
                members.append(ROAMER)
            if (shard, index) == (4, 1):
                members.append(DM_WRITER)
            day, at = _DIGESTS[shard, index]
            servers.append(
                Server(_guild_id(shard, index), shard, f"Club {tag}", day, at, tuple(members))
            )
    return tuple(servers)


SERVERS = _servers()
ROAMER_SERVERS = tuple(s for s in SERVERS if ROAMER in s.members)
DM_WRITER_SERVER = next(s for s in SERVERS if DM_WRITER in s.members)


def servers_of(process: str) -> tuple[Server, ...]:
    """The servers a process owns."""
    return tuple(server for server in SERVERS if server.owner == process)


def server_of_channel(channel_id: int) -> Server | None:
    """The server a channel belongs to, if it is one of the deployment's."""
    return next((s for s in SERVERS if channel_id in s.channels), None)


def local_day(moment: datetime) -> date:
    """The day a moment belongs to for a member in UTC, with the preset's 04:00 rollover."""
    return (moment - timedelta(hours=ROLLOVER_HOUR)).date()

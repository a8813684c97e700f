"""A week of scheduled sends under random faults and restarts, on simcord.

Three servers, each with a challenge, channel and direct-message reminders at several times a
day, and a weekly digest. Every scheduled send may fail (a seeded random generator decides):
transiently (a 503, a response lost after Discord created the message, the process cancelled
before or after the request) or permanently (403 50013 or 404 10003 in a channel, 403 50278 in
a direct message). The process restarts after every cancel and at random ticks: a new bot over
the same database. Then:

- every unit that met a passing failure is sent, exactly once (messages counted in simcord's
  channels and DMs, per member and day, and per nonce in the Discord model);
- no refused unit is tried again;
- every unit that met no fault went out in the tick it was due, or the one after a restart;
- no unit is lost: every reminder and digest due in the week is settled.

The bot ticks as production does, every minute, except that minutes in which nothing can be
due are skipped: it ticks at every reminder time and digest moment, every four hours,
and in each minute a failed send's backoff ends.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
import simcord
import sqlalchemy as sa

from bot.domain.models import ReminderMode
from bot.services.digests import DIGEST
from bot.services.reminders import REMINDER
from bot.services.settings_input import ChallengeSettingsInput
from storage import SendStatus
from storage.tables import send_ledger
from tests.cogs.conftest import GUILD_ID, START, World
from tests.cogs.discord_model import CANCEL_AFTER, CANCEL_BEFORE, LOSE, DiscordModel

FAULTS_UNTIL = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)
"""Faults are injected for a week; then an hour of healthy ticks lets the last retries land."""
END = FAULTS_UNTIL + timedelta(hours=1, minutes=30)
ROLLOVER = timedelta(hours=4)
"""The presets' day starts at 04:00: a message sent at 01:00 belongs to the day before."""
TIMES = (time(7, 0), time(12, 30), time(20, 30), time(22, 15))
DIGEST_MOMENTS = (
    datetime(2026, 3, 8, 18, 30, tzinfo=UTC),  # Sundays at 18:30, two clubs
    datetime(2026, 3, 9, 9, 0, tzinfo=UTC),  # Mondays at 09:00, the third
)
MENTION = re.compile(r"<@!?(\d+)>")

P_TRANSIENT = 0.12
P_PERMANENT = 0.03
P_CANCEL = 0.015
P_RESTART = 0.01
TRANSIENT = ("503:0", LOSE)
REFUSED = ("403:50013", "404:10003", "403:50278")


@dataclass
class Server:
    guild_id: int
    progress: simcord.ChannelHandle
    digest: simcord.ChannelHandle
    members: list[tuple[simcord.MemberActor, time, ReminderMode]] = field(default_factory=list)
    challenge_id: int = 0


@dataclass
class Faults:
    """Decides each send's fate; a unit that met a passing failure is never refused later."""

    rng: random.Random
    channels: set[int]
    direct: set[int]
    enabled: bool = True
    troubled: set[str] = field(default_factory=set)
    """Nonces that met a passing failure."""

    def __call__(self, channel: int, nonce: str | None) -> str | None:
        if not self.enabled or nonce is None or channel not in self.channels | self.direct:
            return None
        roll = self.rng.random()
        if roll < P_CANCEL:
            self.troubled.add(nonce)
            return self.rng.choice((CANCEL_BEFORE, CANCEL_AFTER))
        roll -= P_CANCEL
        if roll < P_TRANSIENT:
            self.troubled.add(nonce)
            return self.rng.choice(TRANSIENT)
        roll -= P_TRANSIENT
        if roll < P_PERMANENT and nonce not in self.troubled:
            return "403:50278" if channel in self.direct else self.rng.choice(REFUSED[:2])
        return None


async def build(world: World) -> tuple[list[Server], list[tuple[datetime, int, int]]]:
    """Three servers; the first is the world's. Members remind at TIMES, by channel or DM.

    Returns the servers, and the posts their loggers will make: (when, server, user).
    """
    servers: list[Server] = []
    logs: list[tuple[datetime, int, int]] = []
    bot = world.bot
    for n in range(3):
        if n == 0:
            guild, guild_id = world.guild, GUILD_ID
        else:
            guild_id = GUILD_ID + 1000 * n
            guild = world.env.create_guild(f"Server {n}", id=guild_id)
        progress = guild.create_text_channel(f"progress-{n}")
        digest = guild.create_text_channel(f"digest-{n}")
        organizer = guild.add_member(world.env.create_user(f"organizer-{n}"))
        members = [guild.add_member(world.env.create_user(f"member-{n}-{i}")) for i in range(5)]
        logger = guild.add_member(world.env.create_user(f"logger-{n}"))
        await world.env.settle()
        weekday, at = ("Sunday", "18:30") if n < 2 else ("Monday", "09:00")
        challenge = await bot.services.challenges.create(
            guild_id=guild_id,
            settings=ChallengeSettingsInput(
                name=f"Club {n}",
                timezone="UTC",
                progress_channel_id=progress.id,
                digest_channel_id=digest.id,
                digest_day=weekday,
                digest_time=at,
            ),
            now=START,
            organizer_id=organizer.id,
        )
        server = Server(guild_id, progress, digest, challenge_id=challenge.id)
        for i, member in enumerate(members):
            when = TIMES[i % len(TIMES)]
            mode = ReminderMode.DM if i % 2 else ReminderMode.CHANNEL
            await bot.services.participants.join(
                guild_id=guild_id, user_id=member.id, timezone="UTC", now=START
            )
            await bot.services.reminders.set_reminder(
                guild_id=guild_id, user_id=member.id, challenge=None, reminder_time=when, mode=mode
            )
            server.members.append((member, when, mode))
        await bot.services.participants.join(
            guild_id=guild_id, user_id=logger.id, timezone="UTC", now=START
        )
        # The logger posts on Wednesdays (so each digest has news) and is never reminded.
        for wednesday in (date(2026, 3, 4), date(2026, 3, 11)):
            moment = datetime.combine(wednesday, time(10), UTC)
            if moment < FAULTS_UNTIL:
                logs.append((moment, guild_id, logger.id))
        servers.append(server)
    return servers, sorted(logs)


async def earliest_retry(world: World) -> datetime | None:
    """Return when the first failed send may be retried (its backoff's end)."""
    statement = sa.select(sa.func.min(send_ledger.c.next_attempt_at)).where(
        send_ledger.c.status == SendStatus.FAILED.value
    )
    async with world.bot.database.read() as repos:
        return (await repos.sends._connection.execute(statement)).scalar_one_or_none()


async def ledger_rows(world: World) -> list[sa.Row]:
    async with world.bot.database.read() as repos:
        result = await repos.sends._connection.execute(sa.select(send_ledger))
        return list(result)


def unit_day(moment: datetime) -> date:
    return (moment - ROLLOVER).date()


@pytest.mark.parametrize("seed", [11, 2026])
async def test_a_week_of_faults_and_restarts_loses_and_doubles_nothing(
    world: World, monkeypatch, seed: int
) -> None:
    rng = random.Random(seed)  # noqa: S311 (fault injection, not secrets)
    servers, pending_logs = await build(world)
    model = DiscordModel(world.env).install(monkeypatch)
    channels = {s.progress.id for s in servers} | {s.digest.id for s in servers}
    direct = {
        m.user.dm_channel.id for s in servers for m, _, mode in s.members if mode.value == "dm"
    }
    faults = Faults(rng, channels, direct)
    model.decide = faults

    schedule = sorted(
        {
            moment
            for day in range(9)
            for moment in (
                *(
                    datetime.combine(START.date() + timedelta(days=day), when, UTC)
                    for when in TIMES
                ),
                *(START.replace(hour=0) + timedelta(days=day, hours=h) for h in range(0, 24, 4)),
            )
            if START <= moment <= END
        }
        | {DIGEST_MOMENTS[0], DIGEST_MOMENTS[1]}
        | {when for when, _, _ in pending_logs}
    )
    ticks: list[datetime] = []
    restarts: list[datetime] = []
    moment = START
    while moment <= END:
        await world.at(moment)
        while pending_logs and pending_logs[0][0] <= moment:
            _, guild_id, user_id = pending_logs.pop(0)
            await world.bot.services.entries.record(
                guild_id=guild_id, user_id=user_id, text="an hour of work", minutes=60, at=moment
            )
        faults.enabled = moment <= FAULTS_UNTIL
        cancelled = False
        try:
            await world.bot.tick()
        except asyncio.CancelledError:
            cancelled = True
        ticks.append(moment)
        if cancelled or (faults.enabled and rng.random() < P_RESTART):
            await world.restart()
            restarts.append(moment)
        following = next((at for at in schedule if at > moment), END + timedelta(days=1))
        retry = await earliest_retry(world)
        if retry is not None:
            minute = retry.replace(second=0, microsecond=0)
            if minute < retry:
                minute += timedelta(minutes=1)
            following = min(following, max(minute, moment + timedelta(minutes=1)))
        moment = following

    await world.env.settle()
    rows = await ledger_rows(world)
    users = {m.id: (server, when, mode) for server in servers for m, when, mode in server.members}
    participants: dict[str, int] = {}
    for user_id, (server, _, _) in users.items():
        mine = await world.bot.services.participants.mine(
            guild_id=server.guild_id, user_id=user_id, challenge=None
        )
        participants[f"participant:{mine.id}"] = user_id

    # Messages per member and day: channel reminders by mention, direct ones by recipient.
    received: Counter[tuple[int, date]] = Counter()
    first_seen: dict[tuple[int, date], datetime] = {}
    for server in servers:
        for message in server.progress.history():
            for user_id in MENTION.findall(message.content):
                key = (int(user_id), unit_day(message.created_at))
                received[key] += 1
                first_seen.setdefault(key, message.created_at)
    for user_id, (_, _, mode) in users.items():
        if mode is ReminderMode.DM:
            member = next(m for s in servers for m, _, _ in s.members if m.id == user_id)
            for message in member.user.dm_channel.history():
                key = (user_id, unit_day(message.created_at))
                received[key] += 1
                first_seen.setdefault(key, message.created_at)

    # Nothing was doubled: Discord created at most one message per nonce, and nobody got two
    # reminders for a day.
    doubled = {n for n, count in model.created.items() if count > 1}
    assert not doubled, [
        (a.at.isoformat(), a.channel_id, a.outcome) for a in model.attempts if a.nonce in doubled
    ]
    assert max(received.values()) == 1

    # No refused send was tried again.
    attempts_by_nonce: dict[str, list[str]] = defaultdict(list)
    for attempt in model.attempts:
        if attempt.nonce is not None:
            attempts_by_nonce[attempt.nonce].append(attempt.outcome)
    refused_nonces = 0
    for outcomes in attempts_by_nonce.values():
        for n, outcome in enumerate(outcomes):
            if outcome in REFUSED:
                refused_nonces += 1
                assert n == len(outcomes) - 1, outcomes

    # Every reminder due in the week is settled: sent once, or refused (and never retried).
    reminders = {
        (participants[row.target], date.fromisoformat(row.period)): row
        for row in rows
        if row.kind == REMINDER
    }
    refused_at: dict[int, datetime] = {}
    for (user_id, day), row in reminders.items():
        assert row.status in (SendStatus.SENT.value, SendStatus.SKIPPED.value), row
        if row.status == SendStatus.SENT.value:
            assert received[(user_id, day)] == 1, (user_id, day)
        else:
            assert received[(user_id, day)] == 0
            assert row.attempts == 1  # refused on its one try (or with its message's first)
            if users[user_id][2] is ReminderMode.DM:
                refused_at[user_id] = min(refused_at.get(user_id, END), row.updated_at)
    expected: set[tuple[int, date]] = set()
    for user_id, (_, when, _) in users.items():
        day = START.date()
        while datetime.combine(day, when, UTC) <= ticks[-1]:
            # A time already past on the first day is due at once (they joined after it).
            due = max(START, datetime.combine(day, when, UTC))
            if due <= refused_at.get(user_id, END):
                expected.add((user_id, day))
            day += timedelta(days=1)
    assert set(reminders) == expected

    # Units that met no fault went out in the tick they were due, or the one after a restart.
    on_time = 0
    for (user_id, day), row in reminders.items():
        if row.status != SendStatus.SENT.value or row.attempts != 1:
            continue
        due = max(START, datetime.combine(day, users[user_id][1], UTC))
        sent_at = first_seen[(user_id, day)]
        # Every tick from the one it was due in up to the one that sent it ended in a restart.
        between = [tick for tick in ticks if due <= tick < sent_at]
        assert all(tick in restarts for tick in between), (user_id, day, sent_at, between)
        assert sent_at in ticks
        on_time += 1

    # Digests: each week's is posted once or refused once; none lost.
    digests = [row for row in rows if row.kind == DIGEST]
    # Sunday 8 March (ISO week 10) for two clubs, Monday 9 March (week 11) for the third.
    weeks = ["2026-W10", "2026-W10", "2026-W11"]
    for server, week in zip(servers, weeks, strict=True):
        [row] = [r for r in digests if r.target == f"challenge:{server.challenge_id}"]
        assert row.period == week
        posted = len(server.digest.history())
        assert (row.status, posted) in ((SendStatus.SENT.value, 1), (SendStatus.SKIPPED.value, 0))

    # The run exercised what it claims to.
    outcomes = Counter(a.outcome for a in model.attempts)
    assert outcomes["503:0"] > 0
    assert outcomes[LOSE] > 0
    assert outcomes["returned"] > 0
    assert refused_nonces > 0
    assert restarts
    assert on_time > 50

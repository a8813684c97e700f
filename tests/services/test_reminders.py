"""Reminders and nudges on real storage, driven tick by tick by an injected clock.

The transport is a recorder: what reaches Discord is tested on simcord (tests/cogs). Expected
instants on DST nights are written by hand from the 2026 tz database transitions:

- America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
- Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
- Australia/Lord_Howe: 2026-04-05 02:00 (+11) -> 01:30 (+10:30); 2026-10-04 02:00 -> 02:30.
- Asia/Kolkata: +05:30 all year.

The presets' day starts at 04:00, so a reminder at 02:30 belongs to the day before.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.domain import calendar
from bot.domain.models import AdjustmentKind, Challenge, ReminderMode
from bot.errors import InvalidInputError
from bot.services import Services
from bot.services.delivery import ChannelMessage, DeliveryError, DmsClosedError
from bot.services.reminders import NUDGE, REMINDER, DueMember
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from storage import Database, SendStatus, migrate
from tests._postgres import POSTGRES_URL, reset_postgres
from tests.services.conftest import GUILD, make_challenge

TICK = timedelta(minutes=15)
PROGRESS = 555


@dataclass
class Sent:
    at: datetime
    kind: str
    user_id: int
    how: str


@dataclass
class Recorder:
    """A transport that keeps what it was asked to send, and fails when told to."""

    clock: FixedClock
    per_message: int = 3
    closed_dms: set[int] = field(default_factory=set)
    failing: int = 0
    """How many of the next sends fail with a server error."""
    yield_on_send: bool = False
    sent: list[Sent] = field(default_factory=list)
    messages: list[ChannelMessage] = field(default_factory=list)

    def pack(
        self, challenge: Challenge, kind: str, members: Sequence[DueMember]
    ) -> list[tuple[DueMember, ...]]:
        return [
            tuple(members[i : i + self.per_message])
            for i in range(0, len(members), self.per_message)
        ]

    async def turn(self, challenge: Challenge, member: DueMember | None) -> None:
        await asyncio.sleep(0)

    async def _maybe_fail(self) -> None:
        if self.yield_on_send:
            await asyncio.sleep(0)
        if self.failing:
            self.failing -= 1
            raise DeliveryError("503 Service Unavailable")

    async def to_channel(self, message: ChannelMessage) -> None:
        await self._maybe_fail()
        self.messages.append(message)
        for member in message.members:
            self.sent.append(Sent(self.clock(), message.kind, member.user_id, "channel"))

    async def to_member(self, challenge: Challenge, kind: str, member: DueMember) -> None:
        if member.user_id in self.closed_dms:
            raise DmsClosedError("50007")
        await self._maybe_fail()
        self.sent.append(Sent(self.clock(), kind, member.user_id, "dm"))


@dataclass(frozen=True)
class Member:
    user_id: int
    zone: str
    at: time
    mode: ReminderMode = ReminderMode.CHANNEL
    logs_at_noon: bool = False


# Each zone: an evening time, a time in the hour its spring change skips, one in the hour its
# autumn change repeats.
MEMBERS = [
    Member(3001, "America/New_York", time(20, 0)),
    Member(3002, "America/New_York", time(2, 30), ReminderMode.DM),
    Member(3003, "America/New_York", time(1, 30)),
    Member(3004, "Europe/Berlin", time(20, 0), ReminderMode.DM),
    Member(3005, "Europe/Berlin", time(2, 30)),
    Member(3006, "Australia/Lord_Howe", time(20, 0)),
    Member(3007, "Australia/Lord_Howe", time(2, 15), ReminderMode.DM),
    Member(3008, "Australia/Lord_Howe", time(1, 45)),
    Member(3009, "Asia/Kolkata", time(20, 0)),
    Member(3010, "Asia/Kolkata", time(2, 30), ReminderMode.DM),
    Member(3011, "Europe/Berlin", time(20, 0), logs_at_noon=True),
    Member(3012, "Asia/Kolkata", time(21, 0), ReminderMode.DM, logs_at_noon=True),
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class World:
    """A challenge with the members above, on a database that can be closed and reopened."""

    def __init__(self, url: str, start: datetime) -> None:
        self.url = url
        self.clock = FixedClock(start)
        self.transport = Recorder(self.clock)
        self.db: Database | None = None
        self.services: Services | None = None
        self.logged: set[tuple[Member, date]] = set()

    async def open(self) -> Services:
        self.db = await Database.open(self.url)
        self.services = Services.build(self.db)
        return self.services

    async def restart(self) -> None:
        assert self.db is not None
        await self.db.close()
        await self.open()

    async def close(self) -> None:
        if self.db is not None:
            await self.db.close()

    async def setup(self, members: Sequence[Member] = MEMBERS) -> Challenge:
        services = await self.open()
        challenge = await make_challenge(
            services, self.clock, progress_channel_id=PROGRESS, timezone="UTC"
        )
        await self.enrol(services, members)
        return challenge

    async def enrol(self, services: Services, members: Sequence[Member]) -> None:
        """Join each member to the guild's challenge with their reminder set."""
        for member in members:
            await services.participants.join(
                guild_id=GUILD, user_id=member.user_id, timezone=member.zone, now=self.clock()
            )
            await services.reminders.set_reminder(
                guild_id=GUILD,
                user_id=member.user_id,
                challenge=None,
                reminder_time=member.at,
                mode=member.mode,
            )

    async def tick(self) -> None:
        assert self.services is not None
        await self.services.delivery.run(self.clock(), self.transport)

    async def log_noon_posts(self, members: Sequence[Member]) -> None:
        """Members who log at noon post at the first tick after their local noon."""
        assert self.services is not None
        now = self.clock()
        for member in members:
            today = local_day(member, now)
            noon = datetime.combine(today, time(12), ZoneInfo(member.zone))
            if member.logs_at_noon and now >= noon and (member, today) not in self.logged:
                self.logged.add((member, today))
                await self.services.entries.record(
                    guild_id=GUILD,
                    user_id=member.user_id,
                    text="Read https://arxiv.org/abs/1706.03762",
                    minutes=60,
                    at=now,
                )

    async def run(
        self, until: datetime, *, restarts: random.Random | None = None, members=MEMBERS
    ) -> None:
        while self.clock() <= until:
            await self.log_noon_posts(members)
            await self.tick()
            if restarts is not None and restarts.random() < 0.3:
                await self.restart()
            self.clock.advance(TICK)


@pytest.fixture
async def url(tmp_path) -> str:
    if POSTGRES_URL:
        return await reset_postgres(POSTGRES_URL)
    return f"sqlite+aiosqlite:///{tmp_path / 'daybook.db'}"


async def simulate(url: str, start: datetime, end: datetime, seed: int | None = None) -> World:
    await migrate(url)
    world = World(url, start)
    try:
        await world.setup()
        await world.run(end, restarts=None if seed is None else random.Random(seed))  # noqa: S311 - a seeded test schedule
    finally:
        await world.close()
    return world


def local_day(member: Member, at: datetime) -> date:
    return calendar.local_day(at, ZoneInfo(member.zone), 4)


def reminders_by_day(world: World, member: Member) -> Counter[date]:
    return Counter(
        local_day(member, sent.at)
        for sent in world.transport.sent
        if sent.user_id == member.user_id and sent.kind == REMINDER
    )


def assert_once_a_day(world: World, start: datetime, end: datetime) -> None:
    for member in MEMBERS:
        counts = reminders_by_day(world, member)
        if member.logs_at_noon:
            assert counts == Counter(), member
            continue
        first, last = local_day(member, start), local_day(member, end)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        # Every whole day in the run is reminded exactly once; the last may not be due yet.
        assert all(counts[day] == 1 for day in days[:-1]), (member, counts)
        assert counts[days[-1]] <= 1, (member, counts)
        assert set(counts) <= set(days), (member, counts)


def sent_at(world: World, user_id: int, day_of_send: date) -> list[datetime]:
    return [
        sent.at
        for sent in world.transport.sent
        if sent.user_id == user_id and sent.kind == REMINDER and sent.at.date() == day_of_send
    ]


# Around each 2026 transition: from noon UTC the day before to noon UTC the day after.
TRANSITIONS = {
    "new-york-spring": (utc(2026, 3, 7, 12), utc(2026, 3, 9, 12)),
    "berlin-spring": (utc(2026, 3, 28, 12), utc(2026, 3, 30, 12)),
    "lord-howe-autumn": (utc(2026, 4, 4, 0), utc(2026, 4, 6, 0)),
    "lord-howe-spring": (utc(2026, 10, 3, 0), utc(2026, 10, 5, 0)),
    "berlin-autumn": (utc(2026, 10, 24, 12), utc(2026, 10, 26, 12)),
    "new-york-autumn": (utc(2026, 10, 31, 12), utc(2026, 11, 2, 12)),
}

# (window, member, the UTC instants their reminders went out on the transition night)
DST_NIGHTS = [
    # 02:30 does not exist on 8 March in New York: the first instant after the gap, 03:00 EDT.
    ("new-york-spring", 3002, date(2026, 3, 8), [utc(2026, 3, 8, 7, 0)]),
    # 01:30 is before the change: EST.
    ("new-york-spring", 3003, date(2026, 3, 8), [utc(2026, 3, 8, 6, 30)]),
    # 02:30 does not exist on 29 March in Berlin: 03:00 CEST.
    ("berlin-spring", 3005, date(2026, 3, 29), [utc(2026, 3, 29, 1, 0)]),
    # 01:45 happens twice on 5 April at Lord Howe: the first, at +11.
    ("lord-howe-autumn", 3008, date(2026, 4, 4), [utc(2026, 4, 4, 14, 45)]),
    # 02:15 does not exist on 4 October at Lord Howe: 02:30 at +11.
    ("lord-howe-spring", 3007, date(2026, 10, 3), [utc(2026, 10, 3, 15, 30)]),
    # 02:30 happens twice on 25 October in Berlin: the first, in CEST.
    ("berlin-autumn", 3005, date(2026, 10, 25), [utc(2026, 10, 25, 0, 30)]),
    # 01:30 happens twice on 1 November in New York: the first, in EDT.
    ("new-york-autumn", 3003, date(2026, 11, 1), [utc(2026, 11, 1, 5, 30)]),
    # Kolkata keeps 20:00 = 14:30 UTC whatever the others do.
    ("new-york-autumn", 3009, date(2026, 11, 1), [utc(2026, 11, 1, 14, 30)]),
]


@pytest.mark.parametrize("window", sorted(TRANSITIONS))
async def test_each_member_is_reminded_once_per_local_day_across_a_dst_change(url, window):
    start, end = TRANSITIONS[window]

    world = await simulate(url, start, end)

    assert_once_a_day(world, start, end)
    for name, user_id, day, instants in DST_NIGHTS:
        if name == window:
            assert sent_at(world, user_id, day) == instants, (user_id, day)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_restarts_at_random_ticks_lose_and_double_nothing(url, seed):
    start, end = TRANSITIONS["berlin-autumn"]
    steady = await simulate(url, start, end)
    if POSTGRES_URL:
        await reset_postgres(POSTGRES_URL)
    else:
        url = url.replace("daybook.db", f"restarted-{seed}.db")

    restarted = await simulate(url, start, end, seed=seed)

    def key(sent: Sent) -> tuple[datetime, str, int, str]:
        return (sent.at, sent.kind, sent.user_id, sent.how)

    assert sorted(map(key, restarted.transport.sent)) == sorted(map(key, steady.transport.sent))
    assert_once_a_day(restarted, start, end)


async def test_a_member_who_logged_before_their_reminder_time_is_not_reminded(url):
    await migrate(url)
    # Kolkata 17:00 (11:30 UTC); the reminder is at 20:00 (14:30 UTC).
    world = World(url, utc(2026, 3, 2, 11, 30))
    ada = Member(3101, "Asia/Kolkata", time(20, 0))
    raj = Member(3102, "Asia/Kolkata", time(20, 0))
    try:
        await world.setup([ada, raj])
        assert world.services is not None
        await world.services.entries.record(
            guild_id=GUILD,
            user_id=ada.user_id,
            text="Finished chapter 3: https://github.com/ada/notes",
            minutes=60,
            at=world.clock(),
        )
        await world.run(utc(2026, 3, 2, 15, 0), members=[ada, raj])
    finally:
        await world.close()

    assert [(s.user_id, s.at) for s in world.transport.sent] == [
        (raj.user_id, utc(2026, 3, 2, 14, 30))
    ]


async def an_hour_a_day(services: Services, world: World, members: Sequence[Member]) -> None:
    """A custom challenge asking 60 minutes a day, the members joined with their reminders on."""
    await make_challenge(services, world.clock, preset="custom", progress_channel_id=PROGRESS)
    proposed = await services.organizers.propose_edit(
        guild_id=GUILD,
        organizer_id=1,
        challenge=None,
        settings=ChallengeSettingsInput(),
        rules=RulesInput(min_minutes=60),
        now=world.clock(),
    )
    applied = await services.organizers.confirm_edit(
        guild_id=GUILD, pending_id=proposed.id, organizer_id=1, now=world.clock()
    )
    assert applied.after.rules.min_minutes == 60
    await world.enrol(services, members)


async def test_a_post_that_does_not_qualify_yet_still_earns_the_reminder(url):
    await migrate(url)
    world = World(url, utc(2026, 3, 2, 11, 30))
    ada = Member(3101, "Asia/Kolkata", time(20, 0))
    try:
        services = await world.open()
        await an_hour_a_day(services, world, [ada])
        await services.entries.record(
            guild_id=GUILD, user_id=ada.user_id, text="Short session", minutes=20, at=world.clock()
        )
        await world.run(utc(2026, 3, 2, 15, 0), members=[ada])
    finally:
        await world.close()

    assert [(s.user_id, s.at, s.how) for s in world.transport.sent] == [
        (ada.user_id, utc(2026, 3, 2, 14, 30), "channel")
    ]


async def test_a_day_that_already_counts_is_not_reminded_and_a_short_one_is(url):
    await migrate(url)
    world = World(url, utc(2026, 3, 2, 11, 30))
    unstated = Member(3101, "Asia/Kolkata", time(20, 0))
    counted = Member(3102, "Asia/Kolkata", time(20, 0))
    short = Member(3103, "Asia/Kolkata", time(20, 0))
    try:
        services = await world.open()
        await an_hour_a_day(services, world, [unstated, counted, short])
        # Minutes left out are taken at the member's word: the day counts.
        await services.entries.record(
            guild_id=GUILD, user_id=unstated.user_id, text="Read a paper", at=world.clock()
        )
        # An organizer counted the day: nothing to post.
        await services.organizers.adjust(
            guild_id=GUILD,
            organizer_id=1,
            member_id=counted.user_id,
            day=date(2026, 3, 2),
            kind=AdjustmentKind.COUNT,
            reason="logged elsewhere",
            challenge=None,
            now=world.clock(),
        )
        # 20 minutes of the 60 the rules ask: the day is still open.
        await services.entries.record(
            guild_id=GUILD, user_id=short.user_id, text="Short", minutes=20, at=world.clock()
        )
        await world.run(utc(2026, 3, 2, 15, 0), members=[unstated, counted, short])
    finally:
        await world.close()

    assert [s.user_id for s in world.transport.sent] == [short.user_id]


async def one_day(url: str, members: Sequence[Member], **challenge_settings) -> World:
    """A world on 2 March 2026 at 14:30 UTC (20:00 in Kolkata), set up but not ticked."""
    await migrate(url)
    world = World(url, utc(2026, 3, 2, 14, 30))
    services = await world.open()
    settings = {"progress_channel_id": PROGRESS, **challenge_settings}
    await make_challenge(services, world.clock, **settings)
    for member in members:
        await services.participants.join(
            guild_id=GUILD, user_id=member.user_id, timezone=member.zone, now=world.clock()
        )
        await services.reminders.set_reminder(
            guild_id=GUILD,
            user_id=member.user_id,
            challenge=None,
            reminder_time=member.at,
            mode=member.mode,
        )
    return world


KOLKATA = [Member(3200 + n, "Asia/Kolkata", time(20, 0)) for n in range(7)]


async def test_two_ticks_running_at_once_send_each_reminder_once(url):
    world = await one_day(url, KOLKATA)
    world.transport.yield_on_send = True
    try:
        assert world.services is not None
        await asyncio.gather(world.tick(), world.tick(), world.tick())
        await world.tick()
    finally:
        await world.close()

    reminded = Counter(sent.user_id for sent in world.transport.sent)
    assert reminded == Counter({member.user_id: 1 for member in KOLKATA})


async def test_a_failed_send_is_retried_on_the_next_tick(url):
    world = await one_day(url, KOLKATA[:2])
    world.transport.failing = 1  # a 5xx on the first message
    try:
        await world.tick()
        assert world.transport.sent == []
        assert world.db is not None
        async with world.db.read() as repos:
            statuses = {
                await repos.sends.status(REMINDER, f"participant:{pid}", "2026-03-02")
                for pid in (1, 2)
            }
        assert statuses == {SendStatus.FAILED}

        world.clock.advance(timedelta(minutes=1))
        await world.tick()
        await world.tick()
    finally:
        await world.close()

    assert sorted((s.user_id, s.at) for s in world.transport.sent) == [
        (KOLKATA[0].user_id, utc(2026, 3, 2, 14, 31)),
        (KOLKATA[1].user_id, utc(2026, 3, 2, 14, 31)),
    ]


async def test_closed_dms_move_the_member_to_the_channel_for_good(url):
    closed = Member(3301, "Asia/Kolkata", time(20, 0), ReminderMode.DM)
    open_dm = Member(3302, "Asia/Kolkata", time(20, 0), ReminderMode.DM)
    world = await one_day(url, [closed, open_dm])
    world.transport.closed_dms.add(closed.user_id)
    try:
        await world.tick()
        world.clock.advance(timedelta(days=1))
        await world.tick()
        assert world.services is not None
        mine = await world.services.participants.mine(
            guild_id=GUILD, user_id=closed.user_id, challenge=None
        )
    finally:
        await world.close()

    assert mine.reminder_mode is ReminderMode.CHANNEL
    # Reminded in the channel the same day the DM failed, and there from then on.
    assert [(s.user_id, s.how, s.at.date()) for s in world.transport.sent] == [
        (open_dm.user_id, "dm", date(2026, 3, 2)),
        (closed.user_id, "channel", date(2026, 3, 2)),
        (open_dm.user_id, "dm", date(2026, 3, 3)),
        (closed.user_id, "channel", date(2026, 3, 3)),
    ]


async def test_channel_reminders_go_out_as_few_messages_as_fit(url):
    world = await one_day(url, KOLKATA)
    world.transport.per_message = 3
    try:
        await world.tick()
    finally:
        await world.close()

    assert [len(message.members) for message in world.transport.messages] == [3, 3, 1]


async def test_rest_days_and_challenges_without_a_channel_send_nothing(url):
    # 2026-03-07 is a Saturday; x-days rules have no rest days, so use a custom rest day.
    world = await one_day(url, KOLKATA[:1])
    try:
        assert world.services is not None
        proposed = await world.services.organizers.propose_edit(
            guild_id=GUILD,
            organizer_id=1,
            challenge=None,
            settings=ChallengeSettingsInput(),
            rules=RulesInput(rest_weekdays="Monday"),
            now=world.clock(),
        )
        await world.services.organizers.confirm_edit(
            guild_id=GUILD, pending_id=proposed.id, organizer_id=1, now=world.clock()
        )
        await world.tick()  # Monday 2 March: a rest day
    finally:
        await world.close()

    assert world.transport.sent == []


async def test_a_reminder_in_the_channel_needs_a_progress_channel(url):
    await migrate(url)
    world = World(url, utc(2026, 3, 2, 12))
    try:
        services = await world.open()
        await make_challenge(services, world.clock)
        for user_id in (3401, 3402):
            await services.participants.join(guild_id=GUILD, user_id=user_id, now=world.clock())
        with pytest.raises(InvalidInputError, match="no progress channel"):
            await services.reminders.set_reminder(
                guild_id=GUILD,
                user_id=3401,
                challenge=None,
                reminder_time=time(20, 0),
                mode=ReminderMode.CHANNEL,
            )
        # With no mode given, the first reminder goes to direct messages.
        _, participant = await services.reminders.set_reminder(
            guild_id=GUILD, user_id=3401, challenge=None, reminder_time=time(20, 0), mode=None
        )
        with pytest.raises(InvalidInputError, match="reminder time"):
            await services.reminders.set_reminder(
                guild_id=GUILD,
                user_id=3402,
                challenge=None,
                reminder_time=None,
                mode=ReminderMode.DM,
            )
    finally:
        await world.close()

    assert (participant.reminder_mode, participant.reminder_time) == (ReminderMode.DM, time(20))


async def test_nudges_go_to_streaks_of_three_or_more_at_risk_hours_before_the_day_ends(url):
    # Kolkata with a 04:00 rollover: 2 March ends at 22:30 UTC; 3 hours before is 19:30 UTC.
    keen = Member(3501, "Asia/Kolkata", time(20, 0))
    fresh = Member(3502, "Asia/Kolkata", time(20, 0))
    await migrate(url)
    world = World(url, utc(2026, 2, 26, 6, 0))
    try:
        services = await world.open()
        await make_challenge(
            services, world.clock, preset="x-days-of-ml-code", progress_channel_id=PROGRESS
        )
        proposed = await services.organizers.propose_edit(
            guild_id=GUILD,
            organizer_id=1,
            challenge=None,
            settings=ChallengeSettingsInput(nudge_hours=3),
            rules=RulesInput(),
            now=world.clock(),
        )
        await services.organizers.confirm_edit(
            guild_id=GUILD, pending_id=proposed.id, organizer_id=1, now=world.clock()
        )
        for member in (keen, fresh):
            await services.participants.join(
                guild_id=GUILD, user_id=member.user_id, timezone=member.zone, now=world.clock()
            )
            await services.reminders.set_reminder(
                guild_id=GUILD,
                user_id=member.user_id,
                challenge=None,
                reminder_time=member.at,
                mode=ReminderMode.CHANNEL,
            )
        # keen logs 26 February to 1 March (a 4-day streak); fresh only 1 March.
        for _ in range(4):
            await services.entries.record(
                guild_id=GUILD, user_id=keen.user_id, text="studied", at=world.clock()
            )
            world.clock.advance(timedelta(days=1))
        world.clock.advance(timedelta(days=-1))
        await services.entries.record(
            guild_id=GUILD, user_id=fresh.user_id, text="studied", at=world.clock()
        )
        world.clock.set(utc(2026, 3, 2, 14, 0))
        await world.run(utc(2026, 3, 2, 22, 0), members=[])
    finally:
        await world.close()

    assert [(s.kind, s.user_id, s.at) for s in world.transport.sent] == [
        (REMINDER, keen.user_id, utc(2026, 3, 2, 14, 30)),
        (REMINDER, fresh.user_id, utc(2026, 3, 2, 14, 30)),
        (NUDGE, keen.user_id, utc(2026, 3, 2, 19, 30)),
    ]
    assert [m.members[0].streak for m in world.transport.messages if m.kind == NUDGE] == [4]

"""Every scheduled unit on its own, on real storage: one broken reminder, digest or checkpoint
refresh among healthy ones leaves the healthy ones served in the same tick; failed sends back
off; refused ones are settled for good; abandoned and cancelled claims are taken over.

What reaches Discord is tested on simcord (tests/cogs/test_contained_delivery.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.delivery import Refusal
from bot.domain.models import Challenge, ReminderMode
from bot.services import Services
from bot.services import reminders as reminders_module
from bot.services.delivery import ChannelMessage
from bot.services.digests import DIGEST, Digest, digest_target
from bot.services.failures import (
    FIRST_RETRY,
    LONGEST_RETRY,
    DeliveryError,
    SendRefusedError,
    next_attempt,
    nonce_of,
)
from bot.services.progress import CHECKPOINT_KIND
from bot.services.reminders import REMINDER, DueMember
from bot.services.send_ledger import Notice
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from storage import Database, SendStatus
from storage.repositories.sends import STALE_CLAIM
from tests.services.conftest import ADA, GUILD, MAYA, ORGANIZER, RAJ

OTHER_GUILD = 1002
PROGRESS, OTHER_PROGRESS = 555, 556
EVENING = datetime(2026, 3, 2, 20, 31, tzinfo=UTC)  # Monday
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@dataclass
class Transport:
    """A recording transport: some members, challenges or channels fail as told."""

    broken_users: set[int] = field(default_factory=set)
    broken_packing: set[int] = field(default_factory=set)
    refusing_channels: set[int] = field(default_factory=set)
    dms: list[int] = field(default_factory=list)
    posts: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    kinds: list[tuple[str, int]] = field(default_factory=list)

    def pack(
        self, challenge: Challenge, kind: str, members: Sequence[DueMember]
    ) -> list[tuple[DueMember, ...]]:
        if challenge.id in self.broken_packing:
            raise KeyError("a presenter bug")
        return [tuple(members)]

    async def turn(self, challenge: Challenge, member: DueMember | None) -> None:
        await asyncio.sleep(0)

    async def to_channel(self, message: ChannelMessage) -> None:
        channel = message.challenge.progress_channel_id
        assert channel is not None
        if channel in self.refusing_channels:
            raise SendRefusedError(
                Refusal.MISSING_PERMISSIONS, "403 50013: Missing Permissions", channel_id=channel
            )
        self.posts.append((channel, tuple(m.user_id for m in message.members)))
        self.kinds.extend((message.kind, m.user_id) for m in message.members)

    async def to_member(self, challenge: Challenge, kind: str, member: DueMember) -> None:
        if member.user_id in self.broken_users:
            raise RuntimeError("something unexpected")
        self.dms.append(member.user_id)


async def two_servers(services: Services, clock: FixedClock) -> tuple[Challenge, Challenge]:
    """ML Club (Ada by DM, Raj in the channel) and Data Club (Maya in the channel)."""
    clock.set(T0)
    ml = await services.challenges.create(
        guild_id=GUILD,
        settings=ChallengeSettingsInput(
            name="ML Club", timezone="UTC", progress_channel_id=PROGRESS
        ),
        now=clock(),
        organizer_id=ORGANIZER,
    )
    data = await services.challenges.create(
        guild_id=OTHER_GUILD,
        settings=ChallengeSettingsInput(
            name="Data Club", timezone="UTC", progress_channel_id=OTHER_PROGRESS
        ),
        now=clock(),
    )
    for guild, user, mode in (
        (GUILD, ADA, ReminderMode.DM),
        (GUILD, RAJ, ReminderMode.CHANNEL),
        (OTHER_GUILD, MAYA, ReminderMode.CHANNEL),
    ):
        await services.participants.join(guild_id=guild, user_id=user, timezone="UTC", now=clock())
        await services.reminders.set_reminder(
            guild_id=guild, user_id=user, challenge=None, reminder_time=time(20, 30), mode=mode
        )
    return ml, data


async def status_of(db: Database, kind: str, target: str, period: str):
    async with db.read() as repos:
        return await repos.sends.status(kind, target, period)


# --- reminders: one broken unit among healthy ones ---------------------------------------


async def test_a_direct_message_that_raises_leaves_everyone_else_reminded(
    services: Services, clock: FixedClock
) -> None:
    await two_servers(services, clock)
    transport = Transport(broken_users={ADA})

    report = await services.delivery.run(EVENING, transport)

    assert sorted(transport.posts) == [(PROGRESS, (RAJ,)), (OTHER_PROGRESS, (MAYA,))]
    assert (report.sent, report.failed) == (2, 1)


async def test_a_challenge_whose_messages_cannot_be_built_leaves_the_others_reminded(
    services: Services, clock: FixedClock, caplog
) -> None:
    ml, _ = await two_servers(services, clock)
    transport = Transport(broken_packing={ml.id})

    report = await services.delivery.run(EVENING, transport)

    assert transport.dms == [ADA]  # ML Club's direct messages are their own units
    assert transport.posts == [(OTHER_PROGRESS, (MAYA,))]
    assert report.sent == 2
    assert f"challenge {ml.id} (guild {GUILD})" in caplog.text


async def test_a_refused_channel_is_settled_recorded_once_and_not_retried(
    services: Services, clock: FixedClock, database: Database
) -> None:
    ml, _ = await two_servers(services, clock)
    transport = Transport(refusing_channels={PROGRESS})

    first = await services.delivery.run(EVENING, transport)
    again = await services.delivery.run(EVENING + timedelta(minutes=5), transport)

    assert (first.refused, first.sent) == (1, 2)  # Raj refused; Ada's DM and Maya served
    assert again.refused == again.sent == 0
    raj = await services.participants.mine(guild_id=GUILD, user_id=RAJ, challenge=None)
    assert await status_of(database, REMINDER, f"participant:{raj.id}", "2026-03-02") is (
        SendStatus.SKIPPED
    )
    [notice] = await services.problems.claim_untold(EVENING)
    assert (notice.challenge.id, notice.problem.channel_id) == (ml.id, PROGRESS)
    assert notice.organizer_id == ORGANIZER
    assert await services.problems.claim_untold(EVENING) == []  # told once, ever

    # The organizer edits the channel: the problem is gone.
    proposed = await services.organizers.propose_edit(
        guild_id=GUILD,
        organizer_id=RAJ,
        challenge=None,
        settings=ChallengeSettingsInput(progress_channel_id=PROGRESS + 100),
        rules=RulesInput(),
        now=EVENING,
    )
    await services.organizers.confirm_edit(
        guild_id=GUILD, pending_id=proposed.id, organizer_id=RAJ, now=EVENING
    )
    assert await services.problems.of_challenge(ml.id) == []
    async with database.read() as repos:
        assert await repos.problems.organizer(ml.id) == RAJ  # the last to edit it


async def test_a_challenge_whose_streaks_cannot_be_walked_leaves_the_other_nudged(
    services: Services, clock: FixedClock, monkeypatch
) -> None:
    start = datetime(2026, 2, 26, 10, 0, tzinfo=UTC)
    clubs = []
    for guild, channel, user in ((GUILD, PROGRESS, ADA), (OTHER_GUILD, OTHER_PROGRESS, MAYA)):
        clubs.append(
            await services.challenges.create(
                guild_id=guild,
                settings=ChallengeSettingsInput(
                    name="Club",
                    preset="x-days-of-ml-code",
                    timezone="UTC",
                    progress_channel_id=channel,
                    nudge_hours=3,
                ),
                now=start,
            )
        )
        await services.participants.join(guild_id=guild, user_id=user, timezone="UTC", now=start)
        await services.reminders.set_reminder(
            guild_id=guild,
            user_id=user,
            challenge=None,
            reminder_time=time(23, 0),
            mode=ReminderMode.CHANNEL,
        )
        for day in range(4):  # 26 February to 1 March: a streak of four at risk on 2 March
            await services.entries.record(
                guild_id=guild, user_id=user, text="studied", at=start + timedelta(days=day)
            )
    real_walk = reminders_module.walk_all

    async def broken_for_the_first(repos, challenge, participants, now):  # type: ignore[no-untyped-def]
        if challenge.id == clubs[0].id:
            raise RuntimeError("a history that will not walk")
        return await real_walk(repos, challenge, participants, now)

    monkeypatch.setattr(reminders_module, "walk_all", broken_for_the_first)
    transport = Transport()

    # 2 March ends at 04:00 UTC on 3 March (the preset's rollover): nudges from 01:00.
    await services.delivery.run(datetime(2026, 3, 3, 1, 1, tzinfo=UTC), transport)

    assert ("nudge", MAYA) in transport.kinds
    assert ("nudge", ADA) not in transport.kinds
    assert ("reminder", ADA) in transport.kinds  # the broken walk costs nudges only


# --- digests and checkpoint refreshes ----------------------------------------------------


async def test_a_digest_that_raises_leaves_the_other_servers_digest_posted(
    services: Services, clock: FixedClock, database: Database
) -> None:
    clock.set(T0)
    for guild, channel in ((GUILD, 901), (OTHER_GUILD, 902)):
        await services.challenges.create(
            guild_id=guild,
            settings=ChallengeSettingsInput(
                name="Club",
                timezone="UTC",
                digest_channel_id=channel,
                digest_day="Sunday",
                digest_time="18:30",
            ),
            now=clock(),
        )
    for guild, user in ((GUILD, ADA), (OTHER_GUILD, MAYA)):
        await services.participants.join(guild_id=guild, user_id=user, timezone="UTC", now=clock())
        await services.entries.record(
            guild_id=guild,
            user_id=user,
            text="an hour of work",
            minutes=60,
            at=datetime(2026, 3, 4, 12, 0, tzinfo=UTC),
        )
    posted: list[int] = []

    async def post(digest: Digest) -> None:
        if digest.challenge.guild_id == GUILD:
            raise RuntimeError("the chart would not render")
        posted.append(digest.challenge.guild_id)

    moment = datetime(2026, 3, 8, 18, 30, tzinfo=UTC)
    digests = await services.digests.run_due(moment, post)

    assert posted == [OTHER_GUILD]
    assert [d.challenge.guild_id for d in digests] == [OTHER_GUILD]
    failed = await status_of(database, DIGEST, digest_target(1), "2026-W10")
    assert failed is SendStatus.FAILED


async def test_a_checkpoint_refresh_that_raises_leaves_the_others_refreshed(
    services: Services, clock: FixedClock, database: Database, monkeypatch
) -> None:
    ml, data = await two_servers(services, clock)
    refresh = services.progress.refresh_checkpoints

    async def broken_for_ml(*, challenge_id: int, now: datetime) -> int:
        if challenge_id == ml.id:
            raise RuntimeError("a history that will not walk")
        return await refresh(challenge_id=challenge_id, now=now)

    monkeypatch.setattr(services.progress, "refresh_checkpoints", broken_for_ml)

    await services.progress.refresh_due_checkpoints(now=EVENING)

    period = EVENING.date().isoformat()
    assert await status_of(database, CHECKPOINT_KIND, f"challenge:{data.id}", period) is (
        SendStatus.SENT
    )
    assert await status_of(database, CHECKPOINT_KIND, f"challenge:{ml.id}", period) is (
        SendStatus.FAILED
    )


# --- backoff, stale claims, cancellation -------------------------------------------------


def test_the_backoff_doubles_from_a_minute_to_an_hour_with_jitter() -> None:
    # Three quick retries (inside Discord's nonce window), then doubling.
    steps = ((1, FIRST_RETRY), (3, FIRST_RETRY), (4, 2 * FIRST_RETRY), (6, 8 * FIRST_RETRY))
    for attempts, base in steps:
        delay = next_attempt(T0, attempts, "digest/challenge:1/2026-W10") - T0
        assert base / 2 <= delay < base
    assert LONGEST_RETRY / 2 <= next_attempt(T0, 30, "k") - T0 < LONGEST_RETRY
    # The jitter spreads keys that failed together.
    spread = {next_attempt(T0, 3, f"reminder/participant:{n}/2026-03-02") for n in range(50)}
    assert len(spread) > 40


def test_a_nonce_is_the_same_for_a_key_and_fits_discord() -> None:
    assert nonce_of("digest", "challenge:1", "2026-W10") == nonce_of(
        "digest", "challenge:1", "2026-W10"
    )
    assert nonce_of("digest", "challenge:1", "2026-W10") != nonce_of(
        "digest", "challenge:1", "2026-W11"
    )
    assert len(nonce_of("x")) == 25


async def test_a_failed_send_waits_out_its_backoff(services: Services, database: Database) -> None:
    notice = Notice("hello", "user:1", "2026-03-02")

    async def fail() -> None:
        raise DeliveryError("503 0: Service Unavailable")

    with pytest.raises(DeliveryError):
        await services.send_ledger.once(notice, at=T0, send=fail)
    async with database.read() as repos:
        retry_at = await repos.sends.next_attempt(notice.kind, notice.target, notice.period)
    assert retry_at is not None
    assert T0 + FIRST_RETRY / 2 <= retry_at < T0 + FIRST_RETRY

    async def ok() -> str:
        return "sent"

    assert await services.send_ledger.once(notice, at=retry_at - timedelta(seconds=1), send=ok) is (
        None
    )
    sent = await services.send_ledger.once(notice, at=retry_at, send=ok)
    assert sent is not None
    assert sent.value == "sent"


async def test_a_refused_send_is_skipped_and_never_claimed_again(
    services: Services, database: Database
) -> None:
    notice = Notice("hello", "user:1", "2026-03-02")

    async def refuse() -> None:
        raise SendRefusedError(Refusal.UNKNOWN_CHANNEL, "404 10003: Unknown Channel")

    with pytest.raises(SendRefusedError):
        await services.send_ledger.once(notice, at=T0, send=refuse)
    calls: list[int] = []

    async def ok() -> None:
        calls.append(1)

    for hours in (1, 5, 24):
        await services.send_ledger.once(notice, at=T0 + timedelta(hours=hours), send=ok)
    assert calls == []
    assert await status_of(database, *(notice.kind, notice.target, notice.period)) is (
        SendStatus.SKIPPED
    )


async def test_an_abandoned_claim_is_taken_over_once_stale(services: Services) -> None:
    notice = Notice("hello", "user:1", "2026-03-02")
    async with services.send_ledger._db.write() as repos:  # a process that died mid-send
        assert await repos.sends.claim(notice.kind, notice.target, notice.period, T0)
    calls: list[datetime] = []

    async def ok() -> None:
        calls.append(T0)

    early = T0 + STALE_CLAIM - timedelta(seconds=1)
    assert await services.send_ledger.once(notice, at=early, send=ok) is None
    assert await services.send_ledger.once(notice, at=T0 + STALE_CLAIM, send=ok) is not None
    assert len(calls) == 1


async def test_an_abandoned_reminder_claim_makes_the_member_due_again(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await two_servers(services, clock)
    raj = await services.participants.mine(guild_id=GUILD, user_id=RAJ, challenge=None)
    async with database.write() as repos:  # claimed by a process that was then killed
        await repos.sends.claim(REMINDER, f"participant:{raj.id}", "2026-03-02", EVENING)

    soon = Transport()
    await services.delivery.run(EVENING + timedelta(minutes=5), soon)
    later = Transport()
    await services.delivery.run(EVENING + STALE_CLAIM, later)

    assert (PROGRESS, (RAJ,)) not in soon.posts
    assert later.posts == [(PROGRESS, (RAJ,))]


async def test_a_send_cancelled_midway_is_given_back_due_at_once(
    services: Services, database: Database
) -> None:
    notice = Notice("hello", "user:1", "2026-03-02")

    async def cancelled() -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await services.send_ledger.once(notice, at=T0, send=cancelled)
    assert await status_of(database, notice.kind, notice.target, notice.period) is (
        SendStatus.FAILED
    )

    async def ok() -> str:
        return "sent"

    assert await services.send_ledger.once(notice, at=T0, send=ok) is not None


async def test_without_backoff_a_failed_send_is_retried_by_the_next_claim(
    services: Services,
) -> None:
    # The global command sync: a failed sync is retried by the very next start.
    notice = Notice("command-sync", "global", "abc")

    async def fail() -> None:
        raise DeliveryError("503 0: Service Unavailable")

    with pytest.raises(DeliveryError):
        await services.send_ledger.once(notice, at=T0, send=fail, backoff=False)

    async def ok() -> str:
        return "synced"

    sent = await services.send_ledger.once(notice, at=T0, send=ok, backoff=False)
    assert sent is not None

"""Reminders and "day ends soon" nudges: who is due at an instant, and the ledger of sends.

A tick asks `due(now)`; the database decides. A member is due when their day does not count
yet: nothing logged, or a day logged short of the rules (30 of 60 minutes, no link); the due
member carries what the day still needs, so the message can say it ("20 more minutes to count
today") instead of "you haven't logged". A day that counts, a rest day, an excused day and a
day an organizer ruled out (nothing the member posts can change it) get no message.

Each member's message is keyed in the send ledger by (kind, member, local day) and claimed just
before it goes out, so a restart, a late or doubled tick, two ticks racing or a DST fold never
sends it twice; a send that failed is marked so, and a tick after its backoff finds the member
due again.

A member whose stored zone no longer loads (tzdata dropped it) cannot be placed in a day: they
are left out, logged with their server, challenge and member ids, and everyone else is served.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NamedTuple, TypeVar

from bot.domain import schedule
from bot.domain.engine import judge
from bot.domain.models import Challenge, Participant, ReminderMode
from bot.domain.reasons import Discounted, Shortfall
from bot.domain.rules import Rules
from bot.errors import InvalidInputError
from bot.services._common import Breather, find_challenge, find_member, reread_member, zone_of
from bot.services.failures import next_attempt, nonce_of
from bot.services.standings import walk_all
from storage import Database, Recipient, ReminderSetting, Repositories, SendStatus
from storage.repositories import participant_target
from storage.shards import Shards

log = logging.getLogger(__name__)

_T = TypeVar("_T")

REMINDER = "reminder"
NUDGE = "nudge"
DMS_CLOSED = "dms-closed"
"""The one note telling a member their reminders moved to the channel."""
NUDGE_MIN_STREAK = 3
"""Nudges are for streaks worth saving."""
JUDGE_SLICE = 500
"""Due members judged between two looks at the clock (a `Breather`: a yield after 10 ms)."""


class DueMember(NamedTuple):
    """One member due a message for one local day.

    A tuple, as `Tally` is: a tick may find a whole server due, and a frozen dataclass costs
    five times as much to build.
    """

    participant_id: int
    challenge_id: int
    user_id: int
    mode: ReminderMode
    day: date
    streak: int = 0
    """Their current streak (nudges say what is at stake)."""
    short_of: tuple[Shortfall, ...] = ()
    """What the day they logged still needs to count; empty when nothing is logged yet."""

    @property
    def target(self) -> str:
        """Return the member's send-ledger target."""
        return participant_target(self.participant_id)

    def nonce(self, kind: str) -> str:
        """Return the nonce of this member's direct message of `kind` for their day."""
        return nonce_of(kind, self.target, self.day.isoformat())


@dataclass(frozen=True, slots=True)
class DueBatch:
    """The members of one challenge due one kind of message at a tick."""

    challenge: Challenge
    kind: str
    members: tuple[DueMember, ...]

    def by_mode(self, mode: ReminderMode) -> tuple[DueMember, ...]:
        """Return the members who asked for this delivery mode."""
        return tuple(member for member in self.members if member.mode is mode)


class ReminderService:
    """Decides who is due a reminder or nudge, and keeps the ledger of what was sent."""

    def __init__(self, db: Database, *, shards: Shards | None = None) -> None:
        self._db = db
        self._shards = shards or Shards.every()
        """The servers whose reminders this process sends: its shards' own."""
        self._lost_zones: set[tuple[int, str]] = set()
        """(challenge, zone) pairs already reported as unloadable, so the log says it once."""

    async def set_reminder(
        self,
        *,
        guild_id: int,
        user_id: int,
        challenge: str | None,
        reminder_time: time | None,
        mode: ReminderMode | None,
    ) -> tuple[Challenge, Participant]:
        """Set when and how the member is reminded; unset options keep their current value.

        A first reminder time with no mode goes to the progress channel when the challenge has
        one, else to direct messages.
        """
        async with self._db.write() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, user_id)
            when = reminder_time or participant.reminder_time
            how = mode or participant.reminder_mode
            if mode is None and how is ReminderMode.OFF and reminder_time is not None:
                has_channel = current.progress_channel_id is not None
                how = ReminderMode.CHANNEL if has_channel else ReminderMode.DM
            if how is not ReminderMode.OFF and when is None:
                raise InvalidInputError("Give a reminder time: HH:MM, your local time, like 20:30.")
            if how is ReminderMode.CHANNEL and current.progress_channel_id is None:
                raise InvalidInputError(
                    f"{current.name} has no progress channel for reminders yet; choose dm, or "
                    "ask an organizer to set one with /challenge edit."
                )
            await repos.participants.set_reminder(participant.id, when, how)
            return current, await reread_member(repos, participant.id)

    async def due(self, now: datetime) -> list[DueBatch]:
        """Return the members of this process's servers due a reminder or a nudge at `now`."""
        async with self._db.read() as repos:
            running = {c.id: c for c in await repos.challenges.all_active(self._shards)}
            reminders = await self._due_reminders(repos, running, now)
            nudges = await self._due_nudges(repos, running, now)
        return [*reminders, *nudges]

    async def claim(
        self, kind: str, members: Sequence[DueMember], now: datetime
    ) -> list[DueMember]:
        """Claim these members' sends; return those this caller won (the others went already)."""
        won: set[str] = set()
        async with self._db.write() as repos:
            for day, group in _by_day(members).items():
                targets = [member.target for member in group]
                won |= await repos.sends.claim_many(kind, targets, day.isoformat(), now)
        return [member for member in members if member.target in won]

    async def settle(
        self,
        kind: str,
        members: Sequence[DueMember],
        now: datetime,
        status: SendStatus,
        detail: str | None = None,
    ) -> None:
        """Record how claimed sends ended: sent, skipped, or failed (retried after a backoff)."""
        async with self._db.write() as repos:
            for day, group in _by_day(members).items():
                targets = [member.target for member in group]
                period = day.isoformat()
                retry_at = None
                if status is SendStatus.FAILED:
                    # The members of one message share its backoff: they are retried together.
                    attempts = await repos.sends.attempts_many(kind, targets, period)
                    retry_at = next_attempt(now, attempts, nonce_of(kind, period, *targets))
                await repos.sends.mark_many(
                    kind, targets, period, now, status, detail, next_attempt_at=retry_at
                )
        if status is SendStatus.FAILED:
            log.warning("%s %s to %s member(s) failed: %s", kind, status, len(members), detail)

    async def release(self, kind: str, members: Sequence[DueMember], now: datetime) -> None:
        """Give back claims whose send was cancelled midway: due again at once.

        Called while the tick is being cancelled (a shutdown): the write is shielded so it
        completes; if it cannot, the claims go stale and are taken over later.
        """

        async def write() -> None:
            async with self._db.write() as repos:
                for day, group in _by_day(members).items():
                    targets = [member.target for member in group]
                    await repos.sends.mark_many(
                        kind,
                        targets,
                        day.isoformat(),
                        now,
                        SendStatus.FAILED,
                        "cancelled before it was known to be sent",
                        next_attempt_at=now,
                    )

        try:
            await asyncio.shield(write())
        except Exception:
            log.warning("could not release %s claim(s) of %ss; they go stale", len(members), kind)

    async def unreachable(self, member: DueMember) -> None:
        """Turn off the reminders of a member the bot can no longer message (no shared server)."""
        async with self._db.write() as repos:
            participant = await repos.participants.by_id(member.participant_id)
            if participant is not None and participant.reminder_mode is not ReminderMode.OFF:
                await repos.participants.set_reminder(
                    participant.id, participant.reminder_time, ReminderMode.OFF
                )

    async def dms_closed(self, challenge: Challenge, member: DueMember, now: datetime) -> bool:
        """Move a member whose DMs are closed to channel reminders; True the first time.

        The ledger keeps when it happened; nothing public says so (their `/remind` and
        `/settings` show where reminders go). Without a progress channel there is nowhere left
        to remind them: reminders are turned off.
        """
        mode = ReminderMode.OFF if challenge.progress_channel_id is None else ReminderMode.CHANNEL
        async with self._db.write() as repos:
            participant = await repos.participants.by_id(member.participant_id)
            if participant is not None and participant.reminder_mode is ReminderMode.DM:
                await repos.participants.set_reminder(
                    participant.id, participant.reminder_time, mode
                )
            period = member.day.isoformat()
            told = await repos.sends.claim(DMS_CLOSED, member.target, period, now)
            if told:
                await repos.sends.mark_sent(DMS_CLOSED, member.target, period, now)
        log.info(
            "participant %s has DMs closed; reminders now %s", member.participant_id, mode.value
        )
        return told

    async def _report_lost_zone(
        self, repos: Repositories, challenge: Challenge, zone_name: str
    ) -> None:
        """Log, once per process, the members skipped because their zone no longer loads."""
        if (challenge.id, zone_name) in self._lost_zones:
            return
        self._lost_zones.add((challenge.id, zone_name))
        for participant_id, user_id in await repos.reminders.members_in_zone(
            challenge.id, zone_name
        ):
            log.error(
                "reminders: member %s (participant %s) of challenge %s in guild %s skipped: "
                "their time zone %r cannot be loaded",
                user_id,
                participant_id,
                challenge.id,
                challenge.guild_id,
                zone_name,
            )

    async def _due_reminders(
        self, repos: Repositories, running: dict[int, Challenge], now: datetime
    ) -> list[DueBatch]:
        """Members whose reminder time has passed today and whose day does not count yet."""
        by_day: dict[tuple[date, Rules], list[ReminderSetting]] = defaultdict(list)
        decided: dict[tuple[str, time, int], schedule.DueDay] = {}
        for setting in await repos.reminders.settings(self._shards):
            challenge = running.get(setting.challenge_id)
            if challenge is None:
                continue
            rollover = challenge.rules.rollover_hour
            key = (setting.timezone, setting.reminder_time, rollover)
            if key not in decided:
                tz = zone_of(setting.timezone)
                if tz is None:
                    # A zone no longer known: skipped (logged once), and told at their next command.
                    await self._report_lost_zone(repos, challenge, setting.timezone)
                    continue
                decided[key] = schedule.reminder_due(now, setting.reminder_time, tz, rollover)
            today = decided[key]
            if today.due and today.day.weekday() not in challenge.rules.rest_weekdays:
                by_day[today.day, challenge.rules].append(setting)
        found: list[Recipient] = []
        for (day, rules), settings in _by_date(by_day):
            found.extend(await repos.reminders.due(REMINDER, day, rules, settings, now))
        return await _open_batches(REMINDER, running, found)

    async def _due_nudges(
        self, repos: Repositories, running: dict[int, Challenge], now: datetime
    ) -> list[DueBatch]:
        """Members whose day ends within the nudge hours with a streak of 3+ at risk."""
        by_day: dict[tuple[date, Rules], list[tuple[int, str]]] = defaultdict(list)
        for challenge_id, zone_name in await repos.reminders.zones(self._shards):
            challenge = running.get(challenge_id)
            if challenge is None or challenge.nudge_hours is None:
                continue
            rollover = challenge.rules.rollover_hour
            tz = zone_of(zone_name)
            if tz is None:
                await self._report_lost_zone(repos, challenge, zone_name)
                continue
            today = schedule.nudge_due(now, challenge.nudge_hours, tz, rollover)
            if today.due and today.day.weekday() not in challenge.rules.rest_weekdays:
                by_day[today.day, challenge.rules].append((challenge_id, zone_name))
        found: list[Recipient] = []
        for (day, rules), zones in _by_date(by_day):
            found.extend(await repos.reminders.due_in_zones(NUDGE, day, rules, zones, now))
        open_batches = await _open_batches(NUDGE, running, found)
        if not open_batches:
            return []
        # Only a streak of 3 or more at risk earns a nudge: walk just these members.
        members: list[DueMember] = []
        for batch in open_batches:
            challenge = batch.challenge
            ids = [member.participant_id for member in batch.members]
            participants = await repos.participants.by_ids(ids)
            try:
                walked = await walk_all(repos, challenge, participants, now)
            except Exception:
                # One challenge's histories failing to walk costs its nudges, not everyone's.
                log.exception(
                    "nudges of challenge %s (guild %s) skipped: walking its members failed",
                    challenge.id,
                    challenge.guild_id,
                )
                continue
            walks = {w.participant.id: w for w in walked}
            for member in batch.members:
                walk = walks.get(member.participant_id)
                if walk is None or walk.today != member.day:
                    continue
                summary = walk.summary
                if summary.streak_at_risk and summary.current_streak >= NUDGE_MIN_STREAK:
                    members.append(member._replace(streak=summary.current_streak))
        return _batches(NUDGE, running, members)


def _by_date(
    groups: dict[tuple[date, Rules], list[_T]],
) -> list[tuple[tuple[date, Rules], list[_T]]]:
    """The groups of one tick's reads, earliest local day first."""
    return sorted(groups.items(), key=lambda item: item[0][0])


async def _open_batches(
    kind: str, running: dict[int, Challenge], found: list[Recipient]
) -> list[DueBatch]:
    """Group the members whose day does not count yet, each with what it still needs.

    The statement already left out a day that counts and a day an organizer ruled on; a
    member who posted short of the rules came with the day's totals (`Recipient.facts`) and
    is judged here for what it lacks (20 more minutes, a link). The judgement also stands
    guard: a day it finds counting, neutral or discounted gets no message. A server's
    members are built a slice at a time between chances for the event loop.
    """
    grouped: dict[int, list[DueMember]] = defaultdict(list)
    breathe = Breather()
    for first in range(0, len(found), JUDGE_SLICE):
        await breathe()
        for participant_id, challenge_id, user_id, mode, day, facts in found[
            first : first + JUDGE_SLICE
        ]:
            short_of: tuple[Shortfall, ...] = ()
            if facts is not None:
                verdict = judge(running[challenge_id].rules, facts)
                if verdict.qualifies or verdict.neutral:
                    continue
                if any(isinstance(item, Discounted) for item in verdict.shortfalls):
                    continue
                short_of = verdict.still_needs
            grouped[challenge_id].append(
                DueMember(participant_id, challenge_id, user_id, mode, day, 0, short_of)
            )
    return _grouped_batches(kind, running, grouped)


def _batches(
    kind: str, running: dict[int, Challenge], members: Iterable[DueMember]
) -> list[DueBatch]:
    """Group due members by challenge, in the order the challenges were created."""
    grouped: dict[int, list[DueMember]] = defaultdict(list)
    for member in members:
        grouped[member.challenge_id].append(member)
    return _grouped_batches(kind, running, grouped)


def _grouped_batches(
    kind: str, running: dict[int, Challenge], grouped: dict[int, list[DueMember]]
) -> list[DueBatch]:
    return [
        DueBatch(running[challenge_id], kind, tuple(grouped[challenge_id]))
        for challenge_id in sorted(grouped)
    ]


def _by_day(members: Sequence[DueMember]) -> dict[date, list[DueMember]]:
    grouped: dict[date, list[DueMember]] = defaultdict(list)
    for member in members:
        grouped[member.day].append(member)
    return grouped

"""The weekly digest: what is due, what it says, and the ledger that posts it once a week.

Each challenge's digest falls due at its local weekday and time, and reports on the seven days
before. The send ledger keys it by (digest, challenge, ISO week), so a restart or a doubled
tick never posts a week twice; a digest missed while the bot was down is posted within 24 hours
of its moment, and after that the week is skipped (and logged), since old news is no news.

A preview is the next digest to be posted, as it would read with the posts made so far. An
organizer's post-now posts that same digest early, as the week so far, under a ledger key of its
own (one a day, so a doubled command posts once): the scheduled digest still posts the full week.

Each challenge's digest is tried on its own: one that fails (a channel Discord refuses, a chart
that will not render) is logged with its server and challenge, and the others are posted. A
digest Discord refuses for good is not retried that week; its channel becomes the challenge's
delivery problem, which the organizer hears of once.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.domain import calendar, schedule
from bot.domain.digest import LINK_GROUPS, OTHER_LINKS, MemberWeek, week_of
from bot.domain.engine import LedgerDay
from bot.domain.leaderboard import competition_ranks
from bot.domain.models import Challenge
from bot.domain.schedule import DigestAction, DigestSlot
from bot.domain.tally import Tally
from bot.errors import ConflictError, InvalidInputError
from bot.services._common import Breather, find_challenge
from bot.services.failures import SendRefusedError
from bot.services.problems import DeliveryProblemService, roles_of
from bot.services.progress import ProgressService, explained_since
from bot.services.send_ledger import Notice, SendLedger, release
from bot.wording.delivery import problem_sentence
from storage import Database, Repositories, SendStatus
from storage.repositories.challenges import DigestSchedule
from storage.repositories.entries import WeekCounts
from storage.shards import Shards

log = logging.getLogger(__name__)

DIGEST = "digest"
EARLY_DIGEST = "digest-early"
"""The send-ledger kind of an organizer's post-now: the week so far, never the week's slot."""
BOARD_SIZE = 10
TOP_STREAKS = 5
LISTED = 10
"""Members named per section (milestones, newcomers, comebacks); the rest are counted."""
TOP_TAGS = 10
LINKS_PER_GROUP = 5
ACTIVITY_WEEKS = 8
TOP_SLICE = 5000
"""Members ranked for the board and the top streaks between two chances for the event loop."""


DIGEST_TARGET = "challenge:"
"""A challenge's digest target in the send ledger: this and its id."""
SETTLED = (SendStatus.SENT, SendStatus.SKIPPED, SendStatus.PENDING)
"""A week's digest is done (or being posted) with one of these; a failed one is due again."""


def digest_target(challenge_id: int) -> str:
    """Return the send-ledger target of a challenge's digest."""
    return f"{DIGEST_TARGET}{challenge_id}"


def digest_notice(challenge_id: int, slot: DigestSlot) -> Notice:
    """Return the send-ledger key of a challenge's digest for one week."""
    return Notice(DIGEST, digest_target(challenge_id), slot.week)


def early_notice(challenge_id: int, slot: DigestSlot, day: date) -> Notice:
    """Return the send-ledger key of a week's digest posted early, on the challenge's `day`."""
    return Notice(EARLY_DIGEST, digest_target(challenge_id), f"{slot.week}:{day.isoformat()}")


def notice_of(digest: Digest) -> Notice:
    """Return the send-ledger key a digest is posted under (its nonce comes from it)."""
    if digest.early:
        return early_notice(digest.challenge.id, digest.slot, digest.as_of)
    return digest_notice(digest.challenge.id, digest.slot)


@dataclass(frozen=True, slots=True)
class Standout:
    """A visible member in one of the digest's lists."""

    user_id: int
    days: int
    streak: int
    note: str = ""
    """What they did: 'Day 50', 'finished round 1'."""
    rank: int = 0
    """Their place in a ranked list (the top streaks): 1, 1, 3 for equal streaks; else 0."""
    week: tuple[LedgerDay | None, ...] = ()
    """The board's rows only: each day of the digest's week, its first day first, as the
    engine's ledger tells it (None for a day outside the member's walk)."""


@dataclass(frozen=True, slots=True)
class Digest:
    """One challenge's week, ready to present.

    Every name and number in it is of the members shown to others (`shown_to_others`): taking
    part, and not hidden.
    """

    challenge: Challenge
    slot: DigestSlot
    first_day: date
    last_day: date
    """The slot's seven days, whether or not they are over: a digest always names its week."""
    as_of: date
    """The challenge's local day the digest was read on; before `last_day` ends, 'so far'."""
    members: int
    """Members taking part (and shown to others, as in every count here)."""
    active: int
    """Members who logged a counted day in the week."""
    posts: int
    """Every post of the week by the members taking part, counted or not."""
    board: tuple[Standout, ...]
    """The week's top members: days logged, then streak."""
    top_streaks: tuple[Standout, ...]
    milestones: tuple[Standout, ...]
    milestone_count: int
    newcomers: tuple[Standout, ...]
    newcomer_count: int
    comebacks: tuple[Standout, ...]
    comeback_count: int
    at_risk: int
    tags: tuple[tuple[str, int], ...]
    links: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    """(group, ((url, mentions), ...)) in the digest's group order."""
    activity: tuple[tuple[date, int], ...]
    """Members who posted, per day, over the last weeks (every day, oldest first)."""
    early: bool = False
    """Posted by an organizer ahead of its moment (post-now); the scheduled one still posts."""

    @property
    def complete(self) -> bool:
        """Whether its week is over: every day of it is in."""
        return self.as_of > self.last_day

    @property
    def so_far(self) -> date:
        """The last day it has posts of: its week's last, or today when the week is not over."""
        return min(self.last_day, self.as_of)


@dataclass(frozen=True, slots=True)
class DueDigest:
    """A digest a tick should act on."""

    challenge: Challenge
    slot: DigestSlot
    action: DigestAction


class DigestService:
    """Builds digests and keeps the ledger of the ones posted."""

    def __init__(
        self,
        db: Database,
        progress: ProgressService,
        ledger: SendLedger,
        problems: DeliveryProblemService | None = None,
        *,
        shards: Shards | None = None,
    ) -> None:
        self._db = db
        self._progress = progress
        self._ledger = ledger
        self._shards = shards or Shards.every()
        """The servers whose digests this process posts: its shards' own."""
        self._problems = problems or DeliveryProblemService(db, shards=self._shards)

    async def due(self, now: datetime) -> list[DueDigest]:
        """Return this process's digests to post or to skip at `now` (not those settled).

        The clock's side is worked out once per schedule (weekday, time, zone), not per
        challenge; the database then finds, per week whose digest has come, the challenges
        with such a schedule and no settled ledger row. Once the week's digests are out, a
        tick reads no challenge at all.
        """
        async with self._db.read() as repos:
            schedules = await repos.challenges.digest_schedules(self._shards)
            by_week: dict[str, dict[DigestSchedule, DigestSlot]] = defaultdict(dict)
            lost: list[DigestSchedule] = []
            for key in schedules:
                tz = calendar.known_zone(key.timezone)
                if tz is None:
                    lost.append(key)
                    continue
                for slot in schedule.digest_slots(now, key.weekday, key.at, tz):
                    if slot.action(now) is not DigestAction.WAIT:
                        by_week[slot.week][key] = slot
            if lost:
                await self._report_lost_zones(repos, lost)
            found: list[DueDigest] = []
            for week, slots in by_week.items():
                for challenge in await repos.challenges.active_unsettled(
                    DIGEST, DIGEST_TARGET, week, self._shards, settled=SETTLED, schedules=[*slots]
                ):
                    key = DigestSchedule(
                        challenge.digest_weekday, challenge.digest_time, challenge.timezone
                    )
                    slot = slots[key]
                    if not _before(challenge, slot):
                        found.append(DueDigest(challenge, slot, slot.action(now)))
        return sorted(found, key=lambda due: (due.challenge.id, due.slot.moment))

    async def _report_lost_zones(self, repos: Repositories, lost: list[DigestSchedule]) -> None:
        """Log the challenges whose digest is skipped because their zone is not known."""
        for challenge in await repos.challenges.all_active(self._shards, schedules=lost):
            # Never the host's own time: a name like 'localtime' loads, but differs from host
            # to host.
            log.error(
                "digest of challenge %s (guild %s) skipped: its time zone %r is not a known "
                "IANA zone",
                challenge.id,
                challenge.guild_id,
                challenge.timezone,
            )

    async def run_due(
        self, now: datetime, post: Callable[[Digest], Awaitable[None]]
    ) -> list[Digest]:
        """Post every digest due at `now` through `post`, and skip those too late; each once.

        Each challenge is a unit of its own, from its post to clearing its channel's problem:
        one that fails is logged with its server and challenge, and the others go on.
        """
        posted: list[Digest] = []
        try:
            standing: set[tuple[int, int]] | None = await self._problems.standing_channels()
        except Exception:
            log.exception(
                "reading the standing delivery problems failed; each digest clears its own"
            )
            standing = None
        for due in await self.due(now):
            challenge = due.challenge
            try:
                if due.action is DigestAction.SKIP:
                    await self._skip(due, now)
                    continue
                digest = await self._claim_and_post(challenge, due.slot, now, post)
                if digest is None:
                    continue
                posted.append(digest)
                channel_id = challenge.digest_channel_id
                if channel_id is not None and (
                    standing is None or (challenge.id, channel_id) in standing
                ):
                    await self._problems.cleared(challenge, channel_id)
            except SendRefusedError:
                continue  # settled for the week, and recorded as the challenge's problem
            except Exception:
                log.exception(
                    "digest of challenge %s (guild %s) for %s failed; the tick goes on",
                    challenge.id,
                    challenge.guild_id,
                    due.slot.week,
                )
        return posted

    async def preview(self, *, guild_id: int, challenge: str | None, now: datetime) -> Digest:
        """Return the next digest to be posted, for its week, with the posts made so far.

        Nothing posted in between, it is the digest the schedule posts at `slot.moment`.
        """
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            slot = await self._next_unposted(repos, current, now)
        return await self._build(current, slot, now)

    async def post_now(
        self,
        *,
        guild_id: int,
        challenge: str | None,
        now: datetime,
        post: Callable[[Digest], Awaitable[None]],
    ) -> Digest:
        """Post the next digest now, as its week so far; the scheduled one still posts it all.

        Once a day: the same command sent twice (a double click) posts once.
        """
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            slot = await self._next_unposted(repos, current, now)
        if current.digest_channel_id is None:
            raise InvalidInputError(
                f"{current.name} has no digest channel yet: set one with /challenge edit."
            )
        try:
            digest = await self._claim_and_post(current, slot, now, post, early=True)
        except SendRefusedError as error:
            channel = f"<#{current.digest_channel_id}>"
            roles = roles_of(current, current.digest_channel_id)
            raise InvalidInputError(
                problem_sentence(error.refusal, channel, roles, error.missing)
            ) from error
        if digest is None:
            raise ConflictError(
                f"{current.name}'s week so far was already posted today; nothing was posted "
                "twice. The full week is posted at the digest's time."
            )
        return digest

    async def week_digest(self, challenge: Challenge, week: str, now: datetime) -> Digest:
        """Return a challenge's digest of an ISO week (`2026-W47`), rebuilt from today's data.

        The week's slot is the challenge's digest day of that week; every name and number is of
        the members shown to others at `now`, so a member who hid since is in none of it.
        """
        year, number = week.split("-W")
        monday = date.fromisocalendar(int(year), int(number), 1)
        slot = schedule.digest_slot(
            monday, challenge.digest_weekday, challenge.digest_time, _zone(challenge)
        )
        return await self._build(challenge, slot, now)

    async def posted_weeks(self, challenge: Challenge) -> list[str]:
        """Return the ISO weeks whose scheduled digest was posted, oldest first."""
        async with self._db.read() as repos:
            return await repos.sends.periods(DIGEST, digest_target(challenge.id), SendStatus.SENT)

    async def _next_unposted(
        self, repos: Repositories, challenge: Challenge, now: datetime
    ) -> DigestSlot:
        """Return the first digest, from this week's on, that is not posted yet."""
        tz = calendar.known_zone(challenge.timezone)
        if tz is None:
            log.error(
                "digest of challenge %s (guild %s) refused: its time zone %r is not a known "
                "IANA zone",
                challenge.id,
                challenge.guild_id,
                challenge.timezone,
            )
            raise InvalidInputError(
                f"{challenge.name}'s time zone ({challenge.timezone}) is not one Daybook knows: "
                "choose one with /challenge edit."
            )
        this_week = schedule.digest_slots(now, challenge.digest_weekday, challenge.digest_time, tz)[
            1
        ]
        target = digest_target(challenge.id)
        status = await repos.sends.status(DIGEST, target, this_week.week)
        if (
            status in (None, SendStatus.FAILED)
            and this_week.action(now) is not DigestAction.SKIP
            and not _before(challenge, this_week)  # the schedule never posts that one either
        ):
            return this_week
        return schedule.next_digest(
            max(now, this_week.moment + timedelta(seconds=1)),
            challenge.digest_weekday,
            challenge.digest_time,
            tz,
        )

    async def _claim_and_post(
        self,
        challenge: Challenge,
        slot: DigestSlot,
        now: datetime,
        post: Callable[[Digest], Awaitable[None]],
        *,
        early: bool = False,
    ) -> Digest | None:
        """Post one digest under its ledger key: the week's slot, or (`early`) today's post-now."""
        if challenge.digest_channel_id is None:
            await self._ledger.skip(
                digest_notice(challenge.id, slot), at=now, reason="no digest channel"
            )
            log.info("digest of challenge %s skipped: no digest channel", challenge.id)
            return None
        digest = await self._build(challenge, slot, now)
        if early:
            digest = replace(digest, early=True)
        notice = notice_of(digest)
        if not early and digest.posts == 0:
            # A week nobody posted in is no news (a challenge's first, say): not posted.
            if await self._ledger.skip(notice, at=now, reason="no posts"):
                log.info("digest of challenge %s for %s skipped: no posts", challenge.id, slot.week)
            return None
        try:
            sent = await self._ledger.once(notice, at=now, send=partial(post, digest))
        except SendRefusedError as error:
            log.warning(
                "digest of challenge %s (guild %s) for %s refused for good: %s",
                challenge.id,
                challenge.guild_id,
                slot.week,
                error.detail,
            )
            await self._problems.record(challenge, error, now)
            if early:
                # A refused post-now does not use up the day: once the channel is fixed, the
                # organizer may try again.
                await release(self._db, notice, now)
            raise
        except Exception:
            log.warning(
                "digest of challenge %s (guild %s) for %s failed; retried after a backoff",
                challenge.id,
                challenge.guild_id,
                slot.week,
            )
            raise
        if sent is None:
            return None
        log.info(
            "digest of challenge %s for %s posted (%s)", challenge.id, slot.week, notice.period
        )
        return digest

    async def _skip(self, due: DueDigest, now: datetime) -> None:
        notice = digest_notice(due.challenge.id, due.slot)
        if not await self._ledger.skip(notice, at=now, reason="missed by more than 24 hours"):
            return
        log.warning(
            "digest of challenge %s for %s skipped: its moment (%s) passed more than %s hours "
            "ago, while the bot was down",
            due.challenge.id,
            due.slot.week,
            due.slot.moment.isoformat(),
            int(schedule.DIGEST_CATCH_UP.total_seconds() // 3600),
        )

    async def _build(self, challenge: Challenge, slot: DigestSlot, now: datetime) -> Digest:
        """Return a challenge's digest of `slot`'s week as read at `now`.

        Its two server-sized reads (the activity of eight weeks, the week's tags and links) run
        in read transactions of their own, alongside the pass over the members' tallies: on a
        server of 100,000 members each is seconds of the database's work, which runs outside
        the GIL, so the three overlap (SQLite's readers are separate connections under WAL).
        """
        tz = _zone(challenge)
        today = calendar.local_day(now, tz, 0)
        # Always the slot's own week, even read before it is over (a preview, a post-now):
        # what it shows then is that week so far, never another week.
        first, last = slot.first_day, slot.last_day
        async with self._db.read() as repos:
            members = await self._progress.tallies_in(repos, challenge, now)
        activity_last = max(first, min(last, today))
        activity_first = last - timedelta(weeks=ACTIVITY_WEEKS) + timedelta(days=1)
        if challenge.created_at is not None:
            # No empty weeks from before the challenge began.
            created = calendar.local_day(challenge.created_at, tz, 0)
            activity_first = min(max(activity_first, created), first)
        # Every number is of the members shown to others: a hidden member's posts, and those
        # of members who left, change none of them.
        shown = frozenset(member.participant_id for member in members if member.visible)

        async def daily_activity() -> dict[date, tuple[int, int]]:
            async with self._db.read() as repos:
                return await repos.entries.daily_activity(
                    challenge.id, activity_first, activity_last, shown
                )

        async def week_counts() -> WeekCounts:
            async with self._db.read() as repos:
                return await repos.entries.week_counts(
                    challenge.id,
                    first,
                    last,
                    shown,
                    top=(TOP_TAGS, LINKS_PER_GROUP),
                    groups={kind.value: group for kind, group in LINK_GROUPS.items()},
                    other=OTHER_LINKS,
                )

        # A task group: should one part fail, the others are cancelled, not left running.
        async with asyncio.TaskGroup() as group:
            daily = group.create_task(daily_activity())
            counts = group.create_task(week_counts())
            digest = await _assemble(
                challenge,
                tz,
                slot,
                (first, last),
                (activity_first, activity_last),
                today,
                members,
                daily,
                counts,
            )
        async with self._db.read() as repos:
            return await _with_board_days(repos, digest, members)


async def _with_board_days(repos: Repositories, digest: Digest, members: list[Tally]) -> Digest:
    """Return the digest with each board row's days of the week, from the engine's ledger.

    The board draws a cell per day (a Friday missed in the Fri column), so its few members
    (`BOARD_SIZE`) are walked again with the ledger explained from the week's first day on
    (`explained_since`): the tallies of the whole server keep only counts.
    """
    by_user = {member.user_id: member for member in members if member.visible}
    wanted = [by_user[row.user_id].participant_id for row in digest.board if row.user_id in by_user]
    participants = {p.id: p for p in await repos.participants.by_ids(wanted)}
    days = [digest.first_day + timedelta(days=n) for n in range(schedule.DIGEST_WEEK_DAYS)]
    rules = digest.challenge.rules
    rows: list[Standout] = []
    for standout in digest.board:
        member = by_user.get(standout.user_id)
        participant = participants.get(member.participant_id) if member else None
        if member is None or participant is None:
            rows.append(standout)
            continue
        facts = await repos.entries.day_facts(participant.id)
        explained = explained_since(
            rules,
            participant.start_day,
            participant.initial_day,
            facts,
            digest.first_day,
            date.fromordinal(member.today),
        )
        ledger = {row.day: row for row in explained}
        rows.append(replace(standout, week=tuple(ledger.get(day) for day in days)))
    return replace(digest, board=tuple(rows))


def _ranked_streaks(streaks: list[tuple[int, int, MemberWeek]]) -> tuple[Standout, ...]:
    """Return the top streaks, best first, ranked by the one tie rule: equal streaks share."""
    ranks = competition_ranks([week.streak for _, _, week in streaks])
    return tuple(
        replace(_standout(user, week), rank=place)
        for place, (_, user, week) in zip(ranks, streaks, strict=True)
    )


async def _assemble(
    challenge: Challenge,
    tz: ZoneInfo,
    slot: DigestSlot,
    window: tuple[date, date],
    activity_window: tuple[date, date],
    as_of: date,
    members: list[Tally],
    daily_read: Awaitable[dict[date, tuple[int, int]]],
    counts_read: Awaitable[WeekCounts],
) -> Digest:
    """Return the digest of a week from the members' tallies and the week's counted posts.

    Everything in it, names and numbers alike, is of the members `shown_to_others`: a hidden
    member is neither named nor counted, as a count can give them away ("1 of 1 member logged
    10 posts" to the one who logged 5). `daily_read` and `counts_read` (awaited once the
    members are done, as they may still be reading) must already count those members alone;
    the posts of members who left, hidden or not, are in no number either, as they are not
    members.

    A server's week is pure Python over every member: it runs on the event loop, letting other
    work run every few milliseconds (`Breather`) in every pass over the members, never in a
    thread, which would hold the GIL against the loop all the same. Only the few members shown
    are sorted, a slice at a time (`_smallest`).
    """
    first, last = window
    activity_first, activity_last = activity_window
    rules = challenge.rules
    weeks: dict[int, tuple[int, MemberWeek]] = {}
    streak_keys: dict[int, tuple[int, int, int, int]] = {}
    breathe = Breather()
    for member in members:
        await breathe()
        if member.visible:
            weeks[member.participant_id] = (
                member.user_id,
                week_of(rules, member, first, last, as_of=as_of),
            )
            streak_keys[member.participant_id] = member.streak_key
    active: list[tuple[int, int, MemberWeek]] = []
    streaking: list[tuple[int, int, MemberWeek]] = []
    achieving: list[tuple[int, int, MemberWeek]] = []
    comebacks: list[Standout] = []
    at_risk = 0
    for pid, (user, week) in weeks.items():
        await breathe()
        item = (pid, user, week)
        if week.days > 0:
            active.append(item)
        if week.streak > 0:
            streaking.append(item)
        # Only members who reached something are listed: sort those few, not the server.
        if _achievements(week):
            achieving.append(item)
        if week.comeback:
            comebacks.append(_standout(user, week))
        at_risk += week.at_risk
    board = await _smallest(
        BOARD_SIZE, active, key=lambda item: (-item[2].days, -item[2].streak, item[1])
    )
    # The streak board's own key (streak, best, Day N, the lower user id): among equal
    # streaks the digest names whom /leaderboard names, in its order.
    best_first = await _smallest(
        TOP_STREAKS, streaking, key=lambda item: _descending(streak_keys[item[0]])
    )
    milestones = [
        Standout(user, week.days, week.streak, note)
        for _, user, week in sorted(achieving, key=lambda item: (-item[2].day_number, item[1]))
        for note in _achievements(week)
    ]
    joined_from, _ = calendar.day_bounds(first, tz, 0)
    _, joined_until = calendar.day_bounds(last, tz, 0)
    newcomers: list[Standout] = []
    for member in members:
        await breathe()
        if (
            member.participant_id in weeks
            and member.joined_at is not None
            and joined_from <= member.joined_at < joined_until
        ):
            newcomers.append(_standout(*weeks[member.participant_id]))
    daily = await daily_read
    counts = await counts_read
    groups = [*LINK_GROUPS.values(), OTHER_LINKS]
    return Digest(
        challenge=challenge,
        slot=slot,
        first_day=first,
        last_day=last,
        as_of=as_of,
        members=len(weeks),
        active=len(active),
        posts=sum(posts for day, (_, posts) in daily.items() if first <= day <= last),
        board=tuple(_standout(user, week) for _, user, week in board),
        top_streaks=_ranked_streaks(best_first),
        milestones=tuple(milestones[:LISTED]),
        milestone_count=len(milestones),
        newcomers=tuple(newcomers[:LISTED]),
        newcomer_count=len(newcomers),
        comebacks=tuple(comebacks[:LISTED]),
        comeback_count=len(comebacks),
        at_risk=at_risk,
        tags=counts.tags[:TOP_TAGS],
        links=tuple(
            (group, counts.links[group][:LINKS_PER_GROUP])
            for group in groups
            if counts.links.get(group)
        ),
        activity=tuple(
            (day, daily.get(day, (0, 0))[0])
            for day in (
                activity_first + timedelta(days=n)
                for n in range((activity_last - activity_first).days + 1)
            )
        ),
    )


_Item = TypeVar("_Item")


async def _smallest(
    size: int, items: list[_Item], key: Callable[[_Item], Any], every: int = TOP_SLICE
) -> list[_Item]:
    """Return `heapq.nsmallest(size, items, key)`, a slice of `items` at a time.

    A server's members are 100,000 items: one pass held the loop tens of milliseconds. The
    `size` smallest of all are the `size` smallest of the slices' own, and `nsmallest` keeps
    equal keys in their order in `items`, which the merge keeps too (earlier slices first).
    """
    found: list[_Item] = []
    for start in range(0, len(items), every):
        await asyncio.sleep(0)
        found = heapq.nsmallest(size, [*found, *items[start : start + every]], key=key)
    return found


def _descending(key: tuple[int, ...]) -> tuple[int, ...]:
    """Return a key whose ascending order is `key`'s descending order (ints only)."""
    return tuple(-part for part in key)


def _zone(challenge: Challenge) -> ZoneInfo:
    """Return the challenge's zone, one of the real IANA zones (`calendar.known_zone`).

    `due` and `_next_unposted` turn a challenge without one away before a digest is built.
    """
    tz = calendar.known_zone(challenge.timezone)
    if tz is None:
        raise calendar.UnknownZoneError(challenge.timezone)
    return tz


def _before(challenge: Challenge, slot: DigestSlot) -> bool:
    """Whether a digest's moment came before the challenge existed (nothing to post or skip)."""
    return challenge.created_at is not None and slot.moment < challenge.created_at


def _standout(user_id: int, week: MemberWeek, note: str = "") -> Standout:
    return Standout(user_id, week.days, week.streak, note)


def _achievements(week: MemberWeek) -> list[str]:
    notes = [f"reached Day {day}" for day in week.milestones]
    if week.finished_round is not None:
        notes.append(f"finished round {week.finished_round}")
    if week.new_round is not None:
        notes.append(f"started round {week.new_round}")
    return notes

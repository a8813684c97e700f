"""Recording, editing and deleting progress posts, and telling the member what each did."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from types import EllipsisType
from typing import Any

from bot.domain import content
from bot.domain.engine import Summary, Verdict, judge
from bot.domain.models import Challenge, DayFacts, Entry, EntrySource, Link, Participant
from bot.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from bot.services._common import (
    checked_member,
    find_challenge,
    find_member,
    member_today,
    pick_challenge,
)
from bot.services.entry_checks import (
    MAX_ATTACHMENTS,
    REPEAT_WINDOW,
    check_minutes,
    check_tags,
    checked_day,
    checked_link,
    checked_text,
    repeat_days,
    repeat_of,
)
from bot.services.entry_checks import MAX_TEXT as MAX_TEXT  # where forms and imports read it
from bot.services.inputs import is_storable_id
from bot.services.standings import MemberWalk, usable_checkpoint, walk_member, walk_one
from storage import Database, Repositories, StoredStanding
from storage.repositories.entries import DirectEntries, RecordContext

log = logging.getLogger(__name__)


class PostDeletedError(NotFoundError):
    """The channel post was deleted before its entry was stored; nothing was recorded."""


class MessageLoggedError(ConflictError):
    """The message is already an entry (a channel post, or logged from the message before)."""


@dataclass(frozen=True, slots=True)
class RecordedEntry:
    """An entry as stored, with the member's standing and what its day now counts as."""

    entry: Entry
    challenge: Challenge
    summary: Summary
    day: DayFacts
    verdict: Verdict
    is_today: bool
    already_logged: bool = False
    """The post was a repeat of one logged moments before: nothing new was stored."""

    @property
    def counted(self) -> bool:
        """Whether the entry's day counts now."""
        return self.verdict.qualifies


@dataclass(frozen=True, slots=True)
class OpenDays:
    """The days a member may still log in a challenge: `earliest` (backfill) through `today`."""

    challenge: Challenge
    earliest: date
    today: date

    def takes(self, day: date) -> bool:
        """Whether a post for `day` would still be taken."""
        return self.earliest <= day <= self.today


class EntryService:
    """Everything that writes a member's posts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        *,
        guild_id: int,
        user_id: int,
        text: str,
        at: datetime,
        minutes: int | None = None,
        tags: str = "",
        link: str | None = None,
        attachments: tuple[str, ...] = (),
        day: date | None = None,
        challenge: str | int | None = None,
        source: EntrySource = EntrySource.COMMAND,
        message_id: int | None = None,
        channel_id: int | None = None,
        sent_at: datetime | None = None,
    ) -> RecordedEntry:
        """Record a post dated by `at` (the Discord event's own time), or a past `day`.

        With `sent_at` (a message logged after it was sent), the post is for the local day the
        message was sent, within the backfill window as of `at`. The same post sent again for
        the same day within REPEAT_WINDOW is not stored twice: the result is the first one's,
        marked `already_logged`.
        """
        body = checked_text(text, attachments)
        check_minutes(minutes)
        extra_link = checked_link(link)
        check_tags(tags)
        if len(attachments) > MAX_ATTACHMENTS:
            raise InvalidInputError(f"Attach at most {MAX_ATTACHMENTS} files to one post.")
        post = _Post(
            guild_id=guild_id,
            user_id=user_id,
            body=body,
            links=content.extract_links(body, extra_link),
            tags=tags,
            minutes=minutes,
            attachments=attachments,
            day=day,
            challenge=challenge,
            source=source,
            message_id=message_id,
            channel_id=channel_id,
            at=at,
            sent_at=sent_at,
        )
        result: RecordedEntry | None = None
        if self._db.writes_direct:
            # The whole transaction on the writer's own thread, in one hand-off (SQLite). The
            # rare cases that need more statements are rolled back and take the general path.
            with suppress(_NeedsGeneralPathError):
                result = await self._db.write_direct(partial(_record_direct, post))
        if result is None:
            result = await self._record(post)
        if result.already_logged:
            log.info("entry %s sent again by user %s: kept once", result.entry.id, user_id)
        else:
            log.info(
                "entry %s recorded for user %s on %s",
                result.entry.id,
                user_id,
                result.entry.local_day,
            )
        return result

    async def _record(self, post: _Post) -> RecordedEntry:
        """Record a post through the general write path (any database, every case)."""
        async with self._db.write() as repos:
            # One statement reads all the decision needs (the member, their checkpoint, their
            # days since it, their posts of the last minute, the message's fate): /log and
            # channel posts are the hottest write path, and each statement costs a round trip.
            plan = _plan(post, await repos.entries.record_context(**post.context_query()))
            current, participant, today = plan.challenge, plan.participant, plan.today
            standing = plan.standing
            facts: dict[date, DayFacts] | None = plan.facts
            if plan.repeat is not None:
                result = await self._outcome(
                    repos, current, participant, plan.repeat, post.at, today, standing, facts
                )
                return replace(result, already_logged=True)
            if plan.entry_day < participant.start_day:
                await repos.participants.set_start(
                    participant.id, plan.entry_day, participant.initial_day
                )
                participant = replace(participant, start_day=plan.entry_day)
                standing = None  # a new start changes the walk's fingerprint
                facts = None  # and the walk reads the whole history again
            covered = plan.covered(standing)
            entry = await repos.entries.add(**post.entry_fields(plan), invalidate=covered)
            if covered:
                standing, facts = None, None
            elif facts is not None:
                # The read came before the insert: fold the new entry into its day, as the
                # day totals would count it now.
                facts = {**facts, plan.entry_day: facts_with(facts.get(plan.entry_day), entry)}
            return await self._outcome(
                repos, current, participant, entry, post.at, today, standing, facts
            )

    async def edit(
        self,
        *,
        entry_id: int,
        user_id: int,
        text: str | None,
        minutes: int | None,
        at: datetime,
        clear_minutes: bool = False,
    ) -> RecordedEntry:
        """Edit one's own entry; its day stays the day it was posted."""
        async with self._db.write() as repos:
            entry = await self._own_entry(repos, entry_id, user_id)
            return await self._edit(repos, entry, text, minutes, at, clear_minutes=clear_minutes)

    async def edit_message(
        self, *, message_id: int, text: str, at: datetime
    ) -> RecordedEntry | None:
        """Follow an edited channel post; None when the message is not an entry."""
        async with self._db.write() as repos:
            entry = await repos.entries.by_message(message_id)
            if entry is None or entry.deleted_at is not None:
                return None
            return await self._edit(repos, entry, text, None, at)

    async def delete(self, *, entry_id: int, user_id: int, at: datetime) -> RecordedEntry:
        """Delete one's own entry; it leaves the ledger (a soft delete, kept for audit)."""
        async with self._db.write() as repos:
            entry = await self._own_entry(repos, entry_id, user_id)
            await repos.entries.soft_delete(entry.id, at)
            await repos.attachments.delete_for_entry(entry.id)
            return await self._after_change(repos, entry, at)

    async def delete_message(self, *, message_id: int, at: datetime) -> RecordedEntry | None:
        """Follow a deleted channel post; None when the message was not an entry.

        A deletion that finds no entry may have overtaken the post's own write: it leaves a
        tombstone, so that write is dropped when it lands (`record` checks it).
        """
        async with self._db.write() as repos:
            entry = await repos.entries.by_message(message_id)
            if entry is None:
                await repos.tombstones.bury(message_id, at)
                return None
            if entry.deleted_at is not None:
                return None
            await repos.entries.soft_delete(entry.id, at)
            await repos.attachments.delete_for_entry(entry.id)
            return await self._after_change(repos, entry, at)

    async def open_days(
        self, *, guild_id: int, user_id: int, challenge: str | int | None, at: datetime
    ) -> OpenDays:
        """Return which of the member's days still take a post at `at` (nothing is written).

        Lets a button that adds to a past day say it is too late before the member fills in a
        form; `record` checks the day again when the post comes.
        """
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, user_id)
            today = member_today(participant, current, at)
        return OpenDays(current, today - timedelta(days=current.rules.backfill_days), today)

    async def get_own(self, *, entry_id: int, user_id: int) -> Entry:
        """Return one of the member's own live entries."""
        async with self._db.read() as repos:
            return await self._own_entry(repos, entry_id, user_id)

    async def recent(
        self, *, guild_id: int, user_id: int, challenge: str | None, limit: int = 10
    ) -> list[Entry]:
        """Return the member's latest entries, newest first."""
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, user_id)
            return await repos.entries.recent(participant.id, limit)

    async def _edit(
        self,
        repos: Repositories,
        entry: Entry,
        text: str | None,
        minutes: int | None,
        at: datetime,
        *,
        clear_minutes: bool = False,
    ) -> RecordedEntry:
        body = entry.text if text is None else checked_text(text, entry.attachments)
        check_minutes(minutes)
        new_minutes = None if clear_minutes else (entry.minutes if minutes is None else minutes)
        extra = [link.url for link in entry.links if link.url not in entry.text]
        await repos.entries.update(
            entry.id,
            text=body,
            minutes=new_minutes,
            words=content.count_words(body),
            tags=content.extract_tags(body, " ".join(t for t in entry.tags if t not in entry.text)),
            links=content.extract_links(body, *extra),
            edited_at=at,
        )
        return await self._after_change(repos, entry, at)

    async def _after_change(self, repos: Repositories, entry: Entry, at: datetime) -> RecordedEntry:
        current = await repos.challenges.get(entry.challenge_id)
        participant = await repos.participants.by_id(entry.participant_id)
        updated = await repos.entries.get(entry.id)
        if current is None or participant is None or updated is None:
            raise NotFoundError("That entry no longer exists.")
        today = member_today(participant, current, at)
        return await self._outcome(repos, current, participant, updated, at, today)

    @staticmethod
    async def _own_entry(repos: Repositories, entry_id: int, user_id: int) -> Entry:
        # A button's custom id carries the entry id: a forged one may not fit the database.
        entry = await repos.entries.get(entry_id) if is_storable_id(entry_id) else None
        if entry is None:
            raise NotFoundError("That entry no longer exists.")
        if entry.deleted_at is not None:
            raise NotFoundError("That post was already deleted.")
        if entry.user_id != user_id:
            raise NotAllowedError("That entry is not yours; only its author can change it.")
        return entry

    @staticmethod
    async def _outcome(
        repos: Repositories,
        challenge: Challenge,
        participant: Participant,
        entry: Entry,
        at: datetime,
        today: date,
        standing: StoredStanding | EllipsisType | None = ...,
        facts: Mapping[date, DayFacts] | None = None,
    ) -> RecordedEntry:
        """Walk the member through `today` and say what the entry's day counts as.

        `facts`, when given with the `standing` they were read against, are the member's days
        after that checkpoint (all days without one), as they are now.
        """
        if facts is None or isinstance(standing, EllipsisType):
            walk = await walk_one(repos, challenge, participant, at, standing=standing)
        else:
            cached = usable_checkpoint(challenge, participant, today, standing)
            if standing is not None and cached is None:
                # The days were read after a checkpoint this walk cannot use (the rules or
                # the start changed since it was saved): it needs the whole history.
                facts = await repos.entries.day_facts(participant.id)
            walk = walk_member(challenge, participant, today, facts, cached)
        day_facts = walk.facts.get(entry.local_day)
        if day_facts is None and entry.local_day <= walk.state.through:
            # The entry's day lies inside a checkpoint the walk did not re-read (an old entry).
            day_facts = (await repos.entries.day_facts(participant.id, since=entry.local_day)).get(
                entry.local_day
            )
        return _recorded(challenge, entry, today, walk, day_facts)


class _NeedsGeneralPathError(Exception):
    """A direct record met a case that needs more statements: roll back, take the general path."""


@dataclass(frozen=True, slots=True)
class _Post:
    """A post to record, checked: what `EntryService.record` was given."""

    guild_id: int
    user_id: int
    body: str
    links: tuple[Link, ...]
    tags: str
    minutes: int | None
    attachments: tuple[str, ...]
    day: date | None
    challenge: str | int | None
    source: EntrySource
    message_id: int | None
    channel_id: int | None
    at: datetime
    sent_at: datetime | None

    def context_query(self) -> dict[str, Any]:
        """Return what `record_context` reads for this post."""
        return {
            "guild_id": self.guild_id,
            "user_id": self.user_id,
            "message_id": self.message_id,
            "days": repeat_days(None if self.sent_at else self.day, self.sent_at or self.at),
            "created": (self.at - REPEAT_WINDOW, self.at),
        }

    def entry_fields(self, plan: _Plan) -> dict[str, Any]:
        """Return the new entry's fields for `add`."""
        return {
            "participant_id": plan.participant.id,
            "challenge_id": plan.challenge.id,
            "user_id": self.user_id,
            "local_day": plan.entry_day,
            "timezone": plan.participant.timezone,
            "text": self.body,
            "minutes": self.minutes,
            "words": content.count_words(self.body),
            "tags": content.extract_tags(self.body, self.tags),
            "links": self.links,
            "attachments": self.attachments,
            "source": self.source,
            "created_at": self.at,
            "message_id": self.message_id,
            "channel_id": self.channel_id,
        }


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a post's record context decided: where it goes, or the entry it repeats."""

    challenge: Challenge
    participant: Participant
    today: date
    entry_day: date
    standing: StoredStanding | None
    facts: dict[date, DayFacts]
    repeat: Entry | None

    def covered(self, standing: StoredStanding | None) -> bool:
        """Whether the checkpoint covers the entry's day, so it is dropped with the insert.

        Checkpoints are at today - backfill - 1 and a post lands within the backfill window,
        so this happens only when the member's today moved back since it was saved (a zone
        further west).
        """
        return standing is not None and standing.through_day >= self.entry_day


def _plan(post: _Post, read: RecordContext) -> _Plan:
    """Decide from the record context where a post goes, refusing what may not be recorded."""
    if post.message_id is not None and read.buried:
        # The post was deleted before it got here (AutoMod, a moderator): not an entry.
        raise PostDeletedError("That message was deleted; nothing was recorded.")
    if post.message_id is not None:
        _refuse_logged_message(read.logged)
    current = pick_challenge([context.challenge for context in read.members], post.challenge)
    context = next(c for c in read.members if c.challenge.id == current.id)
    participant = checked_member(current, context.participant)
    today = member_today(participant, current, post.at)
    day = post.day
    if post.sent_at is not None:
        day = member_today(participant, current, post.sent_at)
    entry_day = checked_day(day, today, current)
    repeat = None
    if post.message_id is None:
        # A channel post is its own message (edits and deletes follow it), never a repeat.
        repeat = repeat_of(
            read.recent,
            participant.id,
            entry_day,
            post.at,
            post.body,
            post.minutes,
            post.links,
            post.attachments,
        )
    return _Plan(
        challenge=current,
        participant=participant,
        today=today,
        entry_day=entry_day,
        standing=context.standing,
        facts=read.facts.get(participant.id, {}),
        repeat=repeat,
    )


def _record_direct(post: _Post, entries: DirectEntries) -> RecordedEntry:
    """Record a post in `Database.write_direct`'s job: its read, its decision, its insert.

    Raises _NeedsGeneralPathError (and the job's transaction is rolled back, the insert with it) for
    the cases `EntryService._record` handles with more statements: a post before the member's
    start, a checkpoint that covers its day or that the walk cannot use, an entry's day inside
    the checkpoint.
    """
    plan = _plan(post, entries.record_context(**post.context_query()))
    if plan.repeat is not None:
        return replace(_outcome_now(plan, plan.repeat, plan.facts), already_logged=True)
    if plan.entry_day < plan.participant.start_day or plan.covered(plan.standing):
        raise _NeedsGeneralPathError
    entry = entries.add(**post.entry_fields(plan))
    facts = {**plan.facts, plan.entry_day: facts_with(plan.facts.get(plan.entry_day), entry)}
    return _outcome_now(plan, entry, facts)


def _outcome_now(plan: _Plan, entry: Entry, facts: Mapping[date, DayFacts]) -> RecordedEntry:
    """`EntryService._outcome` from the facts read, or _NeedsGeneralPathError if it needs more."""
    challenge, participant, today, standing = (
        plan.challenge,
        plan.participant,
        plan.today,
        plan.standing,
    )
    cached = usable_checkpoint(challenge, participant, today, standing)
    if standing is not None and cached is None:
        raise _NeedsGeneralPathError
    walk = walk_member(challenge, participant, today, facts, cached)
    day_facts = walk.facts.get(entry.local_day)
    if day_facts is None and entry.local_day <= walk.state.through:
        raise _NeedsGeneralPathError
    return _recorded(challenge, entry, today, walk, day_facts)


def _recorded(
    challenge: Challenge, entry: Entry, today: date, walk: MemberWalk, day_facts: DayFacts | None
) -> RecordedEntry:
    """Say what the entry's day counts as after `walk`."""
    day_facts = day_facts or DayFacts(entry.local_day)
    return RecordedEntry(
        entry=entry,
        challenge=challenge,
        summary=walk.summary,
        day=day_facts,
        verdict=judge(challenge.rules, day_facts),
        is_today=entry.local_day == today,
    )


def facts_with(facts: DayFacts | None, entry: Entry) -> DayFacts:
    """Return a day's facts with one more live entry, as the day totals in SQL count it."""
    day = facts or DayFacts(entry.local_day)
    minutes = day.minutes
    if entry.minutes is not None:
        # SUM over the stated minutes: NULL until one entry states any.
        minutes = entry.minutes if minutes is None else minutes + entry.minutes
    return replace(
        day,
        entries=day.entries + 1,
        minutes=minutes,
        unstated=day.unstated + (entry.minutes is None),
        words=day.words + entry.words,
        has_link=day.has_link or entry.has_link,
        imported=day.imported + (entry.source is EntrySource.IMPORT),
    )


def _refuse_logged_message(logged: Entry | None) -> None:
    """Refuse a message that is already an entry, or was one and was deleted."""
    if logged is None:
        return
    if logged.deleted_at is not None:
        raise MessageLoggedError(
            "That message was logged once and the post was deleted, so I did not log it again. "
            "Use /log to post it anew."
        )
    raise MessageLoggedError(
        "That message is already logged (as a post in the progress channel, or logged from the "
        "message before); I did not log it twice."
    )

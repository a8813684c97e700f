"""Entries: progress posts, and the per-day facts the streak engine folds over."""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from bot.domain.models import AdjustmentKind, DayFacts, Entry, EntrySource, Link, LinkKind
from storage.repositories.base import RecordNotFoundError, Repository
from storage.repositories.challenges import (
    MemberContext,
    member_context_columns,
    member_context_from,
    running_for_member,
    running_in,
)
from storage.repositories.day_facts import (
    day_totals,
    facts_from,
    latest_adjustments,
    member_facts_statement,
    with_adjustment,
)
from storage.tables import (
    NEW_ENTRY_COLUMNS,
    adjustments,
    challenges,
    entries,
    message_tombstones,
    participants,
    standings,
)
from storage.types import UTCDateTime, dump_json, dump_strings, load_strings

if TYPE_CHECKING:
    from storage.aio import DriverConnection
    from storage.changes import Changes

_LIVE = entries.c.deleted_at.is_(None)


def _dump_links(links: Iterable[Link]) -> str:
    """Serialise links as a JSON list of {"url", "kind"} objects."""
    return dump_json([{"url": link.url, "kind": link.kind.value} for link in links])


def _load_links(text: str) -> tuple[Link, ...]:
    """Read links stored by `_dump_links`."""
    return tuple(Link(item["url"], LinkKind(item["kind"])) for item in json.loads(text))


@dataclass(frozen=True, slots=True)
class WeekCounts:
    """The most used tags and links of a week's posts, counted by the database."""

    tags: tuple[tuple[str, int], ...]
    """(tag, posts' mentions), the most mentioned first, equal counts in code-point order."""
    links: dict[str, tuple[tuple[str, int], ...]]
    """Group → ((url, mentions), ...) in the same order; only groups with a link."""


_INSERT_ENTRY = entries.insert().returning(entries.c.id)
"""Built once: /log is the hottest write, and the values are bound per call."""

_DIRECT_INSERT_ENTRY = (
    entries.insert()
    .values({name: sa.bindparam(name, type_=entries.c[name].type) for name in NEW_ENTRY_COLUMNS})
    .returning(entries.c.id)
)
"""`_INSERT_ENTRY` with its columns named: compiled once for the driver (`DirectEntries.add`)."""


def _entry(row: sa.Row[Any]) -> Entry:
    """Build an Entry from a row of the entries table."""
    return Entry(
        id=row.id,
        participant_id=row.participant_id,
        challenge_id=row.challenge_id,
        user_id=row.user_id,
        local_day=row.local_day,
        text=row.text,
        source=EntrySource(row.source),
        created_at=row.created_at,
        minutes=row.minutes,
        words=row.words,
        tags=load_strings(row.tags_json),
        links=_load_links(row.links_json),
        attachments=load_strings(row.attachments_json),
        timezone=row.timezone,
        message_id=row.message_id,
        channel_id=row.channel_id,
        edited_at=row.edited_at,
        deleted_at=row.deleted_at,
    )


_EntryRow = namedtuple("_EntryRow", [column.name for column in entries.c])  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class RecordContext:
    """Everything recording a post decides on, read in one statement (`record_context`)."""

    members: list[MemberContext]
    """The guild's running challenges with the user's participation and checkpoint, by id."""
    facts: dict[int, dict[date, DayFacts]]
    """Per participant, the day facts of every day after their checkpoint (all without one)."""
    recent: list[Entry]
    """The user's live entries of the asked days created in the asked instants, oldest first."""
    buried: bool
    """Whether the message was deleted before its entry was stored (a tombstone)."""
    logged: Entry | None
    """The entry the message already made, deleted or not."""


# Row kinds of the record-context statement.
_CONTEXT, _TOTALS, _ADJUSTMENT, _RECENT, _LOGGED, _BURIED = range(6)


@cache
def _record_context_statement() -> sa.CompoundSelect[Any]:
    """Return the record path's one read, a UNION ALL of row kinds (built once).

    Every row has the same columns: the kind, then a member context's columns (the totals and
    adjustment rows name their participant in `p_id`), an entry's columns, a day's totals, and
    an adjustment's day, kind and reason; a row leaves the columns of other kinds NULL.
    Bound with guild_id, user_id, message_id (None for none), first_day/last_day and
    since/until (which of the user's recent entries to return) and no_day (date.min).
    """
    guild = sa.bindparam("guild_id", type_=sa.BigInteger)
    user = sa.bindparam("user_id", type_=sa.BigInteger)
    message = sa.bindparam("message_id", type_=sa.BigInteger)
    no_day = sa.bindparam("no_day", type_=sa.Date)
    context = member_context_columns()
    slots: list[tuple[str, Any]] = [("kind", sa.Integer())]
    slots += [(column.name, column.type) for column in context]
    slots += [(f"e_{column.name}", column.type) for column in entries.c]
    slots += [(f"t_{name}", sa.Integer()) for name in _TOTAL_NAMES]
    slots += [("day", sa.Date()), ("a_kind", sa.String()), ("a_reason", sa.String())]

    def row_of(kind: int, values: dict[str, Any]) -> list[sa.ColumnElement[Any]]:
        values = {"kind": sa.literal_column(str(kind), sa.Integer), **values}
        return [
            (values[name] if name in values else sa.cast(sa.null(), type_)).label(name)
            for name, type_ in slots
        ]

    def entry_values() -> dict[str, Any]:
        return {f"e_{column.name}": column for column in entries.c}

    member_from = running_for_member(user)
    running = running_in(guild)
    contexts = sa.select(*row_of(_CONTEXT, {column.name: column for column in context}))
    contexts = contexts.select_from(member_from).where(running)
    # The member's participations: a join the planner walks from the guild's challenges.
    joined = entries.join(participants, participants.c.id == entries.c.participant_id).join(
        challenges, challenges.c.id == participants.c.challenge_id
    )
    theirs = sa.and_(running, participants.c.user_id == user)
    through = sa.func.coalesce(standings.c.through_day, no_day)
    totals = (
        sa.select(
            *row_of(
                _TOTALS,
                {
                    "p_id": entries.c.participant_id,
                    "day": entries.c.local_day,
                    **{
                        f"t_{name}": value
                        for name, value in zip(_TOTAL_NAMES, day_totals(), strict=True)
                    },
                },
            )
        )
        .select_from(
            # Checkpoint before entries: the day after it bounds the index range read.
            participants.join(challenges, challenges.c.id == participants.c.challenge_id)
            .outerjoin(standings, standings.c.participant_id == participants.c.id)
            .join(
                entries,
                sa.and_(
                    entries.c.participant_id == participants.c.id,
                    entries.c.local_day > through,
                ),
            )
        )
        .where(theirs, _LIVE)
        .group_by(entries.c.participant_id, entries.c.local_day)
    )
    members = (
        sa.select(participants.c.id)
        .join(challenges, challenges.c.id == participants.c.challenge_id)
        .where(theirs)
    )
    checkpoint = (
        sa.select(standings.c.through_day)
        .where(standings.c.participant_id == adjustments.c.participant_id)
        .scalar_subquery()
    )
    latest = latest_adjustments(
        adjustments.c.participant_id.in_(members.scalar_subquery()),
        adjustments.c.day > sa.func.coalesce(checkpoint, no_day),
    ).subquery()
    adjusted = sa.select(
        *row_of(
            _ADJUSTMENT,
            {
                "p_id": latest.c.participant_id,
                "day": latest.c.day,
                "a_kind": latest.c.kind,
                "a_reason": latest.c.reason,
            },
        )
    )
    recent = (
        sa.select(*row_of(_RECENT, entry_values()))
        .select_from(joined)
        .where(
            theirs,
            _LIVE,
            entries.c.local_day.between(
                sa.bindparam("first_day", type_=sa.Date), sa.bindparam("last_day", type_=sa.Date)
            ),
            entries.c.created_at.between(
                sa.bindparam("since", type_=UTCDateTime), sa.bindparam("until", type_=UTCDateTime)
            ),
        )
    )
    logged = sa.select(*row_of(_LOGGED, entry_values())).where(entries.c.message_id == message)
    buried = sa.select(*row_of(_BURIED, {})).where(message_tombstones.c.message_id == message)
    return sa.union_all(contexts, totals, adjusted, recent, logged, buried)


_TOTAL_NAMES = ("entries", "minutes", "unstated", "words", "has_link", "imported")
_CONTEXT_END = 1 + len(member_context_columns())
_ENTRY_END = _CONTEXT_END + len(entries.c)
_P_ID = 1 + len(challenges.c)
_DAY = _ENTRY_END + len(_TOTAL_NAMES)


def _recorded(values: Sequence[Any]) -> Entry:
    """Build an Entry from the entry columns of a record-context row."""
    row: Any = _EntryRow._make(values[_CONTEXT_END:_ENTRY_END])  # row-like: the column names
    return _entry(row)


def _record_context_parameters(
    guild_id: int,
    user_id: int,
    message_id: int | None,
    days: tuple[date, date],
    created: tuple[datetime, datetime],
) -> dict[str, Any]:
    """Return the parameters of the record-context statement."""
    return {
        "guild_id": guild_id,
        "user_id": user_id,
        "message_id": message_id,
        "first_day": days[0],
        "last_day": days[1],
        "since": created[0],
        "until": created[1],
        "no_day": date.min,
    }


def _record_context_from(rows: Iterable[Sequence[Any]]) -> RecordContext:
    """Sort the record-context statement's rows into what recording decides on."""
    members: list[MemberContext] = []
    facts: dict[int, dict[date, DayFacts]] = {}
    adjusted: list[Sequence[Any]] = []
    recent: list[Entry] = []
    buried = False
    logged = None
    t = _ENTRY_END
    for row in rows:
        kind = row[0]
        if kind == _TOTALS:
            day = row[_DAY]
            minutes = row[t + 1]
            facts.setdefault(row[_P_ID], {})[day] = DayFacts(
                day=day,
                entries=int(row[t]),
                minutes=None if minutes is None else int(minutes),
                unstated=int(row[t + 2]),
                words=int(row[t + 3]),
                has_link=bool(row[t + 4]),
                imported=int(row[t + 5]),
            )
        elif kind == _CONTEXT:
            members.append(member_context_from(row[1:_CONTEXT_END]))
        elif kind == _ADJUSTMENT:
            adjusted.append(row)
        elif kind == _RECENT:
            recent.append(_recorded(row))
        elif kind == _LOGGED:
            logged = _recorded(row)
        else:
            buried = True
    for row in adjusted:
        days_of = facts.setdefault(row[_P_ID], {})
        day = row[_DAY]
        base = days_of.get(day) or DayFacts(day=day)
        days_of[day] = replace(
            base, adjustment=AdjustmentKind(row[_DAY + 1]), adjustment_reason=row[_DAY + 2]
        )
    members.sort(key=lambda member: member.challenge.id)
    recent.sort(key=lambda entry: (entry.local_day, entry.created_at, entry.id))
    return RecordContext(
        members=members,
        facts={pid: dict(sorted(days_of.items())) for pid, days_of in facts.items()},
        recent=recent,
        buried=buried,
        logged=logged,
    )


def _new_entry(
    *,
    participant_id: int,
    challenge_id: int,
    user_id: int,
    local_day: date,
    timezone: str,
    text: str,
    minutes: int | None,
    words: int,
    tags: Iterable[str],
    links: tuple[Link, ...],
    attachments: Iterable[str],
    source: EntrySource,
    created_at: datetime,
    message_id: int | None,
    channel_id: int | None,
    import_key: str | None,
) -> tuple[dict[str, Any], Entry]:
    """Return a new entry's row values and the Entry they store (its id still 0)."""
    tags, attachments = tuple(tags), tuple(attachments)
    values = {
        "participant_id": participant_id,
        "challenge_id": challenge_id,
        "user_id": user_id,
        "local_day": local_day,
        "timezone": timezone,
        "text": text,
        "minutes": minutes,
        "words": words,
        "has_link": bool(links),
        "tags_json": dump_strings(tags),
        "links_json": _dump_links(links),
        "attachments_json": dump_strings(attachments),
        "source": source.value,
        "message_id": message_id,
        "channel_id": channel_id,
        "import_key": import_key,
        "created_at": created_at,
    }
    entry = Entry(
        id=0,
        participant_id=participant_id,
        challenge_id=challenge_id,
        user_id=user_id,
        local_day=local_day,
        text=text,
        source=source,
        created_at=created_at,
        minutes=minutes,
        words=words,
        tags=tags,
        links=links,
        attachments=attachments,
        timezone=timezone,
        message_id=message_id,
        channel_id=channel_id,
    )
    return values, entry


class DirectEntries:
    """The record path's read and insert, run synchronously inside `Database.write_direct`."""

    def __init__(self, connection: DriverConnection, changes: Changes) -> None:
        self._connection = connection
        self._changes = changes

    def record_context(
        self,
        *,
        guild_id: int,
        user_id: int,
        message_id: int | None,
        days: tuple[date, date],
        created: tuple[datetime, datetime],
    ) -> RecordContext:
        """Read all that recording a user's post decides on (`EntryRepository.record_context`)."""
        rows = self._connection.execute(
            _record_context_statement(),
            _record_context_parameters(guild_id, user_id, message_id, days, created),
        )
        return _record_context_from(rows)

    def add(
        self,
        *,
        participant_id: int,
        challenge_id: int,
        user_id: int,
        local_day: date,
        timezone: str,
        text: str,
        minutes: int | None,
        words: int,
        tags: Iterable[str],
        links: tuple[Link, ...],
        attachments: Iterable[str],
        source: EntrySource,
        created_at: datetime,
        message_id: int | None = None,
        channel_id: int | None = None,
    ) -> Entry:
        """Store a new entry; the caller has read that no checkpoint covers its day."""
        self._changes.entry(participant_id, challenge_id)
        values, entry = _new_entry(
            participant_id=participant_id,
            challenge_id=challenge_id,
            user_id=user_id,
            local_day=local_day,
            timezone=timezone,
            text=text,
            minutes=minutes,
            words=words,
            tags=tags,
            links=links,
            attachments=attachments,
            source=source,
            created_at=created_at,
            message_id=message_id,
            channel_id=channel_id,
            import_key=None,
        )
        ((entry_id,),) = self._connection.execute(_DIRECT_INSERT_ENTRY, values)
        return replace(entry, id=entry_id)


class EntryRepository(Repository):
    """Progress posts; every change drops the standings it makes stale."""

    async def add(
        self,
        *,
        participant_id: int,
        challenge_id: int,
        user_id: int,
        local_day: date,
        timezone: str,
        text: str,
        minutes: int | None,
        words: int,
        tags: Iterable[str],
        links: tuple[Link, ...],
        attachments: Iterable[str],
        source: EntrySource,
        created_at: datetime,
        message_id: int | None = None,
        channel_id: int | None = None,
        import_key: str | None = None,
        invalidate: bool = True,
    ) -> Entry:
        """Store a new entry.

        The participant's checkpoint is dropped if it covers the entry's day; a caller that has
        just read the checkpoint in this transaction and knows it does not may pass
        `invalidate=False` to save the statement.
        """
        self._changes.entry(participant_id, challenge_id)
        values, entry = _new_entry(
            participant_id=participant_id,
            challenge_id=challenge_id,
            user_id=user_id,
            local_day=local_day,
            timezone=timezone,
            text=text,
            minutes=minutes,
            words=words,
            tags=tags,
            links=links,
            attachments=attachments,
            source=source,
            created_at=created_at,
            message_id=message_id,
            channel_id=channel_id,
            import_key=import_key,
        )
        entry_id = (await self._connection.execute(_INSERT_ENTRY, values)).scalar_one()
        entry = replace(entry, id=entry_id)
        if invalidate:
            await self._invalidate(entry)
        return entry

    async def record_context(
        self,
        *,
        guild_id: int,
        user_id: int,
        message_id: int | None,
        days: tuple[date, date],
        created: tuple[datetime, datetime],
    ) -> RecordContext:
        """Read in one statement all that recording a user's post decides on.

        `days` and `created` bound the user's recent entries returned (for the repeat check);
        the message's tombstone and entry are looked up when `message_id` is given.
        """
        result = await self._connection.execute(
            _record_context_statement(),
            _record_context_parameters(guild_id, user_id, message_id, days, created),
        )
        return _record_context_from(result)

    async def get(self, entry_id: int) -> Entry | None:
        """Return an entry by id, deleted or not."""
        statement = sa.select(entries).where(entries.c.id == entry_id)
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _entry(row)

    async def by_message(self, message_id: int) -> Entry | None:
        """Return the entry a Discord message created, deleted or not."""
        statement = sa.select(entries).where(entries.c.message_id == message_id)
        row = (await self._connection.execute(statement)).one_or_none()
        return None if row is None else _entry(row)

    async def update(
        self,
        entry_id: int,
        *,
        text: str,
        minutes: int | None,
        words: int,
        tags: Iterable[str],
        links: tuple[Link, ...],
        edited_at: datetime,
    ) -> Entry:
        """Store an edited entry's content (its day never changes)."""
        statement = (
            entries.update()
            .where(entries.c.id == entry_id)
            .values(
                text=text,
                minutes=minutes,
                words=words,
                has_link=bool(links),
                tags_json=dump_strings(tags),
                links_json=_dump_links(links),
                edited_at=edited_at,
            )
            .returning(*entries.c)
        )
        row = (await self._connection.execute(statement)).one_or_none()
        if row is None:
            raise RecordNotFoundError(f"no entry with id {entry_id}")
        entry = _entry(row)
        await self._invalidate(entry)
        return entry

    async def soft_delete(self, entry_id: int, at: datetime) -> bool:
        """Mark an entry deleted; return False when it was missing or already deleted."""
        statement = (
            entries.update()
            .where(entries.c.id == entry_id, _LIVE)
            .values(deleted_at=at)
            .returning(*entries.c)
        )
        row = (await self._connection.execute(statement)).one_or_none()
        if row is None:
            return False
        await self._invalidate(_entry(row))
        return True

    async def _invalidate(self, entry: Entry) -> None:
        """Drop the participant's standing if it already folded the entry's day."""
        self._changes.entry(entry.participant_id, entry.challenge_id)
        await self._connection.execute(
            standings.delete().where(
                standings.c.participant_id == entry.participant_id,
                standings.c.through_day >= entry.local_day,
            )
        )

    async def for_day(self, participant_id: int, day: date) -> list[Entry]:
        """Return a participant's live entries of one local day, in posting order."""
        statement = (
            sa.select(entries)
            .where(entries.c.participant_id == participant_id, entries.c.local_day == day, _LIVE)
            .order_by(entries.c.created_at, entries.c.id)
        )
        return [_entry(row) for row in await self._connection.execute(statement)]

    async def recent(self, participant_id: int, limit: int) -> list[Entry]:
        """Return a participant's latest live entries, newest day (and post) first."""
        statement = (
            sa.select(entries)
            .where(entries.c.participant_id == participant_id, _LIVE)
            .order_by(entries.c.local_day.desc(), entries.c.created_at.desc(), entries.c.id.desc())
            .limit(limit)
        )
        return [_entry(row) for row in await self._connection.execute(statement)]

    async def between(self, participant_id: int, first_day: date, last_day: date) -> list[Entry]:
        """Return a participant's live entries from `first_day` to `last_day`, oldest first."""
        statement = (
            sa.select(entries)
            .where(
                entries.c.participant_id == participant_id,
                entries.c.local_day.between(first_day, last_day),
                _LIVE,
            )
            .order_by(entries.c.local_day, entries.c.created_at, entries.c.id)
        )
        return [_entry(row) for row in await self._connection.execute(statement)]

    async def import_keys(self, participant_id: int) -> set[str]:
        """Return the import keys already used by a participant, deleted entries included."""
        statement = sa.select(entries.c.import_key).where(
            entries.c.participant_id == participant_id, entries.c.import_key.is_not(None)
        )
        return {str(key) for key in (await self._connection.execute(statement)).scalars()}

    async def day_facts(
        self, participant_id: int, since: date | None = None
    ) -> dict[date, DayFacts]:
        """Return each day's facts for one participant (from `since` on), oldest first."""
        # One round trip: a member's summary runs this on every /log and /streak.
        result = await self._connection.execute(
            member_facts_statement(), {"participant_id": participant_id, "since": since or date.min}
        )
        facts: dict[date, DayFacts] = {}
        adjusted = []
        for row in result:
            if row.kind is None:
                facts[row.local_day] = facts_from(row)
            else:
                adjusted.append(row)
        for row in adjusted:
            facts[row.local_day] = with_adjustment(facts.get(row.local_day), row)
        return dict(sorted(facts.items()))

    async def day_facts_for_challenge(
        self, challenge_id: int, since: date
    ) -> dict[int, dict[date, DayFacts]]:
        """Return day facts from `since` on for every participant with any, by participant id."""
        # Two queries whatever the number of participants: this is the leaderboard's hot path.
        totals = (
            sa.select(entries.c.participant_id, entries.c.local_day, *day_totals())
            .where(entries.c.challenge_id == challenge_id, entries.c.local_day >= since, _LIVE)
            .group_by(entries.c.participant_id, entries.c.local_day)
        )
        facts: dict[int, dict[date, DayFacts]] = {}
        for row in await self._connection.execute(totals):
            facts.setdefault(row.participant_id, {})[row.local_day] = facts_from(row)
        in_challenge = sa.select(participants.c.id).where(
            participants.c.challenge_id == challenge_id
        )
        latest = latest_adjustments(
            adjustments.c.participant_id.in_(in_challenge.scalar_subquery()),
            adjustments.c.day >= since,
        )
        for row in await self._connection.execute(latest):
            days = facts.setdefault(row.participant_id, {})
            days[row.day] = with_adjustment(days.get(row.day), row)
        return {pid: dict(sorted(days.items())) for pid, days in sorted(facts.items())}

    async def day_facts_for_participants(
        self, participant_ids: Sequence[int], since: date | None = None
    ) -> dict[int, dict[date, DayFacts]]:
        """Return day facts (from `since` on) for the given participants, by participant id."""
        if not participant_ids:
            return {}
        ids = list(participant_ids)
        entry_filter: list[sa.ColumnElement[bool]] = [entries.c.participant_id.in_(ids), _LIVE]
        adjustment_filter: list[sa.ColumnElement[bool]] = [adjustments.c.participant_id.in_(ids)]
        if since is not None:
            entry_filter.append(entries.c.local_day >= since)
            adjustment_filter.append(adjustments.c.day >= since)
        totals = (
            sa.select(entries.c.participant_id, entries.c.local_day, *day_totals())
            .where(*entry_filter)
            .group_by(entries.c.participant_id, entries.c.local_day)
        )
        facts: dict[int, dict[date, DayFacts]] = {}
        for row in await self._connection.execute(totals):
            facts.setdefault(row.participant_id, {})[row.local_day] = facts_from(row)
        for row in await self._connection.execute(latest_adjustments(*adjustment_filter)):
            days = facts.setdefault(row.participant_id, {})
            days[row.day] = with_adjustment(days.get(row.day), row)
        return {pid: dict(sorted(days.items())) for pid, days in sorted(facts.items())}

    async def count_live(self, challenge_id: int) -> int:
        """Return how many live entries a challenge holds."""
        statement = (
            sa.select(sa.func.count())
            .select_from(entries)
            .where(entries.c.challenge_id == challenge_id, _LIVE)
        )
        return int((await self._connection.execute(statement)).scalar_one())

    async def _posts_of(
        self, challenge_id: int, participant_ids: Collection[int]
    ) -> sa.ColumnElement[bool]:
        """Return a filter of the challenge's entries to those of `participant_ids`.

        SQLite gets the ids as one JSON list (`_ids_in`). PostgreSQL estimates any list sent
        as a parameter at a hundred or two rows and, for a server's 100,000, seeks each
        member's posts in turn (13 s for the digest's eight weeks, against 0.6 s for the range
        of the challenge-day index alone): there the filter names the challenge's other members
        instead (those who left, the hidden), usually a few, as a NOT IN its plan hashes.
        """
        dialect = self._connection.dialect.name
        if dialect != "postgresql":
            return entries.c.participant_id.in_(_ids_in(dialect, participant_ids))
        # One array, decoded by asyncpg in C: not a row per member on the event loop.
        everyone = (
            await self._connection.execute(
                sa.select(sa.func.array_agg(participants.c.id)).where(
                    participants.c.challenge_id == challenge_id
                )
            )
        ).scalar_one()
        wanted = frozenset(participant_ids)
        others = [pid for pid in everyone or () if pid not in wanted]
        if not others:
            return sa.true()
        left_out = sa.bindparam("left_out", others, type_=sa.ARRAY(sa.BigInteger))
        return entries.c.participant_id.not_in(sa.select(sa.func.unnest(left_out)))

    async def week_counts(
        self,
        challenge_id: int,
        first: date,
        last: date,
        participant_ids: Collection[int],
        *,
        top: tuple[int, int],
        groups: Mapping[str, str],
        other: str,
    ) -> WeekCounts:
        """Count the tags, and the links by group, of the live posts of `participant_ids`.

        The database decodes every post's JSON and counts, and only the `top` (tags, links per
        group) come back: a server's week is a few hundred thousand posts, and decoding them in
        Python cost seconds of the event loop. A link's group is `groups[kind]`, else `other`.
        Each list is ordered as a Python sort by (-count, text) orders it: code points, which
        are SQLite's BINARY order and PostgreSQL's "C" collation of UTF-8 text alike.
        """
        if not participant_ids:
            return WeekCounts((), {})
        statement = _week_counts_statement(
            self._connection.dialect.name,
            (challenge_id, first, last),
            await self._posts_of(challenge_id, participant_ids),
            top,
            (groups, other),
        )
        tags: list[tuple[str, int]] = []
        links: dict[str, list[tuple[str, int]]] = {}
        for row in await self._connection.execute(statement):
            counted = (str(row.item), int(row.n))
            if row.what == _TAG:
                tags.append(counted)
            else:
                links.setdefault(str(row.grp), []).append(counted)
        return WeekCounts(
            tuple(sorted(tags, key=_most_first)),
            {group: tuple(sorted(found, key=_most_first)) for group, found in links.items()},
        )

    async def daily_activity(
        self, challenge_id: int, first: date, last: date, participant_ids: Collection[int]
    ) -> dict[date, tuple[int, int]]:
        """Return, per local day with posts, (members who posted, posts) of `participant_ids`.

        The caller passes the members a public count may include (`shown_to_others`).
        """
        if not participant_ids:
            return {}
        wanted = await self._posts_of(challenge_id, participant_ids)
        statement = (
            sa.select(
                entries.c.local_day,
                sa.func.count(sa.distinct(entries.c.participant_id)).label("members"),
                sa.func.count().label("posts"),
            )
            .where(
                entries.c.challenge_id == challenge_id,
                entries.c.local_day.between(first, last),
                wanted,
                _LIVE,
            )
            .group_by(entries.c.local_day)
        )
        return {
            row.local_day: (int(row.members), int(row.posts))
            for row in await self._connection.execute(statement)
        }

    async def members_per_day(self, challenge_id: int, first: date, last: date) -> dict[date, int]:
        """Return, per local day with live posts in [first, last], how many members posted.

        Every participant counts, hidden or since left: the caller decides who may see it.
        """
        statement = (
            sa.select(
                entries.c.local_day,
                sa.func.count(sa.distinct(entries.c.participant_id)).label("members"),
            )
            .where(
                entries.c.challenge_id == challenge_id,
                entries.c.local_day.between(first, last),
                _LIVE,
            )
            .group_by(entries.c.local_day)
        )
        return {
            row.local_day: int(row.members) for row in await self._connection.execute(statement)
        }

    async def weeks_posted(
        self, challenge_id: int, mondays: Sequence[date]
    ) -> dict[int, frozenset[int]]:
        """Return, per participant, the weeks they posted in: indexes into `mondays`.

        `mondays` are consecutive weeks' first days; posts before the first or on and after a
        week past the last are left out. The database numbers each post's week, so a member's
        hundred days come back as at most one row a week.
        """
        if not mondays:
            return {}
        first = sa.bindparam("first_monday", mondays[0], type_=sa.Date)
        if self._connection.dialect.name == "postgresql":
            days = sa.cast(entries.c.local_day - first, sa.Integer)
        else:
            # SQLite keeps dates as ISO text: julianday() makes them numbers of days.
            days = sa.cast(
                sa.func.julianday(entries.c.local_day) - sa.func.julianday(first), sa.Integer
            )
        week = (days // 7).label("week")
        statement = (
            sa.select(entries.c.participant_id, week)
            .where(
                entries.c.challenge_id == challenge_id,
                entries.c.local_day >= mondays[0],
                entries.c.local_day < mondays[-1] + timedelta(days=7),
                _LIVE,
            )
            .distinct()
        )
        weeks: dict[int, set[int]] = {}
        for row in await self._connection.execute(statement):
            weeks.setdefault(int(row.participant_id), set()).add(int(row.week))
        return {participant_id: frozenset(found) for participant_id, found in weeks.items()}

    async def of_challenge(self, challenge_id: int) -> list[Entry]:
        """Return every live entry of a challenge, by participant, then day and posting order."""
        statement = (
            sa.select(entries)
            .where(entries.c.challenge_id == challenge_id, _LIVE)
            .order_by(
                entries.c.participant_id,
                entries.c.local_day,
                entries.c.created_at,
                entries.c.id,
            )
        )
        return await self._built(statement, _entry)


_TAG = 0
_LINK = 1


def _most_first(counted: tuple[str, int]) -> tuple[int, str]:
    """The digest's order: the most mentioned first, then by the text's code points."""
    return (-counted[1], counted[0])


def _ids_in(dialect: str, ids: Collection[int]) -> sa.Select[Any]:
    """Return a SELECT of `ids`, sent as one JSON list, for `column IN (...)`.

    A server's members would pass the bind-parameter limit of some drivers (asyncpg's is
    32,767), and writing 100,000 ids into the statement held the event loop about 90 ms; the
    list's JSON is one string the database reads on its own side.
    """
    listed = sa.bindparam("wanted_ids", dump_json(list(ids)), type_=sa.Text)
    if dialect == "postgresql":
        elements = sa.func.json_array_elements_text(sa.cast(listed, sa.JSON))
        value = elements.table_valued("value").alias("wanted")
        return sa.select(sa.cast(value.c.value, sa.BigInteger))
    value = sa.func.json_each(listed).table_valued("value").alias("wanted")
    return sa.select(value.c.value)


def _week_counts_statement(
    dialect: str,
    week: tuple[int, date, date],
    members: sa.ColumnElement[bool],
    top: tuple[int, int],
    grouping: tuple[Mapping[str, str], str],
) -> sa.Select[Any]:
    """Return the statement of `week_counts`: (what, grp, item, n) of the top of each list."""
    challenge_id, first, last = week
    groups, other = grouping
    posts = (
        sa.select(entries.c.tags_json, entries.c.links_json)
        .where(
            entries.c.challenge_id == challenge_id,
            entries.c.local_day.between(first, last),
            _LIVE,
            sa.or_(entries.c.tags_json != "[]", entries.c.links_json != "[]"),
            members,
        )
        .cte("posts")
    )
    if dialect == "postgresql":
        tag = sa.func.json_array_elements_text(sa.cast(posts.c.tags_json, sa.JSON))
        link = sa.func.json_array_elements(sa.cast(posts.c.links_json, sa.JSON))
        tags = tag.table_valued("value").alias("tag")
        links = link.table_valued("value").alias("link")
        kind = sa.func.json_extract_path_text(links.c.value, "kind")
        url = sa.func.json_extract_path_text(links.c.value, "url")
    else:
        tags = sa.func.json_each(posts.c.tags_json).table_valued("value").alias("tag")
        links = sa.func.json_each(posts.c.links_json).table_valued("value").alias("link")
        kind = sa.func.json_extract(links.c.value, "$.kind")
        url = sa.func.json_extract(links.c.value, "$.url")
    group = sa.case(groups, value=kind, else_=other) if groups else sa.literal(other)
    # Each link as (group, url) first, then counted: PostgreSQL would not match a GROUP BY on
    # the CASE itself with the select list's, as each copy binds its own parameters.
    each_link = (
        sa.select(group.label("grp"), url.label("item"))
        .select_from(posts.join(links, sa.true()))
        .subquery("each_link")
    )
    counted = sa.union_all(
        sa.select(
            sa.literal(_TAG).label("what"),
            sa.literal("").label("grp"),
            tags.c.value.label("item"),
            sa.func.count().label("n"),
        )
        .select_from(posts.join(tags, sa.true()))
        .group_by(tags.c.value),
        sa.select(
            sa.literal(_LINK).label("what"),
            each_link.c.grp,
            each_link.c.item,
            sa.func.count().label("n"),
        ).group_by(each_link.c.grp, each_link.c.item),
    ).subquery("counted")
    # Code-point order: SQLite compares text as bytes (BINARY); PostgreSQL does in "C".
    item = counted.c.item.collate("C") if dialect == "postgresql" else counted.c.item
    place = (
        sa.func.row_number()
        .over(partition_by=(counted.c.what, counted.c.grp), order_by=(counted.c.n.desc(), item))
        .label("place")
    )
    ranked = sa.select(counted, place).subquery("ranked")
    most_tags, most_links = top
    return sa.select(ranked.c.what, ranked.c.grp, ranked.c.item, ranked.c.n).where(
        ranked.c.place <= sa.case((ranked.c.what == _TAG, most_tags), else_=most_links)
    )

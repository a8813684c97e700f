"""The record path's two statements: one read, one insert, and the same answers as before.

`EntryService.record` reads everything it decides on in one statement and folds the new entry
into the day facts it read; these tests count what it sends and compare every answer with a
walk of the member's whole history read afresh after the write. Every write then bumps its
challenge's change version last (`storage.repositories.versions`): one statement on
PostgreSQL, two on SQLite (run on the writer's own thread, no round trips).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import FixedClock
from bot.domain import content
from bot.domain.calendar import local_day
from bot.domain.engine import judge
from bot.domain.models import AdjustmentKind, DayFacts, Entry, EntrySource, Link, LinkKind
from bot.domain.rules import MissedDayPolicy
from bot.errors import ConflictError, InvalidInputError, NotFoundError
from bot.services import Services
from bot.services.entries import MessageLoggedError, PostDeletedError, RecordedEntry, facts_with
from bot.services.entry_checks import BROKEN_TEXT, MAX_TEXT, checked_text, repeat_days
from bot.services.settings_input import ChallengeSettingsInput, RulesInput
from bot.services.standings import walk_one
from storage import Database
from tests._postgres import POSTGRES_URL
from tests.services.conftest import ADA, GUILD, ORGANIZER, RAJ, make_challenge

LINK = "https://github.com/a/b"


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """Collect the statements of the last transaction the writer began (BEGIN left out).

    On SQLite a record first runs whole on the writer's thread; the rare cases it leaves to the
    general path are rolled back there and begin again, so only the last transaction counts.
    """
    sent: list[str] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("BEGIN"):
            sent.clear()
        else:
            sent.append(statement)

    engine = database._writer.sync_engine
    sa.event.listen(engine, "before_cursor_execute", hook)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", hook)


VERSION_STATEMENTS = 1 if POSTGRES_URL else 2
"""The change-version statements that end a record's transaction."""


def own(sent: list[str]) -> list[str]:
    """Return the record's own statements, checking the version bump comes last, and whole."""
    mine = [s for s in sent if "change_versions" not in s and "change_log" not in s]
    if len(mine) < len(sent):
        assert sent[len(mine) :] == [s for s in sent if s not in mine]
        assert len(sent) - len(mine) == VERSION_STATEMENTS
    return mine


async def reference(database: Database, recorded: RecordedEntry, at: datetime) -> RecordedEntry:
    """Return what the record should have answered: the whole history walked afresh."""
    async with database.read() as repos:
        participant = await repos.participants.by_id(recorded.entry.participant_id)
        assert participant is not None
        walk = await walk_one(repos, recorded.challenge, participant, at, standing=None)
        facts = await repos.entries.day_facts(participant.id)
    day = facts.get(recorded.entry.local_day, DayFacts(recorded.entry.local_day))
    return RecordedEntry(
        entry=recorded.entry,
        challenge=recorded.challenge,
        summary=walk.summary,
        day=day,
        verdict=judge(recorded.challenge.rules, day),
        is_today=recorded.is_today,
        already_logged=recorded.already_logged,
    )


async def checkpoint_of(database: Database, user_id: int) -> date | None:
    async with database.read() as repos:
        challenge = (await repos.challenges.active_in_guild(GUILD))[0]
        participant = await repos.participants.get(challenge.id, user_id)
        assert participant is not None
        standing = await repos.standings.get(participant.id)
    return None if standing is None else standing.through_day


async def member_with_history(services: Services, clock: FixedClock, zone: str = "UTC") -> int:
    """Ada in the 100-days-of-code challenge (one day of backfill) with ten days posted."""
    challenge = await make_challenge(services, clock)
    start = clock().date() - timedelta(days=10)
    await services.participants.join(
        guild_id=GUILD, user_id=ADA, now=clock(), timezone=zone, start=start
    )
    for back in range(10, 0, -1):
        at = clock() - timedelta(days=back)
        await services.entries.record(
            guild_id=GUILD, user_id=ADA, text=f"day {back} {LINK}", minutes=60, at=at
        )
    await services.progress.refresh_checkpoints(challenge_id=challenge.id, now=clock())
    return challenge.id


@pytest.mark.parametrize("channel", [False, True], ids=["slash", "channel"])
async def test_a_record_sends_one_read_and_one_insert(
    services: Services, clock: FixedClock, database: Database, channel: bool
) -> None:
    await member_with_history(services, clock)
    assert await checkpoint_of(database, ADA) == checkpoint_day_of(clock, backfill=1)
    with statements(database) as sent:
        recorded = await services.entries.record(
            guild_id=GUILD,
            user_id=ADA,
            text=f"today {LINK}",
            minutes=60,
            at=clock(),
            message_id=77 if channel else None,
            channel_id=5 if channel else None,
        )
    assert [s.split()[0].upper() for s in own(sent)] == ["SELECT", "INSERT"]
    assert len(sent) == 2 + VERSION_STATEMENTS
    assert recorded == await reference(database, recorded, clock())
    assert recorded.summary.current_streak == 11
    # The checkpoint stays: the new day lies after it.
    assert await checkpoint_of(database, ADA) is not None


async def test_a_record_without_a_checkpoint_sends_two_statements_too(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await make_challenge(services, clock)
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")
    with statements(database) as sent:
        recorded = await services.entries.record(
            guild_id=GUILD, user_id=ADA, text=f"first {LINK}", minutes=90, at=clock()
        )
    assert len(own(sent)) == 2
    assert len(sent) == 2 + VERSION_STATEMENTS
    assert (recorded.day.entries, recorded.day.minutes, recorded.counted) == (1, 90, True)


async def test_a_repeat_sends_only_the_read(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await member_with_history(services, clock)
    first = await services.entries.record(
        guild_id=GUILD, user_id=ADA, text=f"same {LINK}", minutes=60, at=clock()
    )
    with statements(database) as sent:
        again = await services.entries.record(
            guild_id=GUILD,
            user_id=ADA,
            text=f"same {LINK}",
            minutes=60,
            at=clock() + timedelta(seconds=30),
        )
    assert len(sent) == 1
    assert again.already_logged
    assert again.entry.id == first.entry.id
    assert again.day.entries == 1


async def test_a_late_post_lands_after_the_checkpoint(
    services: Services, clock: FixedClock, database: Database
) -> None:
    # Checkpoints are saved at today - backfill - 1 and a post may be at most backfill days
    # late, so with the member's today unchanged the earliest day a post takes is still after
    # the checkpoint: the record needs no DELETE of it.
    await member_with_history(services, clock)
    earliest = clock().date() - timedelta(days=1)
    assert await checkpoint_of(database, ADA) == earliest - timedelta(days=1)
    with statements(database) as sent:
        recorded = await services.entries.record(
            guild_id=GUILD, user_id=ADA, text=f"late {LINK}", minutes=30, at=clock(), day=earliest
        )
    assert len(own(sent)) == 2
    assert await checkpoint_of(database, ADA) == earliest - timedelta(days=1)
    assert recorded == await reference(database, recorded, clock())
    assert recorded.day.minutes == 90  # the 60 posted that day, and these 30


async def test_a_member_whose_today_moved_back_drops_a_covering_checkpoint(
    services: Services, clock: FixedClock, database: Database
) -> None:
    # From UTC+14 to UTC-12 a member's today goes back a day: the checkpoint saved under the
    # old zone covers the earliest day they may now post for, so the record drops it.
    at = datetime.fromisoformat("2026-03-02T11:00:00+00:00")  # 01:00 on the 3rd in Kiritimati
    clock.set(at)
    await member_with_history(services, clock, zone="Pacific/Kiritimati")
    saved = await checkpoint_of(database, ADA)
    await services.participants.set_timezone(
        guild_id=GUILD, user_id=ADA, timezone="Etc/GMT+12", now=at
    )
    # 23:00 on the 1st at UTC-12, less the 04:00 rollover: today is the 1st, earliest the 28th.
    earliest = date(2026, 2, 28)
    assert saved is not None
    assert saved >= earliest
    with statements(database) as sent:
        recorded = await services.entries.record(
            guild_id=GUILD, user_id=ADA, text=f"late {LINK}", minutes=30, at=at, day=earliest
        )
    assert [s.split()[0].upper() for s in own(sent)][:3] == ["SELECT", "INSERT", "DELETE"]
    assert await checkpoint_of(database, ADA) is None
    assert recorded == await reference(database, recorded, at)


async def test_channel_post_refusals_come_from_the_one_read(
    services: Services, clock: FixedClock, database: Database
) -> None:
    await member_with_history(services, clock)
    await services.entries.delete_message(message_id=90, at=clock())
    with pytest.raises(PostDeletedError):
        await services.entries.record(
            guild_id=GUILD, user_id=ADA, text="gone", at=clock(), message_id=90, channel_id=5
        )
    first = await services.entries.record(
        guild_id=GUILD, user_id=ADA, text="post", at=clock(), message_id=91, channel_id=5
    )
    with pytest.raises(MessageLoggedError, match="already logged"):
        await services.entries.record(
            guild_id=GUILD, user_id=ADA, text="post", at=clock(), message_id=91, channel_id=5
        )
    await services.entries.delete(entry_id=first.entry.id, user_id=ADA, at=clock())
    with pytest.raises(MessageLoggedError, match="was deleted"):
        await services.entries.record(
            guild_id=GUILD, user_id=ADA, text="post", at=clock(), message_id=91, channel_id=5
        )
    # Another server's running challenge, or none: the member refusals still hold.
    with pytest.raises(NotFoundError, match="no challenge running"):
        await services.entries.record(
            guild_id=GUILD + 1, user_id=ADA, text="post", at=clock(), message_id=92
        )
    with pytest.raises(NotFoundError, match="not joined"):
        await services.entries.record(guild_id=GUILD, user_id=RAJ, text="post", at=clock())
    await services.participants.leave(guild_id=GUILD, user_id=ADA, now=clock(), challenge=None)
    with pytest.raises(NotFoundError, match="You left"):
        await services.entries.record(guild_id=GUILD, user_id=ADA, text="post", at=clock())


def checkpoint_day_of(clock: FixedClock, backfill: int) -> date:
    return clock().date() - timedelta(days=backfill + 1)


ZONES = ("UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/New_York", "Asia/Kolkata")
PRESETS = ("100-days-of-code", "100-days-of-ml-code", "x-days-of-ml-code", "66-days-of-data")


@pytest.mark.parametrize("seed", range(6))
async def test_records_answer_as_a_whole_walk_would(
    services: Services, database: Database, seed: int
) -> None:
    """Random histories: every record's answer equals a fresh walk of the whole history."""
    rng = random.Random(seed)  # noqa: S311 - picks test histories, not secrets
    now = datetime.fromisoformat("2026-03-02T12:00:00+00:00")
    clock = FixedClock(now)
    settings: dict[str, Any] = {"backfill_days": rng.choice((0, 1, 3))}
    if rng.random() < 0.5:
        settings["rollover_hour"] = rng.choice((0, 4, 12))
    settings["missed_day_policy"] = list(MissedDayPolicy)[seed % len(MissedDayPolicy)].value
    if rng.random() < 0.5:
        settings["freeze_every"] = rng.choice((0, 3))
    challenge = await make_challenge(services, clock, rng.choice(PRESETS))
    await services.challenges.apply_edit(
        guild_id=GUILD,
        challenge_id=challenge.id,
        settings=ChallengeSettingsInput(),
        rules=RulesInput(**settings),
    )
    for user in (ADA, RAJ):
        await services.participants.join(
            guild_id=GUILD,
            user_id=user,
            now=now,
            timezone=rng.choice(ZONES),
            start=now.date() - timedelta(days=rng.randrange(1, 6)),
        )
    last: dict[int, tuple[datetime, dict[str, Any]]] = {}
    message = 1000
    for _step in range(45):
        now += timedelta(hours=rng.choice((0, 1, 5, 11, 24, 30)), seconds=rng.randrange(60))
        user = rng.choice((ADA, RAJ))
        roll = rng.random()
        if roll < 0.1:
            await services.progress.refresh_checkpoints(challenge_id=challenge.id, now=now)
            continue
        if roll < 0.15:
            await services.participants.set_timezone(
                guild_id=GUILD, user_id=user, timezone=rng.choice(ZONES), now=now
            )
            continue
        if roll < 0.2:
            await services.organizers.adjust(
                guild_id=GUILD,
                organizer_id=ORGANIZER,
                member_id=user,
                day=now.date() - timedelta(days=rng.randrange(0, 4)),
                kind=rng.choice(list(AdjustmentKind)),
                reason="test",
                challenge=None,
                now=now,
            )
            continue
        post: dict[str, Any]
        if roll < 0.35 and user in last:
            # The same post again, a few seconds after the last one.
            then, post = last[user]
            now = then + timedelta(seconds=rng.randrange(0, 50))
        else:
            post = {
                "text": f"worked {rng.randrange(100)}" + (f" {LINK}" if rng.random() < 0.6 else ""),
                "minutes": rng.choice((None, 0, 20, 60, 90)),
            }
            if rng.random() < 0.3:
                post["day"] = now.date() - timedelta(days=rng.randrange(0, 4))
            if rng.random() < 0.2:
                message += 1
                post["message_id"] = message
                post["channel_id"] = 5
        try:
            recorded = await services.entries.record(guild_id=GUILD, user_id=user, at=now, **post)
        except (InvalidInputError, ConflictError):
            continue  # a day outside the window (the same refusal as before)
        last[user] = (now, post)
        assert recorded == await reference(database, recorded, now)


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, 1440)),
            st.integers(0, 500),
            st.booleans(),
            st.sampled_from(list(EntrySource)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_facts_with_counts_as_the_day_totals_do(posts: list[tuple[Any, ...]]) -> None:
    day = date(2026, 3, 2)
    built = [
        Entry(
            id=index,
            participant_id=1,
            challenge_id=1,
            user_id=1,
            local_day=day,
            text="x",
            source=source,
            created_at=datetime(2026, 3, 2, 12, 0).astimezone(),
            minutes=minutes,
            words=words,
            links=(Link(LINK, LinkKind.GITHUB),) if link else (),
        )
        for index, (minutes, words, link, source) in enumerate(posts)
    ]
    facts: DayFacts | None = None
    for entry in built:
        facts = facts_with(facts, entry)
    # DayFacts.from_entries sums a day's entries as the SQL aggregate does (its own tests).
    assert facts == DayFacts.from_entries(day, built)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))  # noqa: DTZ001
def test_repeat_days_hold_every_member_today(instant: datetime) -> None:
    at = instant.replace(tzinfo=UTC)
    first, last = repeat_days(None, at)
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12", "Pacific/Pago_Pago", "Asia/Kolkata"):
        for rollover in (0, 12):
            assert first <= local_day(at, ZoneInfo(zone), rollover) <= last


def reference_text(text: str, attachments: tuple[str, ...]) -> str:
    """The text checks as they were, one character at a time (content's own functions)."""
    if content.has_broken_characters(text):
        raise InvalidInputError(BROKEN_TEXT)
    body = content.without_controls(text).strip()
    if len(body) > MAX_TEXT:
        raise InvalidInputError("too long")
    if attachments:
        return body
    if not text.strip() or not content.has_visible_text(body):
        raise InvalidInputError("no text")
    return body


TEXT = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0x7F),
        st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1f\x7f\x00\u200b\u3164\xa0\x85\u2028é🙂\ud800"),
    ),
    max_size=40,
)


@given(TEXT, st.booleans())
def test_the_ascii_fast_path_checks_text_as_before(text: str, attached: bool) -> None:
    attachments = ("a.png",) if attached else ()
    try:
        expected: str | type[Exception] = reference_text(text, attachments)
    except InvalidInputError:
        expected = InvalidInputError
    try:
        got: str | type[Exception] = checked_text(text, attachments)
    except InvalidInputError:
        got = InvalidInputError
    assert got == expected

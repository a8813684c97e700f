"""Change versions: what changed in each challenge, for the caches of every process.

A write transaction that changed a challenge bumps its version in `change_versions` and logs
which members' days changed at that version in `change_log`; a change to the challenge's
settings or members moves its `reset_at` up to the new version instead (a cache holding an older
version drops the whole challenge). A cache reads "what changed since the version I hold" in
the same snapshot as the rest of its read (`ChangeVersionRepository.since`), so it is exact
whichever process wrote: there is no window in which it answers from before a commit it could
see.

The bumps run last in the write transaction, one challenge at a time in id order: the row lock
each takes is held only for the commit, and two writers always lock in the same order, so they
never deadlock. A version is a row's counter, not a sequence: the second of two writers to a
challenge waits for the first's commit and takes the next number, so versions become visible in
their order (a sequence hands out numbers that may commit out of order, and a reader would skip
the late one for good).

The log is pruned as it grows: every `PRUNE_EVERY` versions, rows older than `KEEP_VERSIONS`
go, and `reset_at` moves up to match, so a cache that far behind starts the challenge again.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from storage.changes import Changes
from storage.repositories.base import Repository
from storage.tables import change_log, change_versions, participants

if TYPE_CHECKING:
    from storage.aio import DriverConnection

KEEP_VERSIONS = 1000
"""Versions of log kept per challenge: a cache further behind starts the challenge again."""
PRUNE_EVERY = 100
"""Versions between two prunings of a challenge's log (a delete of about this many rows)."""
NOT_HELD = 2**62
"""The version a cache that holds nothing asks "since": no log row is newer."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """A challenge's version in a read's snapshot, and what changed since the version held."""

    version: int
    reset_at: int
    """A cache holding an older version than this must drop the whole challenge."""
    participants: frozenset[int]
    """Members whose days changed after the version held (empty when reset)."""


_SINCE = (
    sa.select(change_versions.c.version, change_versions.c.reset_at, change_log.c.participant_id)
    .select_from(
        change_versions.outerjoin(
            change_log,
            sa.and_(
                change_log.c.challenge_id == change_versions.c.challenge_id,
                change_log.c.version > sa.bindparam("held"),
                change_versions.c.reset_at <= sa.bindparam("held"),
            ),
        )
    )
    .where(change_versions.c.challenge_id == sa.bindparam("challenge_id"))
)

_OWNER = sa.select(participants.c.challenge_id).where(
    participants.c.id == sa.bindparam("participant_id")
)


_BUMPS: dict[tuple[str, bool], sa.Executable] = {}


def bump_statement(dialect: str, *, reset: bool) -> sa.Executable:
    """Return the upsert that takes a challenge's next version (and resets it, if `reset`).

    Built once per dialect (each dialect's ON CONFLICT is its own statement class, and a
    statement object is compiled once for the driver): a SQLite bot never loads PostgreSQL's.
    """
    statement = _BUMPS.get((dialect, reset))
    if statement is not None:
        return statement
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    later = change_versions.c.version + 1
    updates: dict[str, Any] = {"version": later, "reset_at": later} if reset else {"version": later}
    statement = (
        insert(change_versions)
        .values(challenge_id=sa.bindparam("challenge_id"), version=1, reset_at=1 if reset else 0)
        .on_conflict_do_update(index_elements=[change_versions.c.challenge_id], set_=updates)
        .returning(change_versions.c.version)
    )
    _BUMPS[(dialect, reset)] = statement
    return statement


_LOG = change_log.insert().values(
    challenge_id=sa.bindparam("challenge_id"),
    version=sa.bindparam("version"),
    participant_id=sa.bindparam("participant_id"),
)
_BUMP_AND_LOG = sa.text(
    """
    WITH bumped AS (
        INSERT INTO change_versions (challenge_id, version, reset_at)
        VALUES (:challenge_id, 1, 0)
        ON CONFLICT (challenge_id) DO UPDATE SET version = change_versions.version + 1
        RETURNING version
    )
    INSERT INTO change_log (challenge_id, version, participant_id)
    SELECT :challenge_id, version, :participant_id FROM bumped
    RETURNING version
    """
).columns(version=sa.BigInteger)
"""PostgreSQL's bump of one member's challenge with its log row (SQLite has no such WITH)."""
_PRUNE = change_log.delete().where(
    change_log.c.challenge_id == sa.bindparam("pruned"),
    change_log.c.version <= sa.bindparam("through"),
)
_PRUNED = (
    change_versions.update()
    .where(
        change_versions.c.challenge_id == sa.bindparam("pruned"),
        change_versions.c.reset_at < sa.bindparam("through"),
    )
    .values(reset_at=sa.bindparam("through"))
)

Step = tuple[sa.Executable, dict[str, Any]]


def publishing(changes: Changes, dialect: str) -> Generator[Step, Sequence[Sequence[Any]], None]:
    """Yield the statements that publish a transaction's changes; each is sent back its rows.

    One plan for both ways a write runs (`publish` through Core, `publish_direct` on the
    driver's thread): the participants whose challenge the writer did not note are looked up
    (one or two in practice: a member's setting, an organizer's adjustment), then each
    challenge is bumped, in id order, and its changed members logged.
    """
    owners = dict(changes.owners)
    for participant_id in sorted((changes.entries | changes.members) - owners.keys()):
        found = yield _OWNER, {"participant_id": participant_id}
        if found:  # a participant deleted in this transaction names no challenge any more
            owners[participant_id] = found[0][0]
    reset = set(changes.challenges)
    reset.update(owners[p] for p in changes.members if p in owners)
    logged: dict[int, set[int]] = {}
    for participant_id in changes.entries:
        challenge_id = owners.get(participant_id)
        if challenge_id is not None and challenge_id not in reset:
            logged.setdefault(challenge_id, set()).add(participant_id)
    for challenge_id in sorted(reset | logged.keys()):
        members = sorted(logged.get(challenge_id, ()))
        if dialect == "postgresql" and len(members) == 1:
            # A record's usual case, in one round trip: the bump and its log row together.
            only = {"challenge_id": challenge_id, "participant_id": members[0]}
            ((version,),) = yield _BUMP_AND_LOG, only
            members = []
        else:
            bump = bump_statement(dialect, reset=challenge_id in reset)
            ((version,),) = yield bump, {"challenge_id": challenge_id}
        for participant_id in members:
            logged_row = {"challenge_id": challenge_id, "version": version}
            yield _LOG, {**logged_row, "participant_id": participant_id}
        if version % PRUNE_EVERY == 0 and version > KEEP_VERSIONS:
            through = {"pruned": challenge_id, "through": version - KEEP_VERSIONS}
            yield _PRUNE, through
            yield _PRUNED, through


def publish_direct(connection: DriverConnection, changes: Changes, dialect: str) -> None:
    """Bump the versions of what a `write_direct` job changed, on the driver's thread."""
    steps = publishing(changes, dialect)
    rows: Sequence[Sequence[Any]] | None = None
    try:
        while True:
            statement, parameters = steps.send(rows)  # type: ignore[arg-type]
            rows = connection.execute(statement, parameters)
    except StopIteration:
        return


class ChangeVersionRepository(Repository):
    """What changed in a challenge since a version, read in the caller's snapshot."""

    async def since(self, challenge_id: int, held: int | None) -> Stamp:
        """Return the challenge's version and the members changed after `held` (None: none)."""
        after = NOT_HELD if held is None else held
        rows = list(
            await self._connection.execute(_SINCE, {"challenge_id": challenge_id, "held": after})
        )
        if not rows:
            return Stamp(0, 0, frozenset())
        version, reset_at = rows[0][0], rows[0][1]
        changed = frozenset(row[2] for row in rows if row[2] is not None)
        return Stamp(version, reset_at, changed)

    async def publish(self, changes: Changes) -> None:
        """Bump the versions of what this transaction changed (call it last, before commit)."""
        steps = publishing(changes, self._connection.dialect.name)
        rows: Sequence[Sequence[Any]] | None = None
        try:
            while True:
                statement, parameters = steps.send(rows)  # type: ignore[arg-type]
                result = await self._connection.execute(statement, parameters)
                rows = list(result) if result.returns_rows else []
        except StopIteration:
            return

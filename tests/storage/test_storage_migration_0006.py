"""0006 on a used database: visibility moves to the member, zones are canonical."""

from __future__ import annotations

import asyncio
from datetime import datetime

import sqlalchemy as sa
from alembic import command

from storage import current_revision, migrate
from storage.database import create_engine, normalise_url, prepare_sqlite_file
from storage.migrate import alembic_config, head_revision
from storage.tables import metadata
from tests.storage.test_storage_schema import diff_against

AT = datetime(2026, 3, 2, 12)  # noqa: DTZ001 (stored naive UTC)


async def run(url: str, *statements: tuple[str, dict[str, object]]) -> list[list[tuple]]:
    engine = create_engine(url, writer=True)
    try:
        async with engine.begin() as connection:
            found = []
            for sql, values in statements:
                result = await connection.execute(sa.text(sql), values)
                found.append([tuple(row) for row in result] if result.returns_rows else [])
            return found
    finally:
        await engine.dispose()


def member(pid: int, challenge: int, user: int, zone: str, hidden: bool, left: bool = False):
    return (
        (
            "INSERT INTO participants (id, challenge_id, guild_id, user_id, timezone, start_day, "
            "initial_day, reminder_mode, hidden, joined_at, left_at) VALUES (:id, :challenge, 5, "
            ":user, :zone, '2026-03-02', 1, 'off', :hidden, :at, :left)"
        ),
        {
            "id": pid,
            "challenge": challenge,
            "user": user,
            "zone": zone,
            "hidden": hidden,
            "at": AT,
            "left": AT if left else None,
        },
    )


def challenge(cid: int, zone: str):
    return (
        (
            "INSERT INTO challenges (id, guild_id, name, rules_json, timezone, digest_weekday, "
            "digest_time, created_at) VALUES (:id, 5, :name, '{}', :zone, 0, '09:00', :at)"
        ),
        {"id": cid, "name": f"Club {cid}", "zone": zone, "at": AT},
    )


async def test_0006_moves_visibility_to_the_member_and_canonicalises_zones(database_url):
    config = alembic_config(database_url)
    prepare_sqlite_file(normalise_url(database_url))
    await asyncio.to_thread(command.upgrade, config, "0005")
    await run(
        database_url,
        challenge(1, "right/Europe/London"),
        challenge(2, "Europe/Berlin"),
        # Ada hid in challenge 1 and left it; she is in challenge 2 too, shown there.
        member(1, 1, 7, "US/Pacific-New", hidden=True, left=True),
        member(2, 2, 7, "US/Pacific-New", hidden=False),
        # Raj's zone names nothing tzdata can answer for: kept, for the run-time report.
        member(3, 2, 8, "localtime", hidden=False),
        member(4, 2, 9, "posix/Asia/Tokyo", hidden=False),
        (
            (
                "INSERT INTO participant_zones (participant_id, timezone, effective_from) "
                "VALUES (1, 'US/Pacific-New', :at), (3, 'localtime', :at)"
            ),
            {"at": AT},
        ),
        (
            (
                "INSERT INTO entries (participant_id, challenge_id, user_id, local_day, timezone, "
                "text, source, created_at) VALUES (1, 1, 7, '2026-03-02', 'US/Pacific-New', 'x', "
                "'command', :at)"
            ),
            {"at": AT},
        ),
    )

    await migrate(database_url)

    assert await current_revision(database_url) == head_revision()
    assert await diff_against(database_url, metadata) == []
    settings, zones, challenges, history, entries = await run(
        database_url,
        ("SELECT guild_id, user_id, hidden FROM member_settings", {}),
        ("SELECT id, timezone FROM participants ORDER BY id", {}),
        ("SELECT id, timezone FROM challenges ORDER BY id", {}),
        ("SELECT participant_id, timezone FROM participant_zones ORDER BY participant_id", {}),
        ("SELECT count(*) FROM entries", {}),
    )
    assert [(guild, user, bool(hidden)) for guild, user, hidden in settings] == [(5, 7, True)]
    assert zones == [
        (1, "America/Los_Angeles"),
        (2, "America/Los_Angeles"),
        (3, "localtime"),
        (4, "Asia/Tokyo"),
    ]
    assert challenges == [(1, "Europe/London"), (2, "Europe/Berlin")]
    assert history == [(1, "America/Los_Angeles"), (3, "localtime")]
    assert entries == [(1,)]  # dropping the column cascaded into nothing

    await asyncio.to_thread(command.downgrade, config, "0005")

    [restored] = await run(database_url, ("SELECT id, hidden FROM participants ORDER BY id", {}))
    assert [(pid, bool(hidden)) for pid, hidden in restored] == [
        (1, True),
        (2, True),  # hidden in the server, so hidden in each of its challenges
        (3, False),
        (4, False),
    ]
    assert await current_revision(database_url) == "0005"

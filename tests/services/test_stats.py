"""Organizers' numbers and export on real storage with a fixed clock.

Five members of an open-ended challenge whose gaps pause the count (x-days-of-ml-code: any
post counts, rollover at 04:00, everyone in UTC), created Monday 2 March 2026, read on Sunday
15 March (days d0..d13):
- Ada joins d0 and logs every day: Day 14, streak 14;
- Raj joins d0, logs d0-d2, leaves on d5;
- Maya joins d0, logs d0-d6, then nothing: Day 7 (the count pauses), streak 0, best 7;
- Lin joins d7, logs d7, d8 and d13, and hides from boards: Day 3, streak 1, best 2;
- Zoe joins d8 and never posts; an organizer counts her d9: Day 1, streak 0, best 1.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.challengeexport import spreadsheet_safe
from bot.domain.milestones import Milestone
from bot.domain.models import AdjustmentKind
from bot.errors import InvalidInputError, NotFoundError
from bot.services import Services
from bot.services.settings_input import ChallengeSettingsInput
from tests.services.conftest import ADA, GUILD, MAYA, ORGANIZER, RAJ, make_challenge

LIN = 2004
ZOE = 2005
D0 = date(2026, 3, 2)
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
LOGGED = {ADA: range(14), RAJ: range(3), MAYA: range(7), LIN: (7, 8, 13)}


def noon(day: int) -> datetime:
    return datetime(2026, 3, 2, 12, 0, tzinfo=UTC) + timedelta(days=day)


async def five_members(services: Services, clock: FixedClock) -> None:
    await make_challenge(services, clock, preset="x-days-of-ml-code")
    joins = {ADA: 0, RAJ: 0, MAYA: 0, LIN: 7, ZOE: 8}
    for user, day in joins.items():
        await services.participants.join(
            guild_id=GUILD, user_id=user, now=noon(day), timezone="UTC"
        )
    for user, days in LOGGED.items():
        for day in days:
            await services.entries.record(
                guild_id=GUILD, user_id=user, text=f"day {day}", at=noon(day), minutes=30
            )
    await services.participants.leave(guild_id=GUILD, user_id=RAJ, challenge=None, now=noon(5))
    await services.participants.set_hidden(guild_id=GUILD, user_id=LIN, challenge=None, hidden=True)
    await services.challenges.adjust(
        guild_id=GUILD,
        organizer_id=ORGANIZER,
        member_id=ZOE,
        day=D0 + timedelta(days=9),
        kind=AdjustmentKind.COUNT,
        reason="posted in the wrong channel",
        challenge=None,
        now=noon(10),
    )


async def test_members_active_per_day_count_everyone_who_posted_for_that_local_day(
    services: Services, clock: FixedClock
) -> None:
    await five_members(services, clock)
    stats = await services.stats.stats(guild_id=GUILD, now=NOW)
    # By hand from LOGGED: d0-d2 Ada, Raj (left since) and Maya; d3-d6 Ada and Maya; d7, d8
    # Ada and Lin (hidden); d9-d12 Ada alone (Zoe's counted d9 is a ruling, not a post); d13
    # Ada and Lin.
    expected = [3, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2]
    assert stats.days == tuple((D0 + timedelta(days=n), count) for n, count in enumerate(expected))
    assert (stats.first_day, stats.last_day) == (D0, date(2026, 3, 15))
    assert stats.active_days == sum(len(days) for days in LOGGED.values())
    assert (stats.joined, stats.still_in, stats.left, stats.hidden) == (5, 4, 1, 1)


async def test_retention_groups_members_by_join_week_and_counts_each_later_week(
    services: Services, clock: FixedClock
) -> None:
    await five_members(services, clock)
    stats = await services.stats.stats(guild_id=GUILD, now=NOW)
    first, second = stats.cohorts
    # Week of 2 Mar: Ada, Raj, Maya all posted that week; only Ada the week of 9 Mar.
    assert (first.monday, first.members, first.active) == (D0, 3, (3, 1))
    # Week of 9 Mar: Lin and Zoe joined; Lin posted, Zoe did not.
    assert (second.monday, second.members, second.active) == (date(2026, 3, 9), 2, (1,))
    assert first.share(1) == pytest.approx(1 / 3)


async def test_milestones_are_the_engines_day_n_now_and_streak_medians_of_members_still_in(
    services: Services, clock: FixedClock
) -> None:
    await five_members(services, clock)
    stats = await services.stats.stats(guild_id=GUILD, now=NOW)
    # Open-ended: Day 7 to Day 100, no finished round. Day N now: Ada 14, Maya 7 (paused),
    # Lin 3, Zoe 1; Raj left and is not counted.
    assert stats.reached == (
        (Milestone.DAY_7, 2),
        (Milestone.DAY_25, 0),
        (Milestone.DAY_50, 0),
        (Milestone.DAY_66, 0),
        (Milestone.DAY_100, 0),
    )
    # Streaks now 14, 0, 1, 0 and best 14, 7, 2, 1 (Ada, Maya, Lin, Zoe).
    assert stats.median_streak == 0.5
    assert stats.median_best == 4.5


async def test_a_challenge_nobody_joined_has_empty_stats_and_no_chart(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock, preset="x-days-of-ml-code")
    picture = await services.stats.picture(guild_id=GUILD, now=clock() + timedelta(days=3))
    assert picture.stats.empty
    assert picture.png is None
    assert picture.stats.cohorts == ()
    assert picture.stats.median_streak is None
    assert [count for _, count in picture.stats.days] == [0, 0, 0, 0]


async def test_the_stats_picture_is_a_png(services: Services, clock: FixedClock) -> None:
    await five_members(services, clock)
    picture = await services.stats.picture(guild_id=GUILD, now=NOW)
    assert picture.png is not None
    assert picture.png.startswith(b"\x89PNG\r\n\x1a\n")


async def test_a_finished_round_counts_among_the_milestones_of_a_challenge_with_a_target(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock, preset="66-days-of-data")
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=noon(0), timezone="UTC")
    stats = await services.stats.stats(guild_id=GUILD, now=noon(1))
    # 66 days: Day 66 is the finished round itself, and Day 100 is never reached.
    assert [milestone for milestone, _ in stats.reached] == [
        Milestone.DAY_7,
        Milestone.DAY_25,
        Milestone.DAY_50,
        Milestone.FINISHED,
    ]


def names_of(known: Mapping[int, str]):
    async def lookup(user_ids: Sequence[int]) -> Mapping[int, str]:
        return {user_id: known[user_id] for user_id in user_ids if user_id in known}

    return lookup


FORMULA = '=HYPERLINK("http://evil")'


async def test_the_export_has_a_row_per_member_day_with_posts_or_a_ruling(
    services: Services, clock: FixedClock
) -> None:
    await five_members(services, clock)
    exported = await services.exports.export(
        guild_id=GUILD,
        now=NOW,
        names=names_of({ADA: FORMULA, LIN: "Lin"}),
        limit=10 * 1024 * 1024,
    )
    assert not exported.zipped
    assert [file.filename for file in exported.files] == [
        "ml-club-days.csv",
        "ml-club-members.json",
    ]
    rows = list(csv.DictReader(io.StringIO(exported.files[0].data.decode())))
    # 27 member-days with posts, and Zoe's day the organizer counted.
    assert len(rows) == exported.days == 28
    assert exported.entries == 27
    by_user: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_user.setdefault(row["user_id"], []).append(row)
    assert {user: len(days) for user, days in by_user.items()} == {
        str(ADA): 14,
        str(RAJ): 3,
        str(MAYA): 7,
        str(LIN): 3,
        str(ZOE): 1,
    }
    # The formula is written as text; the hidden member is marked; Day N only on counted days.
    assert by_user[str(ADA)][0]["display_name"] == "'" + FORMULA
    assert {row["hidden"] for row in by_user[str(LIN)]} == {"yes"}
    assert {row["hidden"] for row in by_user[str(ADA)]} == {"no"}
    assert [row["day"] for row in by_user[str(LIN)]] == ["1", "2", "3"]
    assert by_user[str(ADA)][-1] | {"display_name": ""} == {
        "user_id": str(ADA),
        "display_name": "",
        "hidden": "no",
        "date": "2026-03-15",
        "round": "1",
        "day": "14",
        "counted": "yes",
        "status": "counted",
        "ruling": "",
        "minutes": "30",
        "posts": "1",
    }
    (zoe,) = by_user[str(ZOE)]
    assert (zoe["date"], zoe["counted"], zoe["ruling"], zoe["posts"]) == (
        "2026-03-11",
        "yes",
        "count",
        "0",
    )
    # A member the caller has no name for (and Daybook saw none of) gets an empty name.
    assert {row["display_name"] for row in by_user[str(RAJ)]} == {""}


async def test_the_export_json_lists_every_participant_with_settings_days_and_posts(
    services: Services, clock: FixedClock
) -> None:
    await five_members(services, clock)
    exported = await services.exports.export(
        guild_id=GUILD, now=NOW, names=names_of({LIN: "Lin"}), limit=10 * 1024 * 1024
    )
    document = json.loads(exported.files[1].data)
    members = {member["user_id"]: member for member in document["members"]}
    assert set(members) == {str(user) for user in (ADA, RAJ, MAYA, LIN, ZOE)}
    lin = members[str(LIN)]
    assert (lin["display_name"], lin["hidden"], lin["time_zone"]) == ("Lin", True, "UTC")
    assert [entry["date"] for entry in lin["entries"]] == [
        "2026-03-09",
        "2026-03-10",
        "2026-03-15",
    ]
    assert lin["entries"][0]["text"] == "day 7"
    assert lin["entries"][0]["source"] == "command"
    assert members[str(RAJ)]["left_at"] == noon(5).isoformat()
    assert members[str(ADA)]["left_at"] is None
    assert members[str(ZOE)]["entries"] == []
    assert members[str(ZOE)]["days"][0]["ruling"] == "count"


async def test_an_export_too_big_to_attach_is_zipped_then_refused(
    services: Services, clock: FixedClock
) -> None:
    await five_members(services, clock)
    whole = await services.exports.export(
        guild_id=GUILD, now=NOW, names=names_of({}), limit=10 * 1024 * 1024
    )
    # Just under the two files together: they go as one zip holding both.
    zipped = await services.exports.export(
        guild_id=GUILD, now=NOW, names=names_of({}), limit=whole.size - 1
    )
    assert zipped.zipped
    (archive,) = zipped.files
    assert archive.filename == "ml-club-export.zip"
    with zipfile.ZipFile(io.BytesIO(archive.data)) as opened:
        assert opened.namelist() == ["ml-club-days.csv", "ml-club-members.json"]
        assert opened.read("ml-club-days.csv") == whole.files[0].data
    with pytest.raises(InvalidInputError, match="even zipped"):
        await services.exports.export(guild_id=GUILD, now=NOW, names=names_of({}), limit=100)


async def test_exporting_a_challenge_nobody_joined_says_so(
    services: Services, clock: FixedClock
) -> None:
    await make_challenge(services, clock)
    with pytest.raises(InvalidInputError, match="Nobody has joined ML Club yet"):
        await services.exports.export(
            guild_id=GUILD, now=clock(), names=names_of({}), limit=10 * 1024 * 1024
        )


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6", "'+31 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ada = 1", "Ada = 1"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(
    cell: str, written: str
) -> None:
    assert spreadsheet_safe(cell) == written


async def test_an_ended_challenge_can_still_be_exported(
    services: Services, clock: FixedClock
) -> None:
    # The end is when organizers most want their data out: /challenge end keeps everything.
    await five_members(services, clock)
    await services.challenges.end(guild_id=GUILD, challenge=None, now=noon(14))
    exported = await services.exports.export(
        guild_id=GUILD, now=noon(15), names=names_of({}), limit=10 * 1024 * 1024
    )
    rows = list(csv.DictReader(io.StringIO(exported.files[0].data.decode())))
    # Every member-day with a post or a ruling: LOGGED's days, and Zoe's counted day 9.
    assert len(rows) == sum(len(days) for days in LOGGED.values()) + 1

    # With a new challenge running, the ended one is still found by its name...
    await services.challenges.create(
        guild_id=GUILD, settings=ChallengeSettingsInput(name="Round Two"), now=noon(15)
    )
    by_name = await services.exports.export(
        guild_id=GUILD, challenge="ml club", now=noon(15), names=names_of({}), limit=10 << 20
    )
    assert by_name.files[0].filename == "ml-club-days.csv"
    # ...and a name that is neither says which there are.
    with pytest.raises(NotFoundError, match="Challenges: Round Two and ML Club"):
        await services.exports.export(
            guild_id=GUILD, challenge="Nope", now=noon(15), names=names_of({}), limit=10 << 20
        )

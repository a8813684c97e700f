"""Importing a log (plan, confirm, idempotence, limits) and exporting posts as a log."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest

from bot.domain.logparse import UnreadableDate, parse_log
from bot.domain.models import EntrySource
from bot.errors import ConflictError, InvalidInputError, NotAllowedError
from bot.services import Services
from bot.services.logs import MAX_LOG_ENTRIES, MAX_LOG_LINES, ImportExpiredError
from bot.services.parse_worker import ParseBudget, ProcessReader
from bot.wording.ledger import reason_text
from tests.services.conftest import ADA, GUILD, RAJ, make_challenge

# Monday 2026-03-02 is today (the clock). Feb 26 and 27 count, Feb 28 says no progress, Mar 1
# counts: under x-days-of-ml-code (a miss resets the streak) the best streak is 2 (Feb 26-27)
# and the current one 1 (Mar 1), with today still open.
LOG = b"""# My ML log - Round 1

### R1D1: February 26, 2026
Trained a first model #python

### R1D2: February 27, 2026
Read https://arxiv.org/abs/1706.03762

### R1D3: February 28, 2026
**Today's Progress**: None.

### R1D3: March 1, 2026
Tuned the learning rate
"""


@pytest.fixture
async def joined(services, clock):
    await make_challenge(services, clock, preset="x-days-of-ml-code", timezone="UTC")
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")


async def plan(services, clock, data: bytes = LOG, **options):
    return await services.logs.plan_import(
        guild_id=GUILD, user_id=ADA, data=data, now=clock(), **options
    )


async def test_the_plan_stores_nothing_and_predicts_the_standing(services, clock, joined) -> None:
    planned = await plan(services, clock)

    assert [day.day for day in planned.days] == [
        date(2026, 2, 26),
        date(2026, 2, 27),
        date(2026, 3, 1),
    ]
    assert planned.not_counted == 1  # "Today's Progress: None."
    assert planned.would_count == 3
    assert (planned.after.best_streak, planned.after.current_streak) == (2, 1)
    assert planned.before.best_streak == 0
    assert planned.start_day == date(2026, 2, 26)
    assert await services.entries.recent(guild_id=GUILD, user_id=ADA, challenge=None) == []


async def test_confirming_stores_imported_days_and_moves_the_start(services, clock, joined) -> None:
    planned = await plan(services, clock)
    progress: list[tuple[int, int]] = []

    async def report(done: int, total: int) -> None:
        progress.append((done, total))

    result = await services.logs.run_import(planned, now=clock(), progress=report)

    assert (result.stored, result.skipped) == (3, 0)
    assert (result.summary.best_streak, result.summary.current_streak) == (2, 1)
    assert progress == [(3, 3)]
    recent = await services.entries.recent(guild_id=GUILD, user_id=ADA, challenge=None, limit=10)
    assert {entry.source for entry in recent} == {EntrySource.IMPORT}
    assert sorted(entry.local_day for entry in recent) == [day.day for day in planned.days]
    member = await services.participants.mine(guild_id=GUILD, user_id=ADA, challenge=None)
    assert member.start_day == date(2026, 2, 26)
    ledger = await services.progress.ledger(guild_id=GUILD, viewer_id=ADA, now=clock())
    imported = [row for row in ledger.ledger.rows if row.day == date(2026, 3, 1)]
    assert imported[0].imported == 1
    assert "imported" in reason_text(imported[0].reason)


async def test_importing_the_same_file_twice_changes_nothing(services, clock, joined) -> None:
    await services.logs.run_import(await plan(services, clock), now=clock())

    again = await plan(services, clock)

    assert again.days == ()
    assert len(again.already_imported) == 3
    result = await services.logs.run_import(again, now=clock())
    assert result.stored == 0
    recent = await services.entries.recent(guild_id=GUILD, user_id=ADA, challenge=None, limit=10)
    assert len(recent) == 3


async def test_a_day_already_posted_is_never_overwritten(services, clock, joined) -> None:
    await services.entries.record(
        guild_id=GUILD, user_id=ADA, text="Posted in Discord", at=clock(), day=date(2026, 3, 1)
    )

    planned = await plan(services, clock)

    assert planned.conflicts == (date(2026, 3, 1),)
    assert date(2026, 3, 1) not in [day.day for day in planned.days]
    await services.logs.run_import(planned, now=clock())
    kept = await services.entries.recent(guild_id=GUILD, user_id=ADA, challenge=None, limit=10)
    on_the_day = [entry for entry in kept if entry.local_day == date(2026, 3, 1)]
    assert [entry.text for entry in on_the_day] == ["Posted in Discord"]


async def test_a_post_made_between_preview_and_confirm_wins(services, clock, joined) -> None:
    planned = await plan(services, clock)
    await services.entries.record(
        guild_id=GUILD, user_id=ADA, text="Posted meanwhile", at=clock(), day=date(2026, 3, 1)
    )

    result = await services.logs.run_import(planned, now=clock())

    assert (result.stored, result.skipped) == (2, 1)


async def test_future_and_undated_entries_are_left_out(services, clock, joined) -> None:
    data = (
        b"### Day 1: March 1, 2026\nRead\n\n### Day 2: March 9, 2026\nWrote\n\n### Day 3\nTested\n"
    )

    planned = await plan(services, clock, data=data)

    assert [day.day for day in planned.days] == [date(2026, 3, 1)]
    assert planned.future == (date(2026, 3, 9),)
    assert planned.undated == 1


async def test_start_dates_an_undated_log(services, clock, joined) -> None:
    data = b"## Day1:\nRead a paper\n\n## Day2:\nWrote code\n"

    planned = await plan(services, clock, data=data, start=date(2026, 2, 20))

    assert [day.day for day in planned.days] == [date(2026, 2, 20), date(2026, 2, 21)]


async def test_a_log_that_starts_at_day_66_keeps_its_numbering(services, clock, joined) -> None:
    data = b"### Day 66: February 27, 2026\nRead\n\n### Day 67: February 28, 2026\nWrote\n"

    planned = await plan(services, clock, data=data)

    assert planned.initial_day == 66
    assert planned.after.day_number == 67


async def test_a_day_number_no_challenge_can_hold_restarts_the_count(
    services, clock, joined
) -> None:
    # Days are numbered up to 1,000 (the longest challenge): a log at Day 1500 is another count,
    # so the import numbers from Day 1 rather than failing half way in the database.
    data = b"### Day 1500: February 27, 2026\nRead\n\n### Day 1501: February 28, 2026\nWrote\n"

    planned = await plan(services, clock, data=data)
    result = await services.logs.run_import(
        await services.logs.take(
            await services.logs.hold(planned, now=clock()), user_id=ADA, now=clock()
        ),
        now=clock(),
    )

    assert planned.initial_day == 1
    assert result.stored == 2
    assert result.summary.day_number == 2


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"x" * (2 * 1024 * 1024 + 1), "at most 2 MB"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
        (b"Just some notes about my week, no days at all.", "not a log I can read"),
        (b"\xff\xfe\xfa not utf-8 \xc3", "not UTF-8"),
    ],
)
async def test_files_that_are_not_logs_are_refused(services, clock, joined, data, says) -> None:
    with pytest.raises(InvalidInputError, match=says):
        await plan(services, clock, data=data)


async def test_more_than_five_thousand_entries_are_refused(services, clock, joined) -> None:
    first = date(2010, 1, 1)
    data = "\n".join(
        f"## {first + timedelta(days=n):%Y/%m/%d}\nday {n}\n" for n in range(MAX_LOG_ENTRIES + 1)
    ).encode()

    with pytest.raises(InvalidInputError, match="at most 5,000"):
        await plan(services, clock, data=data)


async def test_five_thousand_days_import_in_batches(services, clock, joined) -> None:
    first = date(2012, 1, 1)
    data = "\n".join(
        f"## {first + timedelta(days=n):%Y/%m/%d}\nday {n}\n" for n in range(MAX_LOG_ENTRIES)
    ).encode()
    planned = await plan(services, clock, data=data)
    seen: list[int] = []

    async def report(done: int, total: int) -> None:
        seen.append(done)

    result = await services.logs.run_import(planned, now=clock(), progress=report)

    assert result.stored == MAX_LOG_ENTRIES
    assert seen[-1] == MAX_LOG_ENTRIES
    assert len(seen) == MAX_LOG_ENTRIES // 250
    # 5,000 days in a row and nothing since 2025-09-08: the best streak is the whole log.
    assert result.summary.best_streak == MAX_LOG_ENTRIES


async def test_only_the_importer_can_confirm_and_only_once(services, clock, joined) -> None:
    planned = await plan(services, clock)
    token = await services.logs.hold(planned, now=clock())

    with pytest.raises(NotAllowedError):
        await services.logs.take(token, user_id=RAJ, now=clock())
    taken = await services.logs.take(token, user_id=ADA, now=clock())
    assert taken.days == planned.days
    assert taken.participant == planned.participant
    assert taken.challenge == planned.challenge
    assert (taken.start_day, taken.initial_day, taken.today) == (
        planned.start_day,
        planned.initial_day,
        planned.today,
    )
    # A second click is told the truth: the first one confirmed it.
    with pytest.raises(ConflictError, match="already confirmed: its days are stored"):
        await services.logs.take(token, user_id=ADA, now=clock())
    with pytest.raises(ConflictError, match="already confirmed"):
        await services.logs.take(token, user_id=ADA, now=clock(), confirm=False)


async def test_a_second_cancel_is_told_it_was_cancelled(services, clock, joined) -> None:
    token = await services.logs.hold(await plan(services, clock), now=clock())
    await services.logs.take(token, user_id=ADA, now=clock(), confirm=False)
    with pytest.raises(ConflictError, match="already cancelled: nothing was imported"):
        await services.logs.take(token, user_id=ADA, now=clock())


async def test_a_preview_can_be_confirmed_after_a_restart(
    services, database, clock, joined
) -> None:
    planned = await plan(services, clock)
    token = await services.logs.hold(planned, now=clock())
    restarted = Services.build(database)  # a new process on the same database

    taken = await restarted.logs.take(token, user_id=ADA, now=clock())
    result = await restarted.logs.run_import(taken, now=clock())

    assert taken.days == planned.days
    assert result.stored == 3
    assert (result.summary.best_streak, result.summary.current_streak) == (2, 1)
    with pytest.raises(ConflictError, match="already confirmed"):
        await services.logs.take(token, user_id=ADA, now=clock())


async def test_a_preview_still_confirms_at_23_hours_59(services, clock, joined) -> None:
    token = await services.logs.hold(await plan(services, clock), now=clock())

    taken = await services.logs.take(
        token, user_id=ADA, now=clock() + timedelta(hours=23, minutes=59)
    )
    result = await services.logs.run_import(taken, now=clock() + timedelta(hours=23, minutes=59))

    assert result.stored == 3


async def test_a_preview_expires_after_24_hours(services, clock, joined) -> None:
    token = await services.logs.hold(await plan(services, clock), now=clock())

    with pytest.raises(ImportExpiredError, match=r"expired \(previews last 24 hours\)"):
        await services.logs.take(token, user_id=ADA, now=clock() + timedelta(hours=24, minutes=1))
    # The expired plan was deleted on that click: it is gone for good, even for an older clock.
    with pytest.raises(ImportExpiredError):
        await services.logs.take(token, user_id=ADA, now=clock())


async def test_a_confirm_the_next_day_reports_the_standing_of_that_day(
    services, clock, joined
) -> None:
    # Previewed on Mon 2 March (Mar 1 counted, today open: current streak 1). Confirmed 23 hours
    # later, on Tue 3 March: Mon 2 March passed without a post, and under x-days-of-ml-code a
    # miss resets the streak, so the reply must say 0, as /streak does at that moment.
    token = await services.logs.hold(await plan(services, clock), now=clock())
    later = clock() + timedelta(hours=23)

    result = await services.logs.run_import(
        await services.logs.take(token, user_id=ADA, now=later), now=later
    )
    standing = await services.progress.summary(guild_id=GUILD, viewer_id=ADA, now=later)

    assert result.summary.today == date(2026, 3, 3)
    assert result.summary.current_streak == 0
    assert result.summary == standing.summary


async def test_expired_previews_are_dropped_by_the_tick_housekeeping(
    services, database, clock, joined
) -> None:
    kept = await services.logs.hold(await plan(services, clock), now=clock())
    dropped = await services.logs.hold(
        await plan(services, clock), now=clock() - timedelta(hours=1)
    )

    assert await services.logs.drop_expired(now=clock() + timedelta(hours=23, minutes=30)) == 1
    async with database.read() as repos:
        assert await repos.import_plans.get(dropped) is None
        assert await repos.import_plans.get(kept) is not None


async def test_a_new_preview_clears_expired_ones(services, database, clock, joined) -> None:
    old = await services.logs.hold(await plan(services, clock), now=clock())
    later = clock() + timedelta(hours=24)
    fresh = await services.logs.hold(await plan(services, clock), now=later)

    async with database.read() as repos:
        kept = [await repos.import_plans.get(token) for token in (old, fresh)]

    assert kept[0] is None
    assert kept[1] is not None
    assert kept[1].expires_at == later + timedelta(hours=24)


async def test_forget_me_deletes_a_waiting_plan(services, clock, joined) -> None:
    token = await services.logs.hold(await plan(services, clock), now=clock())

    await services.participants.forget(user_id=ADA)

    with pytest.raises(ImportExpiredError):
        await services.logs.take(token, user_id=ADA, now=clock())


async def test_a_five_thousand_day_plan_is_kept_whole(services, database, clock, joined) -> None:
    first = date(2012, 1, 1)
    data = "\n".join(
        f"## {first + timedelta(days=n):%Y/%m/%d}\nday {n} #log https://github.com/ada/{n}\n"
        for n in range(MAX_LOG_ENTRIES)
    ).encode()
    planned = await plan(services, clock, data=data)
    token = await services.logs.hold(planned, now=clock())

    taken = await Services.build(database).logs.take(token, user_id=ADA, now=clock())

    assert len(taken.days) == MAX_LOG_ENTRIES
    assert taken.days == planned.days


# ------------------------------------------------------------------------------------------
# Export
# ------------------------------------------------------------------------------------------


async def export(services, clock, fmt: str) -> str:
    exported = await services.logs.export(guild_id=GUILD, user_id=ADA, fmt=fmt, now=clock())
    return exported.data.decode()


async def test_the_markdown_export_reads_back_as_the_same_days(services, clock, joined) -> None:
    await services.logs.run_import(await plan(services, clock), now=clock())
    await services.entries.record(
        guild_id=GUILD, user_id=ADA, text="Today: ### not a heading\n# nor this", at=clock()
    )

    text = await export(services, clock, "markdown")
    back = parse_log(text)

    assert text.startswith("# ML Club \u2014 Round 1\n")
    assert "### R1D1: February 26, 2026" in text
    assert [entry.dates for entry in back.entries] == [
        (date(2026, 2, 26),),
        (date(2026, 2, 27),),
        (date(2026, 3, 1),),
        (date(2026, 3, 2),),
    ]
    # Day N as the ledger counts it: Feb 28 was missed, which resets the streak, not the count.
    assert [entry.day for entry in back.entries] == [1, 2, 3, 4]
    assert back.entries[0].text == "Trained a first model #python"
    assert back.entries[0].tags == ("python",)
    assert back.entries[3].text == "Today: ### not a heading\n# nor this"


async def test_json_and_csv_exports_hold_every_post(services, clock, joined) -> None:
    await services.logs.run_import(await plan(services, clock), now=clock())

    document = json.loads(await export(services, clock, "json"))
    rows = list(csv.DictReader(io.StringIO(await export(services, clock, "csv"))))

    assert document["challenge"] == "ML Club"
    assert [entry["date"] for entry in document["entries"]] == [
        "2026-02-26",
        "2026-02-27",
        "2026-03-01",
    ]
    assert document["entries"][1]["links"] == [
        {"url": "https://arxiv.org/abs/1706.03762", "kind": "arxiv"}
    ]
    assert [row["date"] for row in rows] == ["2026-02-26", "2026-02-27", "2026-03-01"]
    assert rows[0]["tags"] == "python"
    assert rows[0]["source"] == "import"


async def test_nothing_to_export_is_said_politely(services, clock, joined) -> None:
    with pytest.raises(InvalidInputError, match="no posts"):
        await export(services, clock, "csv")


# ------------------------------------------------------------------------------------------
# Bounded reading (issue 11): impossible years, too many lines, a reader out of budget
# ------------------------------------------------------------------------------------------


async def test_a_log_dated_0001_never_moves_the_start_back(services, clock, joined) -> None:
    data = b"## 0001-01-01\nSet up the repo\n\n## 2026-03-01\nTrained a model\n"

    planned = await plan(services, clock, data=data)
    result = await services.logs.run_import(planned, now=clock())

    # 0001-01-01 is not read as 2001-01-01: that entry is undated and left out, with a warning.
    assert [day.day for day in planned.days] == [date(2026, 3, 1)]
    assert planned.undated == 1
    assert UnreadableDate(line=1, heading="0001-01-01") in planned.parsed.warnings
    assert planned.start_day == date(2026, 3, 1)
    assert result.stored == 1
    member = await services.participants.mine(guild_id=GUILD, user_id=ADA, challenge=None)
    assert member.start_day == date(2026, 3, 1)


async def test_a_log_of_too_many_lines_is_refused_before_it_is_read(
    services, clock, joined
) -> None:
    data = b"## Day 1: March 1, 2026\n" + b"- a\n" * MAX_LOG_LINES

    with pytest.raises(InvalidInputError, match=r"40,001 lines of text; .* at most 40,000"):
        await plan(services, clock, data=data)


async def test_a_log_that_overruns_its_budget_is_stopped_and_nothing_is_stored(
    database, clock
) -> None:
    services = Services.build(
        database, log_reader=ProcessReader(ParseBudget(cpu_seconds=30, wall_seconds=0.2))
    )
    await make_challenge(services, clock, preset="x-days-of-ml-code", timezone="UTC")
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=clock(), timezone="UTC")
    # Within the limits of lines and entries, but more than 0.2 s of reading.
    data = ("## Day 1: March 1, 2026\n" + "1. a\n" * (MAX_LOG_LINES - 2)).encode()

    with pytest.raises(InvalidInputError) as refused:
        await plan(services, clock, data=data)

    assert refused.value.message.startswith("That log took too long to read")
    assert "nothing was stored" in refused.value.message
    recent = await services.entries.recent(guild_id=GUILD, user_id=ADA, challenge=None, limit=10)
    assert recent == []

"""When reminders, nudges and digests fall due; expected instants from the 2026 tz rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import (
    DigestAction,
    digest_slot,
    digest_slots,
    next_digest,
    nudge_due,
    reminder_due,
    reminder_instant,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
KOLKATA = ZoneInfo("Asia/Kolkata")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "at", "tz", "rollover", "expected"),
    [
        # An ordinary evening: 20:00 IST is 14:30 UTC.
        (date(2026, 3, 2), time(20), KOLKATA, 4, utc(2026, 3, 2, 14, 30)),
        # Before the rollover hour: the next calendar date (01:30 CET on 3 March).
        (date(2026, 3, 2), time(1, 30), BERLIN, 4, utc(2026, 3, 3, 0, 30)),
        # With a midnight rollover, 01:30 is the same date.
        (date(2026, 3, 2), time(1, 30), BERLIN, 0, utc(2026, 3, 2, 0, 30)),
        # Skipped: 02:30 on 29 March in Berlin does not exist -> 03:00 CEST.
        (date(2026, 3, 29), time(2, 30), BERLIN, 0, utc(2026, 3, 29, 1, 0)),
        # Repeated: 02:30 on 25 October in Berlin -> the first, CEST.
        (date(2026, 10, 25), time(2, 30), BERLIN, 0, utc(2026, 10, 25, 0, 30)),
        # Skipped: 02:30 on 8 March in New York -> 03:00 EDT.
        (date(2026, 3, 8), time(2, 30), NEW_YORK, 0, utc(2026, 3, 8, 7, 0)),
        # Repeated: 01:30 on 1 November in New York -> the first, EDT.
        (date(2026, 11, 1), time(1, 30), NEW_YORK, 0, utc(2026, 11, 1, 5, 30)),
        # Lord Howe's half hour: 02:15 on 4 October does not exist -> 02:30 at +11.
        (date(2026, 10, 4), time(2, 15), LORD_HOWE, 0, utc(2026, 10, 3, 15, 30)),
        # 01:45 on 5 April happens twice -> the first, at +11.
        (date(2026, 4, 5), time(1, 45), LORD_HOWE, 0, utc(2026, 4, 4, 14, 45)),
    ],
)
def test_reminder_instants(day, at, tz, rollover, expected):
    assert reminder_instant(day, at, tz, rollover) == expected


def test_a_reminder_is_due_from_its_instant_until_the_day_ends():
    at = time(20)
    before = reminder_due(utc(2026, 3, 2, 14, 29), at, KOLKATA, 4)
    on_time = reminder_due(utc(2026, 3, 2, 14, 30), at, KOLKATA, 4)
    late = reminder_due(utc(2026, 3, 2, 22, 29), at, KOLKATA, 4)  # 03:59 IST: still 2 March
    next_day = reminder_due(utc(2026, 3, 2, 22, 30), at, KOLKATA, 4)  # 04:00: 3 March

    assert (before.day, before.due) == (date(2026, 3, 2), False)
    assert (on_time.day, on_time.due) == (date(2026, 3, 2), True)
    assert (late.day, late.due) == (date(2026, 3, 2), True)
    assert (next_day.day, next_day.due) == (date(2026, 3, 3), False)


def test_the_repeated_hour_never_gives_a_day_a_second_due_instant():
    # Through the whole repeated hour in New York the local day stays 31 October (04:00
    # rollover), so a reminder keyed by that day cannot fall due twice.
    days = {
        reminder_due(utc(2026, 11, 1, 5, 0) + timedelta(minutes=m), time(1, 30), NEW_YORK, 4).day
        for m in range(0, 120, 5)
    }
    assert days == {date(2026, 10, 31)}


def test_a_nudge_is_due_the_given_hours_before_the_day_ends():
    # Kolkata, 04:00 rollover: 2 March ends at 22:30 UTC; 3 hours before is 19:30 UTC.
    assert not nudge_due(utc(2026, 3, 2, 19, 29), 3, KOLKATA, 4).due
    assert nudge_due(utc(2026, 3, 2, 19, 30), 3, KOLKATA, 4).due
    # Berlin's short night (29 March has 23 hours): 04:00 CEST on 30 March is 02:00 UTC.
    assert not nudge_due(utc(2026, 3, 29, 22, 59), 3, BERLIN, 4).due
    assert nudge_due(utc(2026, 3, 29, 23, 0), 3, BERLIN, 4).due


def test_a_monday_digest_reports_on_the_iso_week_before_it():
    slot = digest_slot(date(2026, 11, 16), 0, time(9), BERLIN)

    assert slot.week == "2026-W47"
    assert slot.moment == utc(2026, 11, 16, 8, 0)  # 09:00 CET
    assert (slot.first_day, slot.last_day) == (date(2026, 11, 9), date(2026, 11, 15))


def test_a_digest_is_posted_within_24_hours_of_its_moment_and_skipped_after():
    slot = digest_slot(date(2026, 11, 16), 0, time(9), BERLIN)

    assert slot.action(utc(2026, 11, 16, 7, 59)) is DigestAction.WAIT
    assert slot.action(utc(2026, 11, 16, 8, 0)) is DigestAction.POST
    assert slot.action(utc(2026, 11, 17, 7, 59)) is DigestAction.POST
    assert slot.action(utc(2026, 11, 17, 8, 0)) is DigestAction.SKIP


def test_a_sunday_evening_digest_missed_is_still_seen_on_monday():
    # Sunday 22 November 20:00 in New York is 01:00 UTC on Monday 23 November.
    now = utc(2026, 11, 23, 13, 0)  # Monday 08:00 EST: a new ISO week
    last_week, this_week = digest_slots(now, 6, time(20), NEW_YORK)

    assert (last_week.week, last_week.moment) == ("2026-W47", utc(2026, 11, 23, 1, 0))
    assert last_week.action(now) is DigestAction.POST
    assert this_week.week == "2026-W48"
    assert this_week.action(now) is DigestAction.WAIT


def test_the_next_digest_reports_on_its_own_week_whenever_it_is_read():
    now = utc(2026, 11, 18, 12)  # Wednesday
    upcoming = next_digest(now, 0, time(9), BERLIN)

    assert (upcoming.week, upcoming.moment) == ("2026-W48", utc(2026, 11, 23, 8))
    # Read on Wednesday (a preview) or posted on Monday 23, it covers Monday 16 to Sunday 22.
    assert (upcoming.first_day, upcoming.last_day) == (date(2026, 11, 16), date(2026, 11, 22))


def test_a_digest_time_the_clocks_skip_falls_after_the_gap():
    # Sunday 29 March 2026, 02:30 in Berlin does not exist: 03:00 CEST.
    slot = digest_slot(date(2026, 3, 23), 6, time(2, 30), BERLIN)
    assert slot.moment == utc(2026, 3, 29, 1, 0)

"""Which local day an instant belongs to, and which instant a local wall time names.

Every expected value is worked out by hand from the IANA offsets of 2026 (and, for the
monotonicity checks, the historical ones); the arithmetic is in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.calendar import (
    UnknownZoneError,
    canonical_zone,
    day_bounds,
    days_between,
    iso_week,
    known_zone,
    local_day,
    wall_time_instant,
    zone,
    zone_alias,
    zone_names,
)

BERLIN = zone("Europe/Berlin")
NEW_YORK = zone("America/New_York")
SYDNEY = zone("Australia/Sydney")
LORD_HOWE = zone("Australia/Lord_Howe")
KOLKATA = zone("Asia/Kolkata")
ADELAIDE = zone("Australia/Adelaide")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# ------------------------------------------------------------------------------------------
# The rollover hour
# ------------------------------------------------------------------------------------------


def test_post_at_0130_counts_for_previous_day() -> None:
    # Berlin in June is CEST (+02:00): 23:30Z on 06-09 is 01:30 local on 06-10.
    assert local_day(utc(2026, 6, 9, 23, 30), BERLIN, 4) == date(2026, 6, 9)


def test_post_at_0359_still_counts_for_previous_day() -> None:
    # 01:59Z + 2h = 03:59 local on 06-10.
    assert local_day(utc(2026, 6, 10, 1, 59), BERLIN, 4) == date(2026, 6, 9)


def test_post_at_0400_exactly_starts_the_new_day() -> None:
    # 02:00Z + 2h = 04:00 local on 06-10.
    assert local_day(utc(2026, 6, 10, 2, 0), BERLIN, 4) == date(2026, 6, 10)


def test_rollover_zero_splits_days_at_midnight() -> None:
    # 21:59Z + 2h = 23:59 on 06-09; 22:00Z + 2h = 00:00 on 06-10.
    assert local_day(utc(2026, 6, 9, 21, 59), BERLIN, 0) == date(2026, 6, 9)
    assert local_day(utc(2026, 6, 9, 22, 0), BERLIN, 0) == date(2026, 6, 10)
    assert local_day(utc(2026, 6, 9, 23, 30), BERLIN, 0) == date(2026, 6, 10)


def test_any_aware_datetime_is_accepted_not_only_utc() -> None:
    # The same instant expressed in +05:30 or in UTC belongs to the same day.
    instant = datetime(2026, 6, 16, 3, 59, tzinfo=KOLKATA)  # 22:29Z on 06-15
    assert local_day(instant, BERLIN, 0) == local_day(utc(2026, 6, 15, 22, 29), BERLIN, 0)
    assert local_day(instant, KOLKATA, 4) == date(2026, 6, 15)


def test_local_day_rejects_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2026, 6, 10, 12, 0), BERLIN, 4)  # noqa: DTZ001


# ------------------------------------------------------------------------------------------
# DST transitions of 2026, instants just before and after
# ------------------------------------------------------------------------------------------

# (UTC instant, zone, rollover hour, expected local day). The comment gives the local wall.
DAY_TABLE = [
    # Europe/Berlin spring: 2026-03-29 02:00 CET (+1) -> 03:00 CEST (+2), at 01:00Z.
    (utc(2026, 3, 29, 0, 59), BERLIN, 4, date(2026, 3, 28)),  # 01:59 CET
    (utc(2026, 3, 29, 1, 0), BERLIN, 4, date(2026, 3, 28)),  # 03:00 CEST
    (utc(2026, 3, 29, 1, 59), BERLIN, 4, date(2026, 3, 28)),  # 03:59 CEST
    (utc(2026, 3, 29, 2, 0), BERLIN, 4, date(2026, 3, 29)),  # 04:00 CEST
    (utc(2026, 3, 28, 22, 59), BERLIN, 0, date(2026, 3, 28)),  # 23:59 CET
    (utc(2026, 3, 28, 23, 0), BERLIN, 0, date(2026, 3, 29)),  # 00:00 CET
    (utc(2026, 3, 29, 0, 59), BERLIN, 0, date(2026, 3, 29)),  # 01:59 CET
    (utc(2026, 3, 29, 1, 0), BERLIN, 0, date(2026, 3, 29)),  # 03:00 CEST
    # Europe/Berlin autumn: 2026-10-25 03:00 CEST (+2) -> 02:00 CET (+1), at 01:00Z.
    (utc(2026, 10, 25, 0, 59), BERLIN, 4, date(2026, 10, 24)),  # 02:59 CEST
    (utc(2026, 10, 25, 1, 0), BERLIN, 4, date(2026, 10, 24)),  # 02:00 CET
    (utc(2026, 10, 25, 2, 59), BERLIN, 4, date(2026, 10, 24)),  # 03:59 CET
    (utc(2026, 10, 25, 3, 0), BERLIN, 4, date(2026, 10, 25)),  # 04:00 CET
    (utc(2026, 10, 24, 21, 59), BERLIN, 0, date(2026, 10, 24)),  # 23:59 CEST
    (utc(2026, 10, 24, 22, 0), BERLIN, 0, date(2026, 10, 25)),  # 00:00 CEST
    (utc(2026, 10, 25, 22, 59), BERLIN, 0, date(2026, 10, 25)),  # 23:59 CET
    (utc(2026, 10, 25, 23, 0), BERLIN, 0, date(2026, 10, 26)),  # 00:00 CET
    # America/New_York spring: 2026-03-08 02:00 EST (-5) -> 03:00 EDT (-4), at 07:00Z.
    (utc(2026, 3, 8, 6, 59), NEW_YORK, 4, date(2026, 3, 7)),  # 01:59 EST
    (utc(2026, 3, 8, 7, 0), NEW_YORK, 4, date(2026, 3, 7)),  # 03:00 EDT
    (utc(2026, 3, 8, 7, 59), NEW_YORK, 4, date(2026, 3, 7)),  # 03:59 EDT
    (utc(2026, 3, 8, 8, 0), NEW_YORK, 4, date(2026, 3, 8)),  # 04:00 EDT
    (utc(2026, 3, 8, 4, 59), NEW_YORK, 0, date(2026, 3, 7)),  # 23:59 EST
    (utc(2026, 3, 8, 5, 0), NEW_YORK, 0, date(2026, 3, 8)),  # 00:00 EST
    (utc(2026, 3, 9, 3, 59), NEW_YORK, 0, date(2026, 3, 8)),  # 23:59 EDT
    (utc(2026, 3, 9, 4, 0), NEW_YORK, 0, date(2026, 3, 9)),  # 00:00 EDT
    # America/New_York autumn: 2026-11-01 02:00 EDT (-4) -> 01:00 EST (-5), at 06:00Z.
    (utc(2026, 11, 1, 5, 59), NEW_YORK, 4, date(2026, 10, 31)),  # 01:59 EDT
    (utc(2026, 11, 1, 6, 0), NEW_YORK, 4, date(2026, 10, 31)),  # 01:00 EST
    (utc(2026, 11, 1, 8, 59), NEW_YORK, 4, date(2026, 10, 31)),  # 03:59 EST
    (utc(2026, 11, 1, 9, 0), NEW_YORK, 4, date(2026, 11, 1)),  # 04:00 EST
    (utc(2026, 11, 1, 3, 59), NEW_YORK, 0, date(2026, 10, 31)),  # 23:59 EDT
    (utc(2026, 11, 1, 4, 0), NEW_YORK, 0, date(2026, 11, 1)),  # 00:00 EDT
    (utc(2026, 11, 2, 4, 59), NEW_YORK, 0, date(2026, 11, 1)),  # 23:59 EST
    (utc(2026, 11, 2, 5, 0), NEW_YORK, 0, date(2026, 11, 2)),  # 00:00 EST
    # Australia/Sydney autumn: 2026-04-05 03:00 AEDT (+11) -> 02:00 AEST (+10), at 04-04 16:00Z.
    (utc(2026, 4, 4, 15, 59), SYDNEY, 4, date(2026, 4, 4)),  # 02:59 AEDT on 04-05
    (utc(2026, 4, 4, 16, 0), SYDNEY, 4, date(2026, 4, 4)),  # 02:00 AEST on 04-05
    (utc(2026, 4, 4, 17, 59), SYDNEY, 4, date(2026, 4, 4)),  # 03:59 AEST on 04-05
    (utc(2026, 4, 4, 18, 0), SYDNEY, 4, date(2026, 4, 5)),  # 04:00 AEST on 04-05
    (utc(2026, 4, 4, 12, 59), SYDNEY, 0, date(2026, 4, 4)),  # 23:59 AEDT on 04-04
    (utc(2026, 4, 4, 13, 0), SYDNEY, 0, date(2026, 4, 5)),  # 00:00 AEDT on 04-05
    (utc(2026, 4, 5, 13, 59), SYDNEY, 0, date(2026, 4, 5)),  # 23:59 AEST on 04-05
    (utc(2026, 4, 5, 14, 0), SYDNEY, 0, date(2026, 4, 6)),  # 00:00 AEST on 04-06
    # Australia/Sydney spring: 2026-10-04 02:00 AEST (+10) -> 03:00 AEDT (+11), at 10-03 16:00Z.
    (utc(2026, 10, 3, 15, 59), SYDNEY, 4, date(2026, 10, 3)),  # 01:59 AEST on 10-04
    (utc(2026, 10, 3, 16, 0), SYDNEY, 4, date(2026, 10, 3)),  # 03:00 AEDT on 10-04
    (utc(2026, 10, 3, 17, 0), SYDNEY, 4, date(2026, 10, 4)),  # 04:00 AEDT on 10-04
    (utc(2026, 10, 3, 13, 59), SYDNEY, 0, date(2026, 10, 3)),  # 23:59 AEST on 10-03
    (utc(2026, 10, 3, 14, 0), SYDNEY, 0, date(2026, 10, 4)),  # 00:00 AEST on 10-04
    (utc(2026, 10, 4, 12, 59), SYDNEY, 0, date(2026, 10, 4)),  # 23:59 AEDT on 10-04
    (utc(2026, 10, 4, 13, 0), SYDNEY, 0, date(2026, 10, 5)),  # 00:00 AEDT on 10-05
    # Australia/Lord_Howe autumn: 2026-04-05 02:00 (+11) -> 01:30 (+10:30), at 04-04 15:00Z.
    (utc(2026, 4, 4, 14, 59), LORD_HOWE, 4, date(2026, 4, 4)),  # 01:59 +11 on 04-05
    (utc(2026, 4, 4, 15, 0), LORD_HOWE, 4, date(2026, 4, 4)),  # 01:30 +10:30 on 04-05
    (utc(2026, 4, 4, 17, 29), LORD_HOWE, 4, date(2026, 4, 4)),  # 03:59 +10:30 on 04-05
    (utc(2026, 4, 4, 17, 30), LORD_HOWE, 4, date(2026, 4, 5)),  # 04:00 +10:30 on 04-05
    (utc(2026, 4, 4, 12, 59), LORD_HOWE, 0, date(2026, 4, 4)),  # 23:59 +11 on 04-04
    (utc(2026, 4, 4, 13, 0), LORD_HOWE, 0, date(2026, 4, 5)),  # 00:00 +11 on 04-05
    (utc(2026, 4, 5, 13, 29), LORD_HOWE, 0, date(2026, 4, 5)),  # 23:59 +10:30 on 04-05
    (utc(2026, 4, 5, 13, 30), LORD_HOWE, 0, date(2026, 4, 6)),  # 00:00 +10:30 on 04-06
    # Australia/Lord_Howe spring: 2026-10-04 02:00 (+10:30) -> 02:30 (+11), at 10-03 15:30Z.
    (utc(2026, 10, 3, 15, 29), LORD_HOWE, 4, date(2026, 10, 3)),  # 01:59 +10:30 on 10-04
    (utc(2026, 10, 3, 15, 30), LORD_HOWE, 4, date(2026, 10, 3)),  # 02:30 +11 on 10-04
    (utc(2026, 10, 3, 16, 59), LORD_HOWE, 4, date(2026, 10, 3)),  # 03:59 +11 on 10-04
    (utc(2026, 10, 3, 17, 0), LORD_HOWE, 4, date(2026, 10, 4)),  # 04:00 +11 on 10-04
    (utc(2026, 10, 3, 13, 29), LORD_HOWE, 0, date(2026, 10, 3)),  # 23:59 +10:30 on 10-03
    (utc(2026, 10, 3, 13, 30), LORD_HOWE, 0, date(2026, 10, 4)),  # 00:00 +10:30 on 10-04
    (utc(2026, 10, 4, 12, 59), LORD_HOWE, 0, date(2026, 10, 4)),  # 23:59 +11 on 10-04
    (utc(2026, 10, 4, 13, 0), LORD_HOWE, 0, date(2026, 10, 5)),  # 00:00 +11 on 10-05
    # Asia/Kolkata, +05:30 all year, no DST.
    (utc(2026, 6, 15, 22, 29), KOLKATA, 4, date(2026, 6, 15)),  # 03:59 on 06-16
    (utc(2026, 6, 15, 22, 30), KOLKATA, 4, date(2026, 6, 16)),  # 04:00 on 06-16
    (utc(2026, 6, 15, 18, 29), KOLKATA, 0, date(2026, 6, 15)),  # 23:59 on 06-15
    (utc(2026, 6, 15, 18, 30), KOLKATA, 0, date(2026, 6, 16)),  # 00:00 on 06-16
    (utc(2026, 12, 31, 22, 30), KOLKATA, 4, date(2027, 1, 1)),  # 04:00 on 2027-01-01
    (utc(2026, 12, 31, 18, 29), KOLKATA, 0, date(2026, 12, 31)),  # 23:59 on 12-31
    # Australia/Adelaide autumn: 2026-04-05 03:00 ACDT (+10:30) -> 02:00 ACST (+9:30),
    # at 04-04 16:30Z.
    (utc(2026, 4, 4, 16, 29), ADELAIDE, 4, date(2026, 4, 4)),  # 02:59 ACDT on 04-05
    (utc(2026, 4, 4, 16, 30), ADELAIDE, 4, date(2026, 4, 4)),  # 02:00 ACST on 04-05
    (utc(2026, 4, 4, 18, 29), ADELAIDE, 4, date(2026, 4, 4)),  # 03:59 ACST on 04-05
    (utc(2026, 4, 4, 18, 30), ADELAIDE, 4, date(2026, 4, 5)),  # 04:00 ACST on 04-05
    (utc(2026, 4, 4, 13, 29), ADELAIDE, 0, date(2026, 4, 4)),  # 23:59 ACDT on 04-04
    (utc(2026, 4, 4, 13, 30), ADELAIDE, 0, date(2026, 4, 5)),  # 00:00 ACDT on 04-05
    (utc(2026, 4, 5, 14, 29), ADELAIDE, 0, date(2026, 4, 5)),  # 23:59 ACST on 04-05
    (utc(2026, 4, 5, 14, 30), ADELAIDE, 0, date(2026, 4, 6)),  # 00:00 ACST on 04-06
    # Australia/Adelaide spring: 2026-10-04 02:00 ACST (+9:30) -> 03:00 ACDT (+10:30),
    # at 10-03 16:30Z.
    (utc(2026, 10, 3, 16, 29), ADELAIDE, 4, date(2026, 10, 3)),  # 01:59 ACST on 10-04
    (utc(2026, 10, 3, 16, 30), ADELAIDE, 4, date(2026, 10, 3)),  # 03:00 ACDT on 10-04
    (utc(2026, 10, 3, 17, 30), ADELAIDE, 4, date(2026, 10, 4)),  # 04:00 ACDT on 10-04
    (utc(2026, 10, 3, 14, 29), ADELAIDE, 0, date(2026, 10, 3)),  # 23:59 ACST on 10-03
    (utc(2026, 10, 3, 14, 30), ADELAIDE, 0, date(2026, 10, 4)),  # 00:00 ACST on 10-04
    (utc(2026, 10, 4, 13, 29), ADELAIDE, 0, date(2026, 10, 4)),  # 23:59 ACDT on 10-04
    (utc(2026, 10, 4, 13, 30), ADELAIDE, 0, date(2026, 10, 5)),  # 00:00 ACDT on 10-05
]


@pytest.mark.parametrize(
    ("instant", "tz", "rollover", "expected"),
    DAY_TABLE,
    ids=[f"{row[1].key}-{row[0]:%m%dT%H%MZ}-r{row[2]}" for row in DAY_TABLE],
)
def test_instant_maps_to_the_local_day_of_the_zone_table(instant, tz, rollover, expected) -> None:
    assert local_day(instant, tz, rollover) == expected


# The repeated hour: the same wall time twice, one hour (or half an hour) apart.
REPEATED = [
    # New York 01:30 on 11-01: 05:30Z (EDT, first) and 06:30Z (EST, second).
    (NEW_YORK, utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30), date(2026, 11, 1)),
    # Berlin 02:30 on 10-25: 00:30Z (CEST) and 01:30Z (CET).
    (BERLIN, utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30), date(2026, 10, 25)),
    # Sydney 02:30 on 04-05: 15:30Z (AEDT) and 16:30Z (AEST) on 04-04.
    (SYDNEY, utc(2026, 4, 4, 15, 30), utc(2026, 4, 4, 16, 30), date(2026, 4, 5)),
    # Lord Howe 01:45 on 04-05: 14:45Z (+11) and 15:15Z (+10:30) on 04-04.
    (LORD_HOWE, utc(2026, 4, 4, 14, 45), utc(2026, 4, 4, 15, 15), date(2026, 4, 5)),
    # Adelaide 02:30 on 04-05: 16:00Z (+10:30) and 17:00Z (+9:30) on 04-04.
    (ADELAIDE, utc(2026, 4, 4, 16, 0), utc(2026, 4, 4, 17, 0), date(2026, 4, 5)),
]


@pytest.mark.parametrize(("tz", "first", "second", "wall_date"), REPEATED)
@pytest.mark.parametrize("rollover", [0, 4])
def test_both_folds_of_the_repeated_hour_belong_to_one_day(
    tz, first, second, wall_date, rollover
) -> None:
    # The two instants show the same wall clock...
    assert first.astimezone(tz).replace(tzinfo=None) == second.astimezone(tz).replace(tzinfo=None)
    # ...so they are the same member day: the wall date with rollover 0, the day before with 4
    # (every repeated hour of these zones lies before 04:00).
    expected = wall_date if rollover == 0 else wall_date - timedelta(days=1)
    assert local_day(first, tz, rollover) == expected
    assert local_day(second, tz, rollover) == expected


# ------------------------------------------------------------------------------------------
# wall_time_instant
# ------------------------------------------------------------------------------------------


def test_repeated_wall_time_resolves_to_its_first_occurrence() -> None:
    # New York 01:30 on 2026-11-01 happens at 05:30Z (EDT, -4) and again at 06:30Z (EST, -5).
    assert wall_time_instant(date(2026, 11, 1), time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)


def test_skipped_wall_time_resolves_to_the_first_instant_after_the_gap() -> None:
    # New York jumps from 02:00 EST to 03:00 EDT at 07:00Z on 2026-03-08; 02:30 never shows.
    assert wall_time_instant(date(2026, 3, 8), time(2, 30), NEW_YORK) == utc(2026, 3, 8, 7, 0)


def test_skipped_half_hour_at_lord_howe_resolves_to_the_end_of_the_gap() -> None:
    # Lord Howe jumps from 02:00 +10:30 to 02:30 +11:00 on 2026-10-04. The jump happens at
    # 02:00 - 10:30 = 15:30Z on 10-03 (= 02:30 - 11:00). 02:15 never shows: read with the old
    # offset it would be 02:15 - 10:30 = 15:45Z, with the new one 02:15 - 11:00 = 15:15Z; the
    # first instant whose wall clock is at or past 02:15 is the jump itself, 15:30Z on 10-03.
    assert wall_time_instant(date(2026, 10, 4), time(2, 15), LORD_HOWE) == utc(2026, 10, 3, 15, 30)


def test_repeated_half_hour_at_lord_howe_resolves_to_its_first_occurrence() -> None:
    # 01:45 on 2026-04-05 shows at 01:45 - 11:00 = 14:45Z and at 01:45 - 10:30 = 15:15Z (04-04).
    assert wall_time_instant(date(2026, 4, 5), time(1, 45), LORD_HOWE) == utc(2026, 4, 4, 14, 45)


def test_skipped_hour_in_berlin_and_adelaide_resolves_to_the_jump() -> None:
    # Berlin 02:30 on 03-29 does not exist; the jump is at 01:00Z.
    assert wall_time_instant(date(2026, 3, 29), time(2, 30), BERLIN) == utc(2026, 3, 29, 1, 0)
    # Adelaide 02:30 on 10-04 does not exist; the jump is at 02:00 - 9:30 = 16:30Z on 10-03.
    assert wall_time_instant(date(2026, 10, 4), time(2, 30), ADELAIDE) == utc(2026, 10, 3, 16, 30)


@pytest.mark.parametrize(
    ("day", "wall", "tz", "expected"),
    [
        (date(2026, 6, 10), time(9, 15), NEW_YORK, utc(2026, 6, 10, 13, 15)),  # EDT -4
        (date(2026, 1, 10), time(9, 15), NEW_YORK, utc(2026, 1, 10, 14, 15)),  # EST -5
        (date(2026, 6, 16), time(4, 0), KOLKATA, utc(2026, 6, 15, 22, 30)),  # +5:30
        (date(2026, 1, 5), time(0, 0), ADELAIDE, utc(2026, 1, 4, 13, 30)),  # ACDT +10:30
        (date(2026, 7, 5), time(0, 0), ADELAIDE, utc(2026, 7, 4, 14, 30)),  # ACST +9:30
        (date(2026, 3, 8), time(3, 0), NEW_YORK, utc(2026, 3, 8, 7, 0)),  # first EDT minute
    ],
)
def test_existing_wall_time_round_trips(day, wall, tz, expected) -> None:
    instant = wall_time_instant(day, wall, tz)

    assert instant == expected
    assert instant.utcoffset() == timedelta(0)
    local = instant.astimezone(tz)
    assert (local.date(), local.time()) == (day, wall)


# ------------------------------------------------------------------------------------------
# day_bounds
# ------------------------------------------------------------------------------------------

HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("tz", "day", "rollover", "start", "length"),
    [
        # Berlin, rollover 4: 03-28 runs 04:00 CET (03:00Z) to 03-29 04:00 CEST (02:00Z).
        (BERLIN, date(2026, 3, 28), 4, utc(2026, 3, 28, 3), 23 * HOUR),
        (BERLIN, date(2026, 3, 29), 4, utc(2026, 3, 29, 2), 24 * HOUR),
        # Berlin, rollover 0: 03-29 runs 00:00 CET (03-28 23:00Z) to 00:00 CEST (22:00Z).
        (BERLIN, date(2026, 3, 29), 0, utc(2026, 3, 28, 23), 23 * HOUR),
        # Autumn: 10-24 04:00 CEST (02:00Z) to 10-25 04:00 CET (03:00Z).
        (BERLIN, date(2026, 10, 24), 4, utc(2026, 10, 24, 2), 25 * HOUR),
        (BERLIN, date(2026, 10, 25), 0, utc(2026, 10, 24, 22), 25 * HOUR),
        # New York: 03-07 04:00 EST (09:00Z) to 03-08 04:00 EDT (08:00Z).
        (NEW_YORK, date(2026, 3, 7), 4, utc(2026, 3, 7, 9), 23 * HOUR),
        # 10-31 04:00 EDT (08:00Z) to 11-01 04:00 EST (09:00Z).
        (NEW_YORK, date(2026, 10, 31), 4, utc(2026, 10, 31, 8), 25 * HOUR),
        # Rollover inside the gap: 03-08 02:00 does not exist, the day starts at the jump
        # (07:00Z) and ends at 03-09 02:00 EDT (06:00Z).
        (NEW_YORK, date(2026, 3, 8), 2, utc(2026, 3, 8, 7), 23 * HOUR),
        # Rollover inside the repeated hour: 11-01 starts at the first 01:00 (EDT, 05:00Z) and
        # ends at 11-02 01:00 EST (06:00Z).
        (NEW_YORK, date(2026, 11, 1), 1, utc(2026, 11, 1, 5), 25 * HOUR),
        # Sydney: 04-04 04:00 AEDT (04-03 17:00Z) to 04-05 04:00 AEST (04-04 18:00Z).
        (SYDNEY, date(2026, 4, 4), 4, utc(2026, 4, 3, 17), 25 * HOUR),
        # 10-03 04:00 AEST (10-02 18:00Z) to 10-04 04:00 AEDT (10-03 17:00Z).
        (SYDNEY, date(2026, 10, 3), 4, utc(2026, 10, 2, 18), 23 * HOUR),
        # Lord Howe shifts by half an hour: 24.5 h and 23.5 h days.
        # 04-04 04:00 +11 (04-03 17:00Z) to 04-05 04:00 +10:30 (04-04 17:30Z).
        (LORD_HOWE, date(2026, 4, 4), 4, utc(2026, 4, 3, 17), timedelta(hours=24, minutes=30)),
        # 10-03 04:00 +10:30 (10-02 17:30Z) to 10-04 04:00 +11 (10-03 17:00Z).
        (
            LORD_HOWE,
            date(2026, 10, 3),
            4,
            utc(2026, 10, 2, 17, 30),
            timedelta(hours=23, minutes=30),
        ),
        # Adelaide: 04-04 04:00 ACDT (04-03 17:30Z) to 04-05 04:00 ACST (04-04 18:30Z).
        (ADELAIDE, date(2026, 4, 4), 4, utc(2026, 4, 3, 17, 30), 25 * HOUR),
        # 10-03 04:00 ACST (10-02 18:30Z) to 10-04 04:00 ACDT (10-03 17:30Z).
        (ADELAIDE, date(2026, 10, 3), 4, utc(2026, 10, 2, 18, 30), 23 * HOUR),
        # Kolkata never shifts: 06-15 04:00 IST = 06-14 22:30Z, 24 h.
        (KOLKATA, date(2026, 6, 15), 4, utc(2026, 6, 14, 22, 30), 24 * HOUR),
    ],
)
def test_day_bounds_start_at_the_rollover_and_last_as_long_as_the_wall_clock_says(
    tz, day, rollover, start, length
) -> None:
    begin, end = day_bounds(day, tz, rollover)

    assert begin == start
    assert end - begin == length
    assert local_day(begin, tz, rollover) == day
    assert local_day(end - timedelta(seconds=1), tz, rollover) == day
    assert local_day(end, tz, rollover) == day + timedelta(days=1)


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK, SYDNEY, LORD_HOWE, KOLKATA, ADELAIDE])
@pytest.mark.parametrize("rollover", [0, 1, 2, 3, 4, 12])
def test_day_bounds_of_2026_are_consecutive_and_never_overlap(tz, rollover) -> None:
    day = date(2026, 1, 1)
    previous_end = None
    lengths = set()
    while day.year == 2026:
        begin, end = day_bounds(day, tz, rollover)
        if previous_end is not None:
            assert begin == previous_end
        assert timedelta(hours=23) <= end - begin <= timedelta(hours=25)
        lengths.add(end - begin)
        previous_end = end
        day += timedelta(days=1)
    # Every zone but Kolkata has exactly one short and one long day in 2026.
    expected = 1 if tz is KOLKATA else 3
    assert len(lengths) == expected


# ------------------------------------------------------------------------------------------
# Zone names
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "", "../etc/passwd", "/etc/localtime", " Europe/Berlin", "Europe/"]
)
def test_zone_rejects_names_that_are_not_iana_zones(name) -> None:
    with pytest.raises(UnknownZoneError):
        zone(name)


def test_unknown_zone_error_is_a_value_error() -> None:
    assert issubclass(UnknownZoneError, ValueError)


def test_zone_resolves_iana_names() -> None:
    assert zone("Asia/Kolkata").utcoffset(datetime(2026, 6, 1)) == timedelta(  # noqa: DTZ001
        hours=5, minutes=30
    )
    assert zone("UTC").utcoffset(datetime(2026, 6, 1)) == timedelta(0)  # noqa: DTZ001


NOT_ZONES = [
    "localtime",
    "posixrules",
    "Factory",
    "right/Europe/London",
    "posix/Europe/London",
    "US/Pacific-New",
    "Canada/East-Saskatchewan",
]


def test_the_zones_members_may_choose_are_real_places_every_host_has() -> None:
    names = zone_names()
    assert "Europe/London" in names
    assert "UTC" in names
    assert "US/Eastern" in names  # a link tzdata keeps
    assert not [name for name in names if name in NOT_ZONES]
    assert not [name for name in names if name.startswith(("posix/", "right/"))]
    assert list(names) == sorted(set(names))
    # Each one is in the tzdata package Daybook pins, so it loads on any host running Daybook.
    listed = set(resources.files("tzdata").joinpath("zones").read_text().split())
    assert set(names) <= listed


@pytest.mark.parametrize("name", NOT_ZONES)
def test_names_that_are_not_zones_everywhere_are_refused(name) -> None:
    with pytest.raises(UnknownZoneError):
        canonical_zone(name)
    assert known_zone(name) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Europe/London", "Europe/London"),
        ("  europe/london ", "Europe/London"),
        ("america/new york", "America/New_York"),
        ("utc", "UTC"),
        ("US/Eastern", "US/Eastern"),
    ],
)
def test_canonical_zone_takes_any_case_and_spaces(typed, expected) -> None:
    assert canonical_zone(typed) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("right/Europe/London", "Europe/London"),
        ("posix/Asia/Tokyo", "Asia/Tokyo"),
        ("US/Pacific-New", "America/Los_Angeles"),  # removed in tzdata 2020b
        ("Canada/East-Saskatchewan", "America/Regina"),  # removed in tzdata 2017c
        ("posix/US/Pacific-New", "America/Los_Angeles"),
        ("Europe/London", None),  # a zone already
        ("localtime", None),  # stands for nothing fixed
        ("right/Mars/Olympus", None),
    ],
)
def test_zone_alias_names_the_zone_an_old_name_stands_for(name, expected) -> None:
    assert zone_alias(name) == expected


def test_known_zone_loads_only_zones_members_may_choose() -> None:
    assert known_zone("Asia/Kolkata") == zone("Asia/Kolkata")
    assert known_zone("asia/kolkata") is None  # stored names are exact
    assert known_zone("Mars/Olympus") is None


# ------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------


def test_days_between_is_inclusive_and_never_negative() -> None:
    assert days_between(date(2026, 1, 1), date(2026, 1, 1)) == 1
    assert days_between(date(2026, 1, 1), date(2026, 4, 10)) == 100
    assert days_between(date(2026, 1, 2), date(2026, 1, 1)) == 0


def test_iso_week_uses_the_iso_year() -> None:
    assert iso_week(date(2026, 3, 2)) == "2026-W10"
    # 2027-01-01 is a Friday: ISO week 53 of 2026.
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
    # 2024-12-30 is a Monday: ISO week 1 of 2025.
    assert iso_week(date(2024, 12, 30)) == "2025-W01"


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------

ZONE_NAMES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "Asia/Tehran",
    "America/Santiago",
]

EARLIEST = datetime(2000, 1, 1)  # noqa: DTZ001 (hypothesis bounds are naive)
LATEST = datetime(2040, 12, 31, 23, 59, 59)  # noqa: DTZ001

instants = st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=st.just(UTC))
zones = st.sampled_from(ZONE_NAMES).map(zone)
rollovers = st.integers(min_value=0, max_value=12)


@cache
def _transitions(name: str, year: int) -> tuple[datetime, ...]:
    """Return the instants of `year` at which the zone's UTC offset changes (to the second)."""
    tz = zone(name)
    found = []
    step = timedelta(days=1)
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    while moment < end:
        later = moment + step
        if moment.astimezone(tz).utcoffset() != later.astimezone(tz).utcoffset():
            low, high = moment, later
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
        moment = later
    return tuple(found)


@st.composite
def zoned_instants(draw):
    """A zone and an instant in it: anywhere in 2000-2040, or within hours of a transition."""
    name = draw(st.sampled_from(ZONE_NAMES))
    if draw(st.booleans()):
        year = draw(st.integers(min_value=2000, max_value=2040))
        shifts = _transitions(name, year)
        if shifts:
            pivot = draw(st.sampled_from(shifts))
            offset = draw(st.integers(min_value=-4 * 3600, max_value=4 * 3600))
            return name, pivot + timedelta(seconds=offset)
    return name, draw(instants)


def _wall_day(instant: datetime, tz, rollover: int) -> tuple[date, bool]:
    """Return the UTC date shifted by the zone's offset and the rollover, and the fold."""
    offset = instant.astimezone(tz).utcoffset()
    assert offset is not None
    shifted = instant.astimezone(UTC).replace(tzinfo=None) + offset - timedelta(hours=rollover)
    return shifted.date(), bool(instant.astimezone(tz).fold)


def _agrees_with_the_wall(day: date, instant: datetime, tz, rollover: int) -> bool:
    # The wall date less the rollover, except on the second pass through a repeated hour that
    # crosses the rollover, where the day that has already begun stays begun (the day after).
    shifted, second_pass = _wall_day(instant, tz, rollover)
    return day == shifted or (second_pass and day == shifted + timedelta(days=1))


@given(zoned_instants(), rollovers)
def test_local_day_is_the_utc_date_shifted_by_the_zone_offset(zoned, rollover) -> None:
    name, instant = zoned
    tz = zone(name)
    day = local_day(instant, tz, rollover)
    # Offsets lie within -12 h..+14 h and the rollover within 0..12 h, so the member's day is
    # never more than one day away from the UTC date.
    assert abs((day - instant.date()).days) <= 1
    assert _agrees_with_the_wall(day, instant, tz, rollover)


@settings(max_examples=300)
@given(zoned_instants(), st.integers(min_value=0, max_value=6 * 3600), rollovers)
def test_local_days_never_go_back_as_time_goes_forward(zoned, later_by, rollover) -> None:
    name, first = zoned
    tz = zone(name)
    second = first + timedelta(seconds=later_by)

    assert local_day(first, tz, rollover) <= local_day(second, tz, rollover)


@settings(max_examples=300)
@given(zoned_instants(), rollovers)
def test_instant_lies_within_the_bounds_of_its_local_day(zoned, rollover) -> None:
    name, instant = zoned
    tz = zone(name)
    day = local_day(instant, tz, rollover)

    begin, end = day_bounds(day, tz, rollover)

    assert begin <= instant < end


def _violations_at_transitions(check) -> list[str]:
    """Run `check(name, before, at, rollover)` on every offset change of 2000-2040."""
    found = []
    for name in ZONE_NAMES:
        for year in range(2000, 2041):
            for shift in _transitions(name, year):
                for rollover in range(13):
                    problem = check(name, shift - timedelta(seconds=1), shift, rollover)
                    if problem:
                        found.append(
                            f"{name} {shift:%Y-%m-%dT%H:%M:%SZ} rollover {rollover}: {problem}"
                        )
    return found


def test_local_day_never_goes_back_at_any_offset_change_of_2000_to_2040() -> None:
    # Between offset changes the wall clock only moves forward, so local days can only go back
    # across a change: comparing the last second before each change with the change itself
    # covers every instant of the 41 years.
    def check(name, before, at, rollover):
        tz = zone(name)
        day_before, day_at = local_day(before, tz, rollover), local_day(at, tz, rollover)
        return f"{day_before} then {day_at}" if day_at < day_before else ""

    assert _violations_at_transitions(check) == []


def test_instants_around_every_offset_change_lie_within_their_day_bounds() -> None:
    def check(name, before, at, rollover):
        tz = zone(name)
        for instant in (before, at):
            day = local_day(instant, tz, rollover)
            begin, end = day_bounds(day, tz, rollover)
            if not begin <= instant < end:
                return f"{instant:%H:%M:%SZ} is on {day}, whose bounds are {begin} to {end}"
        return ""

    assert _violations_at_transitions(check) == []


def test_local_day_never_goes_back_when_the_chatham_fall_back_crosses_the_rollover() -> None:
    # Pacific/Chatham falls back from 03:45 +13:45 to 02:45 +12:45 on 2026-04-05, at 14:00Z on
    # 04-04. With a 03:00 rollover the member's 04-05 begins at the first 03:00 (03:00 - 13:45 =
    # 13:15Z on 04-04), as day_bounds says. A post at 13:30Z (03:15 +13:45) is on 04-05; a post
    # 35 minutes later at 14:05Z shows 02:50 +12:45, which must not send it back to 04-04.
    chatham = zone("Pacific/Chatham")
    assert day_bounds(date(2026, 4, 5), chatham, 3)[0] == utc(2026, 4, 4, 13, 15)
    first = local_day(utc(2026, 4, 4, 13, 30), chatham, 3)
    later = local_day(utc(2026, 4, 4, 14, 5), chatham, 3)

    assert first == date(2026, 4, 5)
    assert later >= first


# ------------------------------------------------------------------------------------------
# A later change of zone never moves history
# ------------------------------------------------------------------------------------------


def _zone_at(history: list[tuple[datetime, str]], instant: datetime) -> str:
    """Return the zone in force at `instant`: the latest change made at or before it."""
    current = history[0][1]
    for since, name in history:
        if since <= instant:
            current = name
    return current


def _days_of(posts: list[datetime], history: list[tuple[datetime, str]], rollover: int):
    return [local_day(post, zone(_zone_at(history, post)), rollover) for post in posts]


@given(
    st.lists(instants, min_size=1, max_size=12).map(sorted),
    st.lists(st.tuples(instants, st.sampled_from(ZONE_NAMES)), min_size=1, max_size=5),
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=10**8), st.sampled_from(ZONE_NAMES)),
        min_size=1,
        max_size=5,
    ),
    rollovers,
)
def test_local_day_of_a_post_is_stable_under_any_later_change_of_zone(
    posts, changes, later_moves, rollover
) -> None:
    # The zone history before the last post; the first change also covers earlier instants.
    history = sorted(changes)
    stored = _days_of(posts, history, rollover)
    # Each post's day is its wall date in the zone in force when it was posted, less the
    # rollover (the day already begun, on a second pass through a repeated hour): a function
    # of the post and its zone alone.
    for post, day in zip(posts, stored, strict=True):
        assert _agrees_with_the_wall(day, post, zone(_zone_at(history, post)), rollover)

    # The member moves again, any number of times, after the last post.
    last = max(posts[-1], history[-1][0])
    moves = [(last + timedelta(seconds=after), name) for after, name in sorted(later_moves)]
    recomputed = _days_of(posts, history + moves, rollover)

    assert recomputed == stored

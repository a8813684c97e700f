"""A member's day is written one way: 'Mon 16 Mar', with the year only when it is far off."""

from __future__ import annotations

from datetime import date

import pytest

from bot.wording.dates import day_label, day_range

# 16 March 2026 is a Monday (ISO week 12); 1 March 2025 a Saturday; 29 February 2028 a Tuesday.


@pytest.mark.parametrize(
    ("day", "near", "expected"),
    [
        (date(2026, 3, 16), None, "Mon 16 Mar"),
        (date(2026, 3, 15), date(2026, 3, 16), "Sun 15 Mar"),
        # Less than half a year away, across New Year: the nearest 29 December is meant.
        (date(2025, 12, 29), date(2026, 1, 4), "Mon 29 Dec"),
        # 15 September 2025 is 182 days before 16 March 2026: still near.
        (date(2025, 9, 15), date(2026, 3, 16), "Mon 15 Sep"),
        # 183 days (half a year) or more: the year is written.
        (date(2025, 9, 14), date(2026, 3, 16), "Sun 14 Sep 2025"),
        (date(2025, 3, 1), date(2026, 3, 16), "Sat 1 Mar 2025"),
        (date(2027, 3, 16), date(2026, 3, 16), "Tue 16 Mar 2027"),
        (date(2028, 2, 29), date(2026, 3, 16), "Tue 29 Feb 2028"),
    ],
)
def test_day_label(day: date, near: date | None, expected: str) -> None:
    assert day_label(day, near=near) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 3, 16), date(2026, 3, 22), "Mon 16 \u2013 Sun 22 Mar"),
        (date(2026, 3, 30), date(2026, 4, 5), "Mon 30 Mar \u2013 Sun 5 Apr"),
        (date(2025, 12, 29), date(2026, 1, 4), "Mon 29 Dec 2025 \u2013 Sun 4 Jan 2026"),
        (date(2026, 3, 16), date(2026, 3, 16), "Mon 16 Mar"),
    ],
)
def test_day_range(first: date, last: date, expected: str) -> None:
    assert day_range(first, last) == expected


def test_a_far_range_carries_its_year_on_both_ends() -> None:
    near = date(2026, 3, 16)
    assert day_range(date(2025, 3, 3), date(2025, 3, 9), near=near) == (
        "Mon 3 Mar 2025 \u2013 Sun 9 Mar 2025"
    )

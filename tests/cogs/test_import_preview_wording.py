"""/import's preview says which option dates a log, and a moved start with both years (simcord).

Finding 8 of the literal-member review: a log whose dates have no year was told only of the
`start` option, though `year` is the one that dates it; and "Your start moves from Mon 2 Mar to
Tue 2 Mar 2021" left the year off the first date, so the move read as one day, not five years.
"""

from __future__ import annotations

import pytest

from tests.cogs.conftest import World

# The world's today is Monday 2026-03-02 (tests/cogs/conftest.py).


@pytest.fixture
async def joined(world: World) -> World:
    await world.challenge(preset="x-days-of-ml-code")
    await world.ada.slash(world.general, "join", timezone="UTC")
    return world


def fields(result) -> dict[str, str]:
    return {field.name: field.value for field in result.response.embeds[0].fields}


async def test_dates_without_a_year_point_to_the_year_option(joined: World) -> None:
    # No year anywhere in the file and no weekdays: the two dates stay undated (year-missing).
    log = b"# My log\n\n### Day 1: March 1\nRead a chapter\n\n### Day 2: March 2\nRead another\n"

    shown = await joined.ada.slash(joined.general, "import", attachment=("log.md", log))

    left_out = fields(shown)["Left out"]
    assert "2 entries without a date" in left_out
    assert "give the `year` option for dates written without one" in left_out


async def test_undated_entries_without_a_year_missing_still_point_to_start(joined: World) -> None:
    log = b"# My log\n\n### Day 1\nRead a chapter\n\n### Day 2\nRead another\n"

    shown = await joined.ada.slash(joined.general, "import", attachment=("log.md", log))

    left_out = fields(shown)["Left out"]
    assert "give the `start` option (the date of Day 1) to place them." in left_out
    assert "`year`" not in left_out


async def test_a_start_moving_across_years_says_both_years(joined: World) -> None:
    # Ada joined on Mon 2 Mar 2026; her log starts on Tue 2 Mar 2021, five years before.
    log = b"# My log\n\n### Day 1: March 2, 2021\nRead a chapter\n"

    shown = await joined.ada.slash(joined.general, "import", attachment=("log.md", log))

    assert (
        "Your start moves from Mon 2 Mar 2026 to Tue 2 Mar 2021."
        in (fields(shown)["Your standing"])
    )

"""/import (preview, confirm, cancel, twice, too big, not text) and /export, on simcord."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
import simcord

from bot.domain.logparse import parse_log
from bot.domain.models import EntrySource
from bot.errors import DaybookError
from tests.cogs.conftest import World

# The world's today is Monday 2026-03-02. Feb 26, 27 and Mar 1 count; Feb 28 says no progress.
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
async def joined(world: World) -> World:
    await world.challenge(preset="x-days-of-ml-code")
    await world.ada.slash(world.general, "join", timezone="UTC")
    return world


async def stored(world: World) -> list:
    return await world.bot.services.entries.recent(
        guild_id=world.guild.id, user_id=world.ada.id, challenge=None, limit=50
    )


def fields(result) -> dict[str, str]:
    return {field.name: field.value for field in result.response.embeds[0].fields}


async def test_import_previews_then_stores_on_confirm(joined: World) -> None:
    world = joined
    shown = await world.ada.slash(world.general, "import", attachment=("log.md", LOG))

    assert shown.ephemeral
    embed = shown.response.embeds[0]
    assert embed.title == "Import preview: log.md"
    assert "**4 entries**" in embed.description
    assert "Thu 26 Feb to Sun 1 Mar" in embed.description
    assert fields(shown)["Would be added"].startswith("3 days, of which 3 count")
    assert "best streak 2" in fields(shown)["Your standing"]
    assert "1 entry that is an empty stub or says no progress" in fields(shown)["Left out"]
    assert await stored(world) == []  # a preview stores nothing

    done = await world.ada.click(shown.response, label="Import 3 days")

    assert done.response.content.startswith("✅ Imported 3 days from your log.")
    assert "current streak 1 · best streak 2" in done.response.content
    assert done.response.components == []
    assert {entry.source for entry in await stored(world)} == {EntrySource.IMPORT}
    simcord.assert_no_errors(world.env)


async def test_cancel_stores_nothing(joined: World) -> None:
    world = joined
    shown = await world.ada.slash(world.general, "import", attachment=("log.md", LOG))

    cancelled = await world.ada.click(shown.response, label="Cancel")

    assert cancelled.response.content == "Cancelled: nothing was imported."
    assert cancelled.response.embeds == []
    assert await stored(world) == []


async def test_importing_twice_changes_nothing(joined: World) -> None:
    world = joined
    first = await world.ada.slash(world.general, "import", attachment=("log.md", LOG))
    await world.ada.click(first.response, label="Import 3 days")

    second = await world.ada.slash(world.general, "import", attachment=("log.md", LOG))

    assert fields(second)["Would be added"].startswith("Nothing new")
    assert "3 days imported before" in fields(second)["Left out"]
    assert second.response.components == []  # nothing to confirm
    assert len(await stored(world)) == 3


async def test_a_preview_can_be_confirmed_after_a_restart(joined: World) -> None:
    world = joined
    shown = await world.ada.slash(world.general, "import", attachment=("log.md", LOG))
    await world.restart()

    done = await world.ada.click(shown.response, label="Import 3 days")

    assert done.response.content.startswith("✅ Imported 3 days from your log.")
    assert "current streak 1 · best streak 2" in done.response.content
    assert done.response.components == []  # confirmed once: no button is left to press
    assert len(await stored(world)) == 3
    simcord.assert_no_errors(world.env)


async def test_a_preview_expires_24_hours_after_it_was_shown(joined: World) -> None:
    world = joined
    shown = await world.ada.slash(world.general, "import", attachment=("log.md", LOG))
    await world.later(hours=24, minutes=1)
    await world.restart()

    late = await world.ada.click(shown.response, label="Import 3 days")

    assert "This import preview has expired (previews last 24 hours)" in late.response.content
    assert late.response.components == []
    assert await stored(world) == []


async def test_a_file_over_two_megabytes_is_refused(joined: World) -> None:
    world = joined
    big = b"### Day 1: March 1, 2026\n" + b"x" * (2 * 1024 * 1024)

    refused = await world.ada.slash(world.general, "import", attachment=("log.md", big))

    assert "a log can be at most 2 MB" in refused.response.content
    assert refused.ephemeral
    assert await stored(world) == []
    simcord.assert_error(world.env, DaybookError)


@pytest.mark.parametrize(
    ("attachment", "says"),
    [
        (("chart.png", b"\x89PNG\r\n\x1a\n\x00\x00"), "'chart.png' is not a text file"),
        (("notes.md", b"Groceries: milk, eggs."), "not a log I can read"),
        (("log.txt", b"\x00\x01binary\x00"), "not a text file"),
    ],
)
async def test_files_that_are_not_logs_are_refused(joined: World, attachment, says) -> None:
    world = joined
    refused = await world.ada.slash(world.general, "import", attachment=attachment)

    assert says in refused.response.content
    assert await stored(world) == []
    simcord.assert_error(world.env, DaybookError)


async def test_a_long_import_defers_and_reports_progress(joined: World) -> None:
    world = joined
    first = date(2020, 1, 1)
    days = 1200
    data = "\n".join(
        f"## {first + timedelta(days=n):%Y/%m/%d}\nStudied chapter {n}\n" for n in range(days)
    ).encode()
    shown = await world.ada.slash(world.general, "import", attachment=("big.md", data))
    callbacks = [h.json["type"] for h in world.env.http_requests if h.path.endswith("/callback")]
    assert callbacks[-1] == 5  # deferred: reading the file may take longer than 3 seconds

    done = await world.ada.click(shown.response, label="Import 1,200 days")

    edits = [
        h
        for h in world.env.http_requests
        if h.method == "PATCH" and "/messages/@original" in h.path
    ]
    progress = [h for h in edits if "days stored" in (h.json or {}).get("content", "")]
    assert len(progress) >= 2  # the message moved on while the batches were stored
    assert done.response.content.startswith("✅ Imported 1,200 days")
    assert len(await stored(world)) == 50  # (recent() is capped at the limit asked)


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
async def test_export_sends_a_private_file(joined: World, fmt: str) -> None:
    world = joined
    shown = await world.ada.slash(world.general, "import", attachment=("log.md", LOG))
    await world.ada.click(shown.response, label="Import 3 days")
    await world.ada.slash(world.general, "log", text="Wrote the export #daybook")

    exported = await world.ada.slash(world.general, "export", format=fmt)

    assert exported.ephemeral
    assert exported.response.content.startswith(f"Here is your log as {fmt}: 4 posts over 4 days")
    attachment = exported.response.attachments[0]
    text = (await attachment.read()).decode()
    expected_dates = ["2026-02-26", "2026-02-27", "2026-03-01", "2026-03-02"]
    if fmt == "markdown":
        assert attachment.filename == "ml-club-log.md"
        back = parse_log(text)
        assert [entry.dates[0].isoformat() for entry in back.entries] == expected_dates
        assert [entry.day for entry in back.entries] == [1, 2, 3, 4]
        assert back.entries[-1].text == "Wrote the export #daybook"
    elif fmt == "json":
        assert attachment.filename == "ml-club-log.json"
        assert [row["date"] for row in json.loads(text)["entries"]] == expected_dates
    else:
        assert attachment.filename == "ml-club-log.csv"
        assert [row["date"] for row in csv.DictReader(io.StringIO(text))] == expected_dates
    simcord.assert_no_errors(world.env)


async def test_export_without_posts_says_so(joined: World) -> None:
    world = joined
    refused = await world.ada.slash(world.general, "export", format="csv")

    assert "You have no posts in ML Club yet" in refused.response.content
    simcord.assert_error(world.env, DaybookError)


async def test_import_needs_a_joined_member(world: World) -> None:
    await world.challenge(preset="x-days-of-ml-code")

    refused = await world.raj.slash(world.general, "import", attachment=("log.md", LOG))

    assert "You have not joined ML Club yet" in refused.response.content
    simcord.assert_error(world.env, DaybookError)

"""Honest minutes through Discord: what a short day needs, the Add minutes button, on your word.

The preset in these tests is 100-days-of-ml-code: a day counts with 60 minutes (on the member's
word when no minutes are given), one day back may still be logged (backfill 1), days roll over
at 04:00. The world starts on Monday 2 March 2026, 12:00 UTC; members are in UTC.
"""

from __future__ import annotations

from datetime import date

import discord
import simcord

from bot.domain.models import EntrySource
from bot.errors import DaybookError
from cogs._ui.views import AddMinutesButton
from tests.cogs.conftest import World


async def day_entries(world: World, user_id: int, day: date):
    return [
        entry
        for entry in await world.bot.services.entries.recent(
            guild_id=world.guild.id, user_id=user_id, challenge=None, limit=50
        )
        if entry.local_day == day
    ]


def labels(result: simcord.InteractionResult) -> list[str]:
    return [
        component["label"]
        for row in result.response.components
        for component in row["components"]
        if component.get("label")
    ]


async def test_a_day_with_no_minutes_counts_on_the_members_word_and_says_so(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="worked through chapter 3")
    content = logged.response.content
    assert content.startswith("✅ Logged for today, Mon 2 Mar: it counts.")
    assert "Counted on your word (no minutes given)." in content
    assert "Add minutes" not in labels(logged)


async def test_add_minutes_tops_up_a_short_day_until_it_counts(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="a bit of reading", minutes=30)
    # 30 of the 60 minutes: the reply says how many more, and offers the button.
    assert "30 of 60 minutes so far — 30 more to count Mon 2 Mar." in logged.response.content
    assert labels(logged) == ["Edit", "Delete", "Add minutes"]

    form = await world.ada.click(logged.response, label="Add minutes")
    assert form.modal is not None
    assert form.modal["title"] == "Add minutes to Mon 2 Mar"
    await world.later(minutes=20)
    # 10 more is still short: 40 of 60, 20 more to go, and the button comes again.
    short = await world.ada.submit_modal(form, {"add:minutes": "10", "add:note": ""})
    assert short.ephemeral
    assert "40 of 60 minutes so far — 20 more to count Mon 2 Mar." in short.response.content
    assert "Add minutes" in labels(short)

    again = await world.ada.click(short.response, label="Add minutes")
    done = await world.ada.submit_modal(
        again, {"add:minutes": "25", "add:note": "finished the chapter"}
    )
    # 30 + 10 + 25 = 65 minutes: over the 60, so Monday counts now, as Day 1.
    content = done.response.content
    assert content.startswith("✅ Logged for today, Mon 2 Mar: it counts.")
    assert "Your posts add up to 65 minutes (60 needed): Mon 2 Mar counts now." in content
    assert "**Day 1 of 100** · streak 1 (best 1)" in content
    assert "Add minutes" not in labels(done)

    entries = await day_entries(world, world.ada.id, date(2026, 3, 2))
    assert sorted((entry.minutes, entry.text) for entry in entries) == [
        (10, "Added 10 minutes."),
        (25, "finished the chapter"),
        (30, "a bit of reading"),
    ]
    assert {entry.source for entry in entries} == {EntrySource.COMMAND}


async def test_add_minutes_works_for_yesterday_after_a_restart(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="a bit of reading", minutes=30)
    await world.later(days=1)  # Tuesday: Monday is still inside the one-day backfill window
    await world.restart()

    form = await world.ada.click(logged.response, label="Add minutes")
    done = await world.ada.submit_modal(form, {"add:minutes": "30", "add:note": ""})

    # The second post is for Monday, not for today: 30 + 30 = 60, Monday counts as Day 1.
    assert done.response.content.startswith("✅ Logged for Mon 2 Mar: it counts.")
    assert (
        "Your posts add up to 60 minutes (60 needed): Mon 2 Mar counts now."
        in done.response.content
    )
    entries = await day_entries(world, world.ada.id, date(2026, 3, 2))
    assert sorted(entry.minutes for entry in entries) == [30, 30]
    assert await day_entries(world, world.ada.id, date(2026, 3, 3)) == []


async def test_add_minutes_past_the_backfill_window_is_refused_in_a_sentence(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="a bit of reading", minutes=30)
    await world.later(days=2)  # Wednesday: Monday is two days back, the window is one

    refused = await world.ada.click(logged.response, label="Add minutes")

    assert refused.modal is None
    assert refused.ephemeral
    assert refused.response.content == (
        "Mon 2 Mar is over and ML Club takes late posts for 1 day only, so minutes can no "
        "longer be added to it."
    )
    assert len(await day_entries(world, world.ada.id, date(2026, 3, 2))) == 1


async def test_only_the_owner_can_add_minutes_and_bad_minutes_change_nothing(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.raj.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="a bit of reading", minutes=30)
    challenge_id = (await world.bot.services.challenges.active(world.guild.id))[0].id
    # The button travels on Ada's private reply; a public copy lets Raj try it.
    view = discord.ui.View(timeout=None)
    view.add_item(AddMinutesButton(challenge_id, date(2026, 3, 2), world.ada.id))
    public = await world.bot.get_channel(world.general.id).send("Ada's day", view=view)
    await world.env.settle()
    message = next(m for m in world.general.history() if m.id == public.id)

    refused = await world.raj.click(message, label="Add minutes")
    assert refused.ephemeral
    assert refused.modal is None
    assert "belongs to someone else's day" in refused.response.content

    form = await world.ada.click(logged.response, label="Add minutes")
    bad = await world.ada.submit_modal(form, {"add:minutes": "0", "add:note": ""})
    assert bad.ephemeral
    assert "a whole number from 1 to 1,440" in bad.response.content
    simcord.assert_error(world.env, DaybookError)
    assert len(await day_entries(world, world.ada.id, date(2026, 3, 2))) == 1
    assert await day_entries(world, world.raj.id, date(2026, 3, 2)) == []


async def test_join_says_the_rules_in_two_sentences(world: World) -> None:
    await world.challenge()
    joined = await world.ada.slash(world.general, "join", timezone="UTC")
    assert joined.ephemeral
    # 100-days-of-ml-code: 60 minutes (on the member's word without minutes), pause.
    assert joined.response.content == (
        "You joined **ML Club** (your time zone: UTC).\n"
        "A day counts with 60 minutes — on your word if you leave minutes out. A missed day "
        "pauses your count and ends your streak, never your attempt.\n"
        "Log your first day with `/log`."
    )

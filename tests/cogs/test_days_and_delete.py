"""Which day a post is for, said plainly; a past day's form named; Delete asks first.

Issue 12, items 4, 5 and 10. START is Monday 2 March 2026, 12:00 UTC; the preset's rollover is
04:00, and it lets a member log one day late.
"""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import simcord

from tests.cogs.conftest import GUILD_ID, World


async def entries_of(world: World, member: simcord.MemberActor) -> list:
    return await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=member.id, challenge=None, limit=50
    )


def labels(message) -> list[str]:
    """The labels of a response's buttons (simcord keeps a response's components as dicts)."""
    return [
        component["label"]
        for row in message.components
        for component in row["components"]
        if component["type"] == discord.ComponentType.button.value
    ]


async def test_the_form_for_a_past_day_names_it_and_so_does_the_reply(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.at(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))  # Tuesday

    shown = await world.ada.slash(world.general, "log", day="2026-03-02")

    assert shown.modal is not None
    assert shown.modal["title"] == "Log Mon 2 Mar"
    assert len(shown.modal["title"]) <= 45  # Discord's limit for a form's title
    done = await world.ada.submit_modal(
        shown, {"log:text": "Catching up on Monday", "log:minutes": "60", "log:link": ""}
    )
    assert done.response.content.startswith("✅ Logged for Mon 2 Mar: it counts.")
    # Today's form stays "Log today", and its reply says which day today is.
    today = await world.ada.slash(world.general, "log")
    assert today.modal["title"] == "Log today"
    done = await world.ada.submit_modal(
        today, {"log:text": "And Tuesday", "log:minutes": "60", "log:link": ""}
    )
    assert done.response.content.startswith("✅ Logged for today, Tue 3 Mar: it counts.")


async def test_delete_asks_first_and_keep_keeps_the_post(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="a draft", minutes=60)

    asked = await world.ada.click(logged.response, label="Delete")

    assert asked.ephemeral
    assert asked.response.content == "Delete your post for Mon 2 Mar? This can't be undone."
    assert labels(asked.response) == ["Delete", "Keep"]
    assert len(await entries_of(world, world.ada)) == 1  # the first click deleted nothing

    kept = await world.ada.click(asked.response, label="Keep")

    assert kept.response.content == "Kept: your post was not deleted."
    assert labels(kept.response) == []
    assert len(await entries_of(world, world.ada)) == 1


async def test_only_the_owner_can_confirm_a_delete(world: World) -> None:
    from cogs._ui.views import ConfirmDeleteButton

    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "log", text="mine", minutes=60)
    [entry] = await entries_of(world, world.ada)
    # The confirmation is private to Ada; a public copy lets Raj try its button.
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmDeleteButton("yes", entry.id, world.ada.id))
    sent = await world.bot.get_channel(world.general.id).send("a copy", view=view)
    await world.env.settle()
    copy = next(message for message in world.general.history() if message.id == sent.id)

    refused = await world.raj.click(copy, label="Delete")

    assert refused.ephemeral
    assert "belongs to someone else's post" in refused.response.content
    assert [e.id for e in await entries_of(world, world.ada)] == [entry.id]
    done = await world.ada.click(copy, label="Delete")
    assert done.response.content.startswith("🗑️ Your post for Mon 2 Mar is deleted.")
    assert await entries_of(world, world.ada) == []

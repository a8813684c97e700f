"""Members through Discord: /join, /log (options and form), /streak, /why, buttons."""

from __future__ import annotations

from datetime import UTC, datetime

import simcord

from bot.errors import DaybookError
from tests.cogs.conftest import World


def fields(result) -> dict[str, str]:
    return {field.name: field.value for field in result.response.embeds[0].fields}


async def test_join_offers_time_zones_and_answers_privately(world: World) -> None:
    await world.challenge()
    offered = await world.ada.autocomplete(world.general, "join", "timezone", "kolk")
    assert {"name": "Asia/Kolkata", "value": "Asia/Kolkata"} in offered
    joined = await world.ada.slash(world.general, "join", timezone="Asia/Kolkata")
    assert joined.ephemeral
    assert "You joined **ML Club**" in joined.response.content
    assert "Asia/Kolkata" in joined.response.content


async def test_log_replies_with_day_streak_and_whether_it_counted(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="Europe/Berlin")
    logged = await world.ada.slash(
        world.general,
        "log",
        text="Read the attention paper https://arxiv.org/abs/1706.03762",
        minutes=75,
    )
    assert logged.ephemeral
    # Monday 2 March, 13:00 in Berlin: today, and the reply names it.
    assert logged.response.content.startswith("✅ Logged for today, Mon 2 Mar: it counts.")
    assert "**Day 1 of 100** · streak 1 (best 1)" in logged.response.content
    short = await world.ada.slash(world.general, "log", text="short one", minutes=20)
    assert "✅" in short.response.content  # the day already counts; minutes add up


async def test_short_day_says_which_rule_and_how_to_fix_it(world: World) -> None:
    await world.challenge()
    await world.raj.slash(world.general, "join", timezone="UTC")
    logged = await world.raj.slash(world.general, "log", text="a bit of reading", minutes=30)
    content = logged.response.content
    # The preset asks for 60 minutes; 30 stated: 30 more make Monday 2 March count.
    assert "does not count yet." in content
    assert "30 of 60 minutes so far — 30 more to count Mon 2 Mar." in content
    assert "Press **Add minutes** below to add them; minutes add up over the day." in content


async def test_post_at_0130_local_counts_for_the_day_before(world: World) -> None:
    await world.challenge()
    await world.raj.slash(world.general, "join", timezone="Asia/Kolkata")
    # 01:30 in Kolkata on Tuesday 3 March is 20:00 UTC on Monday 2 March.
    await world.at(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    logged = await world.raj.slash(world.general, "log", text="late session", minutes=60)
    # It counts for Monday 2 March, and the reply says so and why (not "today", which in
    # Kolkata is already Tuesday on the calendar).
    assert logged.response.content.startswith(
        "✅ Logged for Mon 2 Mar (before your 04:00 rollover): it counts."
    )
    why = await world.raj.slash(world.general, "why")
    assert "Mon 2 Mar" in why.response.embeds[0].description


async def test_log_without_text_opens_a_form(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    shown = await world.ada.slash(world.general, "log")
    assert shown.modal is not None
    done = await world.ada.submit_modal(
        shown, {"log:text": "Notebook on k-means", "log:minutes": "65", "log:link": ""}
    )
    assert done.ephemeral
    assert done.response.content.startswith("✅ Logged for today")
    # The form's public check-in goes out after the reply: let it finish before teardown.
    await world.env.settle()


async def test_streak_shows_the_named_fields_with_numbers_first(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    for _ in range(3):
        await world.ada.slash(world.general, "log", text="daily work", minutes=60)
        await world.later(days=1)
    result = await world.ada.slash(world.general, "streak")
    assert result.ephemeral
    values = fields(result)
    assert values["Day"].startswith("3")
    assert values["Current streak"] == "3 days"
    assert values["Best streak"] == "3 days"


async def test_why_lists_the_days_and_the_rule_that_decided(world: World) -> None:
    await world.challenge(preset="100-days-of-code")
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "log", text="code https://github.com/a/b", minutes=60)
    await world.later(days=2)  # Tuesday missed: the one allowed miss
    await world.ada.slash(world.general, "log", text="code https://github.com/a/b", minutes=60)
    why = await world.ada.slash(world.general, "why")
    description = why.response.embeds[0].description
    lines = description.splitlines()
    assert lines[0].startswith("✅ `Mon 2 Mar`")
    # Monday's 1-day streak ends on the missed Tuesday, the one allowed miss.
    assert lines[1].startswith("⚠️ `Tue 3 Mar` No post. Your 1-day streak ends. Your one allowed")
    assert lines[2].startswith("✅ `Wed 4 Mar` Counted (1 post, 60 minutes): Day 2.")


async def test_edit_and_delete_through_the_buttons(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="first draft", minutes=20)
    form = await world.ada.click(logged.response, label="Edit")
    assert form.modal is not None
    edited = await world.ada.submit_modal(
        form, {"edit:text": "first draft, finished", "edit:minutes": "70"}
    )
    assert "✏️ Post edited." in edited.response.content
    assert "it counts" in edited.response.content
    asked = await world.ada.click(logged.response, label="Delete")
    deleted = await world.ada.click(asked.response, label="Delete")
    assert deleted.response.content.startswith("🗑️ Your post for Mon 2 Mar is deleted.")
    # Her only post is gone: no day has counted, so there is no "Day 0" to show.
    assert "**No day counted yet**: Day 1 is your next day that counts." in deleted.response.content


async def test_nothing_a_member_writes_pings_anyone(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    text = f"@everyone <@&{world.guild.id}> {world.raj.mention} look at this"
    await world.ada.slash(world.general, "log", text=text, minutes=60)
    sent = [request for request in world.env.http_requests if request.path.endswith("/callback")]
    assert sent
    for request in sent:
        data = (request.json or {}).get("data") or {}
        if "allowed_mentions" in data:
            assert data["allowed_mentions"] == {"parse": []}


async def test_bad_input_gets_a_polite_private_error_and_changes_nothing(world: World) -> None:
    await world.challenge()
    not_joined = await world.raj.slash(world.general, "log", text="hello")
    assert not_joined.ephemeral
    assert "You have not joined ML Club yet" in not_joined.response.content
    zone = await world.ada.slash(world.general, "join", timezone="Mars/Olympus")
    assert "is not a time zone I know" in zone.response.content
    await world.ada.slash(world.general, "join", timezone="UTC")
    long = await world.ada.slash(world.general, "log", text="x" * 4001)
    assert "4,001 characters; the limit is 4,000" in long.response.content
    early = await world.ada.slash(world.general, "log", text="old", day="2026-02-20")
    assert "earliest day you can log is Sun 1 Mar" in early.response.content
    bad_day = await world.ada.slash(world.general, "log", text="old", day="yesterday")
    assert "YYYY-MM-DD" in bad_day.response.content
    simcord.assert_error(world.env, DaybookError)
    standing = await world.bot.services.progress.summary(
        guild_id=world.guild.id, viewer_id=world.ada.id, now=world.env.now()
    )
    assert standing.summary.qualifying_days == 0


async def test_a_member_clicking_anothers_button_changes_nothing(world: World) -> None:
    from cogs._ui.views import entry_view

    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="mine", minutes=60)
    recent = await world.bot.services.entries.recent(
        guild_id=world.guild.id, user_id=world.ada.id, challenge=None
    )
    # The buttons travel on Ada's private reply; a public copy lets Raj try them.
    public = await world.bot.get_channel(world.general.id).send(
        "Ada's post", view=entry_view(recent[0].id, world.ada.id)
    )
    await world.env.settle()
    message = next(m for m in world.general.history() if m.id == public.id)
    refused = await world.raj.click(message, label="Delete")
    assert refused.ephemeral
    assert "belongs to someone else's post" in refused.response.content
    still = await world.bot.services.entries.recent(
        guild_id=world.guild.id, user_id=world.ada.id, challenge=None
    )
    assert [entry.id for entry in still] == [recent[0].id]
    assert logged.response is not None


async def test_buttons_keep_working_after_a_restart(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="before the deploy", minutes=60)
    await world.restart()
    asked = await world.ada.click(logged.response, label="Delete")
    await world.restart()  # the confirmation outlives a deploy too
    deleted = await world.ada.click(asked.response, label="Delete")
    assert deleted.response.content.startswith("🗑️ Your post for Mon 2 Mar is deleted.")


async def test_forget_me_asks_first_then_deletes_everything(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "log", text="something", minutes=60)
    asked = await world.ada.slash(world.general, "forget-me")
    assert asked.ephemeral
    kept = await world.ada.click(asked.response, label="Cancel")
    assert kept.response.content == "Nothing was deleted."
    asked = await world.ada.slash(world.general, "forget-me")
    done = await world.ada.click(asked.response, label="Delete everything")
    assert "everything Daybook kept about you is deleted (1 challenge)" in done.response.content
    gone = await world.ada.slash(world.general, "streak")
    assert "You have not joined ML Club yet" in gone.response.content
    simcord.assert_error(world.env, DaybookError)


async def test_several_days_across_two_zones_with_late_night_posts(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="Europe/Berlin")
    await world.raj.slash(world.general, "join", timezone="Asia/Kolkata")
    # Four days from Monday 2 March. Ada posts at 21:30 Berlin (20:30 UTC, CET = UTC+1). Raj
    # posts at 01:30 Kolkata the next morning (20:00 UTC the same day, IST = UTC+5:30): with a
    # 04:00 rollover his posts belong to the same four days. Nobody misses a day.
    for offset, day in enumerate(["Mon 2 Mar", "Tue 3 Mar", "Wed 4 Mar", "Thu 5 Mar"]):
        await world.at(datetime(2026, 3, 2 + offset, 20, 0, tzinfo=UTC))
        raj = await world.raj.slash(world.general, "log", text="night session", minutes=60)
        assert f"Logged for {day} (before your 04:00 rollover): it counts." in raj.response.content
        await world.at(datetime(2026, 3, 2 + offset, 20, 30, tzinfo=UTC))
        await world.ada.slash(world.general, "log", text="evening session", minutes=60)
    for member in (world.ada, world.raj):
        values = fields(await member.slash(world.general, "streak"))
        assert values["Day"].startswith("4")
        assert values["Current streak"] == "4 days"
    raj_why = (await world.raj.slash(world.general, "why")).response.embeds[0].description
    assert [line.split("`")[1] for line in raj_why.splitlines()] == [
        "Mon 2 Mar",
        "Tue 3 Mar",
        "Wed 4 Mar",
        "Thu 5 Mar",
    ]

"""Bad input through Discord: every one gets a sentence and changes nothing (issue 11, item 9).

Each test types what a careless or hostile member could, and asserts the contained outcome:
a private sentence (never the generic apology, never silence) and nothing stored.
"""

from __future__ import annotations

import discord
import simcord

from bot.errors import DaybookError
from bot.services.settings_input import ChallengeSettingsInput
from bot.tree import APOLOGY, BROKEN_INPUT
from cogs._ui.bounds import MAX_CONTENT, MAX_TITLE
from tests.cogs.conftest import GUILD_ID, World

LONE_SURROGATE = "\ud83d"
"""Half of an emoji: JSON can carry it (\\ud83d), no database can store it."""


async def entries_of(world: World, member) -> list:
    return await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=member.id, challenge=None, limit=50
    )


async def joined(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")


async def public_copy(world: World, view: discord.ui.View) -> discord.Message:
    """Post buttons publicly (a forged custom id, say), so a member can click them."""
    sent = await world.bot.get_channel(world.general.id).send("a copy", view=view)
    await world.env.settle()
    return next(message for message in world.general.history() if message.id == sent.id)


# --- text that cannot be stored or shows nothing ------------------------------------------


async def test_a_lone_surrogate_in_log_text_gets_a_sentence(world: World) -> None:
    await joined(world)
    for options in (
        {"text": f"read a paper {LONE_SURROGATE}", "minutes": 60},
        {"text": "read a paper", "tags": f"nlp, {LONE_SURROGATE}"},
    ):
        refused = await world.ada.slash(world.general, "log", **options)
        assert refused.ephemeral
        assert refused.response.content == BROKEN_INPUT
    assert await entries_of(world, world.ada) == []


async def test_a_nul_in_any_option_is_refused_at_the_door(world: World) -> None:
    # PostgreSQL cannot store NUL: every option of every command is refused alike, before
    # any service sees it (an organizer's adjustment reason, a zone, a post, a link).
    await joined(world)
    for command, options in (
        ("log", {"text": "read a paper\x00", "minutes": 60}),
        ("log", {"text": "read a paper", "link": "https://github.com/ada/notes\x00.git"}),
        ("timezone", {"zone": "Europe/Berlin\x00"}),
    ):
        refused = await world.ada.slash(world.general, command, **options)
        assert refused.ephemeral
        assert refused.response.content == BROKEN_INPUT
    assert await entries_of(world, world.ada) == []


async def test_a_lone_surrogate_in_the_form_gets_a_sentence(world: World) -> None:
    await joined(world)
    shown = await world.ada.slash(world.general, "log")
    refused = await world.ada.submit_modal(
        shown, {"log:text": f"notes {LONE_SURROGATE}", "log:minutes": "60", "log:link": ""}
    )
    assert refused.ephemeral
    assert refused.response.content == BROKEN_INPUT
    assert await entries_of(world, world.ada) == []


async def test_a_post_of_only_invisible_characters_does_not_count(world: World) -> None:
    await joined(world)
    # Zero-width space and joiner, a BOM, control characters, a Hangul filler.
    for text in ("\u200b\u200d\ufeff", "\x01\x7f", "\u3164 \u200b", "\u2800\u2800"):
        refused = await world.ada.slash(world.general, "log", text=text, minutes=60)
        assert refused.ephemeral
        assert refused.response.content.startswith("That post has no visible text")
    assert await entries_of(world, world.ada) == []
    simcord.assert_error(world.env, DaybookError, contains="no visible text")


async def test_a_link_with_a_control_character_is_refused(world: World) -> None:
    await joined(world)
    for link in ("https://github.com/ada/notes\x01.git", "https://github.com/a\u0085b"):
        refused = await world.ada.slash(
            world.general, "log", text="pushed my notes", minutes=60, link=link
        )
        assert refused.ephemeral
        assert refused.response.content.startswith("The link must be one web address")
    assert await entries_of(world, world.ada) == []
    simcord.assert_error(world.env, DaybookError, contains="one web address")


# --- numbers -------------------------------------------------------------------------------


async def test_a_huge_remind_time_gets_a_sentence(world: World) -> None:
    await joined(world)
    for time in ("99999999999999999999:00", "\u0661\u0662:30", "24:00", "7:5"):
        refused = await world.ada.slash(world.general, "remind", time=time, mode="dm")
        assert refused.ephemeral
        assert refused.response.content == "The reminder time must be written HH:MM, like 20:30."
    mine = await world.bot.services.participants.mine(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=None
    )
    assert mine.reminder_time is None
    simcord.assert_error(world.env, DaybookError, contains="HH:MM")


async def test_a_huge_digest_time_gets_a_sentence_and_creates_nothing(world: World) -> None:
    refused = await world.grace.slash(
        world.general, "challenge create", name="Night Owls", digest_time="99999999999999999999:00"
    )
    assert refused.ephemeral
    assert "digest time must be written HH:MM" in refused.response.content
    assert await world.bot.services.challenges.active(GUILD_ID) == []
    simcord.assert_error(world.env, DaybookError, contains="HH:MM")


async def test_superscript_or_circled_minutes_in_the_form_get_a_sentence(world: World) -> None:
    await joined(world)
    for minutes in ("\u00b2", "\u2460", "\u0663\u0660", "-5", "1e3"):
        shown = await world.ada.slash(world.general, "log")
        refused = await world.ada.submit_modal(
            shown, {"log:text": "notes", "log:minutes": minutes, "log:link": ""}
        )
        assert refused.ephemeral
        assert refused.response.content == (
            "Minutes must be a whole number written with 0-9, like 45."
        )
    assert await entries_of(world, world.ada) == []
    simcord.assert_error(world.env, DaybookError, contains="whole number")


async def test_ids_over_64_bits_in_a_button_find_nothing(world: World) -> None:
    from cogs._ui.challenge_views import edit_view
    from cogs._ui.views import entry_view

    await joined(world)
    forged = 2**64 + 7  # a modified client can send any custom id
    copy = await public_copy(world, entry_view(forged, world.ada.id))
    for label in ("Delete", "Edit"):
        refused = await world.ada.click(copy, label=label)
        assert refused.ephemeral
        assert refused.response.content == "That entry no longer exists."
    copy = await public_copy(world, edit_view(forged, world.grace.id))
    refused = await world.grace.click(copy, label="Confirm")
    assert "no longer kept" in refused.response.content


async def test_a_reminder_button_with_an_id_over_64_bits_says_so(world: World) -> None:
    from cogs._ui.reminders import log_today_view

    await joined(world)
    copy = await public_copy(world, log_today_view(2**64 + 7))
    refused = await world.ada.click(copy, label="Log today")
    assert refused.ephemeral
    assert refused.response.content.startswith("That challenge has ended")


async def test_a_challenge_option_that_looks_like_a_huge_id_is_a_name(world: World) -> None:
    await joined(world)
    refused = await world.ada.slash(
        world.general, "log", text="notes", challenge="18446744073709551623"
    )
    assert refused.ephemeral
    assert refused.response.content.startswith(
        "There is no challenge called '18446744073709551623' here. Running: ML Club."
    )
    simcord.assert_error(world.env, DaybookError)


# --- names and lists -----------------------------------------------------------------------


async def test_a_challenge_named_1_is_that_challenge_not_id_1(world: World) -> None:
    first = await world.challenge()  # ML Club, the server's first challenge
    named_one = await world.challenge(name="1")
    assert first.id == 1
    assert named_one.id != 1
    await world.ada.slash(world.general, "join", challenge="1", timezone="UTC")
    logged = await world.ada.slash(world.general, "log", text="notes", minutes=60, challenge="1")
    assert logged.response.content.startswith("✅ Logged for today")
    entries = await entries_of_challenge(world, "1")
    assert [entry.challenge_id for entry in entries] == [named_one.id]


async def entries_of_challenge(world: World, name: str) -> list:
    return await world.bot.services.entries.recent(
        guild_id=GUILD_ID, user_id=world.ada.id, challenge=name, limit=50
    )


async def test_long_escaped_names_fit_the_embed_title(world: World) -> None:
    # 32 asterisks (a display name's limit) and 100 underscores (a challenge name's) double
    # when escaped: 64 + 3 + 200 = 267 characters, over the title's 256.
    await world.challenge(name="_" * 100)
    starry = world.guild.add_member(world.env.create_user("starry"), nick="*" * 32)
    await world.env.settle()
    await starry.slash(world.general, "join", timezone="UTC")
    await starry.slash(world.general, "log", text="notes", minutes=60)
    for command in ("streak", "why"):
        shown = await starry.slash(world.general, command)
        assert shown.ephemeral
        title = shown.response.embeds[0].title
        assert len(title) <= MAX_TITLE
        assert title.endswith("\u2026")
        body = title.removesuffix("\u2026")
        # Never half an escape: the trailing backslashes pair up (each escapes an underscore).
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0
        assert body.endswith("\\_")


async def test_an_error_listing_many_long_names_fits_one_message(world: World) -> None:
    names = [f"{index:02d} " + "Deep learning study group " * 4 for index in range(26)]
    for name in names:
        await world.bot.services.challenges.create(
            guild_id=GUILD_ID,
            settings=ChallengeSettingsInput(name=name[:100].strip(), timezone="UTC"),
            now=world.env.now(),
        )
    several = await world.ada.slash(world.general, "log", text="notes")
    content = several.response.content
    assert several.ephemeral
    assert content.startswith("This server runs several challenges (00 Deep learning")
    assert "and 21 more); pick one with the challenge option." in content
    assert len(content) <= MAX_CONTENT
    unknown = await world.ada.slash(world.general, "log", text="notes", challenge="x" * 100)
    assert "and 21 more." in unknown.response.content
    assert len(unknown.response.content) <= MAX_CONTENT
    simcord.assert_error(world.env, DaybookError)


async def test_no_reply_is_the_generic_apology_for_member_input(world: World) -> None:
    # Every case above answered with a sentence; the apology is kept for the bot's own faults.
    await joined(world)
    refused = await world.ada.slash(world.general, "log", text="\u200b", minutes=60)
    assert refused.response.content != APOLOGY
    simcord.assert_error(world.env, DaybookError)


# --- a lost reply, double clicks -------------------------------------------------------------


async def test_a_log_whose_reply_was_lost_is_kept_once_and_a_retry_says_already_logged(
    world: World,
) -> None:
    await joined(world)
    # Discord forgets the interaction before the reply lands (10062): the member sees nothing,
    # although the post was stored.
    world.env.inject_error(
        "POST", "/interactions/*/callback", status=404, code=10062, message="Unknown interaction"
    )
    await world.ada.slash(world.general, "log", text="trained a small CNN", minutes=60)
    simcord.assert_error(world.env, discord.NotFound, code=10062)
    # Nothing is sent into the void after it (an apology would be a second dead callback).
    answers = [
        (request.json or {}).get("data") or {}
        for request in world.env.http_requests
        if request.path.endswith("/callback")
    ]
    assert all(data.get("content") != APOLOGY for data in answers)
    assert len(await entries_of(world, world.ada)) == 1

    await world.later(seconds=40)
    again = await world.ada.slash(world.general, "log", text="trained a small CNN", minutes=60)
    assert again.ephemeral
    assert again.response.content.startswith("☑️ Already logged for today")
    assert "**Day 1 of 100**" in again.response.content
    assert len(await entries_of(world, world.ada)) == 1

    # Later, or with other words, it is a new post (minutes add up over a day).
    await world.later(seconds=30)
    later = await world.ada.slash(world.general, "log", text="trained a small CNN", minutes=60)
    assert later.response.content.startswith("✅ Logged for today")
    other = await world.ada.slash(world.general, "log", text="and tuned it", minutes=60)
    assert other.response.content.startswith("✅ Logged for today")
    assert len(await entries_of(world, world.ada)) == 3


# A double click: the second click comes from the message as it was before the first one
# changed it. simcord lets nobody click a button that is gone, so the second click is made on
# a copy of the same buttons.


async def test_a_second_delete_click_says_the_post_is_already_deleted(world: World) -> None:
    from cogs._ui.views import entry_view

    await joined(world)
    logged = await world.ada.slash(world.general, "log", text="a draft", minutes=60)
    (entry,) = await entries_of(world, world.ada)
    copy = await public_copy(world, entry_view(entry.id, world.ada.id))
    asked = await world.ada.click(logged.response, label="Delete")
    first = await world.ada.click(asked.response, label="Delete")
    assert first.response.content.startswith("🗑️ Your post for Mon 2 Mar is deleted.")
    again = await world.ada.click(copy, label="Delete")
    assert again.ephemeral
    assert again.response.content == "That post was already deleted."
    assert await entries_of(world, world.ada) == []


async def test_a_second_forget_me_click_says_already_forgotten(world: World) -> None:
    from cogs._ui.views import forget_view

    await joined(world)
    asked = await world.ada.slash(world.general, "forget-me")
    copy = await public_copy(world, forget_view(world.ada.id))
    done = await world.ada.click(asked.response, label="Delete everything")
    assert "(1 challenge)" in done.response.content
    again = await world.ada.click(copy, label="Delete everything")
    assert again.response.content.startswith("Already forgotten:")
    assert "0 challenges" not in again.response.content


async def test_a_second_click_on_an_edit_preview_says_what_the_first_did(world: World) -> None:
    from cogs._ui.challenge_views import edit_view

    await world.challenge()
    asked = await world.grace.slash(world.general, "challenge edit", min_minutes=30)
    confirm = next(
        component["custom_id"]
        for row in asked.response.components
        for component in row["components"]
        if component["label"] == "Confirm"
    )
    pending = int(confirm.split(":")[3])
    copy = await public_copy(world, edit_view(pending, world.grace.id))
    await world.grace.click(asked.response, label="Cancel")
    for label in ("Confirm", "Cancel"):
        again = await world.grace.click(copy, label=label)
        assert again.ephemeral
        assert again.response.content == "That change was already cancelled: nothing was changed."
    current = await world.bot.services.challenges.get(guild_id=GUILD_ID, challenge=None)
    assert current.rules.min_minutes == 60


async def test_a_second_click_on_an_import_preview_says_what_the_first_did(
    world: World,
) -> None:
    from cogs._ui.logs import import_view

    log = b"# My log\n\n### R1D1: February 26, 2026\nTrained a first model\n"
    await joined(world)
    shown = await world.ada.slash(world.general, "import", attachment=("log.md", log))
    confirm = next(
        component["custom_id"]
        for row in shown.response.components
        for component in row["components"]
        if component["label"].startswith("Import")
    )
    token = confirm.split(":")[2]  # import:yes:<token>:<owner>
    copy = await public_copy(world, import_view(token, world.ada.id, 1))
    done = await world.ada.click(shown.response, label="Import 1 day")
    assert done.response.content.startswith("✅ Imported 1 day")
    for label in ("Import 1 day", "Cancel"):
        again = await world.ada.click(copy, label=label)
        assert again.ephemeral
        assert again.response.content == "That import was already confirmed: its days are stored."
    assert len(await entries_of(world, world.ada)) == 1

"""/help (issue 12, item 7): the rules in words, the member's next step, the commands; private."""

from __future__ import annotations

import simcord

from bot.errors import NotFoundError
from tests.cogs.conftest import World

ONE_HOUR = "an hour of ML"


def fields(result) -> dict[str, str]:
    return {field.name: field.value for field in result.response.embeds[0].fields}


async def test_a_newcomer_reads_the_rules_and_is_told_to_join(world: World) -> None:
    await world.challenge(timezone="Europe/Berlin")  # 100-days-of-ml-code: 60 minutes, pause

    shown = await world.ada.slash(world.general, "help")

    assert shown.ephemeral
    page = fields(shown)
    assert list(page) == ["ML Club", "Your commands"]  # no organizer commands for members
    # The rules in brief come from the challenge's rules (rules_in_brief), then the next step.
    assert page["ML Club"].startswith("A day counts with 60 minutes — on your word if you leave")
    assert "Full rules and schedule: `/challenge info`." in page["ML Club"]
    assert (
        "**Next:** start with `/join` (it uses the challenge's time zone, Europe/Berlin"
        in (page["ML Club"])
    )
    assert "**Reminder:**" not in page["ML Club"]
    assert "`/log`" in page["Your commands"]
    assert "`/forget-me`" in page["Your commands"]


async def test_a_member_is_told_what_to_do_today_and_about_their_reminder(world: World) -> None:
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")

    before = fields(await world.ada.slash(world.general, "help"))["ML Club"]
    await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)
    await world.ada.slash(world.general, "remind", time="21:00", mode="dm")
    after = fields(await world.ada.slash(world.general, "help"))["ML Club"]
    await world.later(days=1)
    tomorrow = fields(await world.ada.slash(world.general, "help"))["ML Club"]

    assert "**Next:** log your first day with `/log`." in before
    assert "**Reminder:** none; `/remind time:21:00 mode:dm` sets one." in before
    assert "**Next:** today counts already: Day 1, 1-day streak. Come back tomorrow." in after
    assert "**Reminder:** 21:00 your time, by direct message." in after
    assert "**Next:** today doesn't count yet: log it with `/log` to keep your 1-day streak." in (
        tomorrow
    )


async def test_organizers_also_see_their_commands(world: World) -> None:
    await world.challenge()

    page = fields(await world.grace.slash(world.general, "help"))

    assert list(page) == ["ML Club", "Your commands", "Organizer commands"]
    assert "`/challenge milestone-role`" in page["Organizer commands"]
    assert "`/digest preview`" in page["Organizer commands"]


async def test_a_server_without_a_challenge_says_so_and_how_to_start_one(world: World) -> None:
    member = await world.ada.slash(world.general, "help")
    organizer = await world.grace.slash(world.general, "help")

    assert member.ephemeral
    assert organizer.ephemeral
    assert member.response.embeds[0].description == (
        "This server runs no challenge yet, so there is nothing to log for now.\n"
        "An organizer (someone who can manage this server) can start one."
    )
    assert organizer.response.embeds[0].description.startswith(
        "This server runs no challenge yet, so there is nothing to log for now.\n"
        "Start one with `/challenge create name:…`"
    )


async def test_several_challenges_each_get_their_rules_and_a_name_picks_one(world: World) -> None:
    await world.challenge()
    await world.challenge(name="Data *Club*", preset="66-days-of-data")

    both = fields(await world.ada.slash(world.general, "help"))
    one = fields(await world.ada.slash(world.general, "help", challenge="Data *Club*"))
    unknown = await world.ada.slash(world.general, "help", challenge="Chess")

    assert list(both) == ["ML Club", r"Data \*Club\*", "Your commands"]
    assert list(one) == [r"Data \*Club\*", "Your commands"]
    assert unknown.ephemeral
    assert "There is no challenge called 'Chess' here" in unknown.response.content
    simcord.assert_error(world.env, NotFoundError)


async def test_the_page_stays_within_discords_embed_limits(world: World) -> None:
    long_name = "W" * 100
    for index in range(6):
        await world.challenge(name=f"{long_name[:-1]}{index}", preset="100-days-of-code")

    shown = await world.grace.slash(world.general, "help")

    embed = shown.response.embeds[0]
    assert len(embed) <= 6000
    assert all(len(field.value) <= 1024 for field in embed.fields)
    # Five challenges are shown; the sixth is named in the footer's count.
    assert len(embed.fields) == 5 + 2
    assert embed.footer.text == "1 more challenge runs here: /help challenge:<name> shows one."


async def test_a_day_logged_short_is_told_what_it_lacks_not_to_log_it(world: World) -> None:
    # 100-days-of-ml-code: a day counts with 60 minutes. Ada counts Monday (60 minutes), then
    # on Tuesday logs 20: Tuesday needs 60 - 20 = 40 more, as her reminder would say.
    await world.challenge()
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)
    await world.later(days=1)
    await world.ada.slash(world.general, "log", text="a little ML", minutes=20)

    page = fields(await world.ada.slash(world.general, "help"))["ML Club"]

    assert "log it with" not in page
    assert (
        "**Next:** today needs 40 more minutes to count: post again with `/log` "
        "(a day's posts add up) to keep your 1-day streak."
    ) in page


async def test_a_rest_day_is_not_told_its_streak_needs_a_post(world: World) -> None:
    # Tuesday is a rest day: it keeps Ada's streak from Monday without a post.
    await world.challenge()
    edit = await world.grace.slash(world.general, "challenge edit", rest_weekdays="Tuesday")
    await world.grace.click(edit.response, label="Confirm")
    await world.ada.slash(world.general, "join", timezone="UTC")
    await world.ada.slash(world.general, "log", text=ONE_HOUR, minutes=60)
    await world.later(days=1)  # Tuesday 3 March

    page = fields(await world.ada.slash(world.general, "help"))["ML Club"]

    assert "log it with" not in page
    assert (
        "**Next:** today is a rest day: your 1-day streak carries on without a post "
        "(a post still counts)."
    ) in page

"""Display names kept for the page (and forgotten with the member), and the page's colours."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.services import Services
from bot.services.names import UNNAMED
from bot.services.settings_input import ChallengeSettingsInput
from bot.web.style import BACKGROUNDS, DARK, LIGHT, STYLESHEET, TEXT_COLOURS
from storage import Database
from tests.web.conftest import ADA, GUILD, MAYA, NOW, RAJ, community


async def running(services: Services) -> None:
    """A challenge in the server, for members to join."""
    await services.challenges.create(
        guild_id=GUILD, settings=ChallengeSettingsInput(name="ML Club"), now=NOW
    )


WCAG_AA = 4.5
"""WCAG 2.x level AA: the least contrast of normal text with its background."""


async def test_a_name_is_written_once_until_it_changes(
    services: Services, database: Database, monkeypatch
) -> None:
    await running(services)
    for user in (ADA, RAJ):
        await services.participants.join(guild_id=GUILD, user_id=user, now=NOW, timezone="UTC")
    writes = 0
    original = database.write

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal writes
        writes += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(database, "write", counted)
    assert await services.names.remember(GUILD, {ADA: "Ada"}) == 1
    assert await services.names.remember(GUILD, {ADA: "Ada"}) == 0
    assert writes == 1
    assert await services.names.remember(GUILD, {ADA: "Ada L.", RAJ: "Raj"}) == 2
    assert writes == 2
    assert await services.names.stored(GUILD, [ADA, RAJ, 9]) == {
        ADA: "Ada L.",
        RAJ: "Raj",
        9: UNNAMED,
    }


async def test_a_stored_name_keeps_the_member_hidden_setting(services: Services) -> None:
    await community(services, web=False)
    # Maya hid before her name was stored (community() stores names last): she stays hidden.
    board = await services.progress.leaderboard(guild_id=GUILD, viewer_id=ADA, now=NOW)
    assert MAYA not in [placing.contender.user_id for placing in board.leaders]
    assert (await services.names.stored(GUILD, [MAYA]))[MAYA] == "Maya Secret"


async def test_forget_me_deletes_the_stored_name_and_a_later_visit_stores_it_again(
    services: Services,
) -> None:
    await running(services)
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=NOW, timezone="UTC")
    await services.names.remember(GUILD, {ADA: "Ada"})
    await services.participants.forget(user_id=ADA)
    assert await services.names.stored(GUILD, [ADA]) == {ADA: UNNAMED}
    # Forgotten, she is nobody's member: seeing her again stores nothing...
    assert await services.names.remember(GUILD, {ADA: "Ada"}) == 0
    assert await services.names.stored(GUILD, [ADA]) == {ADA: UNNAMED}
    # ...until she joins again, when this process, which forgot having stored it, stores it.
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=NOW, timezone="UTC")
    assert await services.names.remember(GUILD, {ADA: "Ada"}) == 1
    assert await services.names.stored(GUILD, [ADA]) == {ADA: "Ada"}


async def test_a_member_forgotten_while_their_name_is_looked_up_leaves_no_name(
    services: Services, database: Database, monkeypatch
) -> None:
    await running(services)
    await services.participants.join(guild_id=GUILD, user_id=ADA, now=NOW, timezone="UTC")
    original = database.read
    forgot: list[int] = []

    @asynccontextmanager
    async def then_forget() -> AsyncIterator[Any]:
        async with original() as repos:
            yield repos
        if not forgot:
            # Her /forget-me lands between the name's membership read and its write.
            forgot.append(await services.participants.forget(user_id=ADA))

    monkeypatch.setattr(database, "read", then_forget)
    assert await services.names.remember(GUILD, {ADA: "Ada"}) == 0
    monkeypatch.setattr(database, "read", original)

    assert forgot == [1]
    async with database.read() as repos:
        assert await repos.participants.display_names(GUILD, [ADA]) == {}


async def test_a_passer_by_s_name_is_not_kept(services: Services) -> None:
    await running(services)
    # Someone who never joined a challenge of the server (a /help, a /challenge info).
    assert await services.names.remember(GUILD, {RAJ: "Raj"}) == 0
    assert await services.names.stored(GUILD, [RAJ]) == {RAJ: UNNAMED}


def _luminance(colour: str) -> float:
    """Relative luminance, as WCAG 2.x defines it."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_known_values() -> None:
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_every_text_colour_has_aa_contrast_on_every_background(palette: dict[str, str]) -> None:
    for text in TEXT_COLOURS:
        for background in BACKGROUNDS:
            ratio = _contrast(palette[text], palette[background])
            assert ratio >= WCAG_AA, (text, background, round(ratio, 2))


def test_the_stylesheet_uses_both_palettes_and_fits_a_phone() -> None:
    assert "prefers-color-scheme:dark" in STYLESHEET
    for palette in (LIGHT, DARK):
        for name, value in palette.items():
            assert f"--{name}:{value}" in STYLESHEET
    assert "max-width:min(100%," in STYLESHEET  # images shrink to the screen
    assert ".scroll{overflow-x:auto}" in STYLESHEET  # the table scrolls within its box

"""Every reply fits Discord: text and embeds cut after escaping, lists cut with "and N more".

Discord refuses a message over its limits (2,000 characters of content; embed title 256,
description 4,096, field 256/1,024, footer 2,048, 6,000 in all), so a reply one character too
long reaches nobody. These are the pieces every reply path uses.
"""

from __future__ import annotations

import discord
import pytest
from discord.utils import escape_markdown

from bot.domain.models import Challenge
from bot.domain.rules import Rules
from bot.errors import InvalidInputError, NotFoundError
from bot.services._common import pick_challenge
from bot.tree import typed_text
from bot.wording.lists import some_of
from cogs._ui.bounds import (
    MAX_CONTENT,
    MAX_DESCRIPTION,
    MAX_EMBED_TOTAL,
    MAX_FIELD_NAME,
    MAX_FIELD_VALUE,
    MAX_FOOTER,
    MAX_TITLE,
    bounded,
    clip,
)


def challenges(names: list[str]) -> list[Challenge]:
    return [
        Challenge(id=index + 1, guild_id=1, name=name, rules=Rules(), timezone="UTC")
        for index, name in enumerate(names)
    ]


@pytest.mark.parametrize("limit", [1, 2, 10, 256])
@pytest.mark.parametrize("raw", ["_" * 300, "a_" * 200, "\\" * 300, "*_`~|" * 80, "ab" * 300])
def test_clipping_escaped_text_never_leaves_half_an_escape(raw: str, limit: int) -> None:
    escaped = escape_markdown(raw)
    clipped = clip(escaped, limit)
    assert len(clipped) <= limit
    assert clipped.endswith("\u2026")
    kept = clipped.removesuffix("\u2026")
    assert escaped.startswith(kept)
    # Backslashes pair up to the end: each one left is an escape with its character.
    assert (len(kept) - len(kept.rstrip("\\"))) % 2 == 0


def test_text_within_the_limit_is_left_alone() -> None:
    assert clip("x" * MAX_CONTENT, MAX_CONTENT) == "x" * MAX_CONTENT


def test_an_embed_at_every_limit_plus_one_is_cut_to_fit() -> None:
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    for index in range(25):
        embed.add_field(name=f"{index}" * 300, value="v" * 1100)
    embed.set_footer(text="f" * 2100)

    bounded(embed)

    assert len(embed.title or "") <= MAX_TITLE
    assert len(embed.description or "") <= MAX_DESCRIPTION
    assert all(len(field.name or "") <= MAX_FIELD_NAME for field in embed.fields)
    assert all(len(field.value or "") <= MAX_FIELD_VALUE for field in embed.fields)
    assert len(embed.footer.text or "") <= MAX_FOOTER
    assert len(embed) <= MAX_EMBED_TOTAL
    assert embed.fields  # it kept what fits


def test_lists_name_five_and_count_the_rest() -> None:
    assert some_of([]) == ""
    assert some_of(["A"]) == "A"
    assert some_of(["A", "B", "C"]) == "A, B and C"
    assert some_of([str(n) for n in range(26)]) == "0, 1, 2, 3, 4 and 21 more"
    assert some_of(["x" * 100]) == "x" * 59 + "\u2026"


def test_the_several_challenges_error_lists_26_long_names_in_one_message() -> None:
    names = [f"{index:02d} " + "x" * 97 for index in range(26)]
    with pytest.raises(InvalidInputError) as several:
        pick_challenge(challenges(names), None)
    assert "and 21 more" in several.value.message
    assert len(several.value.message) < 600
    with pytest.raises(NotFoundError) as unknown:
        pick_challenge(challenges(names), "y" * 100)
    assert "and 21 more" in unknown.value.message
    assert len(unknown.value.message) < 600


def test_a_name_is_matched_before_an_id_and_a_string_is_never_an_id() -> None:
    running = challenges(["ML Club", "1", "Data Club"])
    assert pick_challenge(running, "1").name == "1"
    assert pick_challenge(running, 1).name == "ML Club"
    assert pick_challenge(running, " data  club ").name == "Data Club"
    with pytest.raises(NotFoundError):
        pick_challenge(running, "3")
    with pytest.raises(NotFoundError):
        pick_challenge(running, 2**64)


def test_typed_text_walks_options_and_form_fields() -> None:
    data = {
        "name": "challenge",
        "options": [
            {"name": "create", "type": 1, "options": [{"name": "name", "value": "Owls"}]},
            {"name": "minutes", "value": 5},
        ],
        "components": [{"type": 1, "components": [{"custom_id": "log:text", "value": "notes"}]}],
    }
    assert list(typed_text(data)) == ["Owls", "notes"]

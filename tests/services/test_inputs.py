"""Numbers and clock times members type: ASCII digits of a sensible length, or a sentence."""

from __future__ import annotations

from datetime import time

import pytest

from bot.errors import InvalidInputError
from bot.services.inputs import MAX_ID, is_storable_id, parse_clock_time, parse_whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20:30", time(20, 30)),
        (" 7:05 ", time(7, 5)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_clock_times_are_read(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "99999999999999999999:00",  # int() takes it; time() then overflows (not a ValueError)
        "00:99999999999999999999",
        "24:00",
        "12:60",
        "7:5",
        "-1:30",
        "\u0661\u0662:\u0663\u0660",  # Arabic-Indic digits: int() reads them, members can't see why
        "\uff11\uff12:\uff13\uff10",  # full-width digits
        "\u00b9\u00b2:30",  # superscripts: isdigit() says yes, int() says no
        "12:30:00",
        "12",
        "",
    ],
)
def test_other_clock_times_get_the_sentence(text: str) -> None:
    with pytest.raises(InvalidInputError, match=r"^The reminder time must be written HH:MM"):
        parse_clock_time(text, "reminder time")


@pytest.mark.parametrize(("text", "expected"), [("45", 45), (" 0 ", 0), ("", None), ("  ", None)])
def test_whole_numbers_are_read(text: str, expected: int | None) -> None:
    assert parse_whole_number(text, "Minutes", 45) == expected


@pytest.mark.parametrize(
    "text", ["\u00b2", "\u2460", "\u0663\u0660", "\uff14\uff15", "-5", "4.5", "1e3", "9" * 10]
)
def test_other_numbers_get_the_sentence(text: str) -> None:
    with pytest.raises(InvalidInputError, match="Minutes must be a whole number written with 0-9"):
        parse_whole_number(text, "Minutes", 45)


@pytest.mark.parametrize(
    ("value", "storable"),
    [(1, True), (MAX_ID, True), (2**63, False), (2**64 + 1, False), (0, False), (-1, False)],
)
def test_only_ids_a_signed_64_bit_column_holds_are_looked_up(value: int, storable: bool) -> None:
    assert is_storable_id(value) is storable


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u3164", "Night\x00Owls", "Owls \ud83d"])
def test_a_challenge_name_must_be_visible_and_storable(name: str) -> None:
    from bot.services.settings_input import ChallengeSettings, validated

    with pytest.raises(InvalidInputError, match="needs visible letters or digits"):
        validated(ChallengeSettings, {"name": name})


def test_a_name_of_digits_is_still_a_name() -> None:
    from bot.services.settings_input import ChallengeSettings, validated

    assert validated(ChallengeSettings, {"name": " 1 "}).name == "1"

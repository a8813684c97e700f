"""DaybookError carries the sentence the user will read."""

from __future__ import annotations

import pytest

from bot.errors import DaybookError


def test_message_is_kept_and_is_the_string_form() -> None:
    error = DaybookError("You have already logged today.")

    assert error.message == "You have already logged today."
    assert str(error) == "You have already logged today."


def test_subclasses_are_caught_as_the_family() -> None:
    class AlreadyLoggedError(DaybookError):
        pass

    with pytest.raises(DaybookError) as caught:
        raise AlreadyLoggedError("Already logged.")

    assert caught.value.message == "Already logged."

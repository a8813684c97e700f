"""Validating what organizers type into challenge settings, at the boundary, with pydantic.

The domain's `Rules` guards its own invariants; this module turns loose input (names, weekday
names, 'HH:MM' strings, None for "unchanged") into domain values and turns pydantic's errors
into one plain sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import time
from typing import Annotated, Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.domain import content
from bot.domain.rules import (
    MAX_BACKFILL_DAYS,
    MAX_FREEZE_BANK,
    MAX_FREEZE_EVERY,
    MAX_MIN_MINUTES,
    MAX_MIN_WORDS,
    MAX_ROLLOVER_HOUR,
    MAX_TARGET_DAYS,
    PRESETS,
    WEEKDAY_NAMES,
    MissedDayPolicy,
    Rules,
    RulesError,
)
from bot.errors import InvalidInputError
from bot.services._common import checked_zone
from bot.services.inputs import parse_clock_time
from bot.wording.rules import problem_text

CUSTOM = "custom"
ModelT = TypeVar("ModelT", bound=BaseModel)
MAX_NAME = 100
MAX_NUDGE_HOURS = 12
NO_WEEKDAYS = ("", "none", "no", "-")
"""What an organizer types to clear the rest days."""


class _Given:
    """What an organizer's input keeps in a pending edit: the values given, None left out."""

    __slots__ = ()

    def given(self) -> dict[str, Any]:
        """Return the values that were given (as a pending edit keeps them)."""
        return {key: value for key, value in asdict(self).items() if value is not None}  # type: ignore[call-overload]

    @classmethod
    def from_given(cls, values: Mapping[str, Any]) -> Self:
        """Rebuild the input from `given()` (a pending edit's stored values)."""
        return cls(**values)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChallengeSettingsInput(_Given):
    """A challenge's settings as an organizer gave them; None leaves a setting as it is.

    Plain values, checked by the service (`ChallengeSettings`) when it uses them.
    """

    name: str | None = None
    preset: str | None = None
    timezone: str | None = None
    hashtag: str | None = None
    progress_channel_id: int | None = None
    digest_channel_id: int | None = None
    digest_day: str | None = None
    digest_time: str | None = None
    nudge_hours: int | None = None
    """0 turns nudges off."""
    announce_checkins: bool | None = None
    """Whether /log check-ins and milestones get a public line in the progress channel."""
    web: bool | None = None
    """Whether the challenge has a public page (the host must have set DAYBOOK_WEB_URL)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RulesInput(_Given):
    """Rule parameters as an organizer gave them; None leaves a parameter as it is.

    Plain values, checked by the service (`RuleChanges`) when it uses them.
    """

    target_days: int | None = None
    """0 means open-ended."""
    min_minutes: int | None = None
    min_words: int | None = None
    require_link: bool | None = None
    missed_day_policy: str | None = None
    """A `MissedDayPolicy` value."""
    rest_weekdays: str | None = None
    """Weekday names separated by commas; "none" for no rest days."""
    rollover_hour: int | None = None
    backfill_days: int | None = None
    freeze_every: int | None = None
    """0 turns freezes off."""
    freeze_max: int | None = None


def weekday_number(name: str) -> int:
    """Return Monday=0 … Sunday=6 for a weekday name or its first three letters."""
    wanted = name.strip().casefold()
    for number, weekday in enumerate(WEEKDAY_NAMES):
        if wanted in (weekday.casefold(), weekday[:3].casefold()):
            return number
    raise InvalidInputError(f"'{name[:20]}' is not a weekday; use a name such as Monday.")


class RuleChanges(BaseModel):
    """Rule parameters an organizer may set; None leaves a parameter as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target_days: Annotated[int, Field(ge=0, le=MAX_TARGET_DAYS)] | None = None
    """0 means open-ended."""
    min_minutes: Annotated[int, Field(ge=0, le=MAX_MIN_MINUTES)] | None = None
    min_words: Annotated[int, Field(ge=0, le=MAX_MIN_WORDS)] | None = None
    require_link: bool | None = None
    missed_day_policy: MissedDayPolicy | None = None
    rest_weekdays: list[int] | None = None
    rollover_hour: Annotated[int, Field(ge=0, le=MAX_ROLLOVER_HOUR)] | None = None
    backfill_days: Annotated[int, Field(ge=0, le=MAX_BACKFILL_DAYS)] | None = None
    freeze_every: Annotated[int, Field(ge=0, le=MAX_FREEZE_EVERY)] | None = None
    """0 turns freezes off."""
    freeze_max: Annotated[int, Field(ge=0, le=MAX_FREEZE_BANK)] | None = None

    @field_validator("rest_weekdays", mode="before")
    @classmethod
    def _weekdays(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.strip().casefold() in NO_WEEKDAYS:
                return []
            parts = [part for part in value.replace(";", ",").split(",") if part.strip()]
            return [weekday_number(part) for part in parts]
        return value

    def apply_to(self, rules: Rules) -> Rules:
        """Return `rules` with these changes, validated as a whole."""
        changes = self.model_dump(exclude_none=True)
        if "target_days" in changes:
            changes["target_days"] = changes["target_days"] or None
        if "rest_weekdays" in changes:
            changes["rest_weekdays"] = frozenset(changes["rest_weekdays"])
        if "freeze_every" in changes and not changes["freeze_every"]:
            changes["freeze_every"] = None
            changes["freeze_max"] = 0
        if changes.get("freeze_every") and not changes.get("freeze_max", rules.freeze_max):
            changes["freeze_max"] = 1
        try:
            return rules.with_changes(**changes)
        except RulesError as error:
            raise InvalidInputError(problem_text(error.problem)) from None


class ChallengeSettings(BaseModel):
    """A challenge's settings besides its rules, as an organizer gives them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    preset: str | None = None
    timezone: str | None = None
    hashtag: str | None = None
    progress_channel_id: int | None = None
    digest_channel_id: int | None = None
    digest_day: str | None = None
    digest_time: str | None = None
    nudge_hours: int | None = None
    """0 turns nudges off."""
    announce_checkins: bool | None = None
    web: bool | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned = " ".join(value.split())
        if not cleaned or len(cleaned) > MAX_NAME:
            raise ValueError(f"A challenge name must be 1 to {MAX_NAME} characters.")
        if (
            not content.has_visible_text(cleaned)
            or content.has_broken_characters(cleaned)
            or any(content.is_control(char) for char in cleaned)
        ):
            # Members pick a challenge by typing its name: it has to be one they can see.
            raise ValueError(
                "A challenge name needs visible letters or digits, and no control characters."
            )
        return cleaned

    @field_validator("nudge_hours")
    @classmethod
    def _nudge_hours(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= MAX_NUDGE_HOURS:
            raise ValueError(
                f"Nudge hours must be 1 to {MAX_NUDGE_HOURS} hours before the day ends, or 0 "
                "for no nudges."
            )
        return value

    def nudges(self, current: int | None) -> int | None:
        """Return the nudge hours after this change (None: no nudges)."""
        if self.nudge_hours is None:
            return current
        return self.nudge_hours or None

    @field_validator("preset")
    @classmethod
    def _preset(cls, value: str | None) -> str | None:
        if value is not None and value != CUSTOM and value not in PRESETS:
            names = ", ".join([*PRESETS, CUSTOM])
            raise ValueError(f"The preset must be one of {names}.")
        return value

    @field_validator("hashtag")
    @classmethod
    def _hashtag(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned = value.strip().lstrip("#")
        if not cleaned or len(cleaned) > MAX_NAME or not cleaned.replace("_", "").isalnum():
            raise ValueError("A hashtag is letters, digits and underscores, like 100DaysOfMLCode.")
        return "#" + cleaned

    def zone(self) -> str | None:
        """Return the validated time zone, if one was given."""
        return None if self.timezone is None else checked_zone(self.timezone)

    def weekday(self) -> int | None:
        """Return the digest weekday number, if one was given."""
        return None if self.digest_day is None else weekday_number(self.digest_day)

    def clock_time(self) -> time | None:
        """Return the digest time, if one was given."""
        if self.digest_time is None:
            return None
        return parse_clock_time(self.digest_time, "digest time")


def validated(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    """Build a model from user input, turning the first validation error into a sentence."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "value"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInputError(f"{field.replace('_', ' ')}: {message}") from None

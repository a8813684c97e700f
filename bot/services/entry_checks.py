"""The checks a post passes before it is stored: its text, minutes, tags, link and day.

Every refusal is one sentence for the member, and nothing is stored. Text that shows nothing
(zero-width, control or blank characters only) is not a post; a lone surrogate (half of an
emoji) cannot be stored at all; control characters are not text and are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from bot.domain import content
from bot.domain.models import Challenge, Entry, Link
from bot.errors import InvalidInputError
from bot.wording.dates import day_label

MAX_TEXT = 4000
MAX_MINUTES = 24 * 60
MAX_ATTACHMENTS = 10
MAX_LINK = 500
REPEAT_WINDOW = timedelta(minutes=1)
"""A second /log of the same post for the same day this soon is the same post sent again: the
member saw no answer (Discord lost the reply, 10062) and tried again."""


REPEAT_DAYS_AROUND = timedelta(days=2)
"""How far a member's day can lie from the UTC date of an instant: zones are UTC-12 to UTC+14
and the rollover moves the day back by up to 12 hours, so a day at most one date either way;
the second day is a margin (the repeat check itself compares the exact day)."""


def repeat_days(day: date | None, at: datetime) -> tuple[date, date]:
    """Return the days a repeat of a post for `day` (or for the day of `at`) can lie in."""
    if day is not None:
        return day, day
    utc_day = at.astimezone(UTC).date()
    return utc_day - REPEAT_DAYS_AROUND, utc_day + REPEAT_DAYS_AROUND


def repeat_of(
    recent: Iterable[Entry],
    participant_id: int,
    day: date,
    at: datetime,
    body: str,
    minutes: int | None,
    links: tuple[Link, ...],
    attachments: tuple[str, ...],
) -> Entry | None:
    """Return the same post logged for `day` within REPEAT_WINDOW before `at`, if any.

    `recent` holds the member's live entries, oldest first, that may be one (see
    `EntryRepository.record_context`): at least those of `repeat_days` created in the window.
    """
    for entry in recent:
        if (
            entry.participant_id == participant_id
            and entry.local_day == day
            and entry.message_id is None
            and timedelta(0) <= at - entry.created_at <= REPEAT_WINDOW
            and (entry.text, entry.minutes, entry.attachments) == (body, minutes, attachments)
            and entry.links == links
        ):
            return entry
    return None


_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""The ASCII characters `content.is_control` finds: C0 controls but tab and line breaks, DEL."""


def checked_text(text: str, attachments: tuple[str, ...]) -> str:
    """Return the post's text as stored, or explain why it is not a post."""
    if text.isascii():
        # Most posts: the per-character checks below in one C-level pass each. ASCII holds no
        # surrogate, its controls are `_ASCII_CONTROLS`, and every other character but the
        # blanks is a letter, digit, punctuation or symbol, so a non-empty body shows.
        body = _ASCII_CONTROLS.sub("", text).strip()
        visible = bool(body)
    else:
        if content.has_broken_characters(text):
            raise InvalidInputError(BROKEN_TEXT)
        # Control characters are not text (and PostgreSQL refuses NUL): they are dropped.
        body = content.without_controls(text).strip()
        visible = content.has_visible_text(body)
    if len(body) > MAX_TEXT:
        raise InvalidInputError(
            f"Your post is {len(body):,} characters; the limit is {MAX_TEXT:,}. Shorten it or "
            "split it into two posts."
        )
    if attachments:
        return body
    if not text.strip():
        raise InvalidInputError("Write a few words about what you did today.")
    if not visible:
        raise InvalidInputError(
            "That post has no visible text (only spaces, invisible or control characters). "
            "Write a few words about what you did today."
        )
    return body


BROKEN_TEXT = (
    "Your text has a broken character in it (half of an emoji, perhaps), so I can't keep it. "
    "Type it again and send it once more."
)


def check_tags(tags: str) -> None:
    """Refuse tags holding broken or control characters."""
    if content.has_broken_characters(tags) or any(content.is_control(char) for char in tags):
        raise InvalidInputError(
            "Tags are words separated by commas, without broken or control characters."
        )


def check_minutes(minutes: int | None) -> None:
    """Refuse minutes outside one day."""
    if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
        raise InvalidInputError(f"Minutes must be from 0 to {MAX_MINUTES} (a whole day).")


def checked_link(link: str | None) -> str:
    """Return the link option as stored ("" for none), or explain its shape."""
    if not link:
        return ""
    cleaned = link.strip()
    if (
        len(cleaned) > MAX_LINK
        or content.has_broken_characters(cleaned)
        or any(content.is_control(char) or char.isspace() for char in cleaned)
    ):
        raise InvalidInputError(LINK_SHAPE)
    found = content.extract_links(cleaned)
    if len(found) != 1 or found[0].url != cleaned:
        raise InvalidInputError(LINK_SHAPE)
    return cleaned


LINK_SHAPE = (
    f"The link must be one web address starting with https://, at most {MAX_LINK} characters, "
    "without spaces or control characters."
)


def checked_day(day: date | None, today: date, challenge: Challenge) -> date:
    """Return the day a post is for: today, or a past day within the backfill window."""
    if day is None:
        return today
    if day > today:
        raise InvalidInputError(
            f"{day_label(day, near=today)} has not started yet in your time zone (today is "
            f"{day_label(today)})."
        )
    backfill = challenge.rules.backfill_days
    earliest = today - timedelta(days=backfill)
    if day < earliest:
        if backfill == 0:
            raise InvalidInputError(f"{challenge.name} only takes posts for today.")
        plural = "day" if backfill == 1 else "days"
        raise InvalidInputError(
            f"{challenge.name} lets you log up to {backfill} {plural} late, so the earliest "
            f"day you can log is {day_label(earliest, near=today)}."
        )
    return day

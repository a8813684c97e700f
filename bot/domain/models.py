"""The nouns of Daybook: challenges, participants, entries, adjustments and day facts.

Plain frozen dataclasses with no behaviour beyond small derived properties; storage returns
them and the services pass them around. Day N, streaks and the ledger are never stored here:
the engine derives them from entries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.domain.rules import Rules


class EntrySource(enum.StrEnum):
    """Where an entry came from."""

    COMMAND = "command"
    CHANNEL = "channel"
    IMPORT = "import"


class ReminderMode(enum.StrEnum):
    """How a participant wants to be reminded."""

    CHANNEL = "channel"
    DM = "dm"
    OFF = "off"


class AdjustmentKind(enum.StrEnum):
    """An organizer's correction of one day."""

    COUNT = "count"
    """The day counts, whatever was logged (a lost post, a bot outage)."""
    EXCUSE = "excuse"
    """The day neither counts nor breaks anything, like a rest day (illness, a holiday)."""
    DISCOUNT = "discount"
    """The day does not count, whatever was logged (a post that was not progress)."""


class LinkKind(enum.StrEnum):
    """What a link points to, for the digest's grouping."""

    ARXIV = "arxiv"
    KAGGLE = "kaggle"
    COLAB = "colab"
    GITHUB = "github"
    HUGGINGFACE = "huggingface"
    YOUTUBE = "youtube"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in a post."""

    url: str
    kind: LinkKind


@dataclass(frozen=True, slots=True)
class Challenge:
    """A challenge a server runs: its rules, channels, digest schedule and home zone."""

    id: int
    guild_id: int
    name: str
    rules: Rules
    timezone: str
    preset: str | None = None
    hashtag: str | None = None
    progress_channel_id: int | None = None
    digest_channel_id: int | None = None
    digest_weekday: int = 0
    """Weekday of the digest, Monday is 0."""
    digest_time: time = time(9, 0)
    nudge_hours: int | None = None
    """Hours before a member's day ends to nudge a streak at risk; None for no nudges."""
    created_at: datetime | None = None
    ended_at: datetime | None = None
    announce_checkins: bool = True
    """Whether /log check-ins and milestones get a short public line in the progress channel."""
    web_enabled: bool = False
    """Whether the challenge's public web page is on (organizers opt in; off by default)."""
    web_id: str | None = None
    """The public page's unguessable address, made when the page is first turned on, then kept."""

    @property
    def is_active(self) -> bool:
        """Whether the challenge still accepts entries."""
        return self.ended_at is None


@dataclass(frozen=True, slots=True)
class Participant:
    """A member taking part in one challenge."""

    id: int
    challenge_id: int
    user_id: int
    timezone: str
    start_day: date
    """The first local day the member's challenge may count from."""
    initial_day: int = 1
    """The Day N of the first qualifying day, for members who joined already underway."""
    reminder_time: time | None = None
    reminder_mode: ReminderMode = ReminderMode.OFF
    hidden: bool = False
    """Whether the member is left off leaderboards and digests."""
    joined_at: datetime | None = None
    left_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        """Whether the member is still in the challenge."""
        return self.left_at is None


@dataclass(frozen=True, slots=True)
class Entry:
    """One progress post, dated once and for all when it was posted."""

    id: int
    participant_id: int
    challenge_id: int
    user_id: int
    local_day: date
    text: str
    source: EntrySource
    created_at: datetime
    minutes: int | None = None
    words: int = 0
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    attachments: tuple[str, ...] = ()
    timezone: str = "UTC"
    """The zone the local day was computed in."""
    message_id: int | None = None
    channel_id: int | None = None
    edited_at: datetime | None = None
    deleted_at: datetime | None = None

    @property
    def has_link(self) -> bool:
        """Whether the post carries a link to the work."""
        return bool(self.links)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """An organizer's correction of one member's day, with the reason kept in the ledger."""

    id: int
    participant_id: int
    day: date
    kind: AdjustmentKind
    reason: str
    organizer_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DayFacts:
    """Everything the engine needs to know about one member's local day."""

    day: date
    entries: int = 0
    minutes: int | None = None
    """Minutes stated across the day's entries; None when no entry stated any."""
    unstated: int = 0
    """How many of the day's entries stated no minutes (each is taken at the member's word)."""
    words: int = 0
    has_link: bool = False
    imported: int = 0
    """How many of the entries came from an imported log."""
    adjustment: AdjustmentKind | None = None
    adjustment_reason: str = ""

    @classmethod
    def from_entries(
        cls, day: date, entries: list[Entry], adjustment: Adjustment | None = None
    ) -> DayFacts:
        """Sum a day's live entries (deleted ones are left out) and its latest adjustment."""
        live = [entry for entry in entries if entry.deleted_at is None and entry.local_day == day]
        stated = [entry.minutes for entry in live if entry.minutes is not None]
        return cls(
            day=day,
            entries=len(live),
            minutes=sum(stated) if stated else None,
            unstated=len(live) - len(stated),
            words=sum(entry.words for entry in live),
            has_link=any(entry.has_link for entry in live),
            imported=sum(entry.source is EntrySource.IMPORT for entry in live),
            adjustment=adjustment.kind if adjustment else None,
            adjustment_reason=adjustment.reason if adjustment else "",
        )

    @property
    def minutes_on_word(self) -> bool:
        """Whether the day's minutes are taken at the member's word (the honour system).

        A post that leaves minutes out says "I did my minutes": stating a few more minutes in
        a second post of the day adds to that claim, never takes it back.
        """
        return self.minutes is None or self.unstated > 0

"""The demo's scripted community: an organizer and members in different zones, over weeks.

The script is data (timed actions), so the same community can be replayed through the services
or through a simulated Discord. Every instant is UTC; the comments give the local times.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

START = date(2026, 3, 2)  # a Monday; Europe/Berlin and New York change clocks within the run
WEEKS = 4
GUILD_ID = 900_000_000_000_000_001
CHALLENGE_NAME = "100 Days of ML Code"
MILESTONE_ROLE_NAME = "Week one"


class Act(enum.StrEnum):
    """What a demo actor does."""

    CREATE = "create"
    JOIN = "join"
    LOG = "log"
    LEAVE = "leave"
    STREAK = "streak"
    WHY = "why"
    PROGRESS = "progress"
    LEADERBOARD = "leaderboard"
    TIMEZONE = "timezone"
    REMIND = "remind"
    LOG_TODAY = "log-today"
    IMPORT = "import"
    """Click "Log today" on the member's latest reminder and fill in the form."""
    DIGEST_PREVIEW = "digest-preview"
    HELP = "help"
    MILESTONE_ROLE = "milestone-role"
    STATS = "stats"


@dataclass(frozen=True, slots=True)
class Member:
    """A scripted member."""

    user_id: int
    name: str
    timezone: str


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a member does at one instant."""

    at: datetime
    member: Member
    act: Act
    options: dict[str, object] = field(default_factory=dict)
    note: str = ""
    """What the demo wants to show with this action."""


ORGANIZER = Member(900_000_000_000_000_100, "Grace (organizer)", "Europe/London")
ADA = Member(900_000_000_000_000_101, "Ada", "Europe/Berlin")
RAJ = Member(900_000_000_000_000_102, "Raj", "Asia/Kolkata")
MAYA = Member(900_000_000_000_000_103, "Maya", "America/New_York")
KENJI = Member(900_000_000_000_000_104, "Kenji", "Asia/Tokyo")
MEMBERS = (ADA, RAJ, MAYA, KENJI)

TOPICS = (
    "linear regression from scratch with NumPy",
    "gradient descent and learning rates",
    "logistic regression on the Titanic data https://www.kaggle.com/c/titanic",
    "read 'Attention Is All You Need' https://arxiv.org/abs/1706.03762 #transformers",
    "a CNN on MNIST in a notebook https://colab.research.google.com/drive/demo #cnn",
    "fine-tuned DistilBERT https://huggingface.co/distilbert-base-uncased #nlp",
    "cleaned up my repo https://github.com/example-learner/ml-100 #mlops",
    "k-means and the elbow method #unsupervised",
    "decision trees and random forests",
    "watched a lecture on backpropagation https://www.youtube.com/watch?v=Ilg3gGewQ5U",
)


def _utc(day: date, hour: int, minute: int, offset_hours: float) -> datetime:
    """Return the UTC instant of a local wall time in a zone with that UTC offset."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
    return local - timedelta(hours=offset_hours)


def _offset(member: Member, day: date) -> float:
    """Return the member's UTC offset on that day (hand-kept for the demo's few zones)."""
    berlin_summer = day >= date(2026, 3, 29)
    new_york_summer = day >= date(2026, 3, 8)
    return {
        "Europe/London": 1.0 if berlin_summer else 0.0,
        "Europe/Berlin": 2.0 if berlin_summer else 1.0,
        "Asia/Kolkata": 5.5,
        "America/New_York": -4.0 if new_york_summer else -5.0,
        "Asia/Tokyo": 9.0,
    }[member.timezone]


def local_day(member: Member, at: datetime, rollover_hour: int = 0) -> date:
    """Return the member's day at a UTC instant (by the demo's hand-kept offsets).

    With a rollover hour, the day a post then counts for: 01:30 is still the day before 04:00.
    """
    return (at + timedelta(hours=_offset(member, at.date()) - rollover_hour)).date()


def kenji_log(first: date) -> str:
    """Return the log Kenji kept the week before last: five days, one with no progress."""
    lines = ["# 100 Days Of ML Code - Round 1", ""]
    topics = ("NumPy broadcasting", "pandas groupby", "", "matplotlib basics", "train/test split")
    for number, offset in enumerate(range(13, 8, -1), start=1):
        day = first - timedelta(days=offset)
        progress = topics[number - 1] or "None."
        lines += [
            f"### R1D{number}: {day:%B} {day.day}, {day.year} - 1h",
            "",
            f"**Today's Progress**: {progress}",
            "",
        ]
    return "\n".join(lines)


def build_script() -> list[Action]:
    """Return the scripted community's actions in time order."""
    actions: list[Action] = []

    def at(member: Member, day: date, hour: int, minute: int = 0) -> datetime:
        return _utc(day, hour, minute, _offset(member, day))

    first = START
    actions.append(
        Action(
            at(ORGANIZER, first - timedelta(days=2), 18),
            ORGANIZER,
            Act.CREATE,
            {
                "name": CHALLENGE_NAME,
                "preset": "100-days-of-ml-code",
                "timezone": "Europe/London",
                "digest_day": "Monday",
                "digest_time": "09:00",
            },
            "The organizer starts a #100DaysOfMLCode challenge, with a digest on Mondays.",
        )
    )
    actions.append(
        Action(
            at(ORGANIZER, first - timedelta(days=2), 18, 5),
            ORGANIZER,
            Act.MILESTONE_ROLE,
            {"milestone": "day7", "role": MILESTONE_ROLE_NAME},
            "Members who reach Day 7 get a role; Daybook checks first that it may give it.",
        )
    )
    actions.append(
        Action(
            at(MAYA, first - timedelta(days=1), 19, 55),
            MAYA,
            Act.HELP,
            {},
            "Maya is new: /help says the rules in a sentence and what to do first.",
        )
    )
    for member in MEMBERS:
        actions.append(
            Action(
                at(member, first - timedelta(days=1), 20),
                member,
                Act.JOIN,
                {"timezone": member.timezone},
                f"{member.name} joins from {member.timezone}.",
            )
        )
    actions.append(
        Action(
            at(KENJI, first - timedelta(days=1), 20, 30),
            KENJI,
            Act.IMPORT,
            {"attachment": ("kenji-log.md", kenji_log(first).encode())},
            "Kenji started on his own a fortnight ago; he brings his log in, checks, confirms.",
        )
    )
    actions.append(
        Action(
            at(MAYA, first - timedelta(days=1), 20, 5),
            MAYA,
            Act.TIMEZONE,
            {"zone": "America/New_Yrok"},
            "A typo in a time zone gets a polite suggestion and changes nothing.",
        )
    )
    actions.append(
        Action(
            at(ADA, first - timedelta(days=1), 20, 10),
            ADA,
            Act.REMIND,
            {"time": "22:00"},
            "Ada asks for a reminder at 22:00 her time, in the progress channel.",
        )
    )
    actions.append(
        Action(
            at(MAYA, first - timedelta(days=1), 20, 10),
            MAYA,
            Act.REMIND,
            {"time": "21:00", "mode": "dm"},
            "Maya prefers a direct message at 21:00 New York time.",
        )
    )
    actions.append(
        Action(
            at(ADA, first + timedelta(days=9), 22, 5),
            ADA,
            Act.LOG_TODAY,
            {"text": "short day: read about dropout", "minutes": "60"},
            "Ada forgot today; the reminder's Log today button opens the form.",
        )
    )
    actions.append(
        Action(
            at(ORGANIZER, first + timedelta(days=18), 10),
            ORGANIZER,
            Act.DIGEST_PREVIEW,
            {},
            "The organizer previews next Monday's digest; only she sees it.",
        )
    )
    actions.append(
        Action(
            at(ORGANIZER, first + timedelta(days=WEEKS * 7 - 1), 12),
            ORGANIZER,
            Act.STATS,
            {},
            "At the end of the fourth week the organizer looks at how the challenge is doing.",
        )
    )
    for offset in range(WEEKS * 7):
        day = first + timedelta(days=offset)
        topic = TOPICS[offset % len(TOPICS)]
        # Ada logs every evening; on one day in week 2 she forgets until her reminder.
        if offset != 9:
            actions.append(
                Action(at(ADA, day, 21, 30), ADA, Act.LOG, {"text": topic, "minutes": 75})
            )
        # Raj is a night owl: he logs at 01:30 the next morning, which still counts for today.
        if offset % 6 != 5:
            late = day + timedelta(days=1)
            actions.append(
                Action(
                    at(RAJ, late, 1, 30),
                    RAJ,
                    Act.LOG,
                    {"text": f"late session: {topic}", "minutes": 60},
                    "Posted at 01:30 local: it counts for the day before (rollover 04:00)."
                    if offset == 0
                    else "",
                )
            )
        # Maya logs most days but sometimes too briefly to count (the preset asks for an hour).
        if offset % 5 != 4:
            minutes = 30 if offset % 7 == 3 else 70
            actions.append(
                Action(
                    at(MAYA, day, 19, 15),
                    MAYA,
                    Act.LOG,
                    {"text": topic, "minutes": minutes},
                    "30 minutes is short of the hour this challenge asks for."
                    if minutes == 30 and offset < 7
                    else "",
                )
            )
        # Kenji starts strong and quits after ten days.
        if offset < 10:
            actions.append(
                Action(at(KENJI, day, 7, 45), KENJI, Act.LOG, {"text": topic, "minutes": 60})
            )
    actions.append(
        Action(
            at(KENJI, first + timedelta(days=11), 8),
            KENJI,
            Act.LEAVE,
            {},
            "Kenji leaves; his days are kept in case he comes back.",
        )
    )
    actions.append(
        Action(
            at(ADA, first + timedelta(days=12), 21, 40),
            ADA,
            Act.LOG,
            {"text": "x" * 4100},
            "A post over 4,000 characters is refused and nothing is stored.",
        )
    )
    actions.append(
        Action(
            at(MAYA, first + timedelta(days=13), 19, 30),
            MAYA,
            Act.LOG,
            {"text": "catching up on last week", "day": (first + timedelta(days=3)).isoformat()},
            "A day outside the one-day backfill window is refused.",
        )
    )
    actions.append(
        Action(
            at(ADA, first + timedelta(days=14), 21, 45),
            ADA,
            Act.LOG,
            {"text": "@everyone look at my <@&1234> model <@900000000000000102>", "minutes": 60},
            "Mentions in a post are stored as text and never ping anyone.",
        )
    )
    actions.append(
        Action(
            at(RAJ, first + timedelta(days=16), 12),
            RAJ,
            Act.HELP,
            {},
            "Raj asks /help midway: his next step, his streak, and how to set a reminder.",
        )
    )
    last = first + timedelta(days=WEEKS * 7 - 1)
    for member in (ADA, RAJ, MAYA):
        actions.append(Action(at(member, last, 22), member, Act.STREAK, {}))
        actions.append(Action(at(member, last, 22, 1), member, Act.WHY, {}))
        actions.append(Action(at(member, last, 22, 2), member, Act.PROGRESS, {}))
    actions.append(
        Action(at(ORGANIZER, last, 22, 30), ORGANIZER, Act.LEADERBOARD, {"metric": "streak"})
    )
    actions.append(
        Action(at(ORGANIZER, last, 22, 31), ORGANIZER, Act.LEADERBOARD, {"metric": "consistency"})
    )
    actions.sort(key=lambda action: action.at)
    return actions

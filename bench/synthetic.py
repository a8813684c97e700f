"""A synthetic Daybook server: N members, one year of entries with realistic gaps.

Used by `bench/engine.py`; also runnable on its own to build (or check) a database file:

    ./run python bench/synthetic.py --db data/bench/server-10000.db --members 10000

Everything is deterministic for a given seed and member count. The schema comes from
`storage.migrate` and the challenge from `ChallengeService.create`; participants and entries are
bulk-inserted with SQLAlchemy Core `executemany` on `storage.tables` in large transactions, in
the order a real server would have written them (by time), so row ids, the message-id index and
the physical layout of the entries table look like a year of real use.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import random
import resource
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.domain import content
from bot.services import Services
from bot.services.settings_input import ChallengeSettingsInput
from storage import Database, migrate, tables

BUILD_VERSION = 1
"""Bump whenever the generator changes, so cached databases are rebuilt."""

GUILD_ID = 880_000_000_000_000_001
ORGANIZER_ID = 880_000_000_000_000_002
CHANNEL_ID = 880_000_000_000_000_003
CHALLENGE_NAME = "ML Club"
PRESET = "100-days-of-ml-code"

YEAR_START = date(2026, 1, 1)
TODAY = date(2026, 12, 31)
"""Every member's local day at NOW: the year's entries run up to the day before."""
NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
"""The fixed "now" of every measurement: 12:00 UTC is 31 December in all six zones."""

ZONES: tuple[tuple[str, float], ...] = (
    ("UTC", 0.12),
    ("Europe/Berlin", 0.24),
    ("America/New_York", 0.22),
    ("Asia/Kolkata", 0.22),
    ("Asia/Tokyo", 0.10),
    ("Australia/Sydney", 0.10),
)
DISCORD_EPOCH_MS = 1_420_070_400_000
ROLLOVER_HOUR = 4

TOPICS = (
    "linear regression from scratch",
    "gradient descent with momentum",
    "the bias-variance trade-off",
    "logistic regression on the Titanic set",
    "decision trees and Gini impurity",
    "random forests in scikit-learn",
    "XGBoost hyper-parameters",
    "k-means and the elbow method",
    "PCA on MNIST",
    "backprop by hand (micrograd)",
    "a tiny MLP in PyTorch",
    "CNNs for CIFAR-10",
    "batch norm vs layer norm",
    "dropout and weight decay",
    "the attention chapter of d2l",
    "scaled dot-product attention",
    "nanoGPT training loop",
    "tokenizers and BPE",
    "fine-tuning BERT on IMDB",
    "LoRA adapters",
    "the Kaggle house prices notebook",
    "feature engineering for tabular data",
    "cross-validation done right",
    "precision, recall and ROC curves",
    "the fast.ai lesson 3 notebook",
    "Andrew Ng's week 4 exercises",
    "time-series forecasting with ARIMA",
    "an RL bandit experiment",
    "diffusion models, the DDPM paper",
    "vector databases and embeddings",
)
VERBS = (
    "Worked through",
    "Read about",
    "Implemented",
    "Reviewed",
    "Studied",
    "Coded up",
    "Finished",
    "Started",
    "Debugged",
    "Took notes on",
)
CLOSERS = (
    "",
    "Took longer than planned but it finally clicked.",
    "Still fuzzy on the math, will revisit tomorrow.",
    "Wrote a short summary in my notes.",
    "Short session today, busy at work.",
    "Plotted the loss curves and they look sane.",
    "Tomorrow: apply it to a real data set.",
    "Tags: ml, notes",
)
LINKS = (
    "https://github.com/{user}/100-days-of-ml/blob/main/day{n}.ipynb",
    "https://colab.research.google.com/drive/1{n}x{user}",
    "https://www.kaggle.com/code/{user}/day-{n}",
    "https://arxiv.org/abs/2{n:03d}.0{n:04d}",
    "https://huggingface.co/{user}/model-day{n}",
    "https://www.youtube.com/watch?v=ml{n}{user}",
)
POOL_SIZE = 4000


@dataclass(frozen=True, slots=True)
class Post:
    """A prepared post text with the facts storage keeps about it."""

    text: str
    words: int
    tags_json: str
    links_json: str
    has_link: bool


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build made and how long it took."""

    members: int
    entries: int
    seconds: float
    peak_rss_mb: float
    file_mb: float


def post_text(rng: random.Random, n: int, with_link: bool) -> str:
    """Return a plausible progress post."""
    parts = [f"Day {n}: {rng.choice(VERBS)} {rng.choice(TOPICS)}."]
    closer = rng.choice(CLOSERS)
    if closer:
        parts.append(closer)
    if rng.random() < 0.5:
        parts.append("#100DaysOfMLCode")
    if with_link:
        user = f"learner{rng.randrange(10_000)}"
        parts.append(rng.choice(LINKS).format(user=user, n=rng.randrange(1, 365)))
    return " ".join(parts)


def make_post(text: str) -> Post:
    """Extract words, tags and links exactly as the service layer would."""
    links = content.extract_links(text)
    return Post(
        text=text,
        words=content.count_words(text),
        tags_json=json.dumps(list(content.extract_tags(text)), ensure_ascii=False),
        links_json=json.dumps(
            [{"url": link.url, "kind": link.kind.value} for link in links], ensure_ascii=False
        ),
        has_link=bool(links),
    )


def post_pool(rng: random.Random) -> list[Post]:
    """Return a pool of posts, about 35% of them with a link."""
    return [
        make_post(post_text(rng, rng.randrange(1, 200), rng.random() < 0.35))
        for _ in range(POOL_SIZE)
    ]


@dataclass(slots=True)
class Member:
    """One synthetic member's habits: a two-state Markov chain of active and idle days."""

    index: int
    user_id: int
    zone: str
    join: int
    """Day index (0 = YEAR_START) the member joined."""
    quit: int | None
    """Day index after which the member never posts again."""
    stay_active: float
    """P(active tomorrow | active today)."""
    stay_idle: float
    """P(idle tomorrow | idle today)."""
    minutes_habit: float
    """Probability that a post states its minutes."""
    short_days: float
    """Probability that stated minutes fall short of the hour."""
    multi_post: float
    """Probability of a second post on an active day."""
    left: bool
    hidden: bool
    initial_day: int


def markov(activity: float, mean_gap: float) -> tuple[float, float]:
    """Return (stay_active, stay_idle) for a stationary activity and a mean gap length."""
    stay_idle = 1 - 1 / mean_gap
    leave_active = (1 - stay_idle) * (1 - activity) / activity
    return 1 - leave_active, stay_idle


def make_members(rng: random.Random, count: int, days: int) -> list[Member]:
    """Draw the members: join dates, zones and habits."""
    zone_names = [name for name, _ in ZONES]
    zone_weights = [weight for _, weight in ZONES]
    members = []
    user_ids = rng.sample(range(10**17, 10**17 + 10**15), count)
    for index in range(count):
        # A launch wave in the first two weeks, then a steady trickle that thins out.
        if rng.random() < 0.4:
            join = rng.randrange(14)
        else:
            join = min(int(rng.expovariate(1 / 80)), days - 30)
        kind = rng.random()
        quit_day = None
        if kind < 0.15:  # very regular
            activity, mean_gap = rng.uniform(0.92, 0.97), rng.uniform(1.0, 1.5)
        elif kind < 0.80:  # most members
            activity, mean_gap = rng.uniform(0.5, 0.8), rng.uniform(1.5, 4.0)
        else:  # gives up after a while
            activity, mean_gap = rng.uniform(0.45, 0.8), rng.uniform(1.5, 5.0)
            quit_day = join + int(rng.uniform(7, 150))
        stay_active, stay_idle = markov(activity, max(mean_gap, 1.01))
        members.append(
            Member(
                index=index,
                user_id=user_ids[index],
                zone=rng.choices(zone_names, zone_weights)[0],
                join=join,
                quit=quit_day,
                stay_active=stay_active,
                stay_idle=stay_idle,
                minutes_habit=rng.uniform(0.6, 1.0),
                short_days=rng.uniform(0.02, 0.2),
                multi_post=rng.uniform(0.03, 0.3),
                left=quit_day is not None and rng.random() < 0.3,
                hidden=rng.random() < 0.03,
                initial_day=1 if rng.random() < 0.97 else rng.randrange(2, 40),
            )
        )
    return members


def utc_offsets(days: int) -> dict[str, list[timedelta]]:
    """Return each zone's UTC offset at local noon of every day of the year."""
    offsets: dict[str, list[timedelta]] = {}
    for name, _ in ZONES:
        tz = ZoneInfo(name)
        offsets[name] = [
            datetime.combine(YEAR_START + timedelta(days=day), datetime.min.time())
            .replace(hour=12, tzinfo=tz)
            .utcoffset()
            or timedelta()
            for day in range(days)
        ]
    return offsets


def participant_rows(challenge_id: int, members: list[Member]) -> list[dict[str, Any]]:
    """Return the participants table's rows (ids are 1..N in member order)."""
    rows = []
    for member in members:
        start = YEAR_START + timedelta(days=member.join)
        joined_at = datetime.combine(start, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
        rows.append(
            {
                "id": member.index + 1,
                "challenge_id": challenge_id,
                "guild_id": GUILD_ID,
                "user_id": member.user_id,
                "timezone": member.zone,
                "start_day": start,
                "initial_day": member.initial_day,
                "reminder_time": "20:00" if member.index % 4 == 0 else None,
                "reminder_mode": "dm" if member.index % 4 == 0 else "off",
                "hidden": member.hidden,
                "joined_at": joined_at,
                "left_at": NOW - timedelta(days=30) if member.left else None,
            }
        )
    return rows


class EntryMaker:
    """Walks the year day by day and emits each day's entries in posting order."""

    def __init__(self, rng: random.Random, challenge_id: int, members: list[Member]) -> None:
        self.rng = rng
        self.challenge_id = challenge_id
        self.members = members
        self.days = (TODAY - YEAR_START).days
        self.pool = post_pool(rng)
        self.offsets = utc_offsets(self.days)
        self.active = [True] * len(members)
        self.message_seq = 0

    def day_rows(self, day: int) -> list[dict[str, Any]]:
        """Return the entries every member posted on local day `day`, oldest first."""
        rng = self.rng
        local_day = YEAR_START + timedelta(days=day)
        midnight = datetime.combine(local_day, datetime.min.time(), tzinfo=UTC)
        rows: list[dict[str, Any]] = []
        for member in self.members:
            if day < member.join or (member.quit is not None and day > member.quit):
                continue
            if day == member.join:
                active = True
            elif self.active[member.index]:
                active = rng.random() < member.stay_active
            else:
                active = rng.random() >= member.stay_idle
            self.active[member.index] = active
            if not active:
                continue
            posts = 1 + (rng.random() < member.multi_post) + (rng.random() < 0.03)
            offset = self.offsets[member.zone][day]
            # Local posting times from 07:00 to 03:59 the next morning (before the rollover).
            hours = sorted(rng.uniform(7, 24 + ROLLOVER_HOUR) for _ in range(posts))
            for hour in hours:
                rows.append(self._row(member, local_day, midnight + timedelta(hours=hour) - offset))
        rows.sort(key=lambda row: row["created_at"])
        for row in rows:
            if row["source"] == "channel":
                self.message_seq += 1
                millis = int(row["created_at"].timestamp() * 1000) - DISCORD_EPOCH_MS
                row["message_id"] = (millis << 22) | (self.message_seq & 0x3FFFFF)
        return rows

    def _row(self, member: Member, local_day: date, created_at: datetime) -> dict[str, Any]:
        rng = self.rng
        post = self.pool[rng.randrange(POOL_SIZE)]
        minutes = None
        if rng.random() < member.minutes_habit:
            if rng.random() < member.short_days:
                minutes = rng.randrange(10, 60, 5)
            else:
                minutes = rng.choice((60, 60, 60, 75, 90, 90, 120, 150, 180))
        channel = rng.random() < 0.6
        return {
            "participant_id": member.index + 1,
            "challenge_id": self.challenge_id,
            "user_id": member.user_id,
            "local_day": local_day,
            "timezone": member.zone,
            "text": post.text,
            "minutes": minutes,
            "words": post.words,
            "has_link": post.has_link,
            "tags_json": post.tags_json,
            "links_json": post.links_json,
            "attachments_json": "[]",
            "source": "channel" if channel else "command",
            "message_id": None,
            "channel_id": CHANNEL_ID if channel else None,
            "import_key": None,
            "created_at": created_at,
        }


def sqlite_url(path: Path, driver: str = "aiosqlite") -> str:
    """Return the SQLAlchemy URL of a SQLite file."""
    return f"sqlite+{driver}:///{path}"


async def create_schema(path: Path) -> int:
    """Migrate a new file and create the challenge through the service layer; return its id."""
    url = sqlite_url(path)
    await migrate(url)
    db = await Database.open(url)
    try:
        services = Services.build(db)
        challenge = await services.challenges.create(
            guild_id=GUILD_ID,
            settings=ChallengeSettingsInput(name=CHALLENGE_NAME, preset=PRESET, timezone="UTC"),
            now=datetime.combine(YEAR_START, datetime.min.time(), tzinfo=UTC) - timedelta(days=1),
        )
    finally:
        await db.close()
    return challenge.id


def build(path: Path, members: int, seed: int, *, log: bool = True) -> BuildResult:
    """Build the synthetic server into a new SQLite file at `path`."""
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    challenge_id = asyncio.run(create_schema(path))
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    people = make_members(rng, members, (TODAY - YEAR_START).days)
    maker = EntryMaker(rng, challenge_id, people)
    engine = sa.create_engine(sqlite_url(path, "pysqlite"))

    @sa.event.listens_for(engine, "connect")
    def _bulk_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")  # 400 MB: the indexes stay in memory
        cursor.close()

    total = 0
    try:
        with engine.begin() as connection:
            connection.execute(tables.participants.insert(), participant_rows(challenge_id, people))
            connection.execute(
                tables.participant_zones.insert(),
                [
                    {
                        "participant_id": row["id"],
                        "timezone": row["timezone"],
                        "effective_from": row["joined_at"],
                    }
                    for row in participant_rows(challenge_id, people)
                ],
            )
        month: list[dict[str, Any]] = []
        for day in range(maker.days):
            month.extend(maker.day_rows(day))
            if len(month) >= 60_000 or day == maker.days - 1:
                with engine.begin() as connection:
                    connection.execute(tables.entries.insert(), month)
                total += len(month)
                month = []
                if log:
                    print(f"  built {total:,} entries (through day {day + 1})", file=sys.stderr)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return BuildResult(
        members=members,
        entries=total,
        seconds=time.perf_counter() - started,
        peak_rss_mb=peak,
        file_mb=path.stat().st_size / 2**20,
    )


def main() -> None:
    """Build a synthetic server database file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="SQLite file to (re)build")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=100)
    args = parser.parse_args()
    result = build(args.db, args.members, args.seed)
    print(json.dumps(dataclasses.asdict(result)))


if __name__ == "__main__":
    main()

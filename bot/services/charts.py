"""Pictures of progress: a member's heatmap and a challenge's leaderboard, as PNG bytes.

The data is gathered here, on the event loop (a few database reads); the drawing runs in an
executor, so the event loop never waits for matplotlib. In production the executor is a small
process pool (see `bot.app`): rendering holds the GIL for about 100 ms, which in a thread would
still stall the loop. Tests hand in a thread pool.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from bot.charts import jobs
from bot.charts.data import (
    ActivityData,
    ActivityDay,
    BoardBar,
    DayMark,
    HeatmapData,
    LeaderboardData,
    WeekBar,
    WeeklyBoardData,
    day_mark,
    heading,
    value_text,
)
from bot.charts.stats_data import StatsData
from bot.domain.leaderboard import Metric, Period, Placing
from bot.services.digests import Digest, Standout
from bot.services.progress import Board, MemberLedger, ProgressService
from bot.wording.dates import day_range

log = logging.getLogger(__name__)

TOP = 10
"""How many members a leaderboard shows."""
FORMER_MEMBER = "A former member"

NameLookup = Callable[[Sequence[int]], Awaitable[Mapping[int, str]]]
"""Return display names for user ids (the caller knows the server; services do not)."""

Data = TypeVar("Data")
Result = TypeVar("Result")


@dataclass(frozen=True, slots=True)
class ProgressPicture:
    """A member's ledger and its heatmap."""

    member: MemberLedger
    png: bytes


PUBLIC = 0
"""The viewer id of a picture everyone sees: no Discord user has id 0, so no row is 'mine'."""


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One line of a leaderboard, as both the chart and the text show it."""

    rank: int
    user_id: int
    name: str
    score: float
    """The number the board ranks by."""
    value: str
    """The score in words: '12 days', '87%'."""

    def bar(self, viewer_id: int) -> BoardBar:
        """Return the row as the chart draws it."""
        return BoardBar(self.rank, self.name, self.score, self.value, self.user_id == viewer_id)


@dataclass(frozen=True, slots=True)
class BoardPicture:
    """A leaderboard: its top rows, the viewer's own row, and the chart."""

    board: Board
    heading: str
    rows: tuple[BoardRow, ...]
    viewer: BoardRow | None
    """The member who asked; None when they are hidden or have not joined."""
    png: bytes

    @property
    def ranked(self) -> int:
        """How many members are on the board."""
        return self.board.ranked


@dataclass(frozen=True, slots=True)
class DigestPictures:
    """The weekly digest's charts, as PNG bytes."""

    board: bytes
    activity: bytes


def week_words(first: date, last: date) -> str:
    """Return a week's days as members read them everywhere: 'Mon 9 - Sun 15 Nov' (an en dash)."""
    return day_range(first, last)


def week_marks(row: Standout) -> tuple[DayMark, ...]:
    """Return how the board marks each day of a row's week.

    No ledger row before the member's first is no attempt running (not joined yet); none after
    their last is a day still to come (a preview or post-now mid-week): open, not 'not taking
    part'.
    """
    walked = [index for index, day in enumerate(row.week) if day is not None]
    last = walked[-1] if walked else len(row.week)
    return tuple(
        (DayMark.OPEN if index > last else DayMark.NONE)
        if day is None
        else day_mark(day.status, day.entries)
        for index, day in enumerate(row.week)
    )


class ChartService:
    """Draws charts from the members' standings, off the event loop."""

    def __init__(self, progress: ProgressService, executor: Executor | None = None) -> None:
        """`executor` runs the drawing; None means the event loop's default thread pool."""
        self._progress = progress
        self._executor = executor
        self._fonts_checked = False

    async def draw_progress(
        self,
        *,
        guild_id: int,
        viewer_id: int,
        member_id: int | None = None,
        member_name: str,
        challenge: str | None = None,
        now: datetime,
    ) -> ProgressPicture:
        """Return a member's ledger and a heatmap of their attempt (the viewer's own by default)."""
        member = await self._progress.ledger(
            guild_id=guild_id,
            viewer_id=viewer_id,
            member_id=member_id,
            challenge=challenge,
            now=now,
        )
        data = HeatmapData.from_ledger(
            member.ledger, member=member_name, challenge=member.challenge.name
        )
        return ProgressPicture(member, await self._render(jobs.draw_heatmap, data))

    async def draw_leaderboard(
        self,
        *,
        guild_id: int,
        viewer_id: int,
        metric: Metric = Metric.STREAK,
        period: Period = Period.ALL,
        challenge: str | None = None,
        now: datetime,
        names: NameLookup,
    ) -> BoardPicture:
        """Return the challenge's top members and the viewer's own rank, with a bar chart."""
        board = await self._progress.leaderboard(
            guild_id=guild_id,
            viewer_id=viewer_id,
            metric=metric,
            period=period,
            challenge=challenge,
            now=now,
        )
        shown = [*board.top(TOP), *([board.viewer] if board.viewer else [])]
        found = await names(sorted({placing.contender.user_id for placing in shown}))

        def row(placing: Placing) -> BoardRow:
            user_id = placing.contender.user_id
            name = found.get(user_id, FORMER_MEMBER)
            words = value_text(metric, placing.value)
            return BoardRow(placing.rank, user_id, name, placing.value, words)

        rows = tuple(row(placing) for placing in board.top(TOP))
        viewer = row(board.viewer) if board.viewer else None
        title = heading(metric, period)
        data = LeaderboardData(
            challenge=board.challenge.name,
            heading=title,
            # The picture is public: no row is marked as the asker's and their own row is not
            # added under the top. Their rank is theirs alone (`BoardPicture.viewer`).
            bars=tuple(row.bar(PUBLIC) for row in rows),
            ranked=board.ranked,
            viewer=None,
            share=metric is Metric.CONSISTENCY,
        )
        png = await self._render(jobs.draw_leaderboard, data)
        return BoardPicture(board, title, rows, viewer, png)

    async def draw_digest(self, digest: Digest, names: NameLookup) -> DigestPictures:
        """Return the digest's two charts: the week's board and the daily activity."""
        found = await names(sorted({standout.user_id for standout in digest.board}))
        board_png, activity_png = await asyncio.gather(
            self._render(jobs.draw_weekly_board, digest_board_data(digest, found)),
            self._render(jobs.draw_activity, digest_activity_data(digest)),
        )
        return DigestPictures(board_png, activity_png)

    async def draw_stats(self, data: StatsData) -> bytes:
        """Return the organizers' stats card (its data gathered by `StatsService`)."""
        return await self._render(jobs.draw_stats, data)

    async def render(self, draw: Callable[[Data], bytes], data: Data) -> bytes:
        """Return the PNG `draw` makes of `data` (one of `bot.charts.jobs`), off the event loop."""
        return await self._render(draw, data)

    async def warm(self, workers: int) -> None:
        """Make the executor start `workers` workers now, rather than when a member asks."""
        started = await asyncio.gather(*(self._run(jobs.worker_id) for _ in range(workers)))
        log.info("chart workers ready: %s", len(set(started)))

    async def _render(self, draw: Callable[[Data], bytes], data: Data) -> bytes:
        if not self._fonts_checked:
            self._fonts_checked = True
            await self._check_fonts()
        return await self._run(draw, data)

    async def _check_fonts(self) -> None:
        """Log once, where the charts are drawn, which font packages would draw every name.

        Without them the charts still draw: a missing glyph is a box naming its script.
        """
        missing = await self._run(jobs.missing_fonts)
        if missing:
            log.warning(
                "chart fonts missing: names in %s draw as boxes; install %s "
                "(Debian/Ubuntu: apt-get install %s)",
                " and ".join(covers for covers, _ in missing),
                ", ".join(package for _, package in missing),
                " ".join(package for _, package in missing),
            )

    async def _run(self, job: Callable[..., Result], *args: object) -> Result:
        if self._executor is None:
            return await asyncio.get_running_loop().run_in_executor(None, job, *args)
        # Submitting can start a worker process, which takes a second the first time (the fork
        # server loads matplotlib): it is done from a thread, so the event loop never waits.
        future = await asyncio.to_thread(self._executor.submit, job, *args)
        return await asyncio.wrap_future(future)


def digest_board_data(digest: Digest, names: Mapping[int, str]) -> WeeklyBoardData:
    """Return what a digest's board chart draws: each member's week, named by `names`."""
    return WeeklyBoardData(
        challenge=digest.challenge.name,
        week=week_words(digest.first_day, digest.last_day),
        first_day=digest.first_day,
        bars=tuple(
            WeekBar(names.get(row.user_id, FORMER_MEMBER), week_marks(row), row.streak)
            for row in digest.board
        ),
        members=digest.active,
    )


def digest_activity_data(digest: Digest) -> ActivityData:
    """Return what a digest's activity chart draws: members who logged each day."""
    return ActivityData(
        challenge=digest.challenge.name,
        days=tuple(ActivityDay(day, members) for day, members in digest.activity),
        week_start=digest.first_day,
        week_end=digest.last_day,
    )

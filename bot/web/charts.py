"""The public pages' charts: the same drawings the bot posts, from the pages' own data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.charts import jobs
from bot.charts.data import BoardBar, HeatmapData, LeaderboardData, heading, value_text
from bot.domain.leaderboard import Metric, Period
from bot.services.charts import ChartService, DigestPictures
from bot.services.public import PublicBoard, PublicDigest, PublicMember
from bot.web.pages import CHART_ROWS


async def board_png(charts: ChartService, board: PublicBoard) -> bytes:
    """Return the leaderboard chart of a page's board: its top ten, by current streak."""
    data = LeaderboardData(
        challenge=board.challenge.name,
        heading=heading(Metric.STREAK, Period.ALL),
        bars=tuple(
            BoardBar(row.rank, row.name, row.streak, value_text(Metric.STREAK, row.streak))
            for row in board.rows[:CHART_ROWS]
        ),
        ranked=board.ranked,
        viewer=None,
    )
    return await charts.render(jobs.draw_leaderboard, data)


async def heatmap_png(charts: ChartService, member: PublicMember) -> bytes:
    """Return a member's heatmap, as /progress draws it."""
    data = HeatmapData.from_ledger(
        member.ledger, member=member.name, challenge=member.challenge.name
    )
    return await charts.render(jobs.draw_heatmap, data)


async def digest_pngs(charts: ChartService, shown: PublicDigest) -> DigestPictures:
    """Return a digest's two charts, named as the page names its members."""

    async def names(user_ids: Sequence[int]) -> Mapping[int, str]:
        return shown.names

    return await charts.draw_digest(shown.digest, names)

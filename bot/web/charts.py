"""The public pages' charts: the same drawings the bot posts, from the pages' own data."""

from __future__ import annotations

from bot.charts import jobs
from bot.charts.data import BoardBar, HeatmapData, LeaderboardData, heading, value_text
from bot.domain.leaderboard import Metric, Period
from bot.services.charts import ChartService, digest_activity_data, digest_board_data
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


async def digest_board_png(charts: ChartService, shown: PublicDigest) -> bytes:
    """Return a digest's board chart, named as the page names its members."""
    return await charts.render(jobs.draw_weekly_board, digest_board_data(shown.digest, shown.names))


async def digest_activity_png(charts: ChartService, shown: PublicDigest) -> bytes:
    """Return a digest's activity chart: members who logged each day."""
    return await charts.render(jobs.draw_activity, digest_activity_data(shown.digest))

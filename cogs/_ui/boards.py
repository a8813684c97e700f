"""Presenters for the pictures: the /progress and /leaderboard replies around their charts.

Pure given their inputs. Names are escaped for Markdown; they are display names, never
mentions, so nothing here could ping anyone even without the bot's no-mentions default.
"""

from __future__ import annotations

import discord
from discord.utils import escape_markdown

from bot.services.charts import BoardPicture, BoardRow, ProgressPicture
from bot.services.progress import Standing
from cogs._ui.bounds import bounded
from cogs._ui.embeds import COLOUR, streak_embed

PROGRESS_FILE = "progress.png"
LEADERBOARD_FILE = "leaderboard.png"
NOT_ON_BOARD = "You are not on this board (hidden or not joined)."
TIED_OFF_BOARD = (
    "More members share it than the board has room for: "
    "it names the first {shown}, and you are not among them."
)


def progress_embed(picture: ProgressPicture, name: str) -> discord.Embed:
    """Return the /streak embed of a member, with their heatmap as its image."""
    member = picture.member
    standing = Standing(member.challenge, member.participant, member.ledger.summary)
    embed = streak_embed(standing, name)
    embed.set_image(url=f"attachment://{PROGRESS_FILE}")
    return embed


def board_line(row: BoardRow) -> str:
    """Return '**1.** ada — 12 days'.

    The rank is bold rather than a bare '1.': Discord would read '1.' lines as a Markdown
    list and renumber tied ranks ('2. 2. 4.' would show as 2, 3, 4).
    """
    return f"**{row.rank}.** {escape_markdown(row.name)} — {row.value}"


def own_rank_line(picture: BoardPicture) -> str:
    """Return 'Your rank: 14 of 57 (3 days)', or why the viewer is not on the board.

    A viewer tied with the last name shown but left off (more members share a rank than the
    board has rows) is told so: "rank 1" with their name missing from the top would read as a
    mistake.
    """
    viewer = picture.viewer
    if viewer is None:
        return NOT_ON_BOARD
    line = f"Your rank: {viewer.rank} of {picture.ranked} ({viewer.value})"
    rows = picture.rows
    left_off = all(row.user_id != viewer.user_id for row in rows)
    if rows and left_off and viewer.rank <= rows[-1].rank:
        return f"{line}. {TIED_OFF_BOARD.format(shown=len(rows))}"
    return line


def leaderboard_embed(picture: BoardPicture) -> discord.Embed:
    """Return the top members as text and the chart as the image.

    The board is public, so it says nothing about whoever asked: their own rank (or that they
    are not on the board) is `own_rank_line`, sent to them alone.
    """
    lines = [board_line(row) for row in picture.rows] or ["Nobody is on this board yet."]
    embed = discord.Embed(
        title=f"{escape_markdown(picture.board.challenge.name)} · {picture.heading}",
        description="\n".join(lines),
        colour=COLOUR,
    )
    embed.set_image(url=f"attachment://{LEADERBOARD_FILE}")
    return bounded(embed)

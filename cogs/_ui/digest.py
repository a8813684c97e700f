"""The weekly digest as Discord shows it: two embeds, each with its chart, inside every limit.

Members are named by display name (never a mention: a digest pings nobody, and a mention in an
embed shows as a bare id to clients that have not loaded the member). Every section is cut to
its field's 1,024 characters, and the whole to the 6,000 Discord allows across a message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord
from discord.utils import escape_markdown

from bot.services.charts import week_words
from bot.services.digests import Digest, Standout
from cogs._ui.bounds import MAX_TITLE, clip
from cogs._ui.embeds import COLOUR, plural

BOARD_FILE = "digest-board.png"
ACTIVITY_FILE = "digest-activity.png"
FIELD_LIMIT = 1024
DESCRIPTION_LIMIT = 4096
TOTAL_LIMIT = 6000
FORMER_MEMBER = "a former member"


def listed_ids(digest: Digest) -> list[int]:
    """Return every member the digest names, for one name lookup."""
    groups: Sequence[Sequence[Standout]] = (
        digest.board,
        digest.top_streaks,
        digest.milestones,
        digest.newcomers,
        digest.comebacks,
    )
    return sorted({standout.user_id for group in groups for standout in group})


def _cut(lines: Sequence[str], limit: int = FIELD_LIMIT, more: int = 0) -> str:
    """Join lines, leaving out whole lines past `limit` (and saying how many were left out)."""
    kept: list[str] = []
    length = 0
    for index, line in enumerate(lines):
        left = len(lines) - index + more
        tail = f"\n…and {left} more" if left else ""
        if length + len(line) + 1 + len(tail) > limit:
            kept.append(f"…and {left} more")
            return "\n".join(kept)
        kept.append(line)
        length += len(line) + 1
    if more:
        kept.append(f"…and {more} more")
    return "\n".join(kept)


def _name(names: Mapping[int, str], user_id: int) -> str:
    return escape_markdown(names.get(user_id, FORMER_MEMBER))


def _summary(digest: Digest) -> str:
    parts = [
        (
            # Whom it counts, said: the members taking part now (those who left are in no
            # number), as the footer says hidden members are left out.
            f"**{digest.active}** of {plural(digest.members, 'member')} taking part logged "
            f"{plural(digest.posts, 'post')} this week."
        ),
    ]
    if digest.newcomer_count:
        parts.append(f"{plural(digest.newcomer_count, 'new member')} joined.")
    if digest.at_risk:
        parts.append(
            f"{plural(digest.at_risk, 'member')} missed yesterday, and one more missed day in "
            "a row would end their attempt: one post today keeps it going."
        )
    return " ".join(parts)


def digest_embeds(digest: Digest, names: Mapping[int, str]) -> list[discord.Embed]:
    """Return the digest's embeds: the week (with its board) and the community's activity."""
    challenge = escape_markdown(digest.challenge.name)
    week = week_words(digest.first_day, digest.last_day)
    main = discord.Embed(
        title=clip(f"📅 {challenge} · week of {week}", MAX_TITLE),
        description=_summary(digest)[:DESCRIPTION_LIMIT],
        colour=COLOUR,
    )
    if digest.top_streaks:
        main.add_field(
            name="🔥 Top streaks",
            value=_cut(
                [
                    f"**{s.rank}.** {_name(names, s.user_id)} — {plural(s.streak, 'day')}"
                    for s in digest.top_streaks
                ]
            ),
            inline=False,
        )
    if digest.milestones:
        main.add_field(
            name="🏁 Milestones",
            value=_cut(
                [f"{_name(names, s.user_id)} {s.note}" for s in digest.milestones],
                more=digest.milestone_count - len(digest.milestones),
            ),
            inline=False,
        )
    for title, listed, count in (
        ("👋 New members", digest.newcomers, digest.newcomer_count),
        ("💪 Back on track", digest.comebacks, digest.comeback_count),
    ):
        if listed:
            main.add_field(
                name=title,
                value=_cut(
                    [", ".join(_name(names, s.user_id) for s in listed)], more=count - len(listed)
                ),
                inline=False,
            )
    if digest.tags:
        main.add_field(
            name="🏷️ Top tags",
            value=_cut([" · ".join(f"{escape_markdown(t)} ({n})" for t, n in digest.tags)]),
            inline=False,
        )
    for group, links in digest.links:
        main.add_field(
            name=f"🔗 {group}",
            value=_cut([_link_line(url, count) for url, count in links]),
            inline=False,
        )
    main.set_image(url=f"attachment://{BOARD_FILE}")
    main.set_footer(text="Days logged this week and current streaks; hidden members are left out.")
    activity = discord.Embed(
        title="Members logging each day",
        description=_activity_words(digest),
        colour=COLOUR,
    )
    activity.set_image(url=f"attachment://{ACTIVITY_FILE}")
    embeds = [main, activity]
    _fit(embeds)
    return embeds


def _activity_words(digest: Digest) -> str:
    """Return what the activity chart covers."""
    if not digest.activity:
        return "This week highlighted."
    weeks = len(digest.activity) // 7
    if weeks >= 2:
        return f"The last {weeks} weeks; this week highlighted."
    return f"Since {digest.activity[0][0]:%b} {digest.activity[0][0].day}; this week highlighted."


def _link_line(url: str, count: int) -> str:
    """Return a link without its preview (the angle brackets), with how often it was shared."""
    return f"<{url}>" + (f" ({plural(count, 'post')})" if count > 1 else "")


def _fit(embeds: list[discord.Embed]) -> None:
    """Drop the main embed's last fields until the message is within Discord's 6,000 total."""
    main = embeds[0]
    while sum(len(embed) for embed in embeds) > TOTAL_LIMIT and main.fields:
        main.remove_field(len(main.fields) - 1)

"""The weekly digest as Discord shows it: two embeds, each with its chart, inside every limit.

Members are named by display name (never a mention: a digest pings nobody, and a mention in an
embed shows as a bare id to clients that have not loaded the member). Every section is cut to
its field's 1,024 characters, and the whole to the 6,000 Discord allows across a message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import discord
from discord.utils import escape_markdown

from bot.services.digests import Digest, Standout
from bot.wording.dates import day_label, day_range
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
            # number), as the footer says hidden members are left out. The posts are all of
            # theirs, a member's whose day did not count too: a sentence that said "N members
            # logged P posts" claimed those posts for the N.
            f"**{digest.active}** of {plural(digest.members, 'member')} taking part had a day "
            f"count this week; {plural(digest.posts, 'post')} in all."
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
    # The title names the week, read early or posted on time: a preview reads as the digest.
    week = day_range(digest.first_day, digest.last_day, near=digest.as_of)
    main = discord.Embed(
        title=clip(f"📅 {challenge} · {week}", MAX_TITLE),
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
    return f"Since {day_label(digest.activity[0][0])}; this week highlighted."


def _channel(digest: Digest) -> str:
    channel_id = digest.challenge.digest_channel_id
    if channel_id is None:
        return "no digest channel yet (set one with /challenge edit)"
    return f"<#{channel_id}>"


def _moment(digest: Digest) -> str:
    """Return when the digest is posted, in each reader's own zone: 'Monday… (in 3 days)'."""
    moment = digest.slot.moment
    return f"{discord.utils.format_dt(moment, 'f')} ({discord.utils.format_dt(moment, 'R')})"


def _so_far(digest: Digest) -> str:
    """Return what a digest read before its week is over holds, or '' once the week is over."""
    if digest.complete:
        return ""
    return f" The week isn't over: this shows {day_range(digest.first_day, digest.so_far)} so far."


def preview_note(digest: Digest, now: datetime) -> str:
    """Return the line above a preview: when and where it is posted, and what it holds so far."""
    if digest.slot.moment <= now:
        # Its time has come and the minute's tick has not posted it yet (the bot was down, or
        # the tick is about to run): "is posted 1 hour ago" would read as a past event.
        due = discord.utils.format_dt(digest.slot.moment, "R")
        return (
            f"Preview: this digest was due {due} and goes out in {_channel(digest)} at the "
            f"bot's next minute.{_so_far(digest)}"
        )
    return (
        f"Preview: this digest is posted {_moment(digest)} in {_channel(digest)}.{_so_far(digest)}"
    )


def posted_early_note(digest: Digest) -> str:
    """Return the organizer's private answer to post-now."""
    what = "the whole week, early," if digest.complete else "the week so far"
    return (
        f"✅ Posted {what} in {_channel(digest)}. The digest is still posted at its time, "
        f"{_moment(digest)}."
    )


def early_note(digest: Digest) -> str:
    """Return the public line above a digest posted early: a look at the week, not its end."""
    week = day_range(digest.first_day, digest.so_far, near=digest.as_of)
    if digest.complete:
        return (
            f"👀 Posted early by an organizer: the whole week ({week}). The digest is posted "
            f"again at its time, {_moment(digest)}."
        )
    return (
        f"👀 **The week so far** ({week}): a mid-week look, posted early by an organizer. "
        f"The digest of the full week is posted {_moment(digest)}."
    )


def _link_line(url: str, count: int) -> str:
    """Return a link without its preview (the angle brackets), with how often it was shared."""
    return f"<{url}>" + (f" ({plural(count, 'post')})" if count > 1 else "")


def _fit(embeds: list[discord.Embed]) -> None:
    """Drop the main embed's last fields until the message is within Discord's 6,000 total."""
    main = embeds[0]
    while sum(len(embed) for embed in embeds) > TOTAL_LIMIT and main.fields:
        main.remove_field(len(main.fields) - 1)

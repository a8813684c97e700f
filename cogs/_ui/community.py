"""The public lines members see in the progress channel: check-ins and milestones.

Pure given their inputs. Display names are escaped for Markdown and the lines go out with no
mentions allowed, so a name like "@everyone" pings no one. Nothing private is said: no minutes,
no text, no shortfall; a day that does not count (yet) is only "checked in".
"""

from __future__ import annotations

from discord.utils import escape_markdown, escape_mentions

from bot.domain.milestones import Milestone, Reached
from bot.services.milestones import Celebration
from cogs._ui.bounds import MAX_CONTENT, clip
from cogs._ui.embeds import short_day

MAX_NAME = 80
"""A display name is at most 32 characters; escaping can double it."""


def bold_name(name: str) -> str:
    """Return a member's display name in bold, escaped so it stays plain text.

    Mentions are broken too (a zero-width space after '@'): a nickname such as '<@123>' would
    otherwise show as a highlighted @someone, though allowed mentions keep it from pinging.
    """
    return f"**{clip(escape_mentions(escape_markdown(name)), MAX_NAME)}**"


def checkin_line(name: str, celebration: Celebration) -> str:
    """Return '**ada** logged Day 12 · 7-day streak', or '**ada** checked in'."""
    who = bold_name(name)
    summary = celebration.summary
    if not celebration.counted:
        # Whether a day counts is the member's business: the channel only hears they showed up.
        return f"{who} checked in"
    if not celebration.is_today:
        day = short_day(celebration.entry.local_day)
        return f"{who} logged {day} · now on Day {summary.day_number}"
    line = f"{who} logged Day {summary.day_number}"
    if summary.current_streak > 1:
        line += f" · {summary.current_streak}-day streak"
    return line


def milestone_line(name: str, reached: Reached, challenge_name: str) -> str:
    """Return '🎉 **ada** reached Day 25!' or '🏁 **ada** finished round 1 of ML Club!'."""
    who = bold_name(name)
    if reached.milestone is Milestone.FINISHED:
        text = (
            f"🏁 {who} finished round {reached.round} of {escape_markdown(challenge_name)}: "
            f"Day {reached.day_number}!"
        )
    else:
        text = f"🎉 {who} reached Day {reached.day_number}!"
    return clip(text, MAX_CONTENT)

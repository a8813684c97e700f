"""The words of /challenge stats and /challenge export: private replies to organizers."""

from __future__ import annotations

from bot.domain.milestones import Milestone
from bot.services.exports import ChallengeExport
from bot.services.stats import ChallengeStats
from bot.wording.dates import day_label, day_range
from bot.wording.milestones import milestone_label
from cogs._ui.embeds import plural

STATS_FILE = "stats.png"


def stats_message(stats: ChallengeStats) -> str:
    """Return the short text beside the stats chart (or alone, when nobody has joined)."""
    name = stats.challenge.name
    if stats.empty:
        return (
            f"Nobody has joined **{name}** yet, so there are no stats to show. "
            "Members join with /join."
        )
    lines = [
        f"**{name}** so far: {_span(stats)}.",
        _members_line(stats),
        _active_line(stats),
        _retention_line(stats),
        _milestone_line(stats),
        _streak_line(stats),
        _counted_line(stats),
    ]
    return "\n".join(line for line in lines if line)


def _span(stats: ChallengeStats) -> str:
    days = day_range(stats.first_day, stats.last_day, near=stats.last_day)
    return f"{days} ({plural(len(stats.days), 'day')})"


def _members_line(stats: ChallengeStats) -> str:
    joined = plural(stats.joined, "member")
    return f"- {joined} joined: {stats.still_in:,} still in, {stats.left:,} left."


def _counted_line(stats: ChallengeStats) -> str:
    """Say whom the numbers count: everyone, hidden or since left (the reply is private)."""
    return (
        f"Counts include members hidden from boards ({stats.hidden:,} now), and members who "
        "left count for the days they logged. Only you see this."
    )


def _active_line(stats: ChallengeStats) -> str:
    """Say how many members were active a day: a member logged at least one post for it."""
    busiest_day, busiest = max(stats.days, key=lambda day: (day[1], day[0]))
    if busiest == 0:
        return "- Active per day (at least one post for that local day): nobody has posted yet."
    last_week = stats.days[-7:]
    average = sum(count for _, count in last_week) / len(last_week)
    when = day_label(busiest_day, near=stats.last_day)
    # Several days may share the most: naming one alone would read as if it were the only one.
    tied = sum(1 for _, count in stats.days if count == busiest)
    if tied > 1:
        when = f"{tied:,} days, the latest {when}"
    return (
        "- Active per day (at least one post for that local day): "
        f"{average:.1f} a day over the last {plural(len(last_week), 'day')}; "
        f"the most, {busiest:,}, on {when}."
    )


def _retention_line(stats: ChallengeStats) -> str:
    """Say what share of the first join week still logs, the newest week being partial."""
    first = stats.cohorts[0] if stats.cohorts else None
    if first is None or len(first.active) < 2:
        return ""
    return (
        f"- Of the {plural(first.members, 'member')} who joined in the week of "
        f"{day_label(first.monday, near=stats.last_day)}, {first.share(-1):.0%} logged this "
        "week so far."
    )


def _milestone_line(stats: ChallengeStats) -> str:
    """Say how many members still in are at each milestone now (not who ever reached one)."""
    if not stats.reached:
        return ""
    parts = [f"{_milestone(milestone)}: {count:,}" for milestone, count in stats.reached]
    return (
        "- Members still in who are now at or past (in their current attempt): "
        + " · ".join(parts)
        + "."
    )


def _milestone(milestone: Milestone) -> str:
    return "finished a round" if milestone is Milestone.FINISHED else milestone_label(milestone)


def _streak_line(stats: ChallengeStats) -> str:
    if stats.median_streak is None or stats.median_best is None:
        return "- Nobody is still in, so there is no median streak."
    return (
        f"- Median streak of the {plural(stats.still_in, 'member')} still in: "
        f"{_days(stats.median_streak)} now, {_days(stats.median_best)} at their best."
    )


def _days(value: float) -> str:
    number = f"{value:g}"
    return f"{number} day" if value == 1 else f"{number} days"


def export_message(exported: ChallengeExport) -> str:
    """Return the private reply the export's files come with, with its privacy note."""
    what = (
        "one zip (the CSV and the JSON, too big to attach apart)"
        if exported.zipped
        else ("a CSV of every member's days and a JSON of every member with their posts")
    )
    hidden = (
        f", {plural(exported.hidden, 'member')} hidden from boards (marked hidden)"
        if exported.hidden
        else ""
    )
    return (
        f"**{exported.challenge.name}**: {what}, {_size(exported.size)}. "
        f"{plural(exported.members, 'member')}{hidden}, "
        f"{plural(exported.days, 'day')} with posts or a ruling, "
        f"{plural(exported.entries, 'post')}.\n"
        "These files contain members' personal data: their posts, Discord ids and time zones. "
        "Keep them private, share them only with the people who run the challenge, and delete "
        "them when you are done."
    )


def _size(size: int) -> str:
    """Return a file size as '0.4 MB' or, under a tenth of a MB, '12 kB' (at least 1 kB)."""
    if size >= 1024 * 1024 / 10:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(round(size / 1024), 1)} kB"

"""The /help page: a challenge's rules in words, what to do next, and the commands.

Pure given its inputs; the page is one embed within Discord's limits (`bounded`). Names
organizers typed are escaped for Markdown.
"""

from __future__ import annotations

import discord
from discord.utils import escape_markdown

from bot.domain.engine import Phase, Summary
from bot.domain.models import Participant, ReminderMode
from bot.domain.reasons import Discounted
from bot.services.help import ChallengeHelp, HelpPage
from bot.wording.ledger import still_needed
from bot.wording.rules import rules_in_brief
from cogs._ui.bounds import MAX_FIELD_NAME, bounded, clip
from cogs._ui.embeds import COLOUR, plural

TITLE = "Daybook: how it works here"
MEMBER_COMMANDS = "\n".join(
    [
        "**Log and look:** `/log` · `/streak` · `/why` · `/progress` · `/leaderboard`",
        "**You:** `/remind` · `/timezone` · `/settings` · `/leave`",
        "**Your data:** `/import` · `/export` · `/forget-me`",
    ]
)
ORGANIZER_COMMANDS = "\n".join(
    [
        (
            "**Challenge:** `/challenge create` · `/challenge edit` · `/challenge end` · "
            "`/challenge milestone-role`"
        ),
        "**Digest and days:** `/digest preview` · `/digest post-now` · `/admin adjust`",
        "**Numbers and data:** `/challenge stats` · `/challenge export`",
    ]
)
NO_CHALLENGE = "This server runs no challenge yet, so there is nothing to log for now."
START_ONE = (
    "Start one with `/challenge create name:…`: a preset (100-days-of-code, 66-days-of-data, …) "
    "sets the rules, and `/challenge edit` tunes them."
)
ASK_FOR_ONE = "An organizer (someone who can manage this server) can start one."


def help_embed(page: HelpPage, *, organizer: bool, channel_posts: bool) -> discord.Embed:
    """Return the /help page for one member (`organizer`: they can manage the server)."""
    embed = discord.Embed(title=TITLE, colour=COLOUR)
    if not page.challenges:
        embed.description = f"{NO_CHALLENGE}\n{START_ONE if organizer else ASK_FOR_ONE}"
    for shown in page.challenges:
        embed.add_field(
            name=clip(escape_markdown(shown.challenge.name), MAX_FIELD_NAME),
            value=challenge_text(shown, channel_posts=channel_posts),
            inline=False,
        )
    embed.add_field(name="Your commands", value=MEMBER_COMMANDS, inline=False)
    if organizer:
        embed.add_field(name="Organizer commands", value=ORGANIZER_COMMANDS, inline=False)
    hidden = page.running - len(page.challenges)
    if hidden > 0:
        more = plural(hidden, "more challenge")
        verb = "runs" if hidden == 1 else "run"
        embed.set_footer(text=f"{more} {verb} here: /help challenge:<name> shows one.")
    return bounded(embed)


def challenge_text(shown: ChallengeHelp, *, channel_posts: bool) -> str:
    """Return a challenge's rules in brief and the member's next step in it."""
    lines = [
        rules_in_brief(shown.challenge.rules),
        "Full rules and schedule: `/challenge info`.",
        f"**Next:** {next_step(shown, channel_posts=channel_posts)}",
    ]
    if shown.joined and shown.participant is not None:
        lines.append(reminder_text(shown.participant))
    return "\n".join(lines)


def next_step(shown: ChallengeHelp, *, channel_posts: bool) -> str:
    """Return what the member should do next in a challenge, in one sentence."""
    participant, summary = shown.participant, shown.summary
    if participant is None:
        return (
            "start with `/join` (it uses the challenge's time zone, "
            f"{shown.challenge.timezone}, unless you add `timezone:`)."
        )
    if not participant.is_active or summary is None:
        return "you left; `/join` brings you back, and your days are kept."
    how = _how_to_log(shown, channel_posts=channel_posts)
    if not summary.today_counted:
        today = _today_step(shown, summary, how)
        if today:
            return today
    return _standing_step(summary, how)


def _how_to_log(shown: ChallengeHelp, *, channel_posts: bool) -> str:
    channel = shown.challenge.progress_channel_id
    if channel_posts and channel is not None:
        return f"`/log` (or post in <#{channel}>)"
    return "`/log`"


def _today_step(shown: ChallengeHelp, summary: Summary, how: str) -> str:
    """Return the step for a rest day or a day logged short ('' for neither), as reminders say."""
    streak = summary.current_streak if summary.phase is Phase.ACTIVE else 0
    if shown.rest_today or shown.excused_today:
        free = "today is a rest day" if shown.rest_today else "an organizer excused today"
        safe = (
            f"your {streak}-day streak carries on without a post"
            if streak > 0
            else ("no post is needed")
        )
        return f"{free}: {safe} (a post still counts)."
    if not shown.today_needs:
        return ""
    if any(isinstance(item, Discounted) for item in shown.today_needs):
        return "an organizer ruled today out, so a post can't count it. Come back tomorrow."
    keep = f" to keep your {streak}-day streak" if streak > 0 else ""
    return (
        f"today needs {still_needed(shown.today_needs)} to count: post again with {how} "
        f"(a day's posts add up){keep}."
    )


def _standing_step(summary: Summary, how: str) -> str:
    if summary.today_counted:
        return (
            f"today counts already: Day {summary.day_number}, "
            f"{summary.current_streak}-day streak. Come back tomorrow."
        )
    if summary.phase is Phase.WAITING:
        return f"log your first day with {how}."
    if summary.phase is Phase.FAILED:
        return f"your last attempt ended; log today with {how} to start attempt {summary.attempt}."
    if summary.phase is Phase.FINISHED:
        following = summary.round + 1
        return f"round {summary.round} is complete 🎉; log with {how} to start round {following}."
    if summary.current_streak > 0:
        streak = summary.current_streak
        return f"today doesn't count yet: log it with {how} to keep your {streak}-day streak."
    return f"today doesn't count yet: log it with {how} (you are on Day {summary.day_number})."


def reminder_text(participant: Participant) -> str:
    """Return the member's reminder, or how to set one."""
    if participant.reminder_time is None or participant.reminder_mode is ReminderMode.OFF:
        return "**Reminder:** none; `/remind time:21:00 mode:dm` sets one."
    direct = participant.reminder_mode is ReminderMode.DM
    where = "by direct message" if direct else "in the progress channel"
    return f"**Reminder:** {participant.reminder_time:%H:%M} your time, {where}."

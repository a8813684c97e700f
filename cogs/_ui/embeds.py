"""Presenters: service results into the words and embeds members read.

Pure given their inputs; nothing here sends anything. Text that members wrote is escaped for
Markdown, and every message goes out with no mentions allowed, so nothing written pings anyone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import discord
from discord.utils import escape_markdown

from bot.domain import calendar
from bot.domain.engine import DayStatus, LedgerDay, Phase, Summary
from bot.domain.models import AdjustmentKind, Challenge, Entry, Participant, ReminderMode
from bot.domain.reasons import NoLink, ShortOfMinutes, ShortOfWords
from bot.services.entries import RecordedEntry
from bot.services.participants import Joined
from bot.services.progress import MemberLedger, Standing
from bot.wording.dates import day_label
from bot.wording.ledger import join_words, needed_text, reason_text, still_needed
from bot.wording.rules import rules_in_brief
from cogs._ui.bounds import MAX_TITLE, bounded, clip

COLOUR = discord.Colour.from_rgb(88, 101, 242)
LEDGER_ROWS = 14

STATUS_MARKS = {
    DayStatus.COUNTED: "✅",
    DayStatus.IN_PROGRESS: "⏳",
    DayStatus.REST: "💤",
    DayStatus.EXCUSED: "🩹",
    DayStatus.FROZEN: "🧊",
    DayStatus.MISSED: "⚠️",
    DayStatus.ENDED: "❌",
    DayStatus.IDLE: "▫️",
}


def plural(count: int, word: str, many: str | None = None) -> str:
    """Return '1 day' / '2 days' / '1,200 days' ('1 entry' / '3 entries' with `many`)."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {many or word + 's'}"


def short_day(day: date) -> str:
    """Return a day as 'Mon 2 Mar': `bot.wording.dates.day_label`, the one format."""
    return day_label(day)


def day_value(summary: Summary) -> str:
    """Return the 'Day' field: the number first, then its context."""
    text = str(summary.day_number)
    if summary.target_days is not None:
        text += f" of {summary.target_days}"
    if summary.calendar_day and summary.calendar_day != summary.day_number:
        text += f" (calendar day {summary.calendar_day})"
    return text


def standing_line(summary: Summary) -> str:
    """Return 'Day 12 of 100 · streak 7 (best 9)', or 'No day counted yet' before Day 1."""
    if summary.day_number == 0:
        # "Day 0 · streak 0" reads as a day that exists; before Day 1 there is none.
        best = f" (best streak {summary.best_streak})" if summary.best_streak else ""
        return f"**No day counted yet**{best}: Day 1 is your next day that counts."
    return (
        f"**Day {day_value(summary)}** · streak {summary.current_streak} "
        f"(best {summary.best_streak})"
    )


def title(*parts: str) -> str:
    """Return an embed title of member-written parts, escaped, then cut to Discord's 256."""
    return clip(" · ".join(escape_markdown(part) for part in parts), MAX_TITLE)


def _before_rollover(entry: Entry, rollover_hour: int) -> bool:
    """Whether a post was made after local midnight but before the rollover, for the day before."""
    zone = calendar.known_zone(entry.timezone)
    if zone is None or rollover_hour == 0:
        return False
    posted = entry.created_at.astimezone(zone)
    return posted.date() == entry.local_day + timedelta(days=1) and posted.hour < rollover_hour


def logged_for(result: RecordedEntry) -> str:
    """Return the day a post counted for: 'today, Mon 16 Mar', or 'Sun 15 Mar (before…)'."""
    entry = result.entry
    day = day_label(entry.local_day)
    rollover = result.challenge.rules.rollover_hour
    if _before_rollover(entry, rollover):
        return f"{day} (before your {rollover:02d}:00 rollover)"
    return f"today, {day}" if result.is_today else day


def recorded_message(result: RecordedEntry, *, with_view: bool = False) -> str:
    """Return the reply to a logged post: what it counts as, and how to fix it if it doesn't.

    `with_view` says the reply carries `views.recorded_view`, whose **Add minutes** button a
    day short of minutes has: the hint then points at it.
    """
    when = logged_for(result)
    summary = result.summary
    if result.already_logged:
        return (
            f"☑️ Already logged for {when}: you sent the same post a moment ago, and I kept it "
            f"once.\n{standing_line(summary)}"
        )
    if result.counted:
        lines = [f"✅ Logged for {when}: it counts."]
        lines.extend(_how_it_counted(result))
    else:
        lines = [f"⏳ Logged for {when}, but it does not count yet."]
        lines.extend(_fixes(result, add_minutes_button=with_view))
    lines.append(standing_line(summary))
    if summary.finished:
        lines.append(f"🎉 Round {summary.round} of {result.challenge.name} is complete!")
    return "\n".join(lines)


ON_YOUR_WORD = "Counted on your word (no minutes given)."


def _how_it_counted(result: RecordedEntry) -> list[str]:
    """Say how a counted day met a minutes rule: on the member's word, or with this post."""
    needed = result.challenge.rules.min_minutes
    day = result.day
    if not needed or day.adjustment is AdjustmentKind.COUNT:
        return []
    added = result.entry.minutes
    if day.minutes is None or (added is None and day.unstated):
        return [ON_YOUR_WORD]
    if day.unstated:
        return ["Counted on your word: an earlier post of the day gave no minutes."]
    if day.entries > 1 and added is not None and day.minutes - added < needed <= day.minutes:
        # This post's minutes took the day over the line.
        over = f"Your posts add up to {day.minutes:,} minutes ({needed} needed): "
        return [f"{over}{short_day(day.day)} counts now."]
    return []


def _fixes(result: RecordedEntry, *, add_minutes_button: bool) -> list[str]:
    """Say what the day still needs to count, and how to add it."""
    shortfalls = result.verdict.shortfalls
    day = short_day(result.entry.local_day)
    short = next((item for item in shortfalls if isinstance(item, ShortOfMinutes)), None)
    others = [item for item in shortfalls if item is not short]
    hints = []
    if short is not None:
        more = [f"{short.needed - short.stated:,} more", *(needed_text(item) for item in others)]
        hints.append(
            f"{short.stated:,} of {short.needed} minutes so far — {join_words(more)} to count "
            f"{day}."
        )
        hints.append(
            "Press **Add minutes** below to add them; minutes add up over the day."
            if add_minutes_button
            else "Add them with `/log` (minutes add up over the day) or by editing this post."
        )
    elif others:
        hints.append(f"Still needed to count {day}: {still_needed(others)}.")
    edits = []
    if any(isinstance(item, ShortOfWords) for item in shortfalls):
        edits.append("a few more words")
    if any(isinstance(item, NoLink) for item in shortfalls):
        edits.append("the link (to a commit, a notebook, a post)")
    if edits:
        hints.append(f"Add {join_words(edits)} by editing this post.")
    return hints


def post_hint(challenge: Challenge) -> str:
    """Return the one hint a member who has not joined gets for posting in the progress channel."""
    return (
        f"Hi! Posts here count once you `/join` {escape_markdown(challenge.name)}. "
        "I did not record this one."
    )


def post_refused(reason: str, *, edited: bool = False) -> str:
    """Return the reply to a channel post (or an edit of one) that could not be recorded."""
    if edited:
        return f"⚠️ I kept your post as it was: {reason}"
    return f"⚠️ I did not record this post: {reason} Send a new post; edits to this one don't count."


def streak_embed(standing: Standing, name: str) -> discord.Embed:
    """Return a member's Day N and streaks, with the fields tests and members rely on."""
    summary = standing.summary
    embed = discord.Embed(title=title(name, standing.challenge.name), colour=COLOUR)
    embed.add_field(name="Day", value=day_value(summary))
    embed.add_field(name="Current streak", value=plural(summary.current_streak, "day"))
    embed.add_field(name="Best streak", value=plural(summary.best_streak, "day"))
    embed.add_field(name="Round", value=f"{summary.round} (attempt {summary.attempt})")
    embed.add_field(name="Misses", value=str(summary.misses_used))
    if standing.challenge.rules.has_freezes:
        embed.add_field(name="Freezes", value=str(summary.freezes_banked))
    if summary.completion is not None:
        embed.add_field(name="Done", value=f"{summary.completion:g}%")
    if summary.projected_end is not None:
        label = "Finished" if summary.finished else "Projected end"
        embed.add_field(name=label, value=day_label(summary.projected_end, near=summary.today))
    embed.set_footer(text=_phase_line(summary))
    return bounded(embed)


def _phase_line(summary: Summary) -> str:
    if summary.phase is Phase.WAITING:
        return "Not started yet: the first qualifying day is Day 1."
    if summary.phase is Phase.FAILED:
        return f"The last attempt ended; the next qualifying day starts attempt {summary.attempt}."
    if summary.phase is Phase.FINISHED:
        return f"Round {summary.round} is complete; the next post starts round {summary.round + 1}."
    return "Today counts already." if summary.today_counted else "Today is still open."


def ledger_embed(member: MemberLedger, name: str, rows: int = LEDGER_ROWS) -> discord.Embed:
    """Return the last days of the ledger: what counted, and the rule that decided."""
    ledger = member.ledger
    shown = ledger.rows[-rows:]
    lines = [_ledger_line(row) for row in shown] or ["Nothing logged yet."]
    embed = discord.Embed(
        title=title(f"Why: {name}", member.challenge.name),
        description="\n".join(lines),
        colour=COLOUR,
    )
    embed.set_footer(text=standing_line(ledger.summary).replace("**", ""))
    return bounded(embed)


def _ledger_line(row: LedgerDay) -> str:
    mark = STATUS_MARKS[row.status]
    return f"{mark} `{day_label(row.day)}` {reason_text(row.reason)}"


def joined_message(joined: Joined) -> str:
    """Return the reply to /join."""
    challenge = joined.challenge
    verb = "Welcome back to" if joined.rejoined else "You joined"
    return (
        f"{verb} **{escape_markdown(challenge.name)}** (your time zone: "
        f"{joined.participant.timezone}).\n{rules_in_brief(challenge.rules)}\n"
        "Log your first day with `/log`."
    )


def challenge_names(challenges: list[Challenge]) -> str:
    """Return 'A, B and C'."""
    names = [escape_markdown(challenge.name) for challenge in challenges]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def forgotten_message(removed: int) -> str:
    """Return the answer to /forget-me's confirmation (a second click finds nothing left)."""
    if removed == 0:
        return "Already forgotten: Daybook keeps nothing about you, so there was nothing to delete."
    return f"Done: everything Daybook kept about you is deleted ({plural(removed, 'challenge')})."


def settings_message(
    participant: Participant, challenge: Challenge, now: datetime | None = None
) -> str:
    """Return a member's own settings in a challenge, one plain sentence a line."""
    return "\n".join(
        [
            f"**{escape_markdown(challenge.name)}**: your settings",
            f"Time zone: {participant.timezone}{_rollover(challenge)}",
            f"Reminders: {_reminders(participant, challenge)}",
            (
                "Leaderboards and digests: you are hidden (`/settings visible:True` shows you)"
                if participant.hidden
                else "Leaderboards and digests: you are shown (`/settings visible:False` hides you)"
            ),
            f"Started: {day_label(participant.start_day, near=now.date() if now else None)}",
        ]
    )


def _rollover(challenge: Challenge) -> str:
    hour = challenge.rules.rollover_hour
    if hour == 0:
        return ""
    return f" (your day ends at {hour:02d}:00: a post before then counts for the day before)"


def _reminders(participant: Participant, challenge: Challenge) -> str:
    at = participant.reminder_time
    if participant.reminder_mode is ReminderMode.OFF or at is None:
        return "off (`/remind` turns them on)"
    if participant.reminder_mode is ReminderMode.DM:
        return f"by DM at {at:%H:%M} your time"
    channel = challenge.progress_channel_id
    where = "in the progress channel" if channel is None else f"in <#{channel}>"
    return f"{where} at {at:%H:%M} your time"

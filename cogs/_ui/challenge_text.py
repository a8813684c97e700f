"""Presenters for organizers: a challenge, what an edit would change, an adjusted day.

Pure given their inputs; nothing here sends anything. Names organizers typed are escaped for
Markdown, members appear as mentions (which never ping: every message allows no mentions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import discord
from discord.utils import escape_markdown, format_dt

from bot.domain.milestones import Milestone
from bot.domain.models import AdjustmentKind, Challenge
from bot.domain.rules import WEEKDAY_NAMES, Rules
from bot.services.challenges import MemberChange
from bot.services.milestones import MilestoneRoles
from bot.services.organizers import AdjustedDay, AppliedEdit, ChallengeInfo, ProposedEdit
from bot.wording.ledger import reason_text
from bot.wording.milestones import milestone_label, milestone_name
from bot.wording.rules import describe_rules
from cogs._ui.embeds import STATUS_MARKS, plural, short_day, standing_line
from cogs._ui.problems import info_line as problem_line

MESSAGE_LIMIT = 2000
NO_WEB_URL = (
    "This Daybook does not serve public pages: whoever hosts it has not set their address "
    "(DAYBOOK_WEB_URL). Nothing was changed."
)
MOVERS_SHOWN = 10
ARROW = "→"

RULE_LABELS = {
    "target_days": "target",
    "min_minutes": "minimum minutes",
    "min_words": "minimum words",
    "require_link": "link required",
    "missed_day_policy": "missed-day policy",
    "rest_weekdays": "rest days",
    "rollover_hour": "new day starts at",
    "backfill_days": "late logging allowed",
    "freeze_every": "a freeze every",
    "freeze_max": "freezes banked at most",
}

ADJUSTMENT_WORDS = {
    AdjustmentKind.COUNT: "counts",
    AdjustmentKind.EXCUSE: "is excused",
    AdjustmentKind.DISCOUNT: "does not count",
}


def fit(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Return text cut to Discord's message limit, marked when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def name_of(challenge: Challenge) -> str:
    """Return a challenge's name in bold, escaped."""
    return f"**{escape_markdown(challenge.name)}**"


def channel_text(channel_id: int | None) -> str:
    """Return a channel mention, or 'not set'."""
    return "not set" if channel_id is None else f"<#{channel_id}>"


def schedule_text(challenge: Challenge) -> str:
    """Return 'Mondays at 09:00'."""
    return f"{WEEKDAY_NAMES[challenge.digest_weekday]}s at {challenge.digest_time:%H:%M}"


def digest_text(challenge: Challenge) -> str:
    """Return when and where the weekly digest is posted."""
    when = f"{schedule_text(challenge)} ({challenge.timezone})"
    if challenge.digest_channel_id is None:
        return f"{when}, once a digest channel is set"
    return f"{when} in {channel_text(challenge.digest_channel_id)}"


def nudge_text(challenge: Challenge) -> str:
    """Return when members whose streak is at risk are nudged."""
    if challenge.nudge_hours is None:
        return "off"
    hours = plural(challenge.nudge_hours, "hour")
    return f"{hours} before a member's day ends, for streaks of 3 or more at risk"


def checkins_text(challenge: Challenge) -> str:
    """Return whether /log check-ins and milestones get a public line, and where."""
    if not challenge.announce_checkins:
        return "off (nothing about a member's /log is posted)"
    if challenge.progress_channel_id is None:
        return "on, once a progress channel is set"
    return (
        f"on: a short line in {channel_text(challenge.progress_channel_id)} when a member logs "
        "with `/log`, and one for each milestone"
    )


def on_off(value: bool) -> str:
    """Return 'on' or 'off'."""
    return "on" if value else "off"


def milestone_roles_text(roles: Mapping[Milestone, int]) -> str:
    """Return 'Day 7: @Week one · Finished round: @Finisher', in milestone order."""
    shown = [
        f"{milestone_label(milestone)}: <@&{roles[milestone]}>"
        for milestone in Milestone
        if milestone in roles
    ]
    return " · ".join(shown) if shown else "none"


def rules_text(rules: Rules) -> str:
    """Return the rules in words, one bullet each."""
    return "\n".join(f"• {line}" for line in describe_rules(rules))


def preset_text(challenge: Challenge) -> str:
    """Return the preset the rules follow, or 'custom rules'."""
    if challenge.preset in (None, "custom"):
        return "custom rules"
    return f"the {challenge.preset} preset"


def created_message(challenge: Challenge) -> str:
    """Return the reply to /challenge create."""
    return fit(
        f"✅ Created {name_of(challenge)} with {preset_text(challenge)}.\n"
        f"Time zone: {challenge.timezone} · progress channel: "
        f"{channel_text(challenge.progress_channel_id)} · digest: {digest_text(challenge)}\n"
        f"{rules_text(challenge.rules)}\n"
        "Members take part with `/join`; change anything with `/challenge edit`."
    )


def web_address(challenge: Challenge, web_url: str | None) -> str | None:
    """Return the challenge's public page address, or None when it has none to show."""
    if not challenge.web_enabled or challenge.web_id is None or web_url is None:
        return None
    return f"{web_url}/c/{challenge.web_id}"


def web_text(challenge: Challenge, web_url: str | None) -> str:
    """Return the public page setting in words: its address when it is on."""
    if not challenge.web_enabled:
        return "off"
    address = web_address(challenge, web_url)
    return "on, but this Daybook serves no pages now" if address is None else f"<{address}>"


def web_message(challenge: Challenge, web_url: str | None) -> str:
    """Return the reply to turning a challenge's public page on or off."""
    address = web_address(challenge, web_url)
    if address is not None:
        return (
            f"✅ {name_of(challenge)} has a public page: <{address}>\n"
            "Anyone with the address sees the leaderboard, each member's progress and the "
            "weekly digests; members who hid with `/settings` never appear. Turn it off with "
            "`/challenge edit web:False`."
        )
    if challenge.web_enabled:
        return f"✅ {name_of(challenge)}'s public page is on, but this Daybook serves no pages now."
    return (
        # Pages are kept for a minute (bot.web.app.WebLimits.ttl): "now" would not be true.
        f"✅ {name_of(challenge)}'s public page is off: within a minute its address shows "
        "nothing. Turning it on again brings back the same address."
    )


def info_message(info: ChallengeInfo, web_url: str | None = None) -> str:
    """Return the reply to /challenge info: the rules and schedule for anyone.

    Organizers also see the channels Daybook cannot post in, and where to change things.
    """
    challenge = info.challenge
    # An instant, so a Discord timestamp: each reader sees it in their own zone.
    started = (
        "" if challenge.created_at is None else f" · created {format_dt(challenge.created_at, 'R')}"
    )
    lines = [
        (
            f"{name_of(challenge)} · {preset_text(challenge)} · "
            f"{plural(info.members, 'member')}{started}"
        ),
        f"Time zone: {challenge.timezone} (members log in their own zones)",
        f"Progress channel: {channel_text(challenge.progress_channel_id)}",
        f"Digest: {digest_text(challenge)}",
        f"Day-ends-soon nudges: {nudge_text(challenge)}",
        f"Public check-ins: {checkins_text(challenge)}",
        f"Milestone roles: {milestone_roles_text(info.roles)}",
        f"Public page: {web_text(challenge, web_url)}",
    ]
    # Before the rules, so a long message cut to Discord's limit still says what to fix.
    if info.for_organizer:
        lines.extend(problem_line(challenge, problem) for problem in info.problems)
    if challenge.hashtag:
        lines.append(f"Hashtag: {escape_markdown(challenge.hashtag)}")
    lines.extend(["Rules:", rules_text(challenge.rules)])
    if info.for_organizer:
        lines.append(
            "Change settings with `/challenge edit`, roles with `/challenge milestone-role`."
        )
    else:
        lines.append("Take part with `/join`; `/help` says what to do next.")
    return fit("\n".join(lines))


def rule_value(name: str, value: Any) -> str:
    """Return one rule parameter's value in words."""
    if name == "target_days":
        return "open-ended" if value is None else plural(value, "day")
    if name == "require_link":
        return "yes" if value else "no"
    if name == "missed_day_policy":
        return str(value.value)
    if name == "rest_weekdays":
        return ", ".join(WEEKDAY_NAMES[day] for day in sorted(value)) or "none"
    if name == "rollover_hour":
        return f"{value:02d}:00"
    if name == "backfill_days":
        return plural(value, "day")
    if name == "freeze_every":
        return "off" if value is None else plural(value, "qualifying day")
    return str(value)


def changes(before: Challenge, after: Challenge) -> list[str]:
    """Return one line per setting or rule an edit changes: 'label: old → new'."""
    settings = [
        ("name", escape_markdown(before.name), escape_markdown(after.name)),
        ("time zone", before.timezone, after.timezone),
        (
            "progress channel",
            channel_text(before.progress_channel_id),
            channel_text(after.progress_channel_id),
        ),
        (
            "digest channel",
            channel_text(before.digest_channel_id),
            channel_text(after.digest_channel_id),
        ),
        ("digest", schedule_text(before), schedule_text(after)),
        ("nudges", nudge_text(before), nudge_text(after)),
        (
            "public check-ins",
            on_off(before.announce_checkins),
            on_off(after.announce_checkins),
        ),
        ("public page", on_off(before.web_enabled), on_off(after.web_enabled)),
        ("preset", before.preset or "custom", after.preset or "custom"),
    ]
    lines = [f"{label}: {old} {ARROW} {new}" for label, old, new in settings if old != new]
    for rule in fields(Rules):
        old, new = getattr(before.rules, rule.name), getattr(after.rules, rule.name)
        if old != new:
            label = RULE_LABELS.get(rule.name, rule.name.replace("_", " "))
            lines.append(
                f"{label}: {rule_value(rule.name, old)} {ARROW} {rule_value(rule.name, new)}"
            )
    return lines


def mover_line(change: MemberChange) -> str:
    """Return '<@id>: Day 12 → Day 3, streak 7 → 1, attempt 1 → 2'."""
    before, after = change.before, change.after
    parts = [
        f"Day {before.day_number} {ARROW} Day {after.day_number}",
        f"streak {before.current_streak} {ARROW} {after.current_streak}",
    ]
    if before.best_streak != after.best_streak:
        parts.append(f"best {before.best_streak} {ARROW} {after.best_streak}")
    if before.round != after.round:
        parts.append(f"round {before.round} {ARROW} {after.round}")
    if before.attempt != after.attempt:
        parts.append(f"attempt {before.attempt} {ARROW} {after.attempt}")
    return f"<@{change.user_id}>: " + ", ".join(parts)


def preview_message(proposed: ProposedEdit) -> str:
    """Return what an edit would change, and whom it would move, before it is confirmed."""
    preview = proposed.preview
    lines = [
        (
            f"**Edit {escape_markdown(preview.before.name)}?** Nothing changes until you press "
            f"Confirm (possible until <t:{int(proposed.expires_at.timestamp())}:f>)."
        ),
        "**What changes**",
        *(f"• {line}" for line in changes(preview.before, preview.after)),
    ]
    if not preview.rules_changed:
        lines.append("The rules stay the same, so no member's day or streak moves.")
    elif not preview.changes:
        lines.append(f"No member's day or streak moves ({plural(preview.members, 'member')}).")
    else:
        lines.append(f"**Members who would move: {len(preview.changes)} of {preview.members}**")
        lines.extend(f"• {mover_line(change)}" for change in preview.changes[:MOVERS_SHOWN])
        hidden = len(preview.changes) - MOVERS_SHOWN
        if hidden > 0:
            lines.append(f"…and {plural(hidden, 'more member')}.")
    return fit("\n".join(lines))


def applied_message(applied: AppliedEdit) -> str:
    """Return what a confirmed edit changed."""
    lines = [f"✅ {name_of(applied.after)} is updated:"]
    done = changes(applied.before, applied.after)
    lines.extend(f"• {line}" for line in done)
    if not done:
        lines.append("• nothing: it was already set that way.")
    if applied.before.rules != applied.after.rules:
        lines.append("Every member's day and streak now follow the new rules (`/streak`, `/why`).")
    return fit("\n".join(lines))


def end_question(challenge: Challenge) -> str:
    """Return the confirmation asked before ending a challenge."""
    return (
        f"End {name_of(challenge)}? Members can no longer log in it; every post, day and streak "
        "is kept."
    )


def ended_message(challenge: Challenge) -> str:
    """Return the reply once a challenge has ended."""
    return (
        f"🏁 {name_of(challenge)} has ended. Everything logged is kept; start a new one with "
        "`/challenge create`."
    )


def adjusted_message(adjusted: AdjustedDay) -> str:
    """Return what an adjustment did to the member's day, as their ledger now tells it."""
    adjustment, row = adjusted.adjustment, adjusted.row
    return fit(
        f"Adjusted {short_day(adjustment.day)} for <@{adjusted.user_id}> in "
        f"{name_of(adjusted.challenge)}: the day {ADJUSTMENT_WORDS[adjustment.kind]}.\n"
        f"Their ledger now says: {STATUS_MARKS[row.status]} `{short_day(row.day)}` "
        f"{reason_text(row.reason)}\n"
        f"Now: {standing_line(adjusted.summary)}"
    )


ELEVATED = (
    "administrator",
    "manage_guild",
    "manage_roles",
    "manage_channels",
    "manage_messages",
    "manage_webhooks",
    "kick_members",
    "ban_members",
    "moderate_members",
    "mention_everyone",
)
"""Permissions a reward for posting every day should never carry."""


def role_refusal(role: discord.Role, guild: discord.Guild | None) -> str | None:
    """Return why Daybook cannot (or should not) give `role` for a milestone; None when it can."""
    name = f"**{escape_markdown(role.name)}**"
    if role.is_default():
        return "Everyone has @everyone already: pick a role members earn."
    if role.managed:
        return (
            f"{name} belongs to an integration (a bot, a Server Boost or a subscription), so "
            "it cannot be given by hand: pick another role."
        )
    elevated = [permission for permission in ELEVATED if getattr(role.permissions, permission)]
    if elevated:
        listed = ", ".join(permission.replace("_", " ") for permission in elevated)
        return (
            f"{name} carries moderator permissions ({listed}): a reward for logging should not. "
            "Pick or create a role without them."
        )
    me = None if guild is None else guild.me
    if me is None:
        return "I can't see this server's roles right now; please try again in a minute."
    if not me.guild_permissions.manage_roles:
        return (
            f"I need the Manage Roles permission to give {name}: add it to my role in Server "
            "Settings > Roles, then try again."
        )
    if role >= me.top_role:
        return (
            f"{name} is not below my own highest role ({escape_markdown(me.top_role.name)}), so "
            "Discord won't let me give it: drag my role above it in Server Settings > Roles, "
            "then try again."
        )
    return None


def milestone_role_message(roles: MilestoneRoles, milestone: Milestone, given: bool) -> str:
    """Return the reply to /challenge milestone-role: what changed, and every role now mapped."""
    label = milestone_name(milestone)
    challenge = name_of(roles.challenge)
    if given:
        first = (
            f"✅ Members of {challenge} who reach {label} from now on get "
            f"<@&{roles.roles[milestone]}>. I take it back if they leave, use /forget-me, or "
            "lose the attempt that earned it."
        )
    else:
        first = (
            f"✅ {challenge} gives no role for {label} any more. Members who have it keep it "
            "until they leave, use /forget-me, or lose the attempt that earned it."
        )
    return fit(f"{first}\nMilestone roles: {milestone_roles_text(roles.roles)}")

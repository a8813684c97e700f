"""What /import shows before storing anything, and its Confirm / Cancel buttons."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

import discord
from discord.utils import escape_markdown

from bot.domain.engine import Summary
from bot.domain.logparse import YearMissing
from bot.services.logs import ImportExpiredError, ImportPlan, ImportResult
from bot.wording.dates import day_label
from bot.wording.logs import warning_text
from cogs._ui.bounds import MAX_FIELD_VALUE, MAX_TITLE, bounded, clip
from cogs._ui.context import event_time
from cogs._ui.embeds import plural
from cogs._ui.owned import OwnedButton

if TYPE_CHECKING:
    from bot.client import DaybookBot

NOT_YOUR_IMPORT = "Only the member who imported this log can confirm or cancel it."
PROGRESS_STEPS = 10
"""How many times at most the progress message changes during one import."""
_SHOWN_WARNINGS = 6


def _day(day: date, today: date) -> str:
    """Return a day in the one format, with its year when far from the member's today."""
    return day_label(day, near=today)


def _move(old: date, new: date, today: date) -> str:
    """Say a start moving from `old` to `new`: both with their years when the years differ."""
    if old.year != new.year:  # "Mon 2 Mar to Tue 2 Mar 2021" would hide which year moved
        return f"{day_label(old)} {old.year} to {day_label(new)} {new.year}"
    return f"{_day(old, today)} to {_day(new, today)}"


def _dates(days: tuple[date, ...], today: date, limit: int = 5) -> str:
    shown = ", ".join(_day(day, today) for day in days[:limit])
    return shown + (f" and {len(days) - limit} more" if len(days) > limit else "")


def _standing(summary: Summary) -> str:
    return (
        f"Day {summary.day_number} · current streak {summary.current_streak} · "
        f"best streak {summary.best_streak}"
    )


def preview_embed(plan: ImportPlan, filename: str) -> discord.Embed:
    """Describe what importing would do: found, added, left out, and the standing after."""
    parsed = plan.parsed
    span = (
        f", {_day(plan.first, plan.today)} to {_day(plan.last, plan.today)}"
        if plan.first and plan.last
        else ", undated"
    )
    embed = discord.Embed(
        title=clip(f"Import preview: {escape_markdown(filename)}", MAX_TITLE),
        description=(
            f"I read **{plural(len(parsed.entries), 'entry', 'entries')}** "
            f"from your log{span}. Nothing is stored until you confirm."
        ),
        colour=discord.Colour.blurple(),
    )
    rules = escape_markdown(plan.challenge.name)
    embed.add_field(
        name="Would be added",
        value=(
            f"{plural(len(plan.days), 'day')}, of which {plan.would_count:,} count under "
            f"{rules}'s rules."
            if plan.days
            else "Nothing new: every day of this log is already in Daybook or left out below."
        ),
        inline=False,
    )
    after = f"Now: {_standing(plan.before)}\nAfter: **{_standing(plan.after)}**"
    if plan.start_day < plan.participant.start_day:
        moves = _move(plan.participant.start_day, plan.start_day, plan.today)
        after += f"\nYour start moves from {moves}."
    embed.add_field(name="Your standing", value=after, inline=False)
    left_out = _left_out(plan)
    if left_out:
        embed.add_field(
            name="Left out", value=clip("\n".join(left_out), MAX_FIELD_VALUE), inline=False
        )
    if parsed.warnings:
        shown = [
            f"• {clip(warning_text(warning), 160)}" for warning in parsed.warnings[:_SHOWN_WARNINGS]
        ]
        more = len(parsed.warnings) - _SHOWN_WARNINGS
        if more > 0:
            shown.append(f"…and {more} more (`daybook import-log` lists them all).")
        embed.add_field(
            name="Warnings", value=clip("\n".join(shown), MAX_FIELD_VALUE), inline=False
        )
    return bounded(embed)


def _left_out(plan: ImportPlan) -> list[str]:
    lines = []
    if plan.conflicts:
        lines.append(
            f"• {plural(len(plan.conflicts), 'day')} you already posted on in Daybook "
            f"({_dates(plan.conflicts, plan.today)}): your posts stay as they are."
        )
    if plan.already_imported:
        lines.append(
            f"• {plural(len(plan.already_imported), 'day')} imported before: kept as they are."
        )
    if plan.not_counted:
        what = (
            "is an empty stub or says no progress was made"
            if plan.not_counted == 1
            else "are empty stubs or say no progress was made"
        )
        lines.append(f"• {plural(plan.not_counted, 'entry', 'entries')} that {what}.")
    if plan.undated:
        lines.append(
            f"• {plural(plan.undated, 'entry', 'entries')} without a date: {_undated_hint(plan)}"
        )
    if plan.future:
        lines.append(f"• {plural(len(plan.future), 'date')} after your today.")
    return lines


def _undated_hint(plan: ImportPlan) -> str:
    """Say which option places undated entries: `year` for dates without one, else `start`."""
    missing_year = any(isinstance(warning, YearMissing) for warning in plan.parsed.warnings)
    numbered = any(not entry.dates and entry.days for entry in plan.parsed.entries)
    if missing_year and numbered:
        return (
            "give the `year` option for dates written without one, or the `start` option "
            "(the date of Day 1) to place them."
        )
    if missing_year:
        return "give the `year` option for dates written without one."
    return "give the `start` option (the date of Day 1) to place them."


def done_message(result: ImportResult) -> str:
    """Say what an import stored and where it leaves the member."""
    message = f"✅ Imported {plural(result.stored, 'day')} from your log."
    if result.skipped:
        message += (
            f" {plural(result.skipped, 'day')} turned up in Daybook meanwhile and "
            "were left as they are."
        )
    return message + f"\n{_standing(result.summary)}."


class ImportButton(
    OwnedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"import:(?P<choice>yes|no):(?P<token>[0-9a-f]+):(?P<owner>[0-9]+)",
):
    """Confirm or cancel an import preview."""

    not_yours = NOT_YOUR_IMPORT

    def __init__(self, choice: str, token: str, owner_id: int, days: int = 0) -> None:
        confirm = choice == "yes"
        super().__init__(
            discord.ui.Button(
                label=f"Import {plural(days, 'day')}" if confirm else "Cancel",
                style=discord.ButtonStyle.primary if confirm else discord.ButtonStyle.secondary,
                custom_id=f"import:{choice}:{token}:{owner_id}",
            )
        )
        self.choice = choice
        self.token = token
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ImportButton:
        """Rebuild the button from its custom id (after a restart, too: the plan is kept)."""
        return cls(match["choice"], match["token"], int(match["owner"]))

    async def act(self, interaction: discord.Interaction[DaybookBot]) -> None:
        """Store the previewed days, with a progress message; or drop the preview."""
        logs = interaction.client.services.logs
        now = event_time(interaction)
        try:
            plan = await logs.take(
                self.token, user_id=interaction.user.id, now=now, confirm=self.choice == "yes"
            )
        except ImportExpiredError as gone:
            await interaction.response.edit_message(content=gone.message, embed=None, view=None)
            return
        if self.choice != "yes":
            await interaction.response.edit_message(
                content="Cancelled: nothing was imported.", embed=None, view=None
            )
            return
        total = len(plan.days)
        await interaction.response.edit_message(
            content=f"⏳ Importing {plural(total, 'day')}…", embed=None, view=None
        )
        step = max(1, total // PROGRESS_STEPS)
        shown = 0

        async def progress(done: int, of: int) -> None:
            nonlocal shown
            if done - shown >= step and done < of:
                shown = done
                await interaction.edit_original_response(
                    content=f"⏳ Importing… {done:,} of {of:,} days stored."
                )

        result = await logs.run_import(plan, now=now, progress=progress)
        await interaction.edit_original_response(content=done_message(result))


def import_view(token: str, owner_id: int, days: int) -> discord.ui.View:
    """Return the Confirm / Cancel buttons of an import preview."""
    view = discord.ui.View(timeout=None)
    view.add_item(ImportButton("yes", token, owner_id, days))
    view.add_item(ImportButton("no", token, owner_id))
    return view


def export_message(days: int, entries: int, fmt: str, today: date, *, files: int = 0) -> str:
    """Say what an export file holds, up to the member's own today."""
    held = f" and {plural(files, 'kept file')}" if fmt == "zip" else ""
    return (
        f"Here is your log as {fmt}: {plural(entries, 'post')} over {plural(days, 'day')}"
        f"{held}, as of {_day(today, today)}."
    )


def export_too_large(fmt: str, size: int, interaction: discord.Interaction[DaybookBot]) -> str:
    """Say that an export is too large to attach here, and what to take instead."""
    limit = interaction.filesize_limit / 1024 / 1024
    what = (
        f"Your {fmt} export is {size / 1024 / 1024:.1f} MB, more than this server lets me "
        f"attach ({limit:.0f} MB)."
    )
    if fmt == "zip":
        return (
            f"{what} Export as json instead: it holds every post and lists each kept file "
            "(name, size and checksum), without the files themselves."
        )
    return f"{what} Try csv, the smallest format."

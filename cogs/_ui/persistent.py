"""Every button that outlives a restart, registered with the bot at start (`add_dynamic_items`)."""

from __future__ import annotations

from typing import Any

import discord

from cogs._ui.attachments import EntryFilesButton
from cogs._ui.challenge_views import ChallengeEditButton, ChallengeEndButton
from cogs._ui.logs import ImportButton
from cogs._ui.reminders import LogTodayButton
from cogs._ui.views import (
    AddMinutesButton,
    ConfirmDeleteButton,
    DeleteEntryButton,
    EditEntryButton,
    ForgetMeButton,
)

PERSISTENT_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    EditEntryButton,
    DeleteEntryButton,
    ConfirmDeleteButton,
    ForgetMeButton,
    ChallengeEditButton,
    ChallengeEndButton,
    LogTodayButton,
    ImportButton,
    EntryFilesButton,
    AddMinutesButton,
)

"""Discord entry points: each module is one extension with one cog, listed explicitly here."""

EXTENSIONS: tuple[str, ...] = (
    "cogs.membership",
    "cogs.entries",
    "cogs.progress",
    "cogs.challenge",
    "cogs.admin",
    "cogs.reminders",
    "cogs.digest",
    "cogs.logs",
    "cogs.log_message",
    "cogs.help",
)
"""Always loaded."""

CHANNEL_EXTENSION = "cogs.posts"
"""Progress posts in channels: loaded only when the operator enables message content."""

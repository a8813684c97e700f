"""Discord entry points: each module is one extension with one cog, listed explicitly here."""

EXTENSIONS: tuple[str, ...] = (
    "cogs.membership",
    "cogs.entries",
    "cogs.progress",
)

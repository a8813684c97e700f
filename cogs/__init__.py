"""Discord cogs: slash commands, listeners and scheduled posts (the only layer using discord)."""

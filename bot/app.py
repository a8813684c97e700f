"""Composition root: settings, logging, database, services and the bot, wired in one place."""

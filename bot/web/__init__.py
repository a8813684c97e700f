"""The public pages of challenges, served over HTTP by aiohttp: read-only, no login, no script.

This package knows nothing of Discord: it reads the database through the services, in the bot's
process (DAYBOOK_WEB_PORT) or in one of its own (`daybook web`).
"""

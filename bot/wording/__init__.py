"""The words of Daybook: the sentences members read, made from the domain's values.

The domain decides and returns values (ledger reasons, shortfalls, parse warnings); this package
words them. Pure and standard library only (besides `bot.domain`), so the services, the command
line and the Discord presenters in `cogs/_ui` all say the same thing the same way.
"""

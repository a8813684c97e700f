"""Discord's size limits, kept by every reply: text cut to fit, never a rejected message.

Discord refuses a message over its limits outright (400), so a member whose reply is one
character too long gets no answer at all. Text is cut here after Markdown escaping, and never
in the middle of an escape: a lone trailing backslash would escape the ellipsis instead.
"""

from __future__ import annotations

import discord

MAX_CONTENT = 2000
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_AUTHOR = 256
MAX_EMBED_TOTAL = 6000
MAX_MODAL_TITLE = 45
ELLIPSIS = "\u2026"


def clip(text: str, limit: int) -> str:
    """Return `text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    kept = text[: max(limit - len(ELLIPSIS), 0)]
    trailing = len(kept) - len(kept.rstrip("\\"))
    if trailing % 2:
        # The cut fell between a backslash and the character it escapes: drop the backslash.
        kept = kept[:-1]
    return kept + ELLIPSIS


def bounded(embed: discord.Embed) -> discord.Embed:
    """Cut an embed's parts to Discord's limits, then its description to fit the total."""
    if embed.title:
        embed.title = clip(embed.title, MAX_TITLE)
    if embed.description:
        embed.description = clip(embed.description, MAX_DESCRIPTION)
    for index, field in enumerate(embed.fields):
        embed.set_field_at(
            index,
            name=clip(field.name or "", MAX_FIELD_NAME),
            value=clip(field.value or "", MAX_FIELD_VALUE),
            inline=bool(field.inline),
        )
    if embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, MAX_FOOTER), icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(
            name=clip(embed.author.name, MAX_AUTHOR),
            url=embed.author.url,
            icon_url=embed.author.icon_url,
        )
    over = len(embed) - MAX_EMBED_TOTAL
    if over > 0 and embed.description:
        embed.description = clip(embed.description, max(len(embed.description) - over, 1))
    while len(embed) > MAX_EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed

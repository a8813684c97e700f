"""HTML inside a Markdown log: headings written as tags, and the lines that are only tags.

Some logs write their entries in HTML: ``<h3>Day 1 - Sunday, July 8th, 2018 </h3>``, or a
``<details>`` block a day whose ``<summary> ✔ day 1 220704 </summary>`` names it. markdown-it
hands such lines over as one `html_block` token; this module reads them a line at a time with a
bounded tag pattern (no HTML parser): the text of ``<h1>``..``<h6>`` and ``<summary>`` is a
heading candidate, and a line that holds nothing but container tags (``<details>``,
``</details>``, ``</b>``) is structure, not the member's text. Text is taken with its tags
stripped and its entities (``&nbsp;``, ``&amp;``) decoded.

Each line is read up to `LINE_LIMIT` characters, and every tag pattern stops at the next ``<``
or ``>`` (possessive repeats): a hostile block costs what a real one of its size costs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

LINE_LIMIT = 1000
"""How much of an HTML line is read: a real heading or summary line is a few dozen characters."""

_TAG = re.compile(r"<(/?+)([A-Za-z][A-Za-z0-9]{0,15}+)(?:[\s/][^<>]{0,300}+)?+>")
_HEADING_OPEN = re.compile(r"<(h[1-6]|summary)(?:[\s/][^<>]{0,300}+)?+>", re.IGNORECASE)
_CONTAINER_TAGS = frozenset(
    {
        "details", "summary", "div", "p", "pre", "code", "small", "span", "b", "strong", "em",
        "i", "u", "center", "section", "article", "blockquote", "br", "hr", "font",
    }
)  # fmt: skip
"""Tags that only hold or style text: a line of nothing but these says nothing itself."""


@dataclass(frozen=True, slots=True)
class HtmlHeading:
    """A heading written as a tag: its text, and its level (0 for a ``<summary>``)."""

    text: str
    level: int


def plain(text: str) -> str:
    """Return a piece of HTML as text: tags stripped, entities decoded, spaces trimmed."""
    return html.unescape(_TAG.sub(" ", text[:LINE_LIMIT])).strip()


_INLINE_TAGS = frozenset({"b", "strong", "em", "i", "u", "span", "font", "small", "code"})
"""Tags that style a few words inside a line: stripped without a space (``<b>Progress:</b>``)."""


def _untag(match: re.Match[str]) -> str:
    name = match.group(2).lower()
    if name in _INLINE_TAGS:
        return ""
    return " " if name in _CONTAINER_TAGS else match.group(0)


def body_text(line: str) -> str:
    """Return a body line of an HTML entry as the member's text: container and style tags out.

    ``<b>Today's Progress:</b> Got a basic understanding`` reads as ``Today's Progress: Got a
    basic understanding``, so its field label is seen; other tags (``<a href>``, ``<img>``) stay,
    for their links. Entities are decoded. The line's indentation is kept.
    """
    if "<" not in line and "&" not in line:
        return line
    return html.unescape(_TAG.sub(_untag, line))


def html_heading(line: str) -> HtmlHeading | None:
    """Return the heading a line writes as ``<hN>`` or ``<summary>``, if it has one with text.

    The text runs to the closing tag on the same line (or to the line's end when it has none).
    """
    head = line[:LINE_LIMIT]
    found = _HEADING_OPEN.search(head)
    if found is None:
        return None
    name = found.group(1).lower()
    close = head.lower().find(f"</{name}", found.end())
    text = plain(head[found.end() : close if close >= 0 else len(head)])
    if not text:
        return None
    return HtmlHeading(text=text, level=int(name[1]) if name[0] == "h" else 0)


def only_tags(line: str) -> bool:
    """Whether a line holds container tags and nothing else (``<details>``, ``</b>``)."""
    head = line[:LINE_LIMIT]
    if "<" not in head or len(line) > LINE_LIMIT:
        return False
    names = [match.group(2).lower() for match in _TAG.finditer(head)]
    if not names or any(name not in _CONTAINER_TAGS for name in names):
        return False
    return not plain(head)

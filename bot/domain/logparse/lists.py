"""A bare ordered list as the log: ``1. factorial`` .. ``29. ansi`` under "... for 100 days".

The last reading `structure` tries, when no heading (`headings`), plain line (`lines`) or table
(`tables`) marks the entries: an ordered list that counts up from 1, right under a paragraph or
heading that names a challenge by its days ("100 days", "#66DaysOfData", "100 Tage", in any
language `locales` reads). A list introduced by anything else ("Links to my work:") is not a log.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from bot.domain.logparse.locales import LOCALES
from bot.domain.logparse.markers import HEADING_LIMIT, Marker

_CHALLENGE_COUNT = re.compile(r"(?<![\d.,])(\d{1,3}+)[ \t-]*+([^\W\d_]++)")
_DAY_WORDS = frozenset(
    word
    for locale in LOCALES
    for word in locale.day_words
    if " " not in word and (len(word) > 1 or not word.isascii())
)
"""The day words of the languages `locales` reads (one-letter abbreviations such as ``d`` left
out): "100 days", "100 Tage", "#100DiasDeCodigo" name a challenge."""


def _names_challenge(line: str) -> bool:
    """Whether a line names a challenge by its days: "100 days", "#66DaysOfData", "30日"."""
    for match in _CHALLENGE_COUNT.finditer(line[:HEADING_LIMIT]):
        word = match.group(2)
        folded = word.casefold()
        if folded in _DAY_WORDS:
            return True
        # A hashtag's words run together, each capitalised: "100DaysOfCode", "100DiasDeCodigo".
        for cut in range(2, min(len(word), 8)):
            if word[cut].isupper() and folded[:cut] in _DAY_WORDS:
                return True
    return False


_MIN_LIST_ITEMS = 2
"""The fewest items an ordered list needs to be read as a log."""


def list_markers(tokens: list[Token], lines: list[str]) -> list[Marker]:
    """Read a bare ordered list as the log: only when the text introducing it names a challenge.

    ``1. factorial`` .. ``29. ansi`` right under "I will do a little bit of Rust programming
    everyday for 100 days.": the items are the days when nothing else marks entries, the
    paragraph just above the list (or the heading right above it) names a challenge by its days
    ("100 days", "#66DaysOfData"), and the list counts up from 1. The longest such list is the
    log; an ordered list introduced by anything else ("Links to my work:") is not.
    """
    best: list[Marker] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.type != "ordered_list_open" or token.level or not token.map:
            continue
        items: list[Marker] | None = [] if _introduced(lines, token.map[0]) else None
        depth = token.level + 1
        while index < len(tokens) and not (
            tokens[index].type == "ordered_list_close" and tokens[index].level == token.level
        ):
            item = tokens[index]
            index += 1
            if items is None or item.type != "list_item_open" or item.level != depth:
                continue
            if item.info != str(len(items) + 1) or not item.map:
                items = None  # not counting 1, 2, 3...: not a log
                continue
            items.append(_list_item(lines, item))
        if items is not None and len(items) >= _MIN_LIST_ITEMS and len(items) > len(best):
            best = items
    return best


_INTRODUCTION_LINES = 12
"""How many lines of the paragraph above a list are looked at for a challenge's name."""


def _introduced(lines: list[str], begin: int) -> bool:
    """Whether the block right above a line (a paragraph, or a heading) names a challenge."""
    number = begin - 1
    while number >= 0 and not lines[number].strip():
        number -= 1
    if number >= 0 and lines[number].lstrip().startswith("#"):
        return _names_challenge(lines[number])
    stop = max(number - _INTRODUCTION_LINES, -1)
    while number > stop and lines[number].strip() and not lines[number].lstrip().startswith("#"):
        if _names_challenge(lines[number]):
            return True
        number -= 1
    return False


def _list_item(lines: list[str], item: Token) -> Marker:
    """Return a list item as an entry numbered by its item number; its lines are its text."""
    begin, end = item.map or (0, 0)
    first = _ITEM_NUMBER.sub("", lines[begin], count=1).strip()
    text = [first, *(line.strip() for line in lines[begin + 1 : end] if line.strip())]
    number = int(item.info)
    return Marker(
        line=begin,
        heading=f"{number}. {first}"[:HEADING_LIMIT],
        body_from=begin + 1,
        days=(number,),
        own_text="\n".join(text),
        row=True,
    )


_ITEM_NUMBER = re.compile(r"^[ \t]*+\d{1,9}+[.)][ \t]*+")

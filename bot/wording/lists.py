"""Lists in sentences, bounded: a reply names a few things and counts the rest."""

from __future__ import annotations

from collections.abc import Sequence

SHOWN = 5
"""How many names a sentence lists before it says "and N more"."""
NAME_CHARS = 60
"""How much of one name a list shows (names are up to 100 characters)."""


def clipped(text: str, limit: int = NAME_CHARS) -> str:
    """Return `text`, cut to `limit` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def some_of(names: Sequence[str], shown: int = SHOWN) -> str:
    """Return 'A, B, C and 4 more' (or 'A, B and C'): at most `shown` names, each clipped."""
    picked = [clipped(name) for name in names[:shown]]
    rest = len(names) - len(picked)
    if rest > 0:
        return f"{', '.join(picked)} and {rest:,} more"
    if len(picked) <= 1:
        return "".join(picked)
    return f"{', '.join(picked[:-1])} and {picked[-1]}"

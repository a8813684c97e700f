"""A log's day headings: which Markdown and HTML headings start entries, and which do not.

An entry starts at a heading that carries a day token (``Day 4``, ``R4D86-93``, ``Title | Day
4``, `` `Day 01` ``) or is only a date (``## 2019/6/21``); a heading written in HTML (``<h3>``,
a ``<details>`` block's ``<summary>``, read by module `markup`) is a heading too, and one
without a date takes it from a date line right under it. The template's sample headings, titles
above the entries' level, and sub-headings (repeating the day of the dated entry they sit in)
are not entries. A log of date-only posts that name their day on their first line takes its
days from there. `structure` finds the headings among markdown-it's blocks and calls this
module; `containers` then opens the headings that hold the days as lines.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.domain.logparse.dates import find_dates, is_date_only
from bot.domain.logparse.markers import Marker, is_dated, mark
from bot.domain.logparse.markup import LINE_LIMIT, html_heading, only_tags, plain
from bot.domain.logparse.phrases import SEPARATOR_LINE, TEMPLATE_HEADING
from bot.domain.logparse.vocabulary import CLOCK, day_token


def heading_marker(text: str, line: int, level: int) -> Marker | None:
    """Return the marker of a heading with a day token or only a date, else None."""
    if not text or TEMPLATE_HEADING.search(text):
        return None
    token = day_token(text)
    if token is not None:
        days, round_number, (begin, end) = token
        return Marker(
            line=line,
            heading=text,
            body_from=line + 1,
            days=days,
            round=round_number,
            date_text=text[:begin] + " " + text[end:],
            level=level,
        )
    if is_date_only(text) is not None:
        return Marker(line=line, heading=text, body_from=line + 1, date_text=text, level=level)
    return None


def html_markers(
    lines: list[str], span: list[int], hidden: bytearray, outline: list[tuple[int, int]]
) -> list[Marker]:
    """Read an HTML block a line at a time: ``<hN>`` and ``<summary>`` headings are candidates.

    A line of nothing but container tags (``<details>``, ``</details>``) is left out of the
    entries' text. A ``<summary>`` names a ``<details>`` entry whose date may sit in its body
    (``<pre><code><small>🗓️ Date: 2023-02-15</small></code></pre>``): a heading without a date
    takes the date line right under it, as a Markdown heading does.
    """
    markers: list[Marker] = []
    for number in range(span[0], min(span[1], len(lines))):
        line = lines[number]
        if "<" not in line:
            continue
        if only_tags(line):
            hidden[number] = 1
            continue
        heading = html_heading(line)
        if heading is None:
            continue
        if heading.level:
            outline.append((number, heading.level))
        marker = heading_marker(heading.text, number, heading.level)
        if marker is not None:
            marker.html, marker.closes = True, not heading.level
            if not find_dates(marker.date_text):
                _date_below(lines, marker, hidden)
            markers.append(marker)
    return markers


_DATE_BELOW_LINES = 2
"""How many lines under an HTML heading are looked at for its date."""
_DATE_BELOW_REACH = 8
"""How far under an HTML heading those lines may be (blank and hidden lines between)."""


def _date_below(lines: list[str], marker: Marker, hidden: bytearray) -> None:
    """Date an HTML heading from a line under it that says only a date ("Date: 2023-02-15")."""
    looked = 0
    for number in range(marker.body_from, min(marker.body_from + _DATE_BELOW_REACH, len(lines))):
        line = lines[number]
        if not line.strip() or hidden[number]:
            continue
        if looked == _DATE_BELOW_LINES or "</details" in line[:LINE_LIMIT].lower():
            return
        looked += 1
        text = plain(line)
        if text and is_date_only(text) is not None:
            marker.date_text = f"{marker.date_text} {text}"
            hidden[number] = 1  # the date is the heading's, not the entry's text
            return


def drop_header_counters(markers: list[Marker]) -> list[Marker]:
    """Leave out titles: headings above the entries' level, before them, without a date.

    Guards against titles such as "# 30 Days 2024" or "# Day 1 club" being read as an entry.
    """
    levels = Counter(marker.level for marker in markers)
    usual = max(levels, key=lambda level: (levels[level], level))  # a tie: the deeper
    first = next(marker.line for marker in markers if marker.level == usual)
    return [
        marker
        for marker in markers
        if marker.level >= usual or marker.line > first or find_dates(marker.date_text)
    ]


def drop_sub_headings(markers: list[Marker]) -> list[Marker]:
    """Leave out undated headings that repeat the day of the dated entry they sit in.

    ``### 3日目: 2022年11月27日`` then ``### Day003`` at the same level: the second names the
    day the entry is already about (a sub-heading), not a new entry; so does a ``<summary>``
    with that day inside it.
    """
    kept: list[Marker] = []
    # The (round, day) pairs dated headings give, read when first needed: R2D2 is not R1D2, and
    # a day named without its round (None) is any round's.
    dated_days: set[tuple[int | None, int]] | None = None
    for marker in markers:
        # The cheap checks first: dates are read only for a heading that repeats a day.
        if (
            kept
            and marker.days
            and set(marker.days) <= set(kept[-1].days)
            and _depth(marker.level) >= _depth(kept[-1].level)
            and not is_dated(marker)
            and is_dated(kept[-1])
        ):
            continue
        # A <summary> inside a dated Markdown day that names a day a dated heading gives
        # (``<details><summary>Day 2 hint</summary>`` in Day 1): part of that day's text.
        if kept and marker.level == 0 and marker.days and kept[-1].level > 0:
            if dated_days is None:
                dated_days = {
                    (round_, day)
                    for other in markers
                    if other.level and is_dated(other)
                    for day in other.days
                    for round_ in (other.round, None)
                }
            named = {(marker.round, day) for day in marker.days}
            if named <= dated_days and not is_dated(marker) and is_dated(kept[-1]):
                continue
        kept.append(marker)
    return kept


def _depth(level: int) -> int:
    """Return how deep a heading sits: a ``<summary>`` (level 0) under any ``<hN>`` or ``#``."""
    return level or 7


_OF_TOTAL = re.compile(r"(\d{1,6}+)\s*+/\s*+\d{1,6}+")
"""A day number with the challenge's length after it (``Day 055/100``)."""
_POST_DAY_REACH = 8
"""How far into a post's first line its day token may start (``【Day 055/100】``)."""


def posts_dated_in_body(markers: list[Marker], lines: list[str], hidden: bytearray) -> list[Marker]:
    """Read a log of dated posts whose days are named in their first lines, not their headings.

    A "post" log (an export of social posts) heads each post with its date and time only
    (``## 2026-02-24 20:30``) and says which day it is on the post's first line
    (``【Day 055/100】``, ``Day 044:``). When most date-only headings are followed by such a
    line, and those days are mostly distinct (each post a different day), the posts are the
    log: each takes its day from that line, and a post without one (an announcement, a retweet)
    is not an entry; its lines are left out of the entry above it. Distinct, not rising: the
    posts' order is the export's, and the reading must not depend on it (shuffled posts read the
    same, tests/domain/test_logparse_properties.py).
    """
    posts = [index for index, marker in enumerate(markers) if not marker.days]
    # A post is stamped with its time; a day heading is not (Daybook's own export, a diary):
    # without times, a day token opening a day's text is the member's words, not its number. A
    # time as the dates reader knows one: ``20:30``, ``2026-02-24T20:30:00Z``, ``20h30``, ``8pm``.
    stamped = sum(bool(CLOCK.search(markers[index].heading)) for index in posts)
    if len(posts) < 2 or 2 * stamped <= len(posts):
        return markers
    ends = [marker.line for marker in markers[1:]] + [len(lines)]
    days_of: dict[int, tuple[tuple[int, ...], int | None]] = {}
    for index in posts:
        found = _first_line_day(lines, hidden, markers[index].body_from, ends[index])
        if found is not None:
            days_of[index] = found
    numbered = [days_of[index][0][0] for index in sorted(days_of)]
    if 2 * len(days_of) <= len(posts) or 3 * len(set(numbered)) < 2 * len(numbered):
        return markers
    kept: list[Marker] = []
    for index, marker in enumerate(markers):
        if marker.days:
            kept.append(marker)
        elif index in days_of:
            marker.days, marker.round = days_of[index]
            kept.append(marker)
        else:
            mark(hidden, [marker.line, ends[index]])
    return kept


def _first_line_day(
    lines: list[str], hidden: bytearray, begin: int, end: int
) -> tuple[tuple[int, ...], int | None] | None:
    """Return the day a post's first line opens with (``【Day 055/100】``), if it does."""
    for number in range(begin, end):
        line = lines[number]
        if hidden[number] or not line.strip() or SEPARATOR_LINE.match(line):
            continue
        head = _OF_TOTAL.sub(r"\1", line.strip()[:60])
        token = day_token(head)
        if token is None or token[2][0] > _POST_DAY_REACH or re.search(r"\w", head[: token[2][0]]):
            return None
        return token[0], token[1]
    return None

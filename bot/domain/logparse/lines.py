"""Plain lines that start entries: ``* Day 1 (24/10/2022): ...``, ``__Day 1__``, ``2019-05-03``.

A log without day headings may keep a day a line or a list item: a line that starts with a day
token and a date (the text after the date is the entry's first line), a day token that stands
alone (bold, or a separator and a short topic; only in a log whose day lines mostly rise), or a
date (and maybe a day token after it). Prose that mentions a day ("Day 3 was hard") is not an
entry. What is read of a line is bounded (its first 40 or 60 characters, a topic of
`_TOPIC_LIMIT`). `structure` calls this when a log has no day headings, `containers` for the
lines under a heading that holds the days; `tables` and `lists` read the other plain shapes.
"""

from __future__ import annotations

import re

from bot.domain.logparse.dates import find_dates
from bot.domain.logparse.markers import EMPHASIS, Marker, mostly_monotone
from bot.domain.logparse.vocabulary import LINE_HEAD, LINE_START, UNCHECKED_ITEM, day_token

_DATE_REACH = 4
"""How far after a plain line's day token its date may start ("Day 1 (24/10/2022)")."""
_DATE_GAP = 4
"""The most characters between two dates of one line's list or range (" & ", " - ")."""
_TOPIC_LIMIT = 120
"""The longest topic an undated day line may carry and still stand alone as an entry."""
_AFTER_TOKEN = re.compile(r"[ \t]*+(?P<bold>\*\*|__)?+[ \t]*+(?P<sep>[:\uff1a.|\-\u2013\u2014])?+")


def line_markers(
    lines: list[str],
    skipped: bytearray,
    item_ends: dict[int, int],
    begin: int = 0,
    end: int | None = None,
) -> list[Marker]:
    """Read a log kept as plain lines: "Day 23 : December 26, 2019" or "2019-05-03: ...".

    A line that starts with a day token and a date is an entry, and the text after its date is
    the entry's first line (``* Day 1 (24/10/2022): downloaded Rust``). A day token without a
    date starts an entry only when it stands alone: the token (bold or a list item) then
    nothing, or a separator and a short topic (``Day 1:``, ``__Day 1__``, ``- **Day 1**:
    环境搭建``), and only when the log's day lines, two or more, mostly rise (or mostly fall):
    prose that mentions "Day 3 was hard" is not an entry. An entry written as a list item is
    that item (its line and the lines it holds), not the sections after the list. A date
    followed by a day token (``12/05/2020 - Día 1 - Repasando``) numbers the day too. Only the
    lines from `begin` to `end` are read.
    """
    markers: list[Marker] = []
    undated: list[Marker] = []
    numbers: list[int] = []
    for number in range(begin, len(lines) if end is None else end):
        line = lines[number]
        # A cheap look at the line's start first: most lines cannot start an entry.
        if skipped[number] or not LINE_HEAD.match(line):
            continue
        head = LINE_START.sub("", line, count=1)
        found_day = day_token(head[:40])
        if found_day is not None and found_day[2][0] == 0:
            days, round_number, (_, end) = found_day
            rest = head[end:]
            found = find_dates(rest[:60])
            if found.consumed and min(begin for begin, _ in found.consumed) <= _DATE_REACH:
                cut = _dates_end(rest, found.consumed)
                marker = Marker(
                    number, EMPHASIS.sub("", head[: end + cut]).strip(), number + 1, days,
                    round_number, rest[:cut],
                )  # fmt: skip
                marker.own_text = line_topic(rest[cut:])
                markers.append(marker)
                numbers.append(days[0])
                continue
            topic = _standalone_topic(rest)
            if topic is not None:
                marker = Marker(number, EMPHASIS.sub("", head[:end]).strip(), number + 1, days)
                marker.round, marker.own_text = round_number, topic
                markers.append(marker)
                undated.append(marker)
                numbers.append(days[0])
            continue
        found = find_dates(head[:40])
        if found.consumed and min(start for start, _ in found.consumed) == 0:
            cut = max(stop for _, stop in found.consumed)
            marker = Marker(number, head[:cut].strip(), number + 1, date_text=head[:cut])
            # The rest of the line is the entry's first line of text, after a day token if any.
            rest = head[cut:].lstrip(" :-\u2013\u2014|")
            after_date = day_token(rest[:40])
            if after_date is not None and after_date[2][0] == 0:
                marker.days, marker.round = after_date[0], after_date[1]
                marker.heading = f"{marker.heading} {rest[: after_date[2][1]]}"
                rest = rest[after_date[2][1] :]
            marker.own_text = line_topic(rest) if marker.days else rest.strip()
            markers.append(marker)
    for marker in markers:
        marker.unchecked = UNCHECKED_ITEM.match(lines[marker.line]) is not None
    if undated and not mostly_monotone(numbers):
        left_out = {id(marker) for marker in undated}
        markers = [marker for marker in markers if id(marker) not in left_out]
    for marker in markers:
        item_end = item_ends.get(marker.line)
        if item_end is not None:
            held = lines[marker.line + 1 : item_end]
            indent = min(
                (len(line) - len(line.lstrip()) for line in held if line.strip()), default=0
            )
            text = [marker.own_text, *(line[indent:].rstrip() for line in held)]
            marker.own_text = "\n".join(text).strip("\n")
            marker.row = True
    return markers


def _dates_end(text: str, consumed: list[tuple[int, int]]) -> int:
    """Return where a line's leading dates end: the first date, and those a few characters on."""
    spans = sorted(consumed)
    end = spans[0][1]
    for begin, stop in spans[1:]:
        if begin - end > _DATE_GAP:
            break
        end = max(end, stop)
    while end < len(text) and text[end] in ")]\uff09":
        end += 1
    return end


def line_topic(text: str) -> str:
    """Return the text after a line's day token and dates: its separators and emphasis cut."""
    return EMPHASIS.sub("", text).lstrip(" \t:\uff1a-\u2013\u2014|.").strip()


def _standalone_topic(rest: str) -> str | None:
    """Return the topic of a day token that stands alone on its line, or None for prose.

    ``Day 1:``, ``__Day 1__``, ``**Day 1**: 环境搭建与GitHub使用`` stand alone; ``Day 3 was
    hard`` (no separator) and a long sentence after the colon do not.
    """
    found = _AFTER_TOKEN.match(rest)
    # A topic longer than the limit is prose: a few characters more than it are enough to tell.
    after = rest[found.end() : found.end() + 2 * _TOPIC_LIMIT].strip() if found else ""
    if found is None or not (after == "" or found.group("bold") or found.group("sep")):
        return None
    topic = EMPHASIS.sub("", after).strip()
    return topic if len(topic) <= _TOPIC_LIMIT else None

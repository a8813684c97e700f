"""The words and patterns a log is read with: day, month and weekday words, dates, times.

The English words the reader knows (month and weekday names, "Day", "Tags:", template labels,
"nothing done") and the shapes of numeric dates, times and durations sit here, so the modules
that use them (`dates`, `structure`, `entries`) hold rules rather than words. A pattern with
adjacent or nested repeats over the same characters uses possessive repeats, which match the
same lines without backtracking: reading stays linear on hostile input (docs/performance.md,
"Hostile logs").
"""

from __future__ import annotations

import re
import unicodedata

# ------------------------------------------------------------------------------------------
# Month and weekday words
# ------------------------------------------------------------------------------------------

MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY = (
    r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?"
)
WEEKDAY_WORD = re.compile(rf"\b(?:{WEEKDAY})\b", re.IGNORECASE)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
"""The months by their first three letters, in order: a month word's first three decide it."""

# ------------------------------------------------------------------------------------------
# Dates as written
# ------------------------------------------------------------------------------------------

PHRASE_TOKEN = re.compile(
    rf"(?P<month>\b(?:{MONTH})\b\.?)"
    rf"|(?P<weekday>\b(?:{WEEKDAY})\b\.?)"
    r"|(?P<year>\b\d{4}\b)"
    r"|(?P<num>\b\d{1,2}(?:st|nd|rd|th)?\b)"
    r"|(?P<range>[-\u2013\u2014~]|\bto\b|\bthrough\b|\btill\b)"
    r"|(?P<list>[,&]|\band\b)"
    r"|(?P<skip>[.:;()\[\]\s]+)"
    r"|(?P<other>\w+|\S)",
    re.IGNORECASE,
)
# 15MAY2020: a compact date with nothing between its parts.
COMPACT = re.compile(rf"(?<![\w])(\d{{1,2}})({MONTH})((?:19|20)\d{{2}})(?!\w)", re.IGNORECASE)
# Numeric dates: ISO, day-first or month-first with dashes, and slash/dot dates with ranges.
DASHED = re.compile(r"(?<![\w/.-])(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4})(?![\w/-])")
SLASHED = re.compile(
    r"(?<![\w/.])(?P<a>\d{1,4}(?:[/.]\d{1,2})?(?:[/.]\d{1,4})?)"
    r"(?:\s*+[-\u2013~]\s*+(?P<b>\d{1,2}(?:[/.]\d{1,2})?(?:[/.]\d{1,4})?))?"
    r"(?:\s++(?P<y>\d{4}))?(?![\w/])"
)

# ------------------------------------------------------------------------------------------
# Day words: what starts an entry
# ------------------------------------------------------------------------------------------

# "Day 4", "Days 14-15", "Day 66,67,68", "R4D86-93", "R1D1&D2", "Day1", "R8D1-D".
DAY_TOKEN = re.compile(
    r"(?:(?<![A-Za-z])R(?P<round>\d{1,2})\s*+D|\b(?:day|days)\b\s*+(?:[-#]\s*+)?|\bday(?=\d))"
    r"\s*+(?P<first>\d{1,6})(?![\d/.])"
    r"(?P<more>(?:\s*+(?:-|\u2013|&|,|\bto\b|\band\b)\s*+(?:D(?:ay)?\s*+)?\d{1,3}(?![\w/.]))*)",
    re.IGNORECASE,
)
MORE_DAY = re.compile(r"(-|\u2013|&|,|to|and)\s*+(?:D(?:ay)?\s*+)?(\d{1,3})", re.IGNORECASE)
MAX_DAY_ITEMS = 100
"""The most day numbers and ranges one heading's day token lists (``Day 1 & 2 & 3...``)."""
LINE_START = re.compile(r"^\s{0,3}(?:[-*+]\s++)?(?:\*\*|__)?")
# What a line that starts an entry starts with, after LINE_START: a day token or a date (a
# digit or a month); a necessary condition, checked before the costly reading.
LINE_HEAD = re.compile(rf"\s{{0,3}}(?:[-*+]\s++)?(?:\*\*|__)?(?:\d|R\d|day|{MONTH})", re.I)


DAY_COLUMN = re.compile(r"\bday\b|^#$|^no\.?$")
"""A table's first header cell (casefolded) when the column numbers the days."""
DAY_CELL = re.compile(r"(?:day\s*)?(\d{1,6})", re.IGNORECASE)
"""A table row's first cell that numbers its day ("12", "Day 12")."""


def day_token(text: str) -> tuple[tuple[int, ...], int | None, tuple[int, int]] | None:
    """Find a heading's day token: its day numbers, round and where it sits."""
    match = DAY_TOKEN.search(text)
    if match is None:
        return None
    days = [int(match.group("first"))]
    for item, more in enumerate(MORE_DAY.finditer(match.group("more"))):
        separator, number = more.groups()
        if item >= MAX_DAY_ITEMS:
            break
        value = int(number)
        if value <= days[-1] or value - days[-1] > 100:
            break
        if separator in {"-", "\u2013"} or separator.lower() == "to":
            days.extend(range(days[-1] + 1, value + 1))
        else:
            days.append(value)
    round_number = int(match.group("round")) if match.group("round") else None
    return tuple(days), round_number, match.span()


# ------------------------------------------------------------------------------------------
# Times and durations
# ------------------------------------------------------------------------------------------

TIME_RANGE = re.compile(
    r"(\d{1,2})\s*+:\s*+(\d{2})\s*+[-\u2013~\u301c]\s*+(\d{1,2})\s*+:\s*+(\d{2})"
)
TIME_ONLY_LINE = re.compile(r"^\s*+(?:\d{1,2}\s*+:\s*+\d{2}\s*+(?:[-\u2013~\u301c,]\s*+)?+)++$")
TIME_LABEL = re.compile(
    r"^\s*+(?:[-*]\s*+)?(?:\*\*|__)?(?:total\s++)?"
    r"(?:time(?:\s++spent)?|duration|hours?(?:\s++spent)?)(?:\*\*|__)?\s*+[:\uff1a,-]",
    re.IGNORECASE,
)
CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
TIME_WORDS = frozenset({"am", "pm", "at", "on", "utc", "gmt", "jst", "ist", "h"})

# ------------------------------------------------------------------------------------------
# The header: round, start date, year
# ------------------------------------------------------------------------------------------

HEADER_ROUND = re.compile(r"\b(?:round|season)[\s_#-]*+(\d{1,2})\b", re.IGNORECASE)
HEADER_START = re.compile(r"\bstart(?:ed|s|ing)?(?:\s++date)?\s*+(?:(?:on|:)\s*+)?", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

# ------------------------------------------------------------------------------------------
# An entry's body: metadata lines, template labels, placeholders, "no progress"
# ------------------------------------------------------------------------------------------

# "Tags: a, b" and "Links: url url": an entry's metadata, not its text.
META_LINE = re.compile(r"^\s*+(?:\*\*|__)?(?:tags?|links?)(?:\*\*|__)?\s*+[:\uff1a]", re.IGNORECASE)
# A line Markdown would not read as plain text at the top level (a heading, an HTML block, a
# code fence, a setext underline, a separator), that the parser takes as metadata ("Tags:"), or
# that starts with a backslash. The export puts a backslash before such a line of a member's
# text; reading it back removes that backslash.
_HAZARD = re.compile(
    r"^\s{0,3}(?:#|<|```|~~~|=++\s*+$|-++\s*+$|(?:[-*_=]\s*+){3,}+$|\\"
    r"|(?:\*\*|__)?(?:tags?|links?)(?:\*\*|__)?\s*+[:\uff1a])",
    re.IGNORECASE,
)


def needs_escape(line: str) -> bool:
    """Whether a line of a member's text would not read back as text in a log."""
    return bool(_HAZARD.match(unicodedata.normalize("NFKC", line)))


def unescape(line: str) -> str:
    """Remove the backslash an export put before a line of text that needed one."""
    return line[1:] if line.startswith("\\") and needs_escape(line[1:]) else line


SEPARATOR_LINE = re.compile(
    r"^\s*+(?:<br\s*+/?>\s*+)*+(?:[-*_=]\s*+){3,}+(?:<br\s*+/?>\s*+)*+$|^\s*+<br\s*+/?>\s*+$"
)
BR = re.compile(r"<br\s*+/?>", re.IGNORECASE)
# "**Today's Progress**:", "**Thoughts:**", "Link to work:", "**Link(s) to work**": a template's
# field labels, either before a value or alone on their line.
FIELD_LABEL = re.compile(
    r"^\s*+(?:[-*+]\s++)?(?:\*\*|__)?(?P<label>[A-Za-z][A-Za-z'() ]{1,30}?)(?:\*\*|__)?\s*+:"
    r"\s*+(?:\*\*|__)?\s*+"
    r"|^\s*+(?:[-*+]\s++)?(?:\*\*|__)(?P<alone>[A-Za-z][A-Za-z'() ]{1,30}?)(?:\*\*|__)\s*+$"
)
PROGRESS_LABEL = re.compile(r"^(?:today'?s\s+)?progress$", re.IGNORECASE)
PLACEHOLDER = re.compile(
    r"\[[^\[\]]*+\]\((?:https?://(?:www\.)?example\.(?:com|org|net)[^()\[\]\s]*+|-|#[^()\[\]\s]*+"
    r"|nolink|)\)|https?://(?:www\.)?example\.(?:com|org|net)\S*+|^[ \t]*+//[ \t]*+$",
    re.IGNORECASE | re.MULTILINE,
)
NOTHING = re.compile(r"^\W*+(?:none|nothing|n/?a|nil)\W*+$", re.IGNORECASE)
# Words a no-progress note may open with: "Well, nothing done", "Technically a day of no code".
_LEAD = r"(?:(?:well|so|today|sadly|technically|basically|honestly|just)\W++)?"
# Verbs of progress: a break or a day off taken "to code" or "and studied" is a day of work;
# one taken "yesterday" is another day's (chinhdo: "Took a break day yesterday", then progress).
_PROGRESS_AFTER = (
    r"(?![^.!?\n]{0,160}?\b(?:yesterday|last\s++(?:night|week|weekend)|earlier)\b)"
    r"(?![^.!?\n]{0,160}?\b(?:to|and|but|so)\s++(?:\w++\s++)?"
    r"(?:code|coding|coded|program\w*+|stud\w++|learn\w*+|practi[cs]\w*+|build\w*+|built"
    r"|work(?:ed|ing)?\s++on|do|did|read|watch\w*+|finish\w*+|review\w*+)\b)"
)
# A day named as one without work: "Day of rest.", "a day of no code", "rest day", "day off
# from code", "No code; ... rested up". Said at the start of the entry or of a clause of its first
# sentence ("Long week and chores piled up, day off from code."); "day off work" is a day free
# for code, and "no code changes" is not "no code".
NO_PROGRESS_CLAUSE = re.compile(
    rf"{_LEAD}(?:a\s++)?(?:day\s++of\s++(?:rest|no\s++(?:code|coding|progress))\b"
    r"|(?:rest|off|sick)\s++day\b"
    r"|day\s++off\b(?!\s++(?:from\s++)?(?:work|my\s++job|the\s++office))"
    r"|no\s++(?:code|coding|programming|study(?:ing)?)(?:\s++today)?(?=\s*+(?:[^\w\s]|$)))",
    re.IGNORECASE,
)
# Said at the start of the entry (or of its progress field): "Nothing done. Oh",
# "Coded nothing. And plus...", "Missed today.", "Took a personal day for R&R.", "Took a break
# from any kind of data science learning today.", "Technically a day of no code."; later in a
# text these are often about something else ("Built the CLI. Nothing done on tests yet.",
# "Built the parser, then took a break from tests to do docs").
NO_PROGRESS_OPENING = re.compile(
    rf"^\W*+{_LEAD}(?:nothing(?:\s++(?:done|today|at\s++all))?\b"
    r"|(?:coded|did|studied|learn(?:ed|t))\s++nothing\b"
    r"|missed\s++(?:today|the\s++day)(?![\w'\u2019])|no\s++progress\b"
    r"|(?:took|take|taking)\s++(?:a|the)\s++(?:(?:personal|rest|sick|lazy|mental\s++health)\s++)?"
    rf"day\b(?!\s++off\s++(?:from\s++)?(?:work|my\s++job|the\s++office)){_PROGRESS_AFTER}"
    rf"|(?:took|take|taking)\s++a\s++(?:short\s++|little\s++)?break\b{_PROGRESS_AFTER})",
    re.IGNORECASE,
)
# The whole entry is a day off by name: "Thanksgiving. Holiday. :)", "Sick.", "Rest day".
NO_PROGRESS_WHOLE = re.compile(
    r"^\W*+(?:[^\W\d_][\w'\u2019-]{0,30}+\W++){0,2}?(?:(?:a|public|bank|national)\s++)?"
    r"(?:holiday|vacation|day\s++off|rest(?:\s++day)?|sick(?:\s++day)?|break)\W*+$",
    re.IGNORECASE,
)
# Said anywhere: "Today counts as a skip day", "not coding long enough to count", "I studied
# nothing at all", "add +1 day after Day 100 to compensate" (the member moves the end a day).
NO_PROGRESS_ANYWHERE = re.compile(
    r"\b(?:counts?\s++as\s++a\s++(?:skip|missed|rest)\s++day"
    r"|not\s++(?:\w++\s++){0,4}long\s++enough\s++to\s++count"
    r"|(?:coded|did|studied|learn(?:ed|t)|done)\s++nothing\s++at\s++all)\b"
    r"|\+\s*+1\s++day\s++(?:after|at\s++the\s++end)\b",
    re.IGNORECASE,
)
TEMPLATE_HEADING = re.compile(r"\bexample\b", re.IGNORECASE)

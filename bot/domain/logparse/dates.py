"""Dates as a log writes them: finding them in a heading or a line, and writing one.

A heading or a line yields date pieces (`find_dates`): month-name phrases in any language of
`locales` (``Sep 5,Sep 6 2018``, ``24 November, 2018``, ``18 de maio de 2022``, ``20. Februar
2021``, ``July 20-21, 2018``), compact and CJK ones (``24MAY2020``, ``2019June03``, ``20200802``,
``2022年11月24日``) and numeric ones (``2018-10-07/08/09``, ``2018-10-14 -> 17``, ``09-07-2018``,
``12-19/7/22``, ``22/6 - 8/7``); only the first 120 characters are searched, and clock times and
time zones are cut first; a fraction or a count is no date (``1/2 of the course``, ``Lesson
4/5``). The grammar is linear: a text is split into tokens once and each word is looked up in a
dict. A piece may lack its year (the module `years` places it), and a numeric
piece keeps its parts as written until the file decides, once, whether ``NN/NN`` is day-first
(`decide_dayfirst`). A year is read as written: a date in a year outside `YEARS`
(``0001-01-01``) is unreadable, never moved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from bot.domain.logparse.locales import fold
from bot.domain.logparse.vocabulary import (
    CJK_DATE,
    CLOCK,
    CLOCK_TIME,
    COMPACT_DIGITS,
    COMPACT_SHORT,
    COMPACT_WORD,
    DASHED,
    DATE_CONNECTORS,
    DATE_LIST_WORDS,
    DATE_RANGE_WORDS,
    ISO_DATE,
    ISO_MORE,
    MONTH_WORDS,
    PHRASE_TOKEN,
    RANGE_SEPARATORS,
    SLASHED,
    TIME_RANGE,
    TIME_WORDS,
    TIME_ZONES,
    VI_MONTH_WORDS,
    WEEKDAY_LANGUAGES,
    WORD,
    MonthWord,
    guess_month,
    weekday_word,
)

_SENTINEL_YEAR = 4
"""The year a date without one is checked against: a leap year, so "Feb 29" stays readable."""
YEARS = range(1970, 2101)
"""The years a log's date may have; a date in any other year is unreadable (a warning)."""
_DATE_TEXT_LIMIT = 120
"""How much of a heading or line is searched for dates: a date comes early, and the bound
keeps a hostile heading (thousands of dates on one line) from costing more than a real one."""


# ------------------------------------------------------------------------------------------
# Dates as written
# ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Piece:
    """One date as written: a year may be missing until the file's context supplies it."""

    year: int | None
    month: int
    day: int


@dataclass(slots=True)
class Span:
    """A date or a range of dates ("July 20-21"); `end` is None for a single date."""

    start: Piece
    end: Piece | None = None


@dataclass(slots=True)
class Numeric:
    """A numeric date whose day/month order is decided per file: parts as written."""

    first: int
    second: int
    year: int | None
    text: str


@dataclass(slots=True)
class NumericSpan:
    """A numeric date or range (``12-19/7/22``), read day- or month-first once the file decides."""

    start: Numeric
    end: Numeric | None = None


def _piece(year: int | None, month: int, day: int) -> Piece | None:
    """Return a date as written, or None when there is no such day or the year is implausible.

    A year is taken as written: `0001` is the year 1, never "corrected" to 2001, and a year
    outside YEARS makes the date unreadable rather than moving a member's start decades back.
    """
    if year is not None and year not in YEARS:
        return None
    try:
        # The sentinel is a leap year: "Feb 29" without a year is a date until a year is known.
        date(year if year is not None else _SENTINEL_YEAR, month, day)
    except ValueError:
        return None
    return Piece(year=year, month=month, day=day)


def _impossible(found: Found, year: int | None, month: int, day: int) -> None:
    """Record a date the calendar lacks: a real month, a day of 1-31, a year read as a year.

    ``February 29, 2021`` and ``April 31`` are a member's slip (a warning says so); a day past
    31 (``May 45 minutes``) or a year outside `YEARS` is no date at all.
    """
    if (year is None or year in YEARS) and 1 <= month <= 12 and 1 <= day <= 31:
        found.impossible.append(Piece(year, month, day))


def _year(written: str) -> int:
    """Return a year as written; only a two-digit (or shorter) year is taken as 20YY."""
    value = int(written)
    return value + 2000 if len(written) <= 2 else value


@dataclass(slots=True)
class Found:
    """The dates found in a piece of text, and what else it said about them."""

    spans: list[Span] = field(default_factory=list)
    numeric: list[NumericSpan] = field(default_factory=list)
    weekdays: list[int] = field(default_factory=list)
    consumed: list[tuple[int, int]] = field(default_factory=list)
    """Character ranges of the text that were dates."""
    unreadable: bool = False
    """Something shaped like a date was found that is not one (an impossible year or day)."""
    short: bool = False
    """A date was read from six digits (``220704``): only a day token's date may be written so."""
    guessed: list[str] = field(default_factory=list)
    """Month words read as the month they misspell (``Auguts``), as written."""
    impossible: list[Piece] = field(default_factory=list)
    """Whole dates the calendar lacks (``February 29, 2021``, ``2021-04-31``), not read."""

    def __bool__(self) -> bool:
        return bool(self.spans or self.numeric or self.unreadable)


# ------------------------------------------------------------------------------------------
# Finding dates in a heading or a line
# ------------------------------------------------------------------------------------------


def find_dates(text: str) -> Found:
    """Find the dates of a heading or date line: month-name phrases first, else numeric ones.

    Clock times and time zones are cut first (``Thu Jul 26 21:36:50 EDT 2018`` is 26 July);
    compact dates (``24MAY2020``, ``2019June03``, ``20200802``, ``2022年11月24日``) are read next.
    """
    as_written = text[:_DATE_TEXT_LIMIT]  # the fraction rule looks at the times the reader cuts
    text = _cut_times(as_written)
    found = Found()
    text = _compact(text, found)
    phrase = _month_phrase(text)
    found.weekdays = phrase.weekdays
    found.impossible = phrase.impossible
    if phrase or found:
        found.spans.extend(phrase.spans)
        found.consumed.extend(phrase.consumed)
        found.unreadable = found.unreadable or phrase.unreadable
        found.guessed = phrase.guessed
        return found
    _iso_dates(text, found)
    for match in DASHED.finditer(text):
        written = match.group(1).split("-")
        parts = [int(part) for part in written]
        found.consumed.append(match.span())
        piece = Numeric(parts[0], parts[1], _year(written[2]), match.group(1))
        found.numeric.append(NumericSpan(piece))
    if found:
        return found
    for match in SLASHED.finditer(text):
        if _fraction(as_written, match):
            continue
        span = _numeric_span(match)
        if span is None:
            continue
        if span is _UNREADABLE:
            found.unreadable = True
            found.consumed.append(match.span())
        elif isinstance(span, Span):
            found.spans.append(span)
        else:
            found.numeric.append(span)
        found.consumed.append(match.span())
    return found


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Return `text` with the spans replaced by spaces: positions stay where they were."""
    if not spans:
        return text
    pieces: list[str] = []
    cut = 0
    for begin, end in spans:
        pieces.append(text[cut:begin])
        pieces.append(" " * (end - begin))
        cut = end
    pieces.append(text[cut:])
    return "".join(pieces)


# What each pattern needs somewhere in a text to match at all, checked first with one cheap
# scan: most headings hold no clock time and no compact date, and the patterns themselves try
# a lookbehind at every position.
_CLOCK_HINT = re.compile(r"\d(?:[:.hH]|\s*+[aApP])")
"""A digit right before ``:``, ``.`` or ``h``, or before ``am``/``pm``: every `CLOCK` has one."""
_LETTER_AFTER_DIGIT = re.compile(r"\d[^\W\d_]")
"""``24MAY``, ``2019June``: every `COMPACT_WORD` has a letter right after a digit."""
_EIGHT_DIGITS = re.compile(r"\d{8}")
"""Every `COMPACT_DIGITS` (``20200802``) has eight digits in a row."""


def _cut_times(text: str) -> str:
    """Blank out clock times (``21:36:50``, ``20:30``, ``13.00 PM``): a time is never a date."""
    if _CLOCK_HINT.search(text) is None:
        return text
    return _blank(text, [match.span() for match in CLOCK.finditer(text)])


def _compact(text: str, found: Found) -> str:
    """Read dates written without separators or by CJK marks; return the text without them."""
    spans: list[tuple[int, int]] = []
    if "月" in text or "월" in text:
        for match in CJK_DATE.finditer(text):
            written_year = match.group("y")
            piece = _piece(
                int(written_year) if written_year else None,
                int(match.group("m")),
                int(match.group("d")),
            )
            _take(found, spans, match.span(), piece, bool(written_year))
        text = _blank(text, spans)
        spans = []
    if _LETTER_AFTER_DIGIT.search(text) is not None:
        for match in COMPACT_WORD.finditer(text):
            named = MONTH_WORDS.get(fold(match.group("m") or match.group("m2")))
            if named is None:
                continue
            year = int(match.group("y") or match.group("y2"))
            piece = _piece(year, named.month, int(match.group("d") or match.group("d2")))
            _take(found, spans, match.span(), piece, True)
        text = _blank(text, spans)
        spans = []
    for match in COMPACT_DIGITS.finditer(text) if _EIGHT_DIGITS.search(text) else ():
        year, month, day = (int(part) for part in match.groups())
        piece = _piece(year, month, day)
        if piece is not None:  # 8 digits that are no date are a number, not an unreadable date
            _take(found, spans, match.span(), piece, False)
    short = COMPACT_SHORT.match(text)
    if short is not None:
        year, month, day = (int(part) for part in short.groups())
        piece = _piece(2000 + year, month, day)
        if piece is not None:
            _take(found, spans, (short.start(1), short.end(3)), piece, False)
            found.short = True
    return _blank(text, spans)


def _take(
    found: Found,
    spans: list[tuple[int, int]],
    span: tuple[int, int],
    piece: Piece | None,
    unreadable_if_none: bool,
) -> None:
    """Record a compact date (or that it is no date) and where it was."""
    if piece is None:
        if unreadable_if_none:
            found.unreadable = True
            found.consumed.append(span)
            spans.append(span)
        return
    found.spans.append(Span(piece))
    found.consumed.append(span)
    spans.append(span)


def _iso_dates(text: str, found: Found) -> None:
    """Read year-first dates and the list or range that follows each one.

    ``2018-10-07/08/09`` is three dates, ``2018-10-14 -> 17`` and ``2020/06/30 -> 2020/07/10``
    are ranges; a bare day after ``-`` or ``,`` that a word follows is not a date's
    (``2018-10-07 - 12 hours``), and a later part must come after the one before it.
    """
    at = 0
    while (match := ISO_DATE.search(text, at)) is not None:
        year, separator, month, day = match.groups()
        first = _piece(int(year), int(month), int(day))
        end = match.end()
        at = end
        if first is None:
            found.unreadable = True
            found.consumed.append(match.span())
            _impossible(found, int(year), int(month), int(day))
            continue
        spans = [Span(first)]
        last = first
        while (more := ISO_MORE.match(text, end)) is not None:
            kind = more.group("sep").lower()
            more_end = more.end()
            if more.group("y"):
                piece = _piece(int(more.group("y")), int(more.group("m")), int(more.group("d")))
            elif more.group("m2") and more.group("s2") == separator:
                piece = _piece(last.year, int(more.group("m2")), int(more.group("d2")))
            else:
                bare = more.group("d3") or more.group("m2")
                more_end = more.end("d3") if more.group("d3") else more.start("s2")
                if kind != "/" and _WORD_AFTER.match(text, more_end):
                    break
                piece = _piece(last.year, last.month, int(bare))
            if piece is None or _ordinal(piece) <= _ordinal(last):
                break
            if kind in RANGE_SEPARATORS and spans[-1].end is None:
                spans[-1].end = piece
            elif kind in RANGE_SEPARATORS:
                break
            else:
                spans.append(Span(piece))
            last = piece
            end = more_end
        found.spans.extend(spans)
        found.consumed.append((match.start(), end))
        at = end


_WORD_AFTER = re.compile(r"\s*+[^\W\d_]")


def _ordinal(piece: Piece) -> tuple[int, int, int]:
    return (piece.year or 0, piece.month, piece.day)


# A slash number that counts rather than dates: ``1/2 of the course``, ``1/3 de la formation``,
# ``Lesson 4/5``, ``Part 2/3``. Either "of" follows it (of, de, do, von, di), with no number
# after ("1/2 de 2020" is a date, and so is ``12/03 de 20h à 22h``, ``12/03 von 10 bis 12``:
# the same words say "from" a time), or a word naming what is counted comes right before it.
# Those words are English only: dateparser's locale data has none, and a hand list per language
# would be a guess.
_FRACTION_OF = re.compile(r"\s++(?:of|de|do|von|di)\b(?!\s*+\d)", re.IGNORECASE)
_COUNTED = (
    "lesson", "chapter", "part", "module", "exercise", "video", "episode", "step", "page",
    "task", "kata", "problem", "level", "unit",
)  # fmt: skip
_COUNTING_WORDS = frozenset(form for word in _COUNTED for form in (word, f"{word}s"))
_BEFORE_COUNT = " \t#:"
"""What may stand between a counting word and its number: ``Lesson #4/5``, ``Part: 2/3``."""


def _fraction(text: str, match: re.Match[str]) -> bool:
    """Whether a slash number ``N/M`` (no year, no range) is a fraction or a count, not a date.

    `text` is as written, clock times not yet cut: ``12/03 de 9h30`` is a date from 9:30.
    """
    written = match.group("a")
    if match.group("b") or match.group("y") or written.count("/") != 1 or "." in written:
        return False
    if _FRACTION_OF.match(text, match.end()):
        return True
    end = len(text[: match.start()].rstrip(_BEFORE_COUNT))
    begin = end
    while begin > 0 and text[begin - 1].isalpha():
        begin -= 1
    return text[begin:end].casefold() in _COUNTING_WORDS


_UNREADABLE = Span(Piece(None, 1, 1))
"""What `_numeric_span` returns for a date in an impossible year (a marker, compared by id)."""


def _numeric_span(match: re.Match[str]) -> Span | NumericSpan | None:
    """Turn `12-19/7/22`, `31/1-2/2 2022`, `2019/6/21` or `23/01/2022` into a span."""
    a, b, trailing_year = match.group("a"), match.group("b"), match.group("y")
    if "/" not in a + (b or "") and a.count(".") != 2:
        return None  # "3.11" or "1.5" is a version or a number; a dotted date has 3 parts
    written = re.split(r"[/.]", a)
    first = [int(part) for part in written]
    if len(first) == 3 and len(written[0]) == 4:  # 2019/6/21: year first (0001/1/1: the year 1)
        read = _piece(first[0], first[1], first[2])
        return Span(read) if read is not None else _UNREADABLE
    written_end = re.split(r"[/.]", b) if b else []
    second = [int(part) for part in written_end]
    year = _year(trailing_year) if trailing_year else None
    end: Numeric | None = None
    if second:
        if len(second) == 1:
            second = [second[0], first[1]] if len(first) >= 2 else []
            if not second:
                return None
        end_year = _year(written_end[2]) if len(second) == 3 else year
        end = Numeric(second[0], second[1], end_year, b or "")
        if len(first) == 1:  # 12-19/7/22: the start borrows the end's month and year
            first = [first[0], second[1]]
        start_year = _year(written[2]) if len(first) == 3 else end_year
        start = Numeric(first[0], first[1], start_year, a)
        return NumericSpan(start, end)
    if len(first) < 2:
        return None
    start_year = _year(written[2]) if len(first) == 3 else year
    return NumericSpan(Numeric(first[0], first[1], start_year, a))


@dataclass(slots=True)
class _Item:
    """A month-name date being read: its month word, day, year and how it joins the one before."""

    month: MonthWord
    day: int
    year: int | None
    ranged: bool
    guessed: str = ""
    """The misspelt word the month was read from (``Auguts``), if it was."""


_Token = tuple[str, object, int, int]


def _tokens(text: str, seen: set[str]) -> Iterator[_Token]:
    """Yield a date text's tokens, each word looked up, as the reader asks for them.

    A language is `seen` when one of its full month or weekday names is in the text: that
    vouches for its abbreviations (``15 set`` next to ``quinta-feira`` is September the 15th).
    Tokens are classified lazily: the reader stops at the prose after a date. What the reader
    skips (spaces, dots, connectors, time zones) is not yielded.
    """
    matches = list(PHRASE_TOKEN.finditer(text))
    skip_to = 0
    for index, match in enumerate(matches):
        if index < skip_to:
            continue
        kind = match.lastgroup or "other"
        if kind == "skip":
            continue  # spaces and dots between the parts: the reader has nothing to do with them
        value: object = match.group(0)
        if kind == "word":
            kind, value = _word_token(matches, index, seen)
            if isinstance(value, MonthWord) and value.languages == _VI:
                skip_to = index + 3  # "tháng 3": its number is the month's, not a day
            elif kind == "skip":
                continue  # a connector ("de", "of") or a time zone
        yield kind, value, match.start(), match.end()


_VI = frozenset({"vi"})


def _fold(word: str) -> str:
    """Fold a word of an NFKC-normalised text: casefolding alone for ASCII, the fast case."""
    return word.casefold() if word.isascii() else fold(word)


def _word_token(matches: list[re.Match[str]], index: int, seen: set[str]) -> tuple[str, object]:
    """Classify a word token: month, weekday, connector, range or list word, or other."""
    word = _fold(matches[index].group(0))
    month = MONTH_WORDS.get(word)
    if month is not None:
        if not month.abbreviation:
            seen |= month.languages
        return "month", month
    if word in VI_MONTH_WORDS and (vi_month := _vi_month(matches, index)) is not None:
        return "month", vi_month
    weekday = weekday_word(word)
    if weekday is not None:
        seen |= WEEKDAY_LANGUAGES.get(word, frozenset())
        return "weekday", weekday
    if word in DATE_CONNECTORS or word in TIME_ZONES:
        return "skip", word
    if word in DATE_RANGE_WORDS:
        return "range", word
    if word in DATE_LIST_WORDS:
        return "list", word
    if _date_position(matches, index) and (guess := guess_month(word, seen)) is not None:
        return "guess", guess
    return "other", word


def _vi_month(matches: list[re.Match[str]], index: int) -> MonthWord | None:
    """``tháng 3``: Vietnamese names a month by its number, the token after the word."""
    number = matches[index + 2] if index + 2 < len(matches) else None
    if (
        number is None
        or matches[index + 1].lastgroup != "skip"
        or number.lastgroup != "num"
        or not 1 <= int(number.group(0)) <= 12
    ):
        return None
    return MonthWord(int(number.group(0)), False, _VI)


def _date_position(matches: list[re.Match[str]], index: int) -> bool:
    """Whether a word sits where a month would: a day number right before or after it."""
    for step in (-1, 1):
        at = index + step
        if 0 <= at < len(matches) and matches[at].lastgroup == "skip":
            at += step
        if 0 <= at < len(matches) and matches[at].lastgroup == "num":
            return True
    return False


def _languages_seen(text: str, seen: set[str]) -> None:
    """Add the languages whose full month or weekday names are anywhere in `text`."""
    for match in WORD.finditer(text):
        word = _fold(match.group(0))
        month = MONTH_WORDS.get(word)
        if month is not None and not month.abbreviation:
            seen |= month.languages
        seen |= WEEKDAY_LANGUAGES.get(word, frozenset())


def _month_phrase(text: str) -> Found:
    """Read month-name dates: lists, ranges, day-before-month, a year closing the phrase."""
    found = Found()
    items: list[_Item] = []
    pending: list[tuple[int, bool]] = []  # day numbers written before their month ("24 Nov")
    month: MonthWord | None = None
    joined_by_range = False
    year_closed = False
    begin: int | None = None
    last_end = 0
    guess = ""
    seen: set[str] = set()
    for kind, value, start, end in _tokens(text, seen):
        if isinstance(value, MonthWord):
            begin = start if begin is None else begin
            month = value
            guess = text[start:end] if kind == "guess" else ""
            items.extend(_Item(month, number, None, ranged, guess) for number, ranged in pending)
            pending.clear()
            year_closed = False
            last_end = end
        elif kind == "num":
            number = int(str(value).rstrip(".stndrhSTNDRHeE"))
            if month is not None and not year_closed:
                items.append(_Item(month, number, None, joined_by_range and bool(items), guess))
                last_end = end
            elif items and year_closed:
                pending = [(number, False)]
            else:
                begin = start if begin is None else begin
                pending.append((number, joined_by_range and bool(pending)))
            joined_by_range = False
        elif kind == "year":
            if not items:
                pending.clear()
                continue
            for item in items:
                if item.year is None:
                    item.year = int(str(value))
            year_closed = True
            last_end = end
        elif kind == "weekday" and isinstance(value, int):
            found.weekdays.append(value)
        elif kind == "range":
            joined_by_range = True
        elif kind == "list":
            joined_by_range = False
        elif kind == "other":
            if items:
                break
            pending.clear()
            begin = None
            month = None  # "May the 4th": a month word, then prose, is not a date
    if any(item.month.abbreviation and item.year is None for item in items):
        _languages_seen(text, seen)  # the words after the date may vouch for its language too
    for item in items:
        if item.month.abbreviation and item.year is None and not item.month.languages & seen:
            continue  # "set 3" (pt: September 3) with nothing vouching for Portuguese
        if item.guessed and item.year is None:
            continue  # "3 Junior devs": a misspelling is read only in a whole date, with a year
        if item.guessed and item.guessed not in found.guessed:
            found.guessed.append(item.guessed)
        piece = _piece(item.year, item.month.month, item.day)
        if piece is None:
            found.unreadable = found.unreadable or (
                item.year is not None and item.year not in YEARS
            )
            _impossible(found, item.year, item.month.month, item.day)
            continue
        if item.ranged and found.spans and found.spans[-1].end is None:
            found.spans[-1].end = piece
        else:
            found.spans.append(Span(piece))
    if (found.spans or found.unreadable) and begin is not None:
        found.consumed.append((begin, last_end))
    return found


# ------------------------------------------------------------------------------------------
# Day-first or month-first, once per file
# ------------------------------------------------------------------------------------------


def decide_dayfirst(numeric: Iterable[Numeric]) -> tuple[bool, bool]:
    """Decide once per file whether NN/NN is day-first; return (dayfirst, it was ambiguous)."""
    pieces = list(numeric)
    if not pieces:
        return True, False
    day_first_only = sum(piece.first > 12 >= piece.second for piece in pieces)
    month_first_only = sum(piece.second > 12 >= piece.first for piece in pieces)
    if day_first_only != month_first_only:
        return day_first_only > month_first_only, False

    def backwards(dayfirst: bool) -> int:
        ordinals = []
        for piece in pieces:
            day, month = (piece.first, piece.second) if dayfirst else (piece.second, piece.first)
            ordinals.append(((piece.year or 0) % 100, month, day))
        return sum(later < earlier for earlier, later in pairwise(ordinals))

    forward, backward = backwards(True), backwards(False)
    if forward != backward:
        return forward < backward, True
    return True, True


def resolve_numeric(piece: Numeric, dayfirst: bool) -> Piece | None:
    """Return a numeric date read day-first or month-first, or None if it is no date."""
    day, month = (piece.first, piece.second) if dayfirst else (piece.second, piece.first)
    if not 1 <= month <= 12:
        return None
    return _piece(piece.year, month, day)


# ------------------------------------------------------------------------------------------
# A line that is only a date
# ------------------------------------------------------------------------------------------

_DATE_LINE_LIMIT = 3
"""How many leftover words a line may have and still be "a date line" (weekday, "at", ...)."""


def is_date_only(text: str, *, strict: bool = False) -> Found | None:
    """Return the dates of a heading or line that says nothing but a date (and a weekday).

    A heading may have a few words more ("## Monday, July 20, 2020 (break)"); a `strict` line
    under a heading may only add a time ("09-07-2018 , 23:37"), or it would be the entry's text.
    Six digits alone (``220704``) are a date only after a day token, never a date-only line.
    """
    found = find_dates(text)
    if not found or (found.short and len(found.spans) == 1 and not found.numeric):
        return None
    # Cut the dates out in one pass (one slice per date, not one copy of the text per date).
    kept: list[str] = []
    cut = 0
    for begin, end in sorted(found.consumed):
        kept.append(text[cut : max(cut, begin)])
        cut = max(cut, end)
    kept.append(text[cut:])
    rest = " ".join(kept)
    rest = TIME_RANGE.sub(" ", rest)
    rest = CLOCK_TIME.sub(" ", rest)
    words = [
        word
        for word in (_fold(match.group(0)) for match in WORD.finditer(rest))
        if len(word) >= 2 and weekday_word(word) is None and word not in TIME_ZONES
    ]
    if strict:
        words = [word for word in words if word not in TIME_WORDS]
        return found if not words else None
    return found if len(words) <= _DATE_LINE_LIMIT else None


# ------------------------------------------------------------------------------------------
# Writing a date
# ------------------------------------------------------------------------------------------


def long_date(day: date) -> str:
    """Return a day as a log writes it: 'March 2, 2026'."""
    return f"{day:%B} {day.day}, {day.year}"

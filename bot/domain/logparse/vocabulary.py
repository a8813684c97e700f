"""The words and patterns a log is read with: day, month and weekday words, dates, times.

Month, weekday and day words come from dateparser's locale data for the languages logs are kept
in (module `locales`), as dicts a word is looked up in; the shapes of numeric, compact and CJK
dates, day tokens, a line's and a table cell's start, times and the header's round, start and
year sit here too, so the modules that use them (`dates`, `years`, `headings`, `lines`,
`tables`, `entries`) hold rules rather than words. The words of an entry's body (metadata
lines, template labels, days without progress in 14 languages) are in `phrases`. A pattern
with adjacent or nested repeats over the same characters uses possessive repeats, which match
the same lines without backtracking: reading stays linear on hostile input (docs/performance.md,
"Hostile logs").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from bot.domain.logparse.locales import LOCALES

# ------------------------------------------------------------------------------------------
# Month, weekday and day words, in every language of `locales`
# ------------------------------------------------------------------------------------------
#
# The words come from dateparser's locale data (module `locales`), folded as `fold` does; the
# date grammar (module `dates`) splits a text into words and looks each one up here, so the
# cost of a word is one dict lookup however many languages there are. Which words are safe:
#
# - Month names: every language's full names (``maio``, ``Februar``, ``März``, ``avril``,
#   ``Ocak``). An abbreviation (a word that is a prefix of a longer name of the same month, or
#   shorter than 4 letters where the language has a longer name: ``set``, ``abr``, ``mrz``) is
#   a month only in English (``Mar 3``, ``Sept 5``) or, in another language, only where the
#   date text vouches for it (`MonthWord.abbreviation`): ``set`` is Portuguese for September
#   and an English verb (``Day 5: set up Docker``), ``mar`` is Spanish for Tuesday.
# - Weekday names: every language's full names (``Miércoles``, ``Martedì``); abbreviations
#   only in English (``Thu``): ``mi``, ``do``, ``min`` and ``sen`` are words in other languages.
# - Day words (what ``Day`` is in ``Day 12``): every language's, except 1- and 2-letter ones
#   (``d``, ``j``, ``g``, ``h``, ``hr``, ``dn``: a letter before a number is an id or a unit),
#   words that are also month or weekday words, and `_NOT_DAY_WORDS`. ``Tag`` (German) is an
#   English word too, but ``Tag 1`` opening a heading or a line is a day; the CJK day words
#   (日, 天, 일) sit inside the number's own shape (``0日目``, ``第12天``, ``12일차``) and are read
#   by `CJK_DAY_TOKEN`, not as words.

_NOT_DAY_WORDS = frozenset({"buổi"})
"""Day words of the data that are ordinary words: Vietnamese ``buổi`` is "session, part of a
day" (``buổi sáng``, the morning)."""
_MIN_DAY_WORD = 3


@dataclass(frozen=True, slots=True)
class MonthWord:
    """A month word: its month (1-12), whether it is an abbreviation, and its languages."""

    month: int
    abbreviation: bool
    languages: frozenset[str]


def _is_abbreviation(word: str, others: Iterable[str]) -> bool:
    """Whether a month word is an abbreviation of a longer word the language has for it."""
    longer = [other for other in others if len(other) > len(word) and other.isalpha()]
    return any(other.startswith(word) for other in longer) or (len(word) < 4 and bool(longer))


def _month_words() -> dict[str, MonthWord]:
    words: dict[str, MonthWord] = {}
    for locale in LOCALES:
        by_month: dict[int, list[str]] = {}
        for word, month in locale.months.items():
            by_month.setdefault(month, []).append(word)
        for word, month in locale.months.items():
            if not word.isalpha() or len(word) < _MIN_DAY_WORD:
                continue  # "1月", "tháng 1" are read by their shape; "ma", "oc" are too short
            # A three-letter name outside English is read as carefully as an abbreviation:
            # such a word is often a word elsewhere ("mai" is Vietnamese for tomorrow, "mac").
            abbreviation = locale.code != "en" and (
                len(word) < 4 or _is_abbreviation(word, by_month[month])
            )
            known = words.get(word)
            if known is None:
                words[word] = MonthWord(month, abbreviation, frozenset({locale.code}))
            elif known.month == month:  # the languages agree on every shared word (tested)
                words[word] = MonthWord(
                    month, known.abbreviation and abbreviation, known.languages | {locale.code}
                )
    return words


MONTH_WORDS: Mapping[str, MonthWord] = _month_words()
"""Every month word of `locales.LANGUAGES`, folded: ``janeiro``, ``märz``, ``sept``, ``maggio``."""


def _weekday_words() -> tuple[dict[str, int], dict[str, frozenset[str]]]:
    words: dict[str, int] = {}
    languages: dict[str, set[str]] = {}
    for locale in LOCALES:
        by_day: dict[int, list[str]] = {}
        for word, day in locale.weekdays.items():
            by_day.setdefault(day, []).append(word)
        for word, day in locale.weekdays.items():
            if not word.isalpha() or len(word) < _MIN_DAY_WORD or word in MONTH_WORDS:
                continue
            if locale.code != "en" and _is_abbreviation(word, by_day[day]):
                continue
            if words.setdefault(word, day) == day:
                languages.setdefault(word, set()).add(locale.code)
    # English's own short forms the data lacks ("Thur", "Thurs" are in it; "Weds" is not).
    words.setdefault("weds", 2)
    languages.setdefault("weds", {"en"})
    return words, {word: frozenset(codes) for word, codes in languages.items()}


WEEKDAY_WORDS, WEEKDAY_LANGUAGES = _weekday_words()
"""Weekday words (Monday = 0) and their languages: full names in every language, and English
abbreviations (``Thu``). ``mar`` is a month (English first), never Spanish Tuesday."""


def _day_words() -> tuple[str, ...]:
    words = {
        word
        for locale in LOCALES
        for word in locale.day_words
        if word.isalpha()
        and len(word) >= _MIN_DAY_WORD
        and word not in MONTH_WORDS
        and word not in WEEKDAY_WORDS
        and word not in _NOT_DAY_WORDS
        and all(letter < "\u3000" for letter in word)  # CJK: read by CJK_DAY_TOKEN
    }
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


DAY_WORDS = _day_words()
"""The words a day token starts with, longest first: ``days``, ``día``, ``jour``, ``gün``."""
_DAY_WORD = "|".join(re.escape(word) for word in DAY_WORDS)

MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
"""The English month words, for the cheap look at a line's start (`LINE_HEAD`)."""

# Words a date phrase joins its parts with (``18 de maio de 2022``, ``the 3rd of May``, ``am
# 20. Februar``), that make a range (``3 au 5 mai``, ``del 3 al 5``) or a list (``3 y 4``).
DATE_CONNECTORS = frozenset(
    {"de", "del", "of", "le", "la", "el", "il", "der", "den", "am", "du", "năm", "ngày",
     "feira", "\u0433", "\u0433\u043e\u0434\u0430"}
)  # fmt: skip
DATE_RANGE_WORDS = frozenset(
    {"to", "through", "thru", "till", "until", "bis", "au", "al", "a", "hasta", "até", "ate"}
)
DATE_LIST_WORDS = frozenset({"and", "y", "e", "et", "und", "ve", "dan", "và", "и", "i", "en"})
VI_MONTH_WORDS = frozenset({"tháng", "thg"})
"""Vietnamese names a month by its number: ``tháng 3`` is March."""
TIME_ZONES = frozenset(
    {"utc", "gmt", "z", "edt", "est", "cdt", "cst", "mdt", "mst", "pdt", "pst", "akst", "akdt",
     "hst", "bst", "cet", "cest", "eet", "eest", "wet", "west", "msk", "ist", "jst", "kst",
     "hkt", "sgt", "aest", "aedt", "acst", "awst", "nzst", "nzdt", "wib", "wita", "ict", "pht",
     "brt", "art", "clt", "am", "pm"}
)  # fmt: skip
"""Time zones and halves of the day: never part of a date (``Thu Jul 26 21:36:50 EDT 2018``)."""
WORD = re.compile(r"[^\W\d_]++")


_MIN_GUESSED = 5
"""The shortest month name a misspelling is read for: shorter names are a letter from words."""


def _deletions(word: str) -> set[str]:
    return {word[:at] + word[at + 1 :] for at in range(len(word))}


def _misspellings() -> dict[str, set[int]]:
    """Each full month name of 5+ letters, and its one-letter deletions, to the months they name.

    A word within one edit of a name shares a key with it (symmetric deletion): the lookup costs
    a dict probe per letter of the word, not a comparison with every name of every language.
    """
    keys: dict[str, set[int]] = {}
    for word, month in MONTH_WORDS.items():
        if not month.abbreviation and len(word) >= _MIN_GUESSED:
            for key in {word} | _deletions(word):
                keys.setdefault(key, set()).add(month.month)
    return keys


_MISSPELT = _misspellings()
_ALL_LANGUAGES = frozenset(locale.code for locale in LOCALES)
_MAX_GUESSED = max(len(word) for word in MONTH_WORDS) + 1


def _one_edit(word: str, name: str) -> bool:
    """Whether `word` is `name` with one letter dropped, added, changed or two swapped."""
    if word == name or abs(len(word) - len(name)) > 1:
        return False
    if len(word) == len(name):
        differ = [at for at in range(len(word)) if word[at] != name[at]]
        return len(differ) == 1 or (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and word[differ[0]] == name[differ[1]]
            and word[differ[1]] == name[differ[0]]
        )
    short, long = sorted((word, name), key=len)
    return any(long[:at] + long[at + 1 :] == short for at in range(len(long)))


def guess_month(word: str, seen: Iterable[str] = ()) -> MonthWord | None:
    """Return the month a (folded) word of 5+ letters misspells by one edit, if only one.

    ``Auguts`` is August (two letters swapped); a word within one edit of two months'
    names, or of none, is no month. The caller reads it only where a month would stand.
    Only English names and those of the languages `seen` in the text are guessed: names of
    16 languages are one edit from many words (``junior`` from ``junio``, ``Mario`` from
    ``marzo``, ``market`` from ``maret``), which would date ``Day 2 - Mario 12, 2020``.
    """
    languages = {"en", *seen}
    if not _MIN_GUESSED <= len(word) <= _MAX_GUESSED or word in MONTH_WORDS:
        return None  # the bound keeps a hostile 1,000-letter word from costing a million
    months: set[int] = set()
    for key in {word} | _deletions(word):
        months |= _MISSPELT.get(key, set())
    if not months:
        return None
    names = [
        name
        for name, month in MONTH_WORDS.items()
        if month.month in months
        and not month.abbreviation
        and month.languages & languages
        and _one_edit(word, name)
    ]
    found = {MONTH_WORDS[name].month for name in names}
    if len(found) != 1:
        return None
    return MonthWord(found.pop(), False, frozenset())


def weekday_word(word: str) -> int | None:
    """Return the weekday (Monday = 0) a (folded) word names, if it names one."""
    return WEEKDAY_WORDS.get(word)


# ------------------------------------------------------------------------------------------
# Dates as written
# ------------------------------------------------------------------------------------------

PHRASE_TOKEN = re.compile(
    r"(?P<year>\b\d{4}\b)"
    r"|(?P<num>\b\d{1,2}(?:st|nd|rd|th|er)?\b)"
    r"|(?P<range>->|[-\u2013\u2014~\u2192])"
    r"|(?P<list>[,&])"
    r"|(?P<skip>[.:;()\[\]\s]++)"
    r"|(?P<word>[^\W\d_]++)"
    r"|(?P<other>\w++|\S)",
    re.IGNORECASE,
)
"""A date text's tokens; a word is looked up (`month_word`, `weekday_word`, the connectors)."""
# Clock times (``21:36:50``, ``20:30``, ``21h30``, ``1.00 PM``, ``9am``): cut before dates are read.
CLOCK = re.compile(
    r"(?<![\d.:/-])\d{1,2}(?::\d{2}){1,2}+(?:\s*+[ap]\.?m\b\.?)?(?![\d:])"
    r"|(?<![\w.:/-])\d{1,2}h\d{2}(?!\d)"
    r"|(?<![\d.:/-])\d{1,2}\.\d{2}\s*+[ap]\.?m\b\.?"
    r"|(?<![\w.:/-])\d{1,2}\s*+[ap]\.?m\b\.?",
    re.IGNORECASE,
)
# Compact dates, nothing between the parts: 15MAY2020 and 2019June03 (a word, looked up),
# 20200802 (YYYYMMDD) and 220704 (YYMMDD, read only where a day token's date starts).
COMPACT_WORD = re.compile(
    r"(?<!\w)(?:(?P<d>\d{1,2})(?P<m>[^\W\d_]{3,10}+)(?P<y>(?:19|20)\d{2})"
    r"|(?P<y2>(?:19|20)\d{2})(?P<m2>[^\W\d_]{3,10}+)(?P<d2>\d{1,2}))(?!\w)"
)
COMPACT_DIGITS = re.compile(r"(?<![\w./-])((?:19|20)\d{2})(\d{2})(\d{2})(?![\w./-])")
COMPACT_SHORT = re.compile(r"^[^\w]{0,8}+(\d{2})(\d{2})(\d{2})(?![\w./-])")
# ``2022年11月24日``, ``2022년 11월 24일``, ``11月24日``: year, month and day by their marks.
CJK_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*+[年년]\s*+)?(?P<m>\d{1,2})\s*+[月월]\s*+(?P<d>\d{1,2})\s*+[日일号號]?"
)
# Numeric dates: ISO year first (2018-10-07, 2020/06/30, 2021.01.03) with what follows it in a
# list or range (``/08/09``, `` -> 17``, `` -> 2020/07/10``), and day- or month-first ones.
ISO_DATE = re.compile(r"(?<![\w/.-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
ISO_MORE = re.compile(
    r"\s*+(?P<sep>->|\u2192|[-\u2013~/&,]|to\b|and\b)\s*+"
    r"(?:(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})|(?P<m2>\d{1,2})(?P<s2>[-/.])(?P<d2>\d{1,2})|(?P<d3>\d{1,2}))"
    r"(?!\d)",
    re.IGNORECASE,
)
RANGE_SEPARATORS = frozenset({"-", "\u2013", "~", "->", "\u2192", "to"})
DASHED = re.compile(r"(?<![\w/.-])(\d{1,2}-\d{1,2}-\d{4})(?![\w/-])")
SLASHED = re.compile(
    r"(?<![\w/.])(?P<a>\d{1,4}(?:[/.]\d{1,2})?(?:[/.]\d{1,4})?)"
    r"(?:\s*+(?:->|[-\u2013~\u2192]|to\b)\s*+(?P<b>\d{1,2}(?:[/.]\d{1,2})?(?:[/.]\d{1,4})?))?"
    r"(?:\s++(?P<y>\d{4}))?(?![\w/])"
)

# ------------------------------------------------------------------------------------------
# Day words: what starts an entry
# ------------------------------------------------------------------------------------------

# "Day 4", "Days 14-15", "Day 66,67,68", "R4D86-93", "R1D1&D2", "Day1", "R8D1-D", "Dia 21",
# "JOUR 1", "Tag 1", "R1D23/24/25", "R2D37 -> 48", "Day 27/100" (day 27 of 100).
# What may stand between a day word and its number: ``Day #3``, ``Day - 3``, and the ordinal
# markers ``Hari ke-4`` (id/ms "the 4th day"), ``Día nº 3``, ``Jour n° 3``, ``Tag Nr. 3``.
_ORDINAL = r"(?:[-#]|(?:ke|n[º°o]|nr)(?:\.|\s*+-)?+)"
DAY_TOKEN = re.compile(
    rf"(?:(?<![A-Za-z])R(?P<round>\d{{1,2}})\s*+D|\b(?:{_DAY_WORD})\b\s*+(?:{_ORDINAL}\s*+)?"
    rf"|\b(?:{_DAY_WORD})(?=\d))"
    r"\s*+(?P<first>\d{1,6})(?!\d|\.\d)"
    r"(?P<more>(?:\s*+(?:->|-|\u2013|\u2192|&|,|\bto\b|\band\b)\s*+(?:D(?:ay)?\s*+)?"
    r"\d{1,3}(?!\w|[./]\d)|/\d{1,3}(?!\w|\.\d))*+)",
    re.IGNORECASE,
)
MORE_DAY = re.compile(r"(->|-|\u2013|\u2192|&|,|/|to|and)\s*+(?:D(?:ay)?\s*+)?(\d{1,3})", re.I)
# "0日目" (ja), "第12天" (zh), "12일차" (ko): the day word is part of the number's shape.
CJK_DAY_TOKEN = re.compile(
    r"(?<!\d)(?P<ja>\d{1,4})\s*+日目|第\s*+(?P<zh>\d{1,4})\s*+[天日]|(?<!\d)(?P<ko>\d{1,4})\s*+일\s*+[차째]"
)
MAX_DAY_ITEMS = 100
"""The most day numbers and ranges one heading's day token lists (``Day 1 & 2 & 3...``)."""
CHALLENGE_LENGTHS = frozenset({7, 10, 14, 21, 30, 31, 40, 50, 60, 66, 75, 90, 100, 180, 200, 365})
"""What ``N/M`` counts to when it says "day N of M" (``Day 99/100``), not days N and M."""
# A list item may be a task-list item (``- [X] 1월 13일 월요일``): its box is markup, not text.
_ITEM = r"[-*+]\s++(?:\[[ xX]\]\s++)?+"
LINE_START = re.compile(rf"^\s{{0,3}}(?:{_ITEM})?(?:\*\*|__)?")
UNCHECKED_ITEM = re.compile(r"^\s{0,3}[-*+]\s++\[ \]")
"""A task-list item left unchecked (``- [ ] 1월 30일 목``): among ticked days, a day not done."""
# What a line that starts an entry starts with, after LINE_START: a day token or a date (a
# digit or a month); a necessary condition, checked before the costly reading.
LINE_HEAD = re.compile(rf"\s{{0,3}}(?:{_ITEM})?(?:\*\*|__)?(?:\d|R\d|第|{_DAY_WORD}|{MONTH})", re.I)


DAY_COLUMN = re.compile(r"\bday\b|^#$|^no\.?$")
"""A table's first header cell (casefolded) when the column numbers the days."""
DAY_CELL = re.compile(r"(\d{1,6}+)[a-z]?+", re.IGNORECASE)
"""A table cell that numbers a day ("12", "03", "24e": a letter numbers a day's extra rows)."""


_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th|er)?\.?\s*+(?:(?:de|del|of)\s++)?([^\W\d_]++)", re.I)
_OWN_DAY = re.compile(r"\.?\s*+,?\s*+\d{1,2}(?![\d:])")
_DATE_AFTER = re.compile(r"[/.]\d")


def _month_follows(text: str, at: int) -> bool:
    """Whether the number ending at `at` is a date's day: a month word follows it.

    ``30 August, 2018``, ``3 de abril``, ``5 tháng 3``; not ``R2D1 September 28``, where the
    month has its own day after it.
    """
    match = _MONTH_AFTER.match(text, at)
    if match is None:
        return False
    word = match.group(1).casefold()
    if word in VI_MONTH_WORDS:
        return True
    # Any language's misspelt month here: guessing wrong only keeps "1 - 30" from being a range.
    is_month = word in MONTH_WORDS or guess_month(word, _ALL_LANGUAGES) is not None
    return is_month and _OWN_DAY.match(text, match.end()) is None


def day_token(text: str) -> tuple[tuple[int, ...], int | None, tuple[int, int]] | None:
    """Find a heading's day token: its day numbers, round and where it sits.

    The span ends after the last number the token used: ``Day 1 - 30 August, 2018`` is Day 1
    (a number a month word follows is a date's), and the date text keeps ``30 August, 2018``.
    """
    latin = _latin_day_token(text)
    cjk = None if text.isascii() else _cjk_day_token(text)  # ASCII has no 日目, 第, 일차
    found = [token for token in (latin, cjk) if token]
    return min(found, key=lambda token: token[2][0]) if found else None


def _cjk_day_token(text: str) -> tuple[tuple[int, ...], int | None, tuple[int, int]] | None:
    match = CJK_DAY_TOKEN.search(text)
    if match is None:
        return None
    number = next(group for group in match.groups() if group is not None)
    return (int(number),), None, match.span()


def _latin_day_token(text: str) -> tuple[tuple[int, ...], int | None, tuple[int, int]] | None:
    for match in DAY_TOKEN.finditer(text):
        read = _read_day_token(text, match)
        if read is not None:
            return read
    return None


def _read_day_token(
    text: str, match: re.Match[str]
) -> tuple[tuple[int, ...], int | None, tuple[int, int]] | None:
    """Read one DAY_TOKEN match; None when its number is a date's (``Día 3 de abril``)."""
    end = match.end("first")
    if _month_follows(text, end):
        return None
    days = [int(match.group("first"))]
    items = [
        (more.group(1).lower(), int(more.group(2)), match.start("more") + more.end())
        for _, more in zip(
            range(MAX_DAY_ITEMS + 1), MORE_DAY.finditer(match.group("more")), strict=False
        )
    ]
    slashes = 0
    while slashes < len(items) and items[slashes][0] == "/":
        slashes += 1
    if slashes:
        chain = [days[0]] + [value for _, value, _ in items[:slashes]]
        after = items[slashes - 1][2]
        consecutive = all(b == a + 1 for a, b in pairwise(chain))
        if _DATE_AFTER.match(text, after):
            return None  # 12/05/2020: a date, not days
        if (
            slashes == 1
            and chain[1] > chain[0]
            and (chain[1] in CHALLENGE_LENGTHS or not consecutive)
        ):
            end = after  # Day 27/100: day 27 of 100
            items = []  # nothing after "of 100" is one more day
        elif consecutive:
            days = chain  # R1D23/24/25: three days
            end = after
            items = items[slashes:]
        else:
            return None  # 3/7/9: a date's shape, not a list of days
    for separator, value, item_end in items[:MAX_DAY_ITEMS]:
        if value <= days[-1] or value - days[-1] > 100 or _month_follows(text, item_end):
            break
        if separator in {"-", "\u2013", "->", "\u2192", "to"}:
            days.extend(range(days[-1] + 1, value + 1))
        elif separator == "/":
            break
        else:
            days.append(value)
        end = item_end
    round_number = int(match.group("round")) if match.group("round") else None
    return tuple(days), round_number, (match.start(), end)


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
TIME_WORDS = frozenset({"at", "on", "h"}) | TIME_ZONES

# ------------------------------------------------------------------------------------------
# The header: round, start date, year
# ------------------------------------------------------------------------------------------

HEADER_ROUND = re.compile(r"\b(?:round|season)[\s_#-]*+(\d{1,2})\b", re.IGNORECASE)
HEADER_START = re.compile(r"\bstart(?:ed|s|ing)?(?:\s++date)?\s*+(?:(?:on|:)\s*+)?", re.IGNORECASE)
# "No digit before the year", checked after its first two digits (``(?<!\d\d\d)`` there): a
# pattern that starts with ``19|20`` lets the engine skip to a 1 or a 2, where one that starts
# with a lookbehind tries it at every character (every body line is scanned for years).
YEAR = re.compile(r"((?:19|20)(?<!\d\d\d)\d{2})(?!\d)")

# The words of an entry's body (metadata lines, template labels, days without progress in
# every language) are in module `phrases`.

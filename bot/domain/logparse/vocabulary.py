"""The words and patterns a log is read with: day, month and weekday words, dates, times.

Month, weekday and day words come from dateparser's locale data for the languages logs are kept
in (module `locales`), as dicts a word is looked up in; the English-only words ("Tags:", template
labels, "nothing done") and the shapes of numeric, compact and CJK dates, day tokens, times and
durations sit here too, so the modules that use them (`dates`, `structure`, `entries`) hold
rules rather than words. A pattern with adjacent or nested repeats over the same characters uses
possessive repeats, which match the same lines without backtracking: reading stays linear on
hostile input (docs/performance.md, "Hostile logs").
"""

from __future__ import annotations

import re
import unicodedata
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
_LEAD = r"(?:(?:well|so|today|sadly|unfortunately|technically|basically|honestly|just)\W++)?"
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
    rf"|(?:took|take|taking)\s++a\s++(?:short\s++|little\s++)?break\b{_PROGRESS_AFTER}"
    # The challenge itself stopped: "I failed the challenge this go-round" (chinhdo), "Putting
    # pause on round 4 of #100DaysOfCode" (madifz r4), "Pausing the challenge for a week".
    rf"|(?:i\s++)?failed\s++(?:the|this|my)\s++(?:#?\w++\s++)?challenge\b{_PROGRESS_AFTER}"
    r"|(?:putting|put|puts)\s++(?:a\s++)?(?:pause|hold)\s++on\s++(?:the\s++|my\s++|this\s++)?"
    r"(?:challenge|round|#?\d++\s*+days)\b"
    r"|(?:pausing|paused)\s++(?:the\s++|my\s++|this\s++)?(?:challenge|round|#?\d++\s*+days)\b)",
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
# The kallaway template (github.com/kallaway/100-days-of-code, log.md and its translations in
# intl/) heads its sample entries "Day 0: February 30, 2016 (Example 1)", translated: "Ejemplo",
# "Exemplo", "Exemple", "Beispiel", "Esempio", "Przykład", "Voorbeeld", "Örnek", "Contoh",
# "Пример", "示例", "例", "예시". A heading that says so is the template's, not a day.
# The template's sample entries link to placeholders: "www.example.com" and two 2016-era
# freeCodeCamp challenges, the same URLs in every translation. An entry whose every link is one of
# them is the template's sample left in (DanaCyb's intl/pl log, NiverMtz's intl/es log).
TEMPLATE_LINK = re.compile(
    r"^https?://(?:www\.)?+(?:example\.com(?:/|$)"
    r"|freecodecamp\.com/challenges/(?:find-the-longest-word-in-a-string|title-case-a-sentence)/?$)",
    re.IGNORECASE,
)
TEMPLATE_HEADING = re.compile(
    r"\b(?:example|ejemplo|exemplo|exemple|beispiel|esempio|przykład|voorbeeld|örnek|contoh"
    r"|пример)\b|\(\s*+(?:示例|例|예시)",
    re.IGNORECASE,
)

# ------------------------------------------------------------------------------------------
# Days without progress in other languages
# ------------------------------------------------------------------------------------------
#
# The English patterns above have their counterparts here as word lists, one per language a log
# is kept in: the same meanings (nothing done, no code today, a rest day, a day off, sick, took
# a break, missed the day, a holiday), written as a member writes them. No library offers such
# lists; each is small and stated here, and a phrase is matched word by word (a dict lookup per
# word, `entries._no_progress_in_words`), never by one alternation over all of them.
#
# - `opening`: said at the opening of the entry (after a "today" or an "unfortunately"), and
#   followed by the end of its clause (``Hoy no programé, estuve enfermo.``), a word for
#   "today" or one for "because". A phrase followed by more of its clause is a near miss that
#   keeps counting: ``Hoy no programé mucho, pero terminé el ejercicio``.
# - `whole`: a word that is a day off only when it is the whole entry (``Enfermo.``).
# - `but`: after one of these later in the first sentence, the day had something after all
#   (``Hoje me dei uma folga, mas ... escrevi poucas linhas de código``: vanribeiro, row 020).
# - `closing_after`: verb-final languages (ko, tr) may say the day off at the end of the first
#   sentence, after a reason; the word before the phrase ends so (``제주도 여행 마지막 날이라서
#   하루 쉽니다``: SaraHan774 l.56, "it is the last day of the trip, so I rest for a day").
# - `accents_optional`: members often type these languages without accents (``no programe``);
#   the phrases are then also looked up without them. Vietnamese is not: ``nghỉ`` is a rest and
#   ``nghĩ`` a thought.
#
# Japanese and Chinese write no spaces between words: `CJK_NO_PROGRESS` is matched on the
# opening of the first sentence as a string (``今天休息，没有写代码。``, ``今日は休みです。``).


@dataclass(frozen=True, slots=True)
class NoProgressWords:
    """One language's words for a day without progress (see the notes above)."""

    opening: tuple[str, ...]
    whole: tuple[str, ...] = ()
    today: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    but: tuple[str, ...] = ()
    because: tuple[str, ...] = ()
    closing_after: tuple[str, ...] = ()
    accents_optional: bool = True


NO_PROGRESS_WORDS: Mapping[str, NoProgressWords] = {
    "es": NoProgressWords(
        opening=(
            "no programé", "no codifiqué", "no codeé", "no estudié", "no hice nada",
            "nada hecho", "no avancé", "sin avances", "sin avance", "sin progreso", "sin código",
            "sin programar", "día de descanso", "descanso", "día libre", "me tomé el día libre",
            "me tomé el día", "me tomé un descanso", "tomé un descanso", "me tomé un respiro",
            "estuve enfermo", "estuve enferma", "estoy enfermo", "estoy enferma",
            "me salté el día", "perdí el día", "no pude programar", "no tuve tiempo", "descansé",
            "no he programado", "no he podido programar", "no he estudiado", "no he hecho nada",
            "no tuve tiempo de programar", "vacaciones", "de vacaciones", "día festivo",
            "feriado",
        ),
        whole=("enfermo", "enferma", "descanso", "vacaciones", "feriado", "festivo", "nada"),
        today=("hoy",),
        lead=("lamentablemente", "desafortunadamente", "bueno", "pues"),
        but=("pero", "aunque", "embargo"),
        because=("porque",),
    ),
    "pt": NoProgressWords(
        opening=(
            "não programei", "não codifiquei", "não codei", "não estudei", "não fiz nada",
            "nada feito", "sem progresso", "sem avanço", "sem avanços", "sem código",
            "dia de descanso", "descanso", "dia de folga", "folga", "tirei o dia de folga",
            "tirei o dia", "tirei uma folga", "me dei uma folga", "fiquei doente",
            "estou doente", "estava doente", "pulei o dia", "perdi o dia",
            "não consegui programar", "não tive tempo", "não deu para programar",
            "não deu pra programar", "descansei", "feriado", "férias", "de férias",
        ),
        whole=("doente", "descanso", "folga", "feriado", "férias", "nada"),
        today=("hoje",),
        lead=("infelizmente", "bom"),
        but=("mas", "porém", "contudo", "embora"),
        because=("porque", "pois"),
    ),
    "fr": NoProgressWords(
        opening=(
            "pas de code", "pas codé", "rien codé", "rien fait", "rien de fait",
            "je n ai rien fait", "j ai rien fait", "je n ai pas codé", "je n ai pas programmé",
            "pas programmé", "aucun progrès", "pas de progrès", "jour de repos",
            "journée de repos", "jour off", "journée off", "en pause", "j ai pris une pause",
            "j ai fait une pause", "malade", "j étais malade", "je suis malade", "jour férié",
            "férié", "vacances", "en vacances", "jour de congé", "congé", "j ai raté la journée",
            "j ai sauté la journée", "journée ratée", "pas eu le temps",
            "je n ai pas pu coder", "je n ai pas pu programmer",
        ),
        whole=("malade", "repos", "vacances", "congé", "férié", "rien"),
        today=("aujourd hui",),
        lead=("malheureusement", "bon", "bref"),
        but=("mais", "pourtant", "cependant"),
        because=("parce", "car"),
    ),
    "de": NoProgressWords(
        opening=(
            "nichts gemacht", "nichts geschafft", "nichts programmiert", "kein code",
            "keinen code", "nicht programmiert", "nicht gecodet", "nicht gecoded",
            "kein fortschritt", "keine fortschritte", "ruhetag", "pausentag", "pause gemacht",
            "pause eingelegt", "freier tag", "frei genommen", "tag frei", "krank",
            "ich war krank", "bin krank", "urlaub", "feiertag", "tag verpasst",
            "tag ausgelassen", "ausgesetzt", "ich habe nichts gemacht", "habe nichts gemacht",
            "hab nichts gemacht", "ich habe nicht programmiert", "keine zeit", "pause",
            "keine zeit zum programmieren", "keine zeit zum coden",
        ),
        whole=("krank", "urlaub", "frei", "feiertag", "ruhetag", "nichts"),
        today=("heute",),
        lead=("leider", "also"),
        but=("aber", "doch", "trotzdem", "jedoch"),
        because=("weil", "da"),
    ),
    "it": NoProgressWords(
        opening=(
            "niente codice", "nessun codice", "non ho programmato", "non ho codato",
            "non ho studiato", "non ho fatto niente", "non ho fatto nulla", "niente di fatto",
            "nessun progresso", "giorno di riposo", "giornata di riposo", "riposo",
            "giorno libero", "giornata libera", "pausa", "ho fatto una pausa",
            "mi sono preso una pausa", "mi sono presa una pausa", "ero malato", "ero malata",
            "sono malato", "sono malata", "malato", "malata", "in vacanza", "vacanza", "ferie",
            "giorno saltato", "ho saltato la giornata", "non ho avuto tempo",
        ),
        whole=("malato", "malata", "riposo", "ferie", "vacanza", "festa", "niente", "nulla"),
        today=("oggi",),
        lead=("purtroppo", "sfortunatamente"),
        but=("ma", "però", "tuttavia"),
        because=("perché", "poiché"),
    ),
    "id": NoProgressWords(
        opening=(
            "tidak ada kemajuan", "tidak ada progres", "tidak ada progress",
            "belum ada progres", "belum ada kemajuan", "tidak ngoding", "gak ngoding",
            "nggak ngoding", "ga ngoding", "tidak coding", "tidak belajar",
            "tidak mengerjakan apa apa", "tidak melakukan apa apa", "libur", "hari libur",
            "istirahat", "rehat", "sakit", "sedang sakit", "lagi sakit", "bolos", "skip dulu",
            "tidak sempat",
        ),
        whole=("libur", "istirahat", "sakit"),
        today=("hari ini",),
        lead=("sayangnya", "yah"),
        but=("tapi", "tetapi", "namun"),
        because=("karena", "karna"),
    ),
    "tr": NoProgressWords(
        opening=(
            "kod yazmadım", "kodlama yapmadım", "çalışmadım", "hiç çalışmadım",
            "hiçbir şey yapmadım", "bir şey yapmadım", "ilerleme yok", "ilerleme kaydedemedim",
            "dinlenme günü", "dinlendim", "mola verdim", "ara verdim", "hastaydım", "hastayım",
            "tatil", "tatildeyim", "izin günü", "günü kaçırdım", "vakit bulamadım",
            "zaman bulamadım",
        ),
        whole=("hasta", "tatil", "mola", "dinlenme"),
        today=("bugün",),
        lead=("maalesef", "malesef"),
        but=("ama", "fakat", "ancak"),
        because=("çünkü",),
        closing_after=("için", "dolayı", "yüzünden"),
    ),
    "nl": NoProgressWords(
        opening=(
            "niets gedaan", "niks gedaan", "geen code", "niet geprogrammeerd", "niet gecodeerd",
            "niet gecodet", "geen vooruitgang", "rustdag", "vrije dag", "vrij genomen",
            "dag vrij", "pauze", "pauze genomen", "ik was ziek", "ziek", "vakantie",
            "op vakantie", "feestdag", "dag overgeslagen", "geen tijd", "geen tijd gehad",
        ),
        whole=("ziek", "vakantie", "vrij", "rustdag", "niets", "niks"),
        today=("vandaag",),
        lead=("helaas",),
        but=("maar", "toch"),
        because=("omdat", "want"),
    ),
    "pl": NoProgressWords(
        opening=(
            "nic nie zrobiłem", "nic nie zrobiłam", "nic nie zrobione", "nic nie robiłem",
            "nic nie robiłam", "nie kodowałem", "nie kodowałam", "nie programowałem",
            "nie programowałam", "brak postępów", "brak postępu", "brak kodu", "bez kodu",
            "dzień odpoczynku", "dzień wolny", "wolny dzień", "wolne", "przerwa",
            "zrobiłem przerwę", "zrobiłam przerwę", "byłem chory", "byłam chora",
            "jestem chory", "jestem chora", "urlop", "święto", "wakacje", "opuściłem dzień",
            "opuściłam dzień", "pominąłem dzień", "pominęłam dzień", "nie miałem czasu",
            "nie miałam czasu",
        ),
        whole=("chory", "chora", "urlop", "wolne", "przerwa", "nic"),
        today=("dziś", "dzisiaj"),
        lead=("niestety",),
        but=("ale", "jednak", "lecz"),
        because=("bo", "ponieważ"),
    ),
    "vi": NoProgressWords(
        opening=(
            "không code", "không học", "không làm gì", "chưa làm gì", "không làm được gì",
            "không có tiến độ", "không có tiến triển", "nghỉ", "nghỉ ngơi", "ngày nghỉ",
            "nghỉ một hôm", "nghỉ một ngày", "nghỉ 1 ngày", "bị ốm", "ốm", "bị bệnh",
            "nghỉ lễ", "bỏ lỡ", "không có thời gian",
        ),
        whole=("nghỉ", "ốm", "nghỉ ngơi"),
        today=("hôm nay",),
        but=("nhưng", "tuy"),
        because=("vì", "do"),
        accents_optional=False,
    ),
    "ko": NoProgressWords(
        opening=(
            "하루 쉽니다", "하루 쉼", "하루 쉬었다", "하루 쉬었습니다", "하루 쉬어요", "쉽니다",
            "쉬었다", "쉬었습니다", "쉼", "휴식", "휴식일", "쉬는 날", "코딩 안 함", "코딩 안함",
            "코딩 안 했다", "코딩 못 함", "코딩 못함", "코딩 못 했다", "코딩을 안 했다",
            "코딩을 못 했다", "공부 안 함", "공부 못 함", "공부 못 했다", "공부를 못 했다",
            "아무것도 안 했다", "아무것도 못 했다", "아무것도 안 함", "아무것도 못 함",
            "진행 없음", "진도 없음", "휴가", "공휴일", "아파서 쉼",
        ),
        whole=("휴식", "휴가", "쉼", "아픔"),
        today=("오늘", "오늘은", "오늘도"),
        but=("하지만", "그래도", "그런데"),
        closing_after=("서", "때문에"),
        accents_optional=False,
    ),
}  # fmt: skip
"""Phrases for a day without progress, per language (words as written, accents included)."""


@dataclass(frozen=True, slots=True)
class CjkNoProgress:
    """Japanese and Chinese phrases for a day without progress, matched as strings."""

    phrases: tuple[str, ...]
    leads: tuple[str, ...]
    trailers: tuple[str, ...]
    but: tuple[str, ...]
    reasons: tuple[str, ...]


CJK_NO_PROGRESS = CjkNoProgress(
    phrases=tuple(
        sorted(
            {
                # ja
                "休み", "お休み", "休憩", "休息日", "休養日", "休養", "コードを書かなかった",
                "コードは書かなかった", "コーディングなし", "コーディングしなかった",
                "何もしなかった", "何もしてない", "何もしていない", "何もできなかった",
                "進捗なし", "進捗ゼロ", "体調不良", "風邪", "病気", "サボり", "サボった",
                "スキップ", "祝日", "休日", "作業なし",
                # zh
                "休息", "休息一天", "没有写代码", "没写代码", "没有编程", "没有学习", "没学习",
                "什么都没做", "啥也没干", "没有进展", "无进展", "没有进度", "请假", "生病",
                "病了", "放假", "假期", "跳过", "断更", "偷懒",
            },
            key=lambda phrase: (-len(phrase), phrase),
        )
    ),
    leads=("今日は", "今日も", "本日は", "今日", "本日", "今天", "今天也"),
    trailers=("でした", "です", "だった", "します", "しました", "中", "了", "一天"),
    but=("但是", "但", "可是", "不过", "でも", "けど", "しかし"),
    reasons=("ので", "ため", "から", "所以"),
)  # fmt: skip
"""The CJK phrases, longest first; leads ("today") and trailers ("です", "了") around them."""

NO_PROGRESS_TOKEN = re.compile(r"[^\W_]++")
"""A word of a no-progress phrase or of the text it is looked for in (``j'ai`` is two)."""


def without_accents(word: str) -> str:
    """Return a word without its accents: ``programé`` is ``programe``, ``férias`` ``ferias``."""
    parts = unicodedata.normalize("NFKD", word)
    return unicodedata.normalize("NFC", "".join(c for c in parts if not unicodedata.combining(c)))


def _phrase(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return tuple(match.group(0) for match in NO_PROGRESS_TOKEN.finditer(folded))


@dataclass(frozen=True, slots=True)
class NoProgressLookup:
    """`NO_PROGRESS_WORDS` of every language as dicts a text's words are looked up in."""

    by_first: Mapping[str, tuple[tuple[str, ...], ...]]
    """Opening phrases by their first word, longest first."""
    by_last: Mapping[str, tuple[tuple[str, ...], ...]]
    """Phrases of verb-final languages by their last word, longest first."""
    whole: frozenset[tuple[str, ...]]
    today: Mapping[str, tuple[tuple[str, ...], ...]]
    """Words for "today" (``hari ini``, ``aujourd hui``) by their first word."""
    lead: frozenset[str]
    languages: Mapping[tuple[str, ...], frozenset[str]]
    """The languages an opening phrase is written in (``pausa``: es, it, pl)."""
    but: Mapping[str, frozenset[str]]
    """A "but" word and the languages it is one in: ``ma`` is Italian, and Polish for "has"."""
    because: Mapping[str, frozenset[str]]
    """A "because" word and its languages: ``do`` is Vietnamese, and Portuguese for "of the"."""
    closing_after: tuple[str, ...]

    def is_but(self, word: str, languages: frozenset[str]) -> bool:
        """Whether `word` means "but" in one of `languages`."""
        return not self.but.get(word, frozenset()).isdisjoint(languages)

    def is_because(self, word: str, languages: frozenset[str]) -> bool:
        """Whether `word` means "because" in one of `languages`."""
        return not self.because.get(word, frozenset()).isdisjoint(languages)


def _lookup() -> NoProgressLookup:
    by_first: dict[str, set[tuple[str, ...]]] = {}
    by_last: dict[str, set[tuple[str, ...]]] = {}
    whole: set[tuple[str, ...]] = set()
    today: dict[str, set[tuple[str, ...]]] = {}
    lead: set[str] = set()
    languages: dict[tuple[str, ...], set[str]] = {}
    # A word's meaning is its language's: a "but" or "because" is looked up with the languages
    # of the phrase it follows, never across them.
    single: dict[str, dict[str, set[str]]] = {"but": {}, "because": {}}
    closing: set[str] = set()
    for language, words in NO_PROGRESS_WORDS.items():

        def forms(text: str, words: NoProgressWords = words) -> set[tuple[str, ...]]:
            phrase = _phrase(text)
            if not words.accents_optional:
                return {phrase}
            return {phrase, tuple(without_accents(word) for word in phrase)}

        for text in words.opening:
            for phrase in forms(text):
                by_first.setdefault(phrase[0], set()).add(phrase)
                languages.setdefault(phrase, set()).add(language)
                whole.add(phrase)
                if words.closing_after:
                    by_last.setdefault(phrase[-1], set()).add(phrase)
        for text in words.whole:
            whole |= forms(text)
        for text in words.today:
            for phrase in forms(text):
                today.setdefault(phrase[0], set()).add(phrase)
        lead |= {phrase[0] for text in words.lead for phrase in forms(text)}
        for name, texts in (("but", words.but), ("because", words.because)):
            for phrase in (phrase for text in texts for phrase in forms(text)):
                single[name].setdefault(phrase[0], set()).add(language)
        closing |= set(words.closing_after)

    def ordered(phrases: dict[str, set[tuple[str, ...]]]) -> dict[str, tuple[tuple[str, ...], ...]]:
        return {
            word: tuple(sorted(found, key=lambda phrase: (-len(phrase), phrase)))
            for word, found in phrases.items()
        }

    def frozen(table: dict[str, set[str]]) -> dict[str, frozenset[str]]:
        return {word: frozenset(found) for word, found in table.items()}

    return NoProgressLookup(
        by_first=ordered(by_first),
        by_last=ordered(by_last),
        whole=frozenset(whole),
        today=ordered(today),
        lead=frozenset(lead),
        languages={phrase: frozenset(found) for phrase, found in languages.items()},
        but=frozen(single["but"]),
        because=frozen(single["because"]),
        closing_after=tuple(sorted(closing)),
    )


NO_PROGRESS_LOOKUP = _lookup()
"""The no-progress phrases of every language, ready to look a text's words up in."""

"""Time an entry says was spent: durations anywhere in it, in the languages logs are kept in.

``Finished the lesson. 1h 30m``, ``Read the Adam paper, 45 min.``, ``- time it took: ~1.25
hours``, ``about 1 and a half hour``, ``half an hour``, ``environ une heure``, ``2 Stunden``,
``1 hora``, ``15 phút``, ``普通に1時間以上かかった``, ``30分で完成``. The hour and minute words
come from `locales` (dateparser's data for 16 languages); one-letter units (``h``, ``m``) count
only right after a number (``1h30``, ``45m``), a unit of three letters or fewer from another
language (``std``, ``ore``, ``jam``) only where another word of its language vouches for it
(``2 jam`` under ``Hari 3``, not ``2 jam jars``), and a few number words (``an``, ``one``,
``half``, ``une``, ``eine``) stand for numbers.

**What is time spent** (the rule, also in docs/import.md). A duration in an entry is time spent
that day (``a 45 min video`` counts: the time went into watching it), except:

- in a sentence that states a plan, a goal or a habit rather than a day's work: ``will``,
  ``going to``, ``tomorrow``, ``every``, ``daily``, ``goal``, ``target``, ``rule``, ``毎日``,
  ``目標``, ``ルール`` (``for 30 minutes every day``, ``in 2 hours I will``,
  ``ルール: 毎日 30 分 1 本勝負``);
- a point in time, not a span: ``2 hours ago``, ``vor 2 Stunden``, ``2時間前``;
- a rate on a one-day entry (``1 hour a day``); on a multi-day entry it is that much each day;
- inside a link, a link's text, inline code, a fenced code block or an HTML tag;
- a number without a unit (``Chapter 1.5``) and clock times (``13.00 PM``), which are not
  durations; time ranges (``23:45 - 0:45``) are read by `entries`, and two times of day written
  with a letter h (``de 9h à 11h``, ``14h30-16h``) are the span between them, not a sum.

A heading's durations and a labelled line (``Time spent: 2 hours``) are stated on purpose and are
read without the plan rule; when there are any, they are the entry's time and the rest of its
text is not added. Each line is read once, token by token (no backtracking), up to
`MAX_LINE` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from bot.domain.logparse.locales import LOCALES

MAX_LINE = 2000
"""How much of one line is read for durations: a line longer than that is not a day's note."""

_NOT_UNITS = frozenset({"時", "시", "chút", "lát", "nguyên bản"})
"""Words the locale data lists as hour or minute words that are not units of a span: a clock's
hour (``3時``, ``3시``) and Vietnamese "a moment"."""
_CJK_UNITS = {"時間": 60.0, "小時": 60.0, "小时": 60.0, "시간": 60.0}
_CJK_UNITS.update({"分間": 1.0, "分鐘": 1.0, "分钟": 1.0, "分": 1.0, "분": 1.0})


def _units() -> dict[str, float]:
    units: dict[str, float] = {}
    for locale in LOCALES:
        for words, minutes in ((locale.hour_words, 60.0), (locale.minute_words, 1.0)):
            for word in words:
                if len(word) > 1 and word not in _NOT_UNITS and word.isalpha():
                    units.setdefault(word, minutes)
    return units


_UNITS = _units()
"""Hour and minute words of two letters or more (``hours``, ``mins``, ``Stunden``, ``phút``)."""

_SHORT_UNIT = 3
"""A unit word this short from another language is often an English word or abbreviation."""


def _vouched_units() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Return the short foreign units and their languages, and the words that vouch for those.

    ``std`` (German Stunden) is "standard" in ``C++ 17 std library``, ``ore`` (Italian hours)
    and ``jam`` (Indonesian hours) are English nouns (``3 ore``, ``2 jam jars``), ``sa`` and
    ``dk`` (Turkish) are abbreviations elsewhere: such a unit is read only where another word of
    its language, from the same data (``Hari``, ``menit``, ``Stunden``, ``minuti``), vouches
    for it, as a month abbreviation is (module `vocabulary`).
    """
    en = LOCALES[0]  # English, `locales.LANGUAGES` first
    english_units = en.hour_words | en.minute_words
    english = english_units | en.day_words | en.months.keys() | en.weekdays.keys()
    short: dict[str, set[str]] = {}
    vouching: dict[str, set[str]] = {}
    for locale in LOCALES:
        for word in (*locale.hour_words, *locale.minute_words):
            foreign = word in _UNITS and word not in english_units
            if foreign and word.isascii() and len(word) <= _SHORT_UNIT:
                short.setdefault(word, set()).add(locale.code)
        words = (*locale.hour_words, *locale.minute_words, *locale.day_words)
        for word in (*words, *locale.months, *locale.weekdays):
            if word.isalpha() and len(word) > _SHORT_UNIT and word not in english:
                vouching.setdefault(word, set()).add(locale.code)
    return (
        {word: frozenset(codes) for word, codes in short.items()},
        {word: frozenset(codes) for word, codes in vouching.items()},
    )


_SHORT_UNITS, _VOUCHING = _vouched_units()
_LETTER_UNITS = {"h": 60.0, "H": 60.0, "m": 1.0}
"""One-letter units, read only right after a number (a capital M is a million)."""

_NUMBER_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0,
    "une": 1.0, "un": 1.0, "deux": 2.0, "eine": 1.0, "ein": 1.0, "einer": 1.0, "zwei": 2.0,
    "una": 1.0, "uno": 1.0, "uma": 1.0, "um": 1.0, "dos": 2.0, "duas": 2.0, "dois": 2.0,
}  # fmt: skip
_HALF = frozenset({"half", "halbe", "media", "meia", "mezza", "demi", "demie"})
_AND = frozenset({"and", "et", "und", "y", "e"})
_QUANTITY_WORDS = _NUMBER_WORDS.keys() | _HALF
"""The words a duration can start with; any other starts with a number."""

_PLAN_WORDS = frozenset({
    "will", "ll", "gonna", "tomorrow", "every", "everyday", "daily", "goal", "goals", "target",
    "targets", "rule", "rules", "wanna", "intend", "hope", "would", "yesterday",
    "hier", "gestern", "ayer", "ontem", "ieri",
    "vais", "objectif", "chaque", "quotidien", "quotidienne", "demain",
    "werde", "werden", "wird", "ziel", "täglich", "jeden",
    "voy", "vamos", "cada", "diario", "diariamente", "mañana", "meta", "objetivo", "vou", "amanhã",
    "ogni", "domani", "obiettivo", "sẽ", "mỗi",
})  # fmt: skip
"""Words of a sentence that states a plan, a goal, a habit or another day rather than the
day's work ("would", "yesterday", "last week")."""
_PLAN_PAIRS = frozenset({
    ("going", "to"), ("plan", "to"), ("planning", "to"), ("want", "to"), ("per", "day"),
    ("a", "day"), ("each", "day"), ("tous", "les"), ("par", "jour"), ("por", "día"),
    ("por", "dia"), ("todos", "los"), ("todo", "dia"), ("pro", "tag"), ("hàng", "ngày"),
    ("last", "week"), ("last", "night"), ("last", "time"), ("dernière", "fois"), ("hôm", "qua"),
})  # fmt: skip
_PLAN_CJK = (
    "毎日",
    "毎週",
    "目標",
    "予定",
    "ルール",
    "明日",
    "つもり",
    "每天",
    "目标",
    "计划",
    "明天",
    "매일",
    "목표",
)
_PER_DAY = frozenset({("per", "day"), ("a", "day"), ("each", "day"), ("/", "d"), ("/", "day")})
# Not a span of the day's work: a point in time ("2 hours ago", "stopped at 1hr", "vor 2
# Stunden", "2時間前"), a part named as such ("the last 10 minutes"), a limit ("in less than 5
# minutes", "within 15 minutes"), or sleep ("just 4 hours of sleep").
_AGO_AFTER = frozenset({"ago", "later", "fa", "atrás", "trước", "sleep", "nap"})
_AGO_CJK = ("前", "后", "後", "전")
_AGO_BEFORE = frozenset({"hace", "vor", "at", "within", "last", "first", "under"})
_LIMIT_BEFORE = ("less", "than")

_TOKEN = re.compile(
    r"(?P<num>\d{1,4}+(?:[.,]\d{1,2}+)?+)"
    r"|(?P<cjk>時間|小時|小时|시간|分間|分鐘|分钟|分|분)"
    r"|(?P<word>[^\W\d_]++)"
    r"|(?P<end>[.!?\u3002\uff01\uff1f])"
    r"|(?P<sign>[^\s\w])"
)
# What is never time spent in a line: links and their text, inline code, HTML tags.
_HIDDEN = re.compile(
    r"https?://\S++|`[^`\n]{0,500}+`|\[[^\[\]\n]{0,300}+\]|<[^<>\n]{0,300}+>", re.IGNORECASE
)
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
# A line can hold a duration only if it has a unit word or a unit right after a digit: checked
# first, at the regex engine's speed, so most lines are never tokenised.
_WORD = re.compile(r"[^\W\d_]++")
_UNIT_AFTER_DIGIT = re.compile(r"\d\s{0,3}+(?:[hHm](?![^\W\d_])|時間|小時|小时|시간|分|분)")


def _may_hold_a_duration(line: str) -> bool:
    return bool(_UNIT_AFTER_DIGIT.search(line)) or not _UNITS.keys().isdisjoint(
        _WORD.findall(line.casefold())
    )


class _Token(NamedTuple):
    # A named tuple, not a dataclass: a line of tokens is built for every line that may hold a
    # duration, and a frozen dataclass costs three times as much to build.
    kind: str
    text: str
    """Casefolded."""
    raw: str
    start: int
    end: int


def _tokens(line: str) -> list[_Token]:
    line = _HIDDEN.sub(" ", line[:MAX_LINE])
    folded = line.casefold()
    if len(folded) != len(line):  # casefolding changed the length ("ß" -> "ss"): word by word
        return [
            _Token(match.lastgroup or "sign", raw.casefold(), raw, match.start(), match.end())
            for match in _TOKEN.finditer(line)
            for raw in (match.group(),)
        ]
    return [
        _Token(match.lastgroup or "sign", folded[begin:end], line[begin:end], begin, end)
        for match in _TOKEN.finditer(line)
        for begin, end in (match.span(),)
    ]


def _languages(lines: Iterable[str]) -> frozenset[str]:
    """Return the languages `lines` have a vouching word of (`_VOUCHING`)."""
    seen: set[str] = set()
    for line in lines:
        for word in _WORD.findall(line[:MAX_LINE].casefold()):
            seen |= _VOUCHING.get(word, frozenset())
    return frozenset(seen)


_VULGAR = {"\u00bd": "5", "\u00bc": "25", "\u00be": "75"}
_VULGAR_FRACTION = re.compile(r"(\d{0,4}+)[ \u00a0]?+([\u00bd\u00bc\u00be])")


def spell_fractions(line: str) -> str:
    """Write ``1½``, ``1 ½`` and ``½`` as ``1.5``, ``1.5`` and ``0.5``, before NFKC.

    NFKC makes ``1½`` "11", a fraction slash and "2": eleven halves to a reader, and "2 hours"
    to the duration reader (it read ``1½ hours`` as 120 minutes).
    """
    if "\u00bd" not in line and "\u00bc" not in line and "\u00be" not in line:
        return line
    return _VULGAR_FRACTION.sub(
        lambda match: f"{match.group(1) or '0'}.{_VULGAR[match.group(2)]}", line
    )


def stated_minutes(
    lines: Iterable[str], days: int, *, labelled: bool, context: str = ""
) -> float | None:
    """Return the minutes `lines` say were spent (None: none said); `days` the entry covers.

    `labelled`: the lines are a heading or "Time spent:" lines, read without the plan rule.
    `context` (the entry's heading) may vouch for a short foreign unit (`_vouched_units`).
    """
    lines = list(lines)
    seen: frozenset[str] | None = None  # the languages vouched for, read once a line needs them
    total = 0.0
    stated = False
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not _may_hold_a_duration(line[:MAX_LINE]):
            continue
        tokens = _tokens(line)
        if any(token.text in _SHORT_UNITS for token in tokens):
            if seen is None:
                seen = _languages([context, *lines])
            tokens = [
                token
                for token in tokens
                if token.text not in _SHORT_UNITS or _SHORT_UNITS[token.text] & seen
            ]
        for minutes in _line_minutes(tokens, days, labelled=labelled):
            total += minutes
            stated = True
    return total if stated else None


def _line_minutes(tokens: list[_Token], days: int, *, labelled: bool) -> list[float]:
    """Return the durations of one line, sentence by sentence (see the module's rule)."""
    found: list[float] = []
    sentence_start = 0
    for index in range(len(tokens) + 1):
        if index < len(tokens) and tokens[index].kind != "end":
            continue
        found.extend(_sentence_minutes(tokens[sentence_start:index], days, labelled=labelled))
        sentence_start = index + 1
    return found


def _sentence_minutes(tokens: list[_Token], days: int, *, labelled: bool) -> list[float]:
    """Return the durations of one sentence, or none when it states a plan."""
    found: list[float] = []
    rates: set[int] = set()  # tokens read as "per day" after a duration, not as a plan
    index = 0
    while index < len(tokens):
        if tokens[index].kind != "num" and tokens[index].text not in _QUANTITY_WORDS:
            index += 1  # no duration starts here (`_duration` would say so, at a call's cost)
            continue
        read = _duration(tokens, index)
        if read is None:
            index += 1
            continue
        minutes, after = read
        clock = _clock_range(tokens, index, after)
        if clock is not None:  # "de 9h à 11h", "14h30-16h": two times of day, not 25 hours
            span, after = clock
            if 0 < span <= _MAX_CLOCK_SPAN:
                found.append(span)
            index = after
            continue
        per_day = _pair(tokens, after) in _PER_DAY
        if per_day:
            rates.update((after, after + 1))
        next_words = [token.text for token in tokens[after : after + 2]]
        before = [token.text for token in tokens[max(index - 3, 0) : index]]
        ago = bool(next_words) and (
            next_words[0] in _AGO_AFTER
            or next_words[0].startswith(_AGO_CJK)
            or next_words == ["of", "sleep"]
        )
        ago = ago or (bool(before) and before[-1] in _AGO_BEFORE)
        ago = ago or before == ["il", "y", "a"] or tuple(before[-2:]) == _LIMIT_BEFORE
        if per_day and days > 1:
            minutes *= days
        elif per_day and not labelled:
            minutes = 0  # "1 hour a day" on one day is a habit, not the day's time
        if not ago and 0 < minutes <= 24 * 60 * max(days, 1):
            found.append(minutes)
        index = after + (2 if per_day else 0)
    if found and not labelled and _states_a_plan(tokens, rates):
        return []
    return found


_RANGE_SIGNS = frozenset({"-", "\u2013", "\u2014", "~", "\u2192"})
_RANGE_WORDS = frozenset({"to", "till", "until", "à", "a", "al", "bis", "au", "hasta", "até"})
_MAX_CLOCK_SPAN = 16 * 60
"""The longest span between two times of day read as time spent (as `entries` reads ranges)."""


def _clock_hour(tokens: list[_Token], index: int) -> bool:
    """Whether `index` starts a time of day written with a letter h: ``9h``, ``14h30``."""
    return (
        index + 1 < len(tokens)
        and tokens[index].kind == "num"
        and tokens[index].text.isdigit()
        and int(tokens[index].text) <= 24
        and tokens[index + 1].raw in {"h", "H"}
        and tokens[index].end == tokens[index + 1].start
    )


def _clock_range(tokens: list[_Token], index: int, after: int) -> tuple[float, int] | None:
    """Read ``9h - 11h`` / ``de 14h30 à 16h``: the minutes between two times, and where it ends.

    Hours written ``9h`` on both sides of a range sign or word are times of day (French,
    Spanish, Portuguese write the clock so), not two durations to add.
    """
    if after >= len(tokens) or not _clock_hour(tokens, index):
        return None
    joint = tokens[after]
    if not (joint.text in _RANGE_SIGNS or (joint.kind == "word" and joint.text in _RANGE_WORDS)):
        return None
    if not _clock_hour(tokens, after + 1):
        return None
    end = _duration(tokens, after + 1)
    start = _duration(tokens, index)
    if end is None or start is None:
        return None
    span = (end[0] - start[0]) % (24 * 60)
    return span, end[1]


def _pair(tokens: list[_Token], index: int) -> tuple[str, str] | None:
    if index + 1 < len(tokens):
        return tokens[index].text, tokens[index + 1].text
    return None


def _states_a_plan(tokens: list[_Token], rates: set[int]) -> bool:
    """Whether a sentence states a plan, a goal or a habit ("every day", "will", "毎日")."""
    for index, token in enumerate(tokens):
        if index in rates:
            continue
        if token.text in _PLAN_WORDS or (
            index + 1 not in rates and _pair(tokens, index) in _PLAN_PAIRS
        ):
            return True
        if not token.text.isascii() and any(cue in token.text for cue in _PLAN_CJK):
            return True
    return False


def _duration(tokens: list[_Token], index: int) -> tuple[float, int] | None:
    """Read a duration starting at `index`: its minutes and the index after it, or None."""
    token = tokens[index]
    quantity: float | None = None
    at = index + 1
    if token.kind == "num":
        quantity = float(token.text.replace(",", "."))
    elif token.text in _HALF and at < len(tokens) and tokens[at].text in {"a", "an", "une"}:
        quantity, at = 0.5, at + 1  # "half an hour"
    elif token.text in {"a", "an"} and at < len(tokens) and tokens[at].text == "half":
        quantity, at = 0.5, at + 1  # "a half hour"
    elif token.text in _NUMBER_WORDS:
        quantity = _NUMBER_WORDS[token.text]
    if quantity is None:
        return None
    quantity, at = _and_a_half(tokens, at, quantity)  # "1 and a half hour"
    unit = _unit(tokens, at, attached=token.kind == "num")
    if unit is None:
        return None
    minutes = quantity * unit
    at += 1
    if unit == 60.0:
        half, at = _and_a_half(tokens, at, 0.0)  # "an hour and a half"
        minutes += half * 60
        if at < len(tokens) and tokens[at].kind == "num" and tokens[at].text.isdigit():
            # "1h30", "2h 15": minutes after hours need no unit.
            rest = int(tokens[at].text)
            if rest < 60 and _unit(tokens, at + 1, attached=True) is None:
                minutes += rest
                at += 1
    return minutes, at


def _and_a_half(tokens: list[_Token], at: int, quantity: float) -> tuple[float, int]:
    """Read "and a half" ("et demie", "und halb") after a number; return it added, and where."""
    if at >= len(tokens) or tokens[at].text not in _AND:
        return quantity, at  # the usual case, answered before the words are listed
    words = [token.text for token in tokens[at : at + 3]]
    if len(words) >= 2 and words[0] in _AND and words[1] in _HALF:
        return quantity + 0.5, at + 2
    if len(words) == 3 and words[0] in _AND and words[1] in {"a", "an"} and words[2] in _HALF:
        return quantity + 0.5, at + 3
    return quantity, at


def _unit(tokens: list[_Token], at: int, *, attached: bool) -> float | None:
    """Return the minutes in the unit at `at` (None: not a unit); one letter only `attached`."""
    if at >= len(tokens):
        return None
    token = tokens[at]
    if token.kind == "cjk":
        return _CJK_UNITS[token.text]
    if token.kind != "word":
        return None
    if token.text in _UNITS:
        return _UNITS[token.text]
    letter = _LETTER_UNITS.get(token.raw)  # "5M users" is not five minutes
    if letter is not None and attached and tokens[at - 1].end == token.start:
        return letter
    return None

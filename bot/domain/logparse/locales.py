"""The words of dates and durations in the languages logs are written in, from dateparser's data.

#100DaysOfCode is kept in many languages: `### Dia 21: 18 de maio de 2022`, `### Tag 1: 20. Februar
2021`, `### 0日目: 2022年11月24日`. The words for months, weekdays, "day", "hour" and "minute" come
from dateparser's locale data (CLDR-derived, 200 languages) rather than from a table kept by hand
here; this module reads that data once, at import, for the languages in `LANGUAGES`, and hands
the rest of the package plain values: casefolded, NFKC-normalised words (the reader normalises
every line the same way) mapped to their number.

Only the data is used, never dateparser's parsing: its `search_dates` drops years and costs
~0.4 ms a character on prose, which a hostile file would turn into minutes (docs/performance.md).
The reading stays our linear grammar; only its words come from here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dateparser.languages import default_loader

LANGUAGES = (
    "en", "es", "fr", "de", "pt", "it", "nl", "pl", "tr", "id", "ms", "vi", "ru", "ja", "zh", "ko",
)  # fmt: skip
"""The languages whose words are read, English first: the ones public challenge logs are kept
in (tests/fixtures/logs-world/INDEX.md). Each costs a few milliseconds at import."""

_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def fold(word: str) -> str:
    """Return `word` as the reader compares it: NFKC-normalised and casefolded."""
    return unicodedata.normalize("NFKC", word).casefold().strip()


@dataclass(frozen=True, slots=True)
class Locale:
    """One language's words, folded (`fold`); dateparser's abbreviations included.

    `months` and `weekdays` map a word to its number (January = 1, Monday = 0, as
    `date.weekday()`). Short abbreviations (``mo``, ``lu``, ``ma``) and words another language
    uses for something else (``mar`` is March in English and Tuesday in Spanish) are kept here
    as the data has them: which of them are safe to read is the grammar's decision.
    """

    code: str
    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    day_words: frozenset[str]
    hour_words: frozenset[str]
    minute_words: frozenset[str]


def _words(info: Mapping[str, object], key: str) -> list[str]:
    found = info.get(key, [])
    return (
        [fold(word) for word in found if isinstance(word, str) and fold(word)]
        if isinstance(found, list)
        else []
    )


def _numbered(info: Mapping[str, object], keys: Iterable[str], first: int) -> dict[str, int]:
    numbered: dict[str, int] = {}
    for number, key in enumerate(keys, start=first):
        for word in _words(info, key):
            numbered.setdefault(word, number)
    return numbered


def _locale(code: str) -> Locale:
    info: Mapping[str, object] = default_loader.get_locale(code).info
    return Locale(
        code=code,
        months=_numbered(info, _MONTH_KEYS, 1),
        weekdays=_numbered(info, _WEEKDAY_KEYS, 0),
        day_words=frozenset(_words(info, "day")),
        hour_words=frozenset(_words(info, "hour")),
        minute_words=frozenset(_words(info, "minute")),
    )


LOCALES: tuple[Locale, ...] = tuple(_locale(code) for code in LANGUAGES)
"""Every language's words, in `LANGUAGES` order."""

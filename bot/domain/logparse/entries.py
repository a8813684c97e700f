"""A log's entries as read: each marker's body made into a `LogEntry`, and the log's result.

Each marker (module `markers`, found by `structure`) starts a draft whose body runs to the next
marker; a heading without a date takes the one on the line below (``### Day 1:`` then
``09-07-2018 , 23:37``), with time ranges under it. Drafts are dated (modules `dates` and
`years`), then finished: the body becomes the entry's text (a ``Tags:`` or ``Links:`` line is
metadata, an export's escapes are undone), its tags and classified links, its minutes (a
heading's ``2h40m``, ``1 hour each day``, time ranges ``23:45 - 0:45``, "Time spent" lines)
and its flags: an empty stub or an explicit "no progress" entry exists but does not qualify
(`LogEntry.counts`). The words it reads bodies with are in `phrases`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from bot.domain.content import extract_links, extract_tags
from bot.domain.logparse.checks import (
    AmbiguousDateOrder,
    EntryFlag,
    ParseWarning,
)
from bot.domain.logparse.dates import Found, decide_dayfirst, find_dates, is_date_only
from bot.domain.logparse.durations import spell_fractions, stated_minutes
from bot.domain.logparse.markers import Marker
from bot.domain.logparse.markup import body_text
from bot.domain.logparse.model import LogEntry
from bot.domain.logparse.phrases import (
    CJK_NO_PROGRESS,
    FIELD_LABEL,
    META_LINE,
    NO_PROGRESS_ANYWHERE,
    NO_PROGRESS_CLAUSE,
    NO_PROGRESS_LOOKUP,
    NO_PROGRESS_OPENING,
    NO_PROGRESS_TOKEN,
    NO_PROGRESS_WHOLE,
    NOTHING,
    PLACEHOLDER,
    PROGRESS_LABEL,
    SEPARATOR_LINE,
    unescape,
)
from bot.domain.logparse.vocabulary import TIME_LABEL, TIME_ONLY_LINE, TIME_RANGE, YEAR
from bot.domain.logparse.years import date_from_start, header_start, header_year, resolve_dates

# ------------------------------------------------------------------------------------------
# Drafts: an entry being read
# ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Draft:
    """An entry being read: its marker, body lines and dates so far, and its flags."""

    marker: Marker
    end: int
    """The line the next entry starts on (the end of this one's body)."""
    body: list[str] = field(default_factory=list)
    found: Found = field(default_factory=Found)
    time_lines: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    flags: set[EntryFlag] = field(default_factory=set)


MAX_BLANK_RUN = 100
"""Blank lines in a row an entry's text keeps beyond the two Markdown reads (more are cut)."""


def with_body(
    draft: Draft,
    raw_lines: list[str],
    lines: list[str],
    hidden: bytearray,
    source_line: Callable[[int], int],
) -> Draft:
    """Collect the entry's body; a heading without a date takes the one on the line below.

    ("### Day 1:" then "09-07-2018 , 23:37"), with time ranges under it ("23:45 - 0:45").
    """
    marker = draft.marker
    draft.found = find_dates(marker.date_text) if marker.date_text.strip() else Found()
    if marker.row:
        draft.body = marker.own_text.split("\n")
        return draft
    if marker.own_text:
        draft.body.append(marker.own_text)
    looked = 0
    dated_below = False  # the date sits on the line under the heading, time ranges after it
    for number in range(marker.body_from, draft.end):
        if hidden[number]:
            continue
        normal = lines[number]
        if not normal.strip():
            if draft.body:
                draft.body.append("")
                # Blank runs were cut to two for Markdown's sake; the member's text keeps them,
                # as one piece of newlines (never a list entry per line), up to a bound: a run
                # of a million blank lines is not something anyone wrote on purpose.
                if number + 1 < len(lines):
                    gap = min(source_line(number + 1) - source_line(number) - 1, MAX_BLANK_RUN)
                    if gap > 0:
                        draft.body.append("\n" * (gap - 1))
            continue
        if looked < 3 and not draft.body:
            if not draft.found:
                found = is_date_only(normal, strict=True)
                if found is not None:
                    draft.found = found
                    draft.time_lines.append(normal)
                    dated_below = True
                    looked += 1
                    continue
            if dated_below and TIME_ONLY_LINE.match(normal):
                draft.time_lines.append(normal)
                looked += 1
                continue
        looked = 3
        draft.body.append(body_text(raw_lines[number]) if marker.html else raw_lines[number])
    return draft


def date_drafts(
    drafts: list[Draft],
    header: list[str],
    year: int | None,
    start: date | None,
    warnings: list[ParseWarning],
) -> bool:
    """Date every draft (read, then placed in years); return whether the log runs newest first.

    Whether ``NN/NN`` is day-first is decided once for the whole file; entries without a date
    are dated from `start` (or the header's start date) by their day numbers.
    """
    dayfirst, ambiguous = decide_dayfirst(
        piece
        for draft in drafts
        for span in draft.found.numeric
        for piece in (span.start, span.end)
        if piece is not None
    )
    if ambiguous and any(draft.found.numeric for draft in drafts):
        warnings.append(AmbiguousDateOrder(dayfirst))
    places = [(draft.marker.source + 1, draft.marker.heading) for draft in drafts]
    # Every year the file writes, links included (``?since=2025-05-11``): evidence for a log
    # whose headings give weekdays but no year.
    named_years = {
        int(match.group(1))
        for line in chain(header, (draft.marker.heading for draft in drafts))
        for match in YEAR.finditer(line)
    } | {
        int(match.group(1))
        for draft in drafts
        for line in draft.body
        for match in YEAR.finditer(line)
    }
    dates_of, reverse = resolve_dates(
        [draft.found for draft in drafts],
        places,
        [draft.marker.days for draft in drafts],
        dayfirst,
        year,
        header_year(header),
        named_years,
        warnings,
    )
    for draft, dates in zip(drafts, dates_of, strict=True):
        draft.dates = dates
    undated = [index for index, draft in enumerate(drafts) if not draft.dates]
    if undated:
        begin = start or header_start(header)
        placed = date_from_start(
            [drafts[index].marker.days for index in undated],
            [places[index] for index in undated],
            begin,
            start is not None,
            warnings,
        )
        for index, dates_from_start in zip(undated, placed, strict=True):
            draft = drafts[index]
            if dates_from_start is None:
                draft.flags.add(EntryFlag.UNDATED)
            else:
                draft.dates = dates_from_start
                draft.flags.add(EntryFlag.INFERRED_DATE)
    return reverse


# ------------------------------------------------------------------------------------------
# Finishing: text, flags and minutes
# ------------------------------------------------------------------------------------------


def finish(draft: Draft, header_round: int | None) -> LogEntry:
    """Return a dated draft as an entry: its text, tags, links, minutes and flags."""
    marker = draft.marker
    body = _trim(draft.body)
    meta = "\n".join(line for line in body if META_LINE.match(line))
    kept = _trim([line for line in body if not META_LINE.match(line)])
    text = "\n".join(unescape(line) for line in kept)
    tags = extract_tags(f"{text}\n{meta}")
    flags = set(draft.flags)
    flags |= _content_flags(text)
    if marker.unchecked and EntryFlag.EMPTY not in flags:
        flags.add(EntryFlag.NO_PROGRESS)
    dates = tuple(draft.dates)
    multi = len(marker.days) > 1 or len(dates) > 1
    counted_apart = marker.days and dates and len(marker.days) != len(dates)
    if multi and counted_apart and EntryFlag.INFERRED_DATE not in flags:
        flags.add(EntryFlag.COUNT_MISMATCH)
    if draft.found.weekdays and dates and EntryFlag.INFERRED_DATE not in flags:
        pairs = [(draft.found.weekdays[0], dates[0])]
        if len(draft.found.weekdays) > 1:
            pairs.append((draft.found.weekdays[-1], dates[-1]))
        if any(weekday != day.weekday() for weekday, day in pairs):
            flags.add(EntryFlag.WEEKDAY_MISMATCH)
    return LogEntry(
        dates=dates,
        day=marker.days[0] if marker.days else None,
        days=marker.days,
        round=marker.round if marker.round is not None else header_round,
        heading=marker.heading,
        text=text,
        minutes=_minutes(marker, draft.time_lines, body, len(dates) or 1),
        tags=tags,
        links=extract_links(text, meta),
        flags=frozenset(flags),
        line=marker.source + 1,
    )


def _trim(lines: Sequence[str]) -> list[str]:
    """Drop blank and separator lines at both ends, and trailing spaces."""
    begin, end = 0, len(lines)
    while begin < end and _blank_or_separator(lines[begin]):
        begin += 1
    while end > begin and _blank_or_separator(lines[end - 1]):
        end -= 1
    # A blank piece may stand for a run of blank lines (see `with_body`): it keeps its newlines.
    return [line.rstrip() if line.strip() else "\n" * line.count("\n") for line in lines[begin:end]]


def _blank_or_separator(line: str) -> bool:
    return not line.strip() or bool(SEPARATOR_LINE.match(line.rstrip()))


def _content_flags(text: str) -> set[EntryFlag]:
    """Flag a stub (nothing but template labels and placeholders) or a day of no progress."""
    content = PLACEHOLDER.sub(" ", unicodedata.normalize("NFKC", text))
    progress: list[str] | None = None
    in_progress = False
    kept: list[str] = []
    for line in content.split("\n"):
        match = FIELD_LABEL.match(line)
        if match is None:
            kept.append(line)
            if in_progress and progress is not None:
                progress.append(line)
            continue
        label = (match.group("label") or match.group("alone") or "").strip()
        value = line[match.end() :].strip(" *_")
        in_progress = bool(PROGRESS_LABEL.match(label)) and progress is None
        if in_progress:
            progress = [value]
        kept.append(value)
    rest = "\n".join(kept)
    if not re.search(r"[^\W\d_]{2,}|[\u3040-\u9fff]", rest) and not any(
        unicodedata.category(char) == "So"
        for char in rest  # an emoji is a post: "✅ 1h"
    ):
        return {EntryFlag.EMPTY}
    said = "\n".join(progress).strip() if progress is not None else rest.strip()
    if NOTHING.match(said) or NO_PROGRESS_OPENING.match(said) or NO_PROGRESS_WHOLE.match(said):
        return {EntryFlag.NO_PROGRESS}
    if any(NO_PROGRESS_CLAUSE.match(clause) for clause in _first_clauses(said)):
        return {EntryFlag.NO_PROGRESS}
    if NO_PROGRESS_ANYWHERE.search(rest):
        return {EntryFlag.NO_PROGRESS}
    if progress is not None and _single_character(said):
        return {EntryFlag.NO_PROGRESS}  # "**Today's Progress:** S"
    if _no_progress_in_words(said) or _no_progress_in_cjk(said):
        return {EntryFlag.NO_PROGRESS}
    return set()


_ALNUM = re.compile(r"[^\W_]")
_SENTENCE_END = re.compile(r"[.!?\n\u3002\uff01\uff1f]")
_CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014\u3001]|\s-\s")
_FIRST_SENTENCE = 200
"""How much of an entry's first sentence is read for a day named as one off (a bound)."""


def _first_clauses(said: str) -> list[str]:
    """Return the clauses of a text's first sentence, stripped ("Long week, day off from code")."""
    head = said[:_FIRST_SENTENCE]
    end = _SENTENCE_END.search(head)
    sentence = head[: end.start()] if end else head
    return [clause.strip(" *_") for clause in _CLAUSE_BREAK.split(sentence)]


def _first_sentence(said: str) -> str:
    head = said[:_FIRST_SENTENCE]
    end = _SENTENCE_END.search(head)
    return head[: end.start()] if end else head


_WHOLE_LIMIT = 80
"""The longest entry read whole for a day off by name ("Navidad. Vacaciones.")."""
_WHOLE_BEFORE = 2
"""Words a whole-entry day off may have before it ("Thanksgiving. Holiday.")."""
_MAX_LEAD = 3
"""Words an opening may start with before its phrase ("Hoy", "Leider heute")."""


def _words(text: str) -> tuple[list[str], list[bool]]:
    """Return a text's words (folded) and, for each, whether a clause break stands before it."""
    words: list[str] = []
    breaks: list[bool] = []
    last = 0
    for match in NO_PROGRESS_TOKEN.finditer(text):
        words.append(match.group(0).casefold())
        breaks.append(bool(_CLAUSE_BREAK.search(text, last, match.start())))
        last = match.end()
    return words, breaks


def _phrase_at(words: list[str], at: int, phrase: tuple[str, ...]) -> int | None:
    """Return where `phrase` ends if it starts at `at` (words for "today" may stand inside)."""
    for word in phrase:
        at = _skip_today(words, at)
        if at >= len(words) or words[at] != word:
            return None
        at += 1
    return at


def _skip_today(words: list[str], at: int) -> int:
    """Skip the words for "today" at `at` ("hoy", "hari ini", "aujourd'hui")."""
    for phrase in NO_PROGRESS_LOOKUP.today.get(words[at], ()) if at < len(words) else ():
        if tuple(words[at : at + len(phrase)]) == phrase:
            return at + len(phrase)
    return at


def _no_progress_in_words(said: str) -> bool:
    """Whether a text opens (or, in a verb-final language, closes) with a day off by name.

    ``Hoy no programé, estuve enfermo.``, ``Pas de code aujourd'hui.``, ``Tidak ada kemajuan
    hari ini.``, ``제주도 여행 마지막 날이라서 하루 쉽니다.``; not ``Hoy no programé mucho, pero
    terminé el ejercicio`` (the clause goes on) nor ``Hoje me dei uma folga, mas ... escrevi``
    (a "but" follows). The words are `NO_PROGRESS_WORDS`, one dict lookup per word.
    """
    lookup = NO_PROGRESS_LOOKUP
    sentence = _first_sentence(said)
    words, breaks = _words(sentence)
    at = 0
    for _ in range(_MAX_LEAD):
        skipped = _skip_today(words, at)
        if skipped == at and at < len(words) and words[at] in lookup.lead:
            skipped = at + 1
        if skipped == at:
            break
        at = skipped
    if at < len(words):
        for phrase in lookup.by_first.get(words[at], ()):
            end = _phrase_at(words, at, phrase)
            if end is None:
                continue
            end = _skip_today(words, end)
            languages = lookup.languages[phrase]
            goes_on = end < len(words) and not breaks[end]
            if goes_on and not lookup.is_because(words[end], languages):
                continue  # the clause goes on: "no programé mucho"
            # "Descanso. Pero leí dos capítulos": a "but" may open the next sentence too.
            following = said[len(sentence) : len(sentence) + _FIRST_SENTENCE]
            after = words[end:] + _words(following)[0][:1]
            return not any(lookup.is_but(word, languages) for word in after)
    if words and any(
        len(phrase) < len(words)
        and tuple(words[-len(phrase) :]) == phrase
        and words[-len(phrase) - 1].endswith(lookup.closing_after)
        for phrase in lookup.by_last.get(words[-1], ())
    ):
        return True  # "...날이라서 하루 쉽니다", "hasta olduğum için çalışmadım"
    if len(said) > _WHOLE_LIMIT:
        return False
    every, _ = _words(said)
    kept = [word for at, word in enumerate(every) if _skip_today(every, at) == at]
    return any(
        tuple(kept[begin:]) in lookup.whole for begin in range(min(len(kept), _WHOLE_BEFORE + 1))
    )


_CJK_PUNCTUATION = re.compile(r"[\W_]")


def _no_progress_in_cjk(said: str) -> bool:
    """Whether a Japanese or Chinese text opens with a day off by name (no spaces to split on).

    ``今天休息，没有写代码。``, ``今日は休みです。``, ``体調不良のため休み。``; not
    ``休みの日にコードを書いた`` ("on my day off I wrote code": the phrase goes on).
    """
    cjk = CJK_NO_PROGRESS
    first = _first_sentence(said)
    sentence = re.sub(r"[\s*_#>`~-]++", "", first)
    if not sentence or sentence.isascii():
        return False
    # "今日は休み。でも2時間勉強した": the next sentence's "but" says the day had something.
    following = said[len(first) + 1 : len(first) + 1 + _FIRST_SENTENCE].lstrip(" \t\n*_")
    if following.startswith(cjk.but):
        return False
    for lead in cjk.leads:
        if sentence.startswith(lead):
            sentence = sentence[len(lead) :]
            break
    for phrase in cjk.phrases:
        if sentence.startswith(phrase):
            rest = _cut_trailers(sentence[len(phrase) :])
            if not rest or _CJK_PUNCTUATION.match(rest):
                return not any(word in rest for word in cjk.but)
    # Said after its reason: "体調不良のため休み", "因为感冒所以休息".
    bare = _CJK_PUNCTUATION.sub("", sentence)
    for phrase in cjk.phrases:
        at = bare.rfind(phrase)
        if at > 0 and not _cut_trailers(bare[at + len(phrase) :]):
            return bare[:at].endswith(cjk.reasons) and not any(w in bare for w in cjk.but)
    return False


def _cut_trailers(text: str) -> str:
    """Cut the endings a phrase may take ("です", "了", "一天"), at most a few of them."""
    for _ in range(3):
        for trailer in CJK_NO_PROGRESS.trailers:
            if text.startswith(trailer):
                text = text[len(trailer) :]
                break
        else:
            break
    return text


def _single_character(text: str) -> bool:
    """Whether a text has exactly one letter or digit (found without listing them all)."""
    first = _ALNUM.search(text)
    return first is not None and _ALNUM.search(text, first.end()) is None


def _minutes(marker: Marker, time_lines: list[str], body: list[str], days: int) -> int | None:
    """Add up the time an entry states (the rule: module `durations`).

    A heading's "2h40m", "Time spent" lines and time ranges ("23:45 - 0:45") are stated on
    purpose: when there are any, they are the entry's time. Else the durations in its text.
    """
    labelled = [line for line in body if TIME_LABEL.match(line)]
    context = marker.heading  # its day word may vouch for a short unit ("Hari 3" for "2 jam")
    total = stated_minutes([marker.date_text, *labelled], days, labelled=True, context=context)
    ranges = time_lines + [line for line in body if TIME_ONLY_LINE.match(line)]
    for line in ranges:
        for start_h, start_m, end_h, end_m in TIME_RANGE.findall(line):
            begin = int(start_h) * 60 + int(start_m)
            end = int(end_h) * 60 + int(end_m)
            if end < begin:  # 23:45 - 0:45 crosses midnight
                end += 24 * 60
            if 0 < end - begin <= 16 * 60:
                total = (total or 0) + end - begin
    if total is None:
        text = [
            unicodedata.normalize("NFKC", spell_fractions(line))
            for line in body
            if not META_LINE.match(line) and not TIME_ONLY_LINE.match(line)
        ]
        total = stated_minutes(text, days, labelled=False, context=context)
        if total is not None and total > 24 * 60 * max(days, 1):
            return None  # more than the day holds: not all of it is the day's time
    return round(total) if total is not None else None

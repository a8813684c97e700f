"""What a post says: its words, links (classified) and tags.

Pure text functions shared by posts, edits and imported logs.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from bot.domain.models import Link, LinkKind

_URL = re.compile(r"https?://[^\s<>\[\]{}\"'`|]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
# Ideographs and kana carry a word's meaning each; counting them one by one keeps Japanese
# or Chinese logs from being read as a single "word".
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['\u2019][^\W{_CJK}]+)*")
# A tag may start with digits (#100DaysOfCode) but is never only digits (#1, an issue number).
_HASHTAG = re.compile(r"(?<![\w&#/])#(?=\d*[^\W\d])(\w[\w-]{0,49})", re.UNICODE)
# `[^\S\n]`, not `\s`, before the label: with re.M, `^\s*` would start at every blank line and
# run across all the blank lines after it (quadratic in a run of newlines).
_TAGS_LINE = re.compile(
    r"^[^\S\n]*+(?:\*\*|__)?tags?(?:\*\*|__)?\s*+[:\uff1a]\s*(?:\*\*|__)?(.+)$", re.I | re.M
)
_HOSTS: tuple[tuple[tuple[str, ...], LinkKind], ...] = (
    (("arxiv.org", "export.arxiv.org"), LinkKind.ARXIV),
    (("kaggle.com",), LinkKind.KAGGLE),
    (("colab.research.google.com", "colab.google"), LinkKind.COLAB),
    (("github.com", "gist.github.com", "raw.githubusercontent.com"), LinkKind.GITHUB),
    (("huggingface.co", "hf.co"), LinkKind.HUGGINGFACE),
    (("youtube.com", "youtu.be", "m.youtube.com"), LinkKind.YOUTUBE),
)

MAX_TAGS = 20

# Letters, digits, punctuation and symbols show; so do these categories' members below that
# render as nothing (Hangul fillers, the braille blank), which people paste to fake a post.
_VISIBLE_CATEGORIES = frozenset("LNPS")
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Tab and line breaks are layout; every other C0/C1 control (NUL included) is not text, and
# PostgreSQL refuses NUL in a text column outright.
_LAYOUT = frozenset("\t\n\r")


def has_visible_text(text: str) -> bool:
    """Whether the text shows anything: zero-width, control and blank characters do not."""
    return any(
        unicodedata.category(char)[0] in _VISIBLE_CATEGORIES and char not in _BLANK_LOOKALIKES
        for char in text
    )


def is_control(char: str) -> bool:
    """Whether a character is a control character other than tab and line breaks."""
    return unicodedata.category(char) == "Cc" and char not in _LAYOUT


def without_controls(text: str) -> str:
    """Return the text without control characters (tab and line breaks stay)."""
    return "".join(char for char in text if not is_control(char))


def has_broken_characters(text: str) -> bool:
    """Whether the text holds a lone surrogate (half of an emoji): it cannot be stored."""
    return any("\ud800" <= char <= "\udfff" for char in text)


def count_words(text: str) -> int:
    """Count the words of a post (links count as one word each)."""
    return len(_WORD.findall(_URL.sub(" link ", text)))


def classify_link(url: str) -> LinkKind:
    """Return what kind of place a URL points to."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return LinkKind.OTHER
    host = host.removeprefix("www.")
    for hosts, kind in _HOSTS:
        if any(host == known or host.endswith("." + known) for known in hosts):
            return kind
    return LinkKind.OTHER


def extract_links(*texts: str) -> tuple[Link, ...]:
    """Return the distinct http(s) links in the texts, in order of appearance."""
    seen: dict[str, Link] = {}
    for text in texts:
        for match in _URL.finditer(text):
            url = match.group(0).rstrip(_TRAILING)
            # Keep balanced parentheses (Wikipedia's "_(disambiguation)"), drop the closing one
            # of a Markdown link "[text](url)".
            while url.endswith(")") and url.count(")") > url.count("("):
                url = url[:-1].rstrip(_TRAILING)
            if _is_placeholder(url) or url in seen:
                continue
            seen[url] = Link(url=url, kind=classify_link(url))
    return tuple(seen.values())


def _is_placeholder(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return True
    return not host or host.removeprefix("www.") in {"example.com", "example.org", "example.net"}


def normalize_tag(tag: str) -> str:
    """Return a tag as stored: NFKC, lower case, without '#' or surrounding punctuation."""
    cleaned = unicodedata.normalize("NFKC", tag).strip().lstrip("#").strip(" .,;:!?*_`'\"")
    return cleaned.casefold()


def extract_tags(text: str, extra: str = "") -> tuple[str, ...]:
    """Return the post's tags: its #hashtags, a 'Tags:' line, and any given explicitly."""
    found: list[str] = []
    found.extend(_HASHTAG.findall(_URL.sub(" ", text)))
    for line in _TAGS_LINE.findall(text):
        # "Tags: cnn, transfer learning" lists phrases; "Tags: scipy sparse matrix" (no
        # separators at all, as in hand-kept logs) lists words.
        separated = re.search(r"[,;#]", line)
        found.extend(
            part
            for part in re.split(r"[,;]|\s#" if separated else r"\s+", line)
            if not part.strip().isdigit()
        )
    if extra:
        found.extend(re.split(r"[,;\s]+", extra))
    tags: dict[str, None] = {}
    for raw in found:
        tag = normalize_tag(raw)
        if tag and len(tag) <= 50:
            tags.setdefault(tag, None)
    return tuple(tags)[:MAX_TAGS]

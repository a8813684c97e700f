"""The phrases an entry's body is read with: metadata lines, template labels, "no progress".

In English, patterns: metadata lines (``Tags:``), a template's field labels (``**Today's
Progress**:``), placeholders, separators, the kallaway template's sample headings and links,
and a day without progress said in many ways ("Nothing done.", "rest day", "took a break").
In 13 other languages, word lists for the same meanings (`NO_PROGRESS_WORDS`, `CJK_NO_PROGRESS`),
looked up a word at a time (`NO_PROGRESS_LOOKUP`), never as one alternation over all of them.
`entries` reads bodies with them (`headings`, `tables` and the package's `__init__` use a few);
the day, month, date and time words are in `vocabulary`. Patterns use possessive repeats and
bounded lengths: reading stays linear on hostile input (docs/performance.md, "Hostile logs").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

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
# The template's sample entries link to placeholders: "www.example.com" and two 2016-era
# freeCodeCamp challenges, the same URLs in every translation. An entry whose every link is one of
# them is the template's sample left in (DanaCyb's intl/pl log, NiverMtz's intl/es log).
TEMPLATE_LINK = re.compile(
    r"^https?://(?:www\.)?+(?:example\.com(?:/|$)"
    r"|freecodecamp\.com/challenges/(?:find-the-longest-word-in-a-string|title-case-a-sentence)/?$)",
    re.IGNORECASE,
)
# The kallaway template (github.com/kallaway/100-days-of-code, log.md and its translations in
# intl/) heads its sample entries "Day 0: February 30, 2016 (Example 1)", translated: "Ejemplo",
# "Exemplo", "Exemple", "Beispiel", "Esempio", "Przykład", "Voorbeeld", "Örnek", "Contoh",
# "Пример", "示例", "例", "예시". A heading that says so is the template's, not a day.
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

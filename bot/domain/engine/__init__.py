"""The streak engine: a fold over a member's local days, from their start to today.

Each day is judged from its facts (entries, minutes, words, links, rest weekday, organizer
adjustment) and then moves the walk's state under the challenge's missed-day policy. Day N,
streaks, misses, freezes, rounds and attempts all fall out of the fold; none is ever stored as a
counter. The fold's state after a closed day is a plain value (`WalkState`), so a walk can be
checkpointed and resumed: resuming from any checkpoint gives exactly what a walk from the start
gives (a property the tests check). Ledger rows say why as values (`bot.domain.reasons`), never
in words: `bot.wording.ledger` words them.

A streak means one thing under every policy: consecutive qualifying days. Rest days, excused
days and spent freezes bridge it; any other day without a qualifying post ends it. The
missed-day policy decides only what a miss does to Day N and the attempt (pause it, allow one,
or end the attempt). Because every miss now costs the streak, a banked freeze is spent on the
first miss it can cover in a running attempt, under every policy (docs/rules.md says so).

The package's modules: `state` (the fold's state and ledger rows), `verdict` (one day under the
rules), `walker` (the fold day by day, with ledger rows on request: the rules' one source of
truth), `fastfold` (the same fold over classified days, empty days and counted runs in closed
form), `summary` (what a walk means on a day).
"""

from __future__ import annotations

from bot.domain.engine.fastfold import advance_classes
from bot.domain.engine.state import (
    ENGINE_VERSION,
    RECENT_WINDOW_DAYS,
    DayStatus,
    LedgerDay,
    Phase,
    WalkState,
)
from bot.domain.engine.summary import (
    Ledger,
    Summary,
    build_ledger,
    consistency,
    counted_between,
    fingerprint,
    summarize,
    working_days,
)
from bot.domain.engine.verdict import (
    FAILS,
    NEUTRAL,
    QUALIFIES,
    Verdict,
    classify,
    judge,
)
from bot.domain.engine.walker import advance

__all__ = [
    "ENGINE_VERSION",
    "FAILS",
    "NEUTRAL",
    "QUALIFIES",
    "RECENT_WINDOW_DAYS",
    "DayStatus",
    "Ledger",
    "LedgerDay",
    "Phase",
    "Summary",
    "Verdict",
    "WalkState",
    "advance",
    "advance_classes",
    "build_ledger",
    "classify",
    "consistency",
    "counted_between",
    "fingerprint",
    "judge",
    "summarize",
    "working_days",
]

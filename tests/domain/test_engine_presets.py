"""Table-driven tests of the engine, one table per preset; expected values come from the rules.

A history is written one character per local day, starting on Monday 2026-03-02; the last
character is today. Legend:
    #  a qualifying post (60 minutes, a link, 20 words)
    .  no post
    s  a short post (30 minutes stated)
    t  a tiny post (3 minutes stated)
    n  a post of 60 minutes without a link
    u  a post with no minutes stated (honour system)
    e  an organizer excused the day        c  an organizer counted the day
    d  an organizer discounted a qualifying post
"""

from __future__ import annotations

from dataclasses import is_dataclass
from datetime import date, timedelta

import pytest

from bot.domain import engine, reasons
from bot.domain.engine import (
    DayStatus,
    Phase,
    Summary,
    WalkState,
    advance,
    build_ledger,
    fastfold,
    summarize,
    verdict,
    walker,
)
from bot.domain.models import AdjustmentKind, DayFacts
from bot.domain.reasons import (
    NO_POST,
    AttemptBegan,
    ByPosts,
    Counted,
    Ended,
    Missed,
    MissEffect,
    Open,
    ShortOfMinutes,
)
from bot.domain.rules import PRESETS, MissedDayPolicy, Rules
from bot.wording.ledger import reason_text

START = date(2026, 3, 2)  # a Monday

_FACTS = {
    "#": {"entries": 1, "minutes": 60, "has_link": True, "words": 20},
    "s": {"entries": 1, "minutes": 30, "has_link": True, "words": 20},
    "t": {"entries": 1, "minutes": 3, "has_link": True, "words": 20},
    "n": {"entries": 1, "minutes": 60, "has_link": False, "words": 20},
    "u": {"entries": 1, "minutes": None, "has_link": True, "words": 20},
    "e": {"adjustment": AdjustmentKind.EXCUSE, "adjustment_reason": "ill"},
    "c": {"adjustment": AdjustmentKind.COUNT, "adjustment_reason": "post lost in an outage"},
    "d": {
        "entries": 1,
        "minutes": 60,
        "has_link": True,
        "words": 20,
        "adjustment": AdjustmentKind.DISCOUNT,
        "adjustment_reason": "not progress",
    },
}


def history(pattern: str, start: date = START) -> dict[date, DayFacts]:
    facts = {}
    for offset, mark in enumerate(pattern):
        day = start + timedelta(days=offset)
        if mark != ".":
            facts[day] = DayFacts(day=day, **_FACTS[mark])  # type: ignore[arg-type]
    return facts


def summary_of(rules: Rules, pattern: str, initial_day: int = 1) -> Summary:
    today = START + timedelta(days=len(pattern) - 1)
    state, _ = advance(
        rules, WalkState.start(START, initial_day), history(pattern), today, today=today
    )
    return summarize(rules, state, today)


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def check(summary: Summary, expected: dict[str, object]) -> None:
    actual = {key: getattr(summary, key) for key in expected}
    assert actual == expected


CODE = PRESETS["100-days-of-code"]
ML = PRESETS["100-days-of-ml-code"]
XDAYS = PRESETS["x-days-of-ml-code"]
DATA66 = PRESETS["66-days-of-data"]


# 100-days-of-code: an hour a day with a link; one miss allowed (the end moves a day later),
# never two in a row; 100 qualifying days finish a round.
CODE_TABLE = [
    (
        "four qualifying days in a row",
        "####",
        {
            "day_number": 4,
            "current_streak": 4,
            "best_streak": 4,
            "misses_used": 0,
            "attempt": 1,
            "round": 1,
            "phase": Phase.ACTIVE,
            "calendar_day": 4,
            "projected_end": day(99),
            "completion": 4.0,
        },
    ),
    (
        # Days 0-1 count (streak 2); day 2 is the one allowed miss: Day N waits at 2 and the
        # streak ends; days 3-4 count: Day 4, a streak of 2 again.
        "a single miss pauses the count, pushes the end a day and ends the streak",
        "##.##",
        {
            "day_number": 4,
            "current_streak": 2,
            "misses_used": 1,
            "attempt": 1,
            "calendar_day": 5,
            "projected_end": day(100),
        },
    ),
    (
        "two misses in a row end the attempt; the next post is Day 1 of attempt 2",
        "##..#",
        {
            "day_number": 1,
            "current_streak": 1,
            "best_streak": 2,
            "attempt": 2,
            "misses_used": 0,
            "phase": Phase.ACTIVE,
            "attempt_start": day(4),
        },
    ),
    (
        "after the attempt ends and nothing is logged yet, attempt 2 waits at Day 0",
        "##...",
        {
            "day_number": 0,
            "current_streak": 0,
            "best_streak": 2,
            "attempt": 2,
            "phase": Phase.FAILED,
        },
    ),
    (
        "a short day (30 of 60 minutes) is a miss",
        "##s#",
        {"day_number": 3, "misses_used": 1},
    ),
    (
        "a day without a link is a miss",
        "##n#",
        {"day_number": 3, "misses_used": 1},
    ),
    (
        "today not logged yet is not a miss",
        "##.",
        {"day_number": 2, "current_streak": 2, "misses_used": 0, "today_counted": False},
    ),
    (
        "a day with no minutes stated is taken on the honour system",
        "#u#",
        {"day_number": 3, "misses_used": 0},
    ),
    (
        # Count, miss, count, miss, count: each miss is a single one (allowed), and each ends
        # the streak, so the last post starts a streak of 1 at Day 3.
        "two separate single misses are both allowed",
        "#.#.#",
        {"day_number": 3, "attempt": 1, "misses_used": 2, "current_streak": 1, "best_streak": 1},
    ),
    (
        "an excused day neither counts nor breaks; two misses around it end the attempt",
        "#.e.#",
        {"attempt": 2, "day_number": 1},
    ),
    (
        "an organizer can count a day with no post",
        "#c#",
        {"day_number": 3, "current_streak": 3, "misses_used": 0},
    ),
    (
        "an organizer can discount a qualifying post",
        "#d#",
        {"day_number": 2, "misses_used": 1},
    ),
]


@pytest.mark.parametrize(
    ("case", "pattern", "expected"), CODE_TABLE, ids=[c[0] for c in CODE_TABLE]
)
def test_100_days_of_code(case: str, pattern: str, expected: dict[str, object]) -> None:
    check(summary_of(CODE, pattern), expected)


def test_100_days_of_code_single_miss_pushes_the_end_by_exactly_one_day() -> None:
    without = summary_of(CODE, "#####")
    with_miss = summary_of(CODE, "##.###")  # the same five days, with one miss among them
    assert without.day_number == with_miss.day_number == 5
    assert with_miss.projected_end == without.projected_end + timedelta(days=1)


def test_100th_qualifying_day_finishes_the_round_and_the_next_post_starts_round_2() -> None:
    finished = summary_of(CODE, "#" * 100)
    assert finished.finished
    assert finished.phase is Phase.FINISHED
    assert (finished.round, finished.day_number, finished.completion) == (1, 100, 100.0)
    assert finished.projected_end == day(99)

    next_round = summary_of(CODE, "#" * 101)
    assert (next_round.round, next_round.attempt, next_round.day_number) == (2, 1, 1)
    assert not next_round.finished
    assert next_round.current_streak == 101  # no day was missed between the rounds

    after_a_break = summary_of(CODE, "#" * 100 + "..#")
    assert (after_a_break.round, after_a_break.day_number) == (2, 1)
    assert after_a_break.current_streak == 1
    assert after_a_break.best_streak == 100
    assert after_a_break.misses_used == 0


def test_days_between_rounds_are_idle_not_misses() -> None:
    ledger = build_ledger(CODE, START, 1, history("#" * 100 + "..#"), day(102))
    statuses = [row.status for row in ledger.rows]
    assert statuses == [DayStatus.COUNTED]
    assert ledger.rows[0].begins
    assert ledger.rows[0].round == 2


# 100-days-of-ml-code: an hour a day; the source has no missed-day rule and its logs keep
# counting across gaps, so misses pause (they never fail) and push the end.
ML_TABLE = [
    (
        # Days 0-1 count, days 2-3 missed (Day N waits at 2, the streak ends), day 4 counts:
        # Day 3 and a streak of 1; two misses in a row fail nothing under pause.
        "gaps pause the count and end the streak, never fail",
        "##..#",
        {
            "day_number": 3,
            "current_streak": 1,
            "best_streak": 2,
            "misses_used": 2,
            "attempt": 1,
            "projected_end": day(101),
        },
    ),
    ("no link is needed", "#n#", {"day_number": 3, "misses_used": 0}),
    ("a short day does not count", "#s#", {"day_number": 2, "misses_used": 1}),
    (
        "a long gap still does not fail",
        "#" + "." * 15 + "#",
        {"day_number": 2, "attempt": 1, "misses_used": 15},
    ),
]


@pytest.mark.parametrize(("case", "pattern", "expected"), ML_TABLE, ids=[c[0] for c in ML_TABLE])
def test_100_days_of_ml_code(case: str, pattern: str, expected: dict[str, object]) -> None:
    check(summary_of(ML, pattern), expected)


# x-days-of-ml-code: open-ended, any amount counts; a miss resets the current streak, the best
# streak is kept, and the challenge simply continues.
XDAYS_TABLE = [
    (
        "a miss resets the streak and keeps the day count",
        "###.##",
        {
            "day_number": 5,
            "current_streak": 2,
            "best_streak": 3,
            "misses_used": 1,
            "target_days": None,
            "completion": None,
            "projected_end": None,
            "attempt": 1,
        },
    ),
    ("five minutes count", "tt", {"day_number": 2, "current_streak": 2}),
    ("no link is needed", "nn", {"day_number": 2}),
]


@pytest.mark.parametrize(
    ("case", "pattern", "expected"), XDAYS_TABLE, ids=[c[0] for c in XDAYS_TABLE]
)
def test_x_days_of_ml_code(case: str, pattern: str, expected: dict[str, object]) -> None:
    check(summary_of(XDAYS, pattern), expected)


def test_x_days_best_streak_of_beatobongco_log_is_twelve_not_eleven() -> None:
    # beatobongco's README: dated entries 2018/9/9 through 2018/9/20 are twelve days in a row,
    # yet the hand-kept counter said "Best streak: 11 days"; after a six-month gap the next
    # entry (2019/3/21) is a streak of one.
    first = date(2018, 9, 9)
    days = [first + timedelta(days=offset) for offset in range(12)] + [date(2019, 3, 21)]
    facts = {d: DayFacts(day=d, entries=1, words=50) for d in days}
    today = date(2019, 3, 21)
    state, _ = advance(XDAYS, WalkState.start(first), facts, today, today=today)
    summary = summarize(XDAYS, state, today)
    assert (summary.best_streak, summary.current_streak, summary.day_number) == (12, 1, 13)


# 66-days-of-data: five minutes a day for 66 days "straight"; a miss resets the streak, the
# count is kept (participants keep counting across gaps).
DATA66_TABLE = [
    (
        "three minutes are not enough",
        "#t#",
        {"day_number": 2, "misses_used": 1, "current_streak": 1},
    ),
    (
        "a miss resets the streak, not the count",
        "##.#",
        {"day_number": 3, "current_streak": 1, "best_streak": 2},
    ),
    (
        "66 days finish the round",
        "#" * 66,
        {"day_number": 66, "finished": True, "completion": 100.0},
    ),
]


@pytest.mark.parametrize(
    ("case", "pattern", "expected"), DATA66_TABLE, ids=[c[0] for c in DATA66_TABLE]
)
def test_66_days_of_data(case: str, pattern: str, expected: dict[str, object]) -> None:
    check(summary_of(DATA66, pattern), expected)


# Custom rules: restart, rest weekdays, freezes, members who joined underway.
RESTART = Rules(target_days=100, missed_day_policy=MissedDayPolicy.RESTART)
SUNDAY_OFF = Rules(
    target_days=100, missed_day_policy=MissedDayPolicy.RESTART, rest_weekdays=frozenset({6})
)
FREEZES = Rules(target_days=100, freeze_every=3, freeze_max=1)
CUSTOM_TABLE = [
    (
        RESTART,
        "restart goes back to Day 1",
        "###.#",
        {"day_number": 1, "attempt": 2, "best_streak": 3},
    ),
    (
        RESTART,
        "restart: the ended attempt waits at Day 0",
        "###..",
        {"day_number": 0, "attempt": 2, "phase": Phase.FAILED},
    ),
    # 2026-03-08 is a Sunday: offset 6.
    (
        SUNDAY_OFF,
        "a rest Sunday neither counts nor breaks",
        "######.#",
        {"day_number": 7, "current_streak": 7, "misses_used": 0, "attempt": 1},
    ),
    (SUNDAY_OFF, "a post on a rest day still counts", "########", {"day_number": 8}),
    (
        SUNDAY_OFF,
        "a rest day pushes the projected end past the Sunday",
        "#",
        {"projected_end": day(115)},
    ),
    (
        # Days 0-2 count (the third earns the freeze); every miss costs the streak, so the
        # freeze covers day 3 at once: the streak goes on to 4, no miss is used.
        FREEZES,
        "under kallaway the freeze covers the first miss and keeps the streak",
        "###.#",
        {"day_number": 4, "misses_used": 0, "freezes_banked": 0, "current_streak": 4},
    ),
    (
        # Day 3 is frozen (streak 3 kept), day 4 is the one allowed miss (the streak ends),
        # day 5 counts: Day 4 of attempt 1, a streak of 1.
        FREEZES,
        "the freeze covers the first miss and the allowed miss the second: the attempt goes on",
        "###..#",
        {"day_number": 4, "misses_used": 1, "attempt": 1, "freezes_banked": 0, "current_streak": 1},
    ),
    (
        # reset_streak is the old name of pause; the freeze covers day 3, so the streak is 4.
        Rules(missed_day_policy=MissedDayPolicy.RESET_STREAK, freeze_every=3, freeze_max=1),
        "a freeze keeps the streak under pause (once called reset_streak)",
        "###.#",
        {"day_number": 4, "misses_used": 0, "freezes_banked": 0, "current_streak": 4},
    ),
    (
        # Day 3 frozen, day 4 the allowed miss, day 5 a second miss in a row: attempt 1 ends;
        # day 6 starts attempt 2 at Day 1.
        FREEZES,
        "a freeze bridges but does not make two misses around it separate",
        "###...#",
        {"attempt": 2, "day_number": 1},
    ),
    (Rules(freeze_every=1, freeze_max=2), "the bank is capped", "#####", {"freezes_banked": 2}),
    (
        # Days 0 and 1 bank two freezes (one per day, at most 2); the miss on day 2 costs the
        # streak, so a freeze covers it (1 left, streak 2 kept); day 3 counts, earns the
        # freeze back: 2 banked, no miss used, a streak of 3.
        Rules(missed_day_policy=MissedDayPolicy.PAUSE, freeze_every=1, freeze_max=2),
        "pause spends a freeze too, since a miss ends the streak",
        "##.#",
        {"freezes_banked": 2, "misses_used": 0, "current_streak": 3},
    ),
]


@pytest.mark.parametrize(
    ("rules", "case", "pattern", "expected"), CUSTOM_TABLE, ids=[c[1] for c in CUSTOM_TABLE]
)
def test_custom_rules(rules: Rules, case: str, pattern: str, expected: dict[str, object]) -> None:
    check(summary_of(rules, pattern), expected)


def test_rest_day_projected_end_arithmetic() -> None:
    # 100 days with Sundays off, starting Monday 2026-03-02, one day done: 99 working days
    # remain from Tuesday 03-03. Fourteen full weeks (84 working days) end Monday 06-08 … the
    # 99th working day from 03-03 is 03-03 + 99 days + 16 Sundays skipped - 1 = 06-25? Count:
    # each 7 calendar days hold 6 working days; 99 = 16 * 6 + 3, so 16 weeks (112 days) from
    # 03-03 reach 06-22 (a Tuesday) with 96 done, then Tue, Wed, Thu: the 99th is Thu 06-25.
    assert summary_of(SUNDAY_OFF, "#").projected_end == date(2026, 6, 25)


def test_member_who_joined_at_day_8_continues_from_there() -> None:
    summary = summary_of(CODE, "##", initial_day=8)
    assert (summary.day_number, summary.calendar_day, summary.current_streak) == (9, 9, 2)
    assert summary.completion == 9.0


def test_ledger_explains_each_day_with_its_reason() -> None:
    pattern = "##s.#."
    _, rows = advance(
        CODE, WalkState.start(START), history(pattern), day(5), today=day(5), explain=True
    )
    assert [row.status for row in rows] == [
        DayStatus.COUNTED,
        DayStatus.COUNTED,
        DayStatus.MISSED,
        DayStatus.ENDED,
        DayStatus.COUNTED,
        DayStatus.IN_PROGRESS,
    ]
    # The short day ends the 2-day streak of days 0 and 1.
    assert rows[2].reason == Missed(
        (ShortOfMinutes(stated=30, needed=60),),
        effect=MissEffect.ALLOWED_MISS,
        day_number=2,
        streak_ended=2,
    )
    assert rows[2].streak == 0
    assert rows[3].reason == Ended(NO_POST, attempt=1, day_number=2, second_in_row=True)
    assert rows[4].reason == Counted(
        day_number=1, how=ByPosts(posts=1, minutes=60, imported=0), began=AttemptBegan(2)
    )
    assert rows[5].reason == Open(NO_POST)
    assert (rows[4].attempt, rows[4].day_number) == (2, 1)
    # ...and the wording says so.
    assert "30 of the 60 minutes" in reason_text(rows[2].reason)
    assert "one allowed miss" in reason_text(rows[2].reason)
    assert "ends attempt 1 at Day 2" in reason_text(rows[3].reason)
    assert reason_text(rows[4].reason).startswith("Attempt 2 begins at Day 1.")

    ledger = build_ledger(CODE, START, 1, history(pattern), day(5))
    assert [row.day for row in ledger.rows] == [day(4), day(5)]  # the current attempt only
    assert ledger.summary.attempt == 2


def test_a_walk_without_rows_builds_no_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    # The unexplained walk is the hot path (every summary and board): it must not pay for
    # explanations nobody reads. Every reason and shortfall the engine could build raises here.
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reason was built on the unexplained walk")

    built = [
        (module, name)
        for module in (verdict, walker, fastfold)  # the engine's modules that build reasons
        for name in vars(module)
        if is_dataclass(getattr(reasons, name, None))
    ]
    assert {"Counted", "Missed", "Ended", "ShortOfMinutes", "ByPosts"} <= {n for _, n in built}
    for module, name in built:
        monkeypatch.setattr(module, name, refuse)
    rules = Rules(target_days=5, freeze_every=2, freeze_max=1, min_words=10, require_link=True)
    for policy_rules in (CODE, ML, rules, FREEZES):
        advance(
            policy_rules,
            WalkState.start(START),
            history("##s.#..n####.ue.cd#t..##.#######....#"),
            day(40),
            today=day(40),
        )


def test_ledger_rows_cover_every_day_from_the_attempt_start_to_today() -> None:
    ledger = build_ledger(CODE, START, 1, history("##.##."), day(5))
    assert [row.day for row in ledger.rows] == [day(offset) for offset in range(6)]
    assert [row.status for row in ledger.rows] == [
        DayStatus.COUNTED,
        DayStatus.COUNTED,
        DayStatus.MISSED,
        DayStatus.COUNTED,
        DayStatus.COUNTED,
        DayStatus.IN_PROGRESS,
    ]
    assert isinstance(ledger.rows[2].reason, Missed)
    assert ledger.rows[2].reason.effect is MissEffect.ALLOWED_MISS
    assert "one allowed miss" in reason_text(ledger.rows[2].reason)
    assert sum(row.counted for row in ledger.rows) == ledger.summary.day_number == 4


def test_member_who_joined_underway_is_mid_attempt_and_can_miss() -> None:
    # Joined at Day 8 under #100DaysOfCode: their attempt is already running, so two missed
    # days in a row after joining end it like any other attempt.
    before_posting = summary_of(CODE, ".", initial_day=8)
    assert (before_posting.day_number, before_posting.phase) == (7, Phase.ACTIVE)
    failed = summary_of(CODE, "..#", initial_day=8)
    assert (failed.attempt, failed.day_number) == (2, 1)
    one_miss = summary_of(CODE, ".#", initial_day=8)
    assert (one_miss.attempt, one_miss.day_number, one_miss.misses_used) == (1, 8, 1)


def test_a_day_off_between_rounds_ends_the_streak_under_every_policy() -> None:
    # No attempt runs between rounds, so nothing fails and Day N is not touched; but a day
    # without a post is not a day in a row, whatever the policy: the streak of the finished
    # round ends, and the next round's first post starts a streak of 1.
    one_off = summary_of(CODE, "#" * 100 + ".#")
    assert (one_off.round, one_off.day_number, one_off.current_streak) == (2, 1, 1)
    assert one_off.best_streak == 100
    two_off = summary_of(CODE, "#" * 100 + "..#")
    assert two_off.current_streak == 1
    paused = summary_of(ML, "#" * 100 + "....#")
    assert (paused.round, paused.current_streak, paused.misses_used) == (2, 1, 0)
    reset = summary_of(DATA66, "#" * 66 + ".#")
    assert (reset.round, reset.current_streak, reset.best_streak) == (2, 1, 66)
    # With no day off, the streak runs on across the rounds: 101 days in a row.
    assert summary_of(ML, "#" * 101).current_streak == 101


def _walked(rules: Rules, pattern: str) -> tuple[WalkState, date]:
    today = START + timedelta(days=len(pattern) - 1)
    state, _ = advance(rules, WalkState.start(START, 1), history(pattern), today, today=today)
    return state, today


@pytest.mark.parametrize(
    ("pattern", "share", "misses"),
    [
        # Joined today and logged: one day of the attempt, logged: 1/1.
        ("#", 1.0, 0),
        # Joined on Monday, first post on Tuesday: the attempt starts Tuesday, so Monday is no
        # miss and no working day of the share: 2/2 (Tuesday, Wednesday), "Misses: 0".
        (".##", 1.0, 0),
        # Three quiet days after joining, then four posts: 4/4.
        ("...####", 1.0, 0),
        # A miss inside the attempt does count: Monday to Thursday is 4 days, Tuesday missed:
        # 3/4, and the summary's one miss agrees.
        ("#.##", 0.75, 1),
        # Joined, nothing logged yet: no attempt, nothing to share out.
        ("..", 0.0, 0),
    ],
)
def test_consistency_starts_where_the_attempt_does(pattern: str, share: float, misses: int) -> None:
    state, today = _walked(CODE, pattern)

    assert engine.consistency(CODE, state, START, today) == share
    assert summarize(CODE, state, today).misses_used == misses


# One meaning per word: a streak is consecutive qualifying days under every policy. Rest days,
# excused days and spent freezes bridge it; any other day without a qualifying post ends it.
# The policy decides only Day N and the attempt. Each row: a pattern (day 0 is Monday 2 March,
# day 6 the rest Sunday), then per policy (Day N, attempt, misses used, current streak, best).
POLICIES = {
    "kallaway": MissedDayPolicy.KALLAWAY,
    "pause": MissedDayPolicy.PAUSE,
    "reset_streak": MissedDayPolicy("reset_streak"),
    "restart": MissedDayPolicy.RESTART,
}
STREAK_TABLE = [
    (
        # Mon-Sat count, the rest Sunday is not logged, Monday counts: seven days in a row.
        "a rest day bridges the streak",
        "######.#",
        dict.fromkeys(POLICIES, (7, 1, 0, 7, 7)),
    ),
    (
        # Wednesday excused by an organizer: it bridges like a rest day.
        "an excused day bridges the streak",
        "##e##",
        dict.fromkeys(POLICIES, (4, 1, 0, 4, 4)),
    ),
    (
        # Wednesday missed. kallaway: the one allowed miss, Day N waits at 2, the streak ends;
        # Thu-Fri count: Day 4, streak 2. pause (and its old name): the same. restart: the
        # miss ends attempt 1; Thursday starts attempt 2 at Day 1: Day 2, streak 2.
        "one miss ends the streak under every policy",
        "##.##",
        {
            "kallaway": (4, 1, 1, 2, 2),
            "pause": (4, 1, 1, 2, 2),
            "reset_streak": (4, 1, 1, 2, 2),
            "restart": (2, 2, 0, 2, 2),
        },
    ),
    (
        # A short day (30 of 60 minutes) on Wednesday is a miss like no post at all.
        "a short day ends the streak like a missed one",
        "##s##",
        {
            "kallaway": (4, 1, 1, 2, 2),
            "pause": (4, 1, 1, 2, 2),
            "reset_streak": (4, 1, 1, 2, 2),
            "restart": (2, 2, 0, 2, 2),
        },
    ),
    (
        # Wednesday and Thursday missed. kallaway: the second in a row ends attempt 1; Friday
        # starts attempt 2: Day 2 on Saturday, streak 2. pause: Day N waits at 2, then 4;
        # two misses; streak 2. restart: Wednesday ends attempt 1, Thursday waits, Friday
        # starts attempt 2: Day 2, streak 2.
        "two misses in a row",
        "##..##",
        {
            "kallaway": (2, 2, 0, 2, 2),
            "pause": (4, 1, 2, 2, 2),
            "reset_streak": (4, 1, 2, 2, 2),
            "restart": (2, 2, 0, 2, 2),
        },
    ),
    (
        # Today (Wednesday) not logged yet is still open: the streak of 2 stands.
        "today still open keeps the streak",
        "##.",
        dict.fromkeys(POLICIES, (2, 1, 0, 2, 2)),
    ),
]


@pytest.mark.parametrize("policy", list(POLICIES))
@pytest.mark.parametrize(
    ("case", "pattern", "expected"), STREAK_TABLE, ids=[row[0] for row in STREAK_TABLE]
)
def test_a_streak_means_consecutive_qualifying_days_under_every_policy(
    case: str, pattern: str, expected: dict[str, tuple[int, ...]], policy: str
) -> None:
    rules = Rules(
        target_days=100,
        min_minutes=60,
        missed_day_policy=POLICIES[policy],
        rest_weekdays=frozenset({6}),
    )
    summary = summary_of(rules, pattern)
    actual = (
        summary.day_number,
        summary.attempt,
        summary.misses_used,
        summary.current_streak,
        summary.best_streak,
    )
    assert actual == expected[policy]


@pytest.mark.parametrize("policy", list(POLICIES))
def test_a_spent_freeze_bridges_the_streak_under_every_policy(policy: str) -> None:
    # A freeze every 2 qualifying days: Tuesday earns it; Wednesday is missed and the freeze
    # covers it (every miss would cost the streak, so it is spent at once, under every
    # policy); Thursday and Friday count: Day 4, no miss used, four days in a row.
    rules = Rules(target_days=100, missed_day_policy=POLICIES[policy], freeze_every=2, freeze_max=1)
    summary = summary_of(rules, "##.##")
    assert (summary.day_number, summary.attempt, summary.misses_used) == (4, 1, 0)
    assert (summary.current_streak, summary.best_streak) == (4, 4)
    # Friday's count is the second since Tuesday: it earns the freeze back.
    assert summary.freezes_banked == 1


@pytest.mark.parametrize(
    ("minutes", "unstated", "counts"),
    [
        (None, 1, True),  # one post, no minutes: on the member's word
        (15, 1, True),  # "studied" (no minutes) and "15 minutes": the first still vouches
        (15, 0, False),  # only stated minutes, 15 of 60: short
        (60, 0, True),  # stated minutes reach the 60
        (75, 2, True),
    ],
)
def test_a_post_without_minutes_vouches_for_the_day(
    minutes: int | None, unstated: int, counts: bool
) -> None:
    rules = Rules(min_minutes=60)
    entries = unstated + (0 if minutes is None else 1)
    facts = DayFacts(date(2026, 3, 2), entries=entries, minutes=minutes, unstated=unstated)
    verdict = engine.judge(rules, facts)
    assert verdict.qualifies is counts
    assert (verdict.shortfalls == ()) is counts


def test_a_day_without_posts_still_needs_nothing_named_and_a_short_day_names_its_gap() -> None:
    rules = Rules(min_minutes=60, require_link=True)
    empty = engine.judge(rules, DayFacts(date(2026, 3, 2)))
    short = engine.judge(rules, DayFacts(date(2026, 3, 2), entries=1, minutes=40, has_link=True))
    # Nothing posted: "you haven't logged", not a list of gaps.
    assert not empty.qualifies
    assert empty.still_needs == ()
    # 40 of 60 minutes with the link: only the minutes are missing.
    assert short.still_needs == (reasons.ShortOfMinutes(stated=40, needed=60),)

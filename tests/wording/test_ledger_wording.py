"""Every ledger reason and shortfall has its sentence, word for word what members read."""

from __future__ import annotations

from datetime import date, timedelta
from typing import get_args

import pytest

from bot.domain.engine import WalkState, advance
from bot.domain.models import AdjustmentKind, DayFacts
from bot.domain.reasons import (
    NO_POST,
    AttemptBegan,
    AwaitingAttempt,
    Beginning,
    BetweenRounds,
    ByOrganizer,
    ByPosts,
    ChallengeBegan,
    Counted,
    CountedHow,
    Discounted,
    Ended,
    Excused,
    Frozen,
    Missed,
    MissEffect,
    NoLink,
    NoPost,
    NotStarted,
    Open,
    Reason,
    Rest,
    RoundBegan,
    Shortfall,
    ShortOfMinutes,
    ShortOfWords,
)
from bot.domain.rules import preset
from bot.wording.ledger import (
    join_words,
    missing_text,
    needed_text,
    reason_text,
    shortfall_text,
    still_needed,
)

SHORT = (ShortOfMinutes(stated=30, needed=60), NoLink())

SHORTFALLS: dict[type, tuple[Shortfall, str]] = {
    NoPost: (NoPost(), "no post"),
    ShortOfMinutes: (ShortOfMinutes(stated=30, needed=60), "30 of the 60 minutes"),
    ShortOfWords: (ShortOfWords(written=4, needed=10), "4 of the 10 words"),
    NoLink: (NoLink(), "a link to your work"),
    Discounted: (Discounted(), "an organizer did not count this day"),
}

REASONS: dict[type, list[tuple[Reason, str]]] = {
    Counted: [
        (Counted(day_number=4), "Counted: Day 4."),
        (
            Counted(day_number=12, how=ByPosts(posts=1, minutes=None, imported=0)),
            "Counted (1 post): Day 12.",
        ),
        (
            Counted(
                day_number=1,
                how=ByPosts(posts=2, minutes=75, imported=1),
                began=ChallengeBegan(),
            ),
            "Your challenge begins. Counted (2 posts, 75 minutes, imported): Day 1.",
        ),
        (
            Counted(day_number=1, how=ByOrganizer("post lost"), began=RoundBegan(round=2)),
            "Round 2 begins. Counted by an organizer (post lost): Day 1.",
        ),
        (
            Counted(
                day_number=1,
                how=ByPosts(posts=1, minutes=60, imported=0),
                began=AttemptBegan(attempt=3),
                freeze_earned=2,
            ),
            (
                "Attempt 3 begins at Day 1. Counted (1 post, 60 minutes): Day 1. "
                "You earned a freeze (2 banked)."
            ),
        ),
        (
            Counted(
                day_number=100,
                how=ByPosts(posts=1, minutes=60, imported=0),
                finished_round=1,
                freeze_earned=1,
            ),
            (
                "Counted (1 post, 60 minutes): Day 100. Round 1 complete! "
                "You earned a freeze (1 banked)."
            ),
        ),
    ],
    Rest: [(Rest(weekday=6), "Rest day (Sunday): it neither counts nor breaks anything.")],
    Excused: [(Excused("in hospital"), "Excused by an organizer: in hospital")],
    Open: [
        (Open(NO_POST), "Today: nothing logged yet; the day is still open."),
        (
            Open(SHORT),
            "Today: not counted yet; still missing 30 of the 60 minutes and a link to your work.",
        ),
    ],
    NotStarted: [
        (NotStarted(NO_POST), "No post. Not started yet: your first qualifying day is Day 1."),
        (
            NotStarted((ShortOfWords(written=4, needed=10),)),
            "Not counted: 4 of the 10 words. Not started yet: your first qualifying day is Day 1.",
        ),
    ],
    AwaitingAttempt: [
        (
            AwaitingAttempt(NO_POST, attempt=2),
            "No post. No attempt running; your next qualifying day starts attempt 2 at Day 1.",
        )
    ],
    BetweenRounds: [
        (
            BetweenRounds(NO_POST, finished_round=1),
            "No post. Round 1 is finished; your next qualifying day starts round 2.",
        ),
        (
            BetweenRounds(SHORT, finished_round=2, streak_ended=100),
            (
                "Not counted: 30 of the 60 minutes and a link to your work. Round 2 is finished; "
                "your next qualifying day starts round 3. Your 100-day streak ends."
            ),
        ),
    ],
    Frozen: [
        (
            Frozen(NO_POST, freezes_left=0),
            "No post. A freeze covered it, so your streak goes on (0 left).",
        )
    ],
    Missed: [
        (
            Missed(NO_POST, effect=MissEffect.PAUSED, day_number=5),
            "No post. The count pauses at Day 5; a missed day never ends your attempt.",
        ),
        (
            Missed((Discounted(),), effect=MissEffect.PAUSED, day_number=5, streak_ended=3),
            (
                "Not counted: an organizer did not count this day. Your 3-day streak ends. The "
                "count pauses at Day 5; a missed day never ends your attempt."
            ),
        ),
        (
            Missed(NO_POST, effect=MissEffect.ALLOWED_MISS, day_number=5, streak_ended=1),
            (
                "No post. Your 1-day streak ends. Your one allowed miss: the count pauses at "
                "Day 5 and your end date moves a day later. Missing the next day too would end "
                "this attempt."
            ),
        ),
    ],
    Ended: [
        (
            Ended(NO_POST, attempt=1, day_number=2, second_in_row=True),
            (
                "No post. A second missed day in a row ends attempt 1 at Day 2. Your next "
                "qualifying day starts attempt 2 at Day 1."
            ),
        ),
        (
            Ended(SHORT, attempt=2, day_number=9, second_in_row=False),
            (
                "Not counted: 30 of the 60 minutes and a link to your work. Under this challenge's "
                "rules a missed day ends attempt 2 at Day 9. Your next qualifying day starts "
                "attempt 3 at Day 1."
            ),
        ),
    ],
}


def test_every_shortfall_kind_has_an_example() -> None:
    # A new kind of shortfall fails here until it has words (mypy also insists, via
    # assert_never in the wording).
    assert set(SHORTFALLS) == set(get_args(Shortfall))


@pytest.mark.parametrize(("shortfall", "text"), SHORTFALLS.values())
def test_each_shortfall_has_its_phrase(shortfall: Shortfall, text: str) -> None:
    assert shortfall_text(shortfall) == text


NEEDED: dict[type, tuple[Shortfall, str]] = {
    NoPost: (NoPost(), "a post"),
    # 60 asked, 40 stated: 20 more.
    ShortOfMinutes: (ShortOfMinutes(stated=40, needed=60), "20 more minutes"),
    ShortOfWords: (ShortOfWords(written=9, needed=10), "1 more word"),
    NoLink: (NoLink(), "a link to your work"),
    Discounted: (Discounted(), "an organizer to count it"),
}


@pytest.mark.parametrize(("shortfall", "text"), NEEDED.values())
def test_each_shortfall_says_what_would_make_the_day_count(shortfall: Shortfall, text: str) -> None:
    assert set(NEEDED) == set(get_args(Shortfall))
    assert needed_text(shortfall) == text


def test_what_a_short_day_still_needs_reads_as_prose() -> None:
    # 30 of 60 minutes stated and no link: 30 more minutes and a link.
    assert still_needed(SHORT) == "30 more minutes and a link to your work"
    assert needed_text(ShortOfMinutes(stated=59, needed=60)) == "1 more minute"


def test_every_reason_kind_has_an_example() -> None:
    assert set(REASONS) == set(get_args(Reason))


def test_every_beginning_how_and_miss_effect_is_worded_in_an_example() -> None:
    counted = [reason for reason, _ in REASONS[Counted] if isinstance(reason, Counted)]
    assert {type(reason.began) for reason in counted if reason.began} == set(get_args(Beginning))
    assert {type(reason.how) for reason in counted if reason.how} == set(get_args(CountedHow))
    missed = [reason for reason, _ in REASONS[Missed] if isinstance(reason, Missed)]
    assert {reason.effect for reason in missed} == set(MissEffect)


@pytest.mark.parametrize(
    ("reason", "text"), [example for examples in REASONS.values() for example in examples]
)
def test_each_reason_has_its_sentence(reason: Reason, text: str) -> None:
    assert reason_text(reason) == text


def test_lists_of_what_was_missing_read_as_prose() -> None:
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert missing_text(SHORT) == "30 of the 60 minutes and a link to your work"


def test_a_walk_under_100_days_of_code_reads_as_members_see_it() -> None:
    # The engine's values and these words together give the ledger lines of /why.
    start = date(2026, 3, 2)  # a Monday
    facts = {
        start: DayFacts(start, entries=1, minutes=60, has_link=True, words=20),
        start + timedelta(days=1): DayFacts(
            start + timedelta(days=1), adjustment=AdjustmentKind.EXCUSE, adjustment_reason="ill"
        ),
        start + timedelta(days=2): DayFacts(
            start + timedelta(days=2), entries=1, minutes=30, has_link=True, words=20
        ),
    }
    _, rows = advance(
        preset("100-days-of-code"),
        WalkState.start(start),
        facts,
        start + timedelta(days=4),
        today=start + timedelta(days=4),
        explain=True,
    )

    assert [reason_text(row.reason) for row in rows] == [
        "Your challenge begins. Counted (1 post, 60 minutes): Day 1.",
        "Excused by an organizer: ill",
        # Day 1 counted, day 2 excused (it bridges the streak), day 3 short: the 1-day streak
        # of day 1 ends there, and it is the one allowed miss.
        (
            "Not counted: 30 of the 60 minutes. Your 1-day streak ends. Your one allowed miss: "
            "the count pauses at Day 1 and your end date moves a day later. Missing the next "
            "day too would end this attempt."
        ),
        (
            "No post. A second missed day in a row ends attempt 1 at Day 1. Your next qualifying "
            "day starts attempt 2 at Day 1."
        ),
        "Today: nothing logged yet; the day is still open.",
    ]

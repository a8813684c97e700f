"""Words for the ledger: why a day counted or not, and what a day lacked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from bot.domain.reasons import (
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
from bot.domain.rules import WEEKDAY_NAMES


def join_words(items: Sequence[str]) -> str:
    """Return 'a', 'a and b' or 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def shortfall_text(shortfall: Shortfall) -> str:
    """Return what a day lacked, as a phrase: '30 of the 60 minutes', 'a link to your work'."""
    match shortfall:
        case NoPost():
            return "no post"
        case ShortOfMinutes(stated=stated, needed=needed):
            return f"{stated} of the {needed} minutes"
        case ShortOfWords(written=written, needed=needed):
            return f"{written} of the {needed} words"
        case NoLink():
            return "a link to your work"
        case Discounted():
            return "an organizer did not count this day"
        case _:
            assert_never(shortfall)


def needed_text(shortfall: Shortfall) -> str:
    """Return what would make a short day count: '20 more minutes', 'a link to your work'."""
    match shortfall:
        case NoPost():
            return "a post"
        case ShortOfMinutes(stated=stated, needed=needed):
            more = needed - stated
            return f"{more:,} more minute" + ("" if more == 1 else "s")
        case ShortOfWords(written=written, needed=needed):
            more = needed - written
            return f"{more:,} more word" + ("" if more == 1 else "s")
        case NoLink():
            return "a link to your work"
        case Discounted():
            return "an organizer to count it"
        case _:
            assert_never(shortfall)


def still_needed(shortfalls: Sequence[Shortfall]) -> str:
    """Return everything a day still needs: '20 more minutes and a link to your work'."""
    return join_words([needed_text(shortfall) for shortfall in shortfalls])


def missing_text(shortfalls: Sequence[Shortfall]) -> str:
    """Return everything a day lacked: '30 of the 60 minutes and a link to your work'."""
    return join_words([shortfall_text(shortfall) for shortfall in shortfalls])


def _nothing_logged(shortfalls: Sequence[Shortfall]) -> bool:
    return len(shortfalls) == 1 and isinstance(shortfalls[0], NoPost)


def _lacking(shortfalls: Sequence[Shortfall]) -> str:
    if _nothing_logged(shortfalls):
        return "No post."
    return f"Not counted: {missing_text(shortfalls)}."


def _began(began: Beginning | None) -> str:
    match began:
        case None:
            return ""
        case ChallengeBegan():
            return "Your challenge begins. "
        case RoundBegan(round=round_):
            return f"Round {round_} begins. "
        case AttemptBegan(attempt=attempt):
            return f"Attempt {attempt} begins at Day 1. "
        case _:
            assert_never(began)


def _how(how: CountedHow | None) -> str:
    match how:
        case None:
            return ""
        case ByOrganizer(note=note):
            return f" by an organizer ({note})"
        case ByPosts(posts=posts, minutes=minutes, imported=imported):
            parts = [f"{posts} post" + ("" if posts == 1 else "s")]
            if minutes is not None:
                parts.append(f"{minutes} minutes")
            if imported:
                parts.append("imported")
            return " (" + ", ".join(parts) + ")"
        case _:
            assert_never(how)


_MISS_EFFECTS = {
    MissEffect.PAUSED: "The count pauses at Day {n}; a missed day never ends your attempt.",
    MissEffect.ALLOWED_MISS: (
        "Your one allowed miss: the count pauses at Day {n} and your end date moves a day "
        "later. Missing the next day too would end this attempt."
    ),
}


def streak_ended_text(streak: int) -> str:
    """Return what a miss did to the streak: 'Your 5-day streak ends.' ('' when none ran)."""
    return f"Your {streak:,}-day streak ends. " if streak > 0 else ""


def reason_text(reason: Reason) -> str:
    """Return why a ledger day came out as it did, in words a member understands."""
    match reason:
        case Counted():
            finished = (
                f" Round {reason.finished_round} complete!"
                if reason.finished_round is not None
                else ""
            )
            earned = (
                f" You earned a freeze ({reason.freeze_earned} banked)."
                if reason.freeze_earned is not None
                else ""
            )
            return (
                f"{_began(reason.began)}Counted{_how(reason.how)}: Day {reason.day_number}."
                f"{finished}{earned}"
            )
        case Rest(weekday=weekday):
            return f"Rest day ({WEEKDAY_NAMES[weekday]}): it neither counts nor breaks anything."
        case Excused(note=note):
            return f"Excused by an organizer: {note}"
        case Open(shortfalls=shortfalls):
            if _nothing_logged(shortfalls):
                return "Today: nothing logged yet; the day is still open."
            return f"Today: not counted yet; still missing {missing_text(shortfalls)}."
        case NotStarted(shortfalls=shortfalls):
            return f"{_lacking(shortfalls)} Not started yet: your first qualifying day is Day 1."
        case AwaitingAttempt(shortfalls=shortfalls, attempt=attempt):
            return (
                f"{_lacking(shortfalls)} No attempt running; your next qualifying day starts "
                f"attempt {attempt} at Day 1."
            )
        case BetweenRounds(shortfalls=shortfalls, finished_round=finished_round):
            text = (
                f"{_lacking(shortfalls)} Round {finished_round} is finished; your next "
                f"qualifying day starts round {finished_round + 1}."
            )
            return f"{text} {streak_ended_text(reason.streak_ended)}".rstrip()
        case Frozen(shortfalls=shortfalls, freezes_left=left):
            return (
                f"{_lacking(shortfalls)} A freeze covered it, so your streak goes on ({left} left)."
            )
        case Missed(shortfalls=shortfalls, effect=effect, day_number=day_number):
            return (
                f"{_lacking(shortfalls)} {streak_ended_text(reason.streak_ended)}"
                f"{_MISS_EFFECTS[effect].format(n=day_number)}"
            )
        case Ended(shortfalls=shortfalls, attempt=attempt, day_number=day_number):
            why = (
                "A second missed day in a row"
                if reason.second_in_row
                else "Under this challenge's rules a missed day"
            )
            return (
                f"{_lacking(shortfalls)} {why} ends attempt {attempt} at Day {day_number}. "
                f"Your next qualifying day starts attempt {attempt + 1} at Day 1."
            )
        case _:
            assert_never(reason)

"""The fold's state and its ledger rows: plain values, checkpointed as JSON."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache

from bot.domain.reasons import Reason

ENGINE_VERSION = 5
"""Bumped whenever the fold's meaning changes, so cached checkpoints are rebuilt."""

RECENT_WINDOW_DAYS = 40
"""How many trailing days of counted days the state keeps, for week/month/30-day metrics."""

_ONE_DAY = timedelta(days=1)


class Phase(enum.StrEnum):
    """Where a member stands in their challenge."""

    WAITING = "waiting"
    """No qualifying day yet: the first one will be Day 1 (or the day they joined at)."""
    ACTIVE = "active"
    """An attempt is under way."""
    FINISHED = "finished"
    """The round reached its target; the next qualifying day starts the next round."""
    FAILED = "failed"
    """The attempt ended on misses; the next qualifying day starts a new attempt at Day 1."""


class DayStatus(enum.StrEnum):
    """What one day did to the member's challenge."""

    COUNTED = "counted"
    IN_PROGRESS = "in_progress"
    REST = "rest"
    EXCUSED = "excused"
    FROZEN = "frozen"
    MISSED = "missed"
    ENDED = "ended"
    """The miss that ended the attempt."""
    IDLE = "idle"
    """No attempt running (not started, finished, or after a failed attempt)."""


@dataclass(frozen=True, slots=True)
class WalkState:
    """The fold's state after the day `through`: everything the next day needs."""

    through: date
    phase: Phase = Phase.WAITING
    round: int = 1
    attempt: int = 1
    attempt_start: date | None = None
    attempt_offset: int = 0
    """Day N the attempt started from, less one (members who joined already underway)."""
    day_number: int = 0
    misses_in_row: int = 0
    misses_used: int = 0
    streak: int = 0
    best_streak: int = 0
    freezes: int = 0
    freeze_progress: int = 0
    qualifying_total: int = 0
    last_counted: date | None = None
    finished_on: date | None = None
    recent: tuple[int, ...] = ()
    """Ordinals of counted days in the trailing window."""

    @classmethod
    def start(cls, start_day: date, initial_day: int = 1) -> WalkState:
        """Return the state before a member's first day."""
        if initial_day < 1:
            raise ValueError("initial_day starts at 1")
        if initial_day == 1:
            # Day 1 is the first qualifying day: nothing can be missed before it.
            return cls(through=start_day - _ONE_DAY)
        # A member who joins already underway is in the middle of an attempt: it runs from
        # their start, and a day they miss after joining is a miss like any other.
        return cls(
            through=start_day - _ONE_DAY,
            phase=Phase.ACTIVE,
            attempt_start=start_day,
            attempt_offset=initial_day - 1,
            day_number=initial_day - 1,
        )

    def to_json(self) -> str:
        """Return the state as JSON text (for the checkpoint cache)."""
        # Written out rather than looped over `fields`: a refresh writes one per member.
        attempt_start, last_counted, finished_on = (
            self.attempt_start,
            self.last_counted,
            self.finished_on,
        )
        return _encode(
            {
                "through": self.through.isoformat(),
                "phase": self.phase.value,
                "round": self.round,
                "attempt": self.attempt,
                "attempt_start": attempt_start and attempt_start.isoformat(),
                "attempt_offset": self.attempt_offset,
                "day_number": self.day_number,
                "misses_in_row": self.misses_in_row,
                "misses_used": self.misses_used,
                "streak": self.streak,
                "best_streak": self.best_streak,
                "freezes": self.freezes,
                "freeze_progress": self.freeze_progress,
                "qualifying_total": self.qualifying_total,
                "last_counted": last_counted and last_counted.isoformat(),
                "finished_on": finished_on and finished_on.isoformat(),
                "recent": list(self.recent),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> WalkState:
        """Rebuild a state from `to_json` output."""
        data = json.loads(text)
        if len(data) != _STATE_FIELDS:
            # Not what `to_json` writes: the general way, which fills in missing fields and
            # refuses unknown ones.
            for name in ("through", "attempt_start", "last_counted", "finished_on"):
                if data.get(name) is not None:
                    data[name] = date.fromisoformat(data[name])
            data["phase"] = Phase(data["phase"])
            data["recent"] = tuple(data["recent"])
            return cls(**data)
        # A board after a restart reads one per member: no loop, no `Phase(...)` call, and
        # the slots set directly (`_state`).
        attempt_start, last_counted, finished_on = (
            data["attempt_start"],
            data["last_counted"],
            data["finished_on"],
        )
        return _state(
            _from_iso(data["through"]),
            _PHASES[data["phase"]],
            data["round"],
            data["attempt"],
            None if attempt_start is None else _from_iso(attempt_start),
            data["attempt_offset"],
            data["day_number"],
            data["misses_in_row"],
            data["misses_used"],
            data["streak"],
            data["best_streak"],
            data["freezes"],
            data["freeze_progress"],
            data["qualifying_total"],
            None if last_counted is None else _from_iso(last_counted),
            None if finished_on is None else _from_iso(finished_on),
            tuple(data["recent"]),
        )

    def pack(self) -> str:
        """Return the state as compact text (the checkpoint cache's format; see `unpack`).

        A flat JSON array of ints (days as ordinals, 0 for none), led by the format's number:
        a board after a restart decodes one per member, several times faster than `to_json`'s
        object of ISO days.
        """
        return _encode(
            [
                _PACKED,
                self.through.toordinal(),
                _PHASE_CODES[self.phase],
                self.round,
                self.attempt,
                _day_code(self.attempt_start),
                self.attempt_offset,
                self.day_number,
                self.misses_in_row,
                self.misses_used,
                self.streak,
                self.best_streak,
                self.freezes,
                self.freeze_progress,
                self.qualifying_total,
                _day_code(self.last_counted),
                _day_code(self.finished_on),
                *self.recent,
            ]
        )

    @classmethod
    def unpack(cls, text: str) -> WalkState:
        """Rebuild a state from `pack` output, or from `to_json` output (older checkpoints)."""
        if not text.startswith("["):
            return cls.from_json(text)
        if text.find("[", 1) != -1:
            # pack writes a flat array; nested ones could exhaust the decoder's recursion.
            raise ValueError("not a packed state")
        values, end = _decode(text)
        if (
            end != len(text)
            or not isinstance(values, list)
            or len(values) < _PACKED_FIELDS
            or values[0] != _PACKED
        ):
            raise ValueError("not a packed state")
        (
            _,
            through,
            phase,
            round,
            attempt,
            attempt_start,
            attempt_offset,
            day_number,
            misses_in_row,
            misses_used,
            streak,
            best_streak,
            freezes,
            freeze_progress,
            qualifying_total,
            last_counted,
            finished_on,
        ) = values[:_PACKED_FIELDS]
        if not 0 <= phase < len(_PHASE_LIST):
            raise ValueError("a packed state has an unknown phase")
        days = (through, attempt_start, last_counted, finished_on)
        if min(days) < 0 or max(days) > _MAX_ORDINAL:
            # date.fromordinal raises OverflowError past a C long, which callers do not expect.
            raise ValueError("a packed state has a day out of range")
        return _state(
            _day(through),
            _PHASE_LIST[phase],
            round,
            attempt,
            _day(attempt_start) if attempt_start else None,
            attempt_offset,
            day_number,
            misses_in_row,
            misses_used,
            streak,
            best_streak,
            freezes,
            freeze_progress,
            qualifying_total,
            _day(last_counted) if last_counted else None,
            _day(finished_on) if finished_on else None,
            tuple(values[_PACKED_FIELDS:]),
        )


_PACKED = 1
"""The packed format's number, its array's first item (`to_json`'s text is an object)."""
_PACKED_FIELDS = 17
"""The packed array's items before the recent days: the format, then every field but `recent`."""
_MAX_ORDINAL = date.max.toordinal()
_PHASE_LIST = tuple(Phase)
_PHASE_CODES = {phase: index for index, phase in enumerate(_PHASE_LIST)}
_decode = json.JSONDecoder().raw_decode
"""The JSON decoder itself: `json.loads` less its checks of the text's type and whitespace."""


def _day_code(day: date | None) -> int:
    """Return a day's ordinal, 0 for no day (no date has ordinal 0)."""
    return 0 if day is None else day.toordinal()


@lru_cache(maxsize=4096)
def _day(ordinal: int) -> date:
    """Return the day of an ordinal once: a server's checkpoints share a handful of days."""
    return date.fromordinal(ordinal)


_encode = json.JSONEncoder(separators=(",", ":")).encode
_from_iso = date.fromisoformat
_PHASES = {phase.value: phase for phase in Phase}
_STATE_FIELDS = len(fields(WalkState))
_new_state = object.__new__
(
    _set_through,
    _set_phase,
    _set_round,
    _set_attempt,
    _set_attempt_start,
    _set_attempt_offset,
    _set_day_number,
    _set_misses_in_row,
    _set_misses_used,
    _set_streak,
    _set_best_streak,
    _set_freezes,
    _set_freeze_progress,
    _set_qualifying_total,
    _set_last_counted,
    _set_finished_on,
    _set_recent,
) = (vars(WalkState)[item.name].__set__ for item in fields(WalkState))


def _state(
    through: date,
    phase: Phase,
    round: int,
    attempt: int,
    attempt_start: date | None,
    attempt_offset: int,
    day_number: int,
    misses_in_row: int,
    misses_used: int,
    streak: int,
    best_streak: int,
    freezes: int,
    freeze_progress: int,
    qualifying_total: int,
    last_counted: date | None,
    finished_on: date | None,
    recent: tuple[int, ...],
) -> WalkState:
    """Return `WalkState(...)` of these fields, in their order, about three times as fast.

    A frozen dataclass's `__init__` looks `object.__setattr__` up once per field; a walk
    builds a state or two per member, and a board after a restart decodes one per member.
    """
    state = _new_state(WalkState)
    _set_through(state, through)
    _set_phase(state, phase)
    _set_round(state, round)
    _set_attempt(state, attempt)
    _set_attempt_start(state, attempt_start)
    _set_attempt_offset(state, attempt_offset)
    _set_day_number(state, day_number)
    _set_misses_in_row(state, misses_in_row)
    _set_misses_used(state, misses_used)
    _set_streak(state, streak)
    _set_best_streak(state, best_streak)
    _set_freezes(state, freezes)
    _set_freeze_progress(state, freeze_progress)
    _set_qualifying_total(state, qualifying_total)
    _set_last_counted(state, last_counted)
    _set_finished_on(state, finished_on)
    _set_recent(state, recent)
    return state


@dataclass(frozen=True, slots=True)
class LedgerDay:
    """One row of the ledger: a local day, what was logged, and what it did."""

    day: date
    status: DayStatus
    round: int
    attempt: int
    day_number: int
    """Day N after this day."""
    streak: int
    """Current streak after this day."""
    entries: int
    minutes: int | None
    imported: int
    reason: Reason
    """Why, with the numbers that decided it (`bot.wording.ledger` words it)."""
    begins: bool = False
    """Whether this day began an attempt or a round."""

    @property
    def counted(self) -> bool:
        """Whether this day counted."""
        return self.status is DayStatus.COUNTED

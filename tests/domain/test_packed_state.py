"""Checkpoints are stored packed (`WalkState.pack`): every state reads back whole, and the JSON
checkpoints written before still read (`unpack` takes both)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.engine import Phase, WalkState, advance
from tests.domain.test_engine_properties import History, histories

EVERY_FIELD = WalkState(
    through=date(2026, 3, 31),
    phase=Phase.FINISHED,
    round=2,
    attempt=3,
    attempt_start=date(2026, 1, 5),
    attempt_offset=4,
    day_number=100,
    misses_in_row=1,
    misses_used=6,
    streak=12,
    best_streak=40,
    freezes=2,
    freeze_progress=5,
    qualifying_total=140,
    last_counted=date(2026, 3, 30),
    finished_on=date(2026, 3, 30),
    recent=(739680, 739705),
)
"""A state whose every field differs from its default and from the others."""


def test_a_packed_state_is_its_fields_as_ints_in_order() -> None:
    assert EVERY_FIELD.pack() == (
        f"[1,{date(2026, 3, 31).toordinal()},2,2,3,{date(2026, 1, 5).toordinal()},4,100,1,6,"
        f"12,40,2,5,140,{date(2026, 3, 30).toordinal()},{date(2026, 3, 30).toordinal()},"
        "739680,739705]"
    )
    state = WalkState.unpack(EVERY_FIELD.pack())
    assert state == EVERY_FIELD
    assert isinstance(state.recent, tuple)
    assert state.phase is Phase.FINISHED


@pytest.mark.parametrize("phase", list(Phase))
def test_no_day_and_every_phase_read_back(phase: Phase) -> None:
    state = WalkState(through=date(2026, 1, 4), phase=phase)
    assert WalkState.unpack(state.pack()) == state


def test_a_json_checkpoint_still_reads() -> None:
    assert WalkState.unpack(EVERY_FIELD.to_json()) == EVERY_FIELD
    assert WalkState.unpack('{"through":"2026-03-31","phase":"waiting","recent":[]}') == (
        WalkState(through=date(2026, 3, 31))
    )


@pytest.mark.parametrize(
    "text",
    [
        "[2,739000,0,1,1,0,0,0,0,0,0,0,0,0,0,0,0]",  # another format's number
        "[1,739000,0,1,1,0,0,0,0,0,0,0,0,0,0,0]",  # a field short
        "[1,739000,9,1,1,0,0,0,0,0,0,0,0,0,0,0,0]",  # no such phase
        "[1,739000,-1,1,1,0,0,0,0,0,0,0,0,0,0,0,0]",
        "[1,0,0,1,1,0,0,0,0,0,0,0,0,0,0,0,0]",  # no such day
        "[1,739000,0,1,1,0,0,0,0,0,0,0,0,0,0,0,0] x",
        "[1,739000",
        "{}",
        "[1,99999999999999999999,0,1,1,0,0,0,0,0,0,0,0,0,0,0,0]",  # past any date (and a C long)
        "[1,739000,0,1,1,0,0,0,0,0,0,0,0,0,0,99999999999999999999,0]",
        "[1,739000,0,1,1,0,0,0,0,0,0,0,0,0,0,0,-99999999999999999999]",
        "[1,739000,0,1,1,[],0,0,0,0,0,0,0,0,0,0,0]",  # pack writes no nested array
        "[" * 100_000,  # nested past the decoder's recursion limit
    ],
)
def test_what_pack_did_not_write_is_refused(text: str) -> None:
    # The standings read a refused checkpoint as a cache miss (`usable_checkpoint`).
    with pytest.raises((ValueError, TypeError, KeyError)):
        WalkState.unpack(text)


@settings(max_examples=150)
@given(histories(), st.integers(min_value=0, max_value=400))
def test_every_walked_state_survives_packing(history: History, split: int) -> None:
    span = (history.today - history.start).days + 1
    until = history.start + timedelta(days=split % span)
    state, _ = advance(
        history.rules, WalkState.start(history.start, history.initial_day), history.facts, until
    )
    assert WalkState.unpack(state.pack()) == state
    assert WalkState.unpack(state.to_json()) == state

"""`daybook demo`: the real bot on simulated Discord tells the story it promises."""

from __future__ import annotations

import pytest

from bot.demo.runner import run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    path = run_demo(out)
    return out, path.read_text(encoding="utf-8")


def test_the_transcript_is_written_where_it_says(demo) -> None:
    out, text = demo
    assert (out / "transcript.md").exists()
    assert text.startswith("# Daybook demo")


def test_raj_logs_at_0130_kolkata_and_it_counts_for_the_day_before(demo) -> None:
    _, text = demo
    # 01:30 in Kolkata on Tuesday 3 March is 20:00 UTC on Monday 2 March.
    block = text.split("`Mon 02 Mar 20:00 UTC` **Raj** `/log")[1].split("\n- `")[0]
    assert "✅ Logged for today: it counts." in block
    assert "**Day 1 of 100**" in block


def test_each_mistake_gets_a_polite_answer(demo) -> None:
    _, text = demo
    assert "Did you mean America/New_York" in text
    assert "Your post is 4,100 characters; the limit is 4,000." in text
    assert "the earliest day you can log is 2026-03-14" in text
    assert "You left **100 Days of ML Code**" in text
    assert "Traceback" not in text


def test_every_picture_is_saved_and_linked(demo) -> None:
    out, text = demo
    pictures = sorted(out.glob("*.png"))
    assert len([p for p in pictures if "progress" in p.name]) == 3
    assert len([p for p in pictures if "leaderboard" in p.name]) == 2
    for picture in pictures:
        assert picture.read_bytes().startswith(b"\x89PNG")
        assert f"]({picture.name})" in text

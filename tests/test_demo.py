"""The offline demo tells the story it promises: dates, refusals and standings."""

from __future__ import annotations

from bot.demo.runner import play, run_demo


async def test_demo_plays_the_scripted_community(tmp_path) -> None:
    lines = await play(f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}")
    text = "\n".join(lines)
    # Raj posts at 01:30 in Kolkata on 3 March (20:00 UTC on 2 March): it counts for 2 March.
    assert "`2026-03-02 20:00 UTC` **Raj** log: logged for 2026-03-02 → counted; Day 1" in text
    assert "Your post is 4,100 characters; the limit is 4,000." in text
    assert "Did you mean America/New_York" in text
    assert "the earliest day you can log is 2026-03-14" in text
    assert "**Kenji** leave: left 100 Days of ML Code" in text
    # Every member's leaderboard line ranks the three who stayed, Ada first (she missed one day).
    assert "streak leaderboard: 1. Ada" in text
    assert "Kenji (" not in text.split("streak leaderboard:")[1].split("\n")[0]
    assert "Traceback" not in text


def test_demo_writes_its_transcript_to_the_folder(tmp_path) -> None:
    path = run_demo(tmp_path / "out")
    assert path == tmp_path / "out" / "transcript.md"
    assert path.read_text(encoding="utf-8").startswith("# Daybook demo")

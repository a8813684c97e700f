"""`daybook demo`: the real bot on simulated Discord tells the story it promises."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from bot.demo.pictures import pick, write_pictures
from bot.demo.runner import ABOUT_SECONDS, run_demo
from bot.wording.demo import DASH
from tests._postgres import POSTGRES_URL, scratch_url


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    # On PostgreSQL the scratch database; on SQLite the demo's own file, as `daybook demo` makes.
    path = run_demo(out, scratch_url(out / "demo.db") if POSTGRES_URL else None, lines.append)
    return out, path.read_text(encoding="utf-8"), lines


@pytest.fixture(scope="module")
def demo(played):
    out, text, _ = played
    return out, text


WEEKS = (
    (date(2026, 3, 2), date(2026, 3, 8)),
    (date(2026, 3, 9), date(2026, 3, 15)),
    (date(2026, 3, 16), date(2026, 3, 22)),
    (date(2026, 3, 23), date(2026, 3, 29)),
)
"""The script's four weeks: from START, Monday 2 March 2026."""
SPANS = tuple(f"{a}{DASH}{b} March" for a, b in ((2, 8), (9, 15), (16, 22), (23, 29)))
WEEK_LINE = re.compile(
    r"Week (\d) of 4 \((.+?)\): (\d+) posts?, (\d+) reminders?, its weekly digest "
    r"\((\d+) s so far(?:, about (\d+) s left)?\)"
)


def reminders_sent(text: str, first: date, last: date) -> int:
    """Count the reminders the transcript shows the bot posting on those (UTC) days."""
    count = 0
    for stamp, where in re.findall(
        r"`(\w{3} \d\d \w{3}) \d\d:\d\d UTC` \*\*Daybook\*\* posts (.+?):", text
    ):
        day = datetime.strptime(f"{stamp} 2026 +0000", "%a %d %b %Y %z").date()
        if "#digest" not in where and first <= day <= last:
            count += 1
    return count


def test_the_demo_says_what_it_plays_and_about_how_long_first(played) -> None:
    _, _, lines = played
    assert lines[0].startswith(f"Playing 4 weeks of a scripted community (2{DASH}29 March 2026: ")
    assert "an organizer and 4 members" in lines[0]
    assert lines[0].endswith(f"it takes about {ABOUT_SECONDS} seconds.")
    # The organizer sets up on Saturday 28 February; all four members join before 2 March.
    assert re.fullmatch(
        rf"Before the start \(28 February{DASH}1 March\): the organizer creates the challenge, "
        r"4 members join \(\d+ s so far\)",
        lines[1],
    )


def test_the_demo_tells_each_week_as_its_digest_comes_out(played) -> None:
    _, text, lines = played
    weeks = [WEEK_LINE.fullmatch(line) for line in lines[2:]]
    assert all(weeks), lines
    assert [int(m.group(1)) for m in weeks] == [1, 2, 3, 4]
    assert [m.group(2) for m in weeks] == list(SPANS)
    # Week 1 by the script's habits: Ada every evening (7), Raj all but his sixth day (6),
    # Maya all but her fifth (6), Kenji every day of his first ten (7).
    assert int(weeks[0].group(3)) == 26
    # Every /log and Log today of the run is for a day of the four weeks (Raj's last, at 01:30
    # on 30 March, is before the rollover: it is the 29th's).
    posted = text.count("** `/log ") + text.count("clicks [Log today]")
    assert sum(int(m.group(3)) for m in weeks) == posted
    for match, (first, last) in zip(weeks, WEEKS, strict=True):
        assert int(match.group(4)) == reminders_sent(text, first, last)
    seconds = [int(m.group(5)) for m in weeks]
    assert seconds == sorted(seconds)
    # Time left is said for every week but the last.
    assert [m.group(6) is None for m in weeks] == [False, False, False, True]


def test_the_transcript_is_written_where_it_says(demo) -> None:
    out, text = demo
    assert (out / "transcript.md").exists()
    assert text.startswith("# Daybook demo")


def test_raj_logs_at_0130_kolkata_and_it_counts_for_the_day_before(demo) -> None:
    _, text = demo
    # 01:30 in Kolkata on Tuesday 3 March is 20:00 UTC on Monday 2 March.
    block = text.split("`Mon 02 Mar 20:00 UTC` **Raj** `/log")[1].split("\n- `")[0]
    assert "✅ Logged for Mon 2 Mar (before your 04:00 rollover): it counts." in block
    assert "**Day 1 of 100**" in block


def test_each_mistake_gets_a_polite_answer(demo) -> None:
    _, text = demo
    assert "Did you mean America/New_York" in text
    assert "Your post is 4,100 characters; the limit is 4,000." in text
    assert "the earliest day you can log is Sat 14 Mar" in text
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


def test_the_readme_s_pictures_can_be_drawn_from_what_the_demo_drew(demo, tmp_path) -> None:
    out, _ = demo
    # `python -m bot.demo.pictures docs/images` picks one chart of each kind from the demo.
    written = write_pictures(out, tmp_path)

    assert {path.name for path in written} == {
        f"{kind}-{theme}.png"
        for kind in ("heatmap", "leaderboard", "weekly", "activity", "stats")
        for theme in ("dark", "light")
    }
    assert "-progress.png" in pick(out)["heatmap"].name
    assert pick(out)["weekly"].name.startswith("auto-")  # a digest the scheduler posted


def test_reminders_come_at_each_members_local_time_across_dst(demo) -> None:
    _, text = demo
    # Maya asked for 21:00 in New York: 02:00 UTC in EST, 01:00 UTC from 8 March (EDT).
    assert "`Fri 06 Mar 02:00 UTC` **Daybook** posts to Maya by DM:" in text
    assert "`Thu 12 Mar 01:00 UTC` **Daybook** posts to Maya by DM:" in text
    # Ada (22:00 in Berlin, 21:00 UTC in CET) is reminded only on the day she had not logged.
    assert text.count("`Wed 11 Mar 21:00 UTC` **Daybook** posts in #progress:") == 1


def test_the_log_today_button_records_the_day(demo) -> None:
    _, text = demo
    block = text.split("**Ada** clicks [Log today]")[1].split("\n- `")[0]
    assert "opens the form “Log today”" in block
    assert "✅ Logged for today, Wed 11 Mar: it counts." in block


def test_closed_dms_move_reminders_to_the_channel_saying_nothing_public(demo) -> None:
    _, text = demo
    assert "DMs are closed" not in text


def test_a_weekly_digest_is_posted_each_monday_with_its_charts(demo) -> None:
    out, text = demo
    # 09:00 in London: GMT until 29 March, BST after.
    for stamp in ("Mon 09 Mar 09:00", "Mon 16 Mar 09:00", "Mon 23 Mar 09:00", "Mon 30 Mar 08:00"):
        assert text.count(f"`{stamp} UTC` **Daybook** posts in #digest:") == 1
    assert len(list(out.glob("auto-*-digest-board.png"))) == 4
    assert len(list(out.glob("auto-*-digest-activity.png"))) == 4
    # The week before the challenge's first full week had no posts: no digest for it.
    assert "`Mon 02 Mar 09:00 UTC` **Daybook** posts in #digest:" not in text


def test_a_member_brings_in_the_log_he_kept_before(demo) -> None:
    _, text = demo
    block = text.split("**Kenji** `/import attachment:kenji-log.md`")[1].split("\n- `")[0]
    # Kenji's log: five days, Feb 17-21, the third saying "None.": four days come in.
    assert "I read **5 entries** from your log, Tue 17 Feb to Sat 21 Feb." in block
    assert "Would be added: 4 days" in block
    assert "1 entry that is an empty stub or says no progress" in block
    assert "✅ Imported 4 days from your log." in block


def test_a_newcomer_asks_help_and_the_channel_sees_check_ins_and_milestones(demo) -> None:
    _, text = demo
    block = text.split("**Maya** `/help`")[1].split("\n- `")[0]
    assert "(only they see it), card: **Daybook: how it works here**" in block
    assert "A day counts with 60 minutes — on your word if you leave minutes out." in block
    assert "**Next:** start with `/join`" in block
    # Ada's first /log leaves one public line; her seventh counted day is celebrated instead.
    first = text.split("`Mon 02 Mar 20:30 UTC` **Ada** `/log")[1].split("\n- `")[0]
    assert "in #progress, for everyone:\n    > **ada** logged Day 1" in first
    assert text.count("> 🎉 **ada** reached Day 7!") == 1
    # Maya's short day is only "checked in": nothing private goes public.
    assert "> **maya** checked in" in text
    assert "> **maya** logged Day" in text

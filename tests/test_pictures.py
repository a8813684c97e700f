"""The README's pictures: drawn from the demo's charts, on both themes, and every link resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from bot.demo.pictures import THEMES, WIDTH, MissingChartError, main, pick, write_pictures

ROOT = Path(__file__).resolve().parent.parent
# The demo names a chart `<step>-<actor>-<command>-<attachment>`; scheduled posts `auto-<n>-`.
DEMO_FILES = [
    "074-grace-organizer-digest-preview-digest-board.png",
    "101-raj-progress-progress.png",
    "107-grace-organizer-leaderboard-leaderboard.png",
    "108-grace-organizer-leaderboard-leaderboard.png",
    "112-maya-progress-progress.png",
    "auto-005-digest-activity.png",
    "auto-005-digest-board.png",
    "auto-015-digest-activity.png",
    "auto-015-digest-board.png",
    "099-grace-organizer-stats-stats.png",
]


def chart(path: Path, size: tuple[int, int] = (1000, 500)) -> None:
    Image.new("RGB", size, "#123456").save(path)


def hex_of(pixel: tuple[int, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*pixel[:3])


@pytest.fixture
def demo_folder(tmp_path):
    for name in DEMO_FILES:
        chart(tmp_path / name)
    return tmp_path


def test_one_chart_of_each_kind_is_picked_from_the_story(demo_folder) -> None:
    picked = {kind: path.name for kind, path in pick(demo_folder).items()}

    assert picked == {
        "heatmap": "112-maya-progress-progress.png",  # the latest: the fullest heatmap
        "leaderboard": "107-grace-organizer-leaderboard-leaderboard.png",  # streaks, the default
        "weekly": "auto-015-digest-board.png",  # a scheduled digest, not the preview
        "activity": "auto-015-digest-activity.png",
        "stats": "099-grace-organizer-stats-stats.png",  # the organizer's, at the story's end
    }


def test_each_chart_is_written_on_both_themes_as_an_embed_shows_it(demo_folder, tmp_path) -> None:
    out = tmp_path / "images"
    written = write_pictures(demo_folder, out)

    assert sorted(p.name for p in written) == sorted(
        f"{kind}-{theme}.png"
        for kind in ("heatmap", "leaderboard", "weekly", "activity", "stats")
        for theme in ("dark", "light")
    )
    for theme, (chat, embed) in THEMES.items():
        with Image.open(out / f"heatmap-{theme}.png") as picture:
            rgb = picture.convert("RGB")
            # The chart at Discord's width (1000 x 500 -> 400 x 200), a 16-pixel embed margin,
            # then 20 pixels of chat around the card.
            assert rgb.size == (WIDTH + 32 + 40, 200 + 32 + 40)
            assert hex_of(rgb.getpixel((5, 5))) == chat
            assert hex_of(rgb.getpixel((25, 25))) == embed
            assert hex_of(rgb.getpixel((40 + WIDTH // 2, 40 + 100))) == "#123456"


def test_a_folder_without_the_demo_s_charts_is_refused_in_one_line(tmp_path, capsys) -> None:
    chart(tmp_path / "112-maya-progress-progress.png")

    with pytest.raises(MissingChartError, match="leaderboard"):
        pick(tmp_path)
    assert main([str(tmp_path / "images"), "--from", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "play the demo" in err
    assert not (tmp_path / "images").exists()


def test_every_picture_the_readme_shows_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", readme)

    assert linked, "the README shows pictures"
    missing = [link for link in linked if not (ROOT / link).is_file()]
    assert not missing
    # Both themes of each chart the command draws.
    for kind in ("heatmap", "leaderboard", "weekly", "activity"):
        for theme in THEMES:
            assert f"docs/images/{kind}-{theme}.png" in linked

"""The README's pictures, drawn from the demo: each kind of chart on Discord's dark and light theme.

Run `./run python -m bot.demo.pictures docs/images`: it plays the demo in a scratch folder (or
reads the charts of one already played, `--from demo-output`), picks one chart of each kind the
demo drew and writes `<kind>-dark.png` and `<kind>-light.png`, each chart as Discord shows it in
an embed on that theme: the chart on the embed's colour, with the embed's margin of chat around
it, at the width Discord shows an image at.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

THEMES = {"dark": ("#313338", "#2b2d31"), "light": ("#ffffff", "#f2f3f5")}
"""Each theme's chat background and embed background (Discord's own colours)."""
WIDTH = 400
"""About the width, in pixels, Discord shows an embed's image at."""


@dataclass(frozen=True)
class Kind:
    """One kind of chart the README shows, and how to find it among the demo's files."""

    name: str
    pattern: str
    """A glob of the demo's file names (`<step>-<actor>-<command>-<attachment>`)."""
    last: bool
    """Take the last match in the story (the fullest) rather than the first."""


KINDS = (
    # Maya's heatmap late in the story: counted, short and missed days, and today.
    Kind("heatmap", "[0-9]*-progress.png", last=True),
    # The first leaderboard the organizer asks for: the default, current streaks.
    Kind("leaderboard", "[0-9]*-leaderboard.png", last=False),
    # The last scheduled digest: the fullest week and the longest run of activity.
    Kind("weekly", "auto-*-digest-board.png", last=True),
    Kind("activity", "auto-*-digest-activity.png", last=True),
    # The organizer's /challenge stats at the end of the story.
    Kind("stats", "[0-9]*-stats.png", last=True),
)


class MissingChartError(Exception):
    """The demo's folder lacks a kind of chart the README shows."""


def pick(folder: Path) -> dict[str, Path]:
    """Return, for each kind of chart, the demo's picture of it in `folder`."""
    picked = {}
    for kind in KINDS:
        found = sorted(folder.glob(kind.pattern))
        if not found:
            raise MissingChartError(
                f"{folder} has no {kind.name} chart ({kind.pattern}): play the demo there first"
            )
        picked[kind.name] = found[-1] if kind.last else found[0]
    return picked


def in_discord(chart_png: Path, theme: str, width: int = WIDTH) -> Image.Image:
    """Return the chart as an embed shows it at `width` pixels, on a theme's chat background."""
    chat, embed = THEMES[theme]
    with Image.open(chart_png) as opened:
        chart = opened.convert("RGBA")
    height = round(chart.height * width / chart.width)
    chart = chart.resize((width, height), Image.Resampling.LANCZOS)
    card = Image.new("RGBA", (chart.width + 32, chart.height + 32), embed)
    card.alpha_composite(chart, (16, 16))
    canvas = Image.new("RGBA", (card.width + 40, card.height + 40), chat)
    canvas.alpha_composite(card, (20, 20))
    return canvas.convert("RGB")


def write_pictures(charts: Path, out: Path) -> list[Path]:
    """Write every kind of chart in `charts` on both themes into `out`; return the files."""
    picked = pick(charts)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, chart in picked.items():
        for theme in THEMES:
            path = out / f"{name}-{theme}.png"
            in_discord(chart, theme).save(path, optimize=True)
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the README's pictures; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.demo.pictures",
        description="Draw the README's pictures from the demo's charts, on Discord's themes.",
    )
    parser.add_argument("out", type=Path, help="the folder to write them to, e.g. docs/images")
    parser.add_argument(
        "--from",
        dest="charts",
        type=Path,
        help="a folder the demo already wrote (e.g. demo-output); default: play it afresh",
    )
    args = parser.parse_args(argv)
    try:
        if args.charts is not None:
            written = write_pictures(args.charts, args.out)
        else:
            # Imported here: the demo needs simcord, which only reading a folder does not.
            from bot.demo.runner import run_demo

            with tempfile.TemporaryDirectory(prefix="daybook-pictures-") as scratch:
                run_demo(Path(scratch))
                written = write_pictures(Path(scratch), args.out)
    except MissingChartError as error:
        print(f"pictures: {error}", file=sys.stderr)  # noqa: T201
        return 2
    for path in written:
        print(path)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())

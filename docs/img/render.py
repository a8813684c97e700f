"""Draw the README's pictures: every chart, on Discord's dark and light chat backgrounds.

Run `./run python docs/img/render.py`: it writes docs/img/<chart>-dark.png and -light.png, each
chart as Discord shows it in an embed on that theme (the chart on the embed's colour, with the
embed's margin of the chat around it), from sample data like the demo's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from PIL import Image

from bot.charts.activity import render_activity
from bot.charts.data import (
    ActivityData,
    ActivityDay,
    BoardBar,
    DayMark,
    HeatDay,
    HeatmapData,
    LeaderboardData,
    WeekBar,
    WeeklyBoardData,
)
from bot.charts.heatmap import render_heatmap
from bot.charts.leaderboard import render_leaderboard
from bot.charts.weekly import render_weekly_board
from bot.domain.engine import DayStatus

HERE = Path(__file__).parent
THEMES = {"dark": ("#313338", "#2b2d31"), "light": ("#ffffff", "#f2f3f5")}
"""Each theme's chat background and embed background."""
TODAY = date(2026, 3, 27)  # a Friday
NAMES = [
    "Maya",
    "Raj",
    "さくら",
    "Ada 🚀",
    "王小明",
    "Olúwaseun Adébáyọ̀-Kingsley the Third",
    "Лена",
    "민준",
    "Zoë",
    "Tom",
]


def heatmap() -> HeatmapData:
    """Maya's March: counted days, short days of 30 minutes, a missed day, rest Sundays."""
    start = date(2026, 3, 1)
    days = []
    for n in range((TODAY - start).days + 1):
        day = start + timedelta(days=n)
        if day == TODAY:
            days.append(HeatDay(day, DayStatus.IN_PROGRESS))
        elif day.day in (16, 19, 26):
            days.append(HeatDay(day, DayStatus.MISSED, 1, 30))
        elif day.day == 21:
            days.append(HeatDay(day, DayStatus.MISSED))
        elif day.weekday() == 6:
            days.append(HeatDay(day, DayStatus.REST))
        elif day.day == 10:
            days.append(HeatDay(day, DayStatus.FROZEN))
        else:
            days.append(HeatDay(day, DayStatus.COUNTED, 1 + n % 2, 40 + (n * 23) % 140))
    return HeatmapData("王小明 🚀", "100 Days of Code", TODAY, tuple(days), 20, 100, 5, 9)


def leaderboard() -> LeaderboardData:
    """Ten members, tied at the top, names in five scripts."""
    values = [30 - 2 * max(rank, 2) for rank in range(1, len(NAMES) + 1)]
    bars = tuple(
        BoardBar(1 if rank <= 2 else rank, name, value, f"{value} days")
        for rank, (name, value) in enumerate(zip(NAMES, values, strict=True), start=1)
    )
    return LeaderboardData("100 Days of Code", "Current streak", bars, 14)


def weekly() -> WeeklyBoardData:
    """The week Mon 16 to Sun 22 March: Raj missed the Friday, Maya posted short days."""
    c, s, m, r = DayMark.COUNTED, DayMark.SHORT, DayMark.MISSED, DayMark.REST
    weeks = [
        (c, c, c, c, c, c, r),
        (c, c, c, c, m, c, c),
        (c, c, c, c, c, c, m),
        (c, c, c, c, c, s, r),
        (s, c, c, s, c, c, c),
        (c, c, c, c, m, m, c),
        (c, c, m, c, c, s, m),
        (c, m, c, m, c, m, c),
        (m, c, s, c, m, c, r),
        (m, m, DayMark.FROZEN, c, c, m, m),
    ]
    bars = tuple(
        WeekBar(name, week, 30 - 2 * n)
        for n, (name, week) in enumerate(zip(NAMES, weeks, strict=True))
    )
    first = date(2026, 3, 16)
    return WeeklyBoardData("100 Days of Code", "Mar 16 \u2013 22, 2026", first, bars, 14)


def activity() -> ActivityData:
    """Eight weeks of members logging, the digest's week highlighted."""
    first = date(2026, 1, 26)
    days = tuple(ActivityDay(first + timedelta(days=n), (n * 7) % 11) for n in range(56))
    return ActivityData("100 Days of Code", days, date(2026, 3, 16), date(2026, 3, 22))


CHARTS: dict[str, Callable[[], bytes]] = {
    "heatmap": lambda: render_heatmap(heatmap()),
    "leaderboard": lambda: render_leaderboard(leaderboard()),
    "weekly": lambda: render_weekly_board(weekly()),
    "activity": lambda: render_activity(activity()),
}


def in_discord(png: bytes, theme: str, width: int = 400) -> Image.Image:
    """Return the chart as an embed shows it at `width` pixels, on a theme's chat background."""
    chat, embed = THEMES[theme]
    chart = Image.open(BytesIO(png)).convert("RGBA")
    height = round(chart.height * width / chart.width)
    chart = chart.resize((width, height), Image.Resampling.LANCZOS)
    card = Image.new("RGBA", (chart.width + 32, chart.height + 32), embed)
    card.alpha_composite(chart, (16, 16))
    canvas = Image.new("RGBA", (card.width + 40, card.height + 40), chat)
    canvas.alpha_composite(card, (20, 20))
    return canvas.convert("RGB")


def main() -> None:
    """Write every chart on both themes into docs/img."""
    for name, draw in CHARTS.items():
        png = draw()
        for theme in THEMES:
            in_discord(png, theme).save(HERE / f"{name}-{theme}.png", optimize=True)


if __name__ == "__main__":
    main()

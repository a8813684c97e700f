"""How the charts look in Discord: contrast on both themes, every script drawn, nothing overlapping.

The glyph tests need the optional font packages (fonts-noto-cjk, fonts-symbola); they skip, naming
them, where those are missing. `.ci/run` installs them, so CI runs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import combinations, pairwise

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from bot.charts import _style, activity, jobs, leaderboard, marks
from bot.charts._style import (
    BACKGROUND,
    BAND,
    DISCORD_DARK,
    DISCORD_LIGHT,
    DPI,
    INK,
    LAST_RESORT,
    MUTED,
    PREVIEW_WIDTH,
    WIDTH,
    FontPackage,
    PixelSheet,
    fonts,
    missing_fonts,
)
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
    day_mark,
)
from bot.charts.heatmap import render_heatmap
from bot.charts.leaderboard import render_leaderboard
from bot.charts.weekly import render_weekly_board
from bot.domain.engine import DayStatus
from bot.services.charts import ChartService

CJK_AND_EMOJI = ["王小明", "さくら", "Ada 🚀", "민준"]
TODAY = date(2026, 3, 27)  # a Friday
MONDAY = date(2026, 3, 16)
LONG = "Olúwaseun Adébáyọ̀-Kingsley the Third of Lagos"

needs_fonts = pytest.mark.skipif(
    bool(missing_fonts()),
    reason="optional chart fonts missing: apt-get install "
    + " ".join(font.package for font in missing_fonts()),
)


# --- contrast (WCAG 2.1 relative luminance and contrast ratio) ------------------------------


def luminance(colour: str) -> float:
    """Return a '#rrggbb' colour's relative luminance, as WCAG 2.1 defines it."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_gives_the_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


# Every text colour with every background it is drawn on.
TEXT_ON = [
    (INK, BACKGROUND),  # titles, names, values
    (MUTED, BACKGROUND),  # subtitles, ranks, axis and legend words
    (INK, BAND),  # names on the board's banded rows
    (MUTED, BAND),  # ranks and streaks on them
    (INK, leaderboard.MINE_BAND),  # the asker's own row
    (MUTED, leaderboard.MINE_BAND),
    (activity.WEEK_INK, BACKGROUND),  # the digest week's dates, over its band
    (MUTED, activity.WEEK_BAND),  # tick labels never sit on the band, but close to it
]


@pytest.mark.parametrize(("text", "background"), TEXT_ON)
def test_text_has_at_least_4_5_to_1_contrast_on_what_it_sits_on(text: str, background: str) -> None:
    assert contrast(text, background) >= 4.5


@pytest.mark.parametrize("mark", [mark for mark, look in marks.LOOKS.items() if look.glyph])
def test_a_glyph_on_a_cell_has_4_5_to_1_contrast_with_its_fill(mark: DayMark) -> None:
    look = marks.LOOKS[mark]

    assert contrast(look.glyph_colour, look.fill) >= 4.5


def test_the_ended_cross_has_4_5_to_1_contrast() -> None:
    assert contrast(marks.ENDED.glyph_colour, marks.ENDED.fill) >= 4.5


@pytest.mark.parametrize("chat", [DISCORD_DARK, DISCORD_LIGHT, "#f2f3f5"])
def test_the_chart_is_a_card_that_text_keeps_its_contrast_on_in_either_theme(chat: str) -> None:
    """The chart's background is its own, so its text reads the same in either theme; on the
    light theme (and its embeds, #F2F3F5) the card stands out as a card, by far more than 3:1."""
    if chat != DISCORD_DARK:
        assert contrast(BACKGROUND, chat) >= 3
    assert contrast(INK, BACKGROUND) >= 4.5


def test_lines_and_marks_stand_out_from_the_background_by_3_to_1() -> None:
    """WCAG's 3:1 for graphics: the short day's hatching, today's ring, the bars."""
    assert contrast(marks.AMBER, marks.SHORT_FILL) >= 3
    assert contrast(marks.AMBER, BACKGROUND) >= 3
    assert contrast(marks.TODAY_EDGE, BACKGROUND) >= 3
    assert contrast(leaderboard.BAR_COLOUR, BACKGROUND) >= 3
    assert contrast(leaderboard.MINE_COLOUR, BACKGROUND) >= 3


def test_more_minutes_are_a_lighter_green_step_by_step() -> None:
    steps = [luminance(green) for green in marks.GREENS]

    assert steps == sorted(steps)
    assert all(later / earlier > 1.3 for earlier, later in pairwise(steps))


def test_every_kind_of_day_differs_by_more_than_its_colour() -> None:
    """Colour-blind safe: apart from the counted green, every mark has a glyph, a hatch or an
    outline of its own, so no two kinds look alike in grey."""
    shapes = {
        mark: (look.glyph, look.hatched, look.edge != "none")
        for mark, look in marks.LOOKS.items()
        if mark is not DayMark.NONE
    }

    assert len(set(shapes.values())) == len(shapes)


# --- a day's mark ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "entries", "mark"),
    [
        (DayStatus.COUNTED, 1, DayMark.COUNTED),
        (DayStatus.MISSED, 1, DayMark.SHORT),  # 30 minutes under a 60-minute rule
        (DayStatus.MISSED, 0, DayMark.MISSED),
        (DayStatus.ENDED, 2, DayMark.SHORT),
        (DayStatus.ENDED, 0, DayMark.MISSED),
        (DayStatus.IN_PROGRESS, 1, DayMark.SHORT),
        (DayStatus.IN_PROGRESS, 0, DayMark.OPEN),
        (DayStatus.REST, 0, DayMark.REST),
        (DayStatus.EXCUSED, 0, DayMark.EXCUSED),
        (DayStatus.FROZEN, 0, DayMark.FROZEN),
        (DayStatus.IDLE, 0, DayMark.NONE),
    ],
)
def test_a_day_with_posts_that_did_not_count_is_short_not_missed(
    status: DayStatus, entries: int, mark: DayMark
) -> None:
    assert day_mark(status, entries) is mark


# --- what a chart drew: its sheet, captured as it renders -----------------------------------


@pytest.fixture
def sheets(monkeypatch: pytest.MonkeyPatch) -> list[tuple[PixelSheet, float]]:
    """Every sheet rendered in the test, with its height in pixels."""
    drawn: list[tuple[PixelSheet, float]] = []
    original = PixelSheet.png

    def png(sheet: PixelSheet, height: float) -> bytes:
        result = original(sheet, height)
        drawn.append((sheet, height))
        return result

    monkeypatch.setattr(PixelSheet, "png", png)
    return drawn


def texts(sheet: PixelSheet) -> list[Text]:
    """Return the visible texts drawn on a sheet (legend words included)."""
    return [text for text in sheet.axes.texts if text.get_visible() and text.get_text().strip()]


def words(sheet: PixelSheet) -> list[str]:
    return [text.get_text() for text in texts(sheet)]


def a_heatmap(days: int = 27, member: str = "Maya") -> HeatmapData:
    """Maya's days up to `TODAY`: counted, two short days (30 of 60 minutes), a missed day."""
    start = TODAY - timedelta(days=days)
    heat = []
    for n in range(days + 1):
        day = start + timedelta(days=n)
        if day == TODAY:
            heat.append(HeatDay(day, DayStatus.IN_PROGRESS))
        elif day in (date(2026, 3, 16), date(2026, 3, 19)):
            heat.append(HeatDay(day, DayStatus.MISSED, 1, 30))
        elif day == date(2026, 3, 21):
            heat.append(HeatDay(day, DayStatus.MISSED))
        elif day.weekday() == 6:
            heat.append(HeatDay(day, DayStatus.REST))
        else:
            heat.append(HeatDay(day, DayStatus.COUNTED, 1, 60 + (n * 37) % 120))
    return HeatmapData(member, "100 Days of Code", TODAY, tuple(heat), 20, 100, 5, 9)


def test_a_short_day_is_drawn_apart_from_a_day_with_no_post() -> None:
    data = a_heatmap()
    as_missed = tuple(
        HeatDay(day.day, day.status) if day.status is DayStatus.MISSED else day for day in data.days
    )
    missed = HeatmapData(
        data.member, data.challenge, data.today, as_missed, 20, 100, data.current_streak, 9
    )

    assert render_heatmap(data) != render_heatmap(missed)


def test_the_heatmap_legend_explains_every_mark_it_drew_and_the_scale(sheets) -> None:
    render_heatmap(a_heatmap())
    ((sheet, _),) = sheets
    drawn = words(sheet)

    assert "Counted, shade = minutes logged:" in drawn
    assert {"1\u201344", "45\u201389", "90\u2013149", "150+"} <= set(drawn)
    for kind in (DayMark.SHORT, DayMark.MISSED, DayMark.REST):
        assert marks.NAMES[kind] in drawn
    assert "Today, nothing posted yet" in drawn
    assert "Days ahead" in drawn
    # Nothing frozen or excused was drawn, so nothing explains it.
    assert marks.NAMES[DayMark.FROZEN] not in drawn
    assert marks.NAMES[DayMark.EXCUSED] not in drawn


def test_the_heatmap_title_says_the_engines_streak(sheets) -> None:
    render_heatmap(a_heatmap())
    ((sheet, _),) = sheets

    assert "Day 20 of 100  ·  5-day streak  ·  best 9" in words(sheet)


def test_days_counted_without_minutes_are_explained_as_shaded_by_posts(sheets) -> None:
    data = a_heatmap()
    no_minutes = tuple(
        HeatDay(day.day, day.status, day.entries) if day.status is DayStatus.COUNTED else day
        for day in data.days
    )
    render_heatmap(HeatmapData("Maya", "c", TODAY, no_minutes, 20, 100, 5, 9))
    ((sheet, _),) = sheets

    assert "Counted without minutes, shade = posts:" in words(sheet)
    assert "Counted, shade = minutes logged:" not in words(sheet)


def test_the_first_month_label_is_the_month_drawn_under_it(sheets) -> None:
    """An attempt begun on Sunday 1 March draws one March day in a column whose Monday is in
    February: the column is labelled March, not February."""
    start = date(2026, 3, 1)
    days = tuple(
        HeatDay(start + timedelta(days=n), DayStatus.COUNTED, 1, 60)
        for n in range((TODAY - start).days + 1)
    )
    render_heatmap(HeatmapData("Maya", "c", TODAY, days, 27, 100, 27, 27))
    ((sheet, _),) = sheets

    assert "Mar" in words(sheet)
    assert "Feb" not in words(sheet)


def test_the_boards_cells_are_labelled_with_the_weeks_weekdays_from_its_first_day(sheets) -> None:
    """Raj missed the Friday: his fifth cell, under 'Fri' when the week starts on a Monday."""
    c, m = DayMark.COUNTED, DayMark.MISSED
    raj = WeekBar("Raj", (c, c, c, c, m, c, c), 12)
    render_weekly_board(WeeklyBoardData("c", "w", MONDAY, (raj,), 1))
    render_weekly_board(WeeklyBoardData("c", "w", MONDAY + timedelta(days=3), (raj,), 1))
    (monday, _), (thursday, _) = sheets
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    def header(sheet: PixelSheet) -> list[str]:
        labels = [text for text in texts(sheet) if text.get_text() in days]
        return [text.get_text() for text in sorted(labels, key=lambda text: text.get_position())]

    assert header(monday) == days
    assert header(thursday) == ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    assert "6 days" in words(monday)
    assert marks.NAMES[DayMark.MISSED] in words(monday)


# --- every script and emoji -----------------------------------------------------------------


def faces() -> list[FT2Font]:
    """Return the first face of each family the charts draw with, Last Resort left out."""
    return [
        FT2Font(font_manager.findfont(FontProperties(family=family)))
        for family in fonts()
        if family != LAST_RESORT
    ]


@needs_fonts
@pytest.mark.parametrize("name", CJK_AND_EMOJI)
def test_every_character_of_a_cjk_or_emoji_name_has_a_glyph_in_the_chart_fonts(name: str) -> None:
    found = faces()

    for char in name.replace(" ", ""):
        assert any(face.get_char_index(ord(char)) != 0 for face in found), char


def drawn_pixels(words: str, families: list[str]) -> np.ndarray:
    """Return the pixels of `words` drawn alone in `families`."""
    sheet = PixelSheet(width=300)
    sheet.text(10, 40, words, fontfamily=families, fontsize=30, va="center")
    sheet.figure.set_size_inches(3, 0.8)
    sheet.axes.set_ylim(80, 0)
    sheet.figure.canvas.draw()
    return np.asarray(sheet.figure.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]


@needs_fonts
@pytest.mark.parametrize("char", ["王", "さ", "🚀", "민"])
def test_a_cjk_or_emoji_character_draws_as_itself_not_a_box_or_nothing(char: str) -> None:
    blank = drawn_pixels("", fonts())
    drawn = drawn_pixels(char, fonts())
    box = drawn_pixels(char, [LAST_RESORT])

    assert (drawn != blank).any()
    assert (drawn != box).any()


@needs_fonts
def test_cjk_and_emoji_names_are_drawn_as_written_on_every_chart(sheets) -> None:
    bars = tuple(BoardBar(n + 1, name, 5, "5 days") for n, name in enumerate(CJK_AND_EMOJI))
    render_leaderboard(LeaderboardData("c", "Current streak", bars, len(bars)))
    week = (DayMark.COUNTED,) * 7
    rows = tuple(WeekBar(name, week, 7) for name in CJK_AND_EMOJI)
    render_weekly_board(WeeklyBoardData("c", "w", MONDAY, rows, len(rows)))
    render_heatmap(a_heatmap(member="王小明 🚀"))

    (board, _), (weekly, _), (heatmap, _) = sheets
    for sheet in (board, weekly):
        assert set(CJK_AND_EMOJI) <= set(words(sheet))
        assert not any(text.startswith("Member") for text in words(sheet))
    assert "王小明 🚀 · 100 Days of Code" in words(heatmap)


def test_without_the_optional_fonts_charts_draw_and_names_stay(monkeypatch, sheets) -> None:
    absent = FontPackage("No Such Font", "Klingon", "fonts-klingon", "NoSuchFont")
    monkeypatch.setattr(_style, "OPTIONAL_FONTS", (absent,))
    _style._font_stack.cache_clear()
    try:
        assert missing_fonts() == (absent,)
        assert "No Such Font" not in fonts()
        bars = (BoardBar(1, "王小明", 5, "5 days"),)
        render_leaderboard(LeaderboardData("c", "Current streak", bars, 1))
    finally:
        _style._font_stack.cache_clear()
    ((sheet, _),) = sheets

    assert "王小明" in words(sheet)


@needs_fonts
def test_fonts_installed_after_matplotlibs_cache_was_built_are_found(monkeypatch) -> None:
    manager = font_manager.fontManager
    wanted = {font.family for font in _style.OPTIONAL_FONTS}
    monkeypatch.setattr(
        manager, "ttflist", [entry for entry in manager.ttflist if entry.name not in wanted]
    )
    _style._font_stack.cache_clear()
    try:
        assert missing_fonts() == ()
        assert wanted <= set(fonts())
    finally:
        _style._font_stack.cache_clear()


async def test_missing_fonts_are_logged_once_naming_the_package(monkeypatch, caplog) -> None:
    monkeypatch.setattr(jobs, "missing_fonts", lambda: (("emoji", "fonts-symbola"),))
    service = ChartService(progress=None)  # type: ignore[arg-type]  # draws no standings
    data = a_heatmap()
    with caplog.at_level(logging.WARNING, logger="bot.services.charts"):
        for _ in range(3):
            await service._render(jobs.draw_heatmap, data)

    warned = [record for record in caplog.records if "fonts" in record.getMessage()]
    assert len(warned) == 1
    assert "apt-get install fonts-symbola" in warned[0].getMessage()


# --- at Discord's preview size --------------------------------------------------------------

SHRINK = PREVIEW_WIDTH / WIDTH
SMALLEST_PREVIEW_PIXELS = 9.0
"""The least em height of words at preview size: Discord's own smallest text is 12 pixels."""


def cases() -> Iterator[tuple[str, Callable[[], bytes]]]:
    names = [LONG, "王小明", "さくら", "Ada 🚀", "민준", "Лена", "x" * 60, "Zoë", "🔥🔥🔥", "Tom"]
    c, s, m, r = DayMark.COUNTED, DayMark.SHORT, DayMark.MISSED, DayMark.REST
    week = (c, s, m, r, DayMark.FROZEN, DayMark.EXCUSED, DayMark.NONE)
    long_bars = tuple(
        BoardBar(n + 1, name, 400 - n, f"{400 - n} days") for n, name in enumerate(names)
    )
    yield (
        "board, 10 long rows",
        lambda: render_leaderboard(LeaderboardData(LONG, "Current streak", long_bars, 1_234)),
    )
    yield (
        "board, 1 row",
        lambda: render_leaderboard(LeaderboardData("c", "Current streak", long_bars[:1], 1)),
    )
    yield "board, empty", lambda: render_leaderboard(LeaderboardData("c", "Current streak", (), 0))
    rows = tuple(WeekBar(name, week, 1_234 * n) for n, name in enumerate(names))
    yield (
        "digest board, 10 rows",
        lambda: render_weekly_board(
            WeeklyBoardData(LONG, "Mar 16 \u2013 22, 2026", MONDAY, rows, 10_000)
        ),
    )
    yield (
        "digest board, 1 row",
        lambda: render_weekly_board(WeeklyBoardData("c", "w", MONDAY, rows[1:2], 1)),
    )
    yield (
        "digest board, empty",
        lambda: render_weekly_board(WeeklyBoardData("c", "w", MONDAY, (), 0)),
    )
    yield "heatmap, 4 weeks", lambda: render_heatmap(a_heatmap(member=LONG))
    yield "heatmap, a year", lambda: render_heatmap(a_heatmap(365, member="王小明 🚀"))
    yield "heatmap, first day", lambda: render_heatmap(a_heatmap(0))
    first = MONDAY - timedelta(weeks=7)
    days = tuple(ActivityDay(first + timedelta(days=n), n * 37 % 1_000) for n in range(56))
    yield (
        "activity",
        lambda: render_activity(ActivityData(LONG, days, MONDAY, MONDAY + timedelta(days=6))),
    )


CASES = dict(cases())


@pytest.mark.parametrize("case", list(CASES))
def test_at_preview_size_words_are_legible_inside_and_never_overlap(case: str, sheets) -> None:
    CASES[case]()
    ((sheet, height),) = sheets
    renderer = sheet.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    glyphs = {look.glyph for look in (*marks.LOOKS.values(), marks.ENDED) if look.glyph}
    boxes = []
    for text in texts(sheet):
        box = text.get_window_extent(renderer=renderer)
        assert box.x0 >= -0.5, text.get_text()
        assert box.x1 <= WIDTH + 0.5, text.get_text()
        assert box.y0 >= -0.5, text.get_text()
        assert box.y1 <= height + 0.5, text.get_text()
        if text.get_text() in glyphs:
            continue  # a cell's own mark, inside its cell
        em = text.get_fontsize() * DPI / 72 * SHRINK
        assert em >= SMALLEST_PREVIEW_PIXELS, (text.get_text(), em)
        boxes.append((text.get_text(), box))
    for (first, one), (second, other) in combinations(boxes, 2):
        # A pixel of anti-aliasing may touch; letters may not.
        overlap_x = min(one.x1, other.x1) - max(one.x0, other.x0)
        overlap_y = min(one.y1, other.y1) - max(one.y0, other.y0)
        assert overlap_x <= 1 or overlap_y <= 1, (first, second)

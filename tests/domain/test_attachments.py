"""Which files of a post are kept, and the names they get in an export archive."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.attachments import FileRefusal, admit, archive_paths, safe_filename


def test_files_are_kept_in_order_until_the_allowance_is_used() -> None:
    # 60 used of 100: 30 fits (90), 20 would make 110, 10 still fits (100); None was unreadable.
    assert admit([30, 20, 10, None], used=60, quota=100, per_file=50) == [
        None,
        FileRefusal.OVER_QUOTA,
        None,
        FileRefusal.UNREADABLE,
    ]


def test_a_file_over_the_per_file_cap_is_too_large_even_with_room_left() -> None:
    assert admit([51, 50], used=0, quota=1000, per_file=50) == [FileRefusal.TOO_LARGE, None]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("notes.png", "notes.png"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ada\\plot.png", "plot.png"),
        ("/abs/path.txt", "path.txt"),
        (".hidden", "hidden"),
        ("..", "file"),
        ("", "file"),
        ("a\x00b\nc.txt", "a_b_c.txt"),
        ("what?.png", "what_.png"),
        ("x" * 300 + ".png", "x" * 96 + ".png"),
    ],
)
def test_a_name_is_only_a_name(given: str, kept: str) -> None:
    assert safe_filename(given) == kept


def test_archive_paths_are_per_day_numbered_and_unique() -> None:
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    paths = archive_paths(
        [(monday, "plot.png"), (monday, "plot.png"), (tuesday, "../x.png"), (monday, "a.txt")]
    )
    assert paths == [
        "attachments/2026-03-02/1-plot.png",
        "attachments/2026-03-02/2-plot.png",
        "attachments/2026-03-03/1-x.png",
        "attachments/2026-03-02/3-a.txt",
    ]
    assert len(set(paths)) == len(paths)

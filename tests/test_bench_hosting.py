"""bench.hosting's smoke run: the report's shape, and figures that are positive and consistent.

The values themselves are measurements of a noisy machine: nothing here checks them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.hosting import ATTACHMENT_BYTES, ATTACHMENT_FILES, QUICK
from bot.charts.pool import CHART_WORKERS

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("DAYBOOK_TEST_POSTGRES_URL")
BACKEND = "PostgreSQL" if POSTGRES else "SQLite"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    """Run `python -m bench.hosting --quick` on the suite's backend; return its Markdown, JSON."""
    folder = tmp_path_factory.mktemp("hosting")
    markdown, record = folder / "hosting.md", folder / "hosting.json"
    command = [sys.executable, "-m", "bench.hosting", "--quick"]
    command += ["--markdown", str(markdown), "--json", str(record)]
    if POSTGRES:
        command += ["--no-sqlite", "--postgres-url", POSTGRES]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    return markdown.read_text(), json.loads(record.read_text())


@pytest.fixture(scope="module")
def figures(run: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """Return the one backend's figures."""
    _, record = run
    assert list(record["backends"]) == [BACKEND]
    return dict(record["backends"][BACKEND])


def test_the_report_has_a_row_for_each_requirement(run: tuple[str, dict[str, Any]]) -> None:
    markdown, _ = run
    rows = [line.split(" | ")[0].lstrip("| ") for line in markdown.splitlines() if "|" in line]
    memory = (
        "memory, idle bot (no members)",
        f"memory, serving {QUICK.members:,} members",
        "memory per 1,000 members",
    )
    for what in (
        "disk per 1,000 members per year",
        "attachments",
        "CPU per day, 1,000 members",
        "CPU per day ÷ calibration loop",
    ):
        assert what in rows
    # The bot on simcord is measured on SQLite only.
    assert all((what in rows) == (BACKEND == "SQLite") for what in memory)
    assert "machine: " in markdown
    assert f"**{BACKEND}**" in markdown


def test_the_year_holds_a_post_per_member_per_day_and_copies_of_the_same_shape(
    figures: dict[str, Any],
) -> None:
    assert figures["members"] == QUICK.members
    assert figures["days"] == QUICK.days
    # Every member posts once a day: the sample days through the write path, the rest copied.
    assert figures["entries"] == QUICK.members * QUICK.days
    assert figures["real_entries"] == QUICK.members * QUICK.sample_days
    assert figures["same_shape"] is True
    assert figures["year_bytes"] > figures["empty_bytes"] > 0
    grown = figures["year_bytes"] - figures["empty_bytes"]
    expected = grown * 1000 / QUICK.members * 365 / QUICK.days
    assert figures["disk_bytes_per_1000_year"] == pytest.approx(expected)


def test_attachments_are_measured_apart_and_take_at_least_their_bytes(
    figures: dict[str, Any],
) -> None:
    # Each file fits the default quota and the per-file limit, so every one is kept.
    assert figures["attachments_kept"] == ATTACHMENT_FILES * ATTACHMENT_BYTES
    # Random bytes do not compress: the database cannot hold them in much less than their size.
    assert figures["attachments_bytes"] >= 0.9 * figures["attachments_kept"]


@pytest.mark.sqlite_only(reason="the bot on simcord is measured on SQLite only (bench/hosting.py)")
def test_memory_is_read_for_the_bot_and_each_chart_worker(
    run: tuple[str, dict[str, Any]], figures: dict[str, Any]
) -> None:
    _, record = run
    baseline = record["python_baseline_kb"]
    idle, serving = figures["idle"], figures["serving"]
    assert idle["members"] == 0
    assert serving["members"] == QUICK.members
    # Each acting member's /log, then a leaderboard and a heatmap: each answered.
    assert serving["actors"] == min(QUICK.actors, QUICK.members)
    assert serving["answered"] == serving["actors"] + 2
    assert idle["answered"] == 0
    for run_figures in (idle, serving):
        assert run_figures["bot_hwm_kb"] > baseline > 0
        assert len(run_figures["workers_hwm_kb"]) == CHART_WORKERS
        assert all(kb > 0 for kb in run_figures["workers_hwm_kb"])
        assert run_figures["bot_pss_kb"] > 0
        assert run_figures["workers_pss_kb"] > 0
        assert run_figures["ticks"] == QUICK.ticks


def test_a_day_of_cpu_adds_up(figures: dict[str, Any]) -> None:
    day = figures["day"]
    assert day["posts"] == QUICK.members
    assert day["ticks"] == QUICK.minutes
    assert day["digests_posted"] == 1
    assert day["calibration_s"] > 0
    cpu = figures["cpu_s_per_day"]
    assert set(cpu) == {"posts", "boards", "ticks", "charts", "postgres", "digest"}
    assert all(seconds >= 0 for seconds in cpu.values())
    assert cpu["posts"] > 0
    assert cpu["ticks"] > 0
    assert cpu["charts"] > 0  # the boards and heatmaps are drawn in the worker processes
    assert (cpu["postgres"] > 0) == (BACKEND == "PostgreSQL")
    total = sum(cpu.values())
    assert figures["cpu_s_per_day_per_1000"] == pytest.approx(total * 1000 / QUICK.members)

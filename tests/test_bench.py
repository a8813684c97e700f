"""The benchmarks' own logic: the naive reference, the verdicts, the growth exponent, the docs.

Two smoke runs (`bench.engine` and `bench.scheduled` on a 50-member server, SQLite, in child
processes) check that a run writes its Markdown with every target row, and that the reminder
delivery really delivers. Nothing here asserts a time.
"""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command

from bench import docs, growth, naive
from bench.backend import SqliteBackend
from bench.scheduled.digest import DigestFigures, DigestRun
from bench.scheduled.reminders import Decision, Delivery
from bench.scheduled.report import Figures, delivered, rows
from bench.scheduled.setup import Wave
from bench.world import sqlite_url
from bot.domain.rules import MissedDayPolicy, preset
from storage import current_revision
from storage.migrate import alembic_config, head_revision

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 3, 1)


def days(*rows: tuple[int, int, int, int | None]) -> list[tuple[date, int, int, int | None]]:
    """Return naive day rows from (day offset, posts, posts stating minutes, minutes)."""
    return [
        (DAY + timedelta(days=offset), posts, stating, minutes)
        for offset, posts, stating, minutes in rows
    ]


# ---------------------------------------------------------------------------------------------
# The naive fold: a streak is consecutive qualifying days (bot/domain/engine)
# ---------------------------------------------------------------------------------------------


def test_naive_fold_counts_runs_of_qualifying_days() -> None:
    # Days 0-2 qualify (an hour each), day 3 is missing, days 4-5 qualify: best 3, current 2.
    history = days((0, 1, 1, 60), (1, 1, 1, 90), (2, 2, 2, 60), (4, 1, 1, 60), (5, 1, 1, 75))
    assert naive.fold(history, DAY, DAY + timedelta(days=5), 60) == naive.Streaks(2, 3)


def test_naive_fold_short_days_break_the_streak_unless_a_post_states_no_minutes() -> None:
    # Day 1 states 30 minutes only: short, the streak ends. Day 3 states 20 minutes in one
    # post and nothing in another: taken at the member's word, it qualifies.
    history = days((0, 1, 1, 60), (1, 1, 1, 30), (2, 1, 1, 60), (3, 2, 1, 20))
    assert naive.fold(history, DAY, DAY + timedelta(days=3), 60) == naive.Streaks(2, 2)
    # Minutes stated across posts add up: 30 + 30 is an hour.
    assert naive.fold(days((0, 2, 2, 60)), DAY, DAY, 60) == naive.Streaks(1, 1)


def test_naive_fold_today_open_and_days_outside_the_walk() -> None:
    history = days((0, 1, 1, 60), (1, 1, 1, 60))
    # Today (day 2) has no post yet: the streak still runs.
    assert naive.fold(history, DAY, DAY + timedelta(days=2), 60) == naive.Streaks(2, 2)
    # Yesterday missed too: the streak is over, the best stays.
    assert naive.fold(history, DAY, DAY + timedelta(days=3), 60) == naive.Streaks(0, 2)
    # Days before the member's start, and after today, are not walked.
    assert naive.fold(history, DAY + timedelta(days=1), DAY + timedelta(days=1), 60) == (
        naive.Streaks(1, 1)
    )
    assert naive.fold(history, DAY, DAY, 60) == naive.Streaks(1, 1)


def test_naive_reference_refuses_rules_it_does_not_model() -> None:
    naive.check_fair(preset("100-days-of-ml-code"))  # the synthetic server's rules
    with pytest.raises(naive.UnfairError):
        naive.check_fair(preset("100-days-of-code"))  # needs a link
    rules = preset("100-days-of-ml-code")
    assert rules.missed_day_policy is MissedDayPolicy.PAUSE


# ---------------------------------------------------------------------------------------------
# Verdicts: a delivery that sent nothing is a MISS
# ---------------------------------------------------------------------------------------------


def scheduled_figures(messages: int, sent: int) -> Figures:
    """Return scheduled-bench figures where the tick found 10 members due."""
    wave = Wave(members=12, reminded=12, logged=2, counting=2, refresh_s=0.0)
    decision = Decision(due_ms=[1.0], baseline_ms=[1.0], found=10)
    delivery = Delivery(due=10, sent=sent, messages=messages, ledger_sent=sent, mentioned_once=True)
    run = DigestRun(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    digest = DigestFigures(cold=run, warm=[run])
    return Figures(wave, decision, delivery, digest, [("start", 0.0)])


def test_a_delivery_of_nothing_is_a_miss() -> None:
    nothing = scheduled_figures(messages=0, sent=0)
    assert not delivered(nothing)
    verdicts = {row[0]: row[3] for row in rows(nothing)}
    assert verdicts["channel delivery vs fastest schedule"] == "MISS"
    assert verdicts["channel rate limit (5 messages / 5 s)"] == "MISS"
    # Some due members left out: a MISMATCH, also a MISS.
    assert not delivered(scheduled_figures(messages=1, sent=7))
    assert delivered(scheduled_figures(messages=1, sent=10))


# ---------------------------------------------------------------------------------------------
# The growth table's exponent
# ---------------------------------------------------------------------------------------------


def test_growth_exponent_reads_the_power_law() -> None:
    assert growth.exponent(1_000, 2.0, 10_000, 20.0) == pytest.approx(1.0)
    assert growth.exponent(1_000, 1.0, 10_000, 100.0) == pytest.approx(2.0)
    assert growth.exponent(1_000, 5.0, 100_000, 5.0) == pytest.approx(0.0)
    assert math.isnan(growth.exponent(1_000, 0.0, 10_000, 1.0))
    titles, table = growth.growth_rows(
        [1_000, 10_000], {1_000: {"walk (ms)": 10.0}, 10_000: {"walk (ms)": 1_000.0}}
    )
    assert titles == ["cost", "1,000", "10,000", "exponent 1,000 → 10,000"]
    assert table == [["walk (ms)", "10.0", "1,000.0", "2.00"]]


# ---------------------------------------------------------------------------------------------
# docs/performance.md: its generated regions are the files in docs/perf/, never hand edits
# ---------------------------------------------------------------------------------------------


def test_docs_regions_are_regenerated_from_the_files(tmp_path: Path) -> None:
    (tmp_path / "engine-sqlite.md").write_text("| a | b |\n")
    page = (
        "prose\n<!-- bench:engine-sqlite -->\nhand edit\n<!-- /bench:engine-sqlite -->\n"
        "<!-- bench:engine-postgresql -->\n<!-- /bench:engine-postgresql -->\nmore prose\n"
    )
    fresh = docs.regenerate(page, tmp_path)
    assert docs.regions(fresh) == {
        "engine-sqlite": "| a | b |\n",
        "engine-postgresql": docs.missing("engine-postgresql"),
    }
    assert fresh.startswith("prose\n")
    assert fresh.endswith("more prose\n")
    assert docs.regenerate(fresh, tmp_path) == fresh
    (tmp_path / "growth-sqlite.md").write_text("x\n")
    with pytest.raises(docs.StaleError, match="growth-sqlite"):
        docs.regenerate(page, tmp_path)


def test_performance_page_matches_the_generated_files() -> None:
    page = docs.PAGE.read_text()
    assert docs.regions(page), "docs/performance.md has no generated regions"
    # A failure here means a region was edited by hand, or a bench wrote a file and the page
    # was not regenerated: run ./run python -m bench.docs.
    assert docs.regenerate(page) == page


# ---------------------------------------------------------------------------------------------
# Smoke runs: a tiny server, SQLite, each bench in a child process as a user runs it
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a 50-member server file, built once for both smoke runs (each works on a copy)."""
    return tmp_path_factory.mktemp("server") / "server-50.db"


def run_bench(bench: str, server: Path, tmp_path: Path) -> tuple[str, dict[str, object]]:
    """Run a bench on the 50-member server; return its Markdown and its JSON record."""
    markdown, record = tmp_path / f"{bench}.md", tmp_path / f"{bench}.json"
    command = [sys.executable, "-m", f"bench.{bench}", "--members", "50", "--db", str(server)]
    command += ["--markdown", str(markdown), "--json", str(record)]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    return markdown.read_text(), json.loads(record.read_text())


def table_rows(markdown: str) -> dict[str, list[str]]:
    """Return the Markdown table's rows by measure."""
    found = {}
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        if line.startswith("| ") and len(cells) == 4 and cells[0] != "measure":
            found[cells[0]] = cells
    return found


def test_engine_bench_writes_every_target(server: Path, tmp_path: Path) -> None:
    markdown, record = run_bench("engine", server, tmp_path)
    found = table_rows(markdown)
    for measure in (
        "record entry vs the raw driver's insert + commit, warm checkpoints",
        "record entry vs the stack's plain insert, warm checkpoints",
        "summary, warm checkpoints (steady state)",
        "leaderboard streak/all, warm (3 runs)",
        "leaderboard consistency/all, warm (3 runs)",
        "whole-server walk (cold streak board, no checkpoints) vs naive recompute",
        "first board after a start (checkpoints, empty walk cache)",
        "peak memory, serving process",
    ):
        assert measure in found, measure
        assert found[measure][3] in {"PASS", "MISS"}, found[measure]
    walk = found["whole-server walk (cold streak board, no checkpoints) vs naive recompute"]
    # The naive fold follows the engine's rules: every sampled member has the same streaks.
    matched = walk[2].split("streaks matched for ")[1].split(" sampled")[0]
    same, of = matched.split(" of ")
    assert same == of, walk
    assert int(of) > 0, walk
    assert "machine: " in markdown
    assert "SQLite" in markdown
    assert record["members"] == 50
    costs = record["costs"]
    assert isinstance(costs, dict)
    assert "cold walk: streak board (ms)" in costs


def test_scheduled_bench_delivers_to_every_due_member(server: Path, tmp_path: Path) -> None:
    markdown, _ = run_bench("scheduled", server, tmp_path)
    found = table_rows(markdown)
    for measure in (
        "longest loop stall, reminder decision",
        "weekly digest end to end, first after start",
        "longest loop stall, digest warm",
    ):
        assert measure in found, measure
    delivery = found["channel delivery vs fastest schedule"][2]
    # "N messages to S of D due": something was sent, to every member found due.
    messages, rest = delivery.split(" messages to ")
    sent, due = rest.split(" due")[0].split(" of ")
    assert int(messages) > 0, delivery
    assert int(sent) == int(due) > 0, delivery
    assert "MISMATCH" not in delivery


def test_a_stored_server_of_an_older_schema_is_migrated_once_not_rebuilt(tmp_path: Path) -> None:
    # A new migration changes no synthetic row: the stored server is upgraded in place, its
    # record kept (with the file's new size, so the next run still reuses it).
    path = tmp_path / "server-20.db"
    backend = SqliteBackend(path)
    built = backend.ensure_server(20, seed=3)
    assert built["reused"] is False
    config = alembic_config(sqlite_url(path))
    command.downgrade(config, "0009")
    assert asyncio.run(current_revision(sqlite_url(path))) == "0009"

    again = backend.ensure_server(20, seed=3)

    assert again["reused"] is True
    assert again["entries"] == built["entries"]
    assert asyncio.run(current_revision(sqlite_url(path))) == head_revision()
    assert backend.ensure_server(20, seed=3)["reused"] is True


def test_coherence_bench_finds_no_stale_answer_when_coherent(server: Path, tmp_path: Path) -> None:
    markdown, record = run_bench("coherence", server, tmp_path)
    found = table_rows(markdown)
    for measure in (
        "record (/log), median ms",
        "warm board, nothing changed, median ms",
        "B's board after A's write, median ms (off: stale)",
    ):
        assert float(found[measure][3]) > 0, found[measure]
    stale = found["B's answers right after A's commit that missed it"]
    writes = int(stale[1].split("/")[1])
    assert writes > 0
    # Coherent, B's next board always counts A's post; without, it never does (warm cache).
    assert stale[1] == f"0/{writes}"
    assert stale[2] == f"{writes}/{writes}"
    assert record["stale answers"] == {"coherent": 0, "not coherent": writes}

"""The engine benchmark's figures, and its report (target vs measured)."""

from __future__ import annotations

import os
import platform
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import aiosqlite
import sqlalchemy as sa

from bench.report import percentile, revision, table, verdict
from bench.sqltrace import Anatomy
from bench.world import NOW

TARGET_RECORD_RATIO = 0.5
TARGET_SUMMARY_P99_MS = 20.0
TARGET_BOARD_MS = 200.0
TARGET_PEAK_MB = 300.0


@dataclass(frozen=True, slots=True)
class WriteRates:
    """Records and baseline inserts of the same rows, measured in alternating blocks."""

    records: float
    """Entries recorded per second through EntryService.record."""
    baseline: float
    """Rows per second of single-row committed INSERTs through Database.write()."""
    record_cpu_ms: float
    """Main-thread CPU per record (Python: services, SQLAlchemy, the event loop)."""
    baseline_cpu_ms: float
    """Main-thread CPU per baseline insert."""

    @property
    def ratio(self) -> float:
        """Records per second as a share of the baseline."""
        return self.records / self.baseline


@dataclass(slots=True)
class Figures:
    """Everything a run measured."""

    build: dict[str, Any] = field(default_factory=dict)
    copy_s: float = 0.0
    entries: int = 0
    members: int = 0
    load: list[tuple[str, float]] = field(default_factory=list)
    sqlite3_rate: float = 0.0
    write_cold: WriteRates | None = None
    write_warm: WriteRates | None = None
    summary_cold: list[float] = field(default_factory=list)
    summary_warm: list[float] = field(default_factory=list)
    boards: dict[str, list[float]] = field(default_factory=dict)
    ranked: int = 0
    board_traced_mb: float = 0.0
    maintenance: dict[str, float] = field(default_factory=dict)
    rss_after: dict[str, float] = field(default_factory=dict)
    serving_peak_mb: float = 0.0
    """Peak RSS of the serving process before tracemalloc ran."""
    anatomies: dict[str, Anatomy] = field(default_factory=dict)
    plans: list[str] = field(default_factory=list)


def header(figures: Figures, quick: bool) -> list[str]:
    """Return the lines that say what was measured, where and when."""
    build = figures.build
    return [
        "Daybook engine benchmark" + (" (--quick)" if quick else ""),
        (
            f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, SQLAlchemy "
            f"{sa.__version__}, aiosqlite {aiosqlite.__version__}"
        ),
        f"code: {revision()}; load average "
        + ", ".join(f"{when} {load:.2f}" for when, load in figures.load)
        + " (other processes share these CPUs)",
        (
            f"server: {figures.members:,} active of {build['members']:,} members, "
            f"{figures.entries:,} live entries, {build['bytes'] / 2**20:,.0f} MB file; built in "
            f"{build['seconds']:.0f} s{' (reused)' if build['reused'] else ''}, copied in "
            f"{figures.copy_s:.1f} s; now = {NOW.isoformat()}"
        ),
    ]


def write_lines(figures: Figures) -> list[str]:
    """Return the baseline paragraph."""
    cold, warm = figures.write_cold, figures.write_warm
    assert cold is not None
    assert warm is not None
    stack = 2 / (1 / cold.baseline + 1 / warm.baseline)
    return [
        "write baseline: single-row INSERT + COMMIT of the record's own row, same file",
        (
            "  SQLAlchemy async + aiosqlite via Database.write(), in blocks alternating with the "
            f"records: {cold.baseline:,.0f} rows/s (cold phase), {warm.baseline:,.0f} rows/s "
            f"(warm phase); main-thread CPU {warm.baseline_cpu_ms:.2f} ms per insert"
        ),
        (
            f"  stdlib sqlite3 (sync, same PRAGMAs): {figures.sqlite3_rate:,.0f} rows/s "
            f"(the async stack runs at {stack / figures.sqlite3_rate:.2f} x of it)"
        ),
    ]


def target_rows(figures: Figures) -> list[tuple[str, str, str, str]]:
    """Return (measure, target, measured, verdict) rows."""
    cold, warm, m = figures.write_cold, figures.write_warm, figures.maintenance
    assert cold is not None
    assert warm is not None
    rows = [
        (
            "record entry, warm checkpoints (steady state)",
            f">= {TARGET_RECORD_RATIO} x baseline",
            f"{warm.records:,.0f}/s = {warm.ratio:.2f} x",
            verdict(warm.ratio >= TARGET_RECORD_RATIO),
        ),
        (
            "record entry, cold checkpoints",
            "(no target)",
            f"{cold.records:,.0f}/s = {cold.ratio:.2f} x",
            "info",
        ),
    ]
    for label, values in (
        ("summary, warm checkpoints (steady state)", figures.summary_warm),
        ("summary, cold checkpoints", figures.summary_cold),
    ):
        p50, p99 = percentile(values, 50), percentile(values, 99)
        rows.append(
            (
                label,
                f"p99 <= {TARGET_SUMMARY_P99_MS:.0f} ms",
                f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
                verdict(p99 <= TARGET_SUMMARY_P99_MS),
            )
        )
    for name, runs in figures.boards.items():
        p50 = percentile(runs, 50)
        rows.append(
            (
                f"leaderboard {name}, warm ({len(runs)} runs)",
                f"<= {TARGET_BOARD_MS:.0f} ms",
                f"p50 {p50:,.0f} ms, max {max(runs):,.0f} ms",
                verdict(p50 <= TARGET_BOARD_MS),
            )
        )
    rows += [
        (
            "leaderboard streak/all, cold (no checkpoints)",
            f"<= {TARGET_BOARD_MS:.0f} ms",
            f"{m['cold_board_ms']:,.0f} ms",
            verdict(m["cold_board_ms"] <= TARGET_BOARD_MS),
        ),
        (
            "refresh_checkpoints, whole server",
            "(no target)",
            f"{m['refresh_s']:,.1f} s for {int(m['saved']):,} members",
            "info",
        ),
        (
            "peak memory, serving process",
            f"<= {TARGET_PEAK_MB:.0f} MB",
            f"{figures.serving_peak_mb:,.0f} MB",
            verdict(figures.serving_peak_mb <= TARGET_PEAK_MB),
        ),
        (
            "peak memory, cold board + refresh process",
            f"<= {TARGET_PEAK_MB:.0f} MB",
            f"{m['peak_rss_mb']:,.0f} MB (after the cold board {m['cold_board_rss_mb']:,.0f})",
            verdict(m["peak_rss_mb"] <= TARGET_PEAK_MB),
        ),
    ]
    return rows


def anatomy_lines(figures: Figures) -> list[str]:
    """Return the statement anatomy of each traced call."""
    lines: list[str] = []
    for title, anatomy in figures.anatomies.items():
        if not anatomy.calls:
            continue
        statements = anatomy.rows()
        in_sql = sum(ms for _, _, ms in statements)
        count = sum(n for _, n, _ in statements)
        lines.append("")
        lines.append(
            f"anatomy of one {title} (mean of {anatomy.calls}): {anatomy.per_call_ms:.2f} ms wall, "
            f"{anatomy.cpu_per_call_ms:.2f} ms main-thread CPU; {count:.0f} statements spend "
            f"{in_sql:.2f} ms between driver call and return"
        )
        lines.extend(f"  {n:4.1f} x {ms:7.3f} ms  {name}" for name, n, ms in statements)
    return lines


def report(figures: Figures, quick: bool) -> str:
    """Return the whole report."""
    m = figures.maintenance
    out = header(figures, quick)
    out.append("")
    out += write_lines(figures)
    out.append("")
    out += table(target_rows(figures))
    out.append("")
    out.append(
        "verdicts: records against the stack baseline of the same blocks (the target applies "
        "to the steady state: checkpoints refreshed, as the scheduler does daily); boards on "
        "their median run; summary p99 by linear interpolation over "
        f"{len(figures.summary_warm)} members"
    )
    assert figures.write_cold is not None
    assert figures.write_warm is not None
    out.append(
        f"main-thread CPU per record: {figures.write_warm.record_cpu_ms:.2f} ms warm, "
        f"{figures.write_cold.record_cpu_ms:.2f} ms cold"
    )
    out.append(
        "peak RSS of the serving process after each phase: "
        + ", ".join(f"{name} {mb:,.0f} MB" for name, mb in figures.rss_after.items())
    )
    out.append(
        f"peak RSS of the maintenance process: {m['start_rss_mb']:,.0f} MB after opening, "
        f"{m['cold_board_rss_mb']:,.0f} MB after the cold board, {m['peak_rss_mb']:,.0f} MB "
        "after refresh_checkpoints"
    )
    out.append(
        f"tracemalloc peak of one warm streak board: {figures.board_traced_mb:,.1f} MB; "
        f"boards rank {figures.ranked:,} visible members"
    )
    out += anatomy_lines(figures)
    if figures.plans:
        out.append("")
        out.append("query plans (EXPLAIN QUERY PLAN of each SELECT above):")
        out += figures.plans
    return "\n".join(out)

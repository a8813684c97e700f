"""The engine benchmark's figures, and its report (target vs measured)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from bench.report import Row, markdown, percentile, revision, table, verdict
from bench.sqltrace import Anatomy
from bench.world import NOW

TARGET_RECORD_RATIO = 0.5
TARGET_SUMMARY_P99_MS = 20.0
TARGET_BOARD_MS = 200.0
TARGET_FIRST_BOARD_MS = 1000.0
TARGET_WALK_SPEEDUP = 5.0
TARGET_PEAK_MB = 300.0


@dataclass(frozen=True, slots=True)
class WriteRates:
    """Records and baseline inserts of the same rows, measured in alternating blocks."""

    records: float
    """Entries recorded per second through EntryService.record."""
    baseline: float
    """Rows per second of single-row committed INSERTs through Database.write()."""
    raw: float
    """Rows per second of the raw driver's own single-row INSERT and COMMIT."""
    record_cpu_ms: float
    """Main-thread CPU per record (Python: services, SQLAlchemy, the event loop)."""
    baseline_cpu_ms: float
    """Main-thread CPU per baseline insert."""

    @property
    def ratio(self) -> float:
        """Records per second as a share of the stack baseline."""
        return self.records / self.baseline

    @property
    def raw_ratio(self) -> float:
        """Records per second as a share of the raw driver's."""
        return self.records / self.raw


@dataclass(slots=True)
class Figures:
    """Everything a run measured."""

    build: dict[str, Any] = field(default_factory=dict)
    copy_s: float = 0.0
    entries: int = 0
    members: int = 0
    load: list[tuple[str, float]] = field(default_factory=list)
    backend: str = ""
    versions: str = ""
    write_cold: WriteRates | None = None
    write_warm: WriteRates | None = None
    summary_cold: list[float] = field(default_factory=list)
    summary_warm: list[float] = field(default_factory=list)
    naive_cold: list[float] = field(default_factory=list)
    """The naive single-member recompute, in blocks alternating with the cold summaries."""
    naive_warm: list[float] = field(default_factory=list)
    boards: dict[str, list[float]] = field(default_factory=dict)
    ranked: int = 0
    board_traced_mb: float = 0.0
    maintenance: dict[str, Any] = field(default_factory=dict)
    rss_after: dict[str, float] = field(default_factory=dict)
    serving_peak_mb: float = 0.0
    """Peak RSS of the serving process before tracemalloc ran."""
    anatomies: dict[str, Anatomy] = field(default_factory=dict)
    plans: list[str] = field(default_factory=list)


def header(figures: Figures, quick: bool) -> list[str]:
    """Return the lines that say what was measured, where and when."""
    build = figures.build
    size = f", {build['bytes'] / 2**20:,.0f} MB" if build.get("bytes") else ""
    return [
        f"Daybook engine benchmark on {figures.backend}" + (" (--quick)" if quick else ""),
        f"machine: {figures.versions}",
        f"code: {revision()}; load average "
        + ", ".join(f"{when} {load:.2f}" for when, load in figures.load)
        + " (other processes share these CPUs)",
        (
            f"server: {figures.members:,} active of {build['members']:,} members, "
            f"{figures.entries:,} live entries{size}; built in "
            f"{build['seconds']:.0f} s{' (reused)' if build['reused'] else ''}, copied in "
            f"{figures.copy_s:.1f} s; now = {NOW.isoformat()}"
        ),
    ]


def write_lines(figures: Figures) -> list[str]:
    """Return the baseline paragraph."""
    cold, warm = figures.write_cold, figures.write_warm
    if cold is None or warm is None:
        return []
    return [
        (
            "write baselines: single-row INSERT + COMMIT of the record's own row, same "
            "database, in blocks alternating (ABBA) with the records"
        ),
        (
            f"  the stack (Database.write()): {cold.baseline:,.0f} rows/s (cold phase), "
            f"{warm.baseline:,.0f} rows/s (warm phase); main-thread CPU "
            f"{warm.baseline_cpu_ms:.2f} ms per insert"
        ),
        (
            f"  the raw driver: {cold.raw:,.0f} rows/s (cold phase), {warm.raw:,.0f} rows/s "
            f"(warm phase); the stack runs at {warm.baseline / warm.raw:.2f} x of it"
        ),
    ]


def p50(values: list[float]) -> float:
    """Return the median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def target_rows(figures: Figures) -> list[Row]:
    """Return (measure, target, measured, verdict) rows: every target of issue 14 this bench has."""
    cold, warm, m = figures.write_cold, figures.write_warm, figures.maintenance
    rows: list[Row] = []
    if warm is not None and cold is not None:
        rows += [
            (
                "record entry vs the raw driver's insert + commit, warm checkpoints",
                f">= {TARGET_RECORD_RATIO} x raw driver",
                f"{warm.records:,.0f}/s vs {warm.raw:,.0f}/s = {warm.raw_ratio:.2f} x",
                verdict(warm.raw_ratio >= TARGET_RECORD_RATIO),
            ),
            (
                "record entry vs the stack's plain insert, warm checkpoints",
                f">= {TARGET_RECORD_RATIO} x stack insert",
                f"{warm.records:,.0f}/s vs {warm.baseline:,.0f}/s = {warm.ratio:.2f} x",
                verdict(warm.ratio >= TARGET_RECORD_RATIO),
            ),
            (
                "record entry, cold checkpoints",
                "(no target)",
                f"{cold.ratio:.2f} x stack insert, {cold.raw_ratio:.2f} x raw driver",
                "info",
            ),
        ]
    for label, values, reference in (
        ("summary, warm checkpoints (steady state)", figures.summary_warm, figures.naive_warm),
        ("summary, cold checkpoints", figures.summary_cold, figures.naive_cold),
    ):
        if not values:
            continue
        p99 = percentile(values, 99)
        rows.append(
            (
                label,
                f"p99 <= {TARGET_SUMMARY_P99_MS:.0f} ms",
                (
                    f"p50 {p50(values):.1f} ms, p99 {p99:.1f} ms; naive query p50 "
                    f"{p50(reference):.1f} ms = {p50(values) / p50(reference):.2f} x naive"
                ),
                verdict(p99 <= TARGET_SUMMARY_P99_MS),
            )
        )
    for name, runs in figures.boards.items():
        rows.append(
            (
                f"leaderboard {name}, warm ({len(runs)} runs)",
                f"<= {TARGET_BOARD_MS:.0f} ms",
                f"p50 {p50(runs):,.0f} ms, max {max(runs):,.0f} ms",
                verdict(p50(runs) <= TARGET_BOARD_MS),
            )
        )
    if m:
        cold_ms, naive_ms = p50(m["cold_board_ms"]), p50(m["naive_board_ms"])
        speedup = naive_ms / cold_ms
        same = m["matched"] == m["compared"] > 0
        rows += [
            (
                "whole-server walk (cold streak board, no checkpoints) vs naive recompute",
                f">= {TARGET_WALK_SPEEDUP:.0f} x faster, same streaks",
                (
                    f"{cold_ms:,.0f} ms vs naive {naive_ms:,.0f} ms: {speedup:.2f} x as fast "
                    f"({len(m['cold_board_ms'])} + {len(m['naive_board_ms'])} runs, ABBA); "
                    f"streaks matched for {m['matched']} of {m['compared']} sampled members"
                ),
                verdict(same and speedup >= TARGET_WALK_SPEEDUP),
            ),
            (
                "first board after a start (checkpoints, empty walk cache)",
                f"<= {TARGET_FIRST_BOARD_MS:,.0f} ms",
                f"{m['first_board_ms']:,.0f} ms",
                verdict(m["first_board_ms"] <= TARGET_FIRST_BOARD_MS),
            ),
            (
                "refresh_checkpoints, whole server",
                "(no target)",
                f"{m['refresh_s']:,.1f} s for {int(m['saved']):,} members",
                "info",
            ),
        ]
    if figures.serving_peak_mb:
        rows.append(
            (
                "peak memory, serving process",
                f"<= {TARGET_PEAK_MB:.0f} MB",
                f"{figures.serving_peak_mb:,.0f} MB",
                verdict(figures.serving_peak_mb <= TARGET_PEAK_MB),
            )
        )
    if m:
        rows.append(
            (
                "peak memory, cold boards + refresh process",
                f"<= {TARGET_PEAK_MB:.0f} MB",
                f"{m['peak_rss_mb']:,.0f} MB (after the cold boards {m['cold_board_rss_mb']:,.0f})",
                verdict(m["peak_rss_mb"] <= TARGET_PEAK_MB),
            )
        )
    return rows


def costs(figures: Figures) -> dict[str, float]:
    """Return each cost in milliseconds (or MB), for the growth table."""
    m, warm = figures.maintenance, figures.write_warm
    found: dict[str, float] = {}
    if warm is not None:
        found["record, warm (ms)"] = 1000 / warm.records
        found["raw driver insert + commit (ms)"] = 1000 / warm.raw
    if figures.summary_warm:
        found["summary p50, warm (ms)"] = p50(figures.summary_warm)
        found["summary p50, cold (ms)"] = p50(figures.summary_cold)
        found["naive summary p50 (ms)"] = p50(figures.naive_cold)
    for name, runs in figures.boards.items():
        found[f"board {name}, warm (ms)"] = p50(runs)
    if m:
        found["cold walk: streak board (ms)"] = p50(m["cold_board_ms"])
        found["naive recompute board (ms)"] = p50(m["naive_board_ms"])
        found["first board after start (ms)"] = m["first_board_ms"]
        found["refresh_checkpoints (ms)"] = m["refresh_s"] * 1000
    if figures.serving_peak_mb:
        found["serving peak RSS (MB)"] = figures.serving_peak_mb
    return found


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


NOTES = (
    "Verdicts: records against the baselines of the same blocks (the target applies to the "
    "steady state: checkpoints refreshed, as the scheduler does daily); boards and walks on "
    "their median run; the naive recompute is one GROUP BY per member's history through the "
    "same stack and a plain Python fold (bench/naive.py), its streaks compared with the "
    "engine's for an even sample of the board."
)


def markdown_report(figures: Figures, quick: bool) -> str:
    """Return the tables as Markdown, for docs/perf/."""
    lines = header(figures, quick)
    return markdown(lines[0], lines[1:], target_rows(figures), [NOTES])


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
        NOTES + f" Summary p99 by linear interpolation over {len(figures.summary_warm)} members."
    )
    if figures.write_cold is not None and figures.write_warm is not None:
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
        f"{m['cold_board_rss_mb']:,.0f} MB after the cold boards, {m['peak_rss_mb']:,.0f} MB "
        f"after refresh_checkpoints; organizer adjustments on the server: {m['adjustments']} "
        "(the naive recompute reads none)"
    )
    out.append(
        f"tracemalloc peak of one warm streak board: {figures.board_traced_mb:,.1f} MB; "
        f"boards rank {figures.ranked:,} visible members"
    )
    out += anatomy_lines(figures)
    if figures.plans:
        out.append("")
        out.append("query plans (EXPLAIN [QUERY PLAN] of each SELECT above):")
        out += figures.plans
    return "\n".join(out)

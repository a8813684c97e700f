"""What every benchmark reports with: progress lines, percentiles, verdicts and aligned tables."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def say(message: str) -> None:
    """Print progress to stderr (the report goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """Return this process's peak resident set size so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def revision() -> str:
    """Return the checked-out commit, marked dirty when the tree has changes."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607 - git from PATH on purpose
            cwd=HERE,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def verdict(ok: bool) -> str:
    """Return PASS or MISS."""
    return "PASS" if ok else "MISS"


def table(rows: list[tuple[str, str, str, str]]) -> list[str]:
    """Return rows as an aligned text table."""
    titles = ("measure", "target", "measured", "verdict")
    widths = [max(len(title), *(len(row[i]) for row in rows)) for i, title in enumerate(titles)]
    lines = [" | ".join(t.ljust(w) for t, w in zip(titles, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * width for width in widths))
    lines.extend(
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    return lines

"""What every benchmark reports with: progress lines, percentiles, verdicts and aligned tables."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent

Row = tuple[str, str, str, str]
"""(measure, target, measured, verdict): one row of every bench's table."""
TITLES = ("measure", "target", "measured", "verdict")


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
    """Return the checked-out commit, marked dirty when the code has uncommitted changes.

    The benches' own output (docs/) does not count: a growth run writes its tables between two
    benches, and the second measured the same code as the first.
    """
    git = ["git", "-C", str(HERE.parent)]
    try:
        commit = subprocess.run(  # noqa: S603 - git from PATH, our own arguments
            [*git, "rev-parse", "--short", "HEAD"], check=True, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(  # noqa: S603 - git from PATH, our own arguments
            [*git, "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}-dirty" if changed else commit


def verdict(ok: bool) -> str:
    """Return PASS or MISS."""
    return "PASS" if ok else "MISS"


def table(rows: list[Row]) -> list[str]:
    """Return rows as an aligned text table."""
    titles = TITLES
    widths = [max(len(title), *(len(row[i]) for row in rows)) for i, title in enumerate(titles)]
    lines = [" | ".join(t.ljust(w) for t, w in zip(titles, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * width for width in widths))
    lines.extend(
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    return lines


def markdown_cell(text: str) -> str:
    """Return text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(title: str, context: list[str], rows: list[Row], notes: Sequence[str] = ()) -> str:
    """Return a bench's report as Markdown: a title, its context lines, the table, notes."""
    lines = [f"**{title}**", ""]
    lines += [f"{line}  " for line in context[:-1]] + context[-1:]
    lines += ["", "| " + " | ".join(TITLES) + " |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows]
    if notes:
        lines.append("")
        lines += notes
    return "\n".join(lines) + "\n"


def write_markdown(path: Path, text: str) -> None:
    """Write a bench's Markdown, and say where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    say(f"wrote {path}")


def write_json(path: Path, record: dict[str, object]) -> None:
    """Write a bench's costs as JSON (what bench.growth reads)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")

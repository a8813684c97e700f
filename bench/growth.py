"""How each cost grows with the server: the benches at several sizes, and each cost's exponent.

    ./run python -m bench.growth --members 1000,10000,100000 \\
        --database-url 'sqlite+aiosqlite:///data/bench/server-{members}.db' --markdown
    .ci/postgres sh -c './run python -m bench.growth --members 1000,10000 \\
        --database-url "$DAYBOOK_TEST_POSTGRES_URL" --markdown'

Runs `bench.engine` and `bench.scheduled` (each in a process of its own, as a user would) at
every size, and writes one table: each cost at each size, and between two sizes n1 < n2 its
apparent exponent log(t2/t1) / log(n2/n1) (1 = linear, 0 = flat). A SQLite URL names each
size's server file through `{members}` (built once there, reused); a PostgreSQL URL names the
cluster (each size gets its own database). Writes docs/perf/growth-<backend>.md with --markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.backend import PERF_DOCS, ROOT, backend_for
from bench.report import revision, say, write_markdown

BENCHES = ("engine", "scheduled")


def exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    """Return the apparent exponent of a cost that took t1 at size n1 and t2 at size n2."""
    if t1 <= 0 or t2 <= 0 or n1 == n2:
        return math.nan
    return math.log(t2 / t1) / math.log(n2 / n1)


def url_for(template: str, members: int) -> str:
    """Return the server URL of one size (a SQLite template names a file per size)."""
    return template.replace("{members}", str(members))


def run_bench(
    bench: str, url: str, members: int, folder: Path, *, tables: bool = False
) -> dict[str, float]:
    """Run one bench at one size in a child process; return its costs.

    With `tables`, the bench also writes its own Markdown tables (docs/perf/<bench>-<backend>.md).
    """
    costs = folder / f"{bench}-{members}.json"
    command = [sys.executable, "-m", f"bench.{bench}", "--database-url", url]
    command += ["--members", str(members), "--json", str(costs)]
    if tables:
        command.append("--markdown")
    say(f"growth: bench.{bench} at {members:,} members ...")
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
    record: dict[str, float] = json.loads(costs.read_text())["costs"]
    return record


def growth_rows(
    sizes: list[int], found: dict[int, dict[str, float]]
) -> tuple[list[str], list[list[str]]]:
    """Return the growth table's titles and rows: a cost per row, a size per column, exponents."""
    names: list[str] = []
    for size in sizes:
        names += [name for name in found[size] if name not in names]
    titles = ["cost", *(f"{size:,}" for size in sizes)]
    titles += [f"exponent {a:,} → {b:,}" for a, b in itertools.pairwise(sizes)]
    rows = []
    for name in names:
        values = [found[size].get(name, math.nan) for size in sizes]
        row = [name, *(f"{value:,.1f}" for value in values)]
        for (a, ta), (b, tb) in itertools.pairwise(zip(sizes, values, strict=True)):
            row.append(f"{exponent(a, ta, b, tb):.2f}")
        rows.append(row)
    return titles, rows


def growth_markdown(
    backend: str,
    sizes: list[int],
    found: dict[int, dict[str, float]],
    versions: str,
    load: tuple[float, float] = (math.nan, math.nan),
) -> str:
    """Return the growth table as Markdown."""
    titles, rows = growth_rows(sizes, found)
    lines = [
        f"**Growth on {backend}: {', '.join(f'{size:,}' for size in sizes)} members**",
        "",
        f"machine: {versions}; load average at the start {load[0]:.2f}, at the end {load[1]:.2f}  ",
        (
            f"code: {revision()}; each cost is the bench's own figure at that size (ms, or MB "
            "for memory); exponent = log(t2/t1) / log(n2/n1)"
        ),
        "",
        "| " + " | ".join(titles) + " |",
        "|" + "---|" * len(titles),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benches at each size and print (and optionally write) the growth table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", required=True, help="sizes, comma-separated: 1000,10000")
    parser.add_argument(
        "--database-url",
        default="sqlite+aiosqlite:///data/bench/server-{members}.db",
        help="a SQLite URL with {members} in the file name, or a PostgreSQL URL",
    )
    parser.add_argument("--bench", action="append", choices=BENCHES, help="default: both")
    parser.add_argument("--markdown", nargs="?", const="", metavar="PATH")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.members.split(","))
    template: str = args.database_url
    backend = backend_for(url_for(template, sizes[0]))
    if backend.name == "sqlite" and "{members}" not in template and len(sizes) > 1:
        raise SystemExit("--database-url: a SQLite URL needs {members} in it, a file per size")
    found: dict[int, dict[str, float]] = {size: {} for size in sizes}
    started_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="daybook-growth-") as folder:
        for size in sizes:
            for bench in args.bench or BENCHES:
                # The largest size's own tables are the ones docs/performance.md shows.
                tables = args.markdown is not None and size == sizes[-1]
                url = url_for(template, size)
                found[size].update(run_bench(bench, url, size, Path(folder), tables=tables))
    titles, rows = growth_rows(sizes, found)
    print(" | ".join(titles))
    for row in rows:
        print(" | ".join(row))
    if args.markdown is not None:
        versions = asyncio.run(backend.versions(url_for(template, sizes[0])))
        target = Path(args.markdown) if args.markdown else PERF_DOCS / f"growth-{backend.name}.md"
        load = (started_load, os.getloadavg()[0])
        write_markdown(target, growth_markdown(backend.name, sizes, found, versions, load))


if __name__ == "__main__":
    main()

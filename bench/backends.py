"""The engine benchmark on PostgreSQL beside SQLite: one table of PostgreSQL / SQLite ratios.

    ./run python -m bench.backends --members 10000 \\
        --sqlite-url sqlite+aiosqlite:///data/bench/server-10000.db \\
        --postgres-url "$(bench/pgcluster.sh url)" --markdown

Runs `bench.engine` (each in a process of its own, as a user would) on the SQLite server and on
the PostgreSQL one, one after the other in the same run, and writes each cost side by side with
its ratio (PostgreSQL / SQLite: above 1, PostgreSQL takes longer or holds more). Each bench's
own figures are already ratios to baselines of its own run; this table compares the two
backends' absolute costs taken minutes apart on the same machine, so the load average of both
runs is printed with it. Writes docs/perf/backends.md with --markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import tempfile
from pathlib import Path

from bench.backend import PERF_DOCS, backend_for
from bench.growth import run_bench
from bench.report import revision, say, write_markdown


def ratio_rows(sqlite: dict[str, float], postgres: dict[str, float]) -> list[list[str]]:
    """Return a row per cost measured on either backend: both figures and PostgreSQL / SQLite."""
    names = list(sqlite) + [name for name in postgres if name not in sqlite]
    rows = []
    for name in names:
        a, b = sqlite.get(name, math.nan), postgres.get(name, math.nan)
        ratio = b / a if a > 0 and not math.isnan(b) else math.nan
        rows.append([name, f"{a:,.1f}", f"{b:,.1f}", f"{ratio:.2f}"])
    return rows


def backends_markdown(
    members: int,
    sqlite: dict[str, float],
    postgres: dict[str, float],
    versions: tuple[str, str],
    loads: list[tuple[str, float]],
) -> str:
    """Return the side-by-side table as Markdown."""
    load = ", ".join(f"{when} {value:.2f}" for when, value in loads)
    lines = [
        f"**The engine benchmark on both backends: {members:,} members, one year of entries**",
        "",
        f"machine: {versions[0]}  ",
        f"versions: {versions[1]}  ",
        f"code: {revision()}; load average {load} (other processes share these CPUs)  ",
        (
            "each cost is bench.engine's own figure on that backend (ms, or MB for memory); "
            "ratio = PostgreSQL / SQLite (below 1: PostgreSQL is faster)"
        ),
        "",
        "| cost | SQLite | PostgreSQL | PostgreSQL / SQLite |",
        "|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in ratio_rows(sqlite, postgres)]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run bench.engine on both backends and print (optionally write) the ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--sqlite-url", required=True, help="the SQLite server's file URL")
    parser.add_argument("--postgres-url", required=True, help="the PostgreSQL cluster's URL")
    parser.add_argument("--markdown", nargs="?", const="", metavar="PATH")
    args = parser.parse_args()
    sqlite_backend, postgres_backend = backend_for(args.sqlite_url), backend_for(args.postgres_url)
    if sqlite_backend.name != "sqlite" or postgres_backend.name != "postgresql":
        raise SystemExit("--sqlite-url must be a SQLite URL and --postgres-url a PostgreSQL one")
    loads = [("start", os.getloadavg()[0])]
    with tempfile.TemporaryDirectory(prefix="daybook-backends-") as folder:
        sqlite = run_bench("engine", args.sqlite_url, args.members, Path(folder))
        loads.append(("between", os.getloadavg()[0]))
        postgres = run_bench("engine", args.postgres_url, args.members, Path(folder))
    loads.append(("end", os.getloadavg()[0]))
    say("backends: done")
    rows = ratio_rows(sqlite, postgres)
    print("cost | SQLite | PostgreSQL | PostgreSQL / SQLite")
    for row in rows:
        print(" | ".join(row))
    if args.markdown is not None:
        machine = asyncio.run(sqlite_backend.versions(args.sqlite_url)).split(", SQLite ")
        server = asyncio.run(postgres_backend.versions(args.postgres_url))
        postgres_version = server.split(", PostgreSQL ")[-1]
        versions = (machine[0], f"SQLite {machine[-1]}; PostgreSQL {postgres_version}")
        target = Path(args.markdown) if args.markdown else PERF_DOCS / "backends.md"
        write_markdown(target, backends_markdown(args.members, sqlite, postgres, versions, loads))


if __name__ == "__main__":
    main()

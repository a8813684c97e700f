"""Fill docs/performance.md's generated regions from the benches' Markdown in docs/perf/.

    ./run python -m bench.engine --database-url URL --markdown   # writes docs/perf/engine-<db>.md
    ./run python -m bench.docs                                   # copies it into the page
    ./run python -m bench.docs --check                           # exit 1 if the page is stale

A region is the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; it holds
docs/perf/NAME.md exactly, or a note that NAME was not measured yet. The page is regenerated,
never edited by hand there: tests/test_bench_docs.py fails when a region and its file differ.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "performance.md"
PERF = ROOT / "docs" / "perf"

REGION = re.compile(
    r"<!-- bench:(?P<name>[\w.-]+) -->\n(?P<body>.*?)<!-- /bench:(?P=name) -->", re.S
)


class StaleError(ValueError):
    """The page and the generated files disagree in a way regeneration cannot fix."""


def missing(name: str) -> str:
    """Return what a region holds before its bench has written its file."""
    bench, _, backend = name.partition("-")
    return (
        f"_Not measured yet: `./run python -m bench.{bench} --database-url <{backend} URL> "
        "--markdown`, then `./run python -m bench.docs`._\n"
    )


def body(name: str, perf: Path = PERF) -> str:
    """Return what the region NAME must hold."""
    source = perf / f"{name}.md"
    return source.read_text() if source.exists() else missing(name)


def regions(page: str) -> dict[str, str]:
    """Return each region's name and text."""
    return {match["name"]: match["body"] for match in REGION.finditer(page)}


def regenerate(page: str, perf: Path = PERF) -> str:
    """Return the page with every region filled from its file; refuse files with no region."""
    names = set(regions(page))
    orphans = sorted(path.stem for path in perf.glob("*.md") if path.stem not in names)
    if orphans:
        raise StaleError(
            f"docs/perf/ has no region in the page for: {', '.join(orphans)} (add "
            "<!-- bench:NAME --> ... <!-- /bench:NAME --> where it belongs)"
        )
    return REGION.sub(
        lambda match: (
            f"<!-- bench:{match['name']} -->\n{body(match['name'], perf)}"
            f"<!-- /bench:{match['name']} -->"
        ),
        page,
    )


def main() -> None:
    """Rewrite (or with --check, verify) the generated regions of docs/performance.md."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    args = parser.parse_args()
    page = PAGE.read_text()
    try:
        fresh = regenerate(page)
    except StaleError as error:
        raise SystemExit(f"bench.docs: {error}") from error
    if args.check:
        if fresh != page:
            print("docs/performance.md is stale: run ./run python -m bench.docs", file=sys.stderr)
            raise SystemExit(1)
        return
    if fresh != page:
        PAGE.write_text(fresh)
    print(f"docs/performance.md: {len(regions(fresh))} generated regions up to date")


if __name__ == "__main__":
    main()

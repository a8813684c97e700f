"""Reading and importing logs: entries per second, against a same-run baseline.

    ./run python -m bench.logs              # the largest fixture and a synthetic 5,000-entry log
    ./run python -m bench.logs --repeat 9   # more rounds (the median is reported)
    ./run python -m bench.logs --hostile    # the worst inputs we could build (bench/hostile.py)

Parsing is timed for the largest fixture (by entries and by bytes), for every fixture of both
corpora (tests/fixtures/logs and logs-world, one pass over all of them) and for a synthetic log
of 5,000 entries in the Kallaway template (a day heading, a date, the three fields, a link). The
baseline is markdown-it-py's full parse of the same text in the same run (block structure plus
inline parsing of every paragraph; the parser itself parses inline Markdown only for headings and
table cells), so "x baseline" is what reading a log costs next to merely parsing its Markdown.
The import is timed through the service layer on a fresh SQLite file (plan, then the batched
confirm), against a same-run baseline of one committed single-row INSERT per day through
the same stack. Benchmarks report; the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from bot.domain.logparse import NotALogError, parse_log

if TYPE_CHECKING:
    from storage import Database

# The services and storage are imported where they are used: a worker process that reads a
# log imports the main module again (multiprocessing does, for a `python -m` main), and that
# should cost it the parser, not SQLAlchemy.

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures" / "logs"
WORLD = HERE.parent / "tests" / "fixtures" / "logs-world"
NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
GUILD = 1
USER = 2
SYNTHETIC = 5000


def synthetic_log(entries: int = SYNTHETIC) -> str:
    """Return a Kallaway-template log of `entries` consecutive days ending before NOW."""
    first = NOW.date() - timedelta(days=entries + 1)
    parts = ["# 100 Days Of Code - Log", ""]
    for n in range(entries):
        day = first + timedelta(days=n)
        parts += [
            f"### Day {n + 1}: {day:%B} {day.day}, {day.year} - Time spent, 1 hour 15 minutes",
            "",
            f"**Today's Progress**: Worked through chapter {n % 40 + 1} of the course #python",
            "",
            "**Thoughts:** Slow going, but the exercises made the idea click.",
            "",
            f"**Link to work:** https://github.com/someone/learning/commit/{n:07x}",
            "",
        ]
    return "\n".join(parts)


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def parse_figures(name: str, text: str, repeat: int) -> None:
    markdown = MarkdownIt("commonmark").enable("table")
    entries = len(parse_log(text).entries)
    baseline = median_seconds(lambda: markdown.parse(text), repeat)
    parsing = median_seconds(lambda: parse_log(text), repeat)
    tracemalloc.start()
    parse_log(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{name:<44} {len(text) / 1024:>7.0f} KiB {entries:>6} entries  "
        f"{parsing * 1000:>8.1f} ms  {entries / parsing:>9,.0f} entries/s  "
        f"{parsing / baseline:>5.1f}x markdown-it  peak {peak / 2**20:.1f} MiB"
    )


def corpus_figures(name: str, texts: list[str], repeat: int) -> None:
    """Time one pass over a corpus of logs, against markdown-it over the same texts."""
    markdown = MarkdownIt("commonmark").enable("table")

    def read_all() -> None:
        for text in texts:
            # A fixture that is no log is read as far as a member's would be.
            with contextlib.suppress(NotALogError):
                parse_log(text)

    baseline = median_seconds(lambda: [markdown.parse(text) for text in texts], repeat)
    parsing = median_seconds(read_all, repeat)
    size = sum(map(len, texts)) / 1024
    print(
        f"{name:<44} {size:>7.0f} KiB {len(texts):>6} files    "
        f"{parsing * 1000:>8.1f} ms  {parsing / baseline:>27.1f}x markdown-it"
    )


async def import_figures(text: str) -> None:
    from bot.services import Services
    from bot.services.settings_input import ChallengeSettingsInput
    from storage import Database, migrate

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await migrate(url)
        db = await Database.open(url)
        try:
            services = Services.build(db)
            await services.challenges.create(
                guild_id=GUILD,
                settings=ChallengeSettingsInput(
                    name="Bench", preset="100-days-of-code", timezone="UTC"
                ),
                now=NOW,
            )
            await services.participants.join(guild_id=GUILD, user_id=USER, now=NOW)
            began = time.perf_counter()
            plan = await services.logs.plan_import(
                guild_id=GUILD, user_id=USER, data=text.encode(), now=NOW
            )
            planned = time.perf_counter() - began
            updates = 0

            async def progress(done: int, total: int) -> None:
                nonlocal updates
                updates += 1

            began = time.perf_counter()
            result = await services.logs.run_import(plan, now=NOW, progress=progress)
            stored = time.perf_counter() - began
            baseline = await _insert_baseline(db, len(plan.days))
        finally:
            await db.close()
    days = result.stored
    print(
        f"import {days:,} days: preview {planned * 1000:.0f} ms, confirm {stored * 1000:.0f} ms "
        f"({days / stored:,.0f} days/s, {updates} progress updates); baseline (one committed "
        f"INSERT a day, same stack) {baseline * 1000:.0f} ms: {stored / baseline:.2f}x baseline"
    )


async def _insert_baseline(db: Database, rows: int) -> float:
    """Time one committed single-row INSERT a day into a scratch table, same stack."""
    import sqlalchemy as sa

    async with db.write() as repos:
        connection = repos.entries._connection  # the benchmark's own scratch table
        await connection.execute(sa.text("CREATE TABLE bench_rows (day TEXT, text TEXT)"))
    began = time.perf_counter()
    for n in range(rows):
        async with db.write() as repos:
            await repos.entries._connection.execute(
                sa.text("INSERT INTO bench_rows VALUES (:day, :text)"),
                {"day": (date(2000, 1, 1) + timedelta(days=n)).isoformat(), "text": "x" * 200},
            )
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--hostile", action="store_true", help="read the worst inputs we could build instead"
    )
    args = parser.parse_args()
    if args.hostile:
        from bench import hostile

        hostile.run(synthetic_log(), NOW, GUILD, USER)
        return 0
    fixtures = {path.name: path.read_text(encoding="utf-8") for path in FIXTURES.glob("*.md")}
    fixtures.pop("INDEX.md")
    by_bytes = max(fixtures, key=lambda name: len(fixtures[name]))
    by_entries = max(fixtures, key=lambda name: len(parse_log(fixtures[name]).entries))
    print(f"Python {sys.version.split()[0]}; median of {args.repeat} runs")
    for name in dict.fromkeys([by_bytes, by_entries]):
        parse_figures(name, fixtures[name], args.repeat)
    for folder in (FIXTURES, WORLD):
        paths = [path for path in sorted(folder.glob("*.md")) if path.name != "INDEX.md"]
        texts = [path.read_text(encoding="utf-8") for path in paths]
        corpus_figures(f"all of {folder.name}", texts, args.repeat)
    synthetic = synthetic_log()
    parse_figures(f"synthetic ({SYNTHETIC:,} entries)", synthetic, args.repeat)
    asyncio.run(import_figures(synthetic))
    return 0


if __name__ == "__main__":
    sys.exit(main())

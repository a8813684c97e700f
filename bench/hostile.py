"""Hostile logs: the worst inputs we could build, read against a same-run baseline.

    ./run python -m bench.logs --hostile     # every hostile input, 2 MB each (~2 minutes)

Each input is read the way /import reads it (the service's limits: 5,000 entries, 40,000 lines
of text) and reported with its reading time, that time per KiB as a ratio to a real-shaped log
(the synthetic Kallaway log of bench.logs, read in the same run), the peak memory of reading
it (tracemalloc), and the worst event-loop stall while the same upload goes through the
import preview (`LogService.plan_import`: a worker process) with a probe task sleeping 1 ms
again and again (bench.stall). Targets: under 2 s each, no stall over 50 ms. Benchmarks
report; the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

from bench.report import say, table, verdict
from bench.stall import probing
from bot.errors import DaybookError
from bot.services import Services
from bot.services.logs import MAX_LOG_ENTRIES, MAX_LOG_LINES
from bot.services.parse_worker import REFUSALS, ParseOptions, parse_upload
from bot.services.settings_input import ChallengeSettingsInput
from storage import Database, migrate

TARGET_SECONDS = 2.0
TARGET_STALL_MS = 50.0
OPTIONS = ParseOptions(limit=MAX_LOG_ENTRIES, max_lines=MAX_LOG_LINES)
"""How /import reads an upload."""

HOSTILE_BYTES = 2 * 1024 * 1024
"""Each hostile input's size: the largest file /import accepts."""
_ENTRY = "# Log\n\n## Day 1: July 1, 2020\n\n"
_LINE = 52
"""A line's length for 2 MB in the 40,000 lines /import reads: the longest lines it allows."""


def _fill(unit: str, size: int, prefix: str = _ENTRY) -> str:
    """Return `prefix` and `unit` repeated to `size` characters in all."""
    return prefix + unit * max(0, (size - len(prefix)) // len(unit))


def hostile_logs(size: int = HOSTILE_BYTES) -> dict[str, str]:
    """Return the worst inputs we could construct for the parser, each `size` characters.

    Each targets a way a parser goes superlinear: long runs of one character on one line
    (a backtracking pattern rescans them), many short lines (per-line work and objects),
    deep nesting (Markdown's block structure), many headings (per-entry work), and what a
    date or a time looks like (the costly readers). The runs sit in an entry's body, where
    every pattern sees them; a few sit in headings and table rows, read by other code.
    """
    half = size // 2
    nested = "".join(f"{'  ' * (depth % 400)}- item\n" for depth in range(4000))
    return {
        "indented list (the 47 KB report)": _fill(f"{' ' * 400}- item\n", size),
        "nested list, 400 deep": _fill(nested, size),
        "spaces on one line": _fill(" ", size - 2) + "x\n",
        "tabs on one line": _fill("\t", size - 2) + "x\n",
        "newlines": _fill("\n", size - 4, _ENTRY + "a\n") + "b\n",
        "blank-line pairs (no run to cut)": _fill("a\n\n", size),
        "short lines": _fill("a\n", size),
        "dashes": _fill("-", size),
        "dash lines": _fill("- \n", size),
        "stars": _fill("*", size),
        "hashes": _fill("#", size),
        "heading of hashes": "# Log\n\n## Day 1 " + "#" * (size - 20) + "\n",
        "pipes": _fill("|", size),
        "table of pipes": "| Day | Date | Notes |\n|---|---|---|\n| 1 | 2020-07-01 |"
        + "|" * (size - 60)
        + "\n",
        "backticks": _fill("`", size),
        "opening brackets": _fill("[", size),
        "link brackets": _fill("[a](#", size),
        "digits": _fill("1", size),
        "dates on one line": _fill("1/2 ", size),
        "date heading": "# Log\n\n## Day 1: Jan " + "1, " * (size // 3) + "\n",
        "time range then spaces": _fill("1:11 - " + " " * 4000 + "x\n", size),
        "time label then spaces": _fill(" " * 4000 + "- Time spent x\n", size),
        "day token then spaces": "# Log\n\n## Day" + " " * (size - 20) + "x\n",
        "label then spaces": _fill("**Progress" + " " * 4000 + "x\n", size),
        "5,000 headings": "".join(f"## Day {n + 1}: {'Jan 1, 2, 3, ' * 20}\n" for n in range(5000))[
            :size
        ],
        "wide table header": "|" + "a|" * (half // 2) + "\n|" + "-|" * (half // 2) + "\n",
        "day range heading": "# Log\n\n## Day 1" + "-2" * (half - 10) + "\n",
        "day list heading": "# Log\n\n## Day 1" + " & 2" * (half // 2 - 10) + "\n",
        **{
            f"40,000 lines opening '{prefix.strip()}'": _ENTRY
            + (prefix + "y" * (_LINE - len(prefix)) + "\n") * (size // (_LINE + 1))
            for prefix in ("> - > - > - > - > - > - ", "- - - ", "- - ", "1. 1. ", "- ")
        },
        "mixture": _mixture(size),
        "half spaces, half newlines": _fill(" ", half) + "\n" * half,
    }


def _mixture(size: int) -> str:
    """Return lines mixing every hostile character, in runs of every length (seeded)."""
    rng = random.Random(11)  # noqa: S311 - a fixed mixture, not a secret
    alphabet = " \t-*#|`[]()1:/>_=\n"
    parts = [_ENTRY]
    length = len(_ENTRY)
    while length < size:
        run = rng.choice(alphabet) * rng.choice((1, 3, 40, 400, 4000))
        parts.append(run)
        length += len(run)
    return "".join(parts)[:size]


def _outcome(text: str) -> tuple[str, float]:
    """Read a text as /import would; return what came of it and the seconds it took."""
    began = time.perf_counter()
    try:
        parsed = parse_upload(text.encode(), OPTIONS)
    except REFUSALS as refusal:
        return f"refused: {type(refusal).__name__}", time.perf_counter() - began
    return f"{len(parsed.entries)} entries", time.perf_counter() - began


def _peak_mib(text: str) -> float:
    tracemalloc.start()
    with contextlib.suppress(*REFUSALS):
        parse_upload(text.encode(), OPTIONS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


async def _stalls(texts: dict[str, str], now: datetime, guild: int, user: int) -> dict[str, float]:
    """Run each text through the import preview with a stall probe; return the worst, in ms."""
    worst: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await migrate(url)
        db = await Database.open(url)
        try:
            services = Services.build(db)  # the default reader: a worker process per upload
            await services.challenges.create(
                guild_id=guild,
                settings=ChallengeSettingsInput(
                    name="Bench", preset="100-days-of-code", timezone="UTC"
                ),
                now=now,
            )
            await services.participants.join(guild_id=guild, user_id=user, now=now)
            for name, text in texts.items():
                data = text.encode()
                # A refusal is an answer too: the stall is what is measured.
                async with probing() as probe:
                    with contextlib.suppress(DaybookError):
                        await services.logs.plan_import(
                            guild_id=guild, user_id=user, data=data, now=now
                        )
                worst[name] = probe.worst_ms
                say(f"  stall {name}: {probe.worst_ms:.1f} ms")
        finally:
            await db.close()
    return worst


CONTROL = "import time\nend = time.perf_counter() + 1\nwhile time.perf_counter() < end:\n    pass"
"""A process that only keeps a core busy for a second: the control for the stall figures."""


async def _control_stall() -> float:
    """Return the worst stall while a plain busy process runs alongside (the machine's share)."""
    async with probing() as probe:
        busy = await asyncio.create_subprocess_exec(sys.executable, "-c", CONTROL)
        await busy.wait()
    return probe.worst_ms


def run(benign: str, now: datetime, guild: int, user: int) -> None:
    """Print the hostile-input report."""
    # As in the bot, whose chart pool sets this up when it starts: the main module is loaded
    # once in the fork server, not again in every worker (bot/charts/pool.py).
    multiprocessing.set_forkserver_preload(["__main__"])
    _, benign_seconds = _outcome(benign)
    per_kib = benign_seconds / (len(benign.encode()) / 1024)
    texts = hostile_logs()
    rows: list[tuple[str, str, str, str, str, str]] = []
    times: dict[str, float] = {}
    for name, text in texts.items():
        say(f"reading {name}")
        outcome, seconds = _outcome(text)
        times[name] = seconds
        kib = len(text.encode()) / 1024
        rows.append(
            (
                name,
                f"{kib:,.0f}",
                outcome,
                f"{seconds * 1000:,.0f}",
                f"{seconds / kib / per_kib:.1f}x",
                f"{_peak_mib(text):.1f}",
            )
        )
    stalls = asyncio.run(_stalls(texts, now, guild, user))
    control = max(asyncio.run(_control_stall()) for _ in range(3))
    titles = ("input (2 MB)", "KiB", "outcome", "read ms", "per KiB vs real", "peak MiB")
    widths = [max(len(t), *(len(r[i]) for r in rows)) for i, t in enumerate(titles)]
    print(
        f"baseline: a real-shaped log of {len(benign.encode()) / 1024:,.0f} KiB read in "
        f"{benign_seconds * 1000:,.0f} ms ({per_kib * 1000:.2f} ms per KiB)"
    )
    print(
        f"control: the worst stall while a plain busy process runs alongside is {control:.1f} ms "
        "(what this machine's other work costs the loop)"
    )
    print(" | ".join(t.ljust(w) for t, w in zip(titles, widths, strict=True)) + " | stall ms")
    for row in rows:
        cells = " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
        print(f"{cells} | {stalls[row[0]]:.1f}")
    slowest = max(times, key=times.__getitem__)
    stalled = max(stalls, key=stalls.__getitem__)
    print()
    for line in table(
        [
            (
                "slowest hostile read",
                f"< {TARGET_SECONDS:.0f} s",
                f"{times[slowest]:.2f} s ({slowest})",
                verdict(times[slowest] < TARGET_SECONDS),
            ),
            (
                "worst loop stall during a preview",
                f"< {TARGET_STALL_MS:.0f} ms",
                f"{stalls[stalled]:.1f} ms ({stalled})",
                verdict(stalls[stalled] < TARGET_STALL_MS),
            ),
        ]
    ):
        print(line)

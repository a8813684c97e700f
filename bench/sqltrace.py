"""What a service call sends to the database: statements, their times, and their query plans.

Used by `bench.engine` in untimed passes (the event hooks cost a little themselves).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from storage import Database

if TYPE_CHECKING:
    from bench.backend import Backend


@dataclass(slots=True)
class Anatomy:
    """Per-statement counts and times of a batch of calls to one service method."""

    calls: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """Main-thread CPU: Python in the services, SQLAlchemy and the event loop."""
    statements: dict[str, list[float]] = field(default_factory=dict)
    samples: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """One (SQL, parameters) example of each statement, for its query plan."""

    def rows(self) -> list[tuple[str, float, float]]:
        """Return (statement, executions per call, ms per call) rows, slowest first."""
        calls = max(self.calls, 1)
        result = [
            (name, len(times) / calls, sum(times) * 1000 / calls)
            for name, times in self.statements.items()
        ]
        return sorted(result, key=lambda row: -row[2])

    @property
    def per_call_ms(self) -> float:
        """Wall time of one call."""
        return self.seconds * 1000 / max(self.calls, 1)

    @property
    def cpu_per_call_ms(self) -> float:
        """Main-thread CPU time of one call."""
        return self.cpu_seconds * 1000 / max(self.calls, 1)

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        """Count and time one call."""
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.thread_time() - cpu
            self.calls += 1


def statement_name(statement: str) -> str:
    """Return a short, stable name for a SQL statement."""
    words = " ".join(statement.split())
    upper = words.upper()
    for keyword in ("INSERT INTO", "DELETE FROM", "UPDATE"):
        if upper.startswith(keyword):
            return " ".join(words.split()[: len(keyword.split()) + 1])
    if not upper.startswith("SELECT"):
        return words[:40]
    source = upper.find(" FROM ")
    table = words[source + 6 :].split()[0] if source >= 0 else "?"
    if table.startswith("("):
        table = "(subquery)"
    where = upper.rfind(" WHERE ")
    condition = words[where + 7 : where + 62] if where >= 0 else ""
    shape = " GROUP BY" if " GROUP BY " in upper else ""
    shape += " window" if " OVER " in upper else ""
    shape += " join" if " JOIN " in upper else ""
    return f"SELECT {table}{shape} WHERE {condition}"


@contextlib.contextmanager
def traced(db: Database, anatomy: Anatomy) -> Iterator[None]:
    """Time every statement the database's engines execute inside the block.

    The time runs from SQLAlchemy handing the statement to the driver until the driver's
    execute returns: the thread hop to aiosqlite's worker and back, plus SQLite's own work.
    """
    engines = {db._writer.sync_engine, db._reader.sync_engine}

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        name = statement_name(statement)
        anatomy.samples.setdefault(name, (statement, parameters))
        anatomy.statements.setdefault(name, []).append(-time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        anatomy.statements[statement_name(statement)][-1] += time.perf_counter()

    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", before)
        sa.event.listen(engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        for engine in engines:
            sa.event.remove(engine, "before_cursor_execute", before)
            sa.event.remove(engine, "after_cursor_execute", after)


async def query_plans(backend: Backend, url: str, anatomies: dict[str, Anatomy]) -> list[str]:
    """Return the database's query plan of every SELECT the traced calls sent."""
    lines: list[str] = []
    seen: set[str] = set()
    for title, anatomy in anatomies.items():
        for name, (statement, parameters) in anatomy.samples.items():
            if not name.startswith("SELECT") or name in seen:
                continue
            seen.add(name)
            lines.append(f"  [{title}] {name}")
            steps = await backend.explain(url, statement, parameters)
            lines.extend(f"      {step}" for step in steps)
    return lines

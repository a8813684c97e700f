"""Several processes of one deployment start at once on an empty PostgreSQL database.

Each process upgrades the database as it starts (`migrate_at_start`): without a lock, three
processes ran the same CREATE TABLEs at once and two of them crashed on a first deploy.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from storage import current_revision
from storage.migrate import head_revision
from tests._postgres import POSTGRES_URL, empty_postgres

pytestmark = pytest.mark.postgres_only

PROCESSES = 3
START = (
    "import asyncio, sys; from storage import migrate_at_start; "
    "asyncio.run(migrate_at_start(sys.argv[1]))"
)


def test_processes_starting_together_on_an_empty_database_all_start() -> None:
    asyncio.run(empty_postgres(POSTGRES_URL))
    starting = [
        subprocess.Popen(
            [sys.executable, "-c", START, POSTGRES_URL],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    failures = []
    for process in starting:
        _, error = process.communicate(timeout=120)
        if process.returncode != 0:
            failures.append(error.strip().splitlines()[-1:])
    assert failures == []
    assert asyncio.run(current_revision(POSTGRES_URL)) == head_revision()

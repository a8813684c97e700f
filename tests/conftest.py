"""Test-wide settings: hypothesis profiles (CI prints reproduction blobs, no deadlines), and
backend markers: `sqlite_only` / `postgres_only` tests are deselected on the other backend."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from tests._postgres import BACKEND, ONLY_MARKERS

# Deadlines fail on a busy 2-core machine for reasons unrelated to the code under test.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the tests kept to a backend other than this run's (see tests/_postgres.py)."""
    other = {marker for backend, marker in ONLY_MARKERS.items() if backend != BACKEND}
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        if any(item.get_closest_marker(marker) for marker in other):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

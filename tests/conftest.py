"""Test-wide settings: hypothesis profiles (CI prints reproduction blobs, no deadlines)."""

from __future__ import annotations

import os

from hypothesis import settings

# Deadlines fail on a busy 2-core machine for reasons unrelated to the code under test.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

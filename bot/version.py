"""Daybook's version, as its installed package metadata says (pyproject.toml's `version`)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version


def version() -> str:
    """Return the installed version of Daybook ("unknown" when run from an uninstalled tree)."""
    try:
        return _installed_version("daybook")
    except PackageNotFoundError:
        return "unknown"

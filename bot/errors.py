"""The exception family for failures a user can cause and be told about."""

from __future__ import annotations


class DaybookError(Exception):
    """User-facing error with a friendly message, answered ephemerally by the command tree."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DaybookError):
    """Something the user named does not exist (a challenge, an entry, a member's record)."""


class NotAllowedError(DaybookError):
    """The user may not act on that: it is someone else's data, or an organizer's job."""


class InvalidInputError(DaybookError):
    """A value the user gave is out of range or malformed; nothing was changed."""


class ConflictError(DaybookError):
    """The request clashes with what is already there (already joined, name taken)."""

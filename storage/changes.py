"""What a write transaction changed, announced to listeners once it has committed.

Repositories note what each write touches; `Database.write` hands the note to its listeners
after the commit (never after a rollback). Caches above storage use it to stay exact without
every service remembering to invalidate them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Changes:
    """The participants and challenges one transaction changed."""

    entries: set[int] = field(default_factory=set)
    """Participants whose entries or adjustments changed."""
    members: set[int] = field(default_factory=set)
    """Participants whose participation changed (zone, start, visibility, leaving)."""
    challenges: set[int] = field(default_factory=set)
    """Challenges whose settings or membership changed."""
    everything: bool = False
    """Set when a change cannot be pinned down (a user forgotten everywhere)."""

    def __bool__(self) -> bool:
        """Whether anything changed."""
        return self.everything or bool(self.entries or self.members or self.challenges)


ChangeListener = Callable[[Changes], None]

"""What a write transaction changed, announced to listeners once it has committed.

Repositories note what each write touches. Before the commit, `Database.write` bumps the
version of each challenge the note names and logs which members' days changed
(`storage.repositories.versions`): every process's cache checks those in its next read, so a
write in one process is seen by the next read in any other. After the commit (never after a
rollback) the note goes to this process's listeners too.
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
    """Set when a change cannot be pinned down (kept for listeners; versions need challenges)."""
    owners: dict[int, int] = field(default_factory=dict)
    """The challenge of noted participants, where the writer knew it (saves a read)."""

    def entry(self, participant_id: int, challenge_id: int) -> None:
        """Note that a participant's days changed, in a challenge the writer knows."""
        self.entries.add(participant_id)
        self.owners[participant_id] = challenge_id

    def __bool__(self) -> bool:
        """Whether anything changed."""
        return self.everything or bool(self.entries or self.members or self.challenges)


ChangeListener = Callable[[Changes], None]

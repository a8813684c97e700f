"""Today's walks of every member of recently ranked challenges, kept in this process.

A leaderboard walks every member of a challenge; most members' days do not change between two
boards. This cache keeps each member's walk, as a `Tally`, for their current local day. A walk
is reused only on the member's same local day.

Writes reach it from any process: each write transaction bumps the version of the challenges it
changed and logs whose days changed (`storage.repositories.versions`), and every board read
first reads, in its own snapshot, what changed since the version the cache holds, and applies
it (`sync`). So a write committed in any process (another shard's bot, a `daybook` command on
the same SQLite file) is honoured by the next board here, whichever process made it. A board
read that overlaps another read's sync is returned but not stored (the generation check), so a
cached walk is never older than the version it is stored at.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from bot.domain.models import Challenge
from bot.domain.tally import Tally
from storage import Stamp

MAX_CHALLENGES = 64


@dataclass(frozen=True, slots=True)
class Checked:
    """Every member's tally, checked current at a generation while each zone was on a day."""

    generation: int
    zone_days: dict[str, int]
    """The local day (ordinal) of each of the members' zones when they were checked."""
    tallies: list[Tally]
    """Every member's tally, in the members' order."""


@dataclass
class CachedChallenge:
    """One challenge's active members (participant ids, oldest first) and their tallies."""

    challenge: Challenge
    members: tuple[int, ...]
    tallies: dict[int, Tally] = field(default_factory=dict)
    checked: Checked | None = None
    """The last full check, reusable while nothing changed and no zone's day moved on: a
    board then costs a check per zone, not per member."""
    version: int = 0
    """The challenge's change version the tallies are exact at."""


class WalkCache:
    """Members' walks for today, as tallies, brought up to date by the change versions (`sync`).

    A member's walk is kept as a `Tally` (a few ints), not as the walk itself: a server of
    100,000 members costs a few dozen megabytes, not a few hundred.
    """

    def __init__(self, max_challenges: int = MAX_CHALLENGES) -> None:
        self._max = max_challenges
        self._challenges: OrderedDict[int, CachedChallenge] = OrderedDict()
        self._generation: dict[int, int] = {}

    def generation(self, challenge_id: int) -> int:
        """Return a token that changes whenever anything of the challenge is invalidated."""
        return self._generation.get(challenge_id, 0)

    def get(self, challenge: Challenge) -> CachedChallenge | None:
        """Return the challenge's cached members, if its settings are unchanged."""
        cached = self._challenges.get(challenge.id)
        if cached is None:
            return None
        if cached.challenge != challenge:
            self._drop(challenge.id)
            return None
        self._challenges.move_to_end(challenge.id)
        return cached

    def held(self, challenge_id: int) -> int | None:
        """Return the change version the challenge's tallies are kept at (None: not kept)."""
        cached = self._challenges.get(challenge_id)
        return None if cached is None else cached.version

    def sync(self, challenge_id: int, stamp: Stamp) -> bool:
        """Apply what changed since the version held; say whether the cache fits this read.

        `stamp` is read in the caller's snapshot. A snapshot older than the cache (a read that
        began before another read moved the cache on) must not use it, nor store into it.
        """
        cached = self._challenges.get(challenge_id)
        if cached is None or stamp.version == cached.version:
            return True
        if stamp.version < cached.version:
            return False
        if stamp.reset_at > cached.version:
            self._drop(challenge_id)
            return True
        self._generation[challenge_id] = self._generation.get(challenge_id, 0) + 1
        cached.version = stamp.version
        cached.checked = None
        for participant_id in stamp.participants:
            cached.tallies.pop(participant_id, None)
        return True

    def put(self, challenge: Challenge, tallies: list[Tally], seen: int, version: int = 0) -> None:
        """Store a challenge's members' tallies, exact at `version`, unless changed since `seen`."""
        if self.generation(challenge.id) != seen:
            return
        members = tuple(member.participant_id for member in tallies)
        cached = CachedChallenge(challenge, members, version=version)
        self._challenges[challenge.id] = cached
        self._challenges.move_to_end(challenge.id)
        self.update(challenge.id, tallies, seen)
        while len(self._challenges) > self._max:
            oldest = next(iter(self._challenges))
            self._drop(oldest)

    def update(self, challenge_id: int, tallies: list[Tally], seen: int) -> None:
        """Store fresh tallies of some members, unless something changed since `seen`."""
        cached = self._challenges.get(challenge_id)
        if cached is None or self.generation(challenge_id) != seen:
            return
        cached.checked = None
        for member in tallies:
            cached.tallies[member.participant_id] = member

    def check(self, challenge_id: int, checked: Checked) -> None:
        """Keep a full check of the challenge's tallies, unless something changed since it."""
        cached = self._challenges.get(challenge_id)
        if cached is not None and self.generation(challenge_id) == checked.generation:
            cached.checked = checked

    def _drop(self, challenge_id: int) -> None:
        self._generation[challenge_id] = self._generation.get(challenge_id, 0) + 1
        self._challenges.pop(challenge_id, None)

"""The public page of a challenge: what visitors may see, read from the database alone.

Organizers opt a challenge in (`Challenge.web_enabled`); its page lives at an unguessable
address (`Challenge.web_id`). Everything here is read-only, and holds only the members shown to
others (`shown_to_others`), named by the display name Daybook last saw (`NameService`). Every
way of not finding something (an unknown address, a page turned off, an ended challenge, a
member who hid, left or was forgotten) raises the same `NotFoundError`, so a visitor cannot
tell which.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from bot.domain import leaderboard
from bot.domain.engine import Ledger
from bot.domain.leaderboard import Metric
from bot.domain.models import Challenge
from bot.domain.tally import Tally
from bot.errors import NotFoundError
from bot.services._common import member_today
from bot.services.digests import Digest, DigestService
from bot.services.names import NameService
from bot.services.progress import ProgressService, latest_ledger
from bot.wording.rules import rules_in_brief
from storage import Database

NOT_FOUND = "There is no such page."
"""The one answer to every page that is not there, whatever the reason."""
BOARD_ROWS = 200
"""Members the page's table lists; a larger challenge's page says how many more there are."""
WEB_ID_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
"""What a page address looks like (`secrets.token_urlsafe`); anything else is not looked up."""
MEMBER_KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{16}")
WEEK_SHAPE = re.compile(r"(\d{4})-W(\d{2})")
KEPT_CHALLENGES = 32
"""Challenges whose member page keys are kept (`PublicPageService._participant_of`)."""
KEY_SLICE = 5000
"""Member keys made between two chances for the event loop."""


def member_key(web_id: str, participant_id: int) -> str:
    """Return a member's address on a challenge's page: neither their user id nor a count.

    Derived from the page's own unguessable address, so it is stable while the page lives and
    says nothing to someone without it (not how many members the deployment has).
    """
    digest = hashlib.sha256(f"{web_id}/member/{participant_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


@dataclass(frozen=True, slots=True)
class PublicRow:
    """One member on the page's board."""

    rank: int
    key: str
    """The member's page (`member_key`)."""
    name: str
    streak: int
    best: int
    day_number: int


@dataclass(frozen=True, slots=True)
class PublicBoard:
    """A challenge's page: its rules in brief and its visible members, ranked by streak."""

    challenge: Challenge
    rules: str
    rows: tuple[PublicRow, ...]
    ranked: int
    """Members on the board (the rows are its first `BOARD_ROWS`)."""


@dataclass(frozen=True, slots=True)
class PublicMember:
    """One visible member's page: their ledger (the heatmap) and its summary."""

    challenge: Challenge
    key: str
    name: str
    ledger: Ledger


@dataclass(frozen=True, slots=True)
class PublicDigest:
    """A posted week's digest, rebuilt from today's data, with the names it shows."""

    digest: Digest
    names: dict[int, str]


class PublicPageService:
    """Reads the public pages of the challenges whose organizers turned them on."""

    def __init__(
        self,
        db: Database,
        progress: ProgressService,
        digests: DigestService,
        names: NameService,
    ) -> None:
        self._db = db
        self._progress = progress
        self._digests = digests
        self._names = names
        self._keys: dict[str, tuple[dict[str, int], set[int]]] = {}
        """Member page keys by challenge page: key to participant id (`_participant_of`)."""

    async def challenge(self, web_id: str) -> Challenge:
        """Return the running, opted-in challenge at this address, or raise `NOT_FOUND`."""
        if not WEB_ID_SHAPE.fullmatch(web_id):
            raise NotFoundError(NOT_FOUND)
        async with self._db.read() as repos:
            found = await repos.challenges.by_web_id(web_id)
        # An ended challenge's page goes with it: its board would no longer move.
        if found is None or not found.web_enabled or not found.is_active:
            raise NotFoundError(NOT_FOUND)
        return found

    async def board(self, web_id: str, now: datetime) -> PublicBoard:
        """Return the page's board: visible members ranked as /leaderboard ranks by streak."""
        current = await self.challenge(web_id)
        visible = await self._visible(current, now)
        ranked = leaderboard.top(visible, Metric.STREAK, BOARD_ROWS, attrgetter("streak_key"))
        names = await self._names.stored(
            current.guild_id, [member.user_id for _, _, member in ranked.leaders]
        )
        rows = tuple(
            PublicRow(
                rank=place,
                key=member_key(web_id, member.participant_id),
                name=names[member.user_id],
                streak=member.streak,
                best=member.best,
                day_number=member.day_number,
            )
            for place, _, member in ranked.leaders
        )
        return PublicBoard(current, rules_in_brief(current.rules), rows, ranked.ranked)

    async def member(self, web_id: str, key: str, now: datetime) -> PublicMember:
        """Return a visible member's page, or raise `NOT_FOUND` (hidden, left, forgotten)."""
        current = await self.challenge(web_id)
        if not MEMBER_KEY_SHAPE.fullmatch(key):
            raise NotFoundError(NOT_FOUND)
        visible = await self._visible(current, now)
        wanted = await self._participant_of(web_id, key, visible)
        found = next((m for m in visible if m.participant_id == wanted), None)
        if found is None:
            raise NotFoundError(NOT_FOUND)
        async with self._db.read() as repos:
            participants = await repos.participants.by_ids([found.participant_id])
            facts = await repos.entries.day_facts(found.participant_id)
        if not participants:
            raise NotFoundError(NOT_FOUND)
        participant = participants[0]
        today = member_today(participant, current, now)
        ledger = latest_ledger(
            current.rules, participant.start_day, participant.initial_day, facts, today
        )
        names = await self._names.stored(current.guild_id, [found.user_id])
        return PublicMember(current, key, names[found.user_id], ledger)

    async def weeks(self, web_id: str) -> tuple[Challenge, list[str]]:
        """Return the challenge and the ISO weeks whose digest was posted, newest first."""
        current = await self.challenge(web_id)
        posted = await self._digests.posted_weeks(current)
        return current, sorted(posted, reverse=True)

    async def digest(self, web_id: str, week: str, now: datetime) -> PublicDigest:
        """Return a posted week's digest, rebuilt with today's hiding; else `NOT_FOUND`."""
        if not WEEK_SHAPE.fullmatch(week):
            raise NotFoundError(NOT_FOUND)
        current, posted = await self.weeks(web_id)
        if week not in posted:
            raise NotFoundError(NOT_FOUND)
        digest = await self._digests.week_digest(current, week, now)
        names = await self.names(current, _named(digest))
        return PublicDigest(digest, names)

    async def names(self, challenge: Challenge, user_ids: Sequence[int]) -> dict[int, str]:
        """Return the stored names of a challenge's members (`UNNAMED` for those never seen)."""
        return await self._names.stored(challenge.guild_id, sorted(set(user_ids)))

    async def _participant_of(self, web_id: str, key: str, members: list[Tally]) -> int | None:
        """Return the participant whose page `key` names, among `members`, or None.

        A key is a hash, so it cannot be read back: each challenge's keys are made once (a
        server's worth of hashes is tens of milliseconds, shared with the loop) and kept, a
        few challenges' worth at most; a member who joined since is hashed when asked for.
        """
        keys, hashed = self._keys.pop(web_id, ({}, set()))
        self._keys[web_id] = (keys, hashed)  # the most recently asked, last
        while len(self._keys) > KEPT_CHALLENGES:
            self._keys.pop(next(iter(self._keys)))
        if key not in keys:
            for index, member in enumerate(members):
                if index % KEY_SLICE == KEY_SLICE - 1:
                    await asyncio.sleep(0)
                if member.participant_id not in hashed:
                    hashed.add(member.participant_id)
                    keys[member_key(web_id, member.participant_id)] = member.participant_id
        return keys.get(key)

    async def _visible(self, challenge: Challenge, now: datetime) -> list[Tally]:
        async with self._db.read() as repos:
            members = await self._progress.tallies_in(repos, challenge, now)
        return [member for member in members if member.visible]


def _named(digest: Digest) -> list[int]:
    """Return every user id a digest's lists name."""
    lists = (digest.board, digest.top_streaks, digest.milestones, digest.newcomers)
    return [standout.user_id for group in (*lists, digest.comebacks) for standout in group]

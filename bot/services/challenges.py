"""Organizers' use cases: create, edit (with a preview), end challenges and adjust a day."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from bot.domain.engine import Summary
from bot.domain.models import Adjustment, AdjustmentKind, Challenge, DayFacts
from bot.domain.rules import PRESETS, Rules, preset
from bot.errors import ConflictError, InvalidInputError, NotFoundError
from bot.services._common import find_challenge, find_member, member_today
from bot.services.inputs import is_storable_id
from bot.services.settings_input import (
    CUSTOM,
    ChallengeSettings,
    ChallengeSettingsInput,
    RuleChanges,
    RulesInput,
    validated,
)
from bot.services.standings import walk_history
from bot.wording.dates import day_label
from storage import Database, Repositories

log = logging.getLogger(__name__)

DEFAULT_PRESET = "100-days-of-ml-code"
MAX_REASON = 500
PREVIEW_BATCH = 500
WEB_ID_BYTES = 24
"""Random bytes of a public page's address: 192 bits, 32 URL-safe characters."""


@dataclass(frozen=True, slots=True)
class MemberChange:
    """How a rule change would move one member."""

    user_id: int
    before: Summary
    after: Summary


@dataclass(frozen=True, slots=True)
class RuleChangePreview:
    """What an edit would do: the new challenge and every member whose standing would move."""

    before: Challenge
    after: Challenge
    changes: tuple[MemberChange, ...]
    members: int

    @property
    def rules_changed(self) -> bool:
        """Whether the edit touches the rules at all."""
        return self.before.rules != self.after.rules


class ChallengeService:
    """Create, edit, end and correct challenges (organizers only; the caller checks that)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        guild_id: int,
        settings: ChallengeSettingsInput,
        now: datetime,
        organizer_id: int | None = None,
    ) -> Challenge:
        """Create a challenge from a preset (or custom rules) and the organizer's settings.

        `organizer_id` is who created it: told if Daybook later cannot post in its channels.
        """
        given = validated(ChallengeSettings, settings.given())
        if given.name is None:
            raise InvalidInputError("A challenge needs a name.")
        preset_name = given.preset or DEFAULT_PRESET
        rules = Rules() if preset_name == CUSTOM else preset(preset_name)
        async with self._db.write() as repos:
            await self._check_name_free(repos, guild_id, given.name)
            challenge = await repos.challenges.add(
                guild_id=guild_id,
                name=given.name,
                rules=rules,
                timezone=given.zone() or "UTC",
                preset=preset_name,
                hashtag=given.hashtag,
                progress_channel_id=given.progress_channel_id,
                digest_channel_id=given.digest_channel_id,
                digest_weekday=given.weekday() or 0,
                digest_time=given.clock_time() or time(9, 0),
                nudge_hours=given.nudges(None),
                created_at=now,
            )
            if organizer_id is not None:
                await repos.problems.set_organizer(challenge.id, organizer_id)
        log.info("challenge %s created in guild %s", challenge.id, guild_id)
        return challenge

    async def get(self, *, guild_id: int, challenge: str | None) -> Challenge:
        """Return the challenge a command means."""
        async with self._db.read() as repos:
            return await find_challenge(repos, guild_id, challenge)

    async def running(self, challenge_id: int) -> Challenge:
        """Return a challenge by id if it is still running (a button names it by id)."""
        if not is_storable_id(challenge_id):  # a forged button: no database holds that id
            raise NotFoundError("That challenge has ended; there is nothing to log for it now.")
        async with self._db.read() as repos:
            found = await repos.challenges.get(challenge_id)
        if found is None or found.ended_at is not None:
            raise NotFoundError("That challenge has ended; there is nothing to log for it now.")
        return found

    async def all_active(self) -> list[Challenge]:
        """Return every running challenge, in every server."""
        async with self._db.read() as repos:
            return await repos.challenges.all_active()

    async def active(self, guild_id: int) -> list[Challenge]:
        """Return the server's running challenges."""
        async with self._db.read() as repos:
            return await repos.challenges.active_in_guild(guild_id)

    async def every(self, guild_id: int) -> list[Challenge]:
        """Return the server's challenges: the running ones, then the ended, newest first."""
        async with self._db.read() as repos:
            return await repos.challenges.in_guild(guild_id)

    async def for_progress_channel(self, guild_id: int, channel_id: int) -> Challenge | None:
        """Return the running challenge whose progress channel this is (the oldest), or None."""
        for challenge in await self.active(guild_id):
            if challenge.progress_channel_id == channel_id:
                return challenge
        return None

    async def preview_edit(
        self,
        *,
        guild_id: int,
        challenge: str | None,
        settings: ChallengeSettingsInput,
        rules: RulesInput,
        now: datetime,
    ) -> RuleChangePreview:
        """Show what an edit would change, member by member, without changing anything."""
        async with self._db.read() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            edited = self._edited(current, settings, rules)
            if edited.name != current.name:
                await self._check_name_free(repos, guild_id, edited.name, other_than=current.id)
            changes: list[MemberChange] = []
            participants = await repos.participants.active(current.id)
            if edited.rules != current.rules:
                # A batch of histories at a time: a large server's history never sits in memory.
                for first in range(0, len(participants), PREVIEW_BATCH):
                    batch = participants[first : first + PREVIEW_BATCH]
                    facts = await repos.entries.day_facts_for_participants([p.id for p in batch])
                    for participant in batch:
                        today = member_today(participant, current, now)
                        mine = facts.get(participant.id, {})
                        start, initial = participant.start_day, participant.initial_day
                        before = _summary(current.rules, start, initial, mine, today)
                        after = _summary(edited.rules, start, initial, mine, today)
                        if _moved(before, after):
                            changes.append(MemberChange(participant.user_id, before, after))
        return RuleChangePreview(current, edited, tuple(changes), len(participants))

    async def apply_edit(
        self,
        *,
        guild_id: int,
        challenge_id: int,
        settings: ChallengeSettingsInput,
        rules: RulesInput,
        organizer_id: int | None = None,
    ) -> Challenge:
        """Apply an edit the organizer confirmed."""
        async with self._db.write() as repos:
            saved = await self.save_edit(
                repos,
                guild_id=guild_id,
                challenge_id=challenge_id,
                settings=settings,
                rules=rules,
                organizer_id=organizer_id,
            )
        log.info("challenge %s edited", challenge_id)
        return saved

    @classmethod
    async def save_edit(
        cls,
        repos: Repositories,
        *,
        guild_id: int,
        challenge_id: int,
        settings: ChallengeSettingsInput,
        rules: RulesInput,
        organizer_id: int | None = None,
    ) -> Challenge:
        """Validate an edit against the stored challenge and save it, in the caller's write.

        The editing organizer becomes the one told about delivery problems; a channel the edit
        names (again) or no longer uses has its delivery problem cleared.
        """
        current = await repos.challenges.get(challenge_id)
        if current is None or current.guild_id != guild_id or not current.is_active:
            raise InvalidInputError("That challenge has ended or no longer exists.")
        edited = cls._edited(current, settings, rules)
        if edited.name != current.name:
            await cls._check_name_free(repos, guild_id, edited.name, other_than=current.id)
        saved = await repos.challenges.update(edited)
        if edited.rules != current.rules:
            await repos.standings.invalidate_challenge(challenge_id)
        if organizer_id is not None:
            await repos.problems.set_organizer(challenge_id, organizer_id)
        named = [settings.progress_channel_id, settings.digest_channel_id]
        await repos.problems.clear(challenge_id, [c for c in named if c is not None])
        used = [saved.progress_channel_id, saved.digest_channel_id]
        await repos.problems.clear_except(challenge_id, [c for c in used if c is not None])
        return saved

    async def set_web(
        self, *, guild_id: int, challenge: str | None, enabled: bool, organizer_id: int
    ) -> Challenge:
        """Turn a challenge's public page on or off at once: it moves nobody's days.

        The address is made the first time the page is turned on and kept after (see
        `_web_id`); the caller checks that the host serves pages at all.
        """
        async with self._db.write() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            saved = await self.save_edit(
                repos,
                guild_id=guild_id,
                challenge_id=current.id,
                settings=ChallengeSettingsInput(web=enabled),
                rules=RulesInput(),
                organizer_id=organizer_id,
            )
        log.info("public page of challenge %s turned %s", saved.id, "on" if enabled else "off")
        return saved

    async def end(self, *, guild_id: int, challenge: str | None, now: datetime) -> Challenge:
        """End a challenge: it stops taking entries; everything logged is kept."""
        async with self._db.write() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            await repos.challenges.end(current.id, now)
        return replace(current, ended_at=now)

    async def adjust(
        self,
        *,
        guild_id: int,
        organizer_id: int,
        member_id: int,
        day: date,
        kind: AdjustmentKind,
        reason: str,
        challenge: str | None,
        now: datetime,
    ) -> Adjustment:
        """Correct one member's day with a reason that the ledger will show."""
        cleaned = " ".join(reason.split())
        if not cleaned:
            raise InvalidInputError("An adjustment needs a reason; members see it in /why.")
        if len(cleaned) > MAX_REASON:
            raise InvalidInputError(f"Keep the reason under {MAX_REASON} characters.")
        async with self._db.write() as repos:
            current = await find_challenge(repos, guild_id, challenge)
            participant = await find_member(repos, current, member_id, yourself=False)
            today = member_today(participant, current, now)
            if day > today:
                raise InvalidInputError(
                    f"{day_label(day, near=today)} has not started yet for that member."
                )
            if day < participant.start_day:
                raise InvalidInputError(
                    f"{day_label(day, near=today)} is before that member's start "
                    f"({day_label(participant.start_day, near=today)})."
                )
            return await repos.adjustments.add(
                participant_id=participant.id,
                day=day,
                kind=kind,
                reason=cleaned,
                organizer_id=organizer_id,
                created_at=now,
            )

    @staticmethod
    def _edited(
        current: Challenge, settings: ChallengeSettingsInput, rules: RulesInput
    ) -> Challenge:
        given = validated(ChallengeSettings, settings.given())
        new_rules = current.rules
        preset_name = current.preset
        if given.preset is not None and given.preset != CUSTOM:
            new_rules = preset(given.preset)
            preset_name = given.preset
        changes = validated(RuleChanges, rules.given())
        if changes.model_dump(exclude_none=True):
            new_rules = changes.apply_to(new_rules)
        if given.preset == CUSTOM or (new_rules != current.rules and preset_name != CUSTOM):
            preset_name = _preset_of(new_rules)
        weekday = given.weekday()
        return replace(
            current,
            name=given.name or current.name,
            rules=new_rules,
            preset=preset_name,
            timezone=given.zone() or current.timezone,
            hashtag=given.hashtag or current.hashtag,
            progress_channel_id=given.progress_channel_id or current.progress_channel_id,
            digest_channel_id=given.digest_channel_id or current.digest_channel_id,
            digest_weekday=current.digest_weekday if weekday is None else weekday,
            digest_time=given.clock_time() or current.digest_time,
            nudge_hours=given.nudges(current.nudge_hours),
            announce_checkins=(
                current.announce_checkins
                if given.announce_checkins is None
                else given.announce_checkins
            ),
            web_enabled=current.web_enabled if given.web is None else given.web,
            web_id=_web_id(current, given.web),
        )

    @staticmethod
    async def _check_name_free(
        repos: Repositories, guild_id: int, name: str, *, other_than: int | None = None
    ) -> None:
        # other_than: a challenge being renamed ("ML Club" to "ML club") does not clash with itself.
        for existing in await repos.challenges.active_in_guild(guild_id):
            if existing.id != other_than and existing.name.casefold() == name.casefold():
                raise ConflictError(f"This server already runs a challenge called {name}.")


def _web_id(current: Challenge, web: bool | None) -> str | None:
    """Return the page's address: made the first time it is turned on, then kept for good.

    Turning the page off and on again keeps its address, so links shared before work again.
    """
    if web and current.web_id is None:
        return secrets.token_urlsafe(WEB_ID_BYTES)
    return current.web_id


def _preset_of(rules: Rules) -> str:
    for name, known in PRESETS.items():
        if known == rules:
            return name
    return CUSTOM


def _summary(
    rules: Rules, start: date, initial_day: int, facts: Mapping[date, DayFacts], today: date
) -> Summary:
    return walk_history(rules, start, initial_day, facts, today).summary


def _moved(before: Summary, after: Summary) -> bool:
    keys = ("day_number", "current_streak", "best_streak", "round", "attempt", "phase")
    return any(getattr(before, key) != getattr(after, key) for key in keys)

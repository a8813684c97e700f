"""What the community sees of a member's progress: public lines and milestone roles, in Discord.

`bot.services.milestones` decides (a check-in, a milestone reached, a role to give or take
back); this class does it through the bot, each step once (keyed in the send ledger), and never
lets a failure reach the member's /log: a progress channel Discord refuses becomes the
challenge's delivery problem (as a refused reminder does), a role Discord refuses is logged.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from datetime import datetime

import discord

from bot.domain.delivery import ChannelRole, Refusal
from bot.domain.milestones import Reached
from bot.services import Services
from bot.services.entries import RecordedEntry
from bot.services.failures import SendRefusedError
from bot.services.milestones import Celebration
from bot.services.send_ledger import Notice
from bot.transport import classify, refused_before_sending
from bot.wording.milestones import milestone_name
from cogs._ui.community import checkin_line, milestone_line
from storage import GrantedRole

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
LOST_ATTEMPT = "Daybook: the attempt that earned this role ended"
LEFT = "Daybook: the member left the challenge"
FORGOTTEN = "Daybook: the member asked to be forgotten"


class Posted(enum.Enum):
    """What became of a public line."""

    NOW = "now"
    TAKEN = "taken"
    """Claimed before: posted earlier (or being posted), so not again."""
    FAILED = "failed"


class Community:
    """Posts check-ins and milestones in progress channels, and gives and takes milestone roles."""

    def __init__(self, bot: discord.Client, services: Services) -> None:
        self._bot = bot
        self._services = services
        self._swept: datetime | None = None

    async def after_entry(
        self, result: RecordedEntry, *, name: str, at: datetime, checkin: bool
    ) -> None:
        """Tell the channel about a new post (`checkin`: a /log) and its milestone; never raises.

        The member's own reply has gone out already: whatever fails here is logged (or becomes
        the challenge's delivery problem), and the post stays recorded.
        """
        try:
            celebration = await self._services.milestones.celebration(result)
            reached = celebration.reached
            posted = Posted.TAKEN
            if celebration.public and reached is not None:
                # The milestone's line stands for the check-in too: one line, not two.
                text = milestone_line(name, reached, celebration.challenge.name)
                notice = celebration.milestone_notice(reached)
                posted = await self._post(celebration, notice, text, at)
            if celebration.public and checkin and posted is Posted.TAKEN:
                text = checkin_line(name, celebration)
                await self._post(celebration, celebration.checkin_notice, text, at)
            elif posted is Posted.NOW:
                # The milestone's line was the day's check-in: a later post that day adds none.
                await self._services.send_ledger.skip(
                    celebration.checkin_notice, at=at, reason="the milestone's line stood for it"
                )
            role_id = celebration.role_id
            if reached is not None and role_id is not None and not celebration.participant.hidden:
                await self._grant(celebration, reached, role_id, at)
            if celebration.lost:
                await self.take_back(celebration.lost, reason=LOST_ATTEMPT)
        except Exception:
            log.exception(
                "the public line or role of entry %s (challenge %s, guild %s) failed",
                result.entry.id,
                result.challenge.id,
                result.challenge.guild_id,
            )

    async def take_back(self, grants: Sequence[GrantedRole], *, reason: str) -> int:
        """Take back roles Daybook gave (and forget them); return how many were taken.

        A role another of the member's challenges still earns stays; a member who left the
        server, or a role deleted meanwhile, has nothing to take back. A role Discord refuses
        to take (Daybook lost Manage Roles, say) stays recorded, so the hourly sweep tries again.
        """
        milestones = self._services.milestones
        taken = 0
        refused: set[tuple[int, int, int]] = set()
        for grant in await milestones.to_take_back(list(grants)):
            try:
                await self._bot.http.remove_role(
                    grant.guild_id, grant.user_id, grant.role_id, reason=reason
                )
                taken += 1
            except discord.NotFound:
                pass
            except Exception as error:
                refused.add(_role_key(grant))
                log.warning(
                    "could not take role %s back from user %s (guild %s): %s",
                    grant.role_id,
                    grant.user_id,
                    grant.guild_id,
                    classify(error) or error,
                )
        await milestones.forget_grants(
            [grant for grant in grants if _role_key(grant) not in refused]
        )
        return taken

    async def leave(self, *, guild_id: int, user_id: int, challenge_id: int) -> None:
        """Take back the roles a member earned in a challenge they left; never raises."""
        try:
            grants = await self._services.milestones.granted_in(
                guild_id=guild_id, user_id=user_id, challenge_id=challenge_id
            )
            await self.take_back(grants, reason=LEFT)
        except Exception:
            log.exception("taking back the roles of user %s (guild %s) failed", user_id, guild_id)

    async def held_by(self, user_id: int) -> list[GrantedRole]:
        """Return the roles Daybook gave a user, read before forgetting them; never raises."""
        try:
            return await self._services.milestones.granted_to(user_id)
        except Exception:
            log.exception("reading the roles of user %s failed", user_id)
            return []

    async def forgotten(self, grants: Sequence[GrantedRole]) -> None:
        """Take back the roles a forgotten user held from Daybook (`held_by`); never raises."""
        try:
            await self.take_back(grants, reason=FORGOTTEN)
        except Exception:
            log.exception("taking back the roles of a forgotten user failed")

    async def sweep(self, now: datetime) -> int:
        """Take back roles whose attempt was lost (or whose member left), once an hour.

        Only in this process's servers (`Services.build`'s shards). Safe to run twice: a role
        taken back is forgotten.
        """
        hour = now.replace(minute=0, second=0, microsecond=0)
        if self._swept == hour:
            return 0
        grants = await self._services.milestones.lost_grants(now)
        taken = await self.take_back(grants, reason=LOST_ATTEMPT)
        self._swept = hour
        return taken

    async def _post(
        self, celebration: Celebration, notice: Notice, text: str, at: datetime
    ) -> Posted:
        """Post one public line in the progress channel, once; a refusal is the challenge's."""
        challenge = celebration.challenge
        channel_id = challenge.progress_channel_id
        if channel_id is None:
            return Posted.FAILED
        refused = refused_before_sending(
            self._bot, challenge.guild_id, channel_id, ChannelRole.PROGRESS
        )

        async def send() -> None:
            if refused is not None:
                raise refused
            channel = self._bot.get_partial_messageable(channel_id)
            try:
                await channel.send(text, allowed_mentions=NO_MENTIONS, nonce=notice.nonce)
            except Exception as error:
                raise (classify(error, channel_id=channel_id) or error) from error

        try:
            # No backoff: a line that failed for a passing reason is not worth posting late.
            sent = await self._services.send_ledger.once(notice, at=at, send=send, backoff=False)
        except SendRefusedError as error:
            await self._services.problems.record(challenge, error, at)
            return Posted.FAILED
        except Exception as error:
            log.warning(
                "could not post %s in channel %s (challenge %s, guild %s): %s",
                notice.key,
                channel_id,
                challenge.id,
                challenge.guild_id,
                error,
            )
            return Posted.FAILED
        if sent is None:
            return Posted.TAKEN
        problems = self._services.problems
        # A read first: a problem to clear is rare, and every /log passes here. The challenge's
        # own problems: a /log in a DM may be for a server another process runs.
        if await problems.stands(challenge.id, channel_id):
            await problems.cleared(challenge, channel_id)
        return Posted.NOW

    async def _grant(
        self, celebration: Celebration, reached: Reached, role_id: int, at: datetime
    ) -> None:
        """Give a milestone's role once, recording it first so it can always be taken back."""
        challenge = celebration.challenge
        user_id = celebration.participant.user_id
        milestones = self._services.milestones
        reason = f"Daybook: reached {milestone_name(reached.milestone)} in {challenge.name}"

        async def give() -> None:
            refused = _cannot_give(self._bot, challenge.guild_id, role_id)
            if refused is not None:
                raise refused
            if await self._held_by_hand(challenge.guild_id, user_id, role_id):
                # Someone else gave it (a moderator, say): recording it as Daybook's would take
                # it away on /leave or a lost attempt, and that role is not Daybook's to take.
                log.info("user %s holds role %s already; not recorded as given", user_id, role_id)
                return
            # Recorded before it is given: a role given but not recorded could never be taken
            # back, while one recorded but not given is only a harmless removal later.
            await milestones.record_grant(celebration, role_id, at)
            try:
                await self._bot.http.add_role(challenge.guild_id, user_id, role_id, reason=reason)
            except Exception as error:
                await milestones.drop_grant(celebration, role_id)
                raise (classify(error) or error) from error

        try:
            await self._services.send_ledger.once(
                celebration.role_notice(reached), at=at, send=give
            )
        except Exception as error:
            # Not the member's problem, and not a channel's: the organizer sees the role missing
            # and the log says why (most often Daybook lost Manage Roles or its role was moved).
            log.warning(
                "could not give role %s to user %s for %s in challenge %s (guild %s): %s",
                role_id,
                user_id,
                reached.key,
                challenge.id,
                challenge.guild_id,
                error,
            )

    async def _held_by_hand(self, guild_id: int, user_id: int, role_id: int) -> bool:
        """Whether the member holds the role already, and not from Daybook."""
        # Without the members intent the cache does not know members' roles: ask Discord (this
        # runs only when a mapped milestone is reached).
        member = await self._bot.http.get_member(guild_id, user_id)
        if str(role_id) not in member.get("roles", []):
            return False
        return not await self._services.milestones.gave(
            guild_id=guild_id, user_id=user_id, role_id=role_id
        )


def _role_key(grant: GrantedRole) -> tuple[int, int, int]:
    """Return which role of whom a grant is: (server, user, role)."""
    return (grant.guild_id, grant.user_id, grant.role_id)


def _cannot_give(bot: discord.Client, guild_id: int, role_id: int) -> SendRefusedError | None:
    """Return why Daybook cannot give a role, when its cache already shows it (else None)."""
    guild = bot.get_guild(guild_id)
    me = None if guild is None else guild.me
    if guild is None or me is None:
        return None
    role = guild.get_role(role_id)
    if role is None:
        return SendRefusedError(Refusal.REJECTED, f"role {role_id} no longer exists")
    if not me.guild_permissions.manage_roles:
        return SendRefusedError(Refusal.MISSING_PERMISSIONS, "missing permission: manage_roles")
    if role >= me.top_role:
        return SendRefusedError(
            Refusal.MISSING_PERMISSIONS, f"role {role_id} is not below Daybook's own top role"
        )
    return None

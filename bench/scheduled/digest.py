"""The weekly digest end to end (build, charts in the production pool, embeds), under a probe."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import discord

from bench.profiling import printed_profile
from bench.report import say
from bench.stall import StallSampler, probing
from bench.world import GUILD_ID, NOW
from bot.charts.pool import CHART_WORKERS, chart_pool
from bot.services import Services
from bot.services.digests import Digest
from cogs._ui import digest as digest_text
from storage import Database


@dataclass(frozen=True, slots=True)
class DigestRun:
    """One digest, built, charted and rendered, with the loop's stalls meanwhile."""

    build_ms: float
    charts_ms: float
    embeds_ms: float
    stall_ms: float
    stall_build_ms: float
    stall_charts_ms: float
    stall_embeds_ms: float

    @property
    def total_ms(self) -> float:
        """End to end."""
        return self.build_ms + self.charts_ms + self.embeds_ms


@dataclass(slots=True)
class DigestFigures:
    """The digest's runs and what it said."""

    cold: DigestRun | None = None
    warm: list[DigestRun] = field(default_factory=list)
    week: str = ""
    members: int = 0
    active: int = 0
    embed_length: int = 0
    longest_field: int = 0
    fields: int = 0
    png_kb: tuple[float, float] = (0.0, 0.0)
    tick_ms: float = 0.0
    """The scheduler's path, `run_due`, with the same rendering as its post."""
    tick_posted: int = 0
    tick_again: int = 0
    stall_sites: dict[str, list[str]] = field(default_factory=dict)
    """With --profile: where the main thread was while the loop stalled, by digest run."""


def name_lookup(digest: Digest) -> Callable[[Sequence[int]], Awaitable[dict[int, str]]]:
    """Return a lookup naming each member the digest lists 'member N' (no Discord here)."""
    names = {user: f"member {n}" for n, user in enumerate(digest_text.listed_ids(digest), 1)}

    async def lookup(user_ids: Sequence[int]) -> dict[int, str]:
        return {user: names[user] for user in user_ids if user in names}

    return lookup


async def render(services: Services, digest: Digest) -> tuple[list[discord.Embed], bytes, bytes]:
    """Do what the bot's DigestPoster.message does: the charts, then the embeds."""
    lookup = name_lookup(digest)
    names = await lookup(digest_text.listed_ids(digest))
    pictures = await services.charts.draw_digest(digest, lookup)
    return digest_text.digest_embeds(digest, names), pictures.board, pictures.activity


async def one_digest(services: Services, figures: DigestFigures) -> DigestRun:
    """Build, chart and render the digest due now, under a stall probe."""
    async with probing() as probe:
        began = time.perf_counter()
        digest = await services.digests.preview(guild_id=GUILD_ID, challenge=None, now=NOW)
        built = time.perf_counter()
        lookup = name_lookup(digest)
        names = await lookup(digest_text.listed_ids(digest))
        pictures = await services.charts.draw_digest(digest, lookup)
        charted = time.perf_counter()
        embeds = digest_text.digest_embeds(digest, names)
        done = time.perf_counter()
    figures.week = f"{digest.first_day} to {digest.last_day} ({digest.slot.week})"
    figures.members, figures.active = digest.members, digest.active
    figures.embed_length = sum(len(embed) for embed in embeds)
    figures.fields = sum(len(embed.fields) for embed in embeds)
    figures.longest_field = max(
        (len(f.value or "") for embed in embeds for f in embed.fields), default=0
    )
    figures.png_kb = (len(pictures.board) / 1024, len(pictures.activity) / 1024)
    return DigestRun(
        build_ms=(built - began) * 1000,
        charts_ms=(charted - built) * 1000,
        embeds_ms=(done - charted) * 1000,
        stall_ms=probe.worst_ms,
        stall_build_ms=probe.worst_in(began, built),
        stall_charts_ms=probe.worst_in(built, charted),
        stall_embeds_ms=probe.worst_in(charted, done + 1),
    )


async def digests(db: Database, runs: int, profile: bool) -> DigestFigures:
    """Time the digest in the production chart pool: first after a start, then warm."""
    figures = DigestFigures()
    with chart_pool() as pool:
        services = Services.build(db, chart_executor=pool)
        await services.charts.warm(CHART_WORKERS)  # the bot does this when it connects
        say("digest: the first after a start (empty walk cache), then warm ...")
        figures.cold = await one_digest(services, figures)
        for _ in range(runs):
            figures.warm.append(await one_digest(services, figures))
        if profile:
            # Several digests per sampler, for more samples: 3 warm, then 2 each after a start.
            for label, restart in (("warm walk cache", False), ("first after a start", True)):
                async with probing() as probe:
                    with StallSampler(probe) as sampler:
                        for _ in range(2 if restart else 3):
                            if restart:
                                services = Services.build(db, chart_executor=pool)
                            await one_digest(services, figures)
                figures.stall_sites[label] = sampler.top(8)
            with printed_profile(True, "digest build, warm walk cache"):
                await services.digests.preview(guild_id=GUILD_ID, challenge=None, now=NOW)
            fresh = Services.build(db, chart_executor=pool)
            with printed_profile(True, "digest build, first after a start"):
                await fresh.digests.preview(guild_id=GUILD_ID, challenge=None, now=NOW)

        async def post(digest: Digest) -> None:
            await render(services, digest)

        started = time.perf_counter()
        figures.tick_posted = len(await services.digests.run_due(NOW, post))
        figures.tick_ms = (time.perf_counter() - started) * 1000
        figures.tick_again = len(await services.digests.run_due(NOW, post))
    return figures

"""`repos.entries.week_counts`: the database counts a week's tags and links as Python did.

The reference is the digest's former count, in Python over every post decoded: the posts of the
members asked for, live and in the week, each tag and each link counted as often as it appears,
a link under its kind's group, each list sorted by (-count, text) and cut to its top. Random
posts (tags with case, Unicode and duplicates; odd URLs; empty lists) are written through the
repository and counted by SQLite and, through `.ci/postgres`, PostgreSQL.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.digest import LINK_GROUPS, OTHER_LINKS, link_group
from bot.domain.models import Link, LinkKind
from storage import Database
from storage.repositories.entries import WeekCounts
from tests.storage.conftest import D0, T0, Seed

FIRST, LAST = D0, D0 + timedelta(days=6)
CHALLENGES = itertools.count(1)
"""Each example posts in a challenge of its own: one database serves them all."""
GROUPS = {kind.value: group for kind, group in LINK_GROUPS.items()}
# Text as the bot stores it: no NUL (PostgreSQL refuses it in text; the bot strips every control
# character but layout) and no lone surrogates (not UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
# A few values that sort or compare in tricky ways, drawn often so that counts tie at the cut:
# case, composed and decomposed accents, scripts beyond the BMP, a space, ß and its upper case.
TAGS = st.sampled_from(
    ["ml", "ML", "Ml", "é", "e\u0301", "\U0001d518nicode", "日本", "a b", "ß", "SS", "z"]
)
URLS = st.sampled_from(
    [
        "https://github.com/a/b",
        "https://GitHub.com/a/b",
        "https://arxiv.org/abs/2401.00001",
        'https://example.org/q?a="b"&c=%20d',
        "https://example.org/back\\slash",
        "http://例え.jp/パス",
        "https://youtu.be/😀",
        "https://example.org/ trailing ",
    ]
)


@dataclass(frozen=True)
class Post:
    member: int
    day_offset: int
    """Days after the week's first: -1 and 7 are just outside it."""
    tags: tuple[str, ...]
    links: tuple[Link, ...]
    deleted: bool


posts_strategy = st.lists(
    st.builds(
        Post,
        member=st.integers(0, 3),
        day_offset=st.integers(-1, 7),
        tags=st.lists(TAGS | TEXT, max_size=5).map(tuple),
        links=st.lists(
            st.builds(Link, url=URLS | TEXT, kind=st.sampled_from(list(LinkKind))), max_size=4
        ).map(tuple),
        deleted=st.booleans(),
    ),
    max_size=25,
)


def reference(
    posts: list[Post], shown: set[int], top: tuple[int, int]
) -> tuple[list[tuple[str, int]], dict[str, list[tuple[str, int]]]]:
    """The digest's former count: every post decoded and counted in Python."""
    tags: Counter[str] = Counter()
    links: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        if post.deleted or post.member not in shown or not 0 <= post.day_offset <= 6:
            continue
        tags.update(post.tags)
        for link in post.links:
            links[link_group(link.kind)][link.url] += 1

    def ordered(counts: Counter[str], size: int) -> list[tuple[str, int]]:
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:size]

    return ordered(tags, top[0]), {
        group: ordered(counted, top[1]) for group, counted in links.items() if counted
    }


async def write_posts(database: Database, seed: Seed, posts: list[Post]) -> list[int]:
    """Write the posts in a challenge of their own, for four members; return their ids."""
    challenge = await seed.challenge(name=f"week counts {next(CHALLENGES)}")
    members = [await seed.participant(challenge) for _ in range(4)]
    async with database.write() as repos:
        for post in posts:
            entry = await Seed.add_entry(
                repos,
                members[post.member],
                FIRST + timedelta(days=post.day_offset),
                tags=post.tags,
                links=post.links,
            )
            if post.deleted:
                await repos.entries.soft_delete(entry.id, T0)
    return [member.id for member in members]


async def counted(
    database: Database, challenge_id: int, ids: list[int], top: tuple[int, int]
) -> WeekCounts:
    async with database.read() as repos:
        return await repos.entries.week_counts(
            challenge_id, FIRST, LAST, ids, top=top, groups=GROUPS, other=OTHER_LINKS
        )


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    posts=posts_strategy,
    shown=st.sets(st.integers(0, 3), min_size=1),
    top=st.tuples(st.integers(1, 4), st.integers(1, 3)),
)
async def test_the_databases_counts_are_pythons(
    database: Database, seed: Seed, posts: list[Post], shown: set[int], top: tuple[int, int]
) -> None:
    ids = await write_posts(database, seed, posts)
    async with database.read() as repos:
        challenge_id = (await repos.participants.by_ids([ids[0]]))[0].challenge_id
    found = await counted(database, challenge_id, [ids[n] for n in sorted(shown)], top)
    tags, links = reference(posts, shown, top)
    assert list(found.tags) == tags
    assert {group: list(listed) for group, listed in found.links.items()} == links


async def test_ties_at_the_cut_go_to_the_first_in_code_point_order(
    database: Database, seed: Seed
) -> None:
    # Upper case sorts before lower case, and a precomposed é (U+00E9) after 'z' and before
    # e + U+0301 only in code points: a collation by language would order these otherwise.
    names = ["é", "z", "Z", "e\u0301", "a", "ß", "SS"]
    posts = [Post(0, 2, (name,), (), deleted=False) for name in names]
    ids = await write_posts(database, seed, posts)
    async with database.read() as repos:
        challenge_id = (await repos.participants.by_ids([ids[0]]))[0].challenge_id
    found = await counted(database, challenge_id, ids, (4, 1))
    assert found.tags == (("SS", 1), ("Z", 1), ("a", 1), ("e\u0301", 1))


async def test_every_link_kind_is_counted_under_its_group(database: Database, seed: Seed) -> None:
    kinds = list(LinkKind)
    posts = [
        Post(0, day, (), tuple(Link(f"https://host/{kind.value}", kind) for kind in kinds), False)
        for day in range(3)
    ]
    ids = await write_posts(database, seed, posts)
    async with database.read() as repos:
        challenge_id = (await repos.participants.by_ids([ids[0]]))[0].challenge_id
    found = await counted(database, challenge_id, ids, (10, 5))
    assert found.tags == ()
    # YouTube and other links share the one 'Other' group; the five named kinds have their own.
    assert found.links == {
        **{group: ((f"https://host/{kind.value}", 3),) for kind, group in LINK_GROUPS.items()},
        OTHER_LINKS: (("https://host/other", 3), ("https://host/youtube", 3)),
    }


async def test_nobody_asked_for_counts_nothing(database: Database, seed: Seed) -> None:
    posts = [Post(0, 1, ("ml",), (Link("https://github.com/a", LinkKind.GITHUB),), False)]
    ids = await write_posts(database, seed, posts)
    async with database.read() as repos:
        challenge_id = (await repos.participants.by_ids([ids[0]]))[0].challenge_id
    assert await counted(database, challenge_id, [], (10, 5)) == WeekCounts((), {})
    # The member who posted, not asked for, is not counted either.
    assert await counted(database, challenge_id, ids[1:], (10, 5)) == WeekCounts((), {})


async def test_a_servers_worth_of_members_is_one_parameter(database: Database, seed: Seed) -> None:
    # More ids than asyncpg's 32,767 bind parameters: the list goes as one JSON string.
    posts = [Post(member, 0, ("ml",), (), False) for member in range(4)]
    ids = await write_posts(database, seed, posts)
    async with database.read() as repos:
        challenge_id = (await repos.participants.by_ids([ids[0]]))[0].challenge_id
    many = [*ids[:3], *itertools.islice(itertools.count(10_000_000), 40_000)]
    found = await counted(database, challenge_id, many, (10, 5))
    assert found.tags == (("ml", 3),)
    async with database.read() as repos:
        daily = await repos.entries.daily_activity(challenge_id, FIRST, LAST, many)
    assert daily == {date(2026, 3, 2): (3, 3)}

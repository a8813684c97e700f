"""The public pages as HTML, built with the standard library; no script anywhere.

Everything members or organizers wrote (names of members and challenges, tags) goes through
`html.escape` (quotes too), so a name like `<script>` or `"><img onerror=…>` reads as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from html import escape
from urllib.parse import quote

from bot.domain.models import Challenge
from bot.services.charts import week_words
from bot.services.digests import Digest, Standout
from bot.services.public import PublicBoard, PublicDigest, PublicMember, PublicRow
from bot.web.style import STYLESHEET_PATH

CHART_ROWS = 10
"""Members the leaderboard chart draws (the table lists more): as /leaderboard's."""


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _days(number: int) -> str:
    return _count(number, "day")


def base_path(web_id: str) -> str:
    """Return a challenge's page address (the web id is URL-safe; quoted all the same)."""
    return f"/c/{quote(web_id, safe='')}"


def document(
    title: str, main: str, *, challenge: Challenge | None = None, robots: bool = False
) -> bytes:
    """Return a whole page: head, the challenge's header and navigation, `main`, a footer."""
    header = ""
    if challenge is not None and challenge.web_id is not None:
        base = base_path(challenge.web_id)
        header = (
            "<header>"
            f'<p class="brand"><a href="{base}">{escape(challenge.name)}</a></p>'
            '<nav aria-label="Challenge pages"><ul>'
            f'<li><a href="{base}">Leaderboard</a></li>'
            f'<li><a href="{base}/digests">Weekly digests</a></li>'
            "</ul></nav></header>"
        )
    # Not indexed: an organizer shares the address with whom they choose.
    meta_robots = "" if robots else '<meta name="robots" content="noindex, nofollow">'
    page = (
        "<!doctype html>"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{meta_robots}"
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="{STYLESHEET_PATH}">'
        f"</head><body>{header}<main>{main}</main>"
        "<footer><p>A read-only page of a Daybook challenge. Members who chose to keep their "
        "progress private are not on it.</p></footer>"
        "</body></html>"
    )
    return page.encode()


def not_found_page() -> bytes:
    """Return the one page for everything that is not there, whatever the reason."""
    return document(
        "Page not found",
        "<h1>There is no such page</h1>"
        "<p>The address may be mistyped, or the page is not shared any more.</p>",
    )


def too_many_page(retry_after: int) -> bytes:
    """Return the page of a visitor who asked too often."""
    return document(
        "Too many requests",
        "<h1>Too many requests</h1>"
        f"<p>Pages were asked for faster than this server answers them. Please wait "
        f"{_count(retry_after, 'second')} and load the page again.</p>",
    )


def not_allowed_page() -> bytes:
    """Return the page of a request that is not a read (these pages can only be read)."""
    return document(
        "Not allowed",
        "<h1>Only reading is possible here</h1><p>These pages can be read, not changed.</p>",
    )


def index_page() -> bytes:
    """Return the site's front page, which lists nothing."""
    return document(
        "Daybook",
        "<h1>Daybook</h1><p>Daybook keeps daily learning challenges on Discord. Some "
        "challenges share a public page; their organizers give out its address.</p>",
        robots=True,
    )


def board_alt(board: PublicBoard) -> str:
    """Return the words of the leaderboard chart, for those who cannot see it."""
    shown = board.rows[:CHART_ROWS]
    if not shown:
        return "Leaderboard chart: nobody is on the board yet."
    listed = "; ".join(f"{row.rank}. {row.name}, {_days(row.streak)}" for row in shown)
    return f"Bar chart of the current streaks of the top {_count(len(shown), 'member')}: {listed}."


def board_page(board: PublicBoard, web_id: str) -> bytes:
    """Return a challenge's page: its rules in a sentence, the chart and the ranked table."""
    challenge = board.challenge
    base = base_path(web_id)
    parts = [
        f"<h1>{escape(challenge.name)}</h1>",
        f"<p>{escape(board.rules)}</p>",
        (
            f'<p class="muted">{_count(board.ranked, "member")} on the board, '
            "ranked by current streak.</p>"
        ),
    ]
    if board.rows:
        parts.append(
            f'<figure><img src="{base}/board.png" alt="{escape(board_alt(board))}" '
            'width="1000">'
            f"<figcaption>The top {min(CHART_ROWS, len(board.rows))} by current "
            "streak.</figcaption></figure>"
        )
        parts.append(_board_table(board.rows, base))
        more = board.ranked - len(board.rows)
        if more > 0:
            parts.append(f'<p class="muted">…and {_count(more, "more member")}.</p>')
    else:
        parts.append("<p>Nobody is on the board yet.</p>")
    parts.append(f'<p><a href="{base}/digests">The weekly digests</a> tell each week\'s story.</p>')
    return document(f"{challenge.name}: leaderboard", "".join(parts), challenge=challenge)


def _board_table(rows: Sequence[PublicRow], base: str) -> str:
    # Numbers alone in the cells, their unit in the heading: five columns fit a phone.
    body = "".join(
        "<tr>"
        f'<td class="num">{row.rank}</td>'
        f'<th scope="row"><a href="{base}/m/{quote(row.key, safe="")}">{escape(row.name)}</a></th>'
        f'<td class="num">{row.streak}</td>'
        f'<td class="num">{row.best}</td>'
        f'<td class="num">{row.day_number}</td>'
        "</tr>"
        for row in rows
    )
    return (
        '<div class="scroll" role="region" aria-label="Leaderboard table" tabindex="0">'
        "<table><caption>Members ranked by current streak, then best streak and day; "
        "equal streaks share a rank.</caption>"
        '<thead><tr><th scope="col" class="num">Rank</th><th scope="col">Member</th>'
        '<th scope="col" class="num">Current streak (days)</th>'
        '<th scope="col" class="num">Best streak (days)</th>'
        '<th scope="col" class="num">Day</th>'
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )


def member_alt(member: PublicMember) -> str:
    """Return the words of a member's heatmap."""
    summary = member.ledger.summary
    counted = sum(1 for row in member.ledger.rows if row.counted)
    return (
        f"Calendar heatmap of {member.name}'s days in {member.challenge.name}, a square per "
        f"day, filled on the days that counted: {_count(counted, 'counted day')} in this "
        f"attempt; Day {summary.day_number}, a current streak of "
        f"{_days(summary.current_streak)}."
    )


def member_page(member: PublicMember, web_id: str) -> bytes:
    """Return a member's page: Day N, streaks and the heatmap of their attempt."""
    summary = member.ledger.summary
    base = base_path(web_id)
    own = f"{base}/m/{quote(member.key, safe='')}"
    main = (
        f"<h1>{escape(member.name)}</h1>"
        '<ul class="stats">'
        f"<li>Day <strong>{summary.day_number}</strong></li>"
        f"<li>Current streak <strong>{_days(summary.current_streak)}</strong></li>"
        f"<li>Best streak <strong>{_days(summary.best_streak)}</strong></li>"
        f"<li>Counted days in all <strong>{summary.qualifying_days}</strong></li>"
        "</ul>"
        f'<figure><img src="{own}/heatmap.png" alt="{escape(member_alt(member))}" '
        'width="1000"><figcaption>Each square is a day of the current '
        "attempt.</figcaption></figure>"
        f'<p><a href="{base}">Back to the leaderboard</a></p>'
    )
    return document(f"{member.name} in {member.challenge.name}", main, challenge=member.challenge)


def digests_page(
    challenge: Challenge, web_id: str, weeks: Sequence[tuple[str, date, date]]
) -> bytes:
    """Return the digest archive: every week whose digest was posted, newest first."""
    base = base_path(web_id)
    if weeks:
        items = "".join(
            f'<li><a href="{base}/digests/{week}">{escape(week_words(first, last))}</a></li>'
            for week, first, last in weeks
        )
        listing = f'<ul class="plain">{items}</ul>'
    else:
        listing = "<p>No weekly digest has been posted yet.</p>"
    main = (
        "<h1>Weekly digests</h1>"
        '<p class="muted">Each digest is told again from today\'s records: members who have '
        "since chosen to keep their progress private are left out.</p>"
        f"{listing}"
    )
    return document(f"{challenge.name}: weekly digests", main, challenge=challenge)


def digest_board_alt(shown: PublicDigest) -> str:
    """Return the words of a digest's weekly board chart."""
    digest = shown.digest
    if not digest.board:
        return "Weekly board: nobody logged a day that week."
    listed = "; ".join(
        f"{shown.names[row.user_id]}, {_count(row.days, 'day')} logged, streak {row.streak}"
        for row in digest.board
    )
    return f"Chart of the week's most active members, day by day: {listed}."


def activity_alt(digest: Digest) -> str:
    """Return the words of a digest's activity chart."""
    if not digest.activity:
        return "Activity chart: no days to show."
    most_day, most = max(digest.activity, key=lambda pair: (pair[1], pair[0]))
    first, last = digest.activity[0][0], digest.activity[-1][0]
    return (
        f"Column chart of how many members posted each day from {first:%d %b} to "
        f"{last:%d %b %Y}; the most was {_count(most, 'member')} on {most_day:%a %d %b}."
    )


def digest_page(shown: PublicDigest, web_id: str) -> bytes:
    """Return one week's digest: its numbers, its lists and its two charts."""
    digest = shown.digest
    challenge = digest.challenge
    base = base_path(web_id)
    own = f"{base}/digests/{digest.slot.week}"
    week = week_words(digest.first_day, digest.last_day)
    parts = [
        f"<h1>Week of {escape(week)}</h1>",
        (
            '<ul class="stats">'
            f"<li><strong>{digest.active}</strong> of {_count(digest.members, 'member')} "
            "logged a day</li>"
            f"<li><strong>{digest.posts}</strong> {'post' if digest.posts == 1 else 'posts'}</li>"
            "</ul>"
        ),
    ]
    if digest.board:
        parts.append(
            "<h2>The week's board</h2>"
            f'<figure><img src="{own}/board.png" alt="{escape(digest_board_alt(shown))}" '
            'width="1000"></figure>'
        )
        parts.append(_week_table(digest.board, shown.names))
    sections: list[tuple[str, Sequence[Standout], int, str]] = [
        ("Longest streaks today", digest.top_streaks, len(digest.top_streaks), "streak"),
        ("Milestones", digest.milestones, digest.milestone_count, "note"),
        ("New this week", digest.newcomers, digest.newcomer_count, "days"),
        ("Welcome back", digest.comebacks, digest.comeback_count, "days"),
    ]
    for title, rows, total, show in sections:
        if rows:
            parts.append(_standouts(title, rows, total, show, shown.names))
    if digest.tags:
        tags = ", ".join(f"{escape(tag)} ({count})" for tag, count in digest.tags)
        parts.append(f"<h2>Tags</h2><p>{tags}</p>")
    parts.append(
        "<h2>Activity</h2>"
        f'<figure><img src="{own}/activity.png" alt="{escape(activity_alt(digest))}" '
        'width="1000"></figure>'
        f'<p><a href="{base}/digests">All weekly digests</a></p>'
    )
    return document(f"{challenge.name}: week of {week}", "".join(parts), challenge=challenge)


def _week_table(board: Iterable[Standout], names: dict[int, str]) -> str:
    body = "".join(
        "<tr>"
        f'<th scope="row">{escape(names[row.user_id])}</th>'
        f'<td class="num">{row.days}</td>'
        f'<td class="num">{row.streak}</td>'
        "</tr>"
        for row in board
    )
    return (
        '<div class="scroll" role="region" aria-label="The week\'s board" tabindex="0">'
        "<table><caption>Members who logged the most days that week.</caption>"
        '<thead><tr><th scope="col">Member</th><th scope="col" class="num">Days logged</th>'
        '<th scope="col" class="num">Streak (days)</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _standouts(
    title: str, rows: Sequence[Standout], total: int, show: str, names: dict[int, str]
) -> str:
    def line(row: Standout) -> str:
        name = escape(names[row.user_id])
        if show == "streak":
            return f"<li>{row.rank}. {name}: a streak of {_days(row.streak)}</li>"
        if show == "note":
            return f"<li>{name} {escape(row.note)}</li>"
        return f"<li>{name}: {_count(row.days, 'day')} logged</li>"

    items = "".join(line(row) for row in rows)
    more = total - len(rows)
    extra = f'<p class="muted">…and {_count(more, "more")}.</p>' if more > 0 else ""
    return f'<h2>{escape(title)}</h2><ul class="plain">{items}</ul>{extra}'

"""Maya's month from the demo, through Discord: her streak, Day N, misses and consistency.

Her posts are the demo's own (`bot.demo.script`), replayed command by command on simcord; the
expected values are worked out by hand below from those posts and the 100-days-of-ml-code rules:
60 minutes a day (on her word when she gives none), a missed day pauses Day N and never fails
the attempt, a streak is days in a row that counted, days roll over at 04:00 her time
(America/New_York), one day of backfill.

Maya joins on Sunday 1 March, 20:00 New York time, and logs at 19:15 on each day with offset
n = 0..27 from Monday 2 March where n % 5 != 4, stating 30 minutes when n % 7 == 3, else 70:

    n  day        posted        Day N  streak
    0  Mon 2 Mar  70            1      1
    1  Tue 3      70            2      2
    2  Wed 4      70            3      3
    3  Thu 5      30 (short)    3      0    miss 1, ends a 3-day streak
    4  Fri 6      -             3      0    miss 2
    5  Sat 7      70            4      1
    6  Sun 8      70            5      2
    7  Mon 9      70            6      3
    8  Tue 10     70            7      4
    9  Wed 11     -             7      0    miss 3, ends a 4-day streak
   10  Thu 12     30 (short)    7      0    miss 4
   11  Fri 13     70            8      1
   12  Sat 14     70            9      2
   13  Sun 15     70            10     3    (19:30: a post for Thu 5 is refused: backfill 1)
   14  Mon 16     -             10     0    miss 5
   15  Tue 17     70            11     1
   16  Wed 18     70            12     2
   17  Thu 19     30 (short)    12     0    miss 6
   18  Fri 20     70            13     1
   19  Sat 21     -             13     0    miss 7
   20  Sun 22     70            14     1
   21  Mon 23     70            15     2
   22  Tue 24     70            16     3
   23  Wed 25     70            17     4
   24  Thu 26     - (n%5 == 4)  17     0    miss 8, ends a 4-day streak
   25  Fri 27     70            18     1
   26  Sat 28     70            19     2
   27  Sun 29     70            20     3    (she asks /streak at 22:00)

At month's end: Day 20 of 100, calendar day 28 (2 to 29 March), current streak 3, best 4
(7-10 March and 22-25 March), 8 misses. Consistency over the last 30 days starts where her
attempt does (Mon 2 March; Sunday 1 March, the join day, is no miss): 28 days, 20 counted,
20/28. Under the old meaning ("pause" paused the streak) /streak said "Current streak: 20".

Her reminder is a direct message at 21:00: on the three short Thursdays (5, 12, 19 March) it
says "30 more minutes to count today", on the five days without a post "You haven't logged".
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest
import pytest_asyncio
import simcord

from bot.clock import FixedClock
from bot.demo.script import MAYA, ORGANIZER, START, WEEKS, Act, build_script
from bot.domain.leaderboard import Metric
from bot.errors import DaybookError
from tests.cogs.conftest import GUILD_ID

NEW_YORK = ZoneInfo("America/New_York")
ORGANIZER_ACTS = (Act.CREATE,)
MAYA_ACTS = (Act.JOIN, Act.TIMEZONE, Act.REMIND, Act.LOG)
COMMANDS = {
    Act.CREATE: "challenge create",
    Act.JOIN: "join",
    Act.TIMEZONE: "timezone",
    Act.REMIND: "remind",
    Act.LOG: "log",
}
SCRIPT = [
    action
    for action in build_script()
    if (action.member == MAYA and action.act in MAYA_ACTS)
    or (action.member == ORGANIZER and action.act in ORGANIZER_ACTS)
]
BEGIN = SCRIPT[0].at
LAST_DAY = START + timedelta(weeks=WEEKS) - timedelta(days=1)  # Sunday 29 March
SHORT_THURSDAYS = [date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 19)]
NOTHING_LOGGED = [
    date(2026, 3, 6),
    date(2026, 3, 11),
    date(2026, 3, 16),
    date(2026, 3, 21),
    date(2026, 3, 26),
]


@dataclass
class Month:
    env: simcord.Env
    general: simcord.ChannelHandle
    grace: simcord.MemberActor
    maya: simcord.MemberActor
    clock: FixedClock

    async def at(self, moment: datetime) -> None:
        await self.env.advance_time((moment - self.env.now()).total_seconds())
        self.clock.set(moment)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(BEGIN)


@pytest_asyncio.fixture
async def month(simcord_env, clock) -> AsyncIterator[Month]:
    env = simcord_env
    await env.advance_time((BEGIN - env.now()).total_seconds())
    guild = env.create_guild("ML Club", id=GUILD_ID)
    general = guild.create_text_channel("progress")
    organizers = guild.create_role("Organizers", permissions=discord.Permissions(manage_guild=True))
    grace = guild.add_member(env.create_user("grace"), roles=[organizers])
    maya = guild.add_member(env.create_user("maya"))
    await env.settle()
    yield Month(env, general, grace, maya, clock)


def evening_ticks() -> list[datetime]:
    """21:01 in New York on each day of the month: just after her 21:00 reminder time."""
    return [
        datetime.combine(START + timedelta(days=n), time(21, 1), NEW_YORK).astimezone(UTC)
        for n in range(WEEKS * 7)
    ]


async def test_mayas_month_from_the_demo(month: Month) -> None:
    events = [(action.at, action) for action in SCRIPT] + [(at, None) for at in evening_ticks()]
    events.sort(key=lambda event: event[0])
    replies = []
    for at, action in events:
        await month.at(at)
        if action is None:
            await month.env.bot.tick()  # type: ignore[attr-defined]
            await month.env.settle()
            continue
        actor = month.grace if action.member == ORGANIZER else month.maya
        options = dict(action.options)
        if action.act is Act.CREATE:
            options["progress_channel"] = month.general
        replies.append((action, await actor.slash(month.general, COMMANDS[action.act], **options)))
    # The typo'd zone and the post for a day outside the backfill window were refused.
    simcord.assert_error(month.env, DaybookError)
    refused = [reply for action, reply in replies if "day" in action.options]
    assert "earliest day you can log is Sat 14 Mar" in refused[0].response.content

    # Sunday 29 March, 22:00 in New York: she asks /streak, as in the demo.
    await month.at(datetime(2026, 3, 29, 22, 0, tzinfo=NEW_YORK).astimezone(UTC))
    streak = await month.maya.slash(month.general, "streak")
    values = {field.name: field.value for field in streak.response.embeds[0].fields}
    assert values["Day"] == "20 of 100 (calendar day 28)"
    assert values["Current streak"] == "3 days"
    assert values["Best streak"] == "4 days"
    assert values["Misses"] == "8"

    # /why: the last 14 days, each as the table above says.
    why = await month.maya.slash(month.general, "why")
    lines = why.response.embeds[0].description.splitlines()
    assert lines[0].startswith(
        "⚠️ `Mon 16 Mar` No post. Your 3-day streak ends. The count pauses at Day 10;"
    )
    assert lines[3].startswith(
        "⚠️ `Thu 19 Mar` Not counted: 30 of the 60 minutes. Your 2-day streak ends."
    )
    assert lines[10].startswith(
        "⚠️ `Thu 26 Mar` No post. Your 4-day streak ends. The count pauses at Day 17;"
    )
    assert lines[13].startswith("✅ `Sun 29 Mar` Counted (1 post, 70 minutes): Day 20.")

    # The boards read the same walk: a streak of 3, and 20 of 28 days for consistency.
    progress = month.env.bot.services.progress  # type: ignore[attr-defined]
    board = await progress.leaderboard(
        guild_id=GUILD_ID,
        viewer_id=month.maya.id,
        metric=Metric.CONSISTENCY,
        now=month.env.now(),
    )
    mine = board.viewer.contender
    assert (mine.current_streak, mine.best_streak, mine.day_number) == (3, 4, 20)
    assert mine.consistency == pytest.approx(20 / 28)

    # Her 21:00 reminders: short Thursdays say what is missing; empty days say nothing logged.
    dms = {
        message.created_at.astimezone(NEW_YORK).date(): message.content
        for message in month.maya.user.dm_channel.history()
    }
    assert sorted(dms) == sorted(SHORT_THURSDAYS + NOTHING_LOGGED)
    for day in SHORT_THURSDAYS:
        assert dms[day] == (
            "⏰ **100 Days of ML Code**: 30 more minutes to count today. Tap **Log today** below "
            "to add to your day, or use `/log` in the server."
        )
    for day in NOTHING_LOGGED:
        assert dms[day].startswith("⏰ You haven't logged today in **100 Days of ML Code** yet.")

"""Daybook's scheduled work on a large server: one minute's reminders, their delivery, the digest.

Measured on a copy of the engine benchmark's synthetic server (`bench.synthetic`: 10,000
members, a year of entries) at its fixed "now", 2026-12-31 12:00 UTC, through the services:

1. **The reminder tick's decision**, `ReminderService.due(now)`, with every member due in the
   same minute (each member's reminder time is their local wall time one minute before "now";
   mode channel; the challenge has a progress channel). A quarter of the members posted today,
   most of them a post that counts. Timed in runs alternating (ABBA) with the same-run
   baseline: a plain SELECT of the same members' rows through the same stack.
2. **The delivery of that wave** to the one progress channel, `ReminderDelivery.run(now, t)`,
   where `t` is the bot's own `DiscordTransport` (the real packing and pacing) with Discord's
   HTTP call replaced by a recorder, on a virtual clock: `sleep(x)` adds x to the clock and
   yields, so the Pacer's waits cost no real time while every database claim and settle does.
   Compared with the fastest schedule Discord's channel limit (5 messages per 5 s) allows.
3. **The weekly digest** (due at "now": the challenge's digest is set to Thursday 12:00 UTC, so
   it covers 24-30 December): `DigestService.preview`, the charts in the production process
   pool (`bot.charts.pool.chart_pool()`, warmed first) and the embeds, end to end, with the longest
   event-loop stall while it runs, taken by a task that sleeps 1 ms in a loop.

    ./run python -m bench.scheduled --db data/bench/server-10000.db
    ./run python -m bench.scheduled --quick         # 1,000 members
    ./run python -m bench.scheduled --profile       # also where the digest stalls the loop
    ./run python -m bench.scheduled --no-gc         # the garbage collector off (diagnosis only)

The cached server file is never modified: everything runs on a copy in a temporary directory.
Benchmarks report; the exit status is 0 whatever the figures.
"""

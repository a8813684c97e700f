"""Daybook's performance benchmark: a synthetic server, measured against a same-run baseline.

    ./run python -m bench.engine                  # 10,000 members, ~2.2M entries (full run)
    ./run python -m bench.engine --quick          # 1,000 members: a smoke run
    ./run python -m bench.engine --db data/bench/server.db   # keep the built server for reuse
    ./run python -m bench.engine --profile-dir /tmp/prof     # also cProfile each phase
    ./run python -m bench.engine --database-url URL --members N --markdown   # docs/perf/

Every figure is taken through the service layer on a working copy of the synthetic server (see
`bench.synthetic`; SQLite or PostgreSQL, `--database-url`), with "now" fixed at 2026-12-31
12:00 UTC. Each baseline runs in blocks alternating (ABBA) with the phase it is compared with:
the records with single-row committed INSERTs of the same rows through the same stack
(`Database.write()`) and through the raw driver (stdlib `sqlite3`; `asyncpg`); the summaries
with the naive single-member recompute; the cold whole-server walk with the naive recompute of
every member (`bench.naive`), their streaks compared. The cold boards and
`refresh_checkpoints` run in a child process, so the main process's peak memory is that of
serving (records, summaries, warm boards) and the maintenance work gets a peak of its own.
Benchmarks report; the exit status is 0 whatever the figures.
"""

"""Daybook's performance benchmark: a synthetic server, measured against a same-run baseline.

    ./run python -m bench.engine                  # 10,000 members, ~2.2M entries (full run)
    ./run python -m bench.engine --quick          # 1,000 members: a smoke run
    ./run python -m bench.engine --db data/bench/server.db   # keep the built server for reuse
    ./run python -m bench.engine --profile-dir /tmp/prof     # also cProfile each phase

Every figure is taken through the service layer on a working copy of the synthetic server (see
`bench.synthetic`), with "now" fixed at 2026-12-31 12:00 UTC. The write baseline is measured
in the same run on the same file, in blocks alternating with the records: single-row committed
INSERTs of the same rows through the same stack (SQLAlchemy async + aiosqlite, `Database.write()`),
and once through the stdlib `sqlite3` for reference. The cold leaderboard and
`refresh_checkpoints` run in a child process, so the main process's peak memory is that of
serving (records, summaries, warm boards) and the maintenance work gets a peak of its own.
Benchmarks report; the exit status is 0 whatever the figures.
"""

"""Pure challenge rules: calendar, streaks, ledger and leaderboard; standard library only."""

"""The team leaderboard: teams by points per member, and your place inside your team."""

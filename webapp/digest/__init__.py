"""The weekly digest: a team's week in moments, kudos, best stories, new practices, the
challenge and the season, on Monday morning in the app, as a push, by e-mail and in the
team's channel."""

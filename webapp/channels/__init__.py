"""Team channels: a team's Slack or Microsoft Teams channel, or any JSON webhook, hears its
recognitions, adopted practices and weekly digest."""

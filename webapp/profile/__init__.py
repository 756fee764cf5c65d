"""A person's profile: progress, badges, stories, and their own settings."""

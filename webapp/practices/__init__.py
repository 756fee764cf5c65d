"""Practices: a team adopts a moment as "how we do it here", and later moments repeat it."""

"""Notifications: the in-app inbox and Web Push, held in quiet hours."""

"""The recognition feature."""

"""The demo hotel: a believable history replayed through the real services."""

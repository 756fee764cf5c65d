"""The organisation's look-ups and schemas every feature needs, scoped to one organisation."""

"""Points: the append-only ledger and its daily roll-up. The only writer of points."""

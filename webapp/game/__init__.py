"""The game derived from the ledger: levels, badges, seasons, challenges."""

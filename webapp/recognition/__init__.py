"""A manager's specific recognition of a contributor, citing their moments."""

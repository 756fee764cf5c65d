"""Running the organisation: teams, values, people, invites, settings and the audit log."""

"""The manager's view: who has not been noticed lately, budgets, recognizing people."""

"""What a manager learns from the moments: who is unseen, trends, what works, gesture budgets
as a conversation, calibrated kudos patterns, and the export."""

"""Moments: what a person noticed, what they did, and how the customer reacted."""

"""Kudos: thanks from one colleague to others, within a weekly allowance."""

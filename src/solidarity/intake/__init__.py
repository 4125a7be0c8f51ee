"""Intake: from a press release or news article to a reviewed incident record."""

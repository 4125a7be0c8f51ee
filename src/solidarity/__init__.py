"""Solidarity: document attacks on women human rights defenders and respond as a coalition."""

"""Passport reads, one module per area; every query is reached through the centre."""

"""Signals centres sends for feature apps to hear (feature apps import centres, never the
other way round)."""

from django.dispatch import Signal

# Sent inside the creating transaction whenever delegate records are created at a centre
# (registration by the person or the centre, and bulk upload), with keyword arguments
# `centre` and `memberships` (a list). Passports links staff-list entries to them (P2).
memberships_created = Signal()

"""Signals other apps listen to (the audit trail lives in `centres`, which imports us)."""

from django.dispatch import Signal

# Sent with user=, request= (may be None), reason= (a short phrase for the audit trail);
# account_unlocked also with unlocked_by= and centre= (the centre whose manager unlocked).
account_locked = Signal()
account_unlocked = Signal()

"""Audit the account events that `accounts` announces (it cannot import the audit trail)."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from accounts.signals import account_locked, account_unlocked
from centres.audit import audit_record


@receiver(account_locked)
def audit_account_locked(sender, user, request=None, reason="", **kwargs):
    audit_record(
        actor=user, action="account.locked", target=user, summary=f"Account locked after {reason}", request=request
    )


@receiver(account_unlocked)
def audit_account_unlocked(sender, user, request=None, reason="", unlocked_by=None, centre=None, **kwargs):
    audit_record(
        actor=unlocked_by or user,
        centre=centre,
        action="account.unlocked",
        target=user,
        summary=f"Account unlocked: {reason}",
        request=request,
    )


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="account.login", target=user, summary="Logged in", request=request)

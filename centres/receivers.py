"""Audit the account events that `accounts` announces (it cannot import the audit trail),
and tell the account's address about each security event (finding 1: lockout, password
change and reset; email changes are told by centres.ownership)."""

from allauth.account.signals import password_changed, password_reset, user_logged_in
from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.signals import account_locked, account_unlocked, admin_changed
from centres.audit import audit_record
from centres.models import Centre, Membership, RoleAssignment
from notifications.services import email_send


def _reset_url() -> str:
    return settings.SITE_URL + reverse("account_reset_password")


@receiver(account_locked)
def audit_account_locked(sender, user, request=None, reason="", **kwargs):
    audit_record(
        actor=user, action="account.locked", target=user, summary=f"Account locked after {reason}", request=request
    )
    email_send(
        to=[user.email],
        template="centres/emails/account_locked",
        context={"user": user, "reset_url": _reset_url()},
    )


@receiver(password_changed, dispatch_uid="centres.password_changed")
@receiver(password_reset, dispatch_uid="centres.password_reset")
def account_password_changed(sender, request, user, signal=None, **kwargs):
    reset = signal is password_reset
    audit_record(
        actor=user,
        action="account.password_reset" if reset else "account.password_changed",
        target=user,
        summary="Password reset with an emailed link" if reset else "Password changed",
        request=request,
    )
    email_send(
        to=[user.email],
        template="centres/emails/password_changed",
        context={"user": user, "reset": reset, "reset_url": _reset_url()},
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


ADMIN_VERBS = {
    "added": "added",
    "changed": "changed",
    "deleted": "deleted",
    "password_reset_sent": "sent a password reset link for",
}


def _centres_of(obj) -> list:
    """The centres a Django admin change concerns: the centre itself, the object's centre, or
    (for a person) every centre where they have a record or a role."""
    if isinstance(obj, Centre):
        return [obj]
    if isinstance(obj, User):
        ids = set(Membership.objects.filter(user=obj).values_list("centre_id", flat=True))
        ids |= set(RoleAssignment.objects.filter(user=obj, revoked_at__isnull=True).values_list("centre_id", flat=True))
        return list(Centre.objects.filter(pk__in=ids).order_by("pk"))  # platform data: the person's places
    centre = getattr(obj, "centre", None)
    return [centre] if isinstance(centre, Centre) else []


@receiver(admin_changed)
def audit_admin_change(sender, request, obj, verb, message="", centres=None, **kwargs):
    """Issue 11, finding 4: every admin change to people, roles and registers is audited, in
    the trail of each centre (or register organisation) it concerns, or platform-wide."""
    places = list(centres) if centres is not None else _centres_of(obj)
    label = f"{obj._meta.verbose_name} “{obj}”"
    summary = f"Platform staff {ADMIN_VERBS.get(verb, verb)} {label} in the platform admin"
    if message:
        summary += f": {message}"
    for centre in places or [None]:
        audit_record(
            actor=request.user,
            centre=centre,
            action=f"admin.{verb}",
            target=obj,
            summary=summary,
            request=request,
        )

"""Audit the account events that `accounts` announces (it cannot import the audit trail),
and tell the account's address about each security event (finding 1: lockout, password
change and reset; email changes are told by centres.ownership)."""

from allauth.account.signals import password_changed, password_reset, user_logged_in
from allauth.mfa import signals as mfa_signals
from allauth.socialaccount.signals import social_account_added
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.signals import account_locked, account_unlocked, admin_changed, second_factor_reset
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
    summary = "Logged in with NHSmail" if kwargs.get("sociallogin") is not None else "Logged in"
    audit_record(actor=user, action="account.login", target=user, summary=summary, request=request)


@receiver(social_account_added)
def audit_nhsmail_linked(sender, request, sociallogin, **kwargs):
    """The first NHSmail sign-in to an account links it (accounts/nhsmail_adapter.py)."""
    user = sociallogin.user
    audit_record(
        actor=user,
        action="account.nhsmail_linked",
        target=user,
        summary=f"NHSmail sign-in linked to this account ({user.email})",
        request=request,
    )


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


@receiver(user_login_failed, dispatch_uid="centres_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, reason="", **kwargs):
    """Every failed login: a wrong password, an unknown account (without the address typed) or
    a locked account (`reason` from our adapter). The register's own audit counts them too."""
    login = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = User.objects.filter(email__iexact=login).first() if login else None
    if user is None:
        summary = "Failed login: no account with that email or number"
    else:
        summary = f"Failed login: {reason or 'wrong password'}"
    audit_record(actor=None, action="account.login_failed", target=user, summary=summary, request=request)


# -- second factor (allauth.mfa, ADR 0018) ---------------------------------------------------

_AUTHENTICATOR_NAMES = {"totp": "authenticator app", "recovery_codes": "recovery codes", "webauthn": "security key"}


def _authenticator_name(authenticator) -> str:
    return _AUTHENTICATOR_NAMES.get(authenticator.type, authenticator.type)


@receiver(mfa_signals.authenticator_added, dispatch_uid="centres_audit_mfa_added")
def audit_second_factor_added(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=user,
        action="account.second_factor_added",
        target=user,
        summary=f"Set up two-factor authentication ({_authenticator_name(authenticator)})",
        request=request,
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="centres_audit_mfa_removed")
def audit_second_factor_removed(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=user,
        action="account.second_factor_removed",
        target=user,
        summary=f"Turned off two-factor authentication ({_authenticator_name(authenticator)})",
        request=request,
    )


@receiver(mfa_signals.authenticator_reset, dispatch_uid="centres_audit_mfa_codes")
def audit_recovery_codes_generated(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=user,
        action="account.recovery_codes_generated",
        target=user,
        summary="Created new recovery codes (the old ones no longer work)",
        request=request,
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="centres_audit_mfa_failed")
def audit_second_factor_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    audit_record(
        actor=None,
        action="account.second_factor_failed",
        target=user,
        summary="Wrong two-factor code" + (" when confirming it was them" if reauthentication else " at login"),
        request=request,
    )


@receiver(second_factor_reset, dispatch_uid="centres_audit_mfa_reset")
def audit_second_factor_reset(sender, user, reset_by, request=None, reason="", centre=None, **kwargs):
    """Audited, and the person is told (someone else removed a safeguard on their account)."""
    email_send(
        to=[user.email],
        template="centres/emails/second_factor_reset",
        context={
            "user": user,
            "reset_by": reset_by,
            "centre": centre,
            "login_url": settings.SITE_URL + reverse("account_login"),
        },
        centre=centre,
    )
    audit_record(
        actor=reset_by,
        centre=centre,
        action="account.second_factor_reset",
        target=user,
        summary=f"Two-factor authentication of {user.get_full_name()} reset: {reason}",
        request=request,
    )

"""R11: logins of register users are audited at each organisation where they hold a register
role, so the register's audit page shows them (imported once from ReferralsConfig.ready)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.models import User
from centres.audit import audit_record
from centres.models import Centre, RoleAssignment
from referrals.selectors.administration import REGISTER_ROLE_VALUES


def _register_organisations(user) -> list[Centre]:
    centre_ids = (
        RoleAssignment.objects.filter(
            user=user,
            role__in=REGISTER_ROLE_VALUES,
            revoked_at__isnull=True,
            centre__register_organisation__isnull=False,
        )
        .values_list("centre_id", flat=True)
        .distinct()
    )
    return list(Centre.objects.filter(pk__in=centre_ids))


@receiver(user_logged_in, dispatch_uid="referrals_register_login")
def register_login_audit(sender, request, user, **kwargs):
    for centre in _register_organisations(user):
        audit_record(actor=user, centre=centre, action="register.login", summary="Logged in", request=request)


@receiver(user_login_failed, dispatch_uid="referrals_register_login_failed")
def register_login_failed_audit(sender, credentials, request=None, **kwargs):

    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        return
    for centre in _register_organisations(user):
        audit_record(
            actor=None,
            centre=centre,
            action="register.login_failed",
            target=user,
            summary=f"Failed login as {user.email}",
            request=request,
        )

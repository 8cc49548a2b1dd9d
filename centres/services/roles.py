"""Granting and revoking roles (C8) and naming a centre manager. The rule and the write are
`centres.grants`' (one path for centre and register roles); a person's permissions follow from
their active assignments (ADR 0027), so nothing else is kept in step."""

from django.conf import settings
from django.db import transaction

from accounts.models import User
from centres.grants import GrantAction, grant_check, role_assignment_add, role_assignment_end
from centres.models import Centre, Membership, RoleAssignment
from centres.roles import Role
from centres.services.errors import CentreServiceError
from notifications.services import email_send


def _check_may_grant(*, granted_by, centre: Centre, role: Role, subject, action=GrantAction.GRANT) -> None:
    grant_check(actor=granted_by, role=role, centre=centre, subject=subject, action=action, error=CentreServiceError)


@transaction.atomic
def role_grant(*, user, centre: Centre, role: Role, granted_by, request=None) -> RoleAssignment:
    """C8: only approved, active people who have set a password; only roles the granter may
    grant to this person here (`centres.grants.grant_refusal`)."""
    role = Role(role)
    _check_may_grant(granted_by=granted_by, centre=centre, role=role, subject=user)
    if not granted_by.is_staff:
        membership = Membership.objects.for_centre(centre).filter(user=user).first()
        if membership is None or membership.status != "active":
            raise CentreServiceError(f"{user.get_full_name()} must be an approved, active delegate at this centre")
        if not user.has_usable_password():
            raise CentreServiceError(f"{user.get_full_name()} has not set a password yet, so cannot be given a role")
    if RoleAssignment.objects.for_centre(centre).filter(user=user, role=role, revoked_at__isnull=True).exists():
        raise CentreServiceError(f"{user.get_full_name()} is already {role.label.lower()} at this centre")
    assignment = role_assignment_add(user=user, centre=centre, role=role, granted_by=granted_by, request=request)
    email_send(
        to=[user.email],
        cc=[granted_by.email],
        template="centres/emails/role_granted",
        context={
            "user": user,
            "centre": centre,
            "role": role,
            "granted_by": granted_by,
            "login_url": settings.SITE_URL + "/",
        },
        centre=centre,
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, revoked_by, request=None) -> RoleAssignment:
    role = Role(assignment.role)
    # Two centre managers giving up the role at once must not leave none: queue on the centre row.
    Centre.objects.select_for_update().filter(pk=assignment.centre_id).first()
    RoleAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    assignment.refresh_from_db(fields=["revoked_at", "revoked_by"])
    _check_may_grant(
        granted_by=revoked_by,
        centre=assignment.centre,
        role=role,
        subject=assignment.user,
        action=GrantAction.REVOKE,
    )
    if assignment.revoked_at is not None:
        raise CentreServiceError("This role has already been revoked")
    return role_assignment_end(assignment=assignment, revoked_by=revoked_by, request=request)


class UnknownAccountError(CentreServiceError):
    """No account uses the email address; shown against the email field."""


@transaction.atomic
def centre_manager_name(*, centre: Centre, email: str, named_by, request=None) -> RoleAssignment:
    """Platform staff make someone (the first) centre manager of a centre. The person must
    already have an account: this never creates, renames or re-emails one (an account
    belongs to its person)."""

    email = (email or "").strip().lower()
    if not email:
        raise UnknownAccountError("Enter the email address of the person's account")
    if not named_by.is_staff:
        raise CentreServiceError("Only platform staff can name a centre manager here")
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise UnknownAccountError(
            f"No active account uses {email}. The person needs an account first: they can register at the "
            "centre (or be registered by it), then you can name them here."
        )
    return role_grant(user=user, centre=centre, role=Role.CENTRE_MANAGER, granted_by=named_by, request=request)

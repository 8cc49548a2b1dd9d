"""Granting and revoking roles (C8), naming a centre manager, and the guardian permissions
that follow a person's roles."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from accounts.models import User
from centres.audit import audit_record
from centres.grants import GrantAction, grant_refusal
from centres.models import Centre, Membership, RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission, Role
from centres.selectors.memberships import active_roles
from centres.services.errors import CentreServiceError
from notifications.services import email_send


def object_permissions_sync(*, user, centre: Centre) -> None:
    wanted = set()
    for role in active_roles(user=user, centre=centre):
        wanted |= {permission.codename for permission in ROLE_PERMISSIONS[role]}
    ours = {permission.codename for permission in Permission}
    held = set(get_perms(user, centre)) & ours
    for codename in wanted - held:
        assign_perm(f"centres.{codename}", user, centre)
    for codename in held - wanted:
        remove_perm(f"centres.{codename}", user, centre)


def _check_may_grant(*, granted_by, centre: Centre, role: Role, subject, action=GrantAction.GRANT) -> None:
    refusal = grant_refusal(actor=granted_by, role=role, centre=centre, subject=subject, action=action)
    if refusal:
        raise CentreServiceError(refusal)


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
    assignment = RoleAssignment.objects.create(user=user, centre=centre, role=role, granted_by=granted_by)
    object_permissions_sync(user=user, centre=centre)
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
    audit_record(
        actor=granted_by,
        centre=centre,
        action="role.granted",
        target=assignment,
        summary=f"{role.label} granted to {user.get_full_name()}"
        + (" by platform staff" if granted_by.is_staff else ""),
        request=request,
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
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = revoked_by
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    object_permissions_sync(user=assignment.user, centre=assignment.centre)
    audit_record(
        actor=revoked_by,
        centre=assignment.centre,
        action="role.revoked",
        target=assignment,
        summary=f"{role.label} revoked from {assignment.user.get_full_name()}",
        request=request,
    )
    return assignment


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

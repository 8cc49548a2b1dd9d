"""Writes for centres, memberships and roles. Each service is atomic and audited."""

import re

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from centres.audit import audit_record
from centres.models import Centre, DelegateNumberCounter, JobGroup, Membership, RegistrationType, RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission, Role, grantable_roles
from centres.selectors import active_roles
from notifications.services import email_send


class CentreServiceError(Exception):
    """A business rule refused the change; the message is written for the person."""


CENTRE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
IP_PREFIX_PATTERN = re.compile(r"^[0-9A-Fa-f.:]{1,45}$")


def _clean_ip_prefixes(ip_prefixes: list[str]) -> list[str]:
    cleaned = []
    for prefix in ip_prefixes:
        prefix = prefix.strip()
        if not prefix:
            continue
        if not IP_PREFIX_PATTERN.match(prefix):
            raise CentreServiceError(
                f"“{prefix}” is not an IP prefix. Use the start of an address, like 10.12. or 192.168.1."
            )
        cleaned.append(prefix)
    return cleaned


@transaction.atomic
def centre_create(
    *,
    code: str,
    name: str,
    actor=None,
    ip_prefixes: list[str] | None = None,
    manager_name: str = "",
    email: str = "",
    telephone: str = "",
    postcode: str = "",
) -> Centre:
    code = code.strip().upper()
    name = name.strip()
    if not CENTRE_CODE_PATTERN.match(code):
        raise CentreServiceError("Enter a centre code of 2 to 20 letters, numbers or hyphens, like LTHT")
    if not name:
        raise CentreServiceError("Enter the centre name")
    if Centre.objects.filter(code__iexact=code).exists():
        raise CentreServiceError(f"A centre with the code {code} already exists")
    centre = Centre.objects.create(
        code=code,
        name=name,
        ip_prefixes=_clean_ip_prefixes(ip_prefixes or []),
        manager_name=manager_name,
        email=email,
        telephone=telephone,
        postcode=postcode.upper(),
    )
    audit_record(actor=actor, centre=centre, action="centre.created", target=centre, summary=f"Centre {centre} created")
    return centre


def _initials(first_name: str, last_name: str) -> str:
    letters = "".join(part[:1] for part in (first_name, last_name) if part)
    letters = re.sub(r"[^A-Za-z]", "", letters).upper()
    return letters or "X"


def delegate_number_allocate(*, first_name: str, last_name: str) -> str:
    """C5: initials + a platform-wide number. The counter row is updated first, so concurrent
    registrations queue on its row lock and never share a number."""
    with transaction.atomic():
        DelegateNumberCounter.objects.get_or_create(pk=1)
        DelegateNumberCounter.objects.filter(pk=1).update(last_number=F("last_number") + 1)
        number = DelegateNumberCounter.objects.get(pk=1).last_number
    return f"{_initials(first_name, last_name)}{number}"


@transaction.atomic
def membership_create(
    *,
    user,
    centre: Centre,
    registration_type: RegistrationType,
    is_approved: bool,
    job_group: JobGroup | None = None,
    centre_email: str = "",
    actor=None,
    request=None,
) -> Membership:
    if Membership.objects.for_centre(centre).filter(user=user).exists():
        raise CentreServiceError(f"{user.get_full_name()} is already registered at {centre.name}")
    membership = Membership.objects.create(
        user=user,
        centre=centre,
        delegate_number=delegate_number_allocate(first_name=user.first_name, last_name=user.last_name),
        registration_type=registration_type,
        is_approved=is_approved,
        job_group=job_group,
        centre_email=centre_email,
    )
    audit_record(
        actor=actor,
        centre=centre,
        action="membership.created",
        target=membership,
        summary=(
            f"{user.get_full_name()} registered as {membership.delegate_number} "
            f"({RegistrationType(registration_type).label})"
        ),
        request=request,
    )
    return membership


def _sync_object_permissions(*, user, centre: Centre) -> None:
    wanted = set()
    for role in active_roles(user=user, centre=centre):
        wanted |= {permission.codename for permission in ROLE_PERMISSIONS[role]}
    ours = {permission.codename for permission in Permission}
    held = set(get_perms(user, centre)) & ours
    for codename in wanted - held:
        assign_perm(f"centres.{codename}", user, centre)
    for codename in held - wanted:
        remove_perm(f"centres.{codename}", user, centre)


def _check_may_grant(*, granted_by, centre: Centre, role: Role) -> None:
    allowed = grantable_roles(active_roles(user=granted_by, centre=centre), is_platform_staff=granted_by.is_staff)
    if role not in allowed:
        raise CentreServiceError(f"You cannot grant or revoke the {role.label} role")


@transaction.atomic
def role_grant(*, user, centre: Centre, role: Role, granted_by, request=None) -> RoleAssignment:
    """C8: only approved, active people who have set a password; only roles the granter may grant."""
    role = Role(role)
    _check_may_grant(granted_by=granted_by, centre=centre, role=role)
    if not granted_by.is_staff:
        membership = Membership.objects.for_centre(centre).filter(user=user).first()
        if membership is None or membership.status != "active":
            raise CentreServiceError(f"{user.get_full_name()} must be an approved, active delegate at this centre")
        if not user.has_usable_password():
            raise CentreServiceError(f"{user.get_full_name()} has not set a password yet, so cannot be given a role")
    if RoleAssignment.objects.for_centre(centre).filter(user=user, role=role, revoked_at__isnull=True).exists():
        raise CentreServiceError(f"{user.get_full_name()} is already {role.label.lower()} at this centre")
    assignment = RoleAssignment.objects.create(user=user, centre=centre, role=role, granted_by=granted_by)
    _sync_object_permissions(user=user, centre=centre)
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
        summary=f"{role.label} granted to {user.get_full_name()}",
        request=request,
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, revoked_by, request=None) -> RoleAssignment:
    role = Role(assignment.role)
    _check_may_grant(granted_by=revoked_by, centre=assignment.centre, role=role)
    if assignment.revoked_at is not None:
        raise CentreServiceError("This role has already been revoked")
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = revoked_by
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    _sync_object_permissions(user=assignment.user, centre=assignment.centre)
    audit_record(
        actor=revoked_by,
        centre=assignment.centre,
        action="role.revoked",
        target=assignment,
        summary=f"{role.label} revoked from {assignment.user.get_full_name()}",
        request=request,
    )
    return assignment


def membership_unlock(*, membership: Membership, unlocked_by, request=None) -> None:
    """C9: a centre manager unlocks the account of someone registered at their centre."""
    from accounts.services import user_unlock

    if not membership.user.is_locked:
        raise CentreServiceError(f"{membership.user.get_full_name()}'s account is not locked")
    user_unlock(
        user=membership.user,
        unlocked_by=unlocked_by,
        request=request,
        reason=f"unlocked by a centre manager at {membership.centre.name}",
        centre=membership.centre,
    )

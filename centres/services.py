"""Writes for centres, memberships and roles. Each service is atomic and audited."""

import re

from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from centres.audit import audit_record
from centres.models import (
    Centre,
    DelegateNumberCounter,
    JobGroup,
    Membership,
    RegistrationPrompt,
    RegistrationType,
    RoleAssignment,
)
from centres.roles import ROLE_PERMISSIONS, Permission, Role, grantable_roles
from centres.selectors import active_roles


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


# -- Delegates (C7) --------------------------------------------------------------------------

PRN_PATTERN = re.compile(r"^[A-Za-z0-9-]{5,20}$")


class DelegateEmailTakenError(CentreServiceError):
    """The email address cannot be changed to this one (another account uses it, or the
    account is not the centre's to redirect); shown against the email field."""


def _check_answers(*, centre: Centre, answers: dict[int, str]) -> dict[int, str]:
    cleaned = {}
    for prompt in RegistrationPrompt.objects.for_centre(centre):
        answer = (answers.get(prompt.position) or "").strip()
        if prompt.is_mandatory and not answer:
            raise CentreServiceError(f"Answer “{prompt.text}”")
        if len(answer) > RegistrationPrompt.MAX_OPTION_LENGTH:
            raise CentreServiceError(f"The answer to “{prompt.text}” must be 100 characters or fewer")
        if answer and prompt.options and answer not in prompt.options:
            raise CentreServiceError(f"Select one of the listed answers to “{prompt.text}”")
        cleaned[prompt.position] = answer
    return cleaned


def _check_prn(*, has_prn: bool | None, prn: str) -> str:
    prn = prn.strip()
    if has_prn and not prn:
        raise CentreServiceError("Enter the professional registration number, or say they do not have one")
    if not has_prn and prn:
        raise CentreServiceError("Remove the professional registration number, or say they have one")
    if prn and not PRN_PATTERN.match(prn):
        raise CentreServiceError("Professional registration number must be 5 to 20 letters, numbers or hyphens")
    return prn


def delegate_email_change_blocker(*, membership: Membership, changed_by) -> str:
    """Why `changed_by` may not change this person's login email ("" when they may).

    Whoever controls the login email can reset the password, so a centre may only redirect
    an account that is wholly its own: not platform staff, no record or role at another
    centre, and no role here that `changed_by` could not grant (an administrator cannot take
    over a centre manager's account)."""
    user, centre = membership.user, membership.centre
    name = user.get_full_name()
    ask = f"Ask {name} to change it themselves, or contact the platform team."
    if user.is_staff or user.is_superuser:
        return f"{name} is platform staff. {ask}"
    elsewhere = (
        Membership.objects.filter(user=user).exclude(centre=centre).exists()
        or RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).exclude(centre=centre).exists()
    )
    if elsewhere:
        return f"{name} also uses another centre, so only they can change their email address. {ask}"
    held = active_roles(user=user, centre=centre)
    if held - grantable_roles(active_roles(user=changed_by, centre=centre), is_platform_staff=changed_by.is_staff):
        return f"{name} holds a role you cannot grant, so you cannot change their email address. {ask}"
    return ""


def _user_email_change(*, user, email: str) -> None:
    """Change the login email; the new address must be confirmed at the next login."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    taken = (
        User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists()
    )
    if taken:
        raise DelegateEmailTakenError(
            f"{email} is already used by another account. Each person needs their own email address."
        )
    user.email = email
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)


@transaction.atomic
def delegate_update(
    *,
    membership: Membership,
    updated_by,
    first_name: str,
    last_name: str,
    email: str,
    centre_email: str = "",
    job_group: JobGroup | None,
    answers: dict[int, str],
    has_prn: bool | None,
    prn: str = "",
    request=None,
) -> Membership:
    """C7: an administrator changes a delegate's details. Name and login email belong to the
    person's account (shared by all their centres); the rest to this centre's record."""
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip().lower()
    if not first_name or not last_name:
        raise CentreServiceError("Enter the delegate's first and last name")
    if not email:
        raise CentreServiceError("Enter the delegate's email address")
    if job_group is None:
        raise CentreServiceError("Select a job group")
    answers = _check_answers(centre=membership.centre, answers=answers)
    prn = _check_prn(has_prn=has_prn, prn=prn)

    user = membership.user
    changed = []
    for label, old, new in (("first name", user.first_name, first_name), ("last name", user.last_name, last_name)):
        if old != new:
            changed.append(label)
    user.first_name, user.last_name = first_name, last_name
    try:
        with transaction.atomic():
            if email != user.email.lower():
                blocker = delegate_email_change_blocker(membership=membership, changed_by=updated_by)
                if blocker:
                    raise DelegateEmailTakenError(blocker)
                _user_email_change(user=user, email=email)
                changed.append("email address")
            user.save(update_fields=["first_name", "last_name", "email"])
    except IntegrityError as error:  # a concurrent change took the address first
        raise DelegateEmailTakenError(f"{email} is already used by another account") from error

    values = {"centre_email": centre_email.strip().lower(), "job_group": job_group, "has_prn": has_prn, "prn": prn}
    values |= {f"answer{position}": answer for position, answer in answers.items()}
    labels = {"centre_email": "centre email", "job_group": "job group", "has_prn": "PRN", "prn": "PRN"}
    for name, value in values.items():
        if getattr(membership, name) != value:
            label = labels.get(name) or f"answer {name[-1]}"
            if label not in changed:
                changed.append(label)
            setattr(membership, name, value)
    membership.save()
    audit_record(
        actor=updated_by,
        centre=membership.centre,
        action="membership.updated",
        target=membership,
        summary=f"Details of {user.get_full_name()} ({membership.delegate_number}) changed: "
        + (", ".join(changed) or "nothing"),
        request=request,
    )
    return membership


@transaction.atomic
def delegate_deactivate(*, membership: Membership, deactivated_by, request=None) -> Membership:
    """C7: the record is kept; the person can no longer use this centre."""
    if not membership.is_active:
        raise CentreServiceError(f"{membership.user.get_full_name()} is already inactive")
    if membership.user_id == deactivated_by.pk:
        raise CentreServiceError("You cannot deactivate your own record. Ask another administrator.")
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=deactivated_by,
        centre=membership.centre,
        action="membership.deactivated",
        target=membership,
        summary=f"{membership.user.get_full_name()} ({membership.delegate_number}) deactivated",
        request=request,
    )
    return membership


@transaction.atomic
def delegate_reactivate(*, membership: Membership, reactivated_by, request=None) -> Membership:
    if membership.is_active:
        raise CentreServiceError(f"{membership.user.get_full_name()} is already active")
    membership.is_active = True
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=reactivated_by,
        centre=membership.centre,
        action="membership.reactivated",
        target=membership,
        summary=f"{membership.user.get_full_name()} ({membership.delegate_number}) reactivated",
        request=request,
    )
    return membership


@transaction.atomic
def delegate_delete(*, membership: Membership, deleted_by, request=None) -> None:
    """C7: delete a record nobody has used. The account goes too when it has no other centre
    and nothing else refers to it."""
    from centres.selectors import delegate_deletion_blocker

    blocker = delegate_deletion_blocker(membership=membership)
    if blocker:
        raise CentreServiceError(blocker)
    user, centre = membership.user, membership.centre
    summary = f"{user.get_full_name()} ({membership.delegate_number}) deleted: never used"
    audit_record(
        actor=deleted_by,
        centre=centre,
        action="membership.deleted",
        target=membership,
        summary=summary,
        request=request,
    )
    membership.delete()
    if not Membership.objects.filter(user=user).exists() and not RoleAssignment.objects.filter(user=user).exists():
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            pass  # something else refers to the account (e.g. a support ticket); keep it

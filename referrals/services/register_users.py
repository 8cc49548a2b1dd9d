"""Writes for the register's users and their roles (R2). Each is atomic and audited
(`register.*`, and `role.*` from the one grant path).

Register roles are ordinary `RoleAssignment`s at the person's own organisation. A DSR
administrator may grant them at ANY organisation of their register that they are permitted
to act on, not only at their own centre. Every grant, revoke and change of limits here asks
the one grant rule (`centres.grants.grant_check`, whose register part is `referrals.grants`)
before anything is written, and writes through the same path as centres' role pages
(`role_assignment_add` / `role_assignment_end`): nobody changes their own access, and a
limited administrator cannot demote, remove or limit one who sees every organisation.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from centres.audit import audit_record
from centres.grants import GrantAction, grant_check, role_assignment_add, role_assignment_end
from centres.models import Centre, Membership, RegistrationType, RoleAssignment
from centres.ownership import AccountOwnershipError, email_owner_id, person_create_for_centre
from centres.roles import Role
from centres.services.memberships import membership_create
from centres.services.welcome import welcome_link_send
from notifications.services import email_send
from referrals.access import RegisterAccess
from referrals.models import AccessLimit, Register
from referrals.selectors.administration import REGISTER_ROLES, RegisterUser, register_administrator_count
from referrals.services.administration import AdministrationError
from submissions.races import unique_race_retried

REGISTER_EXISTING_ACCOUNT = (
    "This email address belongs to an existing account. Ask the person to join themselves (from the "
    "register's join page, or by registering at the organisation while logged in), then add them here."
)

# -- roles ------------------------------------------------------------------------------------


def _check_grant(*, actor, role: Role, organisation: Centre, subject, action=GrantAction.GRANT, limited_to=None):
    grant_check(
        actor=actor,
        role=role,
        centre=organisation,
        subject=subject,
        action=action,
        limited_to=limited_to,
        error=AdministrationError,
    )


def register_role_grant(
    *, user, organisation: Centre, role: Role, granted_by=None, limited_to=None, request=None
) -> RoleAssignment:
    """Grant a register role, if the one grant rule lets `granted_by` (None: the sign-up's
    allow-listed domain, a system grant of the referrer role) give it, limited to
    `limited_to` (None: every organisation)."""
    role = Role(role)
    if role not in REGISTER_ROLES:
        raise AdministrationError("Only register roles can be given here")
    _check_grant(actor=granted_by, role=role, organisation=organisation, subject=user, limited_to=limited_to)
    existing = RoleAssignment.objects.for_centre(organisation).filter(user=user, role=role, revoked_at__isnull=True)
    if existing.exists():
        return existing.get()
    return role_assignment_add(user=user, centre=organisation, role=role, granted_by=granted_by, request=request)


def _check_administers(access: RegisterAccess, organisation: Centre) -> None:
    if not access.can_administer:
        raise AdministrationError("Only the register's administrators can do this")
    if organisation.pk not in access.organisation_ids:
        raise AdministrationError(f"You cannot manage people at {organisation.name}")


def _is_limited(access: RegisterAccess) -> bool:
    return len(access.organisations) < access.register.organisations.count()


def _limits_check(*, access: RegisterAccess, role: Role, limited_to: list[Centre]) -> list[Centre]:
    """R2 limits are for reporting users and administrators; a limited administrator can only
    give access to (some of) their own organisations."""
    if role == Role.REFERRER:
        return []  # a referrer sees only the referrals they made
    for organisation in limited_to:
        if organisation.pk not in access.organisation_ids:
            raise AdministrationError(f"You cannot give access to {organisation.name}")
    if not limited_to and _is_limited(access):
        raise AdministrationError(
            "You can only see some organisations, so limit this person to one or more of them too"
        )
    return limited_to


def _limits_replace(*, access: RegisterAccess, user, limited_to: list[Centre]) -> None:
    wanted = {organisation.pk for organisation in limited_to}
    AccessLimit.objects.filter(register=access.register, user=user).exclude(centre__in=wanted).delete()
    held = set(AccessLimit.objects.filter(register=access.register, user=user).values_list("centre_id", flat=True))
    AccessLimit.objects.bulk_create(
        AccessLimit(register=access.register, user=user, centre_id=pk, granted_by=access.user) for pk in wanted - held
    )


def _limits_text(limited_to: list[Centre]) -> str:
    return "every organisation" if not limited_to else ", ".join(sorted(o.name for o in limited_to))


def _check_keeps_an_administrator(*, access: RegisterAccess, person: RegisterUser, removing_admin: bool) -> None:
    if not removing_admin or person.role != Role.DSR_ADMIN:
        return
    # Two administrators demoting each other at once must not leave none: queue on the register row.
    Register.objects.select_for_update().filter(pk=access.register.pk).first()
    if register_administrator_count(register=access.register) <= 1:
        if person.user.pk == access.user.pk:
            raise AdministrationError(
                "You are the register's only administrator, so you cannot remove your administrator role. "
                "Make someone else an administrator first."
            )
        raise AdministrationError(f"{person.user.get_full_name()} is the register's only administrator")


@unique_race_retried
@transaction.atomic
def register_user_add(
    *,
    access: RegisterAccess,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Centre,
    role: Role,
    limited_to: list[Centre] = (),
    request=None,
) -> User:
    """R2: give someone a register role at `organisation`, creating their account and their
    record there if needed. New people get a set-password link (never a password)."""
    role = Role(role)
    _check_administers(access, organisation)
    limited_to = _limits_check(access=access, role=role, limited_to=list(limited_to))
    email = email.strip().lower()
    owner_id = email_owner_id(email)
    user = User.objects.filter(pk=owner_id).first() if owner_id is not None else None
    membership = Membership.objects.for_centre(organisation).filter(user=user).first() if user is not None else None
    if (
        user is not None
        and RoleAssignment.objects.filter(
            user=user,
            centre__register_organisation__register=access.register,
            role__in=[r.value for r in REGISTER_ROLES],
            revoked_at__isnull=True,
        ).exists()
    ):
        raise AdministrationError(f"{email} is already a user of this register. Change their role on their page.")
    if user is not None and (user.is_staff or user.is_superuser or membership is None):
        # An existing account joins only through its owner (centres.ownership); the message
        # does not say where it is used (platform staff included).
        raise AdministrationError(REGISTER_EXISTING_ACCOUNT)
    if user is None:
        try:
            user = person_create_for_centre(
                centre=organisation, email=email, first_name=first_name, last_name=last_name
            )
        except AccountOwnershipError as error:
            raise AdministrationError(str(error)) from error
        membership = membership_create(
            user=user,
            centre=organisation,
            registration_type=RegistrationType.CENTRE,
            is_approved=True,
            actor=access.user,
            request=request,
        )
        membership.approved_at = timezone.now()
        membership.save(update_fields=["approved_at"])
    elif membership.status != "active":
        raise AdministrationError(
            f"{user.get_full_name()}'s record at {organisation.name} is not active. "
            f"Ask {organisation.name}'s administrators to reactivate it first."
        )
    register_role_grant(
        user=user,
        organisation=organisation,
        role=role,
        granted_by=access.user,
        limited_to=limited_to,
        request=request,
    )
    _limits_replace(access=access, user=user, limited_to=limited_to)
    if user.has_usable_password():
        email_send(
            to=[user.email],
            template="referrals/emails/signup_added_by_administrator",
            context={
                "user": user,
                "register": access.register,
                "organisation": organisation,
                "role": role,
                "granted_by": access.user,
                "login_url": settings.SITE_URL + "/dsr/",
            },
            centre=organisation,
        )
    else:
        welcome_link_send(membership=membership, sent_by=access.user, request=request)
    audit_record(
        actor=access.user,
        centre=organisation,
        action="register.user_added",
        target=user,
        summary=f"{user.get_full_name()} ({user.email}) added as {role.label} at {organisation.name}, "
        f"seeing {_limits_text(limited_to)}",
        request=request,
    )
    return user


@transaction.atomic
def register_user_update(
    *, access: RegisterAccess, person: RegisterUser, role: Role, limited_to: list[Centre] = (), request=None
) -> None:
    """R2: change someone's register role (at their organisation) and their limits."""
    role = Role(role)
    _check_administers(access, person.organisation)
    limited_to = _limits_check(access=access, role=role, limited_to=list(limited_to))
    held = {Role(assignment.role) for assignment in person.assignments}
    # Every part of the change is checked before any of it is written.
    checks = [(role, GrantAction.LIMIT)] + [(held_role, GrantAction.REVOKE) for held_role in held - {role}]
    if role not in held:
        checks.append((role, GrantAction.GRANT))
    for checked_role, action in checks:
        _check_grant(
            actor=access.user,
            role=checked_role,
            organisation=person.organisation,
            subject=person.user,
            action=action,
            limited_to=limited_to,
        )
    _check_keeps_an_administrator(access=access, person=person, removing_admin=role != Role.DSR_ADMIN)
    for assignment in person.assignments:
        if Role(assignment.role) != role:
            role_assignment_end(assignment=assignment, revoked_by=access.user, request=request)
    if role not in held:
        register_role_grant(
            user=person.user,
            organisation=person.organisation,
            role=role,
            granted_by=access.user,
            limited_to=limited_to,
            request=request,
        )
    _limits_replace(access=access, user=person.user, limited_to=limited_to)
    audit_record(
        actor=access.user,
        centre=person.organisation,
        action="register.user_changed",
        target=person.user,
        summary=f"{person.user.get_full_name()} is now {role.label} at {person.organisation.name}, "
        f"seeing {_limits_text(limited_to)}",
        request=request,
    )


@transaction.atomic
def register_user_remove(*, access: RegisterAccess, person: RegisterUser, request=None) -> None:
    """R2: take away every register role the person holds at the permitted organisations.
    Their account and delegate record stay (they may use other parts of the platform)."""
    _check_administers(access, person.organisation)
    for assignment in person.assignments:
        _check_grant(
            actor=access.user,
            role=Role(assignment.role),
            organisation=assignment.centre,
            subject=person.user,
            action=GrantAction.REVOKE,
        )
    _check_keeps_an_administrator(access=access, person=person, removing_admin=True)
    for assignment in person.assignments:
        role_assignment_end(assignment=assignment, revoked_by=access.user, request=request)
    AccessLimit.objects.filter(register=access.register, user=person.user).delete()
    audit_record(
        actor=access.user,
        centre=person.organisation,
        action="register.user_removed",
        target=person.user,
        summary=f"{person.user.get_full_name()} removed from the register ({person.organisation.name})",
        request=request,
    )

"""Reads for the register's administration (R2 users, R11 audit). Every function takes a
`RegisterAccess` and reaches people and events only through its permitted organisations."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from centres.models import AuditEvent, Centre, RoleAssignment
from centres.roles import Role
from referrals.access import RegisterAccess
from referrals.models import AccessLimit

REGISTER_ROLES = (Role.DSR_ADMIN, Role.DSR_REPORTING, Role.REFERRER)  # highest first
REGISTER_ROLE_VALUES = [role.value for role in REGISTER_ROLES]

# R11: what the audit page can filter on, in the words the page uses.
AUDIT_ACTIONS = {
    "referral.viewed": "Referral viewed",
    "referral.created": "Referral added",
    "referral.updated": "Referral updated",
    "referral.note_added": "Note added",
    "referral.outcome_recorded": "Outcome recorded",
    "referral.archived": "Referral archived",
    "referral.refused": "Referral refused (not theirs to open)",
    "referral.report_requested": "Report requested",
    "referral.report_downloaded": "Report downloaded",
    "referral.report_download_refused": "Report download refused (access no longer held)",
    "register.login": "Logged in",
    "register.login_failed": "Login failed",
    "register.signup": "Signed up",
    "register.user_added": "User added",
    "register.user_changed": "User changed",
    "register.user_removed": "User removed",
    "register.configured": "Register settings changed",
    "register.audit_exported": "Audit exported",
    "admin.added": "Platform admin: added",
    "admin.changed": "Platform admin: changed",
    "admin.deleted": "Platform admin: deleted",
    "admin.password_reset_sent": "Platform admin: password reset link sent",
    "register.report_downloaded": "Audit export downloaded",
    "register.report_download_refused": "Audit export download refused (access no longer held)",
}

# Changes platform staff make in the Django admin that the register's administrators see in
# its audit trail (issue 11, finding 4): to the register itself and to the people of its
# organisations (the platform audit has every admin change).
ADMIN_TARGETS_IN_REGISTER_AUDIT = ["referrals.Register", "accounts.User", "centres.RoleAssignment"]


def audit_action_label(action: str) -> str:
    return AUDIT_ACTIONS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()


@dataclass
class RegisterUser:
    """A person with a register role at one of the permitted organisations."""

    user: User
    organisation: Centre  # where their (highest) register role is held
    assignments: list[RoleAssignment]  # their active register roles at permitted organisations
    limited_to: list[Centre] = field(default_factory=list)

    @property
    def role(self) -> Role:
        held = {Role(assignment.role) for assignment in self.assignments}
        return next(role for role in REGISTER_ROLES if role in held)


def _register_assignments(access: RegisterAccess):
    return RoleAssignment.objects.filter(
        centre__in=access.organisation_ids, role__in=REGISTER_ROLE_VALUES, revoked_at__isnull=True
    )


def register_users(*, access: RegisterAccess):
    """People with an active register role at the permitted organisations, by name (a
    queryset: page it, then `register_users_describe` the page)."""
    return (
        User.objects.filter(Exists(_register_assignments(access).filter(user=OuterRef("pk"))))
        .order_by("last_name", "first_name", "email")
        .only("public_id", "first_name", "last_name", "email")
    )


def register_users_describe(*, access: RegisterAccess, users) -> list[RegisterUser]:
    """`users` (one page) with their organisation, role and limits: two queries for any page."""
    users = list(users)
    assignments: dict[int, list[RoleAssignment]] = {}
    for assignment in (
        _register_assignments(access).filter(user__in=users).select_related("centre").order_by("granted_at")
    ):
        assignments.setdefault(assignment.user_id, []).append(assignment)
    limits: dict[int, list[Centre]] = {}
    for limit in (
        AccessLimit.objects.filter(register=access.register, user__in=users)
        .select_related("centre")
        .order_by("centre__name")
    ):
        limits.setdefault(limit.user_id, []).append(limit.centre)
    described = []
    for user in users:
        held = assignments.get(user.pk)
        if not held:
            continue
        highest = min(held, key=lambda assignment: REGISTER_ROLES.index(Role(assignment.role)))
        described.append(
            RegisterUser(user=user, organisation=highest.centre, assignments=held, limited_to=limits.get(user.pk, []))
        )
    return described


def register_user_for_access(*, access: RegisterAccess, user_id) -> RegisterUser | None:
    """The register user `user_id` if they hold a register role at one of this administrator's
    permitted organisations; None otherwise (another register's people, or an organisation
    the administrator is limited away from)."""
    users = register_users(access=access).filter(public_id=user_id)
    described = register_users_describe(access=access, users=users)
    return described[0] if described else None


def register_administrator_count(*, register) -> int:
    """Active administrators across every organisation of the register."""
    return (
        RoleAssignment.objects.filter(
            centre__register_organisation__register=register, role=Role.DSR_ADMIN, revoked_at__isnull=True
        )
        .values("user")
        .distinct()
        .count()
    )


def register_audit_events(
    *,
    access: RegisterAccess,
    date_from: date | None = None,
    date_to: date | None = None,
    action: str = "",
    person: str = "",
    referral_public_id: str = "",
):
    """R11: the register's events at the permitted organisations, newest first."""
    events = (
        AuditEvent.objects.filter(centre__in=access.organisation_ids)
        .filter(
            Q(action__startswith="referral.")
            | Q(action__startswith="register.")
            | Q(action__startswith="admin.", target_type__in=ADMIN_TARGETS_IN_REGISTER_AUDIT)
        )
        .select_related("actor", "centre")
        .order_by("-at", "-pk")
    )
    zone = timezone.get_current_timezone()
    if date_from:
        events = events.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        events = events.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=zone))
    if action:
        events = events.filter(action=action)
    if person:
        events = events.filter(actor__email__icontains=person)
    if referral_public_id:
        events = events.filter(target_type="referrals.Referral", target_id=str(referral_public_id))
    return events


def referral_public_id_for_reference(*, access: RegisterAccess, reference: str):
    """The public id of the referral with `reference` that this person may open, or None."""
    return (
        access.visible_referrals()
        .filter(reference__iexact=reference.strip())
        .values_list("public_id", flat=True)
        .first()
    )

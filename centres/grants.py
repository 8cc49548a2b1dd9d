"""Who may grant, revoke or limit which role, for whom, where: the one rule (DESIGN.md's role
table, ADR 0016). Every path that changes a role asks `grant_refusal` first (centres'
`role_grant`/`role_revoke`, the register's user pages, the platform page that names a centre
manager), and `tests/test_role_grant_matrix.py` walks every role x every role x self/other
through the services and the pages.

- Nobody grants a role to themselves or changes their own access (they may give a role up,
  except the last centre manager of a centre).
- Centre roles come from the centre's managers (assessors also from educators); platform
  staff name centre managers, authorisers and senior portal administrators.
- Register roles (referrer, reporting user, DSR administrator) come only from platform staff
  and the register's administrators, at organisations of their register they may act on;
  the register feature installs that part of the rule (`register_authority_set`), since
  centres does not know registers. A centre manager never grants them.

And the one write: `role_assignment_add` / `role_assignment_end` record the assignment (or its
end) and the audit event, for centres' `role_grant`/`role_revoke` and the register's user pages
alike. A person's permissions are computed from their active assignments (ADR 0027), so there
is nothing else to keep in step.
"""

from collections.abc import Callable
from enum import StrEnum

from django.utils import timezone

from centres.audit import audit_record
from centres.models import Centre, RoleAssignment
from centres.notification_rules import kinds_allowed, kinds_for_roles
from centres.role_areas import role_not_built_reason
from centres.roles import REGISTER_ROLES, Role, grantable_roles
from centres.selectors.memberships import active_roles
from notifications.services import notification_subscriptions_add


class GrantAction(StrEnum):
    GRANT = "grant"
    REVOKE = "revoke"
    LIMIT = "limit"  # change which organisations of a register the person's register role reaches


# The register feature's part of the rule: called with actor, role, centre, subject, action
# and limited_to (the organisations the grant will be limited to, None for every one); returns
# why not ("" when it may).
RegisterAuthority = Callable[..., str]
_register_authority: list[RegisterAuthority] = []


def register_authority_set(authority: RegisterAuthority) -> None:
    """Installed once by the register feature's AppConfig.ready()."""
    _register_authority[:] = [authority]


def centre_manager_count(*, centre: Centre) -> int:
    return (
        RoleAssignment.objects.for_centre(centre)
        .filter(role=Role.CENTRE_MANAGER, revoked_at__isnull=True)
        .values("user")
        .distinct()
        .count()
    )


def grant_refusal(
    *,
    actor,
    role: Role,
    centre: Centre,
    subject,
    action: GrantAction = GrantAction.GRANT,
    limited_to: list[Centre] | None = None,
) -> str:
    """Why `actor` may not `action` `role` at `centre` for `subject`; "" when they may.

    `actor` None is a system grant: only the referrer role, given by a register's
    allow-listed email domain at sign-up."""
    role, action = Role(role), GrantAction(action)
    if actor is None:
        if action is GrantAction.GRANT and role is Role.REFERRER:
            return ""
        return "Only a person can give or take away this role"
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return "You cannot give or take away roles"
    is_self = subject.pk == actor.pk
    if is_self and action is not GrantAction.REVOKE:
        return "You cannot give yourself a role or change your own access. Ask someone else who can."
    if action is GrantAction.GRANT and not subject.is_active:
        return f"{subject.get_full_name()}'s account is deactivated, so they cannot be given a role"
    if action is not GrantAction.REVOKE:
        # A role for an area not built yet is given nowhere (ADR 0048).
        not_built = role_not_built_reason(role=role)
        if not_built:
            return not_built
    if role in REGISTER_ROLES:
        if subject.is_staff and action is not GrantAction.REVOKE:
            return "Platform staff cannot be register users (they see no patient data)"
        if actor.is_staff:
            return ""
        if not _register_authority:
            return "Only the register's administrators and platform staff can give register roles"
        return _register_authority[0](
            actor=actor, role=role, centre=centre, subject=subject, action=action, limited_to=limited_to
        )
    if role not in grantable_roles(active_roles(user=actor, centre=centre), is_platform_staff=actor.is_staff):
        return f"You cannot grant or revoke the {role.label} role"
    if is_self and role is Role.CENTRE_MANAGER and centre_manager_count(centre=centre) <= 1:
        return (
            "You are the only centre manager here, so you cannot give up the role. "
            "Make someone else a centre manager first."
        )
    return ""


def grantable_roles_for(*, actor, centre: Centre, subject) -> list[Role]:
    """The roles `actor` may give `subject` at `centre` (what a page offers), in enum order."""
    return [role for role in Role if not grant_refusal(actor=actor, role=role, centre=centre, subject=subject)]


def grant_check(
    *,
    actor,
    role: Role,
    centre: Centre,
    subject,
    action: GrantAction = GrantAction.GRANT,
    limited_to: list[Centre] | None = None,
    error: type[Exception],
) -> None:
    """`grant_refusal`, raised as the caller's own `error` (the message is for the person)."""
    refusal = grant_refusal(
        actor=actor, role=role, centre=centre, subject=subject, action=action, limited_to=limited_to
    )
    if refusal:
        raise error(refusal)


def _granted_summary(*, role: Role, user, granted_by) -> str:
    if granted_by is None:
        return f"{role.label} granted to {user.get_full_name()} (register sign-up)"
    return f"{role.label} granted to {user.get_full_name()}" + (" by platform staff" if granted_by.is_staff else "")


def role_assignment_add(*, user, centre: Centre, role: Role, granted_by, request=None) -> RoleAssignment:
    """Record a grant that `grant_check` (and the caller's own rules) allowed, with its audit
    event. `granted_by` None: the register sign-up's allow-listed domain (a system grant)."""
    role = Role(role)
    allowed_before = {kind.code for kind in kinds_allowed(user=user, centre=centre)}
    assignment = RoleAssignment.objects.create(user=user, centre=centre, role=role, granted_by=granted_by)
    ticked = [kind.code for kind in kinds_for_roles([role]) if kind.on_when_granted and kind.code not in allowed_before]
    if ticked:
        notification_subscriptions_add(user=user, centre=centre, kinds=ticked)
    audit_record(
        actor=granted_by,
        centre=centre,
        action="role.granted",
        target=assignment,
        summary=_granted_summary(role=role, user=user, granted_by=granted_by),
        request=request,
    )
    return assignment


def role_assignment_end(*, assignment: RoleAssignment, revoked_by, request=None) -> RoleAssignment:
    """Record a revoke that `grant_check` allowed, with its audit event."""
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = revoked_by
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=revoked_by,
        centre=assignment.centre,
        action="role.revoked",
        target=assignment,
        summary=f"{Role(assignment.role).label} revoked from {assignment.user.get_full_name()}",
        request=request,
    )
    return assignment

"""The register's part of the one grant rule (`centres.grants.grant_refusal`, ADR 0016).

Installed from `ReferralsConfig.ready()`. Platform staff, self-grants and system sign-up
grants are settled before this is asked; here the actor is a person who is not platform staff.

- Only an administrator of the register that `centre` belongs to grants, revokes or limits
  register roles there, and only at organisations they may act on (all, unless limited).
- A limited administrator gives only limited access, within their own organisations.
- A limited administrator cannot demote, remove or limit an administrator who sees every
  organisation (that would leave organisations nobody administers).
"""

from centres.grants import GrantAction
from centres.models import Centre, RoleAssignment
from centres.roles import Role
from referrals.access import permitted_organisations
from referrals.models import AccessLimit, RegisterOrganisation


def in_a_register(centre: Centre) -> bool:
    """Register roles are in use only at an organisation of a register (ADR 0048)."""
    return RegisterOrganisation.objects.for_centre(centre).exists()


def _is_administrator(*, user, register) -> bool:
    return RoleAssignment.objects.filter(
        user=user,
        role=Role.DSR_ADMIN,
        revoked_at__isnull=True,
        centre__register_organisation__register=register,
    ).exists()


def _is_limited(*, user, register) -> bool:
    return AccessLimit.objects.filter(register=register, user=user).exists()


def register_grant_refusal(
    *, actor, role: Role, centre: Centre, subject, action: GrantAction, limited_to: list[Centre] | None
) -> str:
    place = RegisterOrganisation.objects.for_centre(centre).select_related("register").first()
    if place is None or not _is_administrator(user=actor, register=place.register):
        return "Only the register's administrators and platform staff can give or take away register roles"
    register = place.register
    permitted = {organisation.pk for organisation in permitted_organisations(user=actor, register=register)}
    if centre.pk not in permitted:
        return f"You cannot manage people at {centre.name}"
    actor_limited = _is_limited(user=actor, register=register)
    if actor_limited:
        if (
            subject.pk != actor.pk
            and _is_administrator(user=subject, register=register)
            and not _is_limited(user=subject, register=register)
        ):
            return (
                f"{subject.get_full_name()} is an administrator for every organisation. You can only see some "
                "organisations, so you cannot change their access. Ask an administrator who sees every organisation."
            )
        if action is not GrantAction.REVOKE and role is not Role.REFERRER:
            if not limited_to:
                return "You can only see some organisations, so limit this person to one or more of them too"
            outside = [organisation for organisation in limited_to if organisation.pk not in permitted]
            if outside:
                return f"You cannot give access to {outside[0].name}"
    return ""

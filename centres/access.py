"""A person's access at a centre, worked out once: who they are, where, which roles and so
which permissions they hold there, and whether they are platform staff (ADR 0027).

The current-centre middleware builds one `CentreAccess` per request (lazily: a page that asks
nothing costs no query); `has_permission(request, ...)`, the decorators in `core.decorators`
and each feature's own access (`RegisterAccess`, `PassportAccess`) read it. Permissions are
computed from the person's active `RoleAssignment`s with `ROLE_PERMISSIONS`: role assignments
are the one store, nothing is copied into a second one. `user.has_perm(Permission.X, centre)`
asks the same question through `RolePermissionBackend`, for services and workers that have no
request.
"""

from dataclasses import dataclass

from django.contrib.auth.backends import BaseBackend

from centres.models import Centre, RoleAssignment
from centres.roles import CENTRE_ROLES, ROLE_PERMISSIONS, Permission, Role

EVERY_PERMISSION = frozenset(permission.value for permission in Permission)


@dataclass(frozen=True)
class CentreAccess:
    user: object
    centre: Centre | None
    roles: frozenset[Role]
    permissions: frozenset[str]  # Permission values, e.g. "centres.manage_delegates"
    is_platform_staff: bool

    def has(self, permission: Permission | str) -> bool:
        return str(permission) in self.permissions

    def has_any(self, *permissions: Permission | str) -> bool:
        return any(self.has(permission) for permission in permissions)

    @property
    def is_register_only(self) -> bool:
        """Every role here is a register role (a council social worker): the person came for the
        register, so passport pages and a delegate number are not offered to them."""
        return bool(self.roles) and not (self.roles & CENTRE_ROLES)


def role_permissions(roles) -> frozenset[str]:
    """Every permission the roles give (the role table, `centres.roles.ROLE_PERMISSIONS`)."""
    held: set[str] = set()
    for role in roles:
        held |= {permission.value for permission in ROLE_PERMISSIONS[Role(role)]}
    return frozenset(held)


def _no_access(user, centre) -> CentreAccess:
    return CentreAccess(
        user=user,
        centre=centre,
        roles=frozenset(),
        permissions=frozenset(),
        is_platform_staff=bool(getattr(user, "is_staff", False)),
    )


def centre_access_build(*, user, centre: Centre | None) -> CentreAccess:
    """`user`'s access at `centre` now: one query (their active roles there), none without a
    centre or for someone not logged in or deactivated. A superuser holds every permission."""
    if centre is None or user is None or not user.is_authenticated or not user.is_active:
        return _no_access(user, centre)
    roles = frozenset(
        Role(value)
        for value in RoleAssignment.objects.for_centre(centre)
        .filter(user=user, revoked_at__isnull=True)
        .values_list("role", flat=True)
    )
    return CentreAccess(
        user=user,
        centre=centre,
        roles=roles,
        permissions=EVERY_PERMISSION if user.is_superuser else role_permissions(roles),
        is_platform_staff=user.is_staff,
    )


class RolePermissionBackend(BaseBackend):
    """`user.has_perm(Permission.X, centre)`, computed from the person's roles at the centre
    (replaces django-guardian's object permissions). Anything else is the model backend's."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if not isinstance(obj, Centre) or str(perm) not in EVERY_PERMISSION:
            return False
        # The request's access, when the question is about the request's own person and centre
        # (the current-centre middleware puts it there); anything else is worked out now.
        centre_id, access = getattr(user_obj, "request_centre_access", (None, None))
        if centre_id == obj.pk and access is not None:
            return access.has(perm)
        return centre_access_build(user=user_obj, centre=obj).has(perm)

"""Which part of the service each role is for, and whether that part is in use at a centre
(issue 16 item 9, ADR 0048). A role is offered, and may be granted, only when the feature app
that does its work has registered it here and says it is in use at the centre: a role for an
area not built yet (no app registered it) or not used at that centre (a register role at an
organisation in no register) is not offered, and a post of one is refused with the reason. A role
whose area is not built is refused by the one grant rule on every path; "not used at the centre"
is decided on the Roles pages (the register's own pages already give register roles only at
its organisations).

Feature apps register their roles from `AppConfig.ready()` (centres never names a feature).
Revoking is never blocked by this: a role that is held can always be taken away."""

from collections.abc import Callable
from dataclasses import dataclass

from centres.models import Centre
from centres.roles import Role


@dataclass(frozen=True)
class RoleArea:
    name: str  # how the page names the area: "the dynamic support register"
    in_use: Callable[[Centre], bool] | None = None  # None: wherever the area is built


_AREAS: dict[Role, RoleArea] = {}


def role_area_register(*roles: Role, name: str, in_use: Callable[[Centre], bool] | None = None) -> None:
    for role in roles:
        _AREAS[Role(role)] = RoleArea(name=name, in_use=in_use)


def role_area_unregister(*roles: Role) -> None:
    """For tests that stand for an area not built yet."""
    for role in roles:
        _AREAS.pop(Role(role), None)


def role_not_built_reason(*, role: Role) -> str:
    """Why `role` cannot be given anywhere ("" when its area is built). The one grant rule
    (`centres.grants.grant_refusal`) asks this, so no path grants such a role."""
    role = Role(role)
    if role not in _AREAS:
        return f"The {role.label} role is for a part of the service that is not available yet, so it cannot be given"
    return ""


def role_unavailable_reason(*, role: Role, centre: Centre) -> str:
    """Why the Roles pages do not offer `role` at `centre` ("" when they do): its area is not
    built, or the centre does not use it."""
    role = Role(role)
    not_built = role_not_built_reason(role=role)
    if not_built:
        return not_built
    area = _AREAS[role]
    if area.in_use is not None and not area.in_use(centre):
        return f"The {role.label} role is for {area.name}, which {centre.name} does not use, so it cannot be given here"
    return ""

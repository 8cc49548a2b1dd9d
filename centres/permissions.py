"""Readers of the person's access at the current centre (`centres.access.CentreAccess`, built
once per request by the current-centre middleware). The decorators views declare live in
`core.decorators`."""

from centres.access import CentreAccess, centre_access_build
from centres.roles import Permission


def centre_access(request) -> CentreAccess:
    """The request's access object; built here (once) when no middleware set it, e.g. a view
    called directly in a test."""
    access = getattr(request, "centre_access", None)
    if access is None:
        access = centre_access_build(user=request.user, centre=getattr(request, "centre", None))
        request.centre_access = access
    return access


def centre_permissions(request) -> frozenset[str]:
    """The person's permissions on the current centre."""
    return centre_access(request).permissions


def has_permission(request, permission: Permission) -> bool:
    return centre_access(request).has(permission)

"""Permission checks on the current centre, and the decorators views declare at the top."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from guardian.core import ObjectPermissionChecker

from centres.roles import Permission


def centre_permissions(request) -> frozenset[str]:
    """The person's permissions on the current centre, loaded once per request."""
    if not hasattr(request, "_centre_permissions"):
        centre = getattr(request, "centre", None)
        if centre is None or not request.user.is_authenticated:
            request._centre_permissions = frozenset()
        else:
            codenames = ObjectPermissionChecker(request.user).get_perms(centre)
            request._centre_permissions = frozenset(f"centres.{codename}" for codename in codenames)
    return request._centre_permissions


def has_permission(request, permission: Permission) -> bool:
    return permission.value in centre_permissions(request)


def centre_required(view):
    """Logged in, with a current centre; otherwise log in or choose a centre first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "centre", None) is None:
            return redirect(f"/choose-centre/?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def permission_required(*permissions: Permission):
    """Logged in, with a current centre where the person holds at least one of
    `permissions` (else 403)."""

    def decorator(view):
        @centre_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(has_permission(request, permission) for permission in permissions):
                raise PermissionDenied("Your roles at this centre do not include this page")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def platform_staff_required(view):
    """Platform staff only (`user.is_staff`): logged in, else 403. Platform pages belong to
    no centre, so they do not need a current centre."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied("Only platform staff can use this page")
        return view(request, *args, **kwargs)

    return wrapper

"""The decorators views declare at the top: logged in, with a current centre, holding a
permission there, or platform staff (ADR 0027).

Core knows no feature and no centre model: these read what the current-centre middleware put
on the request, `request.centre` and `request.centre_access` (an object with `.has(permission)`,
built once per request).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

CHOOSE_CENTRE_PATH = "/choose-centre/"


def centre_required(view):
    """Logged in, with a current centre; otherwise log in or choose a centre first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "centre", None) is None:
            return redirect(f"{CHOOSE_CENTRE_PATH}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def permission_required(*permissions):
    """Logged in, with a current centre where the person holds at least one of
    `permissions` (else 403)."""

    def decorator(view):
        @centre_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.centre_access.has_any(*permissions):
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
